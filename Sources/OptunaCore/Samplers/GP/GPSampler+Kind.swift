extension GPSampler {
    /// `{"type": "gp", …}` (alias `GPSampler`), options named as Optuna's keyword arguments:
    ///
    /// ```json
    /// {"type": "gp", "seed": null, "n_startup_trials": 10, "deterministic_objective": false,
    ///  "warn_independent_sampling": true}
    /// ```
    ///
    /// `warn_independent_sampling` is accepted for compatibility and has no effect: optunad does not log
    /// per-parameter fallbacks. The independent sampler is always uniform (Optuna's default), and
    /// constraints come from the trials' `constraints` (Optuna 5's `set_constraint`), not from a
    /// `constraints_func`.
    public static let kind = ComponentKind<any Sampler>(
        type: "gp", aliases: ["GPSampler"],
        options: [
            OptionSpec("seed", default: .null, .integer(), nullable: true),
            OptionSpec("n_startup_trials", default: 10, .integer(min: 0, max: 1_000_000_000)),
            OptionSpec("deterministic_objective", default: false, .boolean),
            OptionSpec("warn_independent_sampling", default: true, .boolean),
        ]
    ) { options throws(StudyError) in
        try GPSampler(
            seed: options.int64("seed"), nStartupTrials: options.int("n_startup_trials") ?? 10,
            deterministicObjective: options.bool("deterministic_objective"))
    }
}
