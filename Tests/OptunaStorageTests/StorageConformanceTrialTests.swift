import Foundation
import OptunaCore
import OptunaStorage
import Testing

/// Trial operations, their errors and edge values, identical on every backend.
@Suite struct StorageConformanceTrialTests {
    private func makeStudy(_ storage: any Storage, _ name: String = "s") async throws -> StudyRecord {
        try await storage.createStudy(name: name, directions: [.minimize], userAttrs: [:], systemAttrs: [:])
    }

    @Test(arguments: StorageKind.allCases)
    func numbersAreDensePerStudy(kind: StorageKind) async throws {
        try await kind.with { (storage) async throws in
            let a = try await makeStudy(storage, "a")
            let b = try await makeStudy(storage, "b")
            var numbersA: [Int] = []
            var ids: Set<Int64> = []
            for i in 0..<5 {
                let t = try await storage.createTrial(
                    studyID: a.id, template: FrozenTrial(id: 99, number: 99, state: .running))
                numbersA.append(t.number)
                ids.insert(t.id)
                if i % 2 == 0 {
                    let u = try await storage.createTrial(
                        studyID: b.id, template: FrozenTrial(id: 99, number: 99, state: .running))
                    ids.insert(u.id)
                }
            }
            #expect(numbersA == [0, 1, 2, 3, 4])
            #expect(try await storage.trials(studyID: b.id, states: nil).map(\.number) == [0, 1, 2])
            #expect(ids.count == 8)
            let listed = try await storage.trials(studyID: a.id, states: nil)
            #expect(listed.map(\.number) == [0, 1, 2, 3, 4])
            for t in listed { #expect(try await storage.studyID(ofTrial: t.id) == a.id) }
        }
    }

    @Test(arguments: StorageKind.allCases)
    func everyFieldRoundTrips(kind: StorageKind) async throws {
        try await kind.with { (storage) async throws in
            let s = try await makeStudy(storage)
            let created = try await storage.createTrial(studyID: s.id, template: StorageFixtures.richTemplate())
            #expect(created.number == 0)
            #expect(created.state == .running)
            #expect(created.params == StorageFixtures.richTemplate().params)
            #expect(created.distributions == StorageFixtures.richTemplate().distributions)
            #expect(created.externalParams["c"] == "é 😀 \"q\" \\ \n")
            #expect(created.externalParams["c0"] == .null)
            #expect(created.externalParams["n"] == .int(6))
            #expect(created.intermediateValues[2] == .infinity)
            #expect(created.intermediateValues[1]?.isNaN == true)
            #expect(created.datetimeStart.map { abs($0.timeIntervalSince(StorageFixtures.start)) < 1e-6 } == true)
            #expect(Canonical.text(try await storage.trial(id: created.id)) == Canonical.text(created))
            #expect(Canonical.text(try await storage.trials(studyID: s.id, states: nil)) == Canonical.text([created]))
        }
    }

    @Test(arguments: StorageKind.allCases)
    func finishedTemplateKeepsValuesAndState(kind: StorageKind) async throws {
        try await kind.with { (storage) async throws in
            let s = try await makeStudy(storage)
            var template = StorageFixtures.richTemplate()
            template.state = .complete
            template.values = [.infinity, -.infinity, -0.0, 1e-300]
            template.datetimeComplete = StorageFixtures.end
            let created = try await storage.createTrial(studyID: s.id, template: template)
            #expect(created.values == [.infinity, -.infinity, -0.0, 1e-300])
            #expect(Canonical.text(try await storage.trial(id: created.id)) == Canonical.text(created))
            await #expect(
                throws: StorageError.trialStateMismatch(
                    trialID: created.id, number: 0, expected: .running, actual: .complete)
            ) {
                try await storage.updateTrial(created.id, TrialUpdate(userAttrs: ["late": 1]), expecting: .running)
            }
        }
    }

    @Test(arguments: StorageKind.allCases)
    func updatesMergeAndReplace(kind: StorageKind) async throws {
        try await kind.with { (storage) async throws in
            let s = try await makeStudy(storage)
            let t = try await storage.createTrial(studyID: s.id, template: StorageFixtures.richTemplate())
            let first = try await storage.updateTrial(
                t.id,
                TrialUpdate(
                    values: [1, 2], params: ["new": ParamAssignment(value: 3, distribution: StorageFixtures.int)],
                    intermediateValues: [0: 9.5, 7: .nan], userAttrs: ["s": "replaced", "added": [1, [2]]],
                    systemAttrs: ["constraints": [-1.0]]),
                expecting: .running)
            #expect(first.values == [1, 2])
            #expect(first.params["new"] == 3)
            #expect(first.intermediateValues[0] == 9.5)
            #expect(first.userAttrs["s"] == "replaced")
            #expect(first.userAttrs["nested"] != nil)
            #expect(first.systemAttrs["constraints"] == [-1.0])
            #expect(Canonical.text(try await storage.trial(id: t.id)) == Canonical.text(first))

            let finished = try await storage.updateTrial(
                t.id, TrialUpdate(state: .complete, values: [-.infinity], datetimeComplete: StorageFixtures.end),
                expecting: .running)
            #expect(finished.values == [-.infinity])
            #expect(finished.state == .complete)
            #expect(Canonical.text(try await storage.trial(id: t.id)) == Canonical.text(finished))
            #expect(Canonical.text(try await storage.trials(studyID: s.id, states: nil)) == Canonical.text([finished]))
        }
    }

