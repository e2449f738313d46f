import OptunaCore
import OptunaStorage
import Testing

/// Study operations and their errors, identical on every backend (Optuna's `StorageTestCase`, studies part).
@Suite struct StorageConformanceStudyTests {
    @Test(arguments: StorageKind.allCases)
    func createAndLookUpStudies(kind: StorageKind) async throws {
        try await kind.with { (storage) async throws in
            let a = try await storage.createStudy(
                name: "研究 🚀 \"quoted\" name", directions: [.maximize, .minimize, .maximize],
                userAttrs: ["nested": StorageFixtures.nestedAttr], systemAttrs: ["optunad:sampler": ["type": "tpe"]])
            let b = try await storage.createStudy(name: "b", directions: [.minimize], userAttrs: [:], systemAttrs: [:])
            #expect(a.id != b.id)
            #expect(a.name == "研究 🚀 \"quoted\" name")
            #expect(a.directions == [.maximize, .minimize, .maximize])
            #expect(Canonical.text(try await storage.study(named: a.name)) == Canonical.text(a))
            #expect(Canonical.text(try await storage.study(id: a.id)) == Canonical.text(a))
            #expect(try await storage.study(id: b.id) == b)
            let all = try await storage.allStudies()
            #expect(all.map(\.name) == [a.name, "b"])
            #expect(all.map(\.id) == all.map(\.id).sorted())
        }
    }

    @Test(arguments: StorageKind.allCases)
    func duplicateNameIsRefused(kind: StorageKind) async throws {
        try await kind.with { (storage) async throws in
            _ = try await storage.createStudy(name: "dup", directions: [.minimize], userAttrs: [:], systemAttrs: [:])
            await #expect(throws: StorageError.duplicateStudyName("dup")) {
                try await storage.createStudy(name: "dup", directions: [.maximize], userAttrs: [:], systemAttrs: [:])
            }
            #expect(try await storage.allStudies().count == 1)
            #expect(try await storage.study(named: "dup").directions == [.minimize])
        }
    }

    @Test(arguments: StorageKind.allCases)
    func missingStudiesAreReported(kind: StorageKind) async throws {
        try await kind.with { (storage) async throws in
            await #expect(throws: StorageError.studyNotFound(name: "nope")) { try await storage.study(named: "nope") }
            await #expect(throws: StorageError.studyIDNotFound(4242)) { try await storage.study(id: 4242) }
            await #expect(throws: StorageError.studyIDNotFound(4242)) { try await storage.deleteStudy(id: 4242) }
            await #expect(throws: StorageError.studyIDNotFound(4242)) {
                try await storage.setStudyUserAttr(studyID: 4242, key: "k", value: 1)
            }
            await #expect(throws: StorageError.studyIDNotFound(4242)) {
                try await storage.setStudySystemAttr(studyID: 4242, key: "k", value: 1)
            }
            await #expect(throws: StorageError.studyIDNotFound(4242)) {
                try await storage.trials(studyID: 4242, states: nil)
            }
            await #expect(throws: StorageError.studyIDNotFound(4242)) {
                try await storage.createTrial(studyID: 4242, template: FrozenTrial(id: 0, number: 0, state: .running))
            }
            #expect(try await storage.allStudies().isEmpty)
        }
    }

    @Test(arguments: StorageKind.allCases)
    func studyAttributesAreSetAndOverwritten(kind: StorageKind) async throws {
        try await kind.with { (storage) async throws in
            let s = try await storage.createStudy(
                name: "attrs", directions: [.minimize], userAttrs: ["a": 1], systemAttrs: ["s": "x"])
            try await storage.setStudyUserAttr(studyID: s.id, key: "a", value: ["replaced": true])
            try await storage.setStudyUserAttr(studyID: s.id, key: "nan", value: .double(.nan))
            try await storage.setStudySystemAttr(studyID: s.id, key: "study:metric_names", value: ["loss", "ms"])
            try await storage.setStudySystemAttr(studyID: s.id, key: "s", value: .null)
            let read = try await storage.study(id: s.id)
            var expected = s
            expected.userAttrs = ["a": ["replaced": true], "nan": .double(.nan)]
            expected.systemAttrs = ["s": .null, "study:metric_names": ["loss", "ms"]]
            #expect(Canonical.text(read) == Canonical.text(expected))
        }
    }

    @Test(arguments: StorageKind.allCases)
    func deleteStudyRemovesEverythingItOwns(kind: StorageKind) async throws {
        try await kind.with { (storage) async throws in
            let doomed = try await storage.createStudy(
                name: "doomed", directions: [.minimize], userAttrs: ["u": 1], systemAttrs: ["s": 2])
            let kept = try await storage.createStudy(
                name: "kept", directions: [.minimize], userAttrs: [:], systemAttrs: [:])
            let t1 = try await storage.createTrial(studyID: doomed.id, template: StorageFixtures.richTemplate())
            let keptTrial = try await storage.createTrial(studyID: kept.id, template: StorageFixtures.richTemplate())
            try await storage.deleteStudy(id: doomed.id)

            await #expect(throws: StorageError.studyNotFound(name: "doomed")) {
                try await storage.study(named: "doomed")
            }
            await #expect(throws: StorageError.studyIDNotFound(doomed.id)) { try await storage.study(id: doomed.id) }
            await #expect(throws: StorageError.trialNotFound(t1.id)) { try await storage.trial(id: t1.id) }
            await #expect(throws: StorageError.trialNotFound(t1.id)) { try await storage.studyID(ofTrial: t1.id) }
            await #expect(throws: StorageError.studyIDNotFound(doomed.id)) {
                try await storage.deleteStudy(id: doomed.id)
            }
            #expect(try await storage.allStudies().map(\.name) == ["kept"])
            #expect(Canonical.text(try await storage.trial(id: keptTrial.id)) == Canonical.text(keptTrial))

            // The name is free again, and the new study starts numbering at 0.
            let again = try await storage.createStudy(
                name: "doomed", directions: [.maximize], userAttrs: [:], systemAttrs: [:])
            #expect(try await storage.study(named: "doomed").userAttrs.isEmpty)
            let t = try await storage.createTrial(
                studyID: again.id, template: FrozenTrial(id: 0, number: 0, state: .running))
            #expect(t.number == 0)
        }
    }

    @Test(arguments: StorageKind.allCases)
    func ownWritesDoNotCountAsExternalChanges(kind: StorageKind) async throws {
        try await kind.with { (storage) async throws in
            let before = try await storage.externalChangeCount()
            let s = try await storage.createStudy(
                name: "own", directions: [.minimize], userAttrs: [:], systemAttrs: [:])
            let t = try await storage.createTrial(studyID: s.id, template: StorageFixtures.richTemplate())
            _ = try await storage.updateTrial(t.id, TrialUpdate(state: .complete, values: [1]), expecting: .running)
            #expect(try await storage.externalChangeCount() == before)
            // Idle, every backend answers without waiting, and the same.
            #expect(storage.externalChangeCountWithoutWaiting() == before)
        }
    }
}
