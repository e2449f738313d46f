import Foundation
import OptunaCore
import OptunaStorage
import Testing

/// `exportSnapshot(to:studies:)`: self-contained, non-WAL copies for the browser dashboard.
@Suite struct SQLiteExportTests {
    /// A storage holding three studies with trials; returns their records.
    private func populated(_ storage: SQLiteStorage) async throws -> [StudyRecord] {
        var studies: [StudyRecord] = []
        for name in ["a", "b", "c"] {
            let s = try await storage.createStudy(
                name: name, directions: [.minimize], userAttrs: ["n": .string(name)], systemAttrs: ["k": 1])
            for i in 0..<3 {
                let t = try await storage.createTrial(studyID: s.id, template: StorageFixtures.richTemplate())
                if i < 2 {
                    _ = try await storage.updateTrial(
                        t.id, TrialUpdate(state: .complete, values: [Double(i)]), expecting: .running)
                }
            }
            studies.append(s)
        }
        return studies
    }

    /// Bytes 18 and 19 of the header: 1 and 1 for rollback-journal files, 2 and 2 for WAL.
    private func headerVersions(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path))[18...19])
    }

    @Test(arguments: [nil, ["c", "a"]] as [[String]?])
    func exportIsNonWALAndComplete(studies: [String]?) async throws {
        let directory = try TemporaryDirectory()
        let storage = try await SQLiteStorage(path: directory.path("live.db"))
        let all = try await populated(storage)
        let out = directory.path("export.db")
        try await storage.exportSnapshot(to: out, studies: studies)
        #expect(try headerVersions(out) == [1, 1])
        #expect(!FileManager.default.fileExists(atPath: out + "-wal"))

        let copy = try await SQLiteStorage(path: out)
        let expectedNames = (studies ?? ["a", "b", "c"]).sorted()
        #expect(try await copy.allStudies().map(\.name).sorted() == expectedNames)
        for study in all where expectedNames.contains(study.name) {
            let copied = try await copy.study(named: study.name)
            #expect(copied == study)
            #expect(
                Canonical.text(try await copy.trials(studyID: copied.id, states: nil))
                    == Canonical.text(try await storage.trials(studyID: study.id, states: nil)))
        }
        await copy.close()
        await storage.close()
    }

    @Test func unknownStudyOrExistingFileFailsWithoutLeavingAFile() async throws {
        let directory = try TemporaryDirectory()
        let storage = try await SQLiteStorage(path: directory.path("live.db"))
        _ = try await populated(storage)
        let out = directory.path("export.db")
        await #expect(throws: StorageError.studyNotFound(name: "zzz")) {
            try await storage.exportSnapshot(to: out, studies: ["a", "zzz"])
        }
        #expect(!FileManager.default.fileExists(atPath: out))
        try Data("keep".utf8).write(to: URL(fileURLWithPath: out))
        await #expect(throws: StorageError.self) { try await storage.exportSnapshot(to: out, studies: nil) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == Data("keep".utf8))
        await storage.close()
    }
}
