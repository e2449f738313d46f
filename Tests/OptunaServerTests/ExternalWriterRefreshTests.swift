import Foundation
import OptunaCore
import OptunaServer
import OptunaStorage
import Testing

/// After another writer's commit the daemon re-reads only what may have changed (not the finished trials it
/// holds): what it then answers must be what a fresh load of the file gives.
@Suite struct ExternalWriterRefreshTests {
    @Test func theDaemonSeesEveryChangeAnotherWriterMade() async throws {
        let file = try TemporaryStudyFile()
        let (ours, dispatcher) = try await file.open()
        let theirs = try await SQLiteStorage(path: file.path)
        let space: JSONValue = ["x": ["type": "float", "low": 0.0, "high": 1.0]]
        #expect(await dispatcher.result("create_study", ["study_name": "s", "sampler": ["type": "random", "seed": 1]]) != nil)
        var running: [Int64] = []
        for k in 0..<12 {
            let asked = try #require(await dispatcher.result("ask", ["study_name": "s", "search_space": space]))
            let id = try #require(asked["trial_id"]?.int64Value)
            if k % 4 == 3 {
                running.append(id)
            } else {
                #expect(await dispatcher.result("tell", ["trial_id": .int(id), "value": .double(Double(k))]) != nil)
            }
        }
        let studyID = try #require(await dispatcher.result("get_study", ["study_name": "s"])?["study_id"]?.int64Value)

        // The other writer finishes one of our running trials, reports on another, adds trials of its own
        // (one finished, one running) and a study attribute.
        _ = try await theirs.updateTrial(running[0], TrialUpdate(state: .complete, values: [-1]), expecting: .running)
        _ = try await theirs.updateTrial(running[1], TrialUpdate(intermediateValues: [3: 0.5]), expecting: .running)
        let finished = try await theirs.createTrial(
            studyID: studyID, template: FrozenTrial(id: 0, number: 0, state: .complete, values: [-2]))
        _ = try await theirs.createTrial(studyID: studyID, template: FrozenTrial(id: 0, number: 0, state: .running))
        try await theirs.setStudyUserAttr(studyID: studyID, key: "by", value: "them")

        let trials = try #require(await dispatcher.result("get_trials", ["study_name": "s"])?.arrayValue)
        let stored = try await theirs.trials(studyID: studyID, states: nil)
        #expect(trials.map { $0["trial_id"]?.int64Value } == stored.map(\.id))
        #expect(trials.map { $0["state"]?.stringValue } == stored.map(\.state.rawValue))
        #expect(trials[Int(stored.first { $0.id == running[1] }?.number ?? 0)]["intermediate_values"] == ["3": 0.5])
        #expect(await dispatcher.result("best_trial", ["study_name": "s"])?["trial_id"]?.int64Value == finished.id)
        #expect(await dispatcher.result("get_study", ["study_name": "s"])?["user_attrs"] == ["by": "them"])
        // The next ask takes the next number after theirs.
        let next = try #require(await dispatcher.result("ask", ["study_name": "s", "search_space": space]))
        #expect(next["number"]?.intValue == stored.count)

        await theirs.close()
        await ours.close()
    }
}
