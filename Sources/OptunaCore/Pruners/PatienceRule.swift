/// PatientPruner's test: the best value of the last `patience + 1` reports is no better than the best
/// value before them by more than `minDelta`.
///
/// It is a value of its own because pruners that replay their history (``SuccessiveHalvingPruner``,
/// ``HyperbandPruner``) need to know which earlier reports a wrapping ``PatientPruner`` passed on to them.
struct PatienceRule: Hashable, Sendable {
    /// Reports, beyond the first, that may go by without improvement.
    let patience: Int
    /// How much better than before a value must be to count as an improvement.
    let minDelta: Double

    /// Whether the rule holds for `values` (ordered by step), as Optuna's `PatientPruner` decides it:
    /// never with `patience + 1` values or fewer; NaNs are skipped, and a side with only NaNs never
    /// holds the rule.
    func holds(_ values: [Double], direction: StudyDirection) -> Bool {
        let split = values.count - patience - 1
        guard split > 0 else { return false }
        let before = IntermediateValues.best(values[..<split], direction: direction)
        let after = IntermediateValues.best(values[split...], direction: direction)
        return stalled(before: before, after: after, direction: direction)
    }

    /// The comparison itself; false whenever either side is NaN.
    func stalled(before: Double, after: Double, direction: StudyDirection) -> Bool {
        direction == .minimize ? before + minDelta < after : before - minDelta > after
    }

    /// A running evaluation of the rule over a trial's reports, one report at a time.
    struct Scan {
        let rule: PatienceRule
        let direction: StudyDirection
        private var values: [Double] = []
        private var bestBefore = Double.nan

        /// Starts an empty scan.
        init(rule: PatienceRule, direction: StudyDirection) {
            self.rule = rule
            self.direction = direction
        }

        /// Adds the next report and tells whether the rule holds for the reports so far.
        mutating func append(_ value: Double) -> Bool {
            values.append(value)
            let split = values.count - rule.patience - 1
            guard split > 0 else { return false }
            bestBefore = IntermediateValues.best([bestBefore, values[split - 1]], direction: direction)
            let after = IntermediateValues.best(values[split...], direction: direction)
            return rule.stalled(before: bestBefore, after: after, direction: direction)
        }
    }
}

/// A pruner whose decision depends on which earlier reports it was asked about, because Optuna's
/// version records state when asked (successive halving's rungs, Hyperband's lazy set-up).
///
/// A wrapping ``PatientPruner`` forwards only when its rule holds, so it passes that rule down:
/// the wrapped pruner then replays only the reports for which every rule in `askedOnlyWhen` held.
protocol ReportReplayingPruner: Pruner {
    /// Decides as ``Pruner/prune(study:trial:)``, replaying history as if asked only at the reports
    /// for which all `rules` held.
    func prune(study: StudySnapshot, trial: FrozenTrial, askedOnlyWhen rules: [PatienceRule]) -> Bool
}
