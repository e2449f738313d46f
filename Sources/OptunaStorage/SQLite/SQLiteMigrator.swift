/// Decides at open time whether a database file can be used, and creates Optuna's schema in a new one.
///
/// The rules follow what Optuna itself does when it opens a file, except that optunad never upgrades:
/// - no tables at all (a new or empty file): create the 13 tables, `version_info` and `alembic_version`;
/// - alembic revision `v3.2.0.a`: use it, creating a missing table or `version_info` row as Optuna would;
/// - `version_info.schema_version = 12` but no alembic revision (a file another tool wrote): stamp
///   `v3.2.0.a`, as Optuna does;
/// - any other revision, or tables that are not Optuna's: refuse with ``StorageError/unsupportedSchema(_:)``,
///   saying what was found and what to do, **without writing a byte**.
enum SQLiteMigrator {
    /// What opening did to the file.
    enum Outcome: Equatable {
        /// The schema was created in an empty database.
        case created
        /// An existing database at the supported revision was opened.
        case opened
        /// Missing tables or markers were added to an Optuna database (as Optuna itself would).
        case completed
    }

    /// Checks or creates the schema on `connection`, which must not be inside a transaction.
    static func prepare(_ connection: SQLiteConnection, libraryVersion: String) throws(StorageError) -> Outcome {
        let path = connection.path
        let tables = try tableNames(connection)
        if tables.isEmpty {
            return try inTransaction(connection) { () throws(StorageError) -> Outcome in
                // Another process may have created the schema since the check above.
                guard try tableNames(connection).isEmpty else {
                    return try completeIfNeeded(connection, libraryVersion)
                }
                for object in SQLiteSchema.objects { try connection.execute(object.sql) }
                try insertMarkers(connection, libraryVersion: libraryVersion, versionInfo: true, alembic: true)
                return .created
            }
        }
        var revisions: [String] = []
        if tables.contains("alembic_version") {
            try connection.query("SELECT version_num FROM alembic_version") { row in
                revisions.append(row.text(0) ?? "")
            }
        }
        switch revisions.count {
        case 0:
            var schemaVersion: Int64?
            if tables.contains("version_info") {
                schemaVersion = try connection.scalarInt(
                    "SELECT schema_version FROM version_info WHERE version_info_id = 1")
            }
            guard tables.contains("studies"), schemaVersion == SQLiteSchema.schemaVersion else {
                throw .unsupportedSchema(
                    "'\(path)' is not an Optuna database: it has tables (\(tables.sorted().joined(separator: ", "))) "
                        + "but no alembic_version revision. optunad left it unchanged; give --storage a new file "
                        + "or an Optuna database.")
            }
            return try inTransaction(connection) { () throws(StorageError) -> Outcome in
                try completeIfNeeded(connection, libraryVersion)
            }
        case 1 where revisions[0] == SQLiteSchema.alembicHead:
            let missing = Set(SQLiteSchema.tableNames).subtracting(tables)
            var hasVersionInfo = false
            if tables.contains("version_info") {
                hasVersionInfo = try connection.scalarInt("SELECT COUNT(*) FROM version_info") ?? 0 > 0
            }
            if missing.isEmpty, hasVersionInfo { return .opened }
            return try inTransaction(connection) { () throws(StorageError) -> Outcome in
                try completeIfNeeded(connection, libraryVersion)
            }
        case 1 where SQLiteSchema.olderRevisions.contains(revisions[0]):
            throw .unsupportedSchema(
                "'\(path)' has Optuna schema revision '\(revisions[0])', written by an Optuna older than 3.2; "
                    + "optunad reads revision '\(SQLiteSchema.alembicHead)' (Optuna 3.2 to 5.0). Upgrade the file "
                    + "with `optuna storage upgrade --storage sqlite:///\(path)` (Optuna 3.2 or later, back it up "
                    + "first) and start optunad again. optunad left the file unchanged.")
        default:
            let found = revisions.map { "'\($0)'" }.joined(separator: ", ")
            throw .unsupportedSchema(
                "'\(path)' has schema revision \(found), which this optunad does not know; it reads revision "
                    + "'\(SQLiteSchema.alembicHead)' (Optuna 3.2 to 5.0). The file may come from a newer Optuna: "
                    + "use an optunad release that supports that revision, or point --storage at another file. "
                    + "optunad left the file unchanged.")
        }
    }

    /// Names of the user tables in the main database.
    static func tableNames(_ connection: SQLiteConnection) throws(StorageError) -> Set<String> {
        var names: Set<String> = []
        try connection.query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        ) {
            row in
            if let name = row.text(0) { names.insert(name) }
        }
        return names
    }

    /// Creates missing tables (with their indexes) and missing markers; must run inside a write transaction.
    private static func completeIfNeeded(_ connection: SQLiteConnection, _ libraryVersion: String) throws(StorageError)
        -> Outcome
    {
        let tables = try tableNames(connection)
        let missing = Set(SQLiteSchema.tableNames).subtracting(tables)
        for object in SQLiteSchema.objects {
            if missing.contains(object.table) { try connection.execute(object.sql) }
        }
        let versionRows = try connection.scalarInt("SELECT COUNT(*) FROM version_info") ?? 0
        let alembicRows = try connection.scalarInt("SELECT COUNT(*) FROM alembic_version") ?? 0
        try insertMarkers(
            connection, libraryVersion: libraryVersion, versionInfo: versionRows == 0, alembic: alembicRows == 0)
        return missing.isEmpty && versionRows > 0 && alembicRows > 0 ? .opened : .completed
    }

    private static func insertMarkers(
        _ connection: SQLiteConnection, libraryVersion: String, versionInfo: Bool, alembic: Bool
    ) throws(StorageError) {
        if versionInfo {
            try connection.run(
                "INSERT INTO version_info (version_info_id, schema_version, library_version) VALUES (1, ?, ?)"
            ) { s in
                s.bind(1, SQLiteSchema.schemaVersion)
                s.bind(2, libraryVersion)
            }
        }
        if alembic {
            try connection.run("INSERT INTO alembic_version (version_num) VALUES (?)") { s in
                s.bind(1, SQLiteSchema.alembicHead)
            }
        }
    }

    private static func inTransaction<T>(_ connection: SQLiteConnection, _ body: () throws(StorageError) -> T)
        throws(StorageError) -> T
    {
        try connection.execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try connection.execute("COMMIT")
            return result
        } catch {
            if !connection.isAutocommit { try? connection.execute("ROLLBACK") }
            throw error
        }
    }
}
