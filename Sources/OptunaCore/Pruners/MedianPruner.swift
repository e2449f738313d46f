/// Prunes a trial whose best intermediate value is worse than the median of the COMPLETE trials'
/// values at the same step (Optuna's `MedianPruner`, the default pruner).
///
/// It is ``PercentilePruner`` at the 50th percentile: a trial whose values are all NaN is pruned,
/// and NaNs among the other trials' values are ignored.
public struct MedianPruner: Pruner, Hashable {
    /// The equivalent percentile pruner.
    public let base: PercentilePruner

    /// Creates the pruner; arguments as Optuna's, already validated (see ``kind``).
    public init(nStartupTrials: Int = 5, nWarmupSteps: Int = 0, intervalSteps: Int = 1, nMinTrials: Int = 1) {
        base = PercentilePruner(
            percentile: 50, nStartupTrials: nStartupTrials, nWarmupSteps: nWarmupSteps,
            intervalSteps: intervalSteps, nMinTrials: nMinTrials)
    }

    /// Whether the trial's best value is worse than the median at its last step.
    public func prune(study: StudySnapshot, trial: FrozenTrial) -> Bool {
        base.prune(study: study, trial: trial)
    }
}

extension MedianPruner {
    /// `{"type": "median", "n_startup_trials": 5, "n_warmup_steps": 0, "interval_steps": 1,
    /// "n_min_trials": 1}` (alias `MedianPruner`).
    public static let kind = ComponentKind<any Pruner>(
        type: "median", aliases: ["MedianPruner"], options: PercentilePruner.commonOptions
    ) { options in
        MedianPruner(
            nStartupTrials: options.int("n_startup_trials") ?? 5,
            nWarmupSteps: options.int("n_warmup_steps") ?? 0,
            intervalSteps: options.int("interval_steps") ?? 1,
            nMinTrials: options.int("n_min_trials") ?? 1)
    }
}
