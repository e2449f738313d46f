/// Prunes only once a trial has stopped improving for `patience` reports, then defers to a wrapped
/// pruner (Optuna's `PatientPruner`).
///
/// With the reports ordered by step, it compares the best of the last `patience + 1` values with the
/// best of all earlier ones: without an improvement of more than `minDelta`, the wrapped pruner
/// decides (and with no wrapped pruner, the trial is pruned). NaNs are skipped; a side with only NaNs
/// never counts as stalled.
public struct PatientPruner: Pruner, ReportReplayingPruner {
    /// The pruner asked once patience has run out; nil prunes at that point.
    public let wrapped: (any Pruner)?
    /// Reports that may go by without improvement.
    public let patience: Int
    /// The least change that counts as an improvement.
    public let minDelta: Double

    /// Creates the pruner; arguments as Optuna's, already validated (see ``kind``).
    public init(wrapped: (any Pruner)?, patience: Int, minDelta: Double = 0) {
        self.wrapped = wrapped
        self.patience = patience
        self.minDelta = minDelta
    }

    var rule: PatienceRule { PatienceRule(patience: patience, minDelta: minDelta) }

    /// Whether patience has run out and the wrapped pruner (if any) agrees.
    public func prune(study: StudySnapshot, trial: FrozenTrial) -> Bool {
        prune(study: study, trial: trial, askedOnlyWhen: [])
    }

    func prune(study: StudySnapshot, trial: FrozenTrial, askedOnlyWhen rules: [PatienceRule]) -> Bool {
        guard trial.lastStep != nil else { return false }
        let values = IntermediateValues.ordered(trial.intermediateValues).map(\.value)
        guard rule.holds(values, direction: study.direction) else { return false }
        guard let wrapped else { return true }
        if let replaying = wrapped as? any ReportReplayingPruner {
            return replaying.prune(study: study, trial: trial, askedOnlyWhen: rules + [rule])
        }
        return wrapped.prune(study: study, trial: trial)
    }
}

extension PatientPruner {
    /// `{"type": "patient", "wrapped_pruner": {…} | null, "patience": 3, "min_delta": 0.0}`
    /// (alias `PatientPruner`); `patience` is required. `wrapped_pruner` is any pruner spec, normalized
    /// in place (a bare type name becomes its full spec); null (the default) prunes once patience runs out.
    public static let kind = ComponentKind<any Pruner>(
        type: "patient", aliases: ["PatientPruner"],
        options: [
            OptionSpec("wrapped_pruner", default: .null, .custom(normalizeWrapped), nullable: true),
            OptionSpec("patience", default: .null, .integer(min: 0)),
            OptionSpec("min_delta", default: 0.0, .number(min: 0)),
        ]
    ) { options throws(StudyError) in
        PatientPruner(
            wrapped: try makeWrapped(options["wrapped_pruner"]), patience: options.int("patience") ?? 0,
            minDelta: options.double("min_delta") ?? 0)
    }

    // Functions rather than closures: their explicit types keep `PrunerCatalog.shared`, which lists
    // this kind, out of a type-inference cycle.
    private static func normalizeWrapped(_ spec: JSONValue) throws(StudyError) -> JSONValue {
        try PrunerCatalog.shared.normalize(spec).json
    }

    private static func makeWrapped(_ spec: JSONValue?) throws(StudyError) -> (any Pruner)? {
        guard let spec, !spec.isNull else { return nil }
        return try PrunerCatalog.shared.make(PrunerCatalog.shared.normalize(spec))
    }
}
