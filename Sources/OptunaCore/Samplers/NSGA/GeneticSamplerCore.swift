/// What NSGA-II and NSGA-III share: generations in trial attributes, parents by elite selection, children
/// by crossover and mutation, and uniform sampling for everything else.
struct GeneticSamplerCore: Sendable {
    let generations: NSGAGenerations
    let selection: NSGAEliteSelection
    let children: NSGAChildGeneration
    let seed: Int64?
    let tracker = CompletedTrialsTracker()

    /// The seed bits the per-trial generators are derived from (0 when unseeded, as the study actor does).
    var seedBits: UInt64 { UInt64(bitPattern: seed ?? 0) }

    func beforeTrial(study: StudySnapshot, trial: FrozenTrial) -> [String: JSONValue] {
        generations.attributes(for: trial, in: study) { candidates, g in
            select(candidates, generation: g, directions: study.directions)
        }
    }

    /// The elite of `candidates` for generation `g`; NSGA-III's random choices draw from a generator
    /// derived from the seed and `g`, so selecting again gives the same parents.
    func select(_ candidates: [FrozenTrial], generation g: Int, directions: [StudyDirection]) -> [FrozenTrial] {
        var rng = SeededGenerator(seed: seedBits, trialNumber: g, salt: generations.className + ":select")
        return selection.select(
            candidates, directions: directions, populationSize: generations.populationSize, using: &rng)
    }

    func inferRelativeSearchSpace(study: StudySnapshot) -> SearchSpace {
        (tracker.summary(of: study).intersection ?? [:]).filter { !$0.value.isSingle }
    }

    func sampleRelative(
        study: StudySnapshot, trial: FrozenTrial, searchSpace: SearchSpace,
        using rng: inout SeededGenerator
    ) -> [String: Double] {
        guard !searchSpace.isEmpty, let g = generations.generation(of: trial), g > 0 else { return [:] }
        // Parents come from COMPLETE trials, and finished trials never change.
        let parents = parentPopulation(of: trial, generation: g, in: study)
        guard !parents.isEmpty else { return [:] }
        return children.child(of: parents, space: searchSpace, directions: study.directions, using: &rng)
    }

    /// The parents recorded for the trial's generation (found through the trial's pointer), or selected
    /// again when the history does not record them.
    func parentPopulation(of trial: FrozenTrial, generation g: Int, in study: StudySnapshot) -> [FrozenTrial] {
        let holder: FrozenTrial? =
            switch trial.systemAttrs[generations.parentsTrialKey]?.intValue {
            case trial.number?: trial
            case let n?: study.trial(number: n)
            case nil: nil
            }
        if let list = holder?.systemAttrs[generations.parentsKey]?.arrayValue {
            return list.compactMap { $0.intValue.flatMap(study.trial(number:)) }
        }
        return generations.resolvedParents(g, in: study) { candidates, gen in
            select(candidates, generation: gen, directions: study.directions)
        }
    }
}
