#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension SQLiteStorage {
    /// Writes a self-contained copy of the database, or of some studies, to a new file
    /// (`optunactl export --sqlite`).
    ///
    /// The copy is an ordinary Optuna database in rollback-journal mode, not WAL, because the browser and
    /// VS Code builds of optuna-dashboard load a file with `sqlite3_deserialize`, which cannot open a WAL
    /// file. It is one consistent snapshot, taken on the reader thread while writes go on.
    ///
    /// - Parameters:
    ///   - path: The new file; it must not exist yet.
    ///   - studies: Names of the studies to copy (with every trial and attribute), or nil for everything
    ///     (`VACUUM INTO`). Row ids are kept, so trial ids match the source.
    /// - Throws: ``StorageError/studyNotFound(name:)`` for an unknown name, ``StorageError/backend(_:)`` when
    ///   `path` exists or cannot be written. A failed export leaves no file behind.
    public func exportSnapshot(to path: String, studies: [String]?) async throws(StorageError) {
        let source = self.path
        let libraryVersion = self.libraryVersion
        try await Self.perform(on: reader, transactional: false) { (connection) throws(StorageError) in
            guard access(path, F_OK) != 0 else { throw .backend("'\(path)' exists already; export to a new file") }
            do throws(StorageError) {
                if let studies {
                    try Self.copyStudies(studies, from: source, to: path, libraryVersion: libraryVersion)
                } else {
                    try connection.execute("PRAGMA query_only = 0")
                    defer { try? connection.execute("PRAGMA query_only = 1") }
                    try connection.run("VACUUM INTO ?") { $0.bind(1, path) }
                }
            } catch {
                unlink(path)
                unlink(path + "-journal")
                throw error
            }
        }
    }

    /// Creates Optuna's schema in a new file and copies the named studies' rows into it.
    private static func copyStudies(_ names: [String], from source: String, to path: String, libraryVersion: String)
        throws(StorageError)
    {
        let out = try SQLiteConnection(path: path)
        defer { out.close() }
        _ = try SQLiteMigrator.prepare(out, libraryVersion: libraryVersion)
        try out.run("ATTACH DATABASE ? AS src") { $0.bind(1, source) }
        try out.execute("BEGIN")
        do throws(StorageError) {
            var ids: [Int64] = []
            for name in names {
                guard
                    let id = try out.scalarInt(
                        "SELECT study_id FROM src.studies WHERE study_name = ?", { $0.bind(1, name) })
                else { throw .studyNotFound(name: name) }
                ids.append(id)
            }
            let idList = ids.map(String.init).joined(separator: ", ")
            let studyFilter = "study_id IN (\(idList))"
            let trialFilter = "trial_id IN (SELECT trial_id FROM src.trials WHERE \(studyFilter))"
            try copy(out, "studies", where: studyFilter)
            for table in SQLiteSchema.studyChildTables { try copy(out, table, where: studyFilter) }
            try copy(out, "trials", where: studyFilter)
            for table in SQLiteSchema.trialChildTables { try copy(out, table, where: trialFilter) }
            try out.execute("COMMIT")
        } catch {
            try? out.execute("ROLLBACK")
            throw error
        }
        try out.execute("DETACH DATABASE src")
    }

    /// Copies the rows of `table` matching `condition`, by column name (a file Optuna migrated with alembic
    /// may order its columns differently from a new one).
    private static func copy(_ out: SQLiteConnection, _ table: String, where condition: String) throws(StorageError) {
        var columns: [String] = []
        try out.query("PRAGMA main.table_info(\(table))") { row in
            if let name = row.text(1) { columns.append("\"\(name)\"") }
        }
        let list = columns.joined(separator: ", ")
        try out.execute("INSERT INTO main.\(table) (\(list)) SELECT \(list) FROM src.\(table) WHERE \(condition)")
    }
}
