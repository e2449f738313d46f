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

    /// One reading of the server's counters.
    struct Sample {
        var status: ServerStatus
        /// Requests served to clients, without the watchdog's probes.
        var served: UInt64
        var at: ContinuousClock.Instant
    }

    func run() async throws {
        if notifier.isEnabled {
            try? await cancelWhenGracefulShutdown {
                var previous = await self.sample()
                while !Task.isCancelled {
                    try await Task.sleep(for: self.interval)
                    let current = await self.sample()
                    self.notifier.status(Self.line(current, since: previous))
                    previous = current
                }
            }
        } else {
            try? await gracefulShutdown()
        }
        notifier.stopping()
    }

    private func sample() async -> Sample {
        let status = await server.status()
        let probes = watchdog.probesAnswered.load(ordering: .relaxed)
        return Sample(
            status: status, served: status.requestsServed - min(status.requestsServed, probes),
            at: ContinuousClock.now)
    }

    /// The status line, e.g. `3 studies open, 2 trials running, 140 finished (0.4/s), 1520 requests served (12.4/s),
    /// 4 connections`; the rates are over the time since `previous`.
    static func line(_ current: Sample, since previous: Sample) -> String {
        let seconds = Self.seconds(current.at - previous.at)
        func rate(_ now: Int, _ before: Int) -> Double {
            guard seconds > 0 else { return 0 }
            return (Double(max(now - before, 0)) / seconds * 10).rounded() / 10
        }
        let finished = rate(current.status.trialsFinished, previous.status.trialsFinished)
        let requests = rate(Int(clamping: current.served), Int(clamping: previous.served))
        return "\(plural(current.status.studiesOpen, "study", "studies")) open, "
            + "\(plural(current.status.trialsRunning, "trial", "trials")) running, "
            + "\(current.status.trialsFinished) finished (\(finished)/s), "
            + "\(plural(Int(clamping: current.served), "request", "requests")) served (\(requests)/s), "
            + "\(plural(current.status.connections, "connection", "connections"))"
    }

    static func plural(_ count: Int, _ one: String, _ many: String) -> String {
        "\(count) \(count == 1 ? one : many)"
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
