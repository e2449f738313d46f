import OptunaCore

/// The study actor's per-parameter precedence, for the sampler tests: each parameter of a space, in name
/// order, comes from the relative sample when the inferred relative space has it (one generator per trial),
/// else from `sampleIndependent` (a generator salted by the parameter's name).
enum SamplingDriver {
    /// Samples `space` for the trial numbered `number`, which stands at that index of `study`; the trial in
    /// `study` gains each parameter as it is set, as the actor's view does.
    static func sample(
        _ sampler: any Sampler, space: SearchSpace, number: Int, in study: inout StudySnapshot, seed: UInt64
    ) {
        var trial = study.trials[number]
        let relativeSpace = sampler.inferRelativeSearchSpace(study: study, trial: trial)
        var relative: [String: Double]?
        for name in space.keys.sorted() {
            guard let d = space[name] else { continue }
            var value: Double?
            if relativeSpace[name] == d {
                if relative == nil {
                    var rng = SeededGenerator(seed: seed, trialNumber: number)
                    relative = sampler.sampleRelative(study: study, trial: trial, searchSpace: relativeSpace, using: &rng)
                }
                if let v = relative?[name], d.contains(v) { value = v }
            }
            if value == nil {
                var rng = SeededGenerator(seed: seed, trialNumber: number, salt: name)
                value = sampler.sampleIndependent(study: study, trial: trial, name: name, distribution: d, using: &rng)
            }
            trial.params[name] = value
            trial.distributions[name] = d
            study.trials[number] = trial
        }
    }
}
