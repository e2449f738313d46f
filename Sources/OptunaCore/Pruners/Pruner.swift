/// Decides whether a RUNNING trial should stop early, from the intermediate values it and others reported.
///
/// - Important: Pruners are `Sendable` values with no mutable state and no I/O; a decision is a pure
///   function of the snapshot and the trial (Optuna's `BasePruner.prune`). The snapshot includes `trial`.
///   optunad asks right after every `report`; where Optuna's pruner keeps state between questions
///   (``SuccessiveHalvingPruner``'s rungs, ``HyperbandPruner``'s set-up), the state is rebuilt from the
///   snapshot on that assumption, so asking again without a new report gives the same answer.
public protocol Pruner: Sendable {
    /// Whether `trial` should be pruned now.
    func prune(study: StudySnapshot, trial: FrozenTrial) -> Bool

    /// The part of the study the sampler should see when sampling `trial` (all of it by default;
    /// Hyperband narrows it to the trial's bracket).
    func samplerView(of study: StudySnapshot, for trial: FrozenTrial) -> StudySnapshot
}

extension Pruner {
    /// The whole study.
    public func samplerView(of study: StudySnapshot, for trial: FrozenTrial) -> StudySnapshot { study }
}
