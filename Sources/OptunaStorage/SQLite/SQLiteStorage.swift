public import FoundationEssentials
public import OptunaCore
import Synchronization

/// A storage in one SQLite file, in Optuna's own schema (`--storage sqlite:///path`).
///
/// The file is an ordinary Optuna RDB database at alembic revision `v3.2.0.a`: `optuna.load_study`,
/// `optuna-dashboard` and Python workers open it unmodified, and optunad continues studies Python
/// Optuna (3.2 or later) wrote. An empty file gets the schema; a file at any other revision is refused
/// with ``StorageError/unsupportedSchema(_:)`` and left untouched.
///
/// ## Threads and transactions
/// Three dedicated threads own one connection each, so SQLite never blocks Swift's cooperative pool:
/// - the **writer** (WAL mode, `BEGIN IMMEDIATE`, prepared statements) group-commits: all writes queued
///   while a commit runs share the next transaction, each in its own savepoint (``SQLiteGroupCommit``);
/// - the **reader** serves lookups and trial loads from its own snapshot, without waiting for writes;
/// - the **checkpointer** copies the WAL into the database file, so no commit pays for that
///   (``SQLiteCheckpointer``).
///
/// With ``Synchronous/normal``, a trial write queued while the writer is idle, and with no other write about
/// to follow (see ``beginCreateTrial(studyID:template:shareCommit:)``), runs at once on the calling thread
/// instead: a commit then costs tens of microseconds, less than waking the writer thread twice. When the
/// daemon has other requests in flight, the server defers it instead (``deferCommits(to:)``): the writes its
/// event loop queues in one turn commit together on that thread at the end of the turn, a group commit
/// without thread hand-offs; a larger group goes to the writer thread. Neither waits for anybody: when
/// another process holds the write lock the writes go to the writer thread.
///
/// Every write returns after its transaction committed, with the durability `synchronous` chooses:
/// ``Synchronous/normal`` survives a crash of optunad but may lose the last commits on power loss;
/// ``Synchronous/full`` survives power loss too, at the cost of an `fsync` per (group) commit.
///
/// ## Other writers
/// Python Optuna or optuna-dashboard may write the same file. Their commits are noticed through
/// `PRAGMA data_version` on the writer connection (it moves only when *another* connection commits) and
/// counted by ``externalChangeCount()``. Opening never reads trials: a study's trials are read when
/// ``trials(studyID:states:)`` asks for them.
public final class SQLiteStorage: Storage {
    /// SQLite's `synchronous` setting for the writer (`--sync normal|full`).
    ///
    /// Either way a call returns only after its transaction committed, and the file is never left corrupt.
    public enum Synchronous: String, Sendable, CaseIterable {
        /// `synchronous=NORMAL`: a commit is written to the WAL but not `fsync`ed. Everything acknowledged
        /// survives optunad crashing or being killed; a power loss or kernel crash may roll back the commits
        /// since the last checkpoint (the database reopens consistent, without them).
        case normal
        /// `synchronous=FULL`: the WAL is `fsync`ed before each (group) commit returns, so acknowledged
        /// writes survive power loss too. Group commit shares one `fsync` among all waiting writes.
        case full
    }

    /// The database file.
    public let path: String
    /// `sqlite:///<path>`, for logs and `hello`.
    public let descriptionForClients: String
    /// `optunad-<version>`, written into `version_info` of files this storage creates.
    let libraryVersion: String
    let writer: SQLiteWorker<SQLiteWriterContext>
    let reader: SQLiteWorker<SQLiteConnection>
    private let checkpointer: SQLiteCheckpointer
    private let tracker: SQLiteChangeTracker
    /// Whether trial writes may run on the caller's thread when the writer is idle (``Synchronous/normal``).
    private let inlineWrites: Bool
    /// Who commits deferred trial writes, once the server has said (``deferCommits(to:)``). Boxed: a closure
    /// read out of a generic container comes back wrapped in another conversion thunk on every read.
    private let deferral = Mutex<CommitScheduler?>(nil)
    /// The most deferred writes committed on the calling thread; a larger group is the writer thread's.
    static let inlineGroupLimit = 4

