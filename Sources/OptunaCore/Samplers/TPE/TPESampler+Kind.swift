extension TPESampler {
    /// `{"type": "tpe", …}` (alias `TPESampler`), options named as Optuna's keyword arguments:
    ///
    /// ```json
    /// {"type": "tpe", "seed": null, "n_startup_trials": 10, "n_ei_candidates": 24,
    ///  "multivariate": null, "group": false, "constant_liar": true, "consider_prior": true,
    ///  "prior_weight": 1.0, "consider_magic_clip": true, "consider_endpoints": false}
    /// ```
    ///
    /// `multivariate: null` means automatic, as Optuna 5's default: joint sampling for one objective,
    /// independent for several, joint whenever `group` is true. `group: true` with `multivariate: false` is
    /// rejected. `consider_prior` is accepted for compatibility and, as in Optuna 5, has no effect: the
    /// prior kernel is always used (weighted by `prior_weight`). `gamma` and `weights` are Optuna's default
    /// functions and cannot be changed over the wire.
    public static let kind = ComponentKind<any Sampler>(
        type: "tpe", aliases: ["TPESampler"],
        options: [
            OptionSpec("seed", default: .null, .integer(), nullable: true),
            OptionSpec("n_startup_trials", default: 10, .integer(min: 0, max: 1_000_000_000)),
            OptionSpec("n_ei_candidates", default: 24, .integer(min: 1, max: 100_000)),
            OptionSpec("multivariate", default: .null, .boolean, nullable: true),
            OptionSpec("group", default: false, .boolean),
            OptionSpec("constant_liar", default: true, .boolean),
            OptionSpec("consider_prior", default: true, .boolean),
            OptionSpec("prior_weight", default: 1.0, .number(min: 0)),
            OptionSpec("consider_magic_clip", default: true, .boolean),
            OptionSpec("consider_endpoints", default: false, .boolean),
        ]
    ) { options throws(StudyError) in
        try TPESampler(
            nStartupTrials: options.int("n_startup_trials") ?? 10,
            nEICandidates: options.int("n_ei_candidates") ?? 24,
            seed: options.int64("seed"),
            multivariate: options["multivariate"]?.boolValue,
            group: options.bool("group"),
            constantLiar: options["constant_liar"]?.boolValue ?? true,
            priorWeight: options.double("prior_weight") ?? 1,
            considerMagicClip: options["consider_magic_clip"]?.boolValue ?? true,
            considerEndpoints: options.bool("consider_endpoints"))
    }
}
