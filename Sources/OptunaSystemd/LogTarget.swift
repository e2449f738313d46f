import Glibc
public import Logging

/// Where optunad's logs go, as chosen by `--log-target`.
///
/// `auto` picks the journal when the process's standard error *is* a journal stream, which is how systemd starts a
/// service with the default `StandardError=journal`: it sets `JOURNAL_STREAM` to the device and inode of that stream
/// (`systemd.exec(5)`). Comparing them with `fstat(2)` of standard error, rather than only checking that the variable
/// exists, keeps a child whose standard error was redirected (to a file or a terminal) from logging to the journal
/// by mistake.
public enum LogTarget: String, CaseIterable, Sendable {
    /// The journal if standard error is connected to it, else standard error.
    case auto
    /// Structured entries sent to systemd-journald with ``JournaldLogHandler``, even when no journald runs (the
    /// entries are then lost, without delay).
    case journal
    /// Plain lines on standard error with swift-log's `StreamLogHandler`.
    case stderr

    /// The concrete target: `journal` or `stderr`, never `auto`.
    ///
    /// `auto` resolves by comparing `JOURNAL_STREAM` with standard error's device and inode.
    public func resolved() -> LogTarget {
        let journalStream = getenv("JOURNAL_STREAM").map { String(cString: $0) }
        return resolved(journalStream: journalStream, standardError: STDERR_FILENO)
    }

    /// The concrete target, given the value of `JOURNAL_STREAM` and the descriptor of standard error.
    ///
    /// - Parameters:
    ///   - journalStream: The value of `JOURNAL_STREAM`, or `nil` when it is unset.
    ///   - standardError: The descriptor to compare with it.
    public func resolved(journalStream: String?, standardError: Int32) -> LogTarget {
        switch self {
        case .journal, .stderr:
            self
        case .auto:
            Self.journalStream(journalStream, names: standardError) ? .journal : .stderr
        }
    }

    /// Whether `journalStream`, a `JOURNAL_STREAM` value of the form `DEVICE:INODE` (both decimal), names the file
    /// open on `fileDescriptor`.
    ///
    /// - Returns: `false` when the value is missing or malformed, or `fstat(2)` fails.
    public static func journalStream(_ journalStream: String?, names fileDescriptor: Int32) -> Bool {
        guard let journalStream else { return false }
        let parts = journalStream.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var status = stat()
        guard fstat(fileDescriptor, &status) == 0 else { return false }
        return UInt64(status.st_dev) == device && UInt64(status.st_ino) == inode
    }

    /// Makes the handler for one logger: a ``JournaldLogHandler`` or a standard-error `StreamLogHandler`, following
    /// `levelSwitch`.
    ///
    /// `auto` is resolved on every call; resolve it once with ``resolved()`` first when making many handlers.
    ///
    /// - Parameters:
    ///   - label: The logger's label.
    ///   - levelSwitch: The level the handler follows until a logger sets its own.
    ///   - writer: The journal writer for the journal target.
    ///   - metadataProvider: Contextual metadata added to every entry.
    public func makeHandler(
        label: String,
        levelSwitch: LogLevelSwitch,
        writer: JournalWriter = .shared,
        metadataProvider: Logger.MetadataProvider? = nil
    ) -> any LogHandler {
        switch resolved() {
        case .journal:
            let journal = JournaldLogHandler(label: label, writer: writer, metadataProvider: metadataProvider)
            return SwitchedLevelLogHandler(wrapping: journal, levelSwitch: levelSwitch)
        case .auto, .stderr:
            let stream = StreamLogHandler.standardError(label: label, metadataProvider: metadataProvider)
            return SwitchedLevelLogHandler(wrapping: stream, levelSwitch: levelSwitch)
        }
    }

    /// Resolves the target and installs it as swift-log's backend with `LoggingSystem.bootstrap`.
    ///
    /// - Important: swift-log allows one bootstrap per process; call this once, first thing in `main`.
    /// - Parameters:
    ///   - levelSwitch: The level every logger follows until it sets its own; set ``LogLevelSwitch/level`` on a
    ///     configuration reload.
    ///   - writer: The journal writer for the journal target.
    ///   - metadataProvider: Contextual metadata (for example task-local request ids) added to every entry.
    /// - Returns: The concrete target in use, `journal` or `stderr`, to log at start-up.
    @discardableResult
    public func bootstrap(
        levelSwitch: LogLevelSwitch,
        writer: JournalWriter = .shared,
        metadataProvider: Logger.MetadataProvider? = nil
    ) -> LogTarget {
        let target = resolved()
        LoggingSystem.bootstrap(
            { label, provider in
                target.makeHandler(label: label, levelSwitch: levelSwitch, writer: writer, metadataProvider: provider)
            },
            metadataProvider: metadataProvider
        )
        return target
    }
}
