/// Samples every parameter independently and uniformly (Optuna's `RandomSampler`).
///
/// Uniform means uniform in the transformed space Optuna samples in: log space for log distributions,
/// and `[low - step/2, high + step/2]` rounded to the grid for integer and stepped ranges, so each grid
/// value is equally likely.
public struct RandomSampler: Sampler {
    /// The study's seed (the caller derives the per-trial generator from it).
    public var seed: Int64?

    /// Creates the sampler.
    public init(seed: Int64? = nil) { self.seed = seed }

    /// Each value depends on the seed, the trial's number and the parameter's name only.
    public var readsHistory: Bool { false }

    public func sampleIndependent(
        study: StudySnapshot, trial: FrozenTrial, name: String, distribution: Distribution,
        using rng: inout SeededGenerator
    ) -> Double {
        Self.uniformSample(distribution, using: &rng)
    }

    /// One uniform draw from `distribution`, internal representation.
    public static func uniformSample(_ distribution: Distribution, using rng: inout SeededGenerator) -> Double {
        switch distribution {
        case .categorical(let d):
            return Double(rng.index(below: d.choices.count))
        default:
            let transform = ParamTransform(distribution)
            return transform.untransform(rng.uniform(transform.lower, transform.upper))
        }
    }
}
