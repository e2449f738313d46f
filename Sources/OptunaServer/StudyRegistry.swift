public import FoundationEssentials
public import OptunaCore
public import OptunaStorage
import Synchronization

/// Finds the ``StudyActor`` for a study name, study id or trial id, loading studies lazily on first use.
///
/// Lookups are synchronous under a mutex (no actor hop on the hot path); loading a study happens outside
/// the lock, and when two requests load the same study at once, the first actor stored wins.
public final class StudyRegistry: Sendable {
    /// The storage every study lives in.
    public let storage: any Storage
    let clock: @Sendable () -> Date
    /// When a study's asks leave the event loop (see ``SamplingCost``).
    let samplingLimits: SamplingCost.Limits

    private struct State {
        var byName: [String: StudyActor] = [:]
        var byID: [Int64: StudyActor] = [:]
        var studyOfTrial: [Int64: Int64] = [:]
    }

    private let state = Mutex(State())
    /// Trials leased to connections.
    let leases = LeaseTable()

    /// Creates a registry over `storage`.
    public convenience init(storage: any Storage, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.init(storage: storage, clock: clock, samplingLimits: SamplingCost.Limits())
    }

    /// A registry whose studies sample on the event loop within `samplingLimits` (tests use extremes).
    init(storage: any Storage, clock: @escaping @Sendable () -> Date = { Date() }, samplingLimits: SamplingCost.Limits) {
        self.storage = storage
        self.clock = clock
        self.samplingLimits = samplingLimits
    }

    /// The actor of the study named `name`. - Throws: `StorageError.studyNotFound`.
    public func actor(named name: String) async throws -> StudyActor {
        if let a = state.withLock({ $0.byName[name] }) { return a }
        let record = try await storage.study(named: name)
        return try await install(record)
    }

    /// The actor of the study with this id.
    public func actor(id: Int64) async throws -> StudyActor {
        if let a = state.withLock({ $0.byID[id] }) { return a }
        let record = try await storage.study(id: id)
        return try await install(record)
    }

    /// The actor of the study a trial belongs to. - Throws: `StorageError.trialNotFound`.
    public func actor(forTrial trialID: Int64) async throws -> StudyActor {
        if let studyID = state.withLock({ $0.studyOfTrial[trialID] }) { return try await actor(id: studyID) }
        let studyID = try await storage.studyID(ofTrial: trialID)
        noteTrial(trialID, studyID: studyID)
        return try await actor(id: studyID)
    }

    /// Records that a trial belongs to a study (called for every trial an actor creates).
    public func noteTrial(_ trialID: Int64, studyID: Int64) {
        state.withLock { $0.studyOfTrial[trialID] = studyID }
    }

    private func install(_ record: StudyRecord) async throws -> StudyActor {
        let loaded = try await StudyActor.load(
            storage: storage, record: record, clock: clock, samplingLimits: samplingLimits)
        let ids = await loaded.trialIDs
        return state.withLock { s in
            if let existing = s.byID[record.id] { return existing }
            s.byID[record.id] = loaded
            s.byName[record.name] = loaded
            for t in ids { s.studyOfTrial[t] = record.id }
            return loaded
        }
    }

    /// Creates a study with validated specs, or returns the existing one when `loadIfExists` is set.
    ///
    /// - Returns: the actor and whether the study was created now.
    public func create(
        name: String, directions: [StudyDirection], sampler: ComponentSpec, pruner: ComponentSpec,
        userAttrs: [String: JSONValue], systemAttrs extra: [String: JSONValue] = [:], loadIfExists: Bool
    ) async throws -> (StudyActor, created: Bool) {
        var systemAttrs: [String: JSONValue] = [
            StudyActor.samplerKey: sampler.json, StudyActor.prunerKey: pruner.json,
        ]
        for (k, v) in extra { systemAttrs[k] = v }
        let result: Result<StudyRecord, StorageError>
        do {
            result = .success(
                try await storage.createStudy(
                    name: name, directions: directions, userAttrs: userAttrs, systemAttrs: systemAttrs))
        } catch {
            result = .failure(error)
        }
        switch result {
        case .success(let record):
            return (try await install(record), true)
        case .failure(.duplicateStudyName) where loadIfExists:
            return (try await actor(named: name), false)
        case .failure(let error):
            throw error
        }
    }

    /// Deletes a study and forgets its actor.
    public func delete(name: String) async throws {
        let a = try await actor(named: name)
        try await a.perform { try await $0.delete() }
        let id = await a.record.id
        state.withLock { s in
            s.byName[name] = nil
            s.byID[id] = nil
            s.studyOfTrial = s.studyOfTrial.filter { $0.value != id }
        }
    }

    /// Every study's actor, in id order (loads those not loaded yet).
    public func allActors() async throws -> [StudyActor] {
        var out: [StudyActor] = []
        for record in try await storage.allStudies() {
            out.append(try await actor(id: record.id))
        }
        return out
    }

    /// The actors loaded so far (for status reporting).
    public var loadedActors: [StudyActor] { state.withLock { Array($0.byID.values) } }

    /// Fails the trials leased to a connection that closed (and queues their retries).
    public func connectionClosed(_ connection: UInt64) async {
        for trialID in leases.takeAll(of: connection) {
            guard let actor = try? await actor(forTrial: trialID) else { continue }
            _ = try? await actor.perform { try await $0.fail(trialID: trialID, reason: "the connection that asked for it closed before tell") }
        }
    }

    /// Fails stale RUNNING trials in every loaded study that checks heartbeats; returns how many failed.
    @discardableResult
    public func failStaleTrials() async -> Int {
        var failed = 0
        for actor in loadedActors {
            failed += (try? await actor.perform { try await $0.failStaleTrials().count }) ?? 0
        }
        return failed
    }

    /// Loads every study that checks heartbeats, so its stale trials are found after a restart too.
    public func loadStudiesWithHeartbeats() async {
        guard let records = try? await storage.allStudies() else { return }
        for r in records where StudyOptions(stored: r.systemAttrs[StudyOptions.key]).heartbeatInterval != nil {
            _ = try? await actor(id: r.id)
        }
    }
}
