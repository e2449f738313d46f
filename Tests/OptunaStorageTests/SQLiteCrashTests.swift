import Foundation
import OptunaCore
import Testing

@testable import OptunaStorage

#if canImport(Glibc)
    import Glibc
#endif

/// A writer killed with SIGKILL in the middle of concurrent writes loses nothing it acknowledged.
@Suite struct SQLiteCrashTests {
    @Test(arguments: SQLiteStorage.Synchronous.allCases)
    func acknowledgedWritesSurviveSIGKILL(synchronous: SQLiteStorage.Synchronous) async throws {
        let directory = try TemporaryDirectory()
        let database = directory.path("crash.db")
        let acknowledged = directory.path("acks")
        await #expect(processExitsWith: .signal(SIGKILL)) {
            [
                database = database as String, acknowledged = acknowledged as String,
                mode = synchronous.rawValue as String
            ] in
            let storage = try await SQLiteStorage(
                path: database, synchronous: SQLiteStorage.Synchronous(rawValue: mode) ?? .full)
            let study = try await storage.createStudy(
                name: "crash", directions: [.minimize], userAttrs: [:], systemAttrs: [:])
            let log = open(acknowledged, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<8 {
                    group.addTask {
                        for i in 0..<1000 {
                            let t = try await storage.createTrial(
                                studyID: study.id,
                                template: FrozenTrial(
                                    id: 0, number: 0, state: .running, userAttrs: ["task": .int(Int64(task))]))
                            let done = try await storage.updateTrial(
                                t.id, TrialUpdate(state: .complete, values: [Double(i)]), expecting: .running)
                            // Acknowledged: the trial is committed COMPLETE. Record it, then maybe die.
                            let line = Array("\(done.id)\n".utf8)
                            _ = line.withUnsafeBufferPointer { write(log, $0.baseAddress, $0.count) }
                            if task == 0, i == 60 { kill(getpid(), SIGKILL) }
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        let acked = try String(contentsOfFile: acknowledged, encoding: .utf8).split(separator: "\n").compactMap {
            Int64($0)
        }
        #expect(acked.count >= 60)

        let storage = try await SQLiteStorage(path: database)
        let study = try await storage.study(named: "crash")
        let trials = try await storage.trials(studyID: study.id, states: nil)
        let complete = Set(trials.filter { $0.state == .complete }.map(\.id))
        #expect(Set(acked).isSubset(of: complete))
        #expect(trials.map(\.number) == Array(0..<trials.count))
        await storage.close()

        let connection = try SQLiteConnection(path: database, readOnly: true)
        defer { connection.close() }
        #expect(try connection.scalarText("PRAGMA integrity_check") == "ok")
    }
}
