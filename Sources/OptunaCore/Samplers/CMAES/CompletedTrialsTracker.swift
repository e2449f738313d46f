import Synchronization

/// What relative samplers learn from a study's finished trials: the intersection search space of the
/// COMPLETE trials (Optuna's `IntersectionSearchSpace()`) and how many trials count as finished.
struct CompletedTrialsSummary: Sendable {
    /// The parameters every COMPLETE trial has with one distribution; nil before the first COMPLETE trial.
    var intersection: SearchSpace?
    /// COMPLETE trials.
    var completeCount = 0
    /// PRUNED trials that reported at least one intermediate value.
    var prunedWithValueCount = 0

    /// Folds in one finished trial.
    mutating func fold(_ trial: FrozenTrial) {
        switch trial.state {
        case .complete:
            completeCount += 1
            if let current = intersection {
                intersection = current.filter { name, d in trial.distributions[name] == d }
            } else {
                intersection = trial.distributions
            }
        case .pruned:
            if !trial.intermediateValues.isEmpty { prunedWithValueCount += 1 }
        default:
            break
        }
    }

    /// The summary of `trials`, computed from scratch.
    static func scan(_ trials: [FrozenTrial]) -> CompletedTrialsSummary {
        var s = CompletedTrialsSummary()
        for t in trials { s.fold(t) }
        return s
    }
}

/// Keeps a ``CompletedTrialsSummary`` per study so that an ask costs time for the trials that changed,
/// not for the whole history.
///
/// Finished trials never change, so each is folded in once; trials that were RUNNING or WAITING when
/// last seen are re-checked on every call. The tracker is a cache only: a snapshot whose trials are not
/// numbered `0..<count` (a pruner's filtered view), or that contradicts what was seen, is summarized from
/// scratch, and the result is always the summary of the snapshot given.
final class CompletedTrialsTracker: Sendable {
    private struct Entry {
        var summary = CompletedTrialsSummary()
        var seenCount = 0
        var pending: [Int] = []
        var lastID: Int64 = -1
    }

    /// Studies kept at once.
    static let capacity = 8
    private let entries = Mutex<[Int64: Entry]>([:])

    /// An empty tracker.
    init() {}

    /// The summary of `study`'s finished trials.
    func summary(of study: StudySnapshot) -> CompletedTrialsSummary {
        let trials = study.trials
        guard trials.last.map({ $0.number == trials.count - 1 }) ?? true else {
            return CompletedTrialsSummary.scan(trials)
        }
        // A trial being created is in the snapshot before storage gave it an id (id < 0); it is RUNNING, so it is
        // left for the next call rather than remembered as the last trial seen.
        let stored = (trials.last?.id ?? 0) < 0 ? trials.count - 1 : trials.count
        return entries.withLock { table in
            var entry = table[study.studyID] ?? Entry()
            if stored < entry.seenCount
                || (entry.seenCount > 0 && trials[entry.seenCount - 1].id != entry.lastID)
            {
                entry = Entry()
            }
            var stillPending: [Int] = []
            for n in entry.pending + Array(entry.seenCount..<stored) {
                let t = trials[n]
                switch t.state {
                case .running, .waiting: stillPending.append(n)
                default: entry.summary.fold(t)
                }
            }
            entry.pending = stillPending
            entry.seenCount = stored
            entry.lastID = stored > 0 ? trials[stored - 1].id : -1
            if table[study.studyID] == nil, table.count >= Self.capacity,
                let victim = table.keys.first(where: { $0 != study.studyID })
            {
                table[victim] = nil
            }
            table[study.studyID] = entry
            return entry.summary
        }
    }
}
