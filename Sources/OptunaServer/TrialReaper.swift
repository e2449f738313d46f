public import Logging
public import ServiceLifecycle

/// Fails RUNNING trials whose heartbeat is older than their study's grace period, without any client calling
/// anything (Optuna needs a worker to call `fail_stale_trials`; here the daemon does it).
public struct TrialReaper: Service {
    let registry: StudyRegistry
    let interval: Duration
    let logger: Logger

    /// Checks every `interval` (1 s by default).
    public init(registry: StudyRegistry, interval: Duration = .seconds(1), logger: Logger) {
        self.registry = registry
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await registry.loadStudiesWithHeartbeats()
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return
                }
                let failed = await registry.failStaleTrials()
                if failed > 0 { logger.notice("failed \(failed) trial(s) whose heartbeat expired") }
            }
        }
    }
}
