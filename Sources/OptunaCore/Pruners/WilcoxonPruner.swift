/// Prunes a trial that a Wilcoxon signed-rank test finds worse than the best trial, comparing their
/// values step by step (Optuna's `WilcoxonPruner`; steps are problem instances, e.g. folds).
///
/// As Optuna decides: never when the trial has no reports or a non-finite one, when there is no best
/// trial, or when the best trial has no reports or a non-finite one. The differences
/// `trial - best` at the steps both reported go into SciPy's signed-rank test (zeros split), one-sided
/// toward "worse"; with fewer than `max(2, nStartupSteps)` differences nothing is pruned. The trial is
/// pruned when `p < pThreshold`, unless the best trial's mean value is no better than the trial's own
/// mean (a safety Optuna keeps). See ``WilcoxonSignedRankTest`` for how exactly p is reproduced.
public struct WilcoxonPruner: Pruner, Hashable {
    /// The p-value below which a trial is pruned, in `0...1`.
    public let pThreshold: Double
    /// Common steps needed before the test is run (at least 2 are always needed).
    public let nStartupSteps: Int

    /// Creates the pruner; arguments as Optuna's, already validated (see ``kind``).
    public init(pThreshold: Double = 0.1, nStartupSteps: Int = 2) {
        self.pThreshold = pThreshold
        self.nStartupSteps = nStartupSteps
    }

    /// Whether the test says the trial is worse than the best trial.
    public func prune(study: StudySnapshot, trial: FrozenTrial) -> Bool {
        guard !trial.intermediateValues.isEmpty, trial.intermediateValues.values.allSatisfy(\.isFinite),
            let best = study.bestTrialIfAny, !best.intermediateValues.isEmpty,
            best.intermediateValues.values.allSatisfy(\.isFinite)
        else { return false }

        let own = IntermediateValues.ordered(trial.intermediateValues)
        let bests = IntermediateValues.ordered(best.intermediateValues)
        var differences: [Double] = []
        for report in own {
            if let b = best.intermediateValues[report.step] { differences.append(report.value - b) }
        }
        if differences.count < max(2, nStartupSteps) { return false }

        let ownMean = own.reduce(0.0) { $0 + $1.value } / Double(own.count)
        let bestMean = bests.reduce(0.0) { $0 + $1.value } / Double(bests.count)
        let maximize = study.direction == .maximize
        let averageIsBest = maximize ? bestMean <= ownMean : bestMean >= ownMean
        let p = WilcoxonSignedRankTest.pValue(differences, alternative: maximize ? .less : .greater)
        return p < pThreshold && !averageIsBest
    }
}

extension WilcoxonPruner {
    /// `{"type": "wilcoxon", "p_threshold": 0.1, "n_startup_steps": 2}` (alias `WilcoxonPruner`).
    public static let kind = ComponentKind<any Pruner>(
        type: "wilcoxon", aliases: ["WilcoxonPruner"],
        options: [
            OptionSpec("p_threshold", default: 0.1, .number(min: 0, max: 1)),
            OptionSpec("n_startup_steps", default: 2, .integer(min: 0)),
        ]
    ) { options in
        WilcoxonPruner(
            pThreshold: options.double("p_threshold") ?? 0.1, nStartupSteps: options.int("n_startup_steps") ?? 2)
    }
}
