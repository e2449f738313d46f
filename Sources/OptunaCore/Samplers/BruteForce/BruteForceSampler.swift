/// Exhaustive search with Optuna 5's `BruteForceSampler` semantics, for finite spaces (categorical,
/// integer and stepped float parameters), static or dynamic.
///
/// Each parameter is chosen in `sampleIndependent`: the trials so far (all but WAITING ones, other than
/// the current trial) that agree with the current trial's values so far form a tree of the remaining
/// parameters; a value is drawn among those whose subtree still has unexplored combinations, favouring
/// larger subtrees. Running trials count as explored unless ``avoidPrematureStop`` is set. Once everything
/// is explored, values are drawn uniformly, as in Optuna.
///
/// A trial's path visits the parameter being sampled first, then the trial's other parameters in name
/// order (Optuna uses suggestion order, which the daemon does not store); trials whose paths contradict
/// the tree are ignored.
public struct BruteForceSampler: Sampler {
    /// The study seed.
    public let seed: Int64?
    /// Whether running trials count as unexplored (a strict search that may sample duplicates).
    public let avoidPrematureStop: Bool

    /// Creates the sampler.
    public init(seed: Int64? = nil, avoidPrematureStop: Bool = false) {
        self.seed = seed
        self.avoidPrematureStop = avoidPrematureStop
    }

    /// A value of `name` not yet explored given the trial's other values; uniform for a continuous float.
    public func sampleIndependent(
        study: StudySnapshot, trial: FrozenTrial, name: String, distribution: Distribution,
        using rng: inout SeededGenerator
    ) -> Double {
        guard let candidates = BruteForceCandidates.values(distribution) else {
            return RandomSampler.uniformSample(distribution, using: &rng)
        }
        let excludeRunning = !avoidPrematureStop
        let tree = BruteForceTree()
        _ = tree.expand(name, candidates: candidates)
        let fixed = trial.params.filter { $0.key != name }
        var cache: [String: [Double]?] = [:]
        for t in study.trials where t.state != .waiting && t.number != trial.number {
            guard fixed.allSatisfy({ key, v in t.params[key].map { $0 == v || ($0.isNaN && v.isNaN) } ?? false }),
                t.params[name] != nil
            else { continue }
            var path: [(name: String, candidates: [Double], value: Double)] = []
            var usable = true
            for key in [name] + t.params.keys.filter({ $0 != name && fixed[$0] == nil }).sorted() {
                guard let d = t.distributions[key], let v = t.params[key] else { continue }
                let values: [Double]?
                if let cached = cache[key + "\u{1}" + "\(d)"] {
                    values = cached
                } else {
                    values = BruteForceCandidates.values(d)
                    cache[key + "\u{1}" + "\(d)"] = values
                }
                guard let values else {
                    usable = false
                    break
                }
                path.append((key, values, v))
            }
            guard usable, let leaf = tree.add(path: path) else { continue }
            if t.state == .running { leaf.isRunning = true } else { leaf.setLeaf() }
        }
        if tree.isAnyExpandable(excludeRunning: excludeRunning) {
            return tree.sampleChild(excludeRunning: excludeRunning, using: &rng)
        }
        return candidates[rng.index(below: candidates.count)]
    }
}

extension BruteForceSampler {
    /// `{"type": "bruteforce", "seed": null, "avoid_premature_stop": false}` (alias `BruteForceSampler`).
    public static let kind = ComponentKind<any Sampler>(
        type: "bruteforce", aliases: ["BruteForceSampler", "brute_force"],
        options: [
            OptionSpec("seed", default: .null, .integer(), nullable: true),
            OptionSpec("avoid_premature_stop", default: false, .boolean),
        ]
    ) { options in
        BruteForceSampler(seed: options.int64("seed"), avoidPrematureStop: options.bool("avoid_premature_stop"))
    }
}
