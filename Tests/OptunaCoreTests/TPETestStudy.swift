@testable import OptunaCore

/// A study driven in memory the way the daemon drives a sampler: a new RUNNING trial is appended to the
/// snapshot, the relative space is inferred and sampled with the trial's generator, and every other
/// parameter is sampled independently with a generator salted by its name.
struct TPETestStudy {
    var snapshot: StudySnapshot
    let seed: UInt64

    init(directions: [StudyDirection] = [.minimize], seed: UInt64, studyID: Int64 = 1) {
        snapshot = StudySnapshot(studyID: studyID, name: "study-\(studyID)", directions: directions)
        self.seed = seed
    }

    /// Starts a trial and samples `space`, parameters in name order; returns its number.
    @discardableResult
    mutating func ask(_ sampler: any Sampler, _ space: [String: Distribution]) -> Int {
        let number = snapshot.trials.count
        let trial = FrozenTrial(id: Int64(number) + 100, number: number, state: .running)
        snapshot.trials.append(trial)
        SamplingDriver.sample(sampler, space: space, number: number, in: &snapshot, seed: seed)
        return number
    }

    /// Finishes a trial.
    mutating func tell(
        _ number: Int, _ values: [Double]?, state: TrialState = .complete, constraints: [Double]? = nil,
        intermediate: [Int: Double] = [:]
    ) {
        var trial = snapshot.trials[number]
        trial.state = state
        trial.values = values
        trial.intermediateValues = intermediate
        if let constraints {
            trial.systemAttrs[FrozenTrial.constraintsKey] = .array(constraints.map(JSONValue.double))
        }
        snapshot.trials[number] = trial
    }

    /// A trial's parameters (internal values).
    func params(_ number: Int) -> [String: Double] { snapshot.trials[number].params }

    /// Runs `count` sequential trials of `objective` and returns the values in order.
    @discardableResult
    mutating func optimize(
        _ sampler: any Sampler, _ space: [String: Distribution], count: Int,
        _ objective: ([String: Double]) -> [Double]
    ) -> [[Double]] {
        var out: [[Double]] = []
        for _ in 0..<count {
            let n = ask(sampler, space)
            let values = objective(params(n))
            tell(n, values)
            out.append(values)
        }
        return out
    }
}
