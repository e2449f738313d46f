@testable import OptunaCore

/// A minimal in-memory study loop for sampler tests: ask as the study actor does (relative space, then
/// independent draws for what is left), tell with the objective's values.
struct GPTestStudy {
    var snapshot: StudySnapshot
    let space: SearchSpace
    let seed: UInt64

    init(directions: [StudyDirection] = [.minimize], space: SearchSpace, seed: UInt64) {
        snapshot = StudySnapshot(studyID: 1, name: "gp-test", directions: directions)
        self.space = space
        self.seed = seed
    }

    /// The parameters `sampler` gives the next trial (internal representation).
    func ask(_ sampler: any Sampler) -> [String: Double] {
        let trial = FrozenTrial(id: Int64(snapshot.trials.count), number: snapshot.trials.count, state: .running)
        var view = snapshot
        view.trials.append(trial)
        let relative = sampler.inferRelativeSearchSpace(study: view, trial: trial)
        var rng = SeededGenerator(seed: seed, trialNumber: trial.number)
        var params = relative.isEmpty ? [:] : sampler.sampleRelative(study: view, trial: trial, searchSpace: relative, using: &rng)
        for (name, d) in space where params[name] == nil {
            var independent = SeededGenerator(seed: seed, trialNumber: trial.number, salt: name)
            params[name] = sampler.sampleIndependent(study: view, trial: trial, name: name, distribution: d, using: &independent)
        }
        return params
    }

    /// Records a finished (or, with `values: nil`, running) trial.
    mutating func tell(_ params: [String: Double], values: [Double]?, constraints: [Double]? = nil) {
        var attrs: [String: JSONValue] = [:]
        if let constraints { attrs[FrozenTrial.constraintsKey] = .array(constraints.map { .double($0) }) }
        snapshot.trials.append(
            FrozenTrial(
                id: Int64(snapshot.trials.count), number: snapshot.trials.count, state: values == nil ? .running : .complete,
                params: params, distributions: space, values: values, systemAttrs: attrs))
    }

    /// Runs `count` trials of `objective` (over the parameters sorted by name) and returns the best
    /// first value seen.
    mutating func optimize(_ sampler: any Sampler, count: Int, _ objective: ([Double]) -> Double) -> Double {
        var best = Double.infinity
        let names = space.keys.sorted()
        for _ in 0..<count {
            let p = ask(sampler)
            let v = objective(names.map { p[$0] ?? .nan })
            best = min(best, v)
            tell(p, values: [v])
        }
        return best
    }

    static func float(_ low: Double, _ high: Double, log: Bool = false, step: Double? = nil) -> Distribution {
        // Test literals are valid ranges.
        .float(try! FloatDistribution(low: low, high: high, log: log, step: step))
    }

    static func branin(_ x: [Double]) -> Double {
        let b = 5.1 / (4 * Double.pi * Double.pi)
        let c = 5 / Double.pi
        let t = 1 / (8 * Double.pi)
        let u = x[1] - b * x[0] * x[0] + c * x[0] - 6
        return u * u + 10 * (1 - t) * CoreMath.cos(x[0]) + 10
    }
}
