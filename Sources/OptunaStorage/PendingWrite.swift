import Synchronization

/// The outcome of a write that was queued synchronously and commits later (see
/// ``Storage/beginCreateTrial(studyID:template:)``).
///
/// Queuing and waiting are separate so that a caller can queue writes in a fixed order while it holds a lock,
/// release the lock, and only then wait for the commit: writes from many callers then share one transaction.
/// The result is set exactly once; ``value()`` may be awaited by any number of tasks, before or after that.
public final class PendingWrite<Value: Sendable>: Sendable {
    private enum State {
        case waiting([CheckedContinuation<Result<Value, StorageError>, Never>])
        case done(Result<Value, StorageError>)
    }

    private let state: Mutex<State>

    /// A write whose result comes later, through ``fulfil(_:)``.
    public init() {
        state = Mutex(.waiting([]))
    }

    /// A write that has already committed (or failed).
    public init(_ result: Result<Value, StorageError>) {
        state = Mutex(.done(result))
    }

    /// The result, if the write has finished; never waits.
    public var result: Result<Value, StorageError>? {
        state.withLock { s in
            if case .done(let r) = s { return r }
            return nil
        }
    }

    /// Sets the result and resumes every waiter; later calls are ignored (the first result stands).
    public func fulfil(_ result: Result<Value, StorageError>) {
        let waiters = state.withLock { (s) -> [CheckedContinuation<Result<Value, StorageError>, Never>] in
            guard case .waiting(let w) = s else { return [] }
            s = .done(result)
            return w
        }
        for w in waiters { w.resume(returning: result) }
    }

    /// Waits until the write committed and returns what it wrote.
    /// - Throws: the write's ``StorageError``; the write then did not happen.
    public func value() async throws(StorageError) -> Value {
        if let r = result { return try r.get() }
        let r = await withCheckedContinuation { (c: CheckedContinuation<Result<Value, StorageError>, Never>) in
            let now = state.withLock { (s) -> Result<Value, StorageError>? in
                switch s {
                case .done(let r): return r
                case .waiting(var w):
                    w.append(c)
                    s = .waiting(w)
                    return nil
                }
            }
            if let now { c.resume(returning: now) }
        }
        return try r.get()
    }
}
