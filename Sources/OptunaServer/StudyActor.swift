import FoundationEssentials
public import OptunaCore
public import OptunaStorage
import Synchronization

/// Serializes every ask, tell and report of one study, and caches its trials.
///
/// One actor per study: requests about one study see a consistent history (an ask never misses a tell
/// that was answered before it), while different studies run in parallel. Trials are loaded from storage
/// once and kept up to date write-through; when the storage reports a commit by another writer
/// (``Storage/externalChangeCount()``), the cache is reloaded before the request is served.
///
/// Asks, tells and reports hand the study on to the next request as soon as their write is queued and shown
/// in the cache, then wait for the commit before answering (see `StudyActor+Pipeline.swift`), so requests on
/// one study share group commits.
public actor StudyActor {
    let storage: any Storage
    /// The study as stored.
    public internal(set) var record: StudyRecord {
        didSet { access.withLock { $0 = AccessFacts(record) } }
    }
    /// Who owns the study and whether it is shared, kept in step with ``record``: readable without entering
    /// the actor, as every request's access check reads it.
    nonisolated let access: Mutex<AccessFacts>
    /// The normalized sampler spec.
    public let samplerSpec: ComponentSpec
    /// The normalized pruner spec.
    public let prunerSpec: ComponentSpec
    let sampler: any Sampler
    /// The sampler's seed (``ComponentSpec/seed``), read once: every sampled parameter derives its generator from it.
    let samplerSeed: UInt64
    let pruner: any Pruner
    /// What this study's sampling costs, which decides whether its asks leave the event loop.
    nonisolated let samplingCost: SamplingCost
    /// How many samplings ran on an event loop thread, and how many off it.
    var samplingPlacements = (onEventLoop: 0, offEventLoop: 0)
    /// Every trial, by number.
    var trials: [FrozenTrial] = []
    /// Trial id → index in ``trials``.
    var indexByID: [Int64: Int] = [:]
    /// The first distribution seen for each parameter name (for compatibility checks).
    var knownDistributions: [String: Distribution] = [:]
    /// Relative sampling done for RUNNING trials (define-by-run `suggest` uses it).
    var relative: [Int64: RelativeSample] = [:]
    var seenChangeCount: UInt64 = 0
    var deleted = false
    var gate = AsyncSerialGate()
    /// The writes queued with ``Storage/beginCreateTrial(studyID:template:shareCommit:)`` or
    /// ``Storage/beginUpdateTrial(_:_:expecting:shareCommit:)`` whose commits operations still await, in
    /// queue order. Each leaves the list when its operation resumes, or when a query has seen its outcome.
    var writesInFlight: [PendingWrite<FrozenTrial>] = []
    /// Pipelined trial creations not yet settled: the provisional id each trial has in the cache until then.
    var unsettled: [(provisional: Int64, write: PendingWrite<FrozenTrial>)] = []
    /// Set when a queued write failed after the cache showed its effect: the next operation reloads.
    var cacheSuspect = false
    /// The provisional id given to the next trial created with a pipelined write (negative, below the
    /// -1 that samplers see for a trial being created).
    var nextProvisionalID: Int64 = -2
    /// How many cached trials are WAITING (so asks skip the queue scan when it is empty).
    var waitingCount = 0
    /// The study's reliability and budget options.
    var options = StudyOptions()
    /// When each RUNNING trial last showed life (ask, heartbeat, or any request about it).
    var lastSeen: [Int64: Date] = [:]
    let clock: @Sendable () -> Date

    /// The relative search space and joint sample of one running trial.
    struct RelativeSample {
        var space: SearchSpace
        var params: [String: Double]?
        /// System attributes the sampler asked to record with the sample.
        var attributes: [String: JSONValue] = [:]
    }

    /// System attribute keys under which optunad stores a study's sampler and pruner specs.
    public static let samplerKey = "optunad:sampler"
    /// See ``samplerKey``.
    public static let prunerKey = "optunad:pruner"

    init(
        storage: any Storage, record: StudyRecord, samplerSpec: ComponentSpec, prunerSpec: ComponentSpec,
        clock: @escaping @Sendable () -> Date, samplingLimits: SamplingCost.Limits = .init()
    ) throws(StudyError) {
        self.storage = storage
        self.record = record
        self.access = Mutex(AccessFacts(record))
        self.samplerSpec = samplerSpec
        self.prunerSpec = prunerSpec
        self.sampler = try SamplerCatalog.shared.make(samplerSpec)
        self.samplerSeed = samplerSpec.seed
        self.pruner = try PrunerCatalog.shared.make(prunerSpec)
        self.samplingCost = SamplingCost(sampler: samplerSpec, limits: samplingLimits)
        self.clock = clock
    }

    /// Loads a study's actor from storage: specs from its system attributes (defaults for studies that
    /// Python Optuna created, seeded from the study name so restarts agree), trials from storage.
    static func load(
        storage: any Storage, record: StudyRecord, clock: @escaping @Sendable () -> Date,
        samplingLimits: SamplingCost.Limits = .init()
    ) async throws -> StudyActor {
        let fallbackSeed = JSONValue.int(Int64(bitPattern: SeededGenerator.fnv1a(record.name) >> 1))
        let samplerSpec = try specFromAttrs(
            record.systemAttrs[samplerKey], catalog: SamplerCatalog.shared, defaultType: SamplerCatalog.defaultType,
            seed: fallbackSeed)
        let prunerSpec = try specFromAttrs(
            record.systemAttrs[prunerKey], catalog: PrunerCatalog.shared, defaultType: PrunerCatalog.defaultType,
            seed: fallbackSeed)
        let actor = try StudyActor(
            storage: storage, record: record, samplerSpec: samplerSpec, prunerSpec: prunerSpec, clock: clock,
            samplingLimits: samplingLimits)
        try await actor.reload()
        await actor.adoptRunningTrials()
        return actor
    }

    private static func specFromAttrs<C>(
        _ stored: JSONValue?, catalog: ComponentCatalog<C>, defaultType: String, seed: JSONValue
    ) throws(StudyError) -> ComponentSpec {
        if let stored { return try catalog.normalize(stored) }
        var spec = try catalog.normalize(.string(defaultType))
        if spec.options["seed"] == .null { spec.options["seed"] = seed }
        return spec
    }

    /// Re-reads the study's record and trials from storage.
    ///
    /// After another writer's commit, only the trials cached as RUNNING or WAITING and the new ones are read
    /// (a finished trial never changes): a commit to another study, or an Optuna worker's tell, costs those
    /// trials, not the whole history. A cache that showed a write that failed is read again entirely.
    func reload() async throws {
        // Writes still committing would be missing from what is read: wait for them first.
        await awaitPendingWrites()
        let reusable = !cacheSuspect && !trials.isEmpty
        cacheSuspect = false
        seenChangeCount = try await storage.externalChangeCount()
        record = try await storage.study(id: record.id)
        options = StudyOptions(stored: record.systemAttrs[StudyOptions.key])
        let patched = reusable ? try await refreshReusingFinishedTrials() : false
        if !patched {
            trials = try await storage.trials(studyID: record.id, states: nil)
            // Fields are read through the array: a loop over the trials themselves would copy each one.
            if !trials.indices.dropFirst().allSatisfy({ trials[$0 - 1].number < trials[$0].number }) {
                trials.sort { $0.number < $1.number }
            }
            indexByID = Dictionary(minimumCapacity: trials.count)
            knownDistributions = [:]
            for i in trials.indices {
                indexByID[trials[i].id] = i
                for (name, d) in trials[i].distributions where knownDistributions[name] == nil {
                    knownDistributions[name] = d
                }
            }
        }
        waitingCount = trials.indices.reduce(0) { $0 + (trials[$1].state == .waiting ? 1 : 0) }
        relative = relative.filter { indexByID[$0.key].map { trials[$0].state == .running } ?? false }
        samplingCost.noteHistory(trials.count)
    }

    /// Re-reads only the trials that can have changed since they were cached (those cached as RUNNING or
    /// WAITING, and new ones; see ``KnownTrials``) and caches them. Returns false when the storage cannot tell
    /// them apart; the caller then reads everything again.
    private func refreshReusingFinishedTrials() async throws -> Bool {
        var lastID: Int64 = -1
        var unfinished: [Int64] = []
        for i in trials.indices {
            lastID = max(lastID, trials[i].id)
            if !trials[i].state.isFinished { unfinished.append(trials[i].id) }
        }
        let known = KnownTrials(count: trials.count, lastID: lastID, unfinished: unfinished)
        guard let read = try await storage.refreshTrials(studyID: record.id, known: known) else { return false }
        for trial in read { cache(trial) }
        return true
    }

    /// Reloads when another writer committed since the cache was filled, or when a pipelined write has
    /// failed (even if the operation that queued it has not resumed yet to say so).
    func refreshIfNeeded() async throws {
        if deleted { throw StorageError.studyNotFound(name: record.name) }
        settleFinishedWrites()
        if writesInFlight.contains(where: { if case .failure = $0.result { true } else { false } }) {
            cacheSuspect = true
        }
        // Asked without waiting first: the usual answer then costs no hop off the actor and back.
        let count: UInt64
        if let known = storage.externalChangeCountWithoutWaiting() {
            count = known
        } else {
            count = try await storage.externalChangeCount()
        }
        if count != seenChangeCount || cacheSuspect { try await reload() }
    }

    /// An immutable view of the study now.
    var snapshot: StudySnapshot {
        StudySnapshot(
            studyID: record.id, name: record.name, directions: record.directions, trials: trials,
            userAttrs: record.userAttrs, systemAttrs: record.systemAttrs)
    }

    /// Stores a trial returned by storage in the cache.
    ///
    /// - Parameter namesRecorded: the caller knows the study has recorded all of the trial's parameter names.
    func cache(_ trial: FrozenTrial, namesRecorded: Bool = false) {
        if trial.state == .waiting { waitingCount += 1 }
        // A trial's parameters are only ever added to, so a cached version with as many distributions has
        // recorded these names already.
        var namesKnown = namesRecorded
        if let i = indexByID[trial.id] {
            if trials[i].state == .waiting { waitingCount -= 1 }
            namesKnown = trials[i].distributions.count == trial.distributions.count
            trials[i] = trial
        } else {
            indexByID[trial.id] = trials.count
            trials.append(trial)
            if trial.number != trials.count - 1 {
                trials.sort { $0.number < $1.number }
                for (i, t) in trials.enumerated() { indexByID[t.id] = i }
            }
        }
        if !namesKnown {
            for (name, d) in trial.distributions where knownDistributions[name] == nil { knownDistributions[name] = d }
        }
        if trial.state != .running {
            relative[trial.id] = nil
            lastSeen[trial.id] = nil
        }
    }

    /// The cached trial with this id. - Throws: ``StorageError/trialNotFound(_:)``.
    func cachedTrial(_ id: Int64) throws(StorageError) -> FrozenTrial {
        guard let i = indexByID[id] else { throw .trialNotFound(id) }
        return trials[i]
    }

    /// Marks the study deleted and deletes it from storage; later requests fail with `study_not_found`.
    func delete() async throws {
        try await storage.deleteStudy(id: record.id)
        deleted = true
        trials = []
        indexByID = [:]
    }

    /// The trial ids this actor holds (for the registry's trial index).
    var trialIDs: [Int64] { trials.map(\.id) }
}

extension StudyActor {
    /// Runs `operation` on the actor after every operation that arrived before it has finished
    /// (see ``exclusive(_:)``): the entry point for all requests about this study.
    public func perform<T: Sendable>(_ operation: @Sendable (isolated StudyActor) async throws -> T) async throws -> T {
        try await exclusive { try await operation(self) }
    }
}
