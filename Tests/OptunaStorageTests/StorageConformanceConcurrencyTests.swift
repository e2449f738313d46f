import OptunaCore
import OptunaStorage
import Testing

/// Concurrent callers: every call gets its own result, numbers stay dense, one failure spoils nothing else.
@Suite struct StorageConformanceConcurrencyTests {
    @Test(arguments: StorageKind.allCases)
    func concurrentCreatesGetDistinctDenseNumbers(kind: StorageKind) async throws {
        try await kind.with { (storage) async throws in
            let s = try await storage.createStudy(name: "c", directions: [.minimize], userAttrs: [:], systemAttrs: [:])
            let created = try await withThrowingTaskGroup(of: FrozenTrial.self) { group in
                for i in 0..<64 {
                    group.addTask {
                        try await storage.createTrial(
                            studyID: s.id,
                            template: FrozenTrial(id: 0, number: 0, state: .running, userAttrs: ["i": .int(Int64(i))]))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(created.map(\.number)) == Set(0..<64))
            #expect(Set(created.map(\.id)).count == 64)
            let listed = try await storage.trials(studyID: s.id, states: nil)
            #expect(listed.map(\.number) == Array(0..<64))
            for t in created {
                let read = listed[t.number]
                #expect(read.id == t.id)
                #expect(read.userAttrs == t.userAttrs)
            }
        }
    }

    @Test(arguments: StorageKind.allCases)
    func failingCallsDoNotSpoilOthers(kind: StorageKind) async throws {
        try await kind.with { (storage) async throws in
            let s = try await storage.createStudy(name: "f", directions: [.minimize], userAttrs: [:], systemAttrs: [:])
            var trials: [FrozenTrial] = []
            for _ in 0..<32 {
                trials.append(
                    try await storage.createTrial(
                        studyID: s.id, template: FrozenTrial(id: 0, number: 0, state: .running)))
            }
            let ids = trials.map(\.id)
            // Even trials are told with the right expectation, odd ones with a wrong one; duplicate study names
            // and a missing study are mixed in, all at once.
            let outcomes = await withTaskGroup(of: (String, Bool).self) { group in
                for (i, id) in ids.enumerated() {
                    group.addTask {
                        let expecting: TrialState = i % 2 == 0 ? .running : .waiting
                        do {
                            _ = try await storage.updateTrial(
                                id,
                                TrialUpdate(state: .complete, values: [Double(i)], userAttrs: ["i": .int(Int64(i))]),
                                expecting: expecting)
                            return ("trial \(i)", true)
                        } catch {
                            return ("trial \(i)", false)
                        }
                    }
                }
                for j in 0..<8 {
                    group.addTask {
                        do {
                            _ = try await storage.createStudy(
                                name: "same", directions: [.minimize], userAttrs: [:], systemAttrs: [:])
                            return ("study \(j)", true)
                        } catch {
                            return ("study \(j)", false)
                        }
                    }
                }
                group.addTask {
                    do {
                        try await storage.setStudyUserAttr(studyID: 9999, key: "k", value: 1)
                        return ("missing", true)
                    } catch {
                        return ("missing", false)
                    }
                }
                return await group.reduce(into: [String: Bool]()) { $0[$1.0] = $1.1 }
            }
            for i in 0..<32 { #expect(outcomes["trial \(i)"] == (i % 2 == 0)) }
            #expect((0..<8).filter { outcomes["study \($0)"] == true }.count == 1)
            #expect(outcomes["missing"] == false)
            let listed = try await storage.trials(studyID: s.id, states: nil)
            for (i, t) in listed.enumerated() {
                #expect(t.state == (i % 2 == 0 ? .complete : .running))
                #expect(t.values == (i % 2 == 0 ? [Double(i)] : nil))
                #expect(t.userAttrs == (i % 2 == 0 ? ["i": .int(Int64(i))] : [:]))
            }
            #expect(try await storage.allStudies().map(\.name) == ["f", "same"])
        }
    }
}
