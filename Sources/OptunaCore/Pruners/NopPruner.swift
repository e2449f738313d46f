/// Never prunes (Optuna's `NopPruner`).
public struct NopPruner: Pruner {
    /// Creates the pruner.
    public init() {}

    /// Always `false`.
    public func prune(study: StudySnapshot, trial: FrozenTrial) -> Bool { false }
}
