public import FoundationEssentials
public import OptunaCore

/// Where studies and trials live: the one interface every backend (memory, SQLite, …) implements.
///
/// Contracts, as Optuna's `BaseStorage` states them:
/// - **Thread safety.** Every method may be called concurrently from any task. Values returned are
///   snapshots: later writes never change a value already returned.
/// - **Finished trials are immutable.** ``updateTrial(_:_:expecting:)`` writes only when the trial is in
///   the expected state (RUNNING for every change a client makes, WAITING when a queued trial is taken),
///   checked in the same transaction as the write; otherwise it throws
///   ``StorageError/trialStateMismatch(trialID:number:expected:actual:)`` and writes nothing.
/// - **Atomicity.** Each call is one transaction: a created trial appears with all its parameters and
///   attributes or not at all, and a call that returned has been made durable to the backend's level.
/// - **Other writers.** A backend shared with other processes (Python Optuna workers, the dashboard) reports
///   their commits through ``externalChangeCount()``; callers that cache must reload when it moves.
/// - **Trial numbers** are dense per study (0, 1, 2, …) and assigned inside the creating transaction.
public protocol Storage: Sendable {
    /// A short description for logs and `hello` (`"memory"`, `"sqlite:////var/lib/optunad/optunad.db"`).
    var descriptionForClients: String { get }

    /// Creates a study. - Throws: ``StorageError/duplicateStudyName(_:)``.
    func createStudy(
        name: String, directions: [StudyDirection], userAttrs: [String: JSONValue], systemAttrs: [String: JSONValue]
    ) async throws(StorageError) -> StudyRecord

    /// Deletes a study and everything in it. - Throws: ``StorageError/studyIDNotFound(_:)``.
    func deleteStudy(id: Int64) async throws(StorageError)

    /// The study with this name. - Throws: ``StorageError/studyNotFound(name:)``.
    func study(named name: String) async throws(StorageError) -> StudyRecord

    /// The study with this id. - Throws: ``StorageError/studyIDNotFound(_:)``.
    func study(id: Int64) async throws(StorageError) -> StudyRecord

    /// Every study, ordered by id.
    func allStudies() async throws(StorageError) -> [StudyRecord]

    /// Sets (or overwrites) one study user attribute.
    func setStudyUserAttr(studyID: Int64, key: String, value: JSONValue) async throws(StorageError)

    /// Sets (or overwrites) one study system attribute.
    func setStudySystemAttr(studyID: Int64, key: String, value: JSONValue) async throws(StorageError)

    /// Creates a trial from `template` (its `id` and `number` are ignored and assigned here).
    func createTrial(studyID: Int64, template: FrozenTrial) async throws(StorageError) -> FrozenTrial

    /// Applies `update` to a trial if it is in state `expecting`, and returns the trial as written.
    func updateTrial(_ trialID: Int64, _ update: TrialUpdate, expecting: TrialState) async throws(StorageError)
        -> FrozenTrial

    /// Queues ``createTrial(studyID:template:)`` now and returns its pending result.
    ///
    /// Writes a caller queues this way (and with ``beginUpdateTrial(_:_:expecting:shareCommit:)``) run in the
    /// order of the calls, before any write queued after them. A backend that writes synchronously returns a
    /// finished ``PendingWrite``; callers use that to skip waiting.
    ///
    /// `shareCommit` says whether other writes are about to follow this one (operations wait behind the
    /// caller): a backend that may commit a write at once on the calling thread then queues it instead, so
    /// that the writes behind it share its commit. Other backends ignore it.
    func beginCreateTrial(studyID: Int64, template: FrozenTrial, shareCommit: Bool) -> PendingWrite<FrozenTrial>

    /// Queues ``updateTrial(_:_:expecting:)`` now and returns its pending result (ordering and `shareCommit`
    /// as ``beginCreateTrial(studyID:template:shareCommit:)``).
    func beginUpdateTrial(_ trialID: Int64, _ update: TrialUpdate, expecting: TrialState, shareCommit: Bool)
        -> PendingWrite<FrozenTrial>

    /// One trial. - Throws: ``StorageError/trialNotFound(_:)``.
    func trial(id: Int64) async throws(StorageError) -> FrozenTrial

