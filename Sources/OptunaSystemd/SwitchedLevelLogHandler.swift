public import Logging

/// Wraps a log handler so that its level follows a ``LogLevelSwitch`` until the level is set on the handler itself.
///
/// Metadata, the metadata provider and output are the wrapped handler's.
public struct SwitchedLevelLogHandler<Wrapped: LogHandler>: LogHandler {
    /// The handler that formats and writes entries.
    public var wrapped: Wrapped

    /// The shared level followed while this handler has no level of its own.
    public let levelSwitch: LogLevelSwitch

    /// The level set on this handler, which then no longer follows the switch.
    private var ownLevel: Logger.Level?

    /// Creates a handler that follows `levelSwitch`.
    ///
    /// - Parameters:
    ///   - wrapped: The handler that writes entries; its own level is ignored.
    ///   - levelSwitch: The shared level.
    public init(wrapping wrapped: Wrapped, levelSwitch: LogLevelSwitch) {
        self.wrapped = wrapped
        self.levelSwitch = levelSwitch
    }

    /// The switch's level, or the level set on this handler.
    public var logLevel: Logger.Level {
        get { ownLevel ?? levelSwitch.level }
        set { ownLevel = newValue }
    }

    /// The wrapped handler's metadata.
    public var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue }
    }

    /// The wrapped handler's metadata provider.
    public var metadataProvider: Logger.MetadataProvider? {
        get { wrapped.metadataProvider }
        set { wrapped.metadataProvider = newValue }
    }

    /// One metadata value of the wrapped handler.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue }
    }

    /// Passes the event to the wrapped handler.
    ///
    /// - Parameter event: The event; its level has already passed ``logLevel``.
    public func log(event: LogEvent) {
        wrapped.log(event: event)
    }
}
