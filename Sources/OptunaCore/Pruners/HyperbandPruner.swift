/// Hyperband: successive halving in several brackets of different aggressiveness (Optuna's
/// `HyperbandPruner`).
///
/// Each trial belongs to one bracket, fixed by the study name and the trial number exactly as Optuna
/// hashes them (see ``HyperbandBrackets``), and competes only with that bracket's trials, in a
/// ``SuccessiveHalvingPruner`` whose minimum early-stopping rate is the bracket index. The sampler, too,
/// sees only the trial's bracket (``samplerView(of:for:)``).
///
/// Optuna sets the brackets up the first time it is asked to prune; with `maxResource` `"auto"` that
/// waits until a trial has COMPLETED with reports, and the maximum resource is then the largest last
/// step of the COMPLETE trials plus one. Until then nothing is pruned, reports record nothing, and the
/// sampler sees every trial.
///
/// - Important: Rung records are rebuilt from the snapshot, as in ``SuccessiveHalvingPruner``; the same
///   model applies (decisions equal Optuna's when trials run one at a time, each report followed by a
///   decision). The set-up moment is placed by the same model (see ``SetupPoint``).
public struct HyperbandPruner: Pruner, ReportReplayingPruner, Hashable {
    /// The minimum resource of every bracket, at least 1.
    public let minResource: Int
    /// The maximum resource, or `.auto`.
    public let maxResource: ResourceOption
    /// The reduction factor, at least 2.
    public let reductionFactor: Int
    /// Values a rung needs before it promotes anything.
    public let bootstrapCount: Int
    /// The replay of each bracket's leading finished trials (not part of the pruner's value).
    let cache = RungTableCache()

    /// Creates the pruner; arguments as Optuna's, already validated (see ``kind``).
    public init(
        minResource: Int = 1, maxResource: ResourceOption = .auto, reductionFactor: Int = 3, bootstrapCount: Int = 0
    ) {
        self.minResource = minResource
        self.maxResource = maxResource
        self.reductionFactor = reductionFactor
        self.bootstrapCount = bootstrapCount
    }

    /// The brackets and the moment Optuna set them up.
    private struct Setup {
        let brackets: HyperbandBrackets
        let point: SetupPoint
    }

    /// The set-up as of `study` when deciding about `current` (nil: a new trial with no reports yet),
    /// or nil while Optuna would not have one (and so never prunes).
    private func setup(_ study: StudySnapshot, current: FrozenTrial?, rules: [PatienceRule]) -> Setup? {
        let resource: Int
        let point: SetupPoint
        switch maxResource {
        case .steps(let n):
            resource = n
            point = .fromStart
        case .auto:
            guard
                let p = SetupPoint.sizing(
                    trials: study.trials, current: current, direction: study.direction, rules: rules),
                let largest = p.largestCompletedStep, largest < Int.max
            else { return nil }
            resource = largest + 1
            point = p
        }
        guard
            let brackets = HyperbandBrackets(
                minResource: minResource, maxResource: resource, reductionFactor: reductionFactor)
        else { return nil }
        return Setup(brackets: brackets, point: point)
    }

    /// The bracket of `trial`, or nil while Optuna would not have brackets yet.
    public func bracket(of trial: FrozenTrial, in study: StudySnapshot) -> Int? {
        setup(study, current: trial, rules: [])?.brackets.bracket(studyName: study.name, trialNumber: trial.number)
    }

    /// Whether the trial fails a rung of its bracket's successive halving.
    public func prune(study: StudySnapshot, trial: FrozenTrial) -> Bool {
        prune(study: study, trial: trial, askedOnlyWhen: [])
    }

    func prune(study: StudySnapshot, trial: FrozenTrial, askedOnlyWhen rules: [PatienceRule]) -> Bool {
        guard let setup = setup(study, current: trial, rules: rules) else { return false }
        let bracket = setup.brackets.bracket(studyName: study.name, trialNumber: trial.number)
        let ladder = SuccessiveHalvingLadder(
            minResource: minResource, reductionFactor: reductionFactor, minEarlyStoppingRate: bracket,
            bootstrapCount: bootstrapCount)
        // Most reports reach no new rung: then the bracket's members (a checksum per trial) are not needed.
        guard ladder.mayReachNewRung(trial, setup: setup.point, direction: study.direction, rules: rules) else {
            return false
        }
        let lookup = setup.brackets.lookup(studyName: study.name)
        let members = study.trials.filter { lookup.bracket(ofTrial: $0.number) == bracket }
        return ladder.decide(
            trials: members, current: trial, direction: study.direction, setup: setup.point, askedOnlyWhen: rules,
            cache: cache)
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.minResource == b.minResource && a.maxResource == b.maxResource && a.reductionFactor == b.reductionFactor
            && a.bootstrapCount == b.bootstrapCount
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(minResource)
        hasher.combine(maxResource)
        hasher.combine(reductionFactor)
        hasher.combine(bootstrapCount)
    }

    /// The trials of `trial`'s bracket once Optuna would have set the brackets up, the whole study before.
    ///
    /// Optuna sets them up when first asked to prune after they can be sized, so the view narrows once a
    /// report has been made after that (with an integer `maxResource`: once any report has been made).
    public func samplerView(of study: StudySnapshot, for trial: FrozenTrial) -> StudySnapshot {
        guard let setup = setup(study, current: nil, rules: []), setup.point.trialNumber != nil,
            setup.point.trialNumber != .min || study.trials.contains(where: { !$0.intermediateValues.isEmpty })
        else { return study }
        let lookup = setup.brackets.lookup(studyName: study.name)
        let bracket = lookup.bracket(ofTrial: trial.number)
        var view = study
        view.trials = study.trials.filter { lookup.bracket(ofTrial: $0.number) == bracket }
        return view
    }
}

extension HyperbandPruner {
    /// The largest resource accepted, so that bracket sizes stay exact in double precision.
    static let maximumResource: Int64 = 1 << 40

    /// `{"type": "hyperband", "min_resource": 1, "max_resource": "auto", "reduction_factor": 3,
    /// "bootstrap_count": 0}` (alias `HyperbandPruner`); `bootstrap_count > 0` needs an integer
    /// `max_resource`, as in Optuna.
    public static let kind = ComponentKind<any Pruner>(
        type: "hyperband", aliases: ["HyperbandPruner"],
        options: [
            OptionSpec("min_resource", default: 1, .integer(min: 1, max: maximumResource)),
            OptionSpec(
                "max_resource", default: "auto",
                .custom(ResourceOption.validator(component: "hyperband", option: "max_resource", max: maximumResource))),
            OptionSpec("reduction_factor", default: 3, .integer(min: 2)),
            OptionSpec("bootstrap_count", default: 0, .integer(min: 0)),
        ]
    ) { options throws(StudyError) in
        let maxResource = ResourceOption(options["max_resource"])
        let bootstrap = options.int("bootstrap_count") ?? 0
        if bootstrap > 0 && maxResource == .auto {
            throw .invalidConfiguration("hyperband: bootstrap_count > 0 needs an integer max_resource, not \"auto\"")
        }
        return HyperbandPruner(
            minResource: options.int("min_resource") ?? 1, maxResource: maxResource,
            reductionFactor: options.int("reduction_factor") ?? 3, bootstrapCount: bootstrap)
    }
}
