import Dispatch
import Synchronization

@testable import OptunaSystemd

/// A journal transport that records entries instead of sending them, and can hold the writer's thread inside a
/// send until the test opens the gate.
final class RecordingTransport: Sendable {
    private let entries = Mutex<[JournalEntry]>([])
    private let closedGate = Mutex(false)
    private let gate = DispatchSemaphore(value: 0)
    private let entered = DispatchSemaphore(value: 0)
    private let result: Int32

    /// - Parameters:
    ///   - closed: Whether sends wait for ``open()``.
    ///   - result: What each send returns (0, or a negative errno for a refused send).
    init(closed: Bool = false, result: Int32 = 0) {
        closedGate.withLock { $0 = closed }
        self.result = result
    }

    /// The transport to hand to a `JournalWriter`.
    var send: @Sendable (JournalEntry) -> Int32 {
        { [self] entry in
            entries.withLock { $0.append(entry) }
            if closedGate.withLock({ $0 }) {
                entered.signal()
                gate.wait()
            }
            return result
        }
    }

    /// Waits until the writer's thread is held inside a send.
    func waitUntilHeld() {
        entered.wait()
    }

    /// Lets the held send and every later one through.
    func open() {
        closedGate.withLock { $0 = false }
        gate.signal()
    }

    /// What was handed to the transport, in order.
    var recorded: [JournalEntry] {
        entries.withLock { $0 }
    }

    /// The `MESSAGE` of each recorded entry.
    var messages: [String] {
        recorded.map { entry in entry.fields.first { $0.name == "MESSAGE" }?.value ?? "" }
    }
}
