import CSQLite
import Synchronization

/// Copies the WAL back into the database file on a thread of its own, so no write waits for it.
///
/// SQLite's automatic checkpoint runs inside the commit that pushes the WAL past its limit: that one write
/// (and every write queued behind it) pays milliseconds of page copying. Instead, the writer connection
/// reports every commit's WAL size through `sqlite3_wal_hook` (which also turns the automatic checkpoint
/// off), and each time the WAL has grown by ``pageLimit`` pages a `PASSIVE` checkpoint is queued here, on
/// a connection of its own. A passive checkpoint never waits for readers or writers: it copies what no reader still
/// needs, while the writer goes on appending.
///
/// The writer starts the WAL over from its beginning only when a checkpoint has copied *every* frame, and
/// under a steady stream of commits a passive checkpoint (two `fsync`s long) never catches up. So once the
/// WAL passes ``restartLimit`` pages, the next batch on the writer thread first runs a `RESTART` checkpoint
/// on the writer's own connection (``restartIfWanted(_:)``): it copies the frames the passive ones left
/// and syncs (a millisecond or two, once per a few thousand pages), waiting at most ``restartWait`` for a
/// reader still using old frames. The WAL file thus stays a few MiB, reused from its
/// start, instead of growing with every commit.
///
/// `Sendable`: the worker is, and `pending` is atomic.
final class SQLiteCheckpointer: Sendable {
    /// WAL growth in pages (4 KiB each by default) that triggers a passive checkpoint: SQLite's own default.
    static let pageLimit: Int32 = 1000
    /// WAL pages past which a checkpoint also restarts the WAL.
    static let restartLimit: Int32 = 4 * pageLimit
    /// How long a restarting checkpoint waits for readers still using old frames, in milliseconds.
    static let restartWait: Int32 = 20

    private let worker: SQLiteWorker<SQLiteConnection>
    /// A checkpoint is queued or running; commits meanwhile queue no second one.
    private let pending = Atomic<Bool>(false)
    /// The WAL has passed ``restartLimit``: the writer should restart it before its next batch.
    let restartWanted = Atomic<Bool>(false)
    /// WAL pages below which no restart is attempted again after one failed.
    private let restartFloor = Atomic<Int32>(0)
    /// WAL pages when the last passive checkpoint was queued (more pages than now: the WAL restarted since).
    private let passiveMark = Atomic<Int32>(0)
    /// Checkpoints run so far.
    let completed = Atomic<UInt64>(0)
    /// WAL restarts so far.
    let restarts = Atomic<UInt64>(0)

    /// Opens the checkpoint connection to `path` and starts its thread.
    init(path: String) throws(StorageError) {
        worker = try SQLiteWorker(
            name: "optunad-sqlc", context: try SQLiteConnection(path: path),
            process: { connection, jobs in
                for job in jobs {
                    _ = job.execute(connection)
                    job.finish(failure: nil)
                }
            }, shutdown: { $0.close() })
    }

    /// Makes `connection` (the writer's) report its commits here instead of checkpointing by itself.
    ///
    /// The connection keeps a pointer to `self` until ``detach(_:)``: call that before the connection is
    /// closed or `self` is released.
    func attach(_ connection: SQLiteConnection) {
        guard let handle = connection.handle else { return }
        sqlite3_wal_hook(
            handle,
            { context, _, _, pages in
                if let context {
                    Unmanaged<SQLiteCheckpointer>.fromOpaque(context).takeUnretainedValue().committed(walPages: pages)
                }
                return SQLITE_OK
            }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Stops `connection` reporting here.
    func detach(_ connection: SQLiteConnection) {
        guard let handle = connection.handle else { return }
        sqlite3_wal_hook(handle, nil, nil)
    }

    /// Called after each commit of the attached connection with the number of pages now in the WAL.
    private func committed(walPages: Int32) {
        if walPages >= max(Self.restartLimit, restartFloor.load(ordering: .relaxed)) {
            restartWanted.store(true, ordering: .releasing)
            return
        }
        // One passive checkpoint per pageLimit new pages: they copy in bulk what the restart then needs
        // not, without chasing every commit (each costs two fsyncs).
        let mark = passiveMark.load(ordering: .relaxed)
        guard walPages >= (walPages < mark ? 0 : mark) + Self.pageLimit, !restartWanted.load(ordering: .acquiring),
            pending.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        else { return }
        passiveMark.store(walPages, ordering: .relaxed)
        let job = SQLiteTask<SQLiteConnection, Void>(
            transactional: false,
            body: { (connection) throws(StorageError) in
                if let (log, _) = try connection.checkpoint(mode: SQLITE_CHECKPOINT_PASSIVE), log < 0 {
                    // A connection that has read nothing yet does not know the file is in WAL mode.
                    _ = try connection.scalarInt("PRAGMA schema_version")
                    _ = try connection.checkpoint(mode: SQLITE_CHECKPOINT_PASSIVE)
                }
            },
            completion: { [self] result in
                // A failed checkpoint (an I/O error) is retried by the next commit past the limit.
                if case .success = result { completed.add(1, ordering: .relaxed) }
                pending.store(false, ordering: .releasing)
            })
        if !worker.submit(job) { pending.store(false, ordering: .releasing) }
    }

    /// On the writer thread, before a batch: restarts the WAL if it has grown past ``restartLimit`` and no
    /// passive checkpoint holds the checkpoint lock (else a later batch does).
    ///
    /// When a reader keeps old frames longer than ``restartWait`` (or on an I/O error) nothing is lost; the
    /// WAL grows by another ``pageLimit`` pages before the next attempt, so a long read does not make
    /// every write wait.
    func restartIfWanted(_ writer: SQLiteConnection) {
        guard restartWanted.load(ordering: .acquiring), !pending.load(ordering: .acquiring),
            restartWanted.exchange(false, ordering: .acquiringAndReleasing)
        else { return }
        let previous = writer.busyTimeoutMilliseconds
        writer.setBusyTimeout(milliseconds: Self.restartWait)
        defer { writer.setBusyTimeout(milliseconds: previous) }
        if let (log, copied) = try? writer.checkpoint(mode: SQLITE_CHECKPOINT_RESTART), log == copied {
            restarts.add(1, ordering: .relaxed)
            restartFloor.store(0, ordering: .relaxed)
        } else {
            let log = (try? writer.checkpoint(mode: SQLITE_CHECKPOINT_PASSIVE))??.log ?? Self.restartLimit
            restartFloor.store(log + Self.pageLimit, ordering: .relaxed)
        }
    }

    /// Lets a running checkpoint finish, then closes the connection.
    func stop() async {
        await worker.stop()
    }

    /// Asks the thread to end without waiting.
    func requestStop() {
        worker.requestStop()
    }
}
