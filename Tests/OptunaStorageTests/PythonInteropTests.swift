import Foundation
import OptunaCore
import OptunaStorage
import Testing

/// optunad and Python Optuna 5 on the same file, in both directions and at the same time.
@Suite(
    .enabled(if: PythonInterop.isAvailable || PythonInterop.isRequired, "no Python with optuna (OPTUNAD_TEST_PYTHON)"))
struct PythonInteropTests {
    private func template(_ state: TrialState, values: [Double]? = nil, complete: Bool = true) -> FrozenTrial {
        var t = StorageFixtures.richTemplate()
        // Feasible, so Optuna's best trial and Pareto front consider every trial.
        t.systemAttrs["constraints"] = [-0.5, 0.0]
        t.state = state
        t.values = values
        if complete, state.isFinished { t.datetimeComplete = StorageFixtures.end }
        return t
    }

    @Test func schemaEqualsWhatTheInstalledOptunaCreates() async throws {
        let directory = try TemporaryDirectory()
        let ours = directory.path("ours.db")
        let storage = try await SQLiteStorage(path: ours)
        await storage.close()
        let theirs = try await PythonInterop.run(
            "dump_schema.py", ["--create-with-optuna", directory.path("theirs.db")])
        #expect(try await PythonInterop.run("dump_schema.py", [ours]) == theirs)
    }

    @Test func optunaReadsEveryFieldOptunadWrote() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("swift.db")
        let storage = try await SQLiteStorage(path: path)
        let study = try await storage.createStudy(
            name: "swift ✓", directions: [.minimize],
            userAttrs: ["nested": StorageFixtures.nestedAttr, "nan": .double(.nan)],
            systemAttrs: ["optunad:sampler": ["type": "tpe", "seed": 7], "study:metric_names": ["loss"]])
        _ = try await storage.createTrial(studyID: study.id, template: template(.complete, values: [1.25]))
        _ = try await storage.createTrial(studyID: study.id, template: template(.pruned, values: [-.infinity]))
        _ = try await storage.createTrial(studyID: study.id, template: template(.fail))
        let running = try await storage.createTrial(studyID: study.id, template: template(.running))
        _ = try await storage.createTrial(
            studyID: study.id,
            template: FrozenTrial(
                id: 0, number: 0, state: .waiting, systemAttrs: ["fixed_params": ["x": 2.5, "c": "a"]]))
        _ = try await storage.updateTrial(
            running.id,
            TrialUpdate(
                state: .complete, values: [0.5], intermediateValues: [9: .nan], userAttrs: ["late": [1, [2, 3]]],
                datetimeComplete: StorageFixtures.end),
            expecting: .running)

        let mo = try await storage.createStudy(
            name: "swift-mo", directions: [.minimize, .maximize], userAttrs: [:], systemAttrs: [:])
        for values in [[1.0, 1.0], [0.5, -.infinity], [2.0, .infinity], [0.5, 0.5]] {
            _ = try await storage.createTrial(studyID: mo.id, template: template(.complete, values: values))
        }

