/// One operation queued for a ``SQLiteWorker``: it runs on the worker's thread and then reports its result.
///
/// The worker calls ``execute(_:)`` once and ``finish(failure:)`` once, in that order, unless the job never
/// ran (the worker stopped), in which case only ``finish(failure:)`` is called.
protocol SQLiteJob<Context>: AnyObject, Sendable {
    /// What the job runs against (the worker's connection and its caches).
    associatedtype Context

    /// Whether the writer runs this job inside its group transaction (false: before the transaction starts).
    var transactional: Bool { get }

    /// Runs the operation and keeps its result; returns whether it succeeded.
    func execute(_ context: Context) -> Bool

    /// Hands the result to the waiting caller; `failure` replaces a success when the enclosing transaction
    /// did not commit, and is the error when the job never ran.
    func finish(failure: StorageError?)
}

/// A job wrapping a closure and what to do with its result (resume a waiting task, or fulfil a
/// ``PendingWrite``).
///
/// `@unchecked Sendable`: the submitting task hands the job to the worker through the worker's queue lock;
/// from then on only the worker thread touches `result`.
final class SQLiteTask<Context, Value: Sendable>: SQLiteJob, @unchecked Sendable {
    let transactional: Bool
    private let body: (Context) throws(StorageError) -> Value
    private let completion: @Sendable (Result<Value, StorageError>) -> Void
    private var result: Result<Value, StorageError>?

    init(
        transactional: Bool, body: @escaping (Context) throws(StorageError) -> Value,
        completion: @escaping @Sendable (Result<Value, StorageError>) -> Void
    ) {
        self.transactional = transactional
        self.body = body
        self.completion = completion
    }

    func execute(_ context: Context) -> Bool {
        do {
            result = .success(try body(context))
            return true
        } catch {
            result = .failure(error)
            return false
        }
    }

    func finish(failure: StorageError?) {
        switch (result, failure) {
        case (.success?, let failure?): completion(.failure(failure))
        case (let result?, _): completion(result)
        case (nil, let failure): completion(.failure(failure ?? .backend("the operation did not run")))
        }
    }
}
