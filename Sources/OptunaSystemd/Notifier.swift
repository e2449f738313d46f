import CSystemd
import Glibc

/// Tells the service manager about the daemon's state with `sd_notify(3)`: readiness, reloads, shutdown, a status
/// line and watchdog keep-alives.
///
/// A notifier is enabled when `NOTIFY_SOCKET` is set at creation (systemd sets it for `Type=notify` services; both
/// file-system paths and `@`-prefixed abstract names work, libsystemd resolves them). Otherwise every method does
/// nothing and no thread is started, so a daemon run by hand or by a test needs no special casing.
///
/// Every message is queued and sent by one dedicated thread, because the notify socket is a blocking datagram socket:
/// a service manager that stops reading would otherwise block the caller. The methods therefore never wait and may be
/// called from an event loop or a Swift concurrency task. Messages are sent in the order they were queued; if more
/// than the queue's capacity are pending, later ones are dropped (see ``droppedCount``).
///
/// Create one notifier at startup and share it; `NOTIFY_SOCKET` stays in the environment because libsystemd reads it
/// on every send.
///
/// ## Topics
/// - ``ready(status:)``
/// - ``reloading()``
/// - ``stopping()``
/// - ``status(_:)``
/// - ``watchdog()``
/// - ``watchdogInterval``
/// - ``flush(timeout:)``
public final class Notifier: Sendable {
    /// The queue feeding the notify thread, or `nil` when `NOTIFY_SOCKET` was unset.
    private let queue: BoundedSendQueue<String>?

    /// Whether `NOTIFY_SOCKET` was set when the notifier was created, so that messages are actually sent.
    public var isEnabled: Bool { queue != nil }

    /// How often to call ``watchdog()``: half of `WATCHDOG_USEC`, as `sd_watchdog_enabled(3)` recommends, or `nil`
    /// when the service has no watchdog.
    ///
    /// It is `nil` when `WATCHDOG_USEC` is unset, zero or malformed, when `WATCHDOG_PID` names another process, or when
    /// the notifier is disabled (a keep-alive could not be delivered anyway).
    public let watchdogInterval: Duration?

    /// Reads `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID`, and starts the notify thread if there is a socket.
    ///
    /// - Parameter capacity: The most messages waiting to be sent at once; later ones are dropped.
    public init(capacity: Int = 64) {
        guard let socket = getenv("NOTIFY_SOCKET"), socket.pointee != 0 else {
            queue = nil
            watchdogInterval = nil
            return
        }
        queue = BoundedSendQueue(capacity: capacity, threadName: "optunad-notify") { state in
            // The result is ignored on purpose: there is nobody to tell if the service manager is gone.
            _ = sd_notify(0, state)
        }
        var microseconds: UInt64 = 0
        if sd_watchdog_enabled(0, &microseconds) > 0, microseconds > 0 {
            watchdogInterval = .microseconds(Int64(clamping: max(microseconds / 2, 1)))
        } else {
            watchdogInterval = nil
        }
    }

    /// Reports that start-up (or a reload) is complete: sends `READY=1`, with a status line if given.
    ///
    /// For a `Type=notify` service, systemd considers the service started only now, so call it once the storage is open
    /// and the listening socket accepts connections.
    ///
    /// - Parameter status: An optional status line sent in the same message.
    public func ready(status: String? = nil) {
        send(["READY=1"] + Self.statusAssignment(status))
    }

    /// Reports that the daemon is reloading its configuration: sends `RELOADING=1` with `MONOTONIC_USEC`.
    ///
    /// Call ``ready(status:)`` when the reload is done.
    public func reloading() {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let microseconds = Int(now.tv_sec) * 1_000_000 + Int(now.tv_nsec) / 1_000
        send(["RELOADING=1", "MONOTONIC_USEC=\(microseconds)"])
    }

    /// Reports that the daemon is shutting down: sends `STOPPING=1`.
    public func stopping() {
        send(["STOPPING=1"])
    }

    /// Sets the free-form status line shown by `systemctl status`: sends `STATUS=…`.
    ///
    /// - Parameter text: One line for a person to read; line breaks are replaced by spaces.
    public func status(_ text: String) {
        send(Self.statusAssignment(text))
    }

    /// Sends a watchdog keep-alive, `WATCHDOG=1`.
    ///
    /// Call it every ``watchdogInterval`` from a task that proves the daemon still does its work, not from a bare
    /// timer, so that a wedged daemon stops sending it and systemd restarts it.
    public func watchdog() {
        send(["WATCHDOG=1"])
    }

    /// The number of messages dropped because the queue was full.
    public var droppedCount: Int {
        queue?.droppedCount ?? 0
    }

    /// Blocks the calling thread until every queued message has been sent, or until `timeout` has passed.
    ///
    /// Call it after ``stopping()`` just before the process exits, so the last messages are not lost with the
    /// process; it is the only method that waits.
    ///
    /// - Parameter timeout: How long to wait at most.
    /// - Returns: `true` if everything was sent in time (or the notifier is disabled).
    @discardableResult
    public func flush(timeout: Duration) -> Bool {
        queue?.waitUntilIdle(timeout: timeout) ?? true
    }

    private func send(_ assignments: [String]) {
        guard let queue, !assignments.isEmpty else { return }
        queue.enqueue(assignments.joined(separator: "\n"))
    }

    /// `STATUS=text` with line breaks replaced, since a newline would start another assignment.
    static func statusAssignment(_ text: String?) -> [String] {
        guard let text else { return [] }
        let oneLine = String(text.map { $0.isNewline ? " " : $0 })
        return ["STATUS=\(oneLine)"]
    }
}
