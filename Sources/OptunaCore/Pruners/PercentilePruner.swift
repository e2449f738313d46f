/// Prunes a trial whose best intermediate value is outside the kept percentile of the COMPLETE
/// trials' values at the same step (Optuna's `PercentilePruner`).
///
/// The decision, as Optuna makes it:
/// - no pruning until `nStartupTrials` trials are COMPLETE (and never with none), before step
///   `nWarmupSteps`, or away from the first report of each `intervalSteps` window after the warm-up;
/// - a trial whose values are all NaN is pruned;
/// - otherwise the trial's best value so far is compared with the `percentile`-th percentile
///   (the `100 - percentile`-th when maximizing) of the COMPLETE trials' values at the trial's last
///   step, NaNs ignored; with fewer than `nMinTrials` such values, or when the percentile is NaN
///   (NumPy's interpolation across an infinity), the trial goes on.
public struct PercentilePruner: Pruner, Hashable {
    /// The percentile of trials kept, in `0...100`.
    public let percentile: Double
    /// COMPLETE trials needed before any pruning.
    public let nStartupTrials: Int
    /// Steps before which a trial is never pruned.
    public let nWarmupSteps: Int
    /// Distance between pruning checks, counted from `nWarmupSteps`.
    public let intervalSteps: Int
    /// Values at the step needed to judge.
    public let nMinTrials: Int

    /// Creates the pruner; arguments as Optuna's, already validated (see ``kind``).
    public init(
        percentile: Double, nStartupTrials: Int = 5, nWarmupSteps: Int = 0, intervalSteps: Int = 1,
        nMinTrials: Int = 1
    ) {
        self.percentile = percentile
        self.nStartupTrials = nStartupTrials
        self.nWarmupSteps = nWarmupSteps
        self.intervalSteps = intervalSteps
        self.nMinTrials = nMinTrials
    }

    /// Whether the trial's best value is worse than the percentile of the COMPLETE trials at its last step.
    public func prune(study: StudySnapshot, trial: FrozenTrial) -> Bool {
        // Every check before the NaN rule answers false, so the cheap ones go first and the history is read
        // once, in place, only when they pass.
        guard let step = trial.lastStep, step >= nWarmupSteps else { return false }
        guard
            IntermediateValues.isFirstInInterval(
                step: step, steps: trial.intermediateValues.keys, nWarmupSteps: nWarmupSteps,
                intervalSteps: intervalSteps)
        else { return false }
        var completed = 0
        var atStep: [Double] = []
        study.trials.withUnsafeBufferPointer { trials in
            for i in trials.indices where trials[i].state == .complete && trials[i].number != trial.number {
                completed += 1
                if let v = trials[i].intermediateValues[step] { atStep.append(v) }
            }
        }
        if completed == 0 || completed < nStartupTrials { return false }

        let direction = study.direction
        let best = IntermediateValues.best(trial.intermediateValues.values, direction: direction)
        if best.isNaN { return true }

        if atStep.count < nMinTrials { return false }
        let threshold = IntermediateValues.percentile(
            atStep, direction == .maximize ? 100 - percentile : percentile)
        if threshold.isNaN { return false }
        return direction == .maximize ? best < threshold : best > threshold
    }
}

extension PercentilePruner {
    /// The options Optuna's `PercentilePruner` and `MedianPruner` share after `percentile`.
    static let commonOptions: [OptionSpec] = [
        OptionSpec("n_startup_trials", default: 5, .integer(min: 0)),
        OptionSpec("n_warmup_steps", default: 0, .integer(min: 0)),
        OptionSpec("interval_steps", default: 1, .integer(min: 1)),
        OptionSpec("n_min_trials", default: 1, .integer(min: 1)),
    ]

    /// `{"type": "percentile", "percentile": 25.0, "n_startup_trials": 5, "n_warmup_steps": 0,
    /// "interval_steps": 1, "n_min_trials": 1}` (alias `PercentilePruner`); `percentile` is required.
    public static let kind = ComponentKind<any Pruner>(
        type: "percentile", aliases: ["PercentilePruner"],
        options: [OptionSpec("percentile", default: .null, .number(min: 0, max: 100))] + commonOptions
    ) { options in
        PercentilePruner(
            percentile: options.double("percentile") ?? 50,
            nStartupTrials: options.int("n_startup_trials") ?? 5,
            nWarmupSteps: options.int("n_warmup_steps") ?? 0,
            intervalSteps: options.int("interval_steps") ?? 1,
            nMinTrials: options.int("n_min_trials") ?? 1)
    }
}
