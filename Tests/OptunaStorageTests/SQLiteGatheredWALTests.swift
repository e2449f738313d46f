import Foundation
import OptunaCore
import Testing

@testable import OptunaStorage

/// The gathering VFS (`CSQLiteWAL`) holds a transaction's WAL frames back until its commit frame. These tests
/// read every commit through a connection on SQLite's standard VFS, as Optuna and the dashboard do: a commit
/// must be complete in the file as soon as it returns, and nothing a transaction did not commit may show.
@Suite struct SQLiteGatheredWALTests {
    /// A WAL database with one table `t (id, body)`, written through the gathering VFS.
    private struct Files {
        let directory: TemporaryDirectory
        let writer: SQLiteConnection
        let reader: SQLiteConnection

        init(synchronous: String = "NORMAL") throws {
            directory = try TemporaryDirectory()
            let path = directory.path("gathered.db")
            writer = try SQLiteConnection(path: path)
            try writer.execute(
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = \(synchronous); "
                    + "CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
            reader = try SQLiteConnection(path: path, readOnly: true, fileSystem: .standard)
        }

        func insert(_ length: Int, using connection: SQLiteConnection? = nil) throws {
            try (connection ?? writer).run("INSERT INTO t (body) VALUES (?)") {
                $0.bind(1, String(repeating: "x", count: length))
            }
        }

        /// Rows and text bytes in `t`, as the standard-VFS reader sees them.
        func seen() throws -> (rows: Int64?, bytes: Int64?) {
            (try reader.scalarInt("SELECT count(*) FROM t"), try reader.scalarInt("SELECT total(length(body)) FROM t"))
        }
    }

    @Test func connectionsOpenThroughTheGatheringVFSByDefault() throws {
        let files = try Files()
        #expect(files.writer.vfsName == "optunad-wal")
        #expect(files.reader.vfsName == "unix")
    }

    /// Transactions of 1 to 17 rows of up to 3,000 bytes (one page to dozens), past automatic checkpoints
    /// and WAL restarts; after each commit the other connection sees exactly what was committed.
    @Test(arguments: ["NORMAL", "FULL"])
    func everyCommitIsInTheFileWhenItReturns(synchronous: String) throws {
        let files = try Files(synchronous: synchronous)
        var random = SeededGenerator(seed: 7)
        var rows: Int64 = 0
        var bytes: Int64 = 0
        for round in 0..<300 {
            try files.writer.execute("BEGIN IMMEDIATE")
            for _ in 0..<(1 + round % 17) {
                let length = Int(random.next() % 3000)
                try files.insert(length)
                rows += 1
                bytes += Int64(length)
            }
            try files.writer.execute("COMMIT")
            let seen = try files.seen()
            #expect(seen.rows == rows && seen.bytes == bytes, "after commit \(round)")
        }
        #expect(try files.reader.scalarText("PRAGMA integrity_check") == "ok")
    }

    /// A transaction larger than the page cache writes frames before its commit (a spill); rolled back, none
    /// of them may show, and the frames of the next commit, written over them, must be its own. Both are
    /// far larger than what the VFS gathers before writing (64 KiB).
    @Test func aRolledBackSpillLeavesNoTrace() throws {
        let files = try Files()
        try files.writer.execute("PRAGMA cache_size = 5")
        for _ in 0..<10 { try files.insert(100) }
        #expect(try files.seen() == (10, 1000))

        try files.writer.execute("BEGIN IMMEDIATE")
        for _ in 0..<400 { try files.insert(3000) }
        try files.writer.execute("ROLLBACK")
        #expect(try files.seen() == (10, 1000))

        try files.writer.execute("BEGIN IMMEDIATE")
        for _ in 0..<500 { try files.insert(2500) }
        try files.writer.execute("COMMIT")
        #expect(try files.seen() == (510, 1_251_000))
        #expect(try files.reader.scalarText("PRAGMA integrity_check") == "ok")
    }

