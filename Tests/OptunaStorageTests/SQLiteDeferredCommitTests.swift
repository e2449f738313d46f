import Foundation
import OptunaCore
import Synchronization
import Testing

@testable import OptunaStorage

/// Deferred commits (``SQLiteStorage/deferCommits(to:)``): trial writes wait for the scheduler's commit call,
/// then commit together, in order, on the calling thread, or on the writer thread when that cannot be.
@Suite struct SQLiteDeferredCommitTests {
    /// A scheduler that keeps the commit calls for the test to run, and can refuse.
    final class ManualScheduler: Sendable {
        private let calls = Mutex<[@Sendable () -> Void]>([])
        private let refusing = Atomic<Bool>(false)

        var scheduler: DeferredCommitScheduler {
            { commit in
                if self.refusing.load(ordering: .relaxed) { return false }
                self.calls.withLock { $0.append(commit) }
                return true
            }
        }

        var pending: Int { calls.withLock { $0.count } }

        func refuse(_ value: Bool) { refusing.store(value, ordering: .relaxed) }

        /// Runs the commit calls kept so far, on the calling thread.
        func runAll() {
            for call in calls.withLock({ c in defer { c = [] }; return c }) { call() }
        }
    }

    private static let running = FrozenTrial(id: 0, number: 0, state: .running)

    /// A fresh database in its own directory, with one study.
    private struct Fixture {
        let directory: TemporaryDirectory
        let path: String
        let storage: SQLiteStorage
        let study: StudyRecord

        init(_ file: String, synchronous: SQLiteStorage.Synchronous = .normal) async throws {
            directory = try TemporaryDirectory()
            path = directory.path(file)
            storage = try await SQLiteStorage(path: path, synchronous: synchronous)
            study = try await storage.createStudy(name: "s", directions: [.minimize], userAttrs: [:], systemAttrs: [:])
        }
    }

    private func rows(_ path: String) throws -> Int64? {
        let plain = try SQLiteConnection(path: path, readOnly: true, fileSystem: .standard)
        defer { plain.close() }
        return try plain.scalarInt("SELECT count(*) FROM trials")
    }

    @Test func writesWaitForTheCommitCallThenShareOneTransactionInOrder() async throws {
        let fixture = try await Fixture("deferred.db")
        let (path, storage, study) = (fixture.path, fixture.storage, fixture.study)
        let manual = ManualScheduler()
        storage.deferCommits(to: manual.scheduler)
        let before = storage.statistics

        let writes = (0..<3).map { _ in storage.beginCreateTrial(studyID: study.id, template: Self.running) }
        #expect(writes.allSatisfy { $0.result == nil })
        #expect(try rows(path) == 0)
        #expect(manual.pending == 3)

        manual.runAll()
        // The first call committed all three, on this thread, in one transaction; the others found nothing.
        #expect(try writes.map { try #require($0.result).get().number } == [0, 1, 2])
        #expect(storage.statistics.commits == before.commits + 1)
        #expect(storage.statistics.operations == before.operations + 3)
        #expect(try rows(path) == 3)

        // A refused deferral takes the usual path: an idle writer commits at once, on this thread.
        manual.refuse(true)
        let now = storage.beginCreateTrial(studyID: study.id, template: Self.running)
        #expect(try #require(now.result).get().number == 3)
        await storage.close()
    }

    @Test func aLargerGroupStillCommitsAsOneInOrder() async throws {
        let fixture = try await Fixture("group.db")
        let (storage, study) = (fixture.storage, fixture.study)
        let manual = ManualScheduler()
        storage.deferCommits(to: manual.scheduler)
        let before = storage.statistics

        let count = SQLiteStorage.inlineGroupLimit + 1
        let writes = (0..<count).map { _ in storage.beginCreateTrial(studyID: study.id, template: Self.running) }
        manual.runAll()
        var numbers: [Int] = []
        for write in writes { numbers.append(try await write.value().number) }
        #expect(numbers == Array(0..<count))
        #expect(storage.statistics.commits == before.commits + 1)
        await storage.close()
    }

    /// One failing write in a deferred group fails alone; the others commit.
    @Test func aFailingWriteInTheGroupFailsAlone() async throws {
        let fixture = try await Fixture("fail.db")
        let (storage, study) = (fixture.storage, fixture.study)
        let done = try await storage.createTrial(studyID: study.id, template: Self.running)
        _ = try await storage.updateTrial(done.id, TrialUpdate(state: .complete, values: [1]), expecting: .running)
        let manual = ManualScheduler()
        storage.deferCommits(to: manual.scheduler)

        let first = storage.beginCreateTrial(studyID: study.id, template: Self.running)
        let stale = storage.beginUpdateTrial(done.id, TrialUpdate(state: .complete, values: [2]), expecting: .running)
        let last = storage.beginCreateTrial(studyID: study.id, template: Self.running)
        manual.runAll()
        #expect(try #require(first.result).get().number == 1)
        #expect(throws: StorageError.self) { try #require(stale.result).get() }
        #expect(try #require(last.result).get().number == 2)
        let stored = try await storage.trials(studyID: study.id, states: nil)
        #expect(stored.map(\.number) == [0, 1, 2])
        #expect(stored[0].values == [1])
        await storage.close()
    }