    /// Opens (creating if needed) the database at `path` and checks its schema.
    ///
    /// - Parameters:
    ///   - path: The file; relative paths resolve against the working directory.
    ///   - synchronous: The durability of a commit.
    ///   - busyTimeout: How long a statement waits for another process's lock before failing.
    ///   - optunadVersion: Written as `optunad-<version>` into `version_info.library_version` of a new file.
    /// - Throws: ``StorageError/unsupportedSchema(_:)`` for a file at a revision optunad does not read (left
    ///   untouched), ``StorageError/backend(_:)`` when the file cannot be opened or is not SQLite.
    public init(
        path: String, synchronous: Synchronous = .normal, busyTimeout: Duration = .seconds(5),
        optunadVersion: String = "0.1.0"
    ) async throws(StorageError) {
        self.path = path
        self.descriptionForClients = StorageURL.sqlite(path: path).description
        let libraryVersion = "optunad-\(optunadVersion)"
        self.libraryVersion = libraryVersion
        let components = busyTimeout.components
        let timeout = Int32(clamping: components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000)
        let tracker = SQLiteChangeTracker()
        let writer = try SQLiteWorker(
            name: "optunad-sqlw",
            context: SQLiteWriterContext(connection: try SQLiteConnection(path: path), tracker: tracker),
            process: SQLiteGroupCommit.process, shutdown: { $0.close() })
        let reader: SQLiteWorker<SQLiteConnection>
        let checkpointer: SQLiteCheckpointer
        do {
            reader = try SQLiteWorker(
                name: "optunad-sqlr", context: try SQLiteConnection(path: path), process: Self.processReads,
                shutdown: { $0.close() })
        } catch {
            await writer.stop()
            throw error
        }
        do {
            checkpointer = try SQLiteCheckpointer(path: path)
        } catch {
            await reader.stop()
            await writer.stop()
            throw error
        }
        do {
            try await Self.perform(on: writer, transactional: false) { (context) throws(StorageError) in
                let connection = context.connection
                connection.setBusyTimeout(milliseconds: timeout)
                _ = try SQLiteMigrator.prepare(connection, libraryVersion: libraryVersion)
                let mode = try connection.scalarText("PRAGMA journal_mode = WAL")
                guard mode?.lowercased() == "wal" else {
                    throw .backend("cannot switch '\(path)' to WAL mode (journal_mode is \(mode ?? "unknown"))")
                }
                try connection.execute("PRAGMA synchronous = \(synchronous.rawValue.uppercased())")
                context.attach(checkpointer)
                try context.observeDataVersion()
            }
            try await Self.perform(on: reader, transactional: false) { (connection) throws(StorageError) in
                connection.setBusyTimeout(milliseconds: timeout)
                // Loads of large studies read most of the file: map it instead of copying pages through read().
                try connection.execute("PRAGMA query_only = 1; PRAGMA mmap_size = 1073741824")
            }
        } catch {
            await reader.stop()
            await writer.stop()
            await checkpointer.stop()
            throw error
        }
        self.tracker = tracker
        self.checkpointer = checkpointer
        self.inlineWrites = synchronous == .normal
        self.writer = writer
        self.reader = reader
    }

    deinit {
        reader.requestStop()
        writer.requestStop()
        checkpointer.requestStop()
    }

    // MARK: Studies

    /// Inserts the study, its directions and attributes in one transaction.
    /// - Throws: ``StorageError/duplicateStudyName(_:)``.
    public func createStudy(
        name: String, directions: [StudyDirection], userAttrs: [String: JSONValue], systemAttrs: [String: JSONValue]
    ) async throws(StorageError) -> StudyRecord {
        try await write { (c) throws(StorageError) in
            try c.createStudy(name: name, directions: directions, userAttrs: userAttrs, systemAttrs: systemAttrs)
        }
    }

    /// Deletes the study and every row that hangs off it (trial rows first: SQLite does not cascade here).
    /// - Throws: ``StorageError/studyIDNotFound(_:)``.
    public func deleteStudy(id: Int64) async throws(StorageError) {
        try await write { (c) throws(StorageError) in try c.deleteStudy(id: id) }
    }

    /// Reads the study with this name. - Throws: ``StorageError/studyNotFound(name:)``.
    public func study(named name: String) async throws(StorageError) -> StudyRecord {
        try await read { (c) throws(StorageError) in try SQLiteStudyReader.study(c, named: name) }
    }

