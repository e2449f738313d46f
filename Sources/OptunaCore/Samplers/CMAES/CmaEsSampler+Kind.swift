extension CmaEsSampler {
    /// `{"type": "cmaes", …}` (alias `CmaEsSampler`), options named as Optuna's keyword arguments:
    ///
    /// ```json
    /// {"type": "cmaes", "x0": null, "sigma0": null, "n_startup_trials": 1, "seed": null,
    ///  "consider_pruned_trials": false, "restart_strategy": null, "popsize": null, "inc_popsize": -1,
    ///  "use_separable_cma": false, "with_margin": false, "lr_adapt": false,
    ///  "warn_independent_sampling": true}
    /// ```
    ///
    /// `x0` maps parameter names to external values. `restart_strategy` is `"ipop"` or `"bipop"`, which
    /// Optuna 5 no longer offers; `inc_popsize` -1 means 2. `warn_independent_sampling` is accepted and
    /// has no effect (the daemon does not log per-parameter warnings).
    public static let kind = ComponentKind<any Sampler>(
        type: "cmaes", aliases: ["CmaEsSampler"],
        options: [
            OptionSpec("x0", default: .null, .custom(normalizeX0), nullable: true),
            OptionSpec("sigma0", default: .null, .number(min: 0), nullable: true),
            OptionSpec("n_startup_trials", default: 1, .integer(min: 0, max: 1_000_000_000)),
            OptionSpec("seed", default: .null, .integer(), nullable: true),
            OptionSpec("consider_pruned_trials", default: false, .boolean),
            OptionSpec("restart_strategy", default: .null, .oneOf(["ipop", "bipop"]), nullable: true),
            OptionSpec("popsize", default: .null, .integer(min: 2, max: 1_000_000), nullable: true),
            OptionSpec("inc_popsize", default: -1, .integer(min: -1, max: 1000)),
            OptionSpec("use_separable_cma", default: false, .boolean),
            OptionSpec("with_margin", default: false, .boolean),
            OptionSpec("lr_adapt", default: false, .boolean),
            OptionSpec("warn_independent_sampling", default: true, .boolean),
        ]
    ) { options throws(StudyError) in
        try CmaEsSampler(
            x0: options["x0"]?.objectValue, sigma0: options.double("sigma0"),
            nStartupTrials: options.int("n_startup_trials") ?? 1, seed: options.int64("seed"),
            considerPrunedTrials: options.bool("consider_pruned_trials"),
            restartStrategy: options.string("restart_strategy"), popsize: options.int("popsize"),
            incPopsize: options.int("inc_popsize") ?? -1, useSeparableCMA: options.bool("use_separable_cma"),
            withMargin: options.bool("with_margin"), lrAdapt: options.bool("lr_adapt"))
    }

    private static func normalizeX0(_ value: JSONValue) throws(StudyError) -> JSONValue {
        guard value.objectValue != nil else {
            throw .invalidConfiguration("cmaes option 'x0' must be an object of parameter values, got \(value)")
        }
        return value
    }
}
