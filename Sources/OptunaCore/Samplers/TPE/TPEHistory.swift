/// What TPE remembers about one study between asks: the finished trials, ranked and by parameter.
///
/// Finished trials never change, so each is folded in once, when a snapshot first shows it COMPLETE or
/// PRUNED: it is ranked for the below/above split (by value, by last intermediate value, or by constraint
/// violation) and its parameters are added to the sorted ``TPEColumn``s. An ask then costs time for what
/// changed plus linear passes without sorting or dictionary lookups per trial.
///
/// - Important: The history is a cache and never changes results: every ordering it keeps is total
///   (ties broken by trial number), so a fresh history gives the same samples as a long-lived one.
final class TPEHistory {
    /// How a trial enters the split.
    enum Status: UInt8 {
        /// Not finished yet (RUNNING or WAITING), or not seen.
        case pending
        /// COMPLETE and feasible.
        case complete
        /// PRUNED and feasible.
        case pruned
        /// COMPLETE or PRUNED with a positive constraint violation.
        case infeasible
        /// FAIL: never used.
        case ignored
    }

    /// The study's id.
    let studyID: Int64
    /// The study's name.
    let studyName: String
    /// The study's directions.
    let directions: [StudyDirection]
    /// Status by trial number.
    private(set) var status: [Status] = []
    /// Storage ids of folded trials by number (-1 if not folded), to notice a different study's history.
    private(set) var foldedIDs: [Int64] = []
    /// Trial numbers seen so far: `0..<seenCount`.
    private(set) var seenCount = 0
    /// Numbers below ``seenCount`` that were not finished when last seen.
    private(set) var pending: [Int] = []
    /// Folded (COMPLETE or PRUNED) trial numbers, ascending.
    private(set) var finishedNumbers: [Int32] = []
    /// Feasible COMPLETE trials by (normalized first objective, number): the single-objective ranking.
    private(set) var completeOrder: [Int32] = []
    /// Feasible COMPLETE trials in number order (for the multi-objective ranking).
    private(set) var completeNumbers: [Int32] = []
    /// Feasible PRUNED trials by (-last step, normalized last value, number).
    private(set) var prunedOrder: [Int32] = []
    /// Infeasible trials by (total violation, number).
    private(set) var infeasibleOrder: [Int32] = []
    /// Normalized objective values by number (`directions.count` per trial; NaN for unused rows).
    private(set) var objectives: [Double] = []
    /// Sort keys of the PRUNED ranking by number.
    private var prunedKeys: [(step: Double, value: Double)] = []
    /// Total constraint violation by number.
    private var violation: [Double] = []
    /// Parameter columns by name.
    private(set) var columns: [String: TPEColumn] = [:]
    /// The relative search spaces.
    private(set) var spaces: TPESearchSpaceTracker
    /// Memo of the last multi-objective split: (complete count, below count) → below numbers.
    var multiObjectiveMemo: (complete: Int, nBelow: Int, below: [Int32])?
    /// Scratch: kernel index by trial number while an estimator is built (-1 otherwise).
    var kernelIndex: [Int32] = []
    /// Scratch: whether a trial is in the below set, by number.
    var isBelow: [Bool] = []
    /// The reusable "below" estimator (a sampling step uses one below and one above estimator at a time).
    let belowEstimator = ParzenEstimator()
    /// The reusable "above" estimator.
    let aboveEstimator = ParzenEstimator()
    /// Whether "above" bandwidths are patched from the columns' interior gaps when possible (see
    /// ``BandwidthPatch``) rather than walked; both give the same bandwidths (tests compare them).
    var patchesBandwidths = true
    /// Reusable evaluation buffers.
    var workspace = ParzenWorkspace()

    /// An empty history for a study.
    init(studyID: Int64, studyName: String, directions: [StudyDirection], tracksGroups: Bool) {
        self.studyID = studyID
        self.studyName = studyName
        self.directions = directions
        spaces = TPESearchSpaceTracker(tracksGroups: tracksGroups)
    }

    /// Whether this history belongs to the snapshot's study.
    func matches(_ study: StudySnapshot) -> Bool {
        study.studyID == studyID && study.name == studyName && study.directions == directions
    }

