public import FoundationEssentials
public import OptunaCore
public import OptunaStorage

/// What `get_study` reports about a study.
public struct StudySummary: Sendable {
    /// The stored record.
    public var record: StudyRecord
    /// The sampler spec.
    public var sampler: ComponentSpec
    /// The pruner spec.
    public var pruner: ComponentSpec
    /// Trial counts by state.
    public var countsByState: [TrialState: Int]
    /// The best trial (single-objective studies with a COMPLETE trial).
    public var bestTrial: FrozenTrial?
    /// When the first trial started.
    public var datetimeStart: Date?
    /// For a grid sampler: whether every grid point has been handed out (nil for other samplers).
    public var gridExhausted: Bool?
}

extension StudyActor {
    /// The study's grid sampler, also inside `partial_fixed`.
    var gridSampler: GridSampler? {
        if let g = sampler as? GridSampler { return g }
        return (sampler as? PartialFixedSampler)?.baseSampler as? GridSampler
    }

    /// The study's summary now.
    func summary() async throws -> StudySummary {
        try await refreshForQuery()
        // One pass that copies no trial (fields are read through the array), counted per state in an array.
        let states = TrialState.allCases
        var counts = [Int](repeating: 0, count: states.count)
        var start: Date?
        for i in trials.indices {
            counts[states.firstIndex(of: trials[i].state) ?? 0] += 1
            if let s = trials[i].datetimeStart, start.map({ s < $0 }) ?? true { start = s }
        }
        let snap = snapshot
        return StudySummary(
            record: record, sampler: samplerSpec, pruner: prunerSpec,
            countsByState: Dictionary(uniqueKeysWithValues: zip(states, counts).filter { $0.1 > 0 }),
            bestTrial: snap.isMultiObjective ? nil : snap.bestTrialIfAny,
            datetimeStart: start, gridExhausted: gridSampler?.isExhausted(study: snap))
    }

    /// One trial.
    func trial(id: Int64) async throws -> FrozenTrial {
        try await refreshForQuery()
        return try cachedTrial(id)
    }

    /// Trials in number order, filtered by state, then paged.
    func trials(states: Set<TrialState>?, offset: Int, limit: Int?) async throws -> [FrozenTrial] {
        try await refreshForQuery()
        let filtered = states.map { s in trials.filter { s.contains($0.state) } } ?? trials
        guard offset < filtered.count else { return [] }
        let end = limit.map { min(filtered.count, offset + $0) } ?? filtered.count
        return Array(filtered[offset..<end])
    }

    /// The best trial (single objective).
    func bestTrial() async throws -> FrozenTrial {
        try await refreshForQuery()
        return try snapshot.bestTrial()
    }

    /// The Pareto front.
    func bestTrials() async throws -> [FrozenTrial] {
        try await refreshForQuery()
        return snapshot.bestTrials()
    }
}
