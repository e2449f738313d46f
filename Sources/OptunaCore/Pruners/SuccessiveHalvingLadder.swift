/// Successive halving's rungs, rebuilt from a snapshot instead of stored in trial attributes.
///
/// Optuna's pruner writes `completed_rung_N` into a trial's system attributes each time it is asked and
/// the trial's latest step has reached rung N's promotion step: the value at that step is recorded, and
/// compared with every value recorded for rung N so far. This type replays those questions from the
/// reports in a snapshot, under the model optunad serves:
/// - the pruner is asked right after every report (optunad decides at `report`), reports come in
///   increasing step order, and trials are replayed one after another in number order;
/// - the trial being decided is asked last, once for its latest report, against everything recorded.
///
/// That gives Optuna's decision exactly when trials run one at a time. With trials running at the same
/// time, a report that crossed two rungs at once is replayed as if the later-numbered trials had not
/// recorded yet, which can differ from the order in which Optuna happened to see them. Asking again
/// without a new report gives the same answer (Optuna's second answer can differ, as its first one
/// already recorded the rung).
struct SuccessiveHalvingLadder: Sendable {
    /// The steps of rung 0's promotion are `minResource * reductionFactor^minEarlyStoppingRate`.
    let minResource: Int
    /// Each rung promotes about `1 / reductionFactor` of its trials.
    let reductionFactor: Int
    /// Optuna's `min_early_stopping_rate` (Hyperband's bracket index).
    let minEarlyStoppingRate: Int
    /// A rung must have more than this many values before anything is promoted from it.
    let bootstrapCount: Int

    /// The step at which a trial leaves `rung`, or nil when it does not fit in an `Int` (never reached).
    func promotionStep(rung: Int) -> Int? {
        var step = minResource
        for _ in 0..<(minEarlyStoppingRate + rung) {
            let (product, overflow) = step.multipliedReportingOverflow(by: reductionFactor)
            if overflow { return nil }
            step = product
        }
        return step
    }

    /// Replays `trials` (in number order) and decides for `current`'s latest report.
    ///
    /// - Parameters:
    ///   - trials: the trials that compete with `current` (Hyperband passes one bracket's trials).
    ///   - setup: from when on questions were answered at all (Optuna records nothing before it has sized
    ///     an `"auto"` resource or set Hyperband's brackets up).
    ///   - rules: the reports a wrapping ``PatientPruner`` passed on (empty: every report).
    func decide(
        trials: [FrozenTrial], current: FrozenTrial, direction: StudyDirection, setup: SetupPoint,
        askedOnlyWhen rules: [PatienceRule]
    ) -> Bool {
        guard let lastStep = current.lastStep, let lastValue = current.intermediateValues[lastStep] else {
            return false
        }
        var table = RungTable()
        var currentRecords: [Double] = []
        let ordered = (trials.filter { $0.number != current.number } + [current]).sorted { $0.number < $1.number }
        for trial in ordered {
            let isCurrent = trial.number == current.number
            let records =
                rules.isEmpty
                ? replay(trial, isCurrent: isCurrent, setup: setup, table: table, direction: direction)
                : replay(trial, isCurrent: isCurrent, setup: setup, table: table, direction: direction, rules: rules)
            for (rung, value) in records.enumerated() { table.insert(value, rung: rung) }
            if isCurrent { currentRecords = records }
        }
        return ask(step: lastStep, value: lastValue, records: &currentRecords, table: table, direction: direction)
    }

    /// The rung values a trial recorded when asked after each of its reports (the current trial's
    /// latest excluded). Only reports at or past the next promotion step can change anything, so it
    /// jumps from one to the next.
    private func replay(
        _ trial: FrozenTrial, isCurrent: Bool, setup: SetupPoint, table: RungTable, direction: StudyDirection
    ) -> [Double] {
        let order = StepOrder(trial.intermediateValues, droppingLast: isCurrent)
        var index: Int
        if setup.precedes(trial: trial.number, report: 0) {
            index = 0
        } else if setup.trialNumber == trial.number {
            index = setup.reportIndex
        } else {
            return []
        }
        var records: [Double] = []
        while let promotion = promotionStep(rung: records.count) {
            index = order.firstIndex(from: index, stepAtLeast: promotion)
            if index >= order.count { break }
            _ = ask(
                step: order.step(at: index), value: order.value(at: index), records: &records, table: table,
                direction: direction)
            index += 1
        }
        return records
    }

    /// As the other `replay`, for a trial asked only at the reports for which every rule held.
    private func replay(
        _ trial: FrozenTrial, isCurrent: Bool, setup: SetupPoint, table: RungTable, direction: StudyDirection,
        rules: [PatienceRule]
    ) -> [Double] {
        let order = StepOrder(trial.intermediateValues, droppingLast: isCurrent)
        var scans = rules.map { PatienceRule.Scan(rule: $0, direction: direction) }
        var records: [Double] = []
        for index in 0..<order.count {
            let value = order.value(at: index)
            var asked = true
            for i in scans.indices where !scans[i].append(value) { asked = false }
            if asked && setup.precedes(trial: trial.number, report: index) {
                _ = ask(
                    step: order.step(at: index), value: value, records: &records, table: table, direction: direction)
            }
        }
        return records
    }

    /// One question about a report: records rungs reached and tells whether the trial is pruned.
    ///
    /// `records` holds the values the trial recorded, one per rung from 0; `table` the other trials'.
    private func ask(
        step: Int, value: Double, records: inout [Double], table: RungTable, direction: StudyDirection
    ) -> Bool {
        while true {
            let rung = records.count
            guard let promotion = promotionStep(rung: rung), step >= promotion else { return false }
            if value.isNaN { return true }
            records.append(value)
            let competitors = table.count(rung: rung) + 1
            if competitors <= bootstrapCount { return true }
            if !table.isPromotable(value, rung: rung, reductionFactor: reductionFactor, direction: direction) {
                return true
            }
        }
    }

}

/// The values recorded for each rung, kept sorted.
struct RungTable {
    private var rungs: [[Double]] = []

    /// Values recorded for `rung`.
    func count(rung: Int) -> Int { rung < rungs.count ? rungs[rung].count : 0 }

    /// Records `value` for `rung` (never NaN: NaN reports are pruned before recording).
    mutating func insert(_ value: Double, rung: Int) {
        while rungs.count <= rung { rungs.append([]) }
        rungs[rung].insert(value, at: Self.lowerBound(rungs[rung], value))
    }

    /// Whether `value`, among the rung's values plus itself, is within the top `1 / reductionFactor`
    /// (at least the best one), ties promoted, as Optuna's `_is_trial_promotable_to_next_rung`.
    func isPromotable(_ value: Double, rung: Int, reductionFactor: Int, direction: StudyDirection) -> Bool {
        let others = rung < rungs.count ? rungs[rung] : []
        let n = others.count + 1
        let k = max(n / reductionFactor - 1, 0)
        let below = Self.lowerBound(others, value)
        // The k-th smallest (minimize) or k-th largest (maximize) of `others` with `value` inserted.
        let position = direction == .minimize ? k : n - 1 - k
        let boundary = position < below ? others[position] : position == below ? value : others[position - 1]
        return direction == .minimize ? value <= boundary : value >= boundary
    }

    private static func lowerBound(_ sorted: [Double], _ value: Double) -> Int {
        var lo = 0
        var hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
