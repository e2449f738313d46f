/// The waiting list of a first-in, first-out gate that lets one operation run at a time across suspension points.
///
/// Actors are reentrant: while an ask awaits its storage write, another ask could enter the same actor and
/// sample from the same history. Every study operation therefore passes through ``StudyActor/exclusive(_:)``,
/// so operations on one study run strictly one after another, in arrival order.
struct AsyncSerialGate {
    var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var head = 0

    /// Queues a waiter.
    mutating func append(_ waiter: CheckedContinuation<Void, Never>) { waiters.append(waiter) }

    /// The next waiter to hand the gate to, or nil (the gate is then free).
    mutating func next() -> CheckedContinuation<Void, Never>? {
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
    /// Runs `body` when every operation that arrived before it has finished.
    func exclusive<T>(_ body: () async throws -> T) async throws -> T {
        if gate.busy {
            await withCheckedContinuation { gate.append($0) }
        } else {
            gate.busy = true
        }
        defer { gate.next()?.resume() }
        return try await body()
    }
}