        let python = try await PythonInterop.dump(path, "swift ✓")
        #expect(OptunaView.text(python) == OptunaView.text(try await OptunaView.document(storage, "swift ✓")))
        #expect(python["best_trial"] == 3)
        let pythonMO = try await PythonInterop.dump(path, "swift-mo")
        #expect(OptunaView.text(pythonMO) == OptunaView.text(try await OptunaView.document(storage, "swift-mo")))
        #expect(pythonMO["best_trials"] == [0, 2, 3])
        await storage.close()
    }

    @Test func optunadReadsAndContinuesWhatOptunaWrote() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("python.db")
        _ = try await PythonInterop.run("write_study.py", [path])
        let storage = try await SQLiteStorage(path: path)
        for name in ["py", "py-mo"] {
            let python = try await PythonInterop.dump(path, name)
            #expect(OptunaView.text(python) == OptunaView.text(try await OptunaView.document(storage, name)))
        }

        let study = try await storage.study(named: "py")
        let trials = try await storage.trials(studyID: study.id, states: nil)
        #expect(
            trials.map(\.state) == [
                .complete, .pruned, .fail, .complete, .complete, .complete, .running, .running, .waiting,
            ])
        let legacy = trials[6]
        #expect(legacy.externalParams["du"] == 0.5)
        #expect(legacy.externalParams["iu"] == 4)
        #expect(legacy.externalParams["tc"] == "q")
        #expect(legacy.distributions["lu"] == .float(try FloatDistribution(low: 0.001, high: 1, log: true)))
        #expect(legacy.distributions["du"] == .float(try FloatDistribution(low: 0, high: 1, step: 0.25)))
        let waiting = trials[8]
        #expect(waiting.datetimeStart == nil)
        #expect(waiting.systemAttrs["fixed_params"] == ["x": 1.5, "c": "text ✓"])

        // Continue: a new trial is numbered after Python's, the queued trial is taken, the running ones finish.
        let created = try await storage.createTrial(
            studyID: study.id,
            template: FrozenTrial(
                id: 0, number: 0, state: .complete, params: ["x": 0.25], distributions: ["x": StorageFixtures.float],
                values: [-1], datetimeStart: StorageFixtures.start, datetimeComplete: StorageFixtures.end))
        #expect(created.number == 9)
        _ = try await storage.updateTrial(
            waiting.id, TrialUpdate(state: .running, datetimeStart: StorageFixtures.start), expecting: .waiting)
        _ = try await storage.updateTrial(
            waiting.id,
            TrialUpdate(
                state: .complete, values: [2.25],
                params: ["x": ParamAssignment(value: 1.5, distribution: StorageFixtures.float)],
                datetimeComplete: StorageFixtures.end),
            expecting: .running)
        _ = try await storage.updateTrial(
            trials[7].id, TrialUpdate(state: .fail, datetimeComplete: StorageFixtures.end), expecting: .running)
        await #expect(throws: StorageError.self) {
            try await storage.updateTrial(trials[0].id, TrialUpdate(state: .fail), expecting: .running)
        }

        let after = try await PythonInterop.dump(path, "py")
        #expect(OptunaView.text(after) == OptunaView.text(try await OptunaView.document(storage, "py")))
        #expect(after["best_trial"] == 9)
        // Python continues too, numbering after optunad's trial.
        #expect(
            try await PythonInterop.run("append_trials.py", [path, "py", "2"]).trimmingCharacters(
                in: .whitespacesAndNewlines) == "[10, 11]")
        await storage.close()
    }

    @Test func optunaSeesOptunadHeartbeats() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("heartbeats.db")
        let storage = try await SQLiteStorage(path: path)
        let study = try await storage.createStudy(name: "hb", directions: [.minimize], userAttrs: [:], systemAttrs: [:])
        var trials: [FrozenTrial] = []
        for _ in 0..<3 {
            trials.append(
                try await storage.createTrial(
                    studyID: study.id, template: FrozenTrial(id: 0, number: 0, state: .running)))
        }
        try await storage.recordHeartbeat(trialID: trials[0].id, at: Date().addingTimeInterval(-600))
        try await storage.recordHeartbeat(trialID: trials[1].id, at: Date().addingTimeInterval(-600))
        try await storage.recordHeartbeat(trialID: trials[1].id, at: Date())  // a fresh beat replaces the old one
        // Trial 2 never beat: Optuna does not call it stale.
        let stale = try await PythonInterop.run("stale_trials.py", [path, "hb", "60"])
        #expect(stale.trimmingCharacters(in: .whitespacesAndNewlines) == "[0]")
        await storage.close()
    }

    @Test func bothAliveOnOneFile() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("shared.db")
        let storage = try await SQLiteStorage(path: path)
        let study = try await storage.createStudy(
            name: "live", directions: [.minimize], userAttrs: [:], systemAttrs: [:])
        for _ in 0..<3 {
            _ = try await storage.createTrial(
                studyID: study.id, template: FrozenTrial(id: 0, number: 0, state: .running))
        }
        let before = try await storage.externalChangeCount()

        // Python writes while optunad's storage is open: the count moves and the rows are visible.
        let numbers = try await PythonInterop.run("append_trials.py", [path, "live", "4"])
        #expect(numbers.trimmingCharacters(in: .whitespacesAndNewlines) == "[3, 4, 5, 6]")
        let moved = try await storage.externalChangeCount()
        #expect(moved > before)
        let seen = try await storage.trials(studyID: study.id, states: nil)
        #expect(seen.map(\.number) == Array(0..<7))
        #expect(seen[3...].allSatisfy { $0.state == .complete && $0.params["x"] != nil })
        let next = try await storage.createTrial(
            studyID: study.id, template: FrozenTrial(id: 0, number: 0, state: .running))
        #expect(next.number == 7)

        // Both write at once: numbers stay dense and unique across the two writers.
        async let pythonNumbers = PythonInterop.run("append_trials.py", [path, "live", "15"])
        var swiftNumbers: [Int] = []
        for _ in 0..<15 {
            swiftNumbers.append(
                try await storage.createTrial(
                    studyID: study.id, template: FrozenTrial(id: 0, number: 0, state: .running)
                ).number)
        }
        let pythonList = try JSONParser.parse(try await pythonNumbers).arrayValue?.compactMap(\.intValue) ?? []
        #expect(pythonList.count == 15)
        #expect(Set(swiftNumbers + pythonList) == Set(8..<38))
        let all = try await storage.trials(studyID: study.id, states: nil)
        #expect(all.map(\.number) == Array(0..<38))
        #expect(try await storage.externalChangeCount() > moved)
        await storage.close()
    }
}
