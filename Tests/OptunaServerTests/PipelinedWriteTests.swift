import Foundation
import Logging
import OptunaCore
import OptunaServer
import OptunaStorage
import Testing

/// Asks and tells on one SQLite-backed study from many clients at once: their writes share commits, and
/// what the clients were told is exactly what the file holds.
@Suite struct PipelinedWriteTests {
    @Test func concurrentAsksAndTellsShareCommitsAndPersistExactly() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("optunad-pipe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("p.db").path
        let storage = try await SQLiteStorage(path: path)
        let dispatcher = Dispatcher(registry: StudyRegistry(storage: storage), version: "test", logger: Logger(label: "test"))
        #expect(await dispatcher.result("create_study", ["study_name": "p", "sampler": ["type": "random", "seed": 3]]) != nil)

        let clients = 8
        let pairs = 25
        let told = try await withThrowingTaskGroup(of: [(Int64, Int, Double)].self) { group in
            for c in 0..<clients {
                group.addTask {
                    var mine: [(Int64, Int, Double)] = []
                    for k in 0..<pairs {
                        let asked = try #require(await dispatcher.result(
                            "ask", ["study_name": "p", "search_space": ["x": ["type": "float", "low": 0.0, "high": 1.0]]]))
                        let id = try #require(asked["trial_id"]?.int64Value)
                        let number = try #require(asked["number"]?.intValue)
                        let value = Double(c * 1000 + k)
                        let answer = try #require(await dispatcher.result("tell", ["trial_id": .int(id), "value": .double(value)]))
                        #expect(answer["state"] == "COMPLETE")
                        #expect(answer["trial_id"]?.int64Value == id)
                        #expect(answer["number"]?.intValue == number)
                        mine.append((id, number, value))
                    }
                    return mine
                }
            }
            var all: [(Int64, Int, Double)] = []
            for try await part in group { all += part }
            return all
        }

        #expect(told.count == clients * pairs)
        #expect(Set(told.map(\.0)).count == told.count)
        #expect(told.allSatisfy { $0.0 > 0 })
        #expect(told.map(\.1).sorted() == Array(0..<(clients * pairs)))
        let statistics = storage.statistics
        // Each ask and each tell is one write; concurrent ones joined others' transactions.
        #expect(statistics.operations >= UInt64(2 * clients * pairs))
        #expect(statistics.commits < statistics.operations)
        await storage.close()

        // What the clients were answered is what the file holds, read by a fresh storage.
        let reopened = try await SQLiteStorage(path: path)
        let study = try await reopened.study(named: "p")
        let stored = try await reopened.trials(studyID: study.id, states: nil)
        #expect(stored.count == told.count)
        for (id, number, value) in told {
            let t = try #require(stored.first { $0.id == id })
            #expect(t.number == number)
            #expect(t.state == .complete)
            #expect(t.values == [value])
        }
        await reopened.close()
    }
}
