import Foundation
import Logging
import OptunaCore
import OptunaServer
import OptunaStorage
import Testing

/// A SQLite file in a fresh temporary directory, removed with the value.
final class TemporaryStudyFile {
    let directory: URL
    var path: String { directory.appendingPathComponent("study.db").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("optunad-pipe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// The storage on the file and a dispatcher over it.
    func open(synchronous: SQLiteStorage.Synchronous = .normal) async throws -> (SQLiteStorage, Dispatcher) {
        let storage = try await SQLiteStorage(path: path, synchronous: synchronous)
        return (storage, Dispatcher(registry: StudyRegistry(storage: storage), version: "test", logger: Logger(label: "test")))
    }
}

/// Asks, tells and reports on one SQLite-backed study from many clients at once: what the clients were told is
/// exactly what the file holds. With `--sync full` their writes share commits; with `normal` a write commits at
/// once on its own when nobody waits behind it, so how many share depends on timing.
@Suite struct PipelinedWriteTests {
    @Test(arguments: SQLiteStorage.Synchronous.allCases)
    func concurrentAsksAndTellsPersistExactly(synchronous: SQLiteStorage.Synchronous) async throws {
        let directory = try TemporaryStudyFile()
        let path = directory.path
        let (storage, dispatcher) = try await directory.open(synchronous: synchronous)
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
        // Each ask and each tell is one write; with fsync per commit, concurrent ones joined others' transactions.
        #expect(statistics.operations >= UInt64(2 * clients * pairs))
        if synchronous == .full { #expect(statistics.commits < statistics.operations) }
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

    @Test(arguments: SQLiteStorage.Synchronous.allCases)
    func concurrentReportsPersistExactly(synchronous: SQLiteStorage.Synchronous) async throws {
        let directory = try TemporaryStudyFile()
        let path = directory.path
        let (storage, dispatcher) = try await directory.open(synchronous: synchronous)
        #expect(await dispatcher.result("create_study", ["study_name": "r", "sampler": "random", "pruner": "nop"]) != nil)

        let clients = 8
        let steps = 20
        var ids: [Int64] = []
        for _ in 0..<clients {
            let asked = try #require(await dispatcher.result("ask", ["study_name": "r"]))
            ids.append(try #require(asked["trial_id"]?.int64Value))
        }
        let before = storage.statistics
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (c, id) in ids.enumerated() {
                group.addTask {
                    for step in 0..<steps {
                        let answer = try #require(await dispatcher.result(
                            "report", ["trial_id": .int(id), "step": .int(Int64(step)), "value": .double(Double(c * 100 + step))]))
                        #expect(answer["should_prune"] == false)
                    }
                    // A repeated step keeps its first value, as in Optuna.
                    _ = await dispatcher.result("report", ["trial_id": .int(id), "step": 0, "value": -1.0])
                }
            }
            try await group.waitForAll()
        }
        // The reports are one write each, the repeats none; with fsync per commit they joined each other's.
        let after = storage.statistics
        #expect(after.operations - before.operations == UInt64(clients * steps))
        if synchronous == .full { #expect(after.commits - before.commits < after.operations - before.operations) }
        await storage.close()

        let reopened = try await SQLiteStorage(path: path)
        for id in ids {
            let t = try await reopened.trial(id: id)
            #expect(t.state == .running)
            #expect(t.intermediateValues.count == steps)
            let c = try #require(ids.firstIndex(of: id))
            for step in 0..<steps { #expect(t.intermediateValues[step] == Double(c * 100 + step)) }
        }
        await reopened.close()
    }
}
