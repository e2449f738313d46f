/// Prunes a trial whose latest intermediate value leaves `lower...upper` (Optuna's `ThresholdPruner`).
///
/// Checks run from step `nWarmupSteps` on, at the first report of each `intervalSteps` window; a NaN
/// latest value is pruned. A missing bound is an infinite one.
public struct ThresholdPruner: Pruner, Hashable {
    /// Values below this are pruned (`-infinity` when not set).
    public let lower: Double
    /// Values above this are pruned (`+infinity` when not set).
    public let upper: Double
    /// Steps before which a trial is never pruned.
    public let nWarmupSteps: Int
    /// Distance between checks, counted from `nWarmupSteps`.
    public let intervalSteps: Int

    /// Creates the pruner; arguments as Optuna's, already validated (see ``kind``).
    public init(lower: Double? = nil, upper: Double? = nil, nWarmupSteps: Int = 0, intervalSteps: Int = 1) {
        self.lower = lower ?? -.infinity
        self.upper = upper ?? .infinity
        self.nWarmupSteps = nWarmupSteps
        self.intervalSteps = intervalSteps
    }

    /// Whether the latest value is NaN or outside the bounds, at a check step.
    public func prune(study: StudySnapshot, trial: FrozenTrial) -> Bool {
        guard let step = trial.lastStep, step >= nWarmupSteps,
            let latest = trial.intermediateValues[step]
        else { return false }
        guard
            IntermediateValues.isFirstInInterval(
                step: step, steps: trial.intermediateValues.keys, nWarmupSteps: nWarmupSteps,
                intervalSteps: intervalSteps)
        else { return false }
        return latest.isNaN || latest < lower || latest > upper
    }
}

extension ThresholdPruner {
    /// `{"type": "threshold", "lower": null, "upper": null, "n_warmup_steps": 0, "interval_steps": 1}`
    /// (alias `ThresholdPruner`); at least one bound is required, and `lower <= upper`.
    public static let kind = ComponentKind<any Pruner>(
        type: "threshold", aliases: ["ThresholdPruner"],
        options: [
            OptionSpec("lower", default: .null, .number(), nullable: true),
            OptionSpec("upper", default: .null, .number(), nullable: true),
            OptionSpec("n_warmup_steps", default: 0, .integer(min: 0)),
            OptionSpec("interval_steps", default: 1, .integer(min: 1)),
        ]
    ) { options throws(StudyError) in
        let lower = options.double("lower")
        let upper = options.double("upper")
        if lower == nil && upper == nil {
            throw .invalidConfiguration("threshold pruner needs 'lower' or 'upper' (or both)")
        }
        if let lower, let upper, lower > upper {
            throw .invalidConfiguration("threshold pruner 'lower' (\(lower)) must not exceed 'upper' (\(upper))")
        }
        return ThresholdPruner(
            lower: lower, upper: upper, nWarmupSteps: options.int("n_warmup_steps") ?? 0,
            intervalSteps: options.int("interval_steps") ?? 1)
    }
}
