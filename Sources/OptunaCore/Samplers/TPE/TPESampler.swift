/// The Tree-structured Parzen Estimator sampler, with Optuna 5's `TPESampler` semantics and defaults.
///
/// Each ask splits the finished trials into a few good ones ("below", `gamma(n)` of them) and the rest
/// ("above", plus RUNNING trials under the constant liar), fits a Parzen estimator `l(x)` to the first and
/// `g(x)` to the second, draws ``nEICandidates`` candidates from `l(x)` and returns the one maximizing
/// `log l(x) - log g(x)`. Until ``nStartupTrials`` trials have finished (COMPLETE or PRUNED), parameters
/// are drawn uniformly as ``RandomSampler`` does.
///
/// - Multivariate TPE (the default for one objective) samples the intersection search space of the
///   finished trials jointly, with product kernels; parameters outside it, and every parameter of an
///   independent sampler, go through ``sampleIndependent(study:trial:name:distribution:using:)``, a
///   one-dimensional TPE over the trials that have that parameter.
/// - With ``group``, the space is split into groups of parameters that always appear together, each
///   sampled jointly (conditional and dynamic search spaces).
/// - Several objectives (MOTPE): the below trials are chosen by non-domination rank, the last rank cut by
///   hypervolume contribution, and weighted uniformly.
/// - Trials told with constraints: infeasible ones (any value `> 0`) only join "below" after every feasible
///   trial, least violation first.
///
/// Gamma and weights are Optuna's default functions (`min(ceil(0.1 n), 25)` below trials, `ceil(0.1 n)`
/// with several objectives; weights ramp up from `1/n` for all but the newest 25 observations).
///
/// - Important: Results depend only on the snapshot and the generator. The sampler keeps a per-study
///   cache of what it read from finished trials (which never change) so that an ask costs time for what
///   changed plus linear passes; dropping the cache changes speed only.
public struct TPESampler: Sampler {
    /// Trials to finish before TPE takes over from uniform sampling (Optuna's `n_startup_trials`).
    public let nStartupTrials: Int
    /// Candidates drawn from `l(x)` per sample (Optuna's `n_ei_candidates`).
    public let nEICandidates: Int
    /// The study seed (the caller derives the per-trial generator from it).
    public let seed: Int64?
    /// Whether parameters are sampled jointly; nil means automatic: true for one objective, false for
    /// several (and true whenever ``group`` is set).
    public let multivariate: Bool?
    /// Whether the relative space is decomposed into groups of parameters that appear together.
    public let group: Bool
    /// Whether RUNNING trials count as bad observations, so that parallel workers spread out.
    public let constantLiar: Bool
    /// The prior kernel's weight before normalization (Optuna's `prior_weight`).
    public let priorWeight: Double
    /// Whether bandwidths are clipped below at `range / min(100, n + 2)` (Optuna's `consider_magic_clip`).
    public let considerMagicClip: Bool
    /// Whether the outermost observations may take the range ends as neighbours (`consider_endpoints`).
    public let considerEndpoints: Bool

    let store: TPEHistoryStore

    /// Creates a sampler; the defaults are Optuna 5's.
    ///
    /// - Throws: ``StudyError/invalidConfiguration(_:)`` when `group` is set with `multivariate: false`,
    ///   `nEICandidates < 1`, `nStartupTrials < 0` or `priorWeight` is negative or not finite.
    public init(
        nStartupTrials: Int = 10, nEICandidates: Int = 24, seed: Int64? = nil, multivariate: Bool? = nil,
        group: Bool = false, constantLiar: Bool = true, priorWeight: Double = 1, considerMagicClip: Bool = true,
        considerEndpoints: Bool = false
    ) throws(StudyError) {
        if group, multivariate == false {
            throw .invalidConfiguration("tpe option 'group' can only be enabled when 'multivariate' is enabled")
        }
        guard nEICandidates >= 1 else {
            throw .invalidConfiguration("tpe option 'n_ei_candidates' must be >= 1, got \(nEICandidates)")
        }
        guard nStartupTrials >= 0 else {
            throw .invalidConfiguration("tpe option 'n_startup_trials' must be >= 0, got \(nStartupTrials)")
        }
        guard priorWeight >= 0, priorWeight.isFinite else {
            throw .invalidConfiguration("tpe option 'prior_weight' must be a finite number >= 0, got \(priorWeight)")
        }
        self.nStartupTrials = nStartupTrials
        self.nEICandidates = nEICandidates
        self.seed = seed
        self.multivariate = multivariate
        self.group = group
        self.constantLiar = constantLiar
        self.priorWeight = priorWeight
        self.considerMagicClip = considerMagicClip
        self.considerEndpoints = considerEndpoints
        store = TPEHistoryStore(tracksGroups: group)
    }

