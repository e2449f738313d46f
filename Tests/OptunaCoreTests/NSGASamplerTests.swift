import Testing

@testable import OptunaCore

@Suite struct NSGASamplerTests {
    static let space: SearchSpace = [
        "x": TestDistributions.float(-5, 5), "n": TestDistributions.int(0, 10),
        "c": TestDistributions.categorical(["a", "b", "c"]),
    ]

    /// Runs `trials` sequential ask/tell rounds of a two-objective problem.
    static func run(_ sampler: any Sampler, trials: Int, seed: UInt64 = 3, constrained: Bool = false)
        -> SamplerTestStudy
    {
        var study = SamplerTestStudy(directions: [.minimize, .maximize], seed: seed)
        for _ in 0..<trials {
            let n = study.ask(sampler, space: space)
            let p = study.snapshot.trials[n].params
            let x = p["x"] ?? 0
            let k = p["n"] ?? 0
            study.tell(n, [x * x + k, -(x - 2) * (x - 2) + (p["c"] ?? 0)], constraints: constrained ? [x - 1] : nil)
        }
        return study
    }

    @Test func generationsFollowOptunasRule() throws {
        let sampler = try NSGAIISampler(populationSize: 4, seed: 1)
        let study = Self.run(sampler, trials: 13)
        let generations = study.snapshot.trials.map { $0.systemAttrs["NSGAIISampler:generation"]?.intValue }
        #expect(generations == [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3])
        // The first trial of a generation records the parents, the others point to it.
        let first = study.snapshot.trials[4]
        #expect(
            Set(first.systemAttrs["NSGAIISampler:parents"]?.arrayValue?.compactMap(\.intValue) ?? []) == [0, 1, 2, 3])
        #expect(first.systemAttrs["NSGAIISampler:parents_trial"]?.intValue == 4)
        #expect(study.snapshot.trials[6].systemAttrs["NSGAIISampler:parents_trial"]?.intValue == 4)
        #expect(study.snapshot.trials[6].systemAttrs["NSGAIISampler:parents"] == nil)
        let parents8 = study.snapshot.trials[8].systemAttrs["NSGAIISampler:parents"]?.arrayValue ?? []
        #expect(parents8.count == 4)
    }

    @Test func runningTrialsDoNotCompleteAGeneration() throws {
        let sampler = try NSGAIISampler(populationSize: 2)
        var study = SamplerTestStudy(directions: [.minimize, .minimize])
        let a = study.ask(sampler, space: Self.space)
        study.ask(sampler, space: Self.space)
        study.tell(a, [1, 2])
        // One COMPLETE trial of generation 0 of two: the next trial is still generation 0.
        let c = study.ask(sampler, space: Self.space)
        #expect(study.snapshot.trials[c].systemAttrs["NSGAIISampler:generation"]?.intValue == 0)
        study.tell(c, [2, 1])
        let d = study.ask(sampler, space: Self.space)
        #expect(study.snapshot.trials[d].systemAttrs["NSGAIISampler:generation"]?.intValue == 1)
    }

    @Test func childrenComeFromTheParentsAndAreReproducible() throws {
        let sampler = try NSGAIISampler(populationSize: 6, crossoverProb: 1, seed: 5)
        let once = Self.run(sampler, trials: 30)
        let again = Self.run(try NSGAIISampler(populationSize: 6, crossoverProb: 1, seed: 5), trials: 30)
        #expect(once.snapshot.trials.map(\.params) == again.snapshot.trials.map(\.params))
        // Uniform crossover without mutation of a categorical parameter keeps a parent's value.
        let parents =
            once.snapshot.trials[12].systemAttrs["NSGAIISampler:parents"]?.arrayValue?.compactMap(\.intValue) ?? []
        let parentValues = Set(parents.compactMap { once.snapshot.trials[$0].params["c"] })
        #expect(!parentValues.isEmpty)
    }

    @Test func crossoverOneCopiesAParentWhenMutationIsOff() throws {
        let sampler = try NSGAIISampler(populationSize: 4, mutationProb: 0, crossoverProb: 0, seed: 2)
        let study = Self.run(sampler, trials: 8)
        for n in 4..<8 {
            let parents =
                study.snapshot.trials[4].systemAttrs["NSGAIISampler:parents"]?.arrayValue?
                .compactMap(\.intValue) ?? []
            #expect(parents.contains { study.snapshot.trials[$0].params == study.snapshot.trials[n].params })
        }
    }

    @Test func constrainedSelectionPrefersFeasibleTrials() throws {
        let sampler = try NSGAIISampler(populationSize: 4, seed: 9)
        let study = Self.run(sampler, trials: 20, constrained: true)
        let t = study.snapshot.trials[16]
        let parents = t.systemAttrs["NSGAIISampler:parents"]?.arrayValue?.compactMap(\.intValue) ?? []
        let candidates = study.snapshot.trials[8..<16].filter { $0.state == .complete }
        let feasible = candidates.filter(\.isFeasible).count
        let feasibleParents = parents.filter { study.snapshot.trials[$0].isFeasible }.count
        #expect(feasibleParents == min(4, max(feasible, feasibleParents)))
    }

    @Test func theStateSurvivesARestart() throws {
        // A new sampler value (a restarted daemon) continues the same history identically.
        let first = try NSGAIIISampler(populationSize: 4, seed: 4)
        var study = Self.run(first, trials: 10)
        var copy = study
        let a = study.ask(first, space: Self.space)
        let b = copy.ask(try NSGAIIISampler(populationSize: 4, seed: 4), space: Self.space)
        #expect(study.snapshot.trials[a] == copy.snapshot.trials[b])
    }

    @Test func nsga3ChoosesParentsWithReferencePoints() throws {
        let sampler = try NSGAIIISampler(populationSize: 5, seed: 1, dividingParameter: 2)
        var study = SamplerTestStudy(directions: [.minimize, .minimize, .minimize], seed: 1)
        for _ in 0..<16 {
            let n = study.ask(sampler, space: Self.space)
            let p = study.snapshot.trials[n].params
            study.tell(n, [p["x"] ?? 0, p["n"] ?? 0, p["c"] ?? 0])
        }
        let parents = study.snapshot.trials[10].systemAttrs["NSGAIIISampler:parents"]?.arrayValue ?? []
        #expect(parents.count == 5)
        #expect(study.snapshot.trials[15].systemAttrs["NSGAIIISampler:generation"]?.intValue == 3)
    }

    @Test func invalidOptionsAreRejected() {
        #expect(throws: StudyError.self) { try NSGAIISampler(populationSize: 1) }
        #expect(throws: StudyError.self) { try NSGAIISampler(populationSize: 2, crossover: .spx(epsilon: nil)) }
        #expect(throws: StudyError.self) { try NSGAIISampler(crossoverProb: 1.5) }
        #expect(throws: StudyError.self) { try NSGAIIISampler(referencePoints: [[1, 0], [1]]) }
    }

    @Test func specsNormalizeWithOptunasDefaults() throws {
        let spec = try SamplerCatalog.shared.normalize(["type": "NSGAIISampler", "crossover": "SBXCrossover"])
        #expect(spec.type == "nsga2")
        #expect(spec.options["crossover"] == "sbx")
        #expect(spec.options["population_size"] == 50)
        #expect(spec.options["crossover_prob"] == 0.9)
        let object = try SamplerCatalog.shared.normalize([
            "type": "nsga3", "crossover": ["type": "blxalpha"], "mutation": "polynomial",
        ])
        #expect(object.options["crossover"] == ["type": "blxalpha", "alpha": 0.5])
        #expect(object.options["dividing_parameter"] == 3)
        _ = try SamplerCatalog.shared.make(object)
        #expect(throws: StudyError.self) { try SamplerCatalog.shared.normalize(["type": "nsga2", "crossover": "pmx"]) }
        #expect(throws: StudyError.self) {
            try SamplerCatalog.shared.normalize(["type": "nsga2", "crossover": ["type": "sbx", "alpha": 1]])
        }
    }
}
