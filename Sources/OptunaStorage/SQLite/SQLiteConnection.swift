import CSQLite
import CSQLiteWAL

/// One SQLite connection with a cache of prepared statements.
///
/// Not thread-safe: a connection belongs to one ``SQLiteWorker`` and is used by one thread at a time (it is
/// opened with `SQLITE_OPEN_NOMUTEX`, SQLite's multi-thread mode). Every failure becomes
/// ``StorageError/backend(_:)`` carrying SQLite's message and the statement that failed.
final class SQLiteConnection {
    /// The `sqlite3*` handle; nil once closed.
    private(set) var handle: OpaquePointer?
    /// The file this connection opened.
    let path: String
    private var statements: [String: SQLiteStatement] = [:]

    /// Which SQLite VFS a connection opens its files through.
    enum FileSystem {
        /// SQLite's default VFS, unchanged.
        case standard
        /// The default VFS, except that each transaction's WAL frames reach the file in one write instead
        /// of two per page (`CSQLiteWAL`); the file format and what other connections see are unchanged.
        case gatheredWAL
    }

    /// Opens (and by default creates) the database file at `path`.
    init(path: String, readOnly: Bool = false, create: Bool = true, fileSystem: FileSystem = .gatheredWAL)
        throws(StorageError)
    {
        self.path = path
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI
        flags |= readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE
        if create, !readOnly { flags |= SQLITE_OPEN_CREATE }
        var db: OpaquePointer?
        // Without a default VFS to wrap, registration fails and the connection uses SQLite's default.
        let vfs = fileSystem == .gatheredWAL ? optunad_wal_vfs_register() : nil
        let rc = sqlite3_open_v2(path, &db, flags, vfs)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(db)
            throw .backend("cannot open '\(path)': \(message) (code \(rc))")
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
    }

    deinit { close() }

    /// Whether no connection, in any process, has committed since this one last recorded the WAL index header
    /// (``recordWALHeader()``, ``recordWALHeaderAtRelease()``). A read of shared memory: no lock, no system call.
    /// False whenever that cannot be told (nothing recorded, no WAL index mapped, the standard VFS).
    var walUnchangedSinceRecorded: Bool {
        guard let handle else { return false }
        return optunad_wal_unchanged(handle) == 1
    }

    /// Records the WAL index header as it is now; call it before asking SQLite what others committed, so a
    /// commit after the question shows as a change.
    func recordWALHeader() {
        if let handle { optunad_wal_note(handle) }
    }

    /// Inside a write transaction, after checking what others committed before it: records the WAL index
    /// header when this connection releases the write lock (after its commit, before anyone else can commit).
    func recordWALHeaderAtRelease() {
        if let handle { optunad_wal_arm(handle) }
    }

    /// The name of the VFS the connection's files go through ("unix" is SQLite's default on Linux).
    var vfsName: String? {
        guard let handle else { return nil }
        var vfs: UnsafeMutablePointer<sqlite3_vfs>?
        guard sqlite3_file_control(handle, "main", SQLITE_FCNTL_VFS_POINTER, &vfs) == SQLITE_OK,
            let name = vfs?.pointee.zName
        else { return nil }
        return String(cString: name)
    }

