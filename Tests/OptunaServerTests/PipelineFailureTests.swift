import FoundationEssentials
import Logging
import OptunaCore
@testable import OptunaServer
import OptunaStorage
import Synchronization
import Testing

/// An in-memory storage whose trial updates (and, with `holdsCreations`, trial creations) commit only when
/// the test says so, and may fail then.
final class HeldUpdateStorage: Storage {
    let inner = InMemoryStorage()
    private let held = Mutex<[(Int64, TrialUpdate, TrialState, PendingWrite<FrozenTrial>)]>([])
    private let heldCreations = Mutex<[(Int64, FrozenTrial, PendingWrite<FrozenTrial>)]>([])
    let holdsCreations: Bool

    init(holdsCreations: Bool = false) {
        self.holdsCreations = holdsCreations
    }

    /// How many creations wait for ``finishNextCreation()``.
    var heldCreationCount: Int { heldCreations.withLock { $0.count } }

    /// Commits the oldest held creation.
    func finishNextCreation() async {
        guard let (study, template, pending) = heldCreations.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else {
            return
        }
        do {
            pending.fulfil(.success(try await inner.createTrial(studyID: study, template: template)))
        } catch {
            pending.fulfil(.failure(error))
        }
    }

    var descriptionForClients: String { "held" }
    /// How many updates wait for ``finishNext(failing:)``.
    var heldCount: Int { held.withLock { $0.count } }

    /// Commits (or fails) the oldest held update.
    func finishNext(failing: Bool) async {
        guard let (id, update, expecting, pending) = held.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else { return }
        if failing {
            pending.fulfil(.failure(.backend("disk I/O error")))
        } else {
            do {
                pending.fulfil(.success(try await inner.updateTrial(id, update, expecting: expecting)))
            } catch {
                pending.fulfil(.failure(error))
            }
        }
    }

    /// The `shareCommit` hint of every update begun, in order.
    let shareCommitHints = Mutex<[Bool]>([])

    func beginUpdateTrial(_ trialID: Int64, _ update: TrialUpdate, expecting: TrialState, shareCommit: Bool)
        -> PendingWrite<FrozenTrial>
    {
        shareCommitHints.withLock { $0.append(shareCommit) }
        let pending = PendingWrite<FrozenTrial>()
        held.withLock { $0.append((trialID, update, expecting, pending)) }
        return pending
    }

    func beginCreateTrial(studyID: Int64, template: FrozenTrial, shareCommit: Bool) -> PendingWrite<FrozenTrial> {
        guard holdsCreations else { return inner.beginCreateTrial(studyID: studyID, template: template) }
        let pending = PendingWrite<FrozenTrial>()
        heldCreations.withLock { $0.append((studyID, template, pending)) }
        return pending
    }

    func createStudy(
        name: String, directions: [StudyDirection], userAttrs: [String: JSONValue], systemAttrs: [String: JSONValue]
    ) async throws(StorageError) -> StudyRecord {
        try await inner.createStudy(name: name, directions: directions, userAttrs: userAttrs, systemAttrs: systemAttrs)
    }
    func deleteStudy(id: Int64) async throws(StorageError) { try await inner.deleteStudy(id: id) }
    func study(named name: String) async throws(StorageError) -> StudyRecord { try await inner.study(named: name) }
    func study(id: Int64) async throws(StorageError) -> StudyRecord { try await inner.study(id: id) }
    func allStudies() async throws(StorageError) -> [StudyRecord] { try await inner.allStudies() }
    func setStudyUserAttr(studyID: Int64, key: String, value: JSONValue) async throws(StorageError) {
        try await inner.setStudyUserAttr(studyID: studyID, key: key, value: value)
    }
    func setStudySystemAttr(studyID: Int64, key: String, value: JSONValue) async throws(StorageError) {
        try await inner.setStudySystemAttr(studyID: studyID, key: key, value: value)
    }
    func createTrial(studyID: Int64, template: FrozenTrial) async throws(StorageError) -> FrozenTrial {
        try await inner.createTrial(studyID: studyID, template: template)
    }
    func updateTrial(_ trialID: Int64, _ update: TrialUpdate, expecting: TrialState) async throws(StorageError)
        -> FrozenTrial
    {
        try await inner.updateTrial(trialID, update, expecting: expecting)
    }
    func trial(id: Int64) async throws(StorageError) -> FrozenTrial { try await inner.trial(id: id) }
    func studyID(ofTrial trialID: Int64) async throws(StorageError) -> Int64 { try await inner.studyID(ofTrial: trialID) }
    func trials(studyID: Int64, states: Set<TrialState>?) async throws(StorageError) -> [FrozenTrial] {
        try await inner.trials(studyID: studyID, states: states)
    }
    func externalChangeCount() async throws(StorageError) -> UInt64 { 0 }
    func externalChangeCountWithoutWaiting() -> UInt64? { 0 }
    func close() async {}
}

extension StudyActor {
    /// Whether an operation whose write is in flight has handed the study on, and a later one holds it now.
    var laterOperationHoldsGate: Bool { !writesInFlight.isEmpty && gate.busy }
}

/// A tell whose commit is still running lets later asks go ahead; if the commit fails, the client that told
/// gets the storage error and nobody is left seeing the write that never happened.
@Suite struct PipelineFailureTests {
    static let space: JSONValue = ["x": ["type": "float", "low": 0.0, "high": 1.0]]

