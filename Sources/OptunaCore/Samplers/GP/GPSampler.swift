/// Bayesian optimization with Gaussian processes, with Optuna 5's `GPSampler` semantics.
///
/// Once ``nStartupTrials`` trials are COMPLETE, each ask fits one GP per objective (and per constraint)
/// to the COMPLETE trials and returns the point maximizing an acquisition function:
///
/// - the GP has a Matérn-5/2 kernel with one length scale per parameter, over normalized parameters
///   (``GPSearchSpace``: log-scaled where log, integers and steps on their grid, categorical parameters
///   compared by equality); its hyperparameters maximize the marginal likelihood plus Optuna's priors
///   (``GPMarginalLikelihood``), found with L-BFGS-B (``BoundedLBFGS``);
/// - objectives are standardized (to be maximized); constraints (the trials' `constraints`, feasible iff
///   all `<= 0`) are modelled negated and standardized;
/// - the acquisition is log EI for one objective and log EHVI for several, plus the log probability of
///   feasibility of each constraint when trials carry constraints; with RUNNING trials it is the q-batch
///   form (fantasies at the running trials' points), so parallel workers do not sample the same point;
/// - it is maximized as Optuna does (``GPAcquisitionOptimizer``): 2048 Sobol candidates, then local
///   searches from the best of them, from a roulette of the others, and from the best trials.
///
/// Parameters outside the relative space (not in every COMPLETE trial, or asked before the startup
/// trials are done) are drawn uniformly, as Optuna's default independent sampler, ``RandomSampler``.
///
/// - Important: A pure value: every ask refits from the snapshot (Optuna warm-starts the fit from its
///   previous one; here the fit starts from Optuna's defaults each time), and randomness comes only from
///   the generator passed in, so a trial's parameters depend only on the study's history and seed.
public struct GPSampler: Sampler {
    /// The study seed (the caller derives the per-trial generator from it).
    public let seed: Int64?
    /// COMPLETE trials needed before the GP takes over (Optuna's `n_startup_trials`).
    public let nStartupTrials: Int
    /// Whether the objective is noise-free: the noise variance is then pinned at its minimum (1e-6),
    /// for objectives and constraints alike (Optuna's `deterministic_objective`).
    public let deterministicObjective: Bool

    /// Sobol candidates evaluated before the local searches (Optuna: 2048).
    var preliminarySamples = 2048
    /// Local searches per ask (Optuna: 10).
    var localSearches = 10
    /// Quasi-Monte Carlo samples of the EHVI and q-batch acquisitions (Optuna: 128).
    var qmcSamples = 128

    /// Creates a sampler; the defaults are Optuna 5's.
    ///
    /// - Throws: ``StudyError/invalidConfiguration(_:)`` when `nStartupTrials` is negative.
    public init(seed: Int64? = nil, nStartupTrials: Int = 10, deterministicObjective: Bool = false) throws(StudyError) {
        guard nStartupTrials >= 0 else {
            throw .invalidConfiguration("gp option 'n_startup_trials' must be >= 0, got \(nStartupTrials)")
        }
        self.seed = seed
        self.nStartupTrials = nStartupTrials
        self.deterministicObjective = deterministicObjective
    }

    /// The parameters every COMPLETE trial has with the same distribution, without single-valued ones
    /// (Optuna's `IntersectionSearchSpace` over COMPLETE trials).
    public func inferRelativeSearchSpace(study: StudySnapshot, trial: FrozenTrial) -> SearchSpace {
        var space: SearchSpace?
        for t in study.trials where t.state == .complete {
            guard var current = space else {
                space = t.distributions
                continue
            }
            for (name, d) in current where t.distributions[name] != d { current[name] = nil }
            space = current
            if current.isEmpty { break }
        }
        return (space ?? [:]).filter { !$0.value.isSingle }
    }

    /// The GP's proposal for `searchSpace`; empty until ``nStartupTrials`` trials are COMPLETE.
    public func sampleRelative(
        study: StudySnapshot, trial: FrozenTrial, searchSpace: SearchSpace, using rng: inout SeededGenerator
    ) -> [String: Double] {
        sampleRelativeRecording(study: study, trial: trial, searchSpace: searchSpace, using: &rng).values
    }

    /// The system attribute holding the kernels fitted for a trial (one per objective), which the next trial's fit
    /// starts from, as Optuna warm-starts its fit from the previous one.
    static let kernelKey = "gp:kernel_params"

    /// The GP's proposal, and the fitted kernels to record on the trial (``kernelKey``).
    public func sampleRelativeRecording(
        study: StudySnapshot, trial: FrozenTrial, searchSpace: SearchSpace, using rng: inout SeededGenerator
    ) -> (values: [String: Double], attributes: [String: JSONValue]) {
        guard !searchSpace.isEmpty else { return ([:], [:]) }
        let completed = study.trials.filter {
            $0.state == .complete && $0.values?.count == study.directions.count && !($0.values ?? []).contains(where: \.isNaN)
        }
        guard completed.count >= max(nStartupTrials, 1) else { return ([:], [:]) }
        let space = GPSearchSpace(searchSpace)
        let rows = completed.compactMap { space.normalizedRow($0.params) }
        guard rows.count == completed.count else { return ([:], [:]) }
        let running = study.trials.filter { $0.state == .running && $0.number != trial.number }
            .compactMap { space.normalizedRow($0.params) }
        var fitted: [GPKernelParameters] = []
        guard let x = propose(
            study: study, completed: completed, rows: rows, running: running, space: space,
            starts: Self.previousKernels(study, before: trial.number), fitted: &fitted, using: &rng)
        else { return ([:], [:]) }
        var out: [String: Double] = [:]
        for (i, d) in space.dimensions.enumerated() {
            let v = space.internalValue(x[i], i)
            if d.distribution.contains(v) { out[d.name] = v }
        }
        let recorded: JSONValue = .array(fitted.map { p in
            .array((p.inverseSquaredLengthscales + [p.kernelScale, p.noiseVariance]).map(JSONValue.double))
        })
        return (out, [Self.kernelKey: recorded])
    }

    /// The kernels recorded on the latest trial before `number` that has them.
    static func previousKernels(_ study: StudySnapshot, before number: Int) -> [GPKernelParameters] {
        for t in study.trials.reversed() where t.number < number {
            guard let list = t.systemAttrs[kernelKey]?.arrayValue else { continue }
            return list.compactMap { entry in
                guard let v = entry.arrayValue?.compactMap(\.doubleValue), v.count >= 3,
                    v.allSatisfy({ $0.isFinite && $0 > 0 })
                else { return nil }
                return GPKernelParameters(
                    inverseSquaredLengthscales: Array(v.dropLast(2)), kernelScale: v[v.count - 2],
                    noiseVariance: v[v.count - 1])
            }
        }
        return []
    }

    /// A uniform draw, as Optuna's default independent sampler (`RandomSampler`).
    public func sampleIndependent(
        study: StudySnapshot, trial: FrozenTrial, name: String, distribution: Distribution,
        using rng: inout SeededGenerator
    ) -> Double {
        RandomSampler.uniformSample(distribution, using: &rng)
    }
}