    /// Folds in the trials of `study` that finished since the last call.
    ///
    /// - Returns: false when the snapshot contradicts the history (fewer trials, or a folded trial with
    ///   another id); the caller then starts a fresh history.
    func sync(with study: StudySnapshot) -> Bool {
        let trials = study.trials
        guard trials.count >= seenCount else { return false }
        for n in [finishedNumbers.first, finishedNumbers.last].compactMap({ $0 }).map(Int.init)
        where trials[n].id != foldedIDs[n] {
            return false
        }
        grow(to: trials.count)
        var stillPending: [Int] = []
        for n in pending + Array(seenCount..<trials.count) {
            let trial = trials[n]
            guard trial.number == n else { return false }
            switch trial.state {
            case .complete, .pruned: fold(trial, snapshot: study)
            case .fail: status[n] = .ignored
            case .running, .waiting: stillPending.append(n)
            }
        }
        pending = stillPending
        seenCount = trials.count
        return true
    }

    private func grow(to count: Int) {
        guard status.count < count else { return }
        let extra = count - status.count
        status.append(contentsOf: repeatElement(.pending, count: extra))
        foldedIDs.append(contentsOf: repeatElement(-1, count: extra))
        objectives.append(contentsOf: repeatElement(.nan, count: extra * directions.count))
        prunedKeys.append(contentsOf: repeatElement((step: 0.0, value: 0.0), count: extra))
        violation.append(contentsOf: repeatElement(0, count: extra))
        kernelIndex.append(contentsOf: repeatElement(-1, count: extra))
        isBelow.append(contentsOf: repeatElement(false, count: extra))
        for column in columns.values { column.grow(to: count) }
    }

    private func fold(_ trial: FrozenTrial, snapshot: StudySnapshot) {
        let n = trial.number
        let number = Int32(n)
        foldedIDs[n] = trial.id
        Self.insert(number, into: &finishedNumbers) { $0 < $1 }
        let objectiveCount = directions.count
        for (j, direction) in directions.enumerated() {
            let raw = trial.values.flatMap { j < $0.count ? $0[j] : nil } ?? .nan
            objectives[n * objectiveCount + j] = raw.isNaN ? .infinity : direction.normalized(raw)
        }
        let totalViolation = (trial.constraints ?? []).reduce(0.0) { $1 > 0 ? $0 + $1 : $0 }
        violation[n] = totalViolation
        if totalViolation > 0 {
            status[n] = .infeasible
            let v = violation
            Self.insert(number, into: &infeasibleOrder) { a, b in
                (v[Int(a)], a) < (v[Int(b)], b)
            }
        } else if trial.state == .complete {
            status[n] = .complete
            Self.insert(number, into: &completeNumbers) { $0 < $1 }
            let o = objectives
            Self.insert(number, into: &completeOrder) { a, b in
                (o[Int(a) * objectiveCount], a) < (o[Int(b) * objectiveCount], b)
            }
        } else {
            status[n] = .pruned
            prunedKeys[n] = prunedKey(trial)
            let keys = prunedKeys
            Self.insert(number, into: &prunedOrder) { a, b in
                (keys[Int(a)].step, keys[Int(a)].value, a) < (keys[Int(b)].step, keys[Int(b)].value, b)
            }
        }
        for column in columns.values {
            if let v = trial.params[column.name] { column.add(number: n, internalValue: v) }
        }
        spaces.fold(trial)
    }

    /// Optuna's ranking key of a pruned trial: later last steps first, then better last values
    /// (NaN last); a trial without intermediate values ranks after all that have some.
    private func prunedKey(_ trial: FrozenTrial) -> (step: Double, value: Double) {
        guard let step = trial.lastStep, let value = trial.intermediateValues[step] else { return (1, 0) }
        if value.isNaN { return (-Double(step), .infinity) }
        return (-Double(step), (directions.first ?? .minimize).normalized(value))
    }

    /// Inserts `element` into the ascending array `array` (ordered by `less`) after any equal elements.
    static func insert(_ element: Int32, into array: inout [Int32], by less: (Int32, Int32) -> Bool) {
        if let last = array.last, !less(element, last) {
            array.append(element)
            return
        }
        var lo = 0
        var hi = array.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if less(element, array[mid]) { hi = mid } else { lo = mid + 1 }
        }
        array.insert(element, at: lo)
    }

    /// The column for `name` in the given storage form, created from the folded trials if needed.
    func column(_ name: String, isLog: Bool, snapshot: StudySnapshot) -> TPEColumn {
        if let existing = columns[name], existing.isLog == isLog { return existing }
        let column = TPEColumn(name: name, isLog: isLog)
        column.grow(to: seenCount)
        var entries: [(number: Int, internalValue: Double)] = []
        entries.reserveCapacity(finishedNumbers.count)
        for number in finishedNumbers {
            let n = Int(number)
            if let v = snapshot.trials[n].params[name] { entries.append((n, v)) }
        }
        column.addAll(entries)
        columns[name] = column
        return column
    }
}
