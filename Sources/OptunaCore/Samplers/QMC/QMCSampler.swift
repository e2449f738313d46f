/// Quasi-Monte Carlo sampling with Optuna 5's `QMCSampler` semantics: Sobol' or Halton points over the
/// search space of the first finished trial, one point per trial in creation order.
///
/// The relative search space is the space of the lowest-numbered COMPLETE or PRUNED trial (before any has
/// finished: the union of the RUNNING trials' spaces), in name order; categorical parameters take
/// `floor(u * choices)`. Parameters outside it are sampled uniformly. Each trial records its index in the
/// sequence (`qmc:sample_id`) with a fingerprint of the sequence settings and space (`qmc:space`), and the
/// next trial takes the next index: the sampler holds no state, and an ask reads back only to the newest
/// such trial.
///
/// Unscrambled sequences equal SciPy's (hence Optuna's) point for point. Scrambling uses SciPy's methods
/// (LMS + digital shift for Sobol', digit permutations for Halton) with this project's generator, so
/// scrambled points differ from Python's for the same seed. Sobol' covers up to 1024 dimensions and
/// `2^30` points; beyond that parameters are sampled uniformly.
public struct QMCSampler: Sampler {
    /// `"sobol"` or `"halton"`.
    public let qmcType: String
    /// Whether the sequence is scrambled.
    public let scramble: Bool
    /// The seed of the scramble (and the study seed); nil uses a value derived from the study name.
    public let seed: Int64?

    /// The attribute holding a trial's index in the sequence.
    public static let sampleIDKey = "qmc:sample_id"
    /// The attribute holding the fingerprint of the sequence and space the index belongs to.
    public static let spaceKey = "qmc:space"

    /// Creates the sampler.
    ///
    /// - Throws: ``StudyError/invalidConfiguration(_:)`` for a type other than `sobol` or `halton`.
    public init(qmcType: String = "sobol", scramble: Bool = false, seed: Int64? = nil) throws(StudyError) {
        guard qmcType == "sobol" || qmcType == "halton" else {
            throw .invalidConfiguration("qmc option 'qmc_type' must be 'sobol' or 'halton', got \(qmcType)")
        }
        self.qmcType = qmcType
        self.scramble = scramble
        self.seed = seed
    }

    /// The trial's index in the sequence, when the relative space is not empty.
    public func beforeTrial(study: StudySnapshot, trial: FrozenTrial) -> [String: JSONValue] {
        let space = relativeSpace(of: study)
        guard !space.isEmpty else { return [:] }
        let fingerprint = self.fingerprint(space, study: study)
        var next = 0
        for t in study.trials.reversed() where t.systemAttrs[Self.spaceKey]?.stringValue == fingerprint {
            next = (t.systemAttrs[Self.sampleIDKey]?.intValue ?? -1) + 1
            break
        }
        return [Self.sampleIDKey: .int(Int64(next)), Self.spaceKey: .string(fingerprint)]
    }

    /// The first finished trial's space (or the RUNNING trials' union before one finishes).
    public func inferRelativeSearchSpace(study: StudySnapshot, trial: FrozenTrial) -> SearchSpace {
        relativeSpace(of: study)
    }

    /// The trial's point of the sequence, mapped into the space.
    public func sampleRelative(
        study: StudySnapshot, trial: FrozenTrial, searchSpace: SearchSpace, using rng: inout SeededGenerator
    ) -> [String: Double] {
        guard !searchSpace.isEmpty, let id = trial.systemAttrs[Self.sampleIDKey]?.intValue, id >= 0,
            trial.systemAttrs[Self.spaceKey]?.stringValue == fingerprint(searchSpace, study: study),
            let u = point(id, dimension: searchSpace.count, study: study)
        else { return [:] }
        var out: [String: Double] = [:]
        for (i, name) in searchSpace.keys.sorted().enumerated() {
            guard let d = searchSpace[name] else { continue }
            let t = ParamTransform(d)
            out[name] = SearchSpaceUntransform.value(t.lower + u[i] * (t.upper - t.lower), d)
        }
        return out
    }

    /// A uniform sample.
    public func sampleIndependent(
        study: StudySnapshot, trial: FrozenTrial, name: String, distribution: Distribution,
        using rng: inout SeededGenerator
    ) -> Double {
        RandomSampler.uniformSample(distribution, using: &rng)
    }

    /// Point `index` of the configured sequence in `[0, 1)^dimension`, or nil beyond its range.
    public func point(_ index: Int, dimension: Int, study: StudySnapshot) -> [Double]? {
        let scrambleSeed = scramble ? scrambleSeed(study) : nil
        if qmcType == "halton" { return HaltonSequence(dimension: dimension, scrambleSeed: scrambleSeed).point(index) }
        guard index < 1 << SobolSequence.bits else { return nil }
        return SobolSequence(dimension: dimension, scrambleSeed: scrambleSeed)?.point(index)
    }

    private func scrambleSeed(_ study: StudySnapshot) -> UInt64 {
        seed.map { UInt64(bitPattern: $0) } ?? SeededGenerator.fnv1a(study.name)
    }

    /// The space QMC samples: that of the lowest-numbered finished trial, else the RUNNING trials' union.
    func relativeSpace(of study: StudySnapshot) -> SearchSpace {
        if let first = study.trials.first(where: { $0.state == .complete || $0.state == .pruned }) {
            return first.distributions
        }
        var union: SearchSpace = [:]
        for t in study.trials where t.state == .running { union.merge(t.distributions) { old, _ in old } }
        return union
    }

    /// A stable hash of the sequence settings and the space, as hex.
    func fingerprint(_ space: SearchSpace, study: StudySnapshot) -> String {
        var text = "\(qmcType);scramble=\(scramble)"
        if scramble { text += ";seed=\(scrambleSeed(study))" }
        for name in space.keys.sorted() { text += ";\(name)=\(space[name].map { "\($0)" } ?? "")" }
        let h = SeededGenerator.fnv1a(text)
        return String(h, radix: 16)
    }
}

extension QMCSampler {
    /// `{"type": "qmc", "qmc_type": "sobol", "scramble": false, "seed": null}` (alias `QMCSampler`).
    ///
    /// `warn_asynchronous_seeding` and `warn_independent_sampling` are accepted and have no effect.
    public static let kind = ComponentKind<any Sampler>(
        type: "qmc", aliases: ["QMCSampler"],
        options: [
            OptionSpec("qmc_type", default: "sobol", .oneOf(["sobol", "halton"])),
            OptionSpec("scramble", default: false, .boolean),
            OptionSpec("seed", default: .null, .integer(), nullable: true),
            OptionSpec("warn_asynchronous_seeding", default: true, .boolean),
            OptionSpec("warn_independent_sampling", default: true, .boolean),
        ]
    ) { options throws(StudyError) in
        try QMCSampler(
            qmcType: options.string("qmc_type") ?? "sobol", scramble: options.bool("scramble"),
            seed: options.int64("seed"))
    }
}