    /// The commit call never waits for another process's lock: the group goes to the writer thread, which
    /// waits, and commits it in order once the lock is free.
    @Test func aLockedDatabaseHandsTheGroupToTheWriterThread() async throws {
        let fixture = try await Fixture("locked.db")
        let (path, storage, study) = (fixture.path, fixture.storage, fixture.study)
        let manual = ManualScheduler()
        storage.deferCommits(to: manual.scheduler)

        let other = try SQLiteConnection(path: path, fileSystem: .standard)
        try other.execute("BEGIN IMMEDIATE")
        let writes = (0..<2).map { _ in storage.beginCreateTrial(studyID: study.id, template: Self.running) }
        let start = ContinuousClock.now
        manual.runAll()
        // Returned without waiting for the lock (the busy timeout is five seconds).
        #expect(ContinuousClock.now - start < .seconds(2))
        #expect(writes.allSatisfy { $0.result == nil })
        try other.execute("COMMIT")
        other.close()
        var numbers: [Int] = []
        for write in writes { numbers.append(try await write.value().number) }
        #expect(numbers == [0, 1])
        await storage.close()
    }

    /// With `--sync full` nothing is deferred: every commit waits for the disk, and the writer thread's
    /// group commit is what shares it.
    @Test func fullSyncDoesNotDefer() async throws {
        let fixture = try await Fixture("full.db", synchronous: .full)
        let (storage, study) = (fixture.storage, fixture.study)
        let manual = ManualScheduler()
        storage.deferCommits(to: manual.scheduler)
        let write = storage.beginCreateTrial(studyID: study.id, template: Self.running)
        #expect(manual.pending == 0)
        #expect(try await write.value().number == 0)
        await storage.close()
    }
}

/// ``SQLiteWorker/drainInline(maximum:_:)`` itself: which thread runs a quietly queued group, and in what order.
@Suite struct SQLiteWorkerDrainTests {
    /// Records which batches ran, and whether on the draining caller's thread or the worker's.
    final class Log: Sendable {
        private let entries = Mutex<[(values: [Int], inline: Bool)]>([])
        private let tags = Mutex<[ObjectIdentifier: Int]>([:])
        func tag(_ job: Job, _ value: Int) { tags.withLock { $0[ObjectIdentifier(job)] = value } }
        /// Runs a batch and records it.
        func run(_ jobs: [any SQLiteJob<Int>], _ context: Int, inline: Bool) {
            let values = tags.withLock { t in jobs.map { t[ObjectIdentifier($0)] ?? -1 } }
            for job in jobs { _ = job.execute(context) }
            entries.withLock { $0.append((values, inline)) }
            for job in jobs { job.finish(failure: nil) }
        }
        var batches: [[Int]] { entries.withLock { $0.map(\.values) } }
        var inline: [Bool] { entries.withLock { $0.map(\.inline) } }
    }

    typealias Job = SQLiteTask<Int, Int>

    private func makeWorker(_ log: Log) throws -> SQLiteWorker<Int> {
        try SQLiteWorker<Int>(
            name: "test", context: 0,
            process: { context, jobs in log.run(jobs, context, inline: false) }, shutdown: { _ in })
    }

    private func job(_ value: Int, _ log: Log, _ done: AsyncStream<Int>.Continuation) -> Job {
        let job = Job(transactional: true, body: { _ in value }, completion: { done.yield((try? $0.get()) ?? -1) })
        log.tag(job, value)
        return job
    }

    @Test func smallGroupsRunInlineLargerOnesOnTheThreadInOrder() async throws {
        let log = Log()
        let worker = try makeWorker(log)
        let (results, done) = AsyncStream<Int>.makeStream()
        var finished = results.makeAsyncIterator()
        let attempt: (Int, [any SQLiteJob<Int>]) -> Bool = { context, jobs in
            log.run(jobs, context, inline: true)
            return true
        }

        for v in [1, 2] { #expect(worker.submitQuietly(job(v, log, done))) }
        worker.drainInline(maximum: 2, attempt)
        // Ran before drainInline returned, on this thread.
        #expect(log.batches == [[1, 2]] && log.inline == [true])

        for v in [3, 4, 5] { #expect(worker.submitQuietly(job(v, log, done))) }
        worker.drainInline(maximum: 2, attempt)
        for _ in 0..<5 { _ = await finished.next() }
        #expect(log.batches == [[1, 2], [3, 4, 5]] && log.inline == [true, false])

        // Declined (as when another process holds the lock): back to the head of the queue, for the thread.
        for v in [6, 7] { #expect(worker.submitQuietly(job(v, log, done))) }
        worker.drainInline(maximum: 2) { _, _ in false }
        for _ in 0..<2 { _ = await finished.next() }
        #expect(log.batches.last == [6, 7] && log.inline.last == false)

        // Nothing queued: nothing runs.
        worker.drainInline(maximum: 2, attempt)
        #expect(log.batches.count == 3)
        await worker.stop()
    }
}