    @Test(arguments: StorageKind.allCases)
    func finishedTrialsAreImmutable(kind: StorageKind) async throws {
        try await kind.with { (storage) async throws in
            let s = try await makeStudy(storage)
            let t = try await storage.createTrial(studyID: s.id, template: StorageFixtures.richTemplate())
            let done = try await storage.updateTrial(
                t.id, TrialUpdate(state: .pruned, values: [0.5]), expecting: .running)
            for state in [TrialState.running, .waiting] {
                await #expect(
                    throws: StorageError.trialStateMismatch(
                        trialID: t.id, number: 0, expected: state, actual: .pruned)
                ) {
                    try await storage.updateTrial(
                        t.id, TrialUpdate(state: .fail, values: [1], intermediateValues: [5: 1], userAttrs: ["x": 1]),
                        expecting: state)
                }
            }
            #expect(Canonical.text(try await storage.trial(id: t.id)) == Canonical.text(done))
        }
    }

    @Test(arguments: StorageKind.allCases)
    func waitingTrialIsTakenOnce(kind: StorageKind) async throws {
        try await kind.with { (storage) async throws in
            let s = try await makeStudy(storage)
            let fixed: JSONValue = ["x": 1.5, "c": "a"]
            let waiting = try await storage.createTrial(
                studyID: s.id,
                template: FrozenTrial(id: 0, number: 0, state: .waiting, systemAttrs: ["fixed_params": fixed]))
            #expect(waiting.datetimeStart == nil)
            let read = try await storage.trial(id: waiting.id)
            #expect(read.state == .waiting)
            #expect(read.datetimeStart == nil)
            #expect(read.systemAttrs["fixed_params"] == fixed)
            #expect(try await storage.trials(studyID: s.id, states: [.waiting]).map(\.id) == [waiting.id])

            let taken = try await storage.updateTrial(
                waiting.id, TrialUpdate(state: .running, datetimeStart: StorageFixtures.start), expecting: .waiting)
            #expect(taken.state == .running)
            #expect(taken.datetimeStart != nil)
            await #expect(
                throws: StorageError.trialStateMismatch(
                    trialID: waiting.id, number: 0, expected: .waiting, actual: .running)
            ) {
                try await storage.updateTrial(waiting.id, TrialUpdate(state: .running), expecting: .waiting)
            }
        }
    }

    @Test(arguments: StorageKind.allCases)
    func missingTrialsAreReported(kind: StorageKind) async throws {
        try await kind.with { (storage) async throws in
            await #expect(throws: StorageError.trialNotFound(777)) { try await storage.trial(id: 777) }
            await #expect(throws: StorageError.trialNotFound(777)) { try await storage.studyID(ofTrial: 777) }
            await #expect(throws: StorageError.trialNotFound(777)) {
                try await storage.updateTrial(777, TrialUpdate(state: .complete, values: [1]), expecting: .running)
            }
        }
    }

    @Test(arguments: StorageKind.allCases)
    func trialsFilterByState(kind: StorageKind) async throws {
        try await kind.with { (storage) async throws in
            let s = try await makeStudy(storage)
            let states: [TrialState] = [.running, .complete, .pruned, .fail, .waiting, .complete]
            for state in states {
                _ = try await storage.createTrial(
                    studyID: s.id,
                    template: FrozenTrial(
                        id: 0, number: 0, state: state, values: state == .complete ? [1] : nil,
                        datetimeStart: state == .waiting ? nil : StorageFixtures.start))
            }
            #expect(try await storage.trials(studyID: s.id, states: [.complete]).map(\.number) == [1, 5])
            #expect(try await storage.trials(studyID: s.id, states: [.fail, .waiting]).map(\.number) == [3, 4])
            #expect(try await storage.trials(studyID: s.id, states: []).isEmpty)
            #expect(try await storage.trials(studyID: s.id, states: nil).map(\.state) == states)
        }
    }

    @Test(arguments: StorageKind.allCases)
    func everyCategoricalChoiceTypeRoundTrips(kind: StorageKind) async throws {
        try await kind.with { (storage) async throws in
            let s = try await makeStudy(storage)
            guard case .categorical(let d) = StorageFixtures.categorical else { return }
            for index in d.choices.indices {
                let t = try await storage.createTrial(
                    studyID: s.id,
                    template: FrozenTrial(
                        id: 0, number: 0, state: .running, params: ["c": Double(index)],
                        distributions: ["c": StorageFixtures.categorical]))
                let read = try await storage.trial(id: t.id)
                #expect(read.externalParams["c"] == d.choices[index])
            }
        }
    }
}