    /// Reads the study with this id. - Throws: ``StorageError/studyIDNotFound(_:)``.
    public func study(id: Int64) async throws(StorageError) -> StudyRecord {
        try await read { (c) throws(StorageError) in try SQLiteStudyReader.study(c, id: id) }
    }

    /// Reads every study (without trials), ordered by id.
    public func allStudies() async throws(StorageError) -> [StudyRecord] {
        try await read { (c) throws(StorageError) in try SQLiteStudyReader.all(c) }
    }

    /// Upserts one row of `study_user_attributes`. - Throws: ``StorageError/studyIDNotFound(_:)``.
    public func setStudyUserAttr(studyID: Int64, key: String, value: JSONValue) async throws(StorageError) {
        try await write { (c) throws(StorageError) in
            try c.setStudyAttr(table: "study_user_attributes", studyID: studyID, key: key, value: value)
        }
    }

    /// Upserts one row of `study_system_attributes`. - Throws: ``StorageError/studyIDNotFound(_:)``.
    public func setStudySystemAttr(studyID: Int64, key: String, value: JSONValue) async throws(StorageError) {
        try await write { (c) throws(StorageError) in
            try c.setStudyAttr(table: "study_system_attributes", studyID: studyID, key: key, value: value)
        }
    }

    // MARK: Trials

    /// Queues the insertion of a trial numbered after the study's trials (counted inside the transaction, as
    /// Optuna does). It commits at once on the calling thread when ``begin(inlineAllowed:_:)`` allows it,
    /// else it joins the writer thread's next group commit. The result is the trial as stored (dates rounded
    /// to the microsecond), or ``StorageError/studyIDNotFound(_:)``.
    public func beginCreateTrial(studyID: Int64, template: FrozenTrial, shareCommit: Bool)
        -> PendingWrite<FrozenTrial>
    {
        begin(inlineAllowed: !shareCommit) { (c) throws(StorageError) in
            try c.createTrial(studyID: studyID, template: template)
        }
    }

    /// Queues `update` of a trial in state `expecting` (checked inside the transaction), committed as
    /// ``beginCreateTrial(studyID:template:shareCommit:)`` says. Fails with ``StorageError/trialNotFound(_:)``
    /// or ``StorageError/trialStateMismatch(trialID:number:expected:actual:)``.
    public func beginUpdateTrial(_ trialID: Int64, _ update: TrialUpdate, expecting: TrialState, shareCommit: Bool)
        -> PendingWrite<FrozenTrial>
    {
        begin(inlineAllowed: !shareCommit) { (c) throws(StorageError) in
            try c.updateTrial(trialID, update, expecting: expecting)
        }
    }

    /// Submits a write without waiting for it. With ``Synchronous/normal`` it is queued quietly and committed
    /// on the calling thread: at the end of the event loop's turn when the scheduler takes it
    /// (``deferCommits(to:)``), else at once unless `inlineAllowed` is false (`shareCommit`). Otherwise, or
    /// when that cannot be (see ``commitQueued(maximum:)``), the writer thread commits it.
    private func begin<T: Sendable>(
        inlineAllowed: Bool, _ body: @escaping @Sendable (SQLiteWriterContext) throws(StorageError) -> T
    ) -> PendingWrite<T> {
        let pending = PendingWrite<T>()
        let task = SQLiteTask(transactional: true, body: body) { pending.fulfil($0) }
        let scheduler = inlineWrites ? deferral.withLock({ $0 }) : nil
        let deferred =
            scheduler?.schedule({ [weak self] in self?.commitQueued(maximum: Self.inlineGroupLimit) }) ?? false
        let now = !deferred && inlineAllowed && inlineWrites
        guard deferred || now ? writer.submitQuietly(task) : writer.submit(task) else {
            task.finish(failure: .backend("the storage is closed"))
            return pending
        }
        // Alone in the queue, the write commits here; with anything else queued, the writer thread takes them.
        if now { commitQueued(maximum: 1) }
        return pending
    }

    /// Has `scheduler` commit trial writes at the end of the calling event loop's turn (``Synchronous/normal``
    /// only; with ``Synchronous/full`` every commit waits for the disk, and sharing it across the writer
    /// thread's batches is what counts).
    public func deferCommits(to scheduler: @escaping DeferredCommitScheduler) {
        let box = CommitScheduler(scheduler)
        deferral.withLock { $0 = box }
    }

