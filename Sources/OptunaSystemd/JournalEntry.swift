import Logging

/// One journal entry: the ordered list of `FIELD=value` pairs handed to `sd_journal_sendv(3)`.
///
/// Building the entry is pure, so the mapping from a swift-log event to journal fields is tested without a journal.
/// The fields are, in order: `MESSAGE`, `PRIORITY`, `SYSLOG_IDENTIFIER`, `CODE_FILE`, `CODE_LINE`, `CODE_FUNC`,
/// `OPTUNAD_LOGGER` (the logger's label), then one `OPTUNAD_<KEY>` field per metadata key in key order.
struct JournalEntry: Hashable, Sendable {
    /// One `NAME=value` pair; journald allows the same name more than once.
    struct Field: Hashable, Sendable {
        var name: String
        var value: String
    }

    /// The prefix that keeps optunad's own fields apart from journald's and other programs' fields.
    static let metadataPrefix = "OPTUNAD_"

    /// journald ignores fields whose names are longer than this.
    static let maximumFieldNameLength = 64

    var fields: [Field]

    /// Creates an entry from explicit fields.
    init(fields: [Field]) {
        self.fields = fields
    }

    /// Maps a swift-log event to journal fields.
    ///
    /// Metadata is merged as swift-log's `StreamLogHandler` merges it: the handler's metadata, overridden by the
    /// metadata provider's, overridden by the event's; an event's error adds `error.message` and `error.type`.
    ///
    /// - Parameters:
    ///   - event: The event to record.
    ///   - label: The logger's label, recorded as `OPTUNAD_LOGGER`.
    ///   - handlerMetadata: The handler's own metadata.
    ///   - provided: What the handler's metadata provider returned, if any.
    ///   - identifier: The `SYSLOG_IDENTIFIER`, which `journalctl -t` filters on.
    init(
        event: LogEvent,
        label: String,
        handlerMetadata: Logger.Metadata,
        provided: Logger.Metadata?,
        identifier: String
    ) {
        var metadata = handlerMetadata
        if let provided { metadata.merge(provided) { _, new in new } }
        if let explicit = event.metadata { metadata.merge(explicit) { _, new in new } }
        if let error = event.error {
            metadata["error.message"] = "\(error)"
            metadata["error.type"] = "\(String(reflecting: type(of: error)))"
        }

        var fields: [Field] = [
            Field(name: "MESSAGE", value: event.message.description),
            Field(name: "PRIORITY", value: String(Self.priority(of: event.level))),
            Field(name: "SYSLOG_IDENTIFIER", value: identifier),
            Field(name: "CODE_FILE", value: event.file),
            Field(name: "CODE_LINE", value: String(event.line)),
            Field(name: "CODE_FUNC", value: event.function),
            Field(name: "OPTUNAD_LOGGER", value: label),
        ]
        for key in metadata.keys.sorted() {
            guard let name = Self.fieldName(forMetadataKey: key), let value = metadata[key] else { continue }
            fields.append(Field(name: name, value: value.description))
        }
        self.init(fields: fields)
    }

    /// The entry that reports log entries lost because the queue to the journal was full.
    ///
    /// - Parameters:
    ///   - count: How many entries were dropped since the previous report; recorded as `OPTUNAD_DROPPED`.
    ///   - identifier: The `SYSLOG_IDENTIFIER`.
    static func droppedReport(count: Int, identifier: String) -> JournalEntry {
        JournalEntry(fields: [
            Field(name: "MESSAGE", value: "dropped \(count) log entries: the journal did not keep up"),
            Field(name: "PRIORITY", value: String(priority(of: .warning))),
            Field(name: "SYSLOG_IDENTIFIER", value: identifier),
            Field(name: "OPTUNAD_DROPPED", value: String(count)),
        ])
    }

    /// The syslog priority journald stores in `PRIORITY` (0 emergency … 7 debug) for a swift-log level.
    ///
    /// swift-log's `trace` has no syslog counterpart below `debug`, so both map to 7.
    static func priority(of level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// The journal field for a metadata key: `OPTUNAD_` and the key in upper case, every character other than an
    /// ASCII letter, digit or underscore replaced by `_`, cut to 64 bytes (`request_id` → `OPTUNAD_REQUEST_ID`,
    /// `error.message` → `OPTUNAD_ERROR_MESSAGE`).
    ///
    /// - Returns: The field name, or `nil` for an empty key.
    static func fieldName(forMetadataKey key: String) -> String? {
        guard !key.isEmpty else { return nil }
        var name = metadataPrefix.unicodeScalars
        for scalar in key.unicodeScalars {
            switch scalar {
            case "a"..."z": name.append(Unicode.Scalar(scalar.value - 0x20) ?? "_")
            case "A"..."Z", "0"..."9", "_": name.append(scalar)
            default: name.append("_")
            }
        }
        return String(String(name).prefix(maximumFieldNameLength))
    }

    /// Each field as the bytes `NAME=value`, one iovec each; a value may hold newlines and any bytes, which
    /// `sd_journal_sendv` encodes in the binary form of the native protocol.
    var payloads: [[UInt8]] {
        fields.map { Array($0.name.utf8) + [UInt8(ascii: "=")] + Array($0.value.utf8) }
    }
}
