/// Multi-objective optimization by NSGA-II, with Optuna 5's `NSGAIISampler` semantics and defaults.
///
/// Trials form generations of ``populationSize``. The first generation is sampled uniformly; each later
/// generation breeds from parents chosen among the previous generation and its parents: whole
/// non-domination fronts while they fit, then the most isolated members of the next front (crowding
/// distance). Trials told with constraints use constrained domination (feasible first, then least
/// violation). Parameters outside the intersection search space of the COMPLETE trials, and those left
/// out by mutation, are sampled uniformly.
///
/// - Important: The sampler holds no state. Generations and parents live in the trials' system
///   attributes (see ``beforeTrial(study:trial:)``), so a restarted daemon continues where it stopped.
public struct NSGAIISampler: Sampler {
    let core: GeneticSamplerCore

    /// Creates the sampler; the defaults are Optuna's.
    ///
    /// - Throws: ``StudyError/invalidConfiguration(_:)`` for a population smaller than 2 or than the
    ///   crossover's parent count, or a probability outside `[0, 1]`.
    public init(
        populationSize: Int = 50, mutation: PolynomialMutation? = nil, mutationProb: Double? = nil,
        crossover: NSGACrossover = .uniform, crossoverProb: Double = 0.9, swappingProb: Double = 0.5,
        seed: Int64? = nil
    ) throws(StudyError) {
        core = try GeneticSamplerCore.make(
            type: "nsga2", className: "NSGAIISampler", selection: .crowding, populationSize: populationSize,
            mutation: mutation, mutationProb: mutationProb, crossover: crossover, crossoverProb: crossoverProb,
            swappingProb: swappingProb, seed: seed)
    }

    /// Records the trial's generation, and on a generation's first trial its parents.
    public func beforeTrial(study: StudySnapshot, trial: FrozenTrial) -> [String: JSONValue] {
        core.beforeTrial(study: study, trial: trial)
    }

    /// The intersection search space of the COMPLETE trials, without single-valued parameters.
    public func inferRelativeSearchSpace(study: StudySnapshot, trial: FrozenTrial) -> SearchSpace {
        core.inferRelativeSearchSpace(study: study)
    }

    /// A child of the generation's parents; empty in the first generation.
    public func sampleRelative(
        study: StudySnapshot, trial: FrozenTrial, searchSpace: SearchSpace, using rng: inout SeededGenerator
    ) -> [String: Double] {
        core.sampleRelative(study: study, trial: trial, searchSpace: searchSpace, using: &rng)
    }

    /// A uniform sample.
    public func sampleIndependent(
        study: StudySnapshot, trial: FrozenTrial, name: String, distribution: Distribution,
        using rng: inout SeededGenerator
    ) -> Double {
        RandomSampler.uniformSample(distribution, using: &rng)
    }
}

extension GeneticSamplerCore {
    /// Validates the shared options and builds the core.
    static func make(
        type: String, className: String, selection: NSGAEliteSelection, populationSize: Int,
        mutation: PolynomialMutation?, mutationProb: Double?, crossover: NSGACrossover, crossoverProb: Double,
        swappingProb: Double, seed: Int64?
    ) throws(StudyError) -> GeneticSamplerCore {
        guard populationSize >= 2 else {
            throw .invalidConfiguration("\(type) option 'population_size' must be >= 2, got \(populationSize)")
        }
        guard populationSize >= crossover.parentCount else {
            throw .invalidConfiguration(
                "\(type): the crossover needs \(crossover.parentCount) parents, so 'population_size' must be >= "
                    + "\(crossover.parentCount), got \(populationSize)")
        }
        for (name, p) in [
            ("mutation_prob", mutationProb ?? 0), ("crossover_prob", crossoverProb),
            ("swapping_prob", swappingProb),
        ] where !(0...1).contains(p) {
            throw .invalidConfiguration("\(type) option '\(name)' must be within [0, 1], got \(p)")
        }
        return GeneticSamplerCore(
            generations: NSGAGenerations(className: className, populationSize: populationSize),
            selection: selection,
            children: NSGAChildGeneration(
                crossover: crossover, crossoverProb: crossoverProb, swappingProb: swappingProb, mutation: mutation,
                mutationProb: mutationProb),
            seed: seed)
    }
}