    /// A standard-VFS writer commits between gathered commits; each side reads the other's rows.
    @Test func interleavesWithAStandardWriter() throws {
        let files = try Files()
        let other = try SQLiteConnection(path: files.directory.path("gathered.db"), fileSystem: .standard)
        defer { other.close() }
        for round in 1...50 {
            try files.insert(round * 40)
            try files.insert(round * 40 + 1, using: other)
            #expect(try files.writer.scalarInt("SELECT count(*) FROM t") == Int64(2 * round))
            #expect(try other.scalarInt("SELECT count(*) FROM t") == Int64(2 * round))
        }
        #expect(try files.seen() == (100, 2 * 40 * 1275 + 50))
        #expect(try files.reader.scalarText("PRAGMA integrity_check") == "ok")
    }
}

/// The change check through the WAL index header: a connection on the gathering VFS can tell without a
/// read transaction that nobody has committed since it last looked.
@Suite struct SQLiteWALHeaderCheckTests {
    @Test func ownCommitsLeaveItUnchangedOthersChangeIt() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("header.db")
        let mine = try SQLiteConnection(path: path)
        defer { mine.close() }
        try mine.execute("PRAGMA journal_mode = WAL; CREATE TABLE t (x INTEGER)")
        let other = try SQLiteConnection(path: path, fileSystem: .standard)
        defer { other.close() }
        #expect(!mine.walUnchangedSinceRecorded, "nothing recorded yet")

        func commitOwn(recording: Bool) throws {
            try mine.execute("BEGIN IMMEDIATE")
            if recording { mine.recordWALHeaderAtRelease() }
            try mine.run("INSERT INTO t VALUES (1)")
            try mine.execute("COMMIT")
        }
        for _ in 0..<20 {
            try commitOwn(recording: true)
            #expect(mine.walUnchangedSinceRecorded)
        }
        try other.run("INSERT INTO t VALUES (2)")
        #expect(!mine.walUnchangedSinceRecorded, "another connection committed")
        mine.recordWALHeader()
        #expect(mine.walUnchangedSinceRecorded)

        // A write transaction that commits nothing, and a passive checkpoint, leave the header alone.
        try other.execute("BEGIN IMMEDIATE; ROLLBACK")
        _ = try other.scalarInt("SELECT count(*) FROM t")
        try other.execute("PRAGMA wal_checkpoint(PASSIVE)")
        #expect(mine.walUnchangedSinceRecorded)

        // A commit not recorded at its release is a change like any other.
        try commitOwn(recording: false)
        #expect(!mine.walUnchangedSinceRecorded)
        // Recording only at the release, not when armed: another commit between the two is seen.
        try commitOwn(recording: true)
        #expect(mine.walUnchangedSinceRecorded)
        try other.run("INSERT INTO t VALUES (3)")
        #expect(!mine.walUnchangedSinceRecorded)
    }

    @Test func theStandardVFSNeverClaimsUnchanged() throws {
        let directory = try TemporaryDirectory()
        let plain = try SQLiteConnection(path: directory.path("plain.db"), fileSystem: .standard)
        defer { plain.close() }
        try plain.execute("PRAGMA journal_mode = WAL; CREATE TABLE t (x INTEGER)")
        plain.recordWALHeader()
        #expect(!plain.walUnchangedSinceRecorded)
    }

    /// Through the storage: commits by a Python-like standard connection are still counted, and the
    /// storage's own commits are not.
    @Test func storageCountsOnlyOtherConnectionsCommits() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("count.db")
        let storage = try await SQLiteStorage(path: path)
        let study = try await storage.createStudy(name: "c", directions: [.minimize], userAttrs: [:], systemAttrs: [:])
        let other = try SQLiteConnection(path: path, fileSystem: .standard)
        defer { other.close() }
        var expected = try await storage.externalChangeCount()
        for round in 0..<30 {
            _ = try await storage.createTrial(studyID: study.id, template: StorageFixtures.richTemplate())
            #expect(try await storage.externalChangeCount() == expected, "own commit, round \(round)")
            if round % 3 == 0 {
                try other.run("INSERT INTO study_user_attributes (study_id, key, value_json) VALUES (?, ?, '1')") {
                    $0.bind(1, study.id)
                    $0.bind(2, "k\(round)")
                }
                expected += 1
                #expect(try await storage.externalChangeCount() == expected, "other's commit, round \(round)")
            }
        }
        await storage.close()
    }
}
