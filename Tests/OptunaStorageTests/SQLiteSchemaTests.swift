import Foundation
import OptunaCore
import Testing

@testable import OptunaStorage

/// What a SQLite file looks like on disk, and which files are opened, completed or refused.
@Suite struct SQLiteSchemaTests {
    /// `[type, name, tbl_name, sql]` of every schema object, in creation order.
    static func schema(of path: String) throws -> [JSONValue] {
        let connection = try SQLiteConnection(path: path, readOnly: true)
        defer { connection.close() }
        var rows: [JSONValue] = []
        try connection.query("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid") { row in
            rows.append(.array((0..<4).map { row.text(Int32($0)).map(JSONValue.string) ?? .null }))
        }
        return rows
    }

    /// The schema Optuna 5.0.0 creates, from the committed fixture.
    static func optunaSchema() throws -> [JSONValue] {
        let fixture = try String(
            contentsOf: RepositoryPaths.interop("fixtures/optuna-5.0.0-schema.jsonl"), encoding: .utf8)
        return try fixture.split(separator: "\n").map { try JSONParser.parse(String($0)) }
    }

    @Test func newFileHasOptunasExactSchema() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("new.db")
        let storage = try await SQLiteStorage(path: path, optunadVersion: "1.2.3")
        await storage.close()
        #expect(try Self.schema(of: path) == Self.optunaSchema())

