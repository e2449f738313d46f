import OptunaServer
import OptunaSystemd
import ServiceLifecycle
import Synchronization

/// Keeps the status line of `systemctl status` current (`STATUS=`), and says `STOPPING=1` when shutdown begins.
///
/// It is the last service of the group, so graceful shutdown reaches it first: the service manager hears
/// `STOPPING=1` before the server stops accepting and drains.
final class StatusReporter: Service {
    let server: Server
    let notifier: Notifier
    let watchdog: WatchdogService
    let interval: Duration

    init(server: Server, notifier: Notifier, watchdog: WatchdogService, interval: Duration = .seconds(5)) {
        self.server = server
        self.notifier = notifier
        self.watchdog = watchdog
        self.interval = interval
    }

    func run() async throws {
        if notifier.isEnabled {
            try? await cancelWhenGracefulShutdown {
                let clock = ContinuousClock()
                var last = (served: self.served(await self.server.status()), at: clock.now)
                while !Task.isCancelled {
                    try await Task.sleep(for: self.interval)
                    let status = await self.server.status()
                    let now = clock.now
                    let served = self.served(status)
                    let seconds = Self.seconds(now - last.at)
                    let rate = seconds > 0 ? Double(served - min(served, last.served)) / seconds : 0
                    self.notifier.status(Self.line(status, served: served, perSecond: rate))
                    last = (served, now)
                }
            }
        } else {
            try? await gracefulShutdown()
        }
        notifier.stopping()
    }

    /// Requests served to clients: the server's count without the watchdog's own probes.
    private func served(_ status: ServerStatus) -> UInt64 {
        let probes = watchdog.probesAnswered.load(ordering: .relaxed)
        return status.requestsServed - min(status.requestsServed, probes)
    }

    /// The status line, e.g. `3 studies open, 2 trials running, 1520 requests served (12.4/s), 4 connections`.
    static func line(_ status: ServerStatus, served: UInt64, perSecond: Double) -> String {
        let rate = (perSecond * 10).rounded() / 10
        return "\(plural(status.studiesOpen, "study", "studies")) open, "
            + "\(plural(status.trialsRunning, "trial", "trials")) running, "
            + "\(plural(Int(served), "request", "requests")) served (\(rate)/s), "
            + "\(plural(status.connections, "connection", "connections"))"
    }

    static func plural(_ count: Int, _ one: String, _ many: String) -> String {
        "\(count) \(count == 1 ? one : many)"
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
