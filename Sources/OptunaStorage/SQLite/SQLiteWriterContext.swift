import OptunaCore
import Synchronization

/// What the writer thread and the tasks asking ``SQLiteStorage/externalChangeCount()`` share.
final class SQLiteChangeTracker: Sendable {
    /// How many times another connection's commit has been noticed; only grows.
    let externalChanges = Atomic<UInt64>(0)
    /// True while the writer holds SQLite's write lock *and* has checked `data_version` under it: no other
    /// connection can commit then, so ``externalChanges`` is current without asking SQLite.
    let holdingWriteLock = Atomic<Bool>(false)
    /// Transactions the writer committed.
    let commits = Atomic<UInt64>(0)
    /// Write operations those transactions carried (successful or not).
    let operations = Atomic<UInt64>(0)
}

/// The writer thread's connection and the caches that save it queries.
///
/// The caches describe the database as this connection last saw it. They stay valid while nobody else
/// commits, which ``observeDataVersion()`` checks at the start of every write transaction (under the write
/// lock, so nobody can commit until this one ends): when another connection has committed, every cache is
/// dropped and refilled from the file on demand. Operations add to a cache only after their last statement
/// succeeded, and the group commit drops all caches when a transaction fails, so a cache never describes
/// rows that were rolled back.
final class SQLiteWriterContext {
    /// The one write connection.
    let connection: SQLiteConnection
    /// Shared with the storage for ``SQLiteStorage/externalChangeCount()``.
    let tracker: SQLiteChangeTracker
    /// Number of trials per study (the next trial's number), for studies touched since the last reset.
    var trialCounts: [Int64: Int] = [:]
    /// RUNNING and WAITING trials as stored, by id, so an update needs no read-back.
    var activeTrials: [Int64: FrozenTrial] = [:]
    /// Where this connection's commits report their WAL size, once attached (see ``SQLiteCheckpointer``).
    var checkpointer: SQLiteCheckpointer?
    /// The `data_version` seen last.
    private var lastDataVersion: Int64?

    /// A cap on ``activeTrials``: trials abandoned RUNNING forever must not grow memory without bound.
    static let activeTrialLimit = 50_000

    init(connection: SQLiteConnection, tracker: SQLiteChangeTracker) {
        self.connection = connection
        self.tracker = tracker
    }

    /// Reads `PRAGMA data_version`; when it moved since the last call (another connection committed),
    /// counts one external change and drops the caches. The WAL index header is recorded first, so
    /// ``SQLiteConnection/walUnchangedSinceRecorded`` can later tell that nothing was committed since.
    func observeDataVersion() throws(StorageError) {
        connection.recordWALHeader()
        let version = try connection.scalarInt("PRAGMA data_version") ?? 0
        if let lastDataVersion, lastDataVersion != version {
            tracker.externalChanges.add(1, ordering: .sequentiallyConsistent)
            invalidateCaches()
        }
        lastDataVersion = version
    }

    /// Hands checkpoints to `checkpointer` from now on.
    func attach(_ checkpointer: SQLiteCheckpointer) {
        checkpointer.attach(connection)
        self.checkpointer = checkpointer
    }

    /// Detaches the checkpointer and closes the connection (the writer thread's last act).
    func close() {
        checkpointer?.detach(connection)
        checkpointer = nil
        connection.close()
    }

    /// Forgets everything cached; always safe, since every cache refills from the file.
    func invalidateCaches() {
        trialCounts.removeAll()
        activeTrials.removeAll()
    }

    /// Keeps `trial` for later updates while it can still change.
    func remember(_ trial: FrozenTrial) {
        if trial.state.isFinished {
            activeTrials[trial.id] = nil
            return
        }
        if activeTrials.count >= Self.activeTrialLimit { activeTrials.removeAll() }
        activeTrials[trial.id] = trial
    }
}