        let connection = try SQLiteConnection(path: path, readOnly: true)
        defer { connection.close() }
        #expect(try connection.scalarText("SELECT version_num FROM alembic_version") == "v3.2.0.a")
        #expect(try connection.scalarInt("SELECT COUNT(*) FROM alembic_version") == 1)
        var versionInfo: [String] = []
        try connection.query("SELECT version_info_id, schema_version, library_version FROM version_info") { row in
            versionInfo = ["\(row.int64(0))", "\(row.int64(1))", row.text(2) ?? ""]
        }
        #expect(versionInfo == ["1", "12", "optunad-1.2.3"])
        #expect(try connection.scalarText("PRAGMA journal_mode") == "wal")
    }

    @Test func emptyFileGetsTheSchema() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("empty.db")
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        let storage = try await SQLiteStorage(path: path)
        _ = try await storage.createStudy(name: "s", directions: [.minimize], userAttrs: [:], systemAttrs: [:])
        await storage.close()
        #expect(try Self.schema(of: path).count == 25)
    }

    @Test func dataSurvivesCloseAndReopen() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("reopen.db")
        let first = try await SQLiteStorage(path: path)
        let study = try await first.createStudy(
            name: "persist", directions: [.maximize, .minimize], userAttrs: ["u": StorageFixtures.nestedAttr],
            systemAttrs: ["optunad:sampler": ["type": "random", "seed": 1]])
        var trials: [FrozenTrial] = []
        trials.append(try await first.createTrial(studyID: study.id, template: StorageFixtures.richTemplate()))
        trials[0] = try await first.updateTrial(
            trials[0].id, TrialUpdate(state: .complete, values: [1, .infinity], datetimeComplete: StorageFixtures.end),
            expecting: .running)
        trials.append(try await first.createTrial(studyID: study.id, template: StorageFixtures.richTemplate()))
        await first.close()
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))

        let second = try await SQLiteStorage(path: path)
        #expect(Canonical.text(try await second.study(named: "persist")) == Canonical.text(study))
        #expect(Canonical.text(try await second.trials(studyID: study.id, states: nil)) == Canonical.text(trials))
        let next = try await second.createTrial(
            studyID: study.id, template: FrozenTrial(id: 0, number: 0, state: .running))
        #expect(next.number == 2)
        _ = try await second.updateTrial(trials[1].id, TrialUpdate(state: .fail), expecting: .running)
        await second.close()
    }

    @Test func closedStorageRefusesCalls() async throws {
        let directory = try TemporaryDirectory()
        let storage = try await SQLiteStorage(path: directory.path("closed.db"))
        await storage.close()
        await #expect(throws: StorageError.backend("the storage is closed")) { try await storage.allStudies() }
        await #expect(throws: StorageError.backend("the storage is closed")) {
            try await storage.createStudy(name: "x", directions: [.minimize], userAttrs: [:], systemAttrs: [:])
        }
        await storage.close()
    }

    /// A file with the given revision in rollback-journal mode (so opening it creates no WAL files).
    private func fileWithRevision(_ revision: String?, in directory: TemporaryDirectory) async throws -> String {
        let path = directory.path("revision.db")
        let storage = try await SQLiteStorage(path: path)
        _ = try await storage.createStudy(name: "s", directions: [.minimize], userAttrs: [:], systemAttrs: [:])
        await storage.close()
        let connection = try SQLiteConnection(path: path)
        defer { connection.close() }
        try connection.execute("PRAGMA journal_mode = DELETE")
        if let revision {
            try connection.run("UPDATE alembic_version SET version_num = ?") { $0.bind(1, revision) }
        } else {
            try connection.execute("DELETE FROM alembic_version")
        }
        return path
    }

    @Test(arguments: [
        ("v9.9.9.z", "does not know"), ("v3.0.0.d", "optuna storage upgrade"), ("optunad1", "does not know"),
    ])
    func unknownRevisionIsRefusedAndFileUntouched(revision: String, hint: String) async throws {
        let directory = try TemporaryDirectory()
        let path = try await fileWithRevision(revision, in: directory)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let error = await #expect(throws: StorageError.self) { try await SQLiteStorage(path: path) }
        guard case .unsupportedSchema(let message)? = error else {
            Issue.record("expected unsupportedSchema, got \(String(describing: error))")
            return
        }
        #expect(message.contains("'\(revision)'"))
        #expect(message.contains(hint))
        #expect(message.contains("unchanged"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func unstampedOptunaFileIsStampedAsOptunaWould() async throws {
        let directory = try TemporaryDirectory()
        let path = try await fileWithRevision(nil, in: directory)
        let storage = try await SQLiteStorage(path: path)
        #expect(try await storage.study(named: "s").name == "s")
        await storage.close()
        let connection = try SQLiteConnection(path: path, readOnly: true)
        defer { connection.close() }
        #expect(try connection.scalarText("SELECT version_num FROM alembic_version") == "v3.2.0.a")
    }

    @Test func missingTableIsAddedToAKnownRevision() async throws {
        let directory = try TemporaryDirectory()
        let path = try await fileWithRevision("v3.2.0.a", in: directory)
        let raw = try SQLiteConnection(path: path)
        try raw.execute("DROP TABLE trial_heartbeats")
        raw.close()
        let storage = try await SQLiteStorage(path: path)
        await storage.close()
        // Recreated last, so compare as sets: the same objects with the same SQL.
        #expect(Set(try Self.schema(of: path)) == Set(try Self.optunaSchema()))
    }

    @Test func foreignDatabaseIsRefusedAndUntouched() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("foreign.db")
        let raw = try SQLiteConnection(path: path)
        try raw.execute("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me')")
        raw.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let error = await #expect(throws: StorageError.self) { try await SQLiteStorage(path: path) }
        guard case .unsupportedSchema(let message)? = error else {
            Issue.record("expected unsupportedSchema, got \(String(describing: error))")
            return
        }
        #expect(message.contains("not an Optuna database"))
        #expect(message.contains("notes"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func fileThatIsNotSQLiteIsRefusedAndUntouched() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("text.db")
        let text = Data(String(repeating: "this is not a database\n", count: 200).utf8)
        try text.write(to: URL(fileURLWithPath: path))
        let error = await #expect(throws: StorageError.self) { try await SQLiteStorage(path: path) }
        guard case .backend(let message)? = error else {
            Issue.record("expected a backend error, got \(String(describing: error))")
            return
        }
        #expect(message.contains("not a database"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == text)
    }
}

/// Paths inside the repository, for fixtures and the Python interop scripts.
enum RepositoryPaths {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func interop(_ relative: String) -> URL { root.appendingPathComponent("tests/interop/" + relative) }
}
