/// Asynchronous successive halving (Optuna's `SuccessiveHalvingPruner`).
///
/// A trial reaching rung `r`'s promotion step, `minResource * reductionFactor^(minEarlyStoppingRate + r)`,
/// records its value there and goes on only if that value is in the top `1 / reductionFactor` of the
/// values recorded for the rung so far (the best one always goes on; ties go on). A NaN at a promotion
/// step prunes; while a rung has `bootstrapCount` values or fewer, every trial reaching it is pruned.
/// `minResource` `"auto"` is `max(lastStep / 100, 1)` over the trials COMPLETE when the pruner is first
/// asked after a trial has completed with reports; before that nothing is pruned or recorded (see
/// ``SetupPoint`` for how that moment is placed).
///
/// - Important: Optuna keeps the rung records in trial attributes written while deciding; this pruner
///   rebuilds them from the snapshot instead (see ``SuccessiveHalvingLadder`` for the model), so it gives
///   Optuna's decisions when trials run one at a time and every report is followed by a decision.
public struct SuccessiveHalvingPruner: Pruner, ReportReplayingPruner, Hashable {
    /// The minimum resource (`r`), or `.auto`.
    public let minResource: ResourceOption
    /// The reduction factor (`eta`), at least 2.
    public let reductionFactor: Int
    /// The minimum early-stopping rate (`s`).
    public let minEarlyStoppingRate: Int
    /// Values a rung needs before it promotes anything.
    public let bootstrapCount: Int
    /// The replay of the study's leading finished trials (not part of the pruner's value).
    let cache = RungTableCache()

    /// Creates the pruner; arguments as Optuna's, already validated (see ``kind``).
    public init(
        minResource: ResourceOption = .auto, reductionFactor: Int = 4, minEarlyStoppingRate: Int = 0,
        bootstrapCount: Int = 0
    ) {
        self.minResource = minResource
        self.reductionFactor = reductionFactor
        self.minEarlyStoppingRate = minEarlyStoppingRate
        self.bootstrapCount = bootstrapCount
    }

    /// Whether the trial's latest report fails a rung it has just reached.
    public func prune(study: StudySnapshot, trial: FrozenTrial) -> Bool {
        prune(study: study, trial: trial, askedOnlyWhen: [])
    }

    func prune(study: StudySnapshot, trial: FrozenTrial, askedOnlyWhen rules: [PatienceRule]) -> Bool {
        guard trial.lastStep != nil else { return false }
        let resource: Int
        let setup: SetupPoint
        switch minResource {
        case .steps(let n):
            resource = n
            setup = .fromStart
        case .auto:
            guard
                let point = SetupPoint.sizing(
                    trials: study.trials, current: trial, direction: study.direction, rules: rules),
                let largest = point.largestCompletedStep
            else { return false }
            resource = max(IntermediateValues.floorDivide(largest, 100), 1)
            setup = point
        }
        let ladder = SuccessiveHalvingLadder(
            minResource: resource, reductionFactor: reductionFactor, minEarlyStoppingRate: minEarlyStoppingRate,
            bootstrapCount: bootstrapCount)
        return ladder.decide(
            trials: study.trials, current: trial, direction: study.direction, setup: setup, askedOnlyWhen: rules,
            cache: cache)
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.minResource == b.minResource && a.reductionFactor == b.reductionFactor
            && a.minEarlyStoppingRate == b.minEarlyStoppingRate && a.bootstrapCount == b.bootstrapCount
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(minResource)
        hasher.combine(reductionFactor)
        hasher.combine(minEarlyStoppingRate)
        hasher.combine(bootstrapCount)
    }
}

extension SuccessiveHalvingPruner {
    /// `{"type": "successive_halving", "min_resource": "auto", "reduction_factor": 4,
    /// "min_early_stopping_rate": 0, "bootstrap_count": 0}` (alias `SuccessiveHalvingPruner`);
    /// `bootstrap_count > 0` needs an integer `min_resource`, as in Optuna.
    public static let kind = ComponentKind<any Pruner>(
        type: "successive_halving", aliases: ["SuccessiveHalvingPruner"],
        options: [
            OptionSpec(
                "min_resource", default: "auto",
                .custom(ResourceOption.validator(component: "successive_halving", option: "min_resource"))),
            OptionSpec("reduction_factor", default: 4, .integer(min: 2)),
            OptionSpec("min_early_stopping_rate", default: 0, .integer(min: 0)),
            OptionSpec("bootstrap_count", default: 0, .integer(min: 0)),
        ]
    ) { options throws(StudyError) in
        let minResource = ResourceOption(options["min_resource"])
        let bootstrap = options.int("bootstrap_count") ?? 0
        if bootstrap > 0 && minResource == .auto {
            throw .invalidConfiguration(
                "successive_halving: bootstrap_count > 0 needs an integer min_resource, not \"auto\"")
        }
        return SuccessiveHalvingPruner(
            minResource: minResource, reductionFactor: options.int("reduction_factor") ?? 4,
            minEarlyStoppingRate: options.int("min_early_stopping_rate") ?? 0, bootstrapCount: bootstrap)
    }
}
