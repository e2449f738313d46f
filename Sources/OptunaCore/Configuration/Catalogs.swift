/// Every sampler optunad serves, by type name.
public enum SamplerCatalog {
    /// The catalog of sampler kinds.
    public static let shared = ComponentCatalog<any Sampler>(noun: "sampler", kinds: [
        TPESampler.kind,
        RandomSampler.kind,
        NSGAIISampler.kind,
        NSGAIIISampler.kind,
        CmaEsSampler.kind,
        QMCSampler.kind,
        GridSampler.kind,
        BruteForceSampler.kind,
        PartialFixedSampler.kind,
        GPSampler.kind,
    ])

    /// The sampler a study gets when `create_study` names none: `tpe`, as in Optuna.
    public static let defaultType = "tpe"
}

/// Every pruner optunad serves, by type name.
public enum PrunerCatalog {
    /// The catalog of pruner kinds.
    public static let shared = ComponentCatalog<any Pruner>(noun: "pruner", kinds: [
        MedianPruner.kind,
        PercentilePruner.kind,
        SuccessiveHalvingPruner.kind,
        HyperbandPruner.kind,
        ThresholdPruner.kind,
        PatientPruner.kind,
        WilcoxonPruner.kind,
        NopPruner.kind,
    ])

    /// The pruner a study gets when `create_study` names none: `median`, as in Optuna.
    public static let defaultType = "median"
}

extension RandomSampler {
    /// `{"type": "random", "seed": null}` (alias `RandomSampler`).
    public static let kind = ComponentKind<any Sampler>(
        type: "random", aliases: ["RandomSampler"],
        options: [OptionSpec("seed", default: .null, .integer(), nullable: true)]
    ) { options in RandomSampler(seed: options.int64("seed")) }
}

extension NopPruner {
    /// `{"type": "nop"}` (alias `NopPruner`).
    public static let kind = ComponentKind<any Pruner>(type: "nop", aliases: ["NopPruner"], options: []) { _ in
        NopPruner()
    }
}
