import Synchronization

/// How the writer thread runs a batch: every queued write in one `BEGIN IMMEDIATE … COMMIT`.
///
/// A commit costs one WAL append and, with `synchronous=FULL`, one `fsync`; sharing it among every
/// operation that queued up while the previous commit ran is what lets throughput grow with the number of
/// clients instead of stalling on the disk. Each operation runs in its own `SAVEPOINT`, so one that fails
/// (a duplicate name, a finished trial) is rolled back alone and reports its own error while the others
/// commit. Only when the transaction itself fails (disk full, I/O error, lock timeout) does every
/// operation in the batch get that error, and then none of them was written. Even the transaction
/// statements are prepared once and reused.
enum SQLiteGroupCommit {
    typealias Job = any SQLiteJob<SQLiteWriterContext>

    /// Runs one batch on the writer thread and finishes every job in it.
    static func process(_ context: SQLiteWriterContext, _ jobs: [Job]) {
        context.checkpointer?.restartIfWanted(context.connection)
        var transactional: [Job] = []
        for job in jobs {
            if job.transactional {
                transactional.append(job)
            } else {
                _ = job.execute(context)
                job.finish(failure: nil)
            }
        }
        guard !transactional.isEmpty else { return }
        let failure = runTransaction(context, transactional)
        if failure != nil { context.invalidateCaches() }
        for job in transactional { job.finish(failure: failure) }
    }

    /// Runs transactional jobs in one transaction on the calling thread, as ``process(_:_:)`` would; returns
    /// false (the jobs untouched) when another connection holds the write lock, since waiting for it is the
    /// writer thread's business, never a caller's, or when a job is not transactional.
    static func processInline(_ context: SQLiteWriterContext, _ jobs: [Job]) -> Bool {
        guard jobs.allSatisfy(\.transactional) else { return false }
        switch context.connection.beginImmediateWithoutWaiting() {
        case .busy:
            return false
        case .failed(let error):
            for job in jobs { job.finish(failure: error) }
        case .began:
            let failure = runBegunTransaction(context, jobs)
            if failure != nil { context.invalidateCaches() }
            for job in jobs { job.finish(failure: failure) }
        }
        return true
    }

    /// Runs the jobs in one transaction; returns the error that kept it from committing, if any.
    private static func runTransaction(_ context: SQLiteWriterContext, _ jobs: [Job]) -> StorageError? {
        do {
            try context.connection.run("BEGIN IMMEDIATE")
        } catch {
            return error
        }
        return runBegunTransaction(context, jobs)
    }

    /// Runs the jobs inside the transaction just begun and commits it (or rolls it back).
    private static func runBegunTransaction(_ context: SQLiteWriterContext, _ jobs: [Job]) -> StorageError? {
        let connection = context.connection
        do {
            try context.observeDataVersion()
            // What this transaction leaves is what the next change check compares with.
            connection.recordWALHeaderAtRelease()
            context.tracker.holdingWriteLock.store(true, ordering: .sequentiallyConsistent)
            defer { context.tracker.holdingWriteLock.store(false, ordering: .sequentiallyConsistent) }
            if jobs.count == 1 {
                // A lone operation needs no savepoint: the transaction is its savepoint.
                if !jobs[0].execute(context) {
                    if !connection.isAutocommit { try connection.run("ROLLBACK") }
                    return nil
                }
            } else {
                for job in jobs {
                    try connection.run("SAVEPOINT op")
                    if job.execute(context) {
                        try connection.run("RELEASE op")
                    } else {
                        // SQLite rolls the whole transaction back by itself after some errors (disk full,
                        // I/O); then the earlier operations are gone too and must not report success.
                        if connection.isAutocommit {
                            return .backend("the transaction was rolled back after an error")
                        }
                        try connection.run("ROLLBACK TO op")
                        try connection.run("RELEASE op")
                    }
                }
            }
            try connection.run("COMMIT")
            context.tracker.commits.add(1, ordering: .relaxed)
            context.tracker.operations.add(UInt64(jobs.count), ordering: .relaxed)
            return nil
        } catch {
            if !connection.isAutocommit { try? connection.run("ROLLBACK") }
            return error
        }
    }
}
