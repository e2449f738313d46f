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
struct SuccessiveHalvingLadder: Hashable, Sendable {
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
    ///   - cache: the pruner's cache of replayed finished trials (see ``RungTableCache``), if it keeps one.
    func decide(
        trials: [FrozenTrial], current: FrozenTrial, direction: StudyDirection, setup: SetupPoint,
        askedOnlyWhen rules: [PatienceRule], cache: RungTableCache? = nil
    ) -> Bool {
        guard let lastStep = current.lastStep, let lastValue = current.intermediateValues[lastStep] else {
            return false
        }
        guard mayReachNewRung(current, setup: setup, direction: direction, rules: rules) else { return false }
        var table = RungTable()
        var currentRecords: [Double] = []
        // In number order, the current trial in its place.
        let order = trials.positionsInNumberOrder { $0.number != current.number }
        let place = order.firstIndex { trials[$0].number > current.number } ?? order.count
        func replayed(_ trial: FrozenTrial, isCurrent: Bool) -> [Double] {
            rules.isEmpty
                ? replay(trial, isCurrent: isCurrent, setup: setup, table: table, direction: direction)
                : replay(trial, isCurrent: isCurrent, setup: setup, table: table, direction: direction, rules: rules)
        }
        // The finished trials ahead of the current one: their replay is cached, and extended by those that
        // finished since.
        var start = 0
        if let cache {
            var finished = 0
            while finished < place, trials[order[finished]].state.isFinished { finished += 1 }
            let key = RungTableCache.Key(ladder: self, setup: setup, direction: direction, rules: rules)
            let mark = { (position: Int) in
                RungTableCache.Mark(id: trials[order[position]].id, reports: trials[order[position]].intermediateValues.count)
            }
            if let hit = cache.lookup(key, count: finished, mark: mark) {
                (start, table) = hit
            }
            if finished > start {
                for position in start..<finished {
                    for (rung, value) in replayed(trials[order[position]], isCurrent: false).enumerated() {
                        table.insert(value, rung: rung)
                    }
                }
                start = finished
                cache.store(key, marks: (0..<finished).map(mark), table: table)
            }
        }
        for position in start...order.count {
            let isCurrent = position == place
            if isCurrent {
                currentRecords = replayed(current, isCurrent: true)
                for (rung, value) in currentRecords.enumerated() { table.insert(value, rung: rung) }
            }
            guard position < order.count else { break }
            for (rung, value) in replayed(trials[order[position]], isCurrent: false).enumerated() {
                table.insert(value, rung: rung)
            }
        }
        return ask(step: lastStep, value: lastValue, records: &currentRecords, table: table, direction: direction)
    }

    /// Whether `current`'s latest report may reach a rung the trial has not recorded yet. Most reports do not,
    /// and then the answer is no whatever the other trials recorded, so
    /// ``decide(trials:current:direction:setup:askedOnlyWhen:cache:)`` (and Hyperband, before it gathers a
    /// bracket) returns at once.
    func mayReachNewRung(
        _ current: FrozenTrial, setup: SetupPoint, direction: StudyDirection, rules: [PatienceRule]
    ) -> Bool {
        guard let lastStep = current.lastStep,
            let promotion = promotionStep(rung: minimumRungs(of: current, setup: setup, direction: direction, rules: rules))
        else { return false }
        return lastStep >= promotion
    }

    /// A lower bound of the rungs `current` has recorded before its latest report, found without the other
    /// trials: its replay (either `replay`) with every question recording one rung, unless the value is NaN.
    ///
    /// A question records at least one rung (several when the report crossed several promotion steps and the
    /// trial is promoted at each), and none for a NaN. By induction over the reports, the replay with the
    /// other trials never has fewer rungs than this one: while both have as many, they ask the same question
    /// and the real one records at least as much; while the real one is ahead, this one gains at most one rung
    /// per report and cannot overtake it. As promotion steps grow with the rung, a latest step below this
    /// bound's promotion step is below the real one too.
    func minimumRungs(
        of current: FrozenTrial, setup: SetupPoint, direction: StudyDirection, rules: [PatienceRule]
    ) -> Int {
        let order = StepOrder(current.intermediateValues, droppingLast: true)
        var rungs = 0
        if rules.isEmpty {
            guard var index = setup.firstReportAsked(byTrial: current.number) else { return 0 }
            while let promotion = promotionStep(rung: rungs) {
                index = order.firstIndex(from: index, stepAtLeast: promotion)
                if index >= order.count { break }
                if !order.value(at: index).isNaN { rungs += 1 }
                index += 1
            }
            return rungs
        }
        var scans = rules.map { PatienceRule.Scan(rule: $0, direction: direction) }
        for index in 0..<order.count {
            let value = order.value(at: index)
            var asked = true
            for i in scans.indices where !scans[i].append(value) { asked = false }
            guard asked, setup.precedes(trial: current.number, report: index) else { continue }
            guard let promotion = promotionStep(rung: rungs) else { break }
            if order.step(at: index) >= promotion, !value.isNaN { rungs += 1 }
        }
        return rungs
    }

    /// The rung values a trial recorded when asked after each of its reports (the current trial's
    /// latest excluded). Only reports at or past the next promotion step can change anything, so it
    /// jumps from one to the next.
    private func replay(
        _ trial: FrozenTrial, isCurrent: Bool, setup: SetupPoint, table: RungTable, direction: StudyDirection
    ) -> [Double] {
        let order = StepOrder(trial.intermediateValues, droppingLast: isCurrent)
        guard var index = setup.firstReportAsked(byTrial: trial.number) else { return [] }
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
struct RungTable: Sendable {
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
