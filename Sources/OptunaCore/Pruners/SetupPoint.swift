/// The first question Optuna's successive halving or Hyperband pruner could answer: before it, an
/// `"auto"` resource was not sized yet (no trial had COMPLETED with reports) and nothing was recorded.
///
/// Replayed in the model of ``SuccessiveHalvingLadder`` (trials one after another in number order, the
/// trial being decided last): the set-up happens at the first report that was asked about, made by a
/// trial numbered after some COMPLETE trial with reports; the resource is sized from the COMPLETE
/// trials with reports numbered before that trial. With no such report, the set-up is the question
/// being answered now, sized from every COMPLETE trial.
struct SetupPoint: Hashable, Sendable {
    /// The trial of the first report after set-up, or nil when the set-up is the current question.
    let trialNumber: Int?
    /// That report's index among the trial's reports ordered by step.
    let reportIndex: Int
    /// The largest last step of the COMPLETE trials the resource is sized from (nil for fixed resources).
    let largestCompletedStep: Int?

    /// Set up before any report (fixed resources: Optuna needs nothing to start).
    static let fromStart = SetupPoint(trialNumber: .min, reportIndex: 0, largestCompletedStep: nil)

    /// Whether the question about report `index` of trial `number` comes at or after the set-up.
    func precedes(trial number: Int, report index: Int) -> Bool {
        guard let first = trialNumber else { return false }
        return number > first || (number == first && index >= reportIndex)
    }

    /// The index of the first report of trial `number` that comes at or after the set-up, for a trial asked
    /// about every report from then on; nil when none of its reports does.
    func firstReportAsked(byTrial number: Int) -> Int? {
        if precedes(trial: number, report: 0) { return 0 }
        return trialNumber == number ? reportIndex : nil
    }

    /// Locates the set-up for `"auto"` resources, or nil when no trial has COMPLETED with reports.
    ///
    /// - Parameters:
    ///   - trials: the whole study, including `current`.
    ///   - current: the trial being decided (its latest report is the current question).
    ///   - rules: reports a wrapping ``PatientPruner`` passed on; others were never asked about.
    static func sizing(
        trials: [FrozenTrial], current: FrozenTrial?, direction: StudyDirection, rules: [PatienceRule]
    ) -> SetupPoint? {
        var largest: Int?
        for i in trials.positionsInNumberOrder() {
            if let largest, let index = firstAsked(trials[i], current: current, direction: direction, rules: rules) {
                return SetupPoint(trialNumber: trials[i].number, reportIndex: index, largestCompletedStep: largest)
            }
            if trials[i].state == .complete, trials[i].number != current?.number, let step = trials[i].lastStep {
                largest = max(largest ?? step, step)
            }
        }
        guard let largest else { return nil }
        return SetupPoint(trialNumber: nil, reportIndex: 0, largestCompletedStep: largest)
    }

    /// The index of the trial's first report asked about (the current trial's latest one excluded).
    private static func firstAsked(
        _ trial: FrozenTrial, current: FrozenTrial?, direction: StudyDirection, rules: [PatienceRule]
    ) -> Int? {
        let isCurrent = trial.number == current?.number
        let reports = isCurrent ? current?.intermediateValues ?? [:] : trial.intermediateValues
        if rules.isEmpty { return reports.count > (isCurrent ? 1 : 0) ? 0 : nil }
        let order = StepOrder(reports, droppingLast: isCurrent)
        var scans = rules.map { PatienceRule.Scan(rule: $0, direction: direction) }
        for index in 0..<order.count {
            let value = order.value(at: index)
            var asked = true
            for i in scans.indices where !scans[i].append(value) { asked = false }
            if asked { return index }
        }
        return nil
    }
}