    /// Whether the study is sampled jointly: ``multivariate`` if set, else true when ``group`` is set or
    /// the study has one objective.
    public func isMultivariate(for study: StudySnapshot) -> Bool {
        if let multivariate { return multivariate }
        return group || !study.isMultiObjective
    }

    var parzenParameters: ParzenParameters {
        ParzenParameters(
            priorWeight: priorWeight, considerMagicClip: considerMagicClip, considerEndpoints: considerEndpoints)
    }

    /// The intersection space of the finished trials (or the union of the groups with ``group``), without
    /// single-valued parameters; empty when not multivariate.
    public func inferRelativeSearchSpace(study: StudySnapshot, trial: FrozenTrial) -> SearchSpace {
        guard isMultivariate(for: study) else { return [:] }
        let space = store.withHistory(for: study) { history -> SearchSpace in
            guard group else { return history.spaces.intersectionSpace }
            var union: SearchSpace = [:]
            for g in history.spaces.groupSpaces {
                for member in g { union[member.name] = member.distribution }
            }
            return union
        }
        return space ?? [:]
    }

    /// Joint TPE samples for `searchSpace` (one TPE per group with ``group``); empty during startup.
    public func sampleRelative(
        study: StudySnapshot, trial: FrozenTrial, searchSpace: SearchSpace, using rng: inout SeededGenerator
    ) -> [String: Double] {
        let space = searchSpace.filter { !$0.value.isSingle }
        guard !space.isEmpty else { return [:] }
        var generator = rng
        let result = store.withHistory(for: study) { history -> ([String: Double], SeededGenerator) in
            var local = generator
            guard history.finishedNumbers.count >= nStartupTrials else { return ([:], local) }
            var out: [String: Double] = [:]
            let subspaces: [[String]] =
                group
                ? history.spaces.groupSpaces.map { $0.map(\.name).filter { space[$0] != nil } }
                : [space.keys.sorted()]
            for names in subspaces where !names.isEmpty {
                let params = names.compactMap { name in space[name].map { (name, $0) } }
                let sampled = sample(history, study: study, trial: trial, params: params, using: &local)
                out.merge(sampled) { _, new in new }
            }
            return (out, local)
        }
        guard let result else { return [:] }
        generator = result.1
        rng = generator
        return result.0
    }

    /// A one-dimensional TPE sample for one parameter, or a uniform one during startup.
    public func sampleIndependent(
        study: StudySnapshot, trial: FrozenTrial, name: String, distribution: Distribution,
        using rng: inout SeededGenerator
    ) -> Double {
        if distribution.isSingle { return RandomSampler.uniformSample(distribution, using: &rng) }
        let generator = rng
        let result = store.withHistory(for: study) { history -> (Double?, SeededGenerator) in
            var local = generator
            guard history.finishedNumbers.count >= nStartupTrials else { return (nil, local) }
            let sampled = sample(history, study: study, trial: trial, params: [(name, distribution)], using: &local)
            return (sampled[name], local)
        }
        if let result {
            rng = result.1
            if let value = result.0, distribution.contains(value) { return value }
        }
        return RandomSampler.uniformSample(distribution, using: &rng)
    }
}