    /// Finalizes every cached statement and closes the handle. Idempotent.
    func close() {
        for statement in statements.values { statement.finalize() }
        statements = [:]
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    /// Whether no transaction is open (SQLite rolls a transaction back by itself after some errors).
    var isAutocommit: Bool {
        guard let handle else { return true }
        return sqlite3_get_autocommit(handle) != 0
    }

    /// The rowid of the last successful INSERT on this connection.
    var lastInsertRowID: Int64 {
        guard let handle else { return 0 }
        return sqlite3_last_insert_rowid(handle)
    }

    /// How long a statement waits for another connection's lock, as last set.
    private(set) var busyTimeoutMilliseconds: Int32 = 0

    /// Sets how long a statement waits for another connection's lock before failing with `SQLITE_BUSY`.
    func setBusyTimeout(milliseconds: Int32) {
        busyTimeoutMilliseconds = milliseconds
        if let handle { sqlite3_busy_timeout(handle, milliseconds) }
    }

    /// Runs `body` with lock waits disabled (a busy database fails at once), then restores the timeout.
    func withoutWaiting<T>(_ body: () throws(StorageError) -> T) throws(StorageError) -> T {
        guard let handle else { return try body() }
        sqlite3_busy_timeout(handle, 0)
        defer { sqlite3_busy_timeout(handle, busyTimeoutMilliseconds) }
        return try body()
    }

    /// What ``beginImmediateWithoutWaiting()`` did.
    enum BeginOutcome {
        /// The write transaction is open.
        case began
        /// Another connection holds the write lock; nothing changed.
        case busy
        /// Any other failure.
        case failed(StorageError)
    }

    /// `BEGIN IMMEDIATE` without waiting for another connection's write lock.
    func beginImmediateWithoutWaiting() -> BeginOutcome {
        guard let handle else { return .failed(.backend("the database connection is closed")) }
        sqlite3_busy_timeout(handle, 0)
        defer { sqlite3_busy_timeout(handle, busyTimeoutMilliseconds) }
        do {
            try run("BEGIN IMMEDIATE")
            return .began
        } catch {
            if sqlite3_extended_errcode(handle) & 0xff == SQLITE_BUSY { return .busy }
            return .failed(error)
        }
    }

    /// Runs a WAL checkpoint (`SQLITE_CHECKPOINT_PASSIVE`, `_RESTART`, …) on the main database.
    ///
    /// - Returns: the frames in the WAL and how many of them are now in the database file, or nil when
    ///   the mode had to give up waiting for a lock (what it could copy is copied all the same).
    func checkpoint(mode: Int32) throws(StorageError) -> (log: Int32, copied: Int32)? {
        guard let handle else { throw .backend("the database connection is closed") }
        var log: Int32 = 0
        var copied: Int32 = 0
        let rc = sqlite3_wal_checkpoint_v2(handle, nil, mode, &log, &copied)
        if rc & 0xff == SQLITE_BUSY { return nil }
        guard rc == SQLITE_OK else {
            throw .backend("\(String(cString: sqlite3_errmsg(handle))) (code \(rc)) in a WAL checkpoint")
        }
        return (log, copied)
    }

    /// Runs one or more statements without parameters or results (DDL, PRAGMA, BEGIN, COMMIT, …).
    func execute(_ sql: String) throws(StorageError) {
        guard let handle else { throw .backend("the database connection is closed") }
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(message)
            throw .backend("\(text) (code \(rc)) in: \(sql)")
        }
    }

    /// The cached prepared statement for `sql`, reset and with its bindings cleared.
    func statement(_ sql: String) throws(StorageError) -> SQLiteStatement {
        if let cached = statements[sql] {
            cached.reset()
            return cached
        }
        guard let handle else { throw .backend("the database connection is closed") }
        var raw: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &raw, nil)
        guard rc == SQLITE_OK, let raw else {
            throw .backend("\(String(cString: sqlite3_errmsg(handle))) (code \(rc)) preparing: \(sql)")
        }
        let statement = SQLiteStatement(handle: raw, connection: handle, sql: sql)
        statements[sql] = statement
        return statement
    }

    /// Runs a statement that returns no rows; `bind` sets its parameters.
    func run(_ sql: String, _ bind: (SQLiteStatement) -> Void = { _ in }) throws(StorageError) {
        let statement = try statement(sql)
        defer { statement.reset() }
        bind(statement)
        while try statement.step() {}
    }

    /// Runs a query and calls `row` once per result row, in order.
    func query(
        _ sql: String, _ bind: (SQLiteStatement) -> Void = { _ in },
        row: (SQLiteStatement) throws(StorageError) -> Void
    ) throws(StorageError) {
        let statement = try statement(sql)
        defer { statement.reset() }
        bind(statement)
        while try statement.step() { try row(statement) }
    }

    /// The first column of the first row as an integer, or nil when there is no row or it is NULL.
    func scalarInt(_ sql: String, _ bind: (SQLiteStatement) -> Void = { _ in }) throws(StorageError) -> Int64? {
        var result: Int64?
        try query(sql, bind) { row in
            if result == nil, !row.isNull(0) { result = row.int64(0) }
        }
        return result
    }

    /// The first column of the first row as text, or nil when there is no row or it is NULL.
    func scalarText(_ sql: String, _ bind: (SQLiteStatement) -> Void = { _ in }) throws(StorageError) -> String? {
        var result: String?
        try query(sql, bind) { row in
            if result == nil { result = row.text(0) }
        }
        return result
    }
}
