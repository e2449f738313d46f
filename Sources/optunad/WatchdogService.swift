import Logging
import OptunaServer
import OptunaSystemd
import ServiceLifecycle
import Synchronization

/// Sends systemd's watchdog keep-alive (`WATCHDOG=1`) every half `WATCHDOG_USEC`, but only after the server has
/// answered a `hello` sent through its own listening socket, the way a client's request travels.
///
/// A daemon whose event loops or dispatcher are wedged fails the probe and stops sending keep-alives, so systemd
/// (`WatchdogSec=`) kills and restarts it. Probing starts once the server listens. Without a watchdog the service
/// only waits for shutdown.
final class WatchdogService: Service {
    let server: Server
    let notifier: Notifier
    let logger: Logger
    /// Finishes when the server listens.
    let listening: AsyncStream<Void>
    /// Probes answered, which the status line subtracts from the requests served.
    let probesAnswered = Atomic<UInt64>(0)

    init(server: Server, notifier: Notifier, listening: AsyncStream<Void>, logger: Logger) {
        self.server = server
        self.listening = listening
        self.notifier = notifier
        self.logger = logger
    }

    func run() async throws {
        guard let interval = notifier.watchdogInterval else {
            try? await gracefulShutdown()
            return
        }
        let clock = ContinuousClock()
        try? await cancelWhenGracefulShutdown {
            for await _ in self.listening {}
            self.logger.info("watchdog enabled: probing the server every \(interval)")
            var failing = false
            while !Task.isCancelled {
                let deadline = clock.now + interval
                if await self.server.probe(timeout: interval) {
                    self.notifier.watchdog()
                    self.probesAnswered.add(1, ordering: .relaxed)
                    if failing { self.logger.notice("watchdog probe answered again") }
                    failing = false
                } else if !failing {
                    self.logger.error("watchdog probe got no answer: not sending the keep-alive")
                    failing = true
                }
                try await Task.sleep(until: deadline, clock: clock)
            }
        }
    }
}
