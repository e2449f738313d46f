/// The waiting list of a first-in, first-out gate that lets one operation run at a time across suspension points.
///
/// Actors are reentrant: while an ask awaits its storage write, another ask could enter the same actor and
/// sample from the same history. Every study operation therefore passes through ``StudyActor/exclusive(_:)``,
/// so operations on one study run strictly one after another, in arrival order.
struct AsyncSerialGate {
    var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var head = 0
    /// Counts the operations that entered, so one that handed the gate on early does not hand it on again.
    private var turn: UInt64 = 0
    /// Whether the operation that entered last still holds the gate.
    private var held = false

    /// Marks the gate held by a new operation and returns its turn.
    mutating func enter() -> UInt64 {
        turn &+= 1
        held = true
        return turn
    }

    /// Whether the operation of `turn` still holds the gate.
    func isHeld(by turn: UInt64) -> Bool { held && self.turn == turn }

    /// Gives up the gate: the waiter to resume next, or nil (also when the gate was not held).
    mutating func leave() -> CheckedContinuation<Void, Never>? {
        guard held else { return nil }
        held = false
        return next()
    }

    /// How many operations are waiting for the gate.
    var waiterCount: Int { waiters.count - head }

    /// Whether operations are waiting for the gate.
    var hasWaiters: Bool { waiterCount > 0 }

    /// Queues a waiter.
    mutating func append(_ waiter: CheckedContinuation<Void, Never>) { waiters.append(waiter) }

    /// The next waiter to hand the gate to, or nil (the gate is then free).
    private mutating func next() -> CheckedContinuation<Void, Never>? {
        guard head < waiters.count else {
            waiters.removeAll(keepingCapacity: true)
            head = 0
            busy = false
            return nil
        }
        let n = waiters[head]
        head += 1
        if head >= 64, head * 2 >= waiters.count {
            waiters.removeFirst(head)
            head = 0
        }
        return n
    }
}

extension StudyActor {
    /// Runs `body` when every operation that arrived before it has finished, or has handed the gate on
    /// early with ``releaseGate()``.
    func exclusive<T>(_ body: () async throws -> T) async throws -> T {
        if gate.busy {
            await withCheckedContinuation { gate.append($0) }
        } else {
            gate.busy = true
        }
        let mine = gate.enter()
        defer { if gate.isHeld(by: mine) { releaseGate() } }
        return try await body()
    }

    /// Hands the gate to the next operation now, while the current one goes on without it.
    ///
    /// An operation calls this once everything later operations must see is in the cache and its storage
    /// writes are queued (they commit in queue order), so that it only waits for its commit: operations
    /// behind it sample from the updated cache, queue their own writes, and share that commit. After
    /// releasing, the operation may touch the actor's state only in synchronous steps that later
    /// operations tolerate (settling its own provisional trial). Does nothing when the gate is not held.
    func releaseGate() {
        gate.leave()?.resume()
    }
}
