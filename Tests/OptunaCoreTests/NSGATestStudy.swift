import OptunaCore

/// A study driven the way the daemon's study actor drives a sampler, for the sampler tests: attributes
/// from `beforeTrial`, then each parameter (in name order) from the relative sample when the relative
/// space has it, else from `sampleIndependent`, with the same per-trial generators.
struct SamplerTestStudy {
    var snapshot: StudySnapshot
    let seed: UInt64

    init(directions: [StudyDirection] = [.minimize], seed: UInt64 = 0, name: String = "test") {
        snapshot = StudySnapshot(studyID: 1, name: name, directions: directions)
        self.seed = seed
    }

    /// Starts a trial with every parameter of `space` sampled; returns its number.
    @discardableResult
    mutating func ask(_ sampler: any Sampler, space: SearchSpace) -> Int {
        let number = snapshot.trials.count
        var trial = FrozenTrial(id: Int64(number + 1), number: number, state: .running)
        trial.systemAttrs = sampler.beforeTrial(study: snapshot, trial: trial)
        snapshot.trials.append(trial)
        SamplingDriver.sample(sampler, space: space, number: number, in: &snapshot, seed: seed)
        return number
    }

    /// Samples one more parameter of a RUNNING trial (define-by-run `suggest`).
    mutating func suggest(_ sampler: any Sampler, trial number: Int, name: String, _ d: Distribution) -> Double {
        var trial = snapshot.trials[number]
        var rng = SeededGenerator(seed: seed, trialNumber: number, salt: name)
        let v = sampler.sampleIndependent(study: snapshot, trial: trial, name: name, distribution: d, using: &rng)
        trial.params[name] = v
        trial.distributions[name] = d
        snapshot.trials[number] = trial
        return v
    }

    /// Finishes a trial.
    mutating func tell(_ number: Int, _ values: [Double]?, state: TrialState = .complete, constraints: [Double]? = nil)
    {
        snapshot.trials[number].state = state
        snapshot.trials[number].values = values
        if let constraints {
            snapshot.trials[number].systemAttrs[FrozenTrial.constraintsKey] = .array(constraints.map { .double($0) })
        }
    }

    /// The trial's parameter values in name order.
    func params(_ number: Int) -> [Double] {
        let t = snapshot.trials[number]
        return t.params.keys.sorted().compactMap { t.params[$0] }
    }
}

/// Distributions every sampler must respect.
enum TestDistributions {
    static let all: [Distribution] = {
        var out: [Distribution] = []
        if let d = try? FloatDistribution(low: -10, high: 10) { out.append(.float(d)) }
        if let d = try? FloatDistribution(low: 1e-5, high: 1, log: true) { out.append(.float(d)) }
        if let d = try? FloatDistribution(low: 0, high: 1, step: 0.1) { out.append(.float(d)) }
        if let d = try? IntDistribution(low: -3, high: 17, step: 4) { out.append(.int(d)) }
        if let d = try? IntDistribution(low: 1, high: 1024, log: true) { out.append(.int(d)) }
        if let d = try? CategoricalDistribution(choices: ["a", 1, nil, true, 2.5]) { out.append(.categorical(d)) }
        return out
    }()

    static func float(_ low: Double, _ high: Double, step: Double? = nil, log: Bool = false) -> Distribution {
        (try? FloatDistribution(low: low, high: high, log: log, step: step)).map(Distribution.float)
            ?? .categorical(try! CategoricalDistribution(choices: [0]))
    }

    static func int(_ low: Int64, _ high: Int64, step: Int64 = 1, log: Bool = false) -> Distribution {
        (try? IntDistribution(low: low, high: high, log: log, step: step)).map(Distribution.int)
            ?? .categorical(try! CategoricalDistribution(choices: [0]))
    }

    static func categorical(_ choices: [JSONValue]) -> Distribution {
        (try? CategoricalDistribution(choices: choices)).map(Distribution.categorical)
            ?? .categorical(try! CategoricalDistribution(choices: [0]))
    }
}