    /// Commits the writes queued quietly: on the calling thread, in one transaction, when there are at most
    /// `maximum` of them, the writer thread is idle, no WAL restart is due and no other process holds the
    /// write lock; otherwise the writer thread takes them.
    func commitQueued(maximum: Int) {
        if checkpointer.restartWanted.load(ordering: .relaxed) {
            writer.wake()
            return
        }
        writer.drainInline(maximum: maximum, SQLiteGroupCommit.processInline)
    }

    /// Reads one trial. - Throws: ``StorageError/trialNotFound(_:)``.
    public func trial(id: Int64) async throws(StorageError) -> FrozenTrial {
        try await read { (c) throws(StorageError) in try SQLiteTrialReader.trial(c, id: id) }
    }

    /// The study a trial belongs to. - Throws: ``StorageError/trialNotFound(_:)``.
    public func studyID(ofTrial trialID: Int64) async throws(StorageError) -> Int64 {
        try await read { (c) throws(StorageError) in
            guard let id = try c.scalarInt("SELECT study_id FROM trials WHERE trial_id = ?", { $0.bind(1, trialID) })
            else { throw .trialNotFound(trialID) }
            return id
        }
    }

    /// Reads a study's trials (one snapshot, six queries) in number order.
    /// - Throws: ``StorageError/studyIDNotFound(_:)``.
    public func trials(studyID: Int64, states: Set<TrialState>?) async throws(StorageError) -> [FrozenTrial] {
        try await read { (c) throws(StorageError) in
            guard try SQLiteStudyReader.exists(c, id: studyID) else { throw .studyIDNotFound(studyID) }
            return try SQLiteTrialReader.read(c, .study(studyID, states: states))
        }
    }

    /// Reads, in one read transaction, the trials `known` holds as unfinished and those stored after its
    /// largest id, once a count over the study's index shows that the trials up to that id are the ones it
    /// holds: the work grows with the running and new trials, not with the history.
    public func refreshTrials(studyID: Int64, known: KnownTrials) async throws(StorageError) -> [FrozenTrial]? {
        try await read { (c) throws(StorageError) -> [FrozenTrial]? in
            guard try SQLiteStudyReader.exists(c, id: studyID) else { throw .studyIDNotFound(studyID) }
            var held = 0
            try c.query(
                "SELECT COUNT(*) FROM trials WHERE study_id = ?1 AND trial_id <= ?2",
                { $0.bind(1, studyID); $0.bind(2, known.lastID) }
            ) { row in held = Int(row.int64(0)) }
            guard held == known.count else { return nil }
            var read = try SQLiteTrialReader.read(c, .studyAfter(studyID, id: known.lastID))
            for id in known.unfinished {
                guard let trial = try SQLiteTrialReader.read(c, .trial(id)).first else { return nil }
                read.append(trial)
            }
            read.sort { ($0.number, $0.id) < ($1.number, $1.id) }
            return read
        }
    }

    /// Writes the trial's heartbeat into `trial_heartbeats`, where Python workers running with
    /// `heartbeat_interval` look for it. - Throws: ``StorageError/trialNotFound(_:)``.
    public func recordHeartbeat(trialID: Int64, at date: Date) async throws(StorageError) {
        try await write { (c) throws(StorageError) in try c.recordHeartbeat(trialID: trialID, at: date) }
    }

    // MARK: Other writers, closing

    /// Counts commits by other connections (Python Optuna, the dashboard, a second optunad).
    ///
    /// Usually answered without a thread hop: when the writer is idle and the WAL index header in shared
    /// memory is what the writer recorded when it last looked (at its last commit, under the write lock, or
    /// before its last `PRAGMA data_version`), nobody has committed since; if the header moved,
    /// `PRAGMA data_version` runs right here (with lock waits off, so a busy file never blocks the calling
    /// thread). While the writer holds the write lock nobody else can commit, so the count it took under
    /// that lock is current. Otherwise the check queues behind the running batch.
    public func externalChangeCount() async throws(StorageError) -> UInt64 {
        if let count = externalChangeCountWithoutWaiting() { return count }
        let tracker = self.tracker
        return try await Self.perform(on: writer, transactional: false) { (context) throws(StorageError) in
            try context.observeDataVersion()
            return tracker.externalChanges.load(ordering: .sequentiallyConsistent)
        }
    }

