public import Logging
import Synchronization

/// A log level shared by every handler made by ``LogTarget/bootstrap(levelSwitch:writer:)``, so a configuration
/// reload (SIGHUP) can change the level of all loggers at once.
///
/// swift-log makes a handler's level a value; the handlers that follow a switch keep that rule for explicit changes:
/// a logger whose `logLevel` was set keeps its own level, and every other logger follows the switch.
public final class LogLevelSwitch: Sendable {
    private let current: Mutex<Logger.Level>

    /// Creates a switch at `level`.
    ///
    /// - Parameter level: The level handlers follow until ``level`` is set.
    public init(_ level: Logger.Level) {
        current = Mutex(level)
    }

    /// The level followed by every handler that has not been given its own.
    public var level: Logger.Level {
        get { current.withLock { $0 } }
        set { current.withLock { $0 = newValue } }
    }
}
