/// Many-objective optimization by NSGA-III, with Optuna 5's `NSGAIIISampler` semantics and defaults.
///
/// As ``NSGAIISampler``, except that the front which does not fit whole into the next parent population
/// is split by reference-point niching: objectives are normalized by the ideal point and the intercepts
/// of the extreme points, each individual is attached to its nearest reference line, and places go to
/// the reference points with the fewest parents so far.
public struct NSGAIIISampler: Sampler {
    let core: GeneticSamplerCore

    /// Creates the sampler; the defaults are Optuna's.
    ///
    /// - Parameters:
    ///   - referencePoints: one vector per point, each with one entry per objective; nil for the Das–Dennis
    ///     points with `dividingParameter` divisions.
    /// - Throws: ``StudyError/invalidConfiguration(_:)`` for the reasons ``NSGAIISampler`` gives,
    ///   and for reference points of unequal length or a `dividingParameter` below 1.
    public init(
        populationSize: Int = 50, mutation: PolynomialMutation? = nil, mutationProb: Double? = nil,
        crossover: NSGACrossover = .uniform, crossoverProb: Double = 0.9, swappingProb: Double = 0.5,
        seed: Int64? = nil, referencePoints: [[Double]]? = nil, dividingParameter: Int = 3
    ) throws(StudyError) {
        guard dividingParameter >= 1 else {
            throw .invalidConfiguration("nsga3 option 'dividing_parameter' must be >= 1, got \(dividingParameter)")
        }
        if let points = referencePoints {
            guard let m = points.first?.count, m > 0, points.allSatisfy({ $0.count == m && $0.allSatisfy(\.isFinite) })
            else {
                throw .invalidConfiguration(
                    "nsga3 option 'reference_points' must be a non-empty list of equally long lists of numbers")
            }
        }
        core = try GeneticSamplerCore.make(
            type: "nsga3", className: "NSGAIIISampler",
            selection: .referencePoints(referencePoints, dividingParameter: dividingParameter),
            populationSize: populationSize, mutation: mutation, mutationProb: mutationProb, crossover: crossover,
            crossoverProb: crossoverProb, swappingProb: swappingProb, seed: seed)
    }

    /// Records the trial's generation, and on a generation's first trial its parents.
    public func beforeTrial(study: StudySnapshot, trial: FrozenTrial) -> [String: JSONValue] {
        if case .referencePoints(let points?, _) = core.selection, points.first?.count != study.directions.count {
            // Points of the wrong dimension cannot be used: fall back to the default points.
            let fallback = GeneticSamplerCore(
                generations: core.generations,
                selection: .referencePoints(nil, dividingParameter: 3), children: core.children, seed: core.seed)
            return fallback.beforeTrial(study: study, trial: trial)
        }
        return core.beforeTrial(study: study, trial: trial)
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
