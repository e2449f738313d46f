import Logging
import OptunaProtocol
import OptunaSystemd
import ServiceLifecycle
import Synchronization
import UnixSignals

/// Reloads the configuration on SIGHUP (`systemctl reload optunad`): says `RELOADING=1`, re-reads the flags, the
/// environment and the configuration file, applies what can change while running (the log level), logs what needs
/// a restart, and says `READY=1` again.
///
/// A configuration that no longer validates is logged and ignored: the daemon keeps running with the old one.
final class ReloadService: Service {
    let signals: UnixSignalsSequence
    let inputs: DaemonSettings.Inputs
    let levelSwitch: LogLevelSwitch
    let notifier: Notifier
    let logger: Logger
    /// The settings in effect; only the reload loop changes them.
    private let current: Mutex<DaemonSettings>

    /// - Parameter signals: A sequence that already traps SIGHUP; create it before the daemon is ready, since the
    ///   default action of SIGHUP ends the process.
    init(
        signals: UnixSignalsSequence, inputs: DaemonSettings.Inputs, settings: DaemonSettings,
        levelSwitch: LogLevelSwitch, notifier: Notifier, logger: Logger
    ) {
        self.signals = signals
        self.inputs = inputs
        self.current = Mutex(settings)
        self.levelSwitch = levelSwitch
        self.notifier = notifier
        self.logger = logger
    }

    func run() async throws {
        for await _ in signals.cancelOnGracefulShutdown() {
            reload()
        }
    }

    private func reload() {
        notifier.reloading()
        logger.info("reloading the configuration")
        let next: DaemonSettings
        do {
            next = try DaemonSettings.resolve(
                inputs, environment: DefaultPaths.processEnvironment, uid: DefaultPaths.uid)
        } catch {
            logger.error("configuration not reloaded, keeping the current one: \(error)")
            notifier.ready(status: "configuration not reloaded: \(error)")
            return
        }
        let changed = current.withLock { next.changes(from: $0) }
        for key in changed where !key.appliesOnReload {
            logger.warning(
                "\(key.rawValue) changed to `\(next.values[key]?.text ?? "")`; it takes effect when optunad restarts")
        }
        levelSwitch.level = next.logLevel
        current.withLock {
            $0.logLevel = next.logLevel
            $0.values[.logLevel] = next.values[.logLevel]
        }
        logger.notice(
            "configuration reloaded", metadata: ["log_level": "\(next.logLevel)", "config": "\(next.configPath)"])
        notifier.ready(status: "configuration reloaded; log level \(next.logLevel)")
    }
}