    /// The study id a trial belongs to. - Throws: ``StorageError/trialNotFound(_:)``.
    func studyID(ofTrial trialID: Int64) async throws(StorageError) -> Int64

    /// A study's trials in number order, optionally only those in `states`.
    func trials(studyID: Int64, states: Set<TrialState>?) async throws(StorageError) -> [FrozenTrial]

    /// The trials of a study that can differ from what the caller holds (see ``KnownTrials``): those it holds
    /// as unfinished, as stored now, and the trials stored since, in number order. Nil when the store does not
    /// match what the caller holds (it holds trials that are no longer stored, or misses some), or cannot tell:
    /// the caller then reads every trial again. By default: nil.
    func refreshTrials(studyID: Int64, known: KnownTrials) async throws(StorageError) -> [FrozenTrial]?

    /// A count that changes whenever a *different* writer commits to the backend (0 forever for a private
    /// backend). Callers compare it with the value they saw when they filled a cache.
    func externalChangeCount() async throws(StorageError) -> UInt64

    /// ``externalChangeCount()`` when the backend can tell it at once on the calling thread, without waiting
    /// for anything; nil when only the `async` call can. A caller on an actor asks this first: answering it
    /// takes no hop off the actor, where the `async` call takes one each way.
    func externalChangeCountWithoutWaiting() -> UInt64?

    /// Records that a RUNNING trial showed life at `date` (Optuna's `trial_heartbeats` table, one row per
    /// trial), so Python workers that check heartbeats agree with the daemon on which trials are stale.
    func recordHeartbeat(trialID: Int64, at date: Date) async throws(StorageError)

    /// Flushes and closes the backend. The daemon calls it last, at shutdown; a file backend fails later calls.
    func close() async

    /// Lets trial writes (``beginCreateTrial(studyID:template:shareCommit:)``,
    /// ``beginUpdateTrial(_:_:expecting:shareCommit:)``) wait for a commit that `scheduler` arranges, so that
    /// the writes a thread queues in one turn of its event loop share one transaction, committed on that thread
    /// at the end of the turn. Backends that write synchronously ignore it.
    func deferCommits(to scheduler: @escaping DeferredCommitScheduler)
}

/// Arranges for `commit` to run soon on the calling thread (at the end of its event loop's current turn) and
/// returns true, or returns false without keeping `commit`: the write then takes the storage's usual path.
public typealias DeferredCommitScheduler = @Sendable (_ commit: @escaping @Sendable () -> Void) -> Bool

extension Storage {
    /// Writes synchronously: nothing to defer.
    public func deferCommits(to scheduler: @escaping DeferredCommitScheduler) {}

    /// Cannot tell: the caller reads every trial again.
    public func refreshTrials(studyID: Int64, known: KnownTrials) async throws(StorageError) -> [FrozenTrial]? {
        nil
    }

    /// Queues the creation and waits for its commit.
    public func createTrial(studyID: Int64, template: FrozenTrial) async throws(StorageError) -> FrozenTrial {
        try await beginCreateTrial(studyID: studyID, template: template).value()
    }

    /// Queues the update and waits for its commit.
    public func updateTrial(_ trialID: Int64, _ update: TrialUpdate, expecting: TrialState) async throws(StorageError)
        -> FrozenTrial
    {
        try await beginUpdateTrial(trialID, update, expecting: expecting).value()
    }

    /// Queues the creation with no other write known to follow.
    public func beginCreateTrial(studyID: Int64, template: FrozenTrial) -> PendingWrite<FrozenTrial> {
        beginCreateTrial(studyID: studyID, template: template, shareCommit: false)
    }

    /// Queues the update with no other write known to follow.
    public func beginUpdateTrial(_ trialID: Int64, _ update: TrialUpdate, expecting: TrialState)
        -> PendingWrite<FrozenTrial>
    {
        beginUpdateTrial(trialID, update, expecting: expecting, shareCommit: false)
    }

    /// Backends without a heartbeat table keep heartbeats in the daemon's memory only.
    public func recordHeartbeat(trialID: Int64, at date: Date) async throws(StorageError) {}
}
