public import Logging

/// A swift-log `LogHandler` that writes structured entries to systemd-journald.
///
/// Each event becomes one journal entry with `MESSAGE`, `PRIORITY` (from the level), `SYSLOG_IDENTIFIER` (`optunad`),
/// `CODE_FILE`, `CODE_LINE`, `CODE_FUNC`, `OPTUNAD_LOGGER` (the label) and one `OPTUNAD_<KEY>` field per metadata key,
/// upper-cased with other characters turned into `_`: metadata `study` becomes `OPTUNAD_STUDY`, `trial_number`
/// becomes `OPTUNAD_TRIAL_NUMBER`, so `journalctl -u optunad OPTUNAD_STUDY=resnet` shows one study's life.
///
/// The handler never waits for the journal: ``log(event:)`` builds the entry and queues it on a ``JournalWriter``,
/// whose own thread sends it. A missing or stalled journal costs entries (counted and reported), never latency.
///
/// As swift-log requires, the handler is a value: ``logLevel`` and ``metadata`` changed on one copy do not affect
/// another. The writer is shared by reference.
public struct JournaldLogHandler: LogHandler {
    /// The least severe level this handler records.
    public var logLevel: Logger.Level = .info

    /// Metadata attached to every entry from this handler; event metadata overrides it key by key.
    public var metadata: Logger.Metadata = [:]

    /// Supplies contextual metadata (for example task-local values) when an entry is made.
    public var metadataProvider: Logger.MetadataProvider?

    /// The logger's label, recorded as `OPTUNAD_LOGGER`.
    public let label: String

    /// Where entries go.
    public let writer: JournalWriter

    /// Creates a handler for a logger.
    ///
    /// - Parameters:
    ///   - label: The logger's label.
    ///   - writer: The writer to queue entries on; the process-wide one by default.
    ///   - metadataProvider: The provider consulted for every entry; swift-log's bootstrapped one by default.
    public init(
        label: String,
        writer: JournalWriter = .shared,
        metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider
    ) {
        self.label = label
        self.writer = writer
        self.metadataProvider = metadataProvider
    }

    /// Gets or sets one metadata value of this handler.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Queues the event as a journal entry; never waits for the journal.
    ///
    /// - Parameter event: The event; its level has already passed ``logLevel``.
    public func log(event: LogEvent) {
        writer.submit(
            JournalEntry(
                event: event,
                label: label,
                handlerMetadata: metadata,
                provided: metadataProvider?.get(),
                identifier: writer.identifier
            )
        )
    }
}
