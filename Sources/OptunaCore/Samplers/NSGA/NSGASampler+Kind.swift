extension NSGAIISampler {
    /// The options both genetic samplers share, named as Optuna's keyword arguments.
    static let sharedOptions: [OptionSpec] = [
        OptionSpec("population_size", default: 50, .integer(min: 2, max: 1_000_000)),
        OptionSpec("mutation", default: .null, .custom(NSGAOptions.normalizeMutation), nullable: true),
        OptionSpec("mutation_prob", default: .null, .number(min: 0, max: 1), nullable: true),
        OptionSpec("crossover", default: "uniform", .custom(NSGAOptions.normalizeCrossover)),
        OptionSpec("crossover_prob", default: 0.9, .number(min: 0, max: 1)),
        OptionSpec("swapping_prob", default: 0.5, .number(min: 0, max: 1)),
        OptionSpec("seed", default: .null, .integer(), nullable: true),
    ]

    /// `{"type": "nsga2", …}` (alias `NSGAIISampler`):
    ///
    /// ```json
    /// {"type": "nsga2", "population_size": 50, "mutation": null, "mutation_prob": null,
    ///  "crossover": "uniform", "crossover_prob": 0.9, "swapping_prob": 0.5, "seed": null}
    /// ```
    ///
    /// `crossover` and `mutation` take names or objects (see the crossover types); constraints come from
    /// the values told with each trial, as with Optuna's `Trial.set_constraint`.
    public static let kind = ComponentKind<any Sampler>(
        type: "nsga2", aliases: ["NSGAIISampler"], options: sharedOptions
    ) { options throws(StudyError) in
        let crossover = NSGAOptions.crossover(options["crossover"])
        try NSGAOptions.validate(crossover)
        return try NSGAIISampler(
            populationSize: options.int("population_size") ?? 50, mutation: NSGAOptions.mutation(options["mutation"]),
            mutationProb: options.double("mutation_prob"), crossover: crossover,
            crossoverProb: options.double("crossover_prob") ?? 0.9,
            swappingProb: options.double("swapping_prob") ?? 0.5,
            seed: options.int64("seed"))
    }
}

extension NSGAIIISampler {
    /// `{"type": "nsga3", …}` (alias `NSGAIIISampler`): the options of `nsga2` plus
    /// `"reference_points": null` (or a list of points, one coordinate per objective) and
    /// `"dividing_parameter": 3`.
    public static let kind = ComponentKind<any Sampler>(
        type: "nsga3", aliases: ["NSGAIIISampler"],
        options: NSGAIISampler.sharedOptions + [
            OptionSpec("reference_points", default: .null, .custom(normalizeReferencePoints), nullable: true),
            OptionSpec("dividing_parameter", default: 3, .integer(min: 1, max: 1000)),
        ]
    ) { options throws(StudyError) in
        let crossover = NSGAOptions.crossover(options["crossover"])
        try NSGAOptions.validate(crossover)
        let points = options["reference_points"]?.arrayValue?.map { row in
            (row.arrayValue ?? []).map { $0.doubleValue ?? .nan }
        }
        return try NSGAIIISampler(
            populationSize: options.int("population_size") ?? 50, mutation: NSGAOptions.mutation(options["mutation"]),
            mutationProb: options.double("mutation_prob"), crossover: crossover,
            crossoverProb: options.double("crossover_prob") ?? 0.9,
            swappingProb: options.double("swapping_prob") ?? 0.5,
            seed: options.int64("seed"), referencePoints: points,
            dividingParameter: options.int("dividing_parameter") ?? 3)
    }

    private static func normalizeReferencePoints(_ value: JSONValue) throws(StudyError) -> JSONValue {
        guard let rows = value.arrayValue, let width = rows.first?.arrayValue?.count, width > 0,
            rows.allSatisfy({ row in
                row.arrayValue.map { $0.count == width && $0.allSatisfy { $0.doubleValue?.isFinite ?? false } } ?? false
            })
        else {
            throw .invalidConfiguration(
                "nsga3 option 'reference_points' must be a non-empty list of equally long lists of finite numbers")
        }
        return value
    }
}
