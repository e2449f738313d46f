/// CMA-ES with Optuna 5's `CmaEsSampler` semantics and defaults, on the `cmaes` package's algorithms:
/// full-covariance CMA-ES (optionally with learning-rate adaptation), sep-CMA-ES, and CMA-ES with margin
/// for integer and stepped parameters, plus the IPOP and BIPOP restart strategies Optuna used to offer.
///
/// The relative search space is the intersection space of the COMPLETE trials, restricted to numerical,
/// non-single parameters, in the unit cube. Until ``nStartupTrials`` trials have finished, and for
/// categorical or dynamic parameters, sampling is uniform. Only single-objective studies are sampled
/// jointly; several objectives fall back to uniform sampling (Optuna raises an error).
///
/// ## Where the state lives
/// The sampler holds no state. ``beforeTrial(study:trial:)`` does the CMA work and writes it into the
/// new trial's system attributes:
/// - `<prefix>generation`: the CMA generation the trial was sampled from (Optuna's key; the prefix is
///   `cma:`, `sepcma:` or `cmawm:`);
/// - `<prefix>state_trial`: the number of the trial holding that generation's state;
/// - `<prefix>state`: the whole CMA state, on the first trial of each generation only;
/// - `<prefix>params`: the sampled point in the transformed space (log scale for log parameters),
///   which ``sampleRelative(study:trial:searchSpace:using:)`` maps back;
/// - `x_for_tell` (margin variant): the raw draw the update learns from, as Optuna stores it.
///
/// A new generation starts when the current one has ``popsize`` solutions: trials sampled from its state
/// that are COMPLETE (or PRUNED with an intermediate value, with ``considerPrunedTrials``); the first
/// ``popsize`` of them by number update the state, and the new state goes into the new trial. So an ask
/// reads the newest trials back to the current generation's first one: its cost does not grow with the
/// history, and a restarted daemon continues exactly.
public struct CmaEsSampler: Sampler {
    /// Initial mean, external values by name (Optuna's `x0`); nil for the centre of the space.
    public let x0: [String: JSONValue]?
    /// Initial step size in the unit cube (Optuna's `sigma0`); nil for 1/6.
    public let sigma0: Double?
    /// Finished trials before CMA-ES takes over from uniform sampling.
    public let nStartupTrials: Int
    /// The study seed.
    public let seed: Int64?
    /// Whether PRUNED trials count, with their last intermediate value.
    public let considerPrunedTrials: Bool
    /// The restart strategy (`"ipop"` or `"bipop"`), or nil for none.
    public let restartStrategy: String?
    /// The population size; nil for `4 + floor(3 ln n)`.
    public let popsize: Int?
    /// The population growth factor of restarts (Optuna's `inc_popsize`; 2 when left at -1).
    public let incPopsize: Int
    /// Whether sep-CMA-ES is used (diagonal covariance; ignored in one dimension).
    public let useSeparableCMA: Bool
    /// Whether CMA-ES with margin is used for integer and stepped parameters.
    public let withMargin: Bool
    /// Whether learning-rate adaptation is used.
    public let lrAdapt: Bool

    let tracker = CompletedTrialsTracker()

    /// Creates the sampler; the defaults are Optuna 5's.
    ///
    /// - Throws: ``StudyError/invalidConfiguration(_:)`` for `lrAdapt` with `useSeparableCMA` or
    ///   `withMargin`, for `useSeparableCMA` with `withMargin`, an unknown restart strategy, a population
    ///   below 2, `incPopsize` below 1 (other than -1), or a non-positive `sigma0`.
    public init(
        x0: [String: JSONValue]? = nil, sigma0: Double? = nil, nStartupTrials: Int = 1, seed: Int64? = nil,
        considerPrunedTrials: Bool = false, restartStrategy: String? = nil, popsize: Int? = nil,
        incPopsize: Int = -1, useSeparableCMA: Bool = false, withMargin: Bool = false, lrAdapt: Bool = false
    ) throws(StudyError) {
        if lrAdapt, useSeparableCMA || withMargin {
            throw .invalidConfiguration(
                "cmaes: 'lr_adapt' cannot be combined with 'use_separable_cma' or 'with_margin'")
        }
        if useSeparableCMA, withMargin {
            throw .invalidConfiguration("cmaes: 'use_separable_cma' and 'with_margin' cannot both be true")
        }
        if let r = restartStrategy, r != "ipop", r != "bipop" {
            throw .invalidConfiguration("cmaes option 'restart_strategy' must be 'ipop', 'bipop' or null, got \(r)")
        }
        if let p = popsize, p < 2 { throw .invalidConfiguration("cmaes option 'popsize' must be >= 2, got \(p)") }
        if incPopsize != -1, incPopsize < 1 {
            throw .invalidConfiguration("cmaes option 'inc_popsize' must be >= 1 (or -1), got \(incPopsize)")
        }
        if let s = sigma0, !(s > 0) || !s.isFinite {
            throw .invalidConfiguration("cmaes option 'sigma0' must be a positive number, got \(s)")
        }
        self.x0 = x0
        self.sigma0 = sigma0
        self.nStartupTrials = max(0, nStartupTrials)
        self.seed = seed
        self.considerPrunedTrials = considerPrunedTrials
        self.restartStrategy = restartStrategy
        self.popsize = popsize
        self.incPopsize = incPopsize
        self.useSeparableCMA = useSeparableCMA
        self.withMargin = withMargin
        self.lrAdapt = lrAdapt
    }

    /// The attribute prefix (Optuna's): `sepcma:`, `cmawm:` or `cma:`.
    public var attributePrefix: String { useSeparableCMA ? "sepcma:" : (withMargin ? "cmawm:" : "cma:") }

    /// Runs the CMA bookkeeping for a new trial and records its sample (see the type's discussion).
    public func beforeTrial(study: StudySnapshot, trial: FrozenTrial) -> [String: JSONValue] {
        CMAGenerationStep(sampler: self, study: study, trial: trial).attributes() ?? [:]
    }

    /// The intersection space of the COMPLETE trials: numerical, non-single parameters only.
    public func inferRelativeSearchSpace(study: StudySnapshot, trial: FrozenTrial) -> SearchSpace {
        Self.numericalSpace(tracker.summary(of: study).intersection ?? [:])
    }

    /// The point ``beforeTrial(study:trial:)`` sampled, mapped back to each distribution.
    public func sampleRelative(
        study: StudySnapshot, trial: FrozenTrial, searchSpace: SearchSpace, using rng: inout SeededGenerator
    ) -> [String: Double] {
        guard let point = trial.systemAttrs[attributePrefix + "params"]?.objectValue else { return [:] }
        var out: [String: Double] = [:]
        for (name, d) in searchSpace {
            guard let t = point[name]?.doubleValue, t.isFinite else { continue }
            out[name] = SearchSpaceUntransform.value(t, d)
        }
        return out
    }

    /// A uniform sample (categorical parameters, dynamic spaces and the startup trials).
    public func sampleIndependent(
        study: StudySnapshot, trial: FrozenTrial, name: String, distribution: Distribution,
        using rng: inout SeededGenerator
    ) -> Double {
        RandomSampler.uniformSample(distribution, using: &rng)
    }

    /// The numerical, non-single part of a space.
    static func numericalSpace(_ space: SearchSpace) -> SearchSpace {
        space.filter { _, d in
            if case .categorical = d { return false }
            return !d.isSingle
        }
    }
}