    /// The count when the writer is idle (checked here, see ``externalChangeCount()``) or holds the write
    /// lock; nil when it is busy without the lock, or the check would have to wait for a lock on the file.
    public func externalChangeCountWithoutWaiting() -> UInt64? {
        let tracker = self.tracker
        let idle = writer.withContextIfIdle { (context) -> UInt64? in
            // Nobody committed since this connection last looked (the WAL index header is unchanged):
            // then data_version has not moved either, and no read transaction is needed to say so.
            if context.connection.walUnchangedSinceRecorded {
                return tracker.externalChanges.load(ordering: .sequentiallyConsistent)
            }
            return try? context.connection.withoutWaiting { () throws(StorageError) -> UInt64 in
                try context.observeDataVersion()
                return tracker.externalChanges.load(ordering: .sequentiallyConsistent)
            }
        }
        if let count = idle ?? nil { return count }
        if tracker.holdingWriteLock.load(ordering: .sequentiallyConsistent) {
            return tracker.externalChanges.load(ordering: .sequentiallyConsistent)
        }
        return nil
    }

    /// Counters of the writer since this storage opened.
    public struct Statistics: Hashable, Sendable {
        /// Transactions committed.
        public var commits: UInt64
        /// Write operations those transactions carried; `operations / commits` is the mean group size.
        public var operations: UInt64
        /// Commits by other connections noticed so far (``externalChangeCount()``'s last value).
        public var externalChanges: UInt64
        /// WAL checkpoints the checkpoint thread has run.
        public var checkpoints: UInt64
        /// Times the writer started the WAL over from its beginning.
        public var walRestarts: UInt64
    }

    /// The writer's counters, read without waiting for it.
    public var statistics: Statistics {
        Statistics(
            commits: tracker.commits.load(ordering: .relaxed), operations: tracker.operations.load(ordering: .relaxed),
            externalChanges: tracker.externalChanges.load(ordering: .relaxed),
            checkpoints: checkpointer.completed.load(ordering: .relaxed),
            walRestarts: checkpointer.restarts.load(ordering: .relaxed))
    }

    /// Lets queued operations finish, then closes the three connections (the last close checkpoints the
    /// WAL into the main file). Later calls throw ``StorageError/backend(_:)``.
    public func close() async {
        await reader.stop()
        await writer.stop()
        await checkpointer.stop()
    }

    // MARK: Plumbing

    private func write<T: Sendable>(_ body: @escaping @Sendable (SQLiteWriterContext) throws(StorageError) -> T)
        async throws(StorageError) -> T
    {
        try await Self.perform(on: writer, transactional: true, body)
    }

    private func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws(StorageError) -> T)
        async throws(StorageError) -> T
    {
        try await Self.perform(on: reader, transactional: true, body)
    }

    /// Queues `body` on a worker thread and suspends until it ran.
    static func perform<Context, T: Sendable>(
        on worker: SQLiteWorker<Context>, transactional: Bool,
        _ body: @escaping @Sendable (Context) throws(StorageError) -> T
    ) async throws(StorageError) -> T {
        let result = await withCheckedContinuation {
            (continuation: CheckedContinuation<Result<T, StorageError>, Never>) in
            let task = SQLiteTask(transactional: transactional, body: body) { continuation.resume(returning: $0) }
            if !worker.submit(task) { task.finish(failure: .backend("the storage is closed")) }
        }
        return try result.get()
    }

    /// The reader's batch: each job in its own read transaction (one consistent snapshot per call).
    private static func processReads(_ connection: SQLiteConnection, _ jobs: [any SQLiteJob<SQLiteConnection>]) {
        for job in jobs {
            guard job.transactional else {
                _ = job.execute(connection)
                job.finish(failure: nil)
                continue
            }
            do {
                try connection.run("BEGIN")
            } catch {
                job.finish(failure: error)
                continue
            }
            _ = job.execute(connection)
            if !connection.isAutocommit { try? connection.run("COMMIT") }
            job.finish(failure: nil)
        }
    }
}

/// A ``DeferredCommitScheduler`` in a class, so reading it takes a reference, not a rewrapped closure.
private final class CommitScheduler: Sendable {
    let schedule: DeferredCommitScheduler

    init(_ schedule: @escaping DeferredCommitScheduler) {
        self.schedule = schedule
    }
}
