import Foundation
import OptunaCore
import OptunaStorage
import Testing

/// Checkpoints keep the WAL small under a steady stream of commits, and closing folds it into the file.
@Suite struct SQLiteCheckpointTests {
    @Test func walStaysBoundedUnderManyCommits() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("wal.db")
        let storage = try await SQLiteStorage(path: path)
        let study = try await storage.createStudy(name: "w", directions: [.minimize], userAttrs: [:], systemAttrs: [:])
        // About ten pages per commit: without checkpoints the WAL would pass 50 MB.
        for _ in 0..<1500 {
            _ = try await storage.createTrial(studyID: study.id, template: StorageFixtures.richTemplate())
        }
        let walSize = try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int ?? 0
        #expect(walSize < 20 * 1_048_576)
        // The checkpoint thread did that, not the commits themselves.
        #expect(storage.statistics.checkpoints > 0)
        #expect(storage.statistics.walRestarts > 0)
        #expect(try await storage.trials(studyID: study.id, states: nil).count == 1500)
        await storage.close()
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }
}