    /// A dispatcher over held storage with one study and one asked trial, whose tell is now in flight.
    static func tellInFlight(study: String, value: Double) async throws
        -> (HeldUpdateStorage, Dispatcher, Int64, Task<JSONValue, Never>)
    {
        let storage = HeldUpdateStorage()
        let dispatcher = Dispatcher(registry: StudyRegistry(storage: storage), version: "test", logger: Logger(label: "test"))
        _ = try #require(await dispatcher.result("create_study", ["study_name": .string(study), "sampler": "random"]))
        let asked = try #require(await dispatcher.result("ask", ["study_name": .string(study), "search_space": space]))
        let id = try #require(asked["trial_id"]?.int64Value)
        let tell = Task { await dispatcher.call("tell", ["trial_id": .int(id), "value": .double(value)]) }
        while storage.heldCount == 0 { await Task.yield() }
        return (storage, dispatcher, id, tell)
    }

    @Test func failedTellCommitIsReportedAndForgotten() async throws {
        let (storage, dispatcher, id, tell) = try await Self.tellInFlight(study: "h", value: 1.0)
        // The study is not blocked by the commit in flight: another ask is served, numbered after it.
        let second = try #require(await dispatcher.result("ask", ["study_name": "h", "search_space": Self.space]))
        #expect(second["number"]?.intValue == 1)

        await storage.finishNext(failing: true)
        let answer = await tell.value
        #expect(answer["error"]?["data"]?["kind"] == "storage_error")
        // The cache is reloaded: the trial is RUNNING, as stored, and can be told again.
        let shown = try #require(await dispatcher.result("get_trial", ["trial_id": .int(id)]))
        #expect(shown["state"] == "RUNNING")

        let retold = Task { await dispatcher.call("tell", ["trial_id": .int(id), "value": 2.0]) }
        while storage.heldCount == 0 { await Task.yield() }
        await storage.finishNext(failing: false)
        #expect(await retold.value["result"]?["state"] == "COMPLETE")
        let stored = try await storage.inner.trial(id: id)
        #expect(stored.state == .complete)
        #expect(stored.values == [2.0])
    }

    /// A write tells the storage whether requests wait behind it, so that a backend able to commit at once on
    /// the calling thread queues it instead and lets theirs share its commit.
    @Test func writesWithRequestsWaitingBehindAskToShareACommit() async throws {
        let (storage, dispatcher, id, tell) = try await Self.tellInFlight(study: "w", value: 1.0)
        var others: [Int64] = []
        for _ in 0..<2 {
            let asked = try #require(await dispatcher.result("ask", ["study_name": "w", "search_space": Self.space]))
            others.append(try #require(asked["trial_id"]?.int64Value))
        }
        // A query holds the study while it waits for the tell in flight; two tells queue behind it.
        let actor = try await dispatcher.registry.actor(named: "w")
        let query = Task { await dispatcher.call("get_trial", ["trial_id": .int(id)]) }
        while await !actor.laterOperationHoldsGate { await Task.yield() }
        let tells = others.map { other in Task { await dispatcher.call("tell", ["trial_id": .int(other), "value": 2.0]) } }
        while await actor.gate.waiterCount < 2 { await Task.yield() }
        await storage.finishNext(failing: false)
        while storage.heldCount < 2 { await Task.yield() }
        // The first tell found nobody behind it; of the two queued, the first had the other waiting.
        #expect(storage.shareCommitHints.withLock { $0 } == [false, true, false])
        await storage.finishNext(failing: false)
        await storage.finishNext(failing: false)
        #expect(await tell.value["result"]?["state"] == "COMPLETE")
        #expect(await query.value["result"]?["state"] == "COMPLETE")
        for t in tells { #expect(await t.value["result"]?["state"] == "COMPLETE") }
    }

    /// Whether the query or the failed tell resumes first is up to the scheduler, so the race is run many
    /// times: the query must never show the failed write, whichever of the two sees the failure first.
    @Test(arguments: [0, 200])
    func queriesShowOnlyCommittedWrites(yieldsBeforeFailure: Int) async throws {
        for round in 0..<100 {
            let (storage, dispatcher, id, tell) = try await Self.tellInFlight(study: "q\(round)", value: 3.0)
            // The query arrives while the tell's commit is in flight (or just as it fails); it must wait for
            // the outcome.
            let query = Task { await dispatcher.call("get_trial", ["trial_id": .int(id)]) }
            for _ in 0..<yieldsBeforeFailure { await Task.yield() }
            await storage.finishNext(failing: true)
            #expect(await tell.value["error"]?["data"]?["kind"] == "storage_error")
            #expect(await query.value["result"]?["state"] == "RUNNING", "round \(round)")
            #expect(await query.value["result"]?["value"] == .null)
        }
    }

    @Test func reAskWithTheSameClientIDWaitsForTheTrialInFlight() async throws {
        let storage = HeldUpdateStorage(holdsCreations: true)
        let dispatcher = Dispatcher(registry: StudyRegistry(storage: storage), version: "test", logger: Logger(label: "test"))
        _ = try #require(await dispatcher.result("create_study", ["study_name": "c", "sampler": "random"]))
        let ask: JSONValue = ["study_name": "c", "search_space": Self.space, "client_id": "worker-1"]
        let first = Task { await dispatcher.call("ask", ask.objectValue ?? [:]) }
        while storage.heldCreationCount == 0 { await Task.yield() }
        // The same worker asks again (say, after a timeout) while its trial is still committing.
        let actor = try await dispatcher.registry.actor(named: "c")
        let again = Task { await dispatcher.call("ask", ask.objectValue ?? [:]) }
        while await !actor.laterOperationHoldsGate { await Task.yield() }
        await storage.finishNextCreation()
        let a = try #require(await first.value["result"]?["trial_id"]?.int64Value)
        let b = try #require(await again.value["result"]?["trial_id"]?.int64Value)
        #expect(a > 0)
        #expect(b == a)
        #expect(storage.heldCreationCount == 0)
    }
}
