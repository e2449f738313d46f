#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A dedicated OS thread that owns one SQLite connection (inside `Context`) and runs queued jobs on it.
///
/// SQLite calls block (on disk, on `fsync`, on another process's lock for up to the busy timeout), so they
/// never run on Swift's cooperative thread pool: tasks queue a job here and suspend until the thread
/// resumes them. Each time the thread wakes it takes *every* queued job at once and hands the batch to
/// `process`; the writer uses that to commit the whole batch in one transaction (group commit).
///
/// A caller may also queue jobs without waking the thread (``submitQuietly(_:)``) and then run the queue as
/// one batch on its own thread (``drainInline(maximum:_:)``): a single job with nothing else queued saves two
/// thread wake-ups, and several make a group commit without any thread hand-off. Jobs still run in
/// submission order: while a caller runs a batch inline the thread takes none.
///
/// `@unchecked Sendable`: `queue`, `stopping`, `finished`, `stopWaiters`, `threadBusy`, `inlineActive` and
/// `threadWanted` are guarded by `queueLock`; `context` is touched only with `contextLock` held (by the
/// thread for each batch, by an inline run, or by ``withContextIfIdle(_:)``).
final class SQLiteWorker<Context>: @unchecked Sendable {
    typealias Job = any SQLiteJob<Context>

    private let queueLock = ConditionLock()
    private var queue: [Job] = []
    private var stopping = false
    private var finished = false
    private var stopWaiters: [CheckedContinuation<Void, Never>] = []
    /// The thread has taken a batch and not finished it.
    private var threadBusy = false
    /// A caller is running a job inline; the thread takes no batch meanwhile.
    private var inlineActive = false
    /// The queue is the thread's to run: something was submitted for it, or handed to it. Jobs queued
    /// quietly wait for their caller's drain instead (spurious wake-ups of the thread do not take them).
    private var threadWanted = false
    private let contextLock = ConditionLock()
    private let context: Context
    private let process: (Context, [Job]) -> Void
    private let shutdown: (Context) -> Void

    /// Starts the thread.
    ///
    /// - Parameters:
    ///   - name: The thread's name, set where the platform offers a portable call for it (Darwin).
    ///   - context: What jobs run against; owned by the thread from now on.
    ///   - process: Runs one batch of jobs and finishes each of them.
    ///   - shutdown: Runs once on the thread after the last batch (closes the connection).
    init(
        name: String, context: Context, process: @escaping (Context, [Job]) -> Void,
        shutdown: @escaping (Context) -> Void
    ) throws(StorageError) {
        self.context = context
        self.process = process
        self.shutdown = shutdown
        try Self.spawn(name: name) { [self] in self.run() }
    }

    /// Queues a job; false (and the job untouched) when the worker is stopping.
    func submit(_ job: Job) -> Bool {
        queueLock.withLock {
            guard !stopping else { return false }
            queue.append(job)
            threadWanted = true
            queueLock.signal()
            return true
        }
    }

    /// Queues a job without waking the thread; the caller promises a ``drainInline(maximum:_:)`` soon, which
    /// runs it or hands it to the thread. Until then the thread leaves it alone, unless a ``submit(_:)`` after
    /// it hands it the queue (order is kept either way). False (and the job untouched) when the worker is
    /// stopping; stopping runs every queued job.
    func submitQuietly(_ job: Job) -> Bool {
        queueLock.withLock {
            guard !stopping else { return false }
            queue.append(job)
            return true
        }
    }

    /// Runs everything queued as one batch on the calling thread when the thread is idle and at most
    /// `maximum` jobs are queued; otherwise wakes the thread to run them. Does nothing when nothing is queued.
    ///
    /// `attempt` runs the batch and finishes every job, or returns false to leave them untouched (another
    /// process holds the database's write lock); they then go back to the head of the queue, in order, and
    /// the thread is woken for them.
    func drainInline(maximum: Int, _ attempt: (Context, [Job]) -> Bool) {
        let batch = queueLock.withLock { () -> [Job]? in
            guard !queue.isEmpty else { return nil }
            guard !stopping, !threadBusy, !inlineActive, queue.count <= maximum else {
                threadWanted = true
                queueLock.signal()
                return nil
            }
            inlineActive = true
            let batch = queue
            queue.removeAll(keepingCapacity: true)
            return batch
        }
        guard let batch else { return }
        let done = contextLock.withLock { attempt(context, batch) }
        queueLock.withLock {
            if !done {
                queue.insert(contentsOf: batch, at: 0)
                threadWanted = true
            }
            inlineActive = false
            if (threadWanted && !queue.isEmpty) || stopping { queueLock.signal() }
        }
    }

    /// Wakes the thread if anything is queued (jobs queued quietly that are not to run inline).
    func wake() {
        queueLock.withLock {
            if !queue.isEmpty {
                threadWanted = true
                queueLock.signal()
            }
        }
    }

    /// Runs `body` on the calling thread with the context if the worker thread is not using it right now.
    func withContextIfIdle<T>(_ body: (Context) -> T) -> T? {
        contextLock.withLockIfAvailable { body(context) }
    }

    /// Lets the queued jobs run, then ends the thread; returns once `shutdown` has run.
    func stop() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = queueLock.withLock { () -> Bool in
                stopping = true
                if finished { return true }
                stopWaiters.append(continuation)
                queueLock.signal()
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Asks the thread to end after the queued jobs, without waiting.
    func requestStop() {
        queueLock.withLock {
            stopping = true
            queueLock.signal()
        }
    }

    private func nextBatch() -> [Job]? {
        queueLock.withLock {
            while (!(threadWanted && !queue.isEmpty) && !stopping) || inlineActive { queueLock.wait() }
            if queue.isEmpty { return nil }
            threadWanted = false
            let batch = queue
            queue.removeAll(keepingCapacity: true)
            threadBusy = true
            return batch
        }
    }

    private func run() {
        while let batch = nextBatch() {
            contextLock.withLock { process(context, batch) }
            queueLock.withLock { threadBusy = false }
        }
        contextLock.withLock { shutdown(context) }
        let waiters = queueLock.withLock { () -> [CheckedContinuation<Void, Never>] in
            finished = true
            defer { stopWaiters = [] }
            return stopWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Starts a detached POSIX thread running `body`.
    private static func spawn(name: String, _ body: @escaping () -> Void) throws(StorageError) {
        let box = Unmanaged.passRetained(ThreadStart(name: name, body: body)).toOpaque()
        #if canImport(Darwin)
            var thread: pthread_t?
            let rc = pthread_create(
                &thread, nil,
                { raw in
                    let start = Unmanaged<ThreadStart>.fromOpaque(raw).takeRetainedValue()
                    pthread_setname_np(start.name)
                    start.body()
                    return nil
                }, box)
            if rc == 0, let thread { pthread_detach(thread) }
        #else
            var thread = pthread_t()
            let rc = pthread_create(
                &thread, nil,
                { raw in
                    guard let raw else { return nil }
                    Unmanaged<ThreadStart>.fromOpaque(raw).takeRetainedValue().body()
                    return nil
                }, box)
            if rc == 0 { pthread_detach(thread) }
        #endif
        if rc != 0 {
            Unmanaged<ThreadStart>.fromOpaque(box).release()
            throw .backend("cannot start a storage thread (error \(rc))")
        }
    }
}

/// What a new thread runs, passed through `pthread_create`'s context pointer.
private final class ThreadStart {
    let name: String
    let body: () -> Void

    init(name: String, body: @escaping () -> Void) {
        self.name = name
        self.body = body
    }
}
