import CSystemd
import Glibc
import Synchronization

/// Sends journal entries to systemd-journald from one dedicated thread, so that logging never waits for the journal.
///
/// `sd_journal_sendv(3)` writes to a blocking datagram socket: once journald stops reading (it is SIGSTOPped, or
/// swamped), about a dozen entries fill the socket and the next send blocks until journald reads again. Callers
/// therefore only queue entries here; when the queue is full an entry is dropped and counted, and the next entry that
/// fits is preceded by one entry saying how many were lost (field `OPTUNAD_DROPPED`). Without a journal, sends return
/// at once: libsystemd discards an entry silently when the socket does not exist, and a socket nobody listens on
/// (left by a stopped journald) refuses it, which ``failedCount`` counts.
///
/// Share one writer among all handlers: ``shared`` is the process-wide one that ``JournaldLogHandler`` uses by
/// default.
public final class JournalWriter: Sendable {
    /// The process-wide writer with identifier `optunad`; its thread starts on first use.
    public static let shared = JournalWriter()

    /// The `SYSLOG_IDENTIFIER` of every entry this writer sends; `journalctl -t` filters on it.
    public let identifier: String

    private let queue: BoundedSendQueue<JournalEntry>
    private let failures: FailureCounter

    /// Creates a writer that sends to the journal's socket, `/run/systemd/journal/socket`.
    ///
    /// - Parameters:
    ///   - identifier: The `SYSLOG_IDENTIFIER` for every entry.
    ///   - capacity: The most entries waiting at once; beyond it entries are dropped and counted.
    public convenience init(identifier: String = "optunad", capacity: Int = 4096) {
        self.init(identifier: identifier, capacity: capacity, transport: Self.sendToJournal)
    }

    /// Creates a writer with a replaceable transport, for tests.
    ///
    /// - Parameters:
    ///   - identifier: The `SYSLOG_IDENTIFIER` for every entry.
    ///   - capacity: The most entries waiting at once.
    ///   - transport: Sends one entry and returns 0 or a negative error number, as `sd_journal_sendv` does; it runs
    ///     only on the writer's thread and may block.
    init(identifier: String, capacity: Int, transport: @escaping @Sendable (JournalEntry) -> Int32) {
        let failures = FailureCounter()
        self.identifier = identifier
        self.failures = failures
        self.queue = BoundedSendQueue(
            capacity: capacity,
            threadName: "optunad-journal",
            dropReport: { JournalEntry.droppedReport(count: $0, identifier: identifier) },
            sink: { entry in
                if transport(entry) < 0 {
                    failures.count.add(1, ordering: .relaxed)
                }
            }
        )
    }

    /// Queues an entry; never waits.
    func submit(_ entry: JournalEntry) {
        queue.enqueue(entry)
    }

    /// The number of entries dropped because the queue was full, since the writer was created.
    public var droppedCount: Int {
        queue.droppedCount
    }

    /// The number of entries the journal's socket refused, for example because no journald listens on it.
    ///
    /// An entry sent while the socket does not exist at all is not counted: libsystemd reports success for it.
    public var failedCount: Int {
        failures.count.load(ordering: .relaxed)
    }

    /// Blocks the calling thread until every queued entry has been handed to the journal, or until `timeout` has
    /// passed.
    ///
    /// Call it at shutdown so the last entries are not lost with the process; it is the only method that waits.
    ///
    /// - Parameter timeout: How long to wait at most.
    /// - Returns: `true` if the queue drained in time.
    @discardableResult
    public func flush(timeout: Duration) -> Bool {
        queue.waitUntilIdle(timeout: timeout)
    }

    /// Sends one entry with `sd_journal_sendv`: the fields are laid out in one buffer and pointed at by one iovec
    /// each.
    static func sendToJournal(_ entry: JournalEntry) -> Int32 {
        let payloads = entry.payloads
        var buffer = payloads.flatMap { $0 }
        return buffer.withUnsafeMutableBytes { bytes -> Int32 in
            guard let base = bytes.baseAddress else { return -EINVAL }
            var offset = 0
            var vectors: [iovec] = []
            vectors.reserveCapacity(payloads.count)
            for payload in payloads {
                vectors.append(iovec(iov_base: base + offset, iov_len: payload.count))
                offset += payload.count
            }
            return sd_journal_sendv(vectors, Int32(vectors.count))
        }
    }
}

/// Counts refused sends; a class so the writer's thread and its readers share one atomic.
private final class FailureCounter: Sendable {
    let count = Atomic<Int>(0)
}
