import Testing

@testable import OptunaCore

@Suite struct CMAESSamplerTests {
    static let space: SearchSpace = [
        "x": TestDistributions.float(-5, 5), "y": TestDistributions.float(1e-3, 10, log: true),
        "k": TestDistributions.int(-4, 4), "c": TestDistributions.categorical(["a", "b"]),
    ]

    static func objective(_ p: [String: Double]) -> Double {
        let x = p["x"] ?? 0
        let y = CoreMath.log(p["y"] ?? 1)
        let k = p["k"] ?? 0
        return (x - 1) * (x - 1) + y * y + 0.5 * k * k + (p["c"] ?? 0)
    }

    static func run(_ sampler: CmaEsSampler, trials: Int, seed: UInt64 = 1, constant: Bool = false) -> SamplerTestStudy
    {
        var study = SamplerTestStudy(seed: seed)
        for _ in 0..<trials {
            let n = study.ask(sampler, space: space)
            study.tell(n, [constant ? 1 : objective(study.snapshot.trials[n].params)])
        }
        return study
    }

    @Test func generationsAdvanceEveryPopsizeSolutions() throws {
        let sampler = try CmaEsSampler(seed: 1, popsize: 4)
        let study = Self.run(sampler, trials: 14)
        let trials = study.snapshot.trials
        // Trial 0 is a startup trial; trial 1 starts generation 0, trial 5 generation 1, …
        #expect(trials[0].systemAttrs.isEmpty)
        let generations = trials.dropFirst().map { $0.systemAttrs["cma:generation"]?.intValue }
        #expect(generations == [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3])
        let holders = trials.dropFirst().map { $0.systemAttrs["cma:state_trial"]?.intValue }
        #expect(holders == [1, 1, 1, 1, 5, 5, 5, 5, 9, 9, 9, 9, 13])
        #expect(trials[5].systemAttrs["cma:state"] != nil)
        #expect(trials[6].systemAttrs["cma:state"] == nil)
        let state = try #require(trials[13].systemAttrs["cma:state"].flatMap(CMAState.init(json:)))
        #expect(state.names == ["k", "x", "y"])
        #expect(state.generation == 3)
    }

    @Test func theRelativeSampleIsTheRecordedPoint() throws {
        let sampler = try CmaEsSampler(seed: 7)
        let study = Self.run(sampler, trials: 12)
        for t in study.snapshot.trials.dropFirst() {
            let point = try #require(t.systemAttrs["cma:params"]?.objectValue)
            for name in ["x", "y", "k"] {
                let d = try #require(Self.space[name])
                let expected = SearchSpaceUntransform.value(point[name]?.doubleValue ?? .nan, d)
                #expect(t.params[name] == expected)
            }
        }
    }

    @Test func aRestartedSamplerContinuesIdentically() throws {
        var a = Self.run(try CmaEsSampler(seed: 3), trials: 20)
        var b = a
        let x = a.ask(try CmaEsSampler(seed: 3), space: Self.space)
        let y = b.ask(try CmaEsSampler(seed: 3), space: Self.space)
        #expect(a.snapshot.trials[x] == b.snapshot.trials[y])
    }

    @Test func cmaesConvergesOnASmoothProblem() throws {
        let study = Self.run(try CmaEsSampler(seed: 11), trials: 200)
        let best = study.snapshot.trials.compactMap(\.value).min() ?? .infinity
        #expect(best < 0.05)
    }

    @Test func ipopRestartsGrowThePopulation() throws {
        // A constant objective makes the function-value history flat, which stops a run after
        // 10 + ceil(30 n / popsize) generations.
        let sampler = try CmaEsSampler(seed: 2, restartStrategy: "ipop", popsize: 4, incPopsize: 3)
        let study = Self.run(sampler, trials: 200, constant: true)
        let states = study.snapshot.trials.compactMap { $0.systemAttrs["cma:state"].flatMap(CMAState.init(json:)) }
        let restarted = try #require(states.first { $0.restarts == 1 })
        #expect(restarted.popsize == 12)
        #expect(restarted.generation == 0)
    }

    @Test func bipopAlternatesPopulationRegimes() throws {
        let sampler = try CmaEsSampler(seed: 2, restartStrategy: "bipop", popsize: 4)
        let study = Self.run(sampler, trials: 400, constant: true)
        let states = study.snapshot.trials.compactMap { $0.systemAttrs["cma:state"].flatMap(CMAState.init(json:)) }
        let first = try #require(states.first { $0.restarts == 1 })
        #expect(first.poptypeLarge)
        #expect(first.popsize == 8)
    }

    @Test(arguments: [(false, false, false), (true, false, false), (false, true, false), (false, false, true)])
    func everyVariantSamplesInsideItsDistributions(separable: Bool, margin: Bool, lrAdapt: Bool) throws {
        let sampler = try CmaEsSampler(seed: 5, useSeparableCMA: separable, withMargin: margin, lrAdapt: lrAdapt)
        let study = Self.run(sampler, trials: 40)
        for t in study.snapshot.trials {
            for (name, v) in t.params { #expect(Self.space[name]?.contains(v) == true, "\(name)=\(v)") }
        }
        let prefix = sampler.attributePrefix
        #expect(study.snapshot.trials[39].systemAttrs[prefix + "generation"] != nil)
        if margin { #expect(study.snapshot.trials[39].systemAttrs["x_for_tell"]?.arrayValue?.count == 3) }
    }

    @Test func multiObjectiveStudiesAreSampledIndependently() throws {
        let sampler = try CmaEsSampler()
        var study = SamplerTestStudy(directions: [.minimize, .minimize])
        for _ in 0..<5 {
            let n = study.ask(sampler, space: Self.space)
            study.tell(n, [1, 2])
        }
        #expect(study.snapshot.trials.allSatisfy { $0.systemAttrs.isEmpty })
    }

    @Test func x0AndSigma0SetTheFirstGeneration() throws {
        let sampler = try CmaEsSampler(x0: ["x": 4.0, "k": 2], sigma0: 0.01, seed: 1)
        let study = Self.run(sampler, trials: 3)
        let state = try #require(study.snapshot.trials[1].systemAttrs["cma:state"].flatMap(CMAState.init(json:)))
        #expect(state.sigma == 0.01)
        #expect(abs(state.mean[1] - 0.9) < 1e-12)  // x = 4 in [-5, 5]
        #expect(abs(state.mean[0] - (2 + 4.5) / 9) < 1e-12)  // k = 2 in [-4.5, 4.5]
        #expect(state.mean[2] == 0.5)
    }

    @Test func invalidCombinationsAreRejected() {
        #expect(throws: StudyError.self) { try CmaEsSampler(useSeparableCMA: true, withMargin: true) }
        #expect(throws: StudyError.self) { try CmaEsSampler(withMargin: true, lrAdapt: true) }
        #expect(throws: StudyError.self) { try CmaEsSampler(restartStrategy: "lpop") }
        #expect(throws: StudyError.self) { try CmaEsSampler(popsize: 1) }
    }

    @Test func specNormalizesWithOptunasDefaults() throws {
        let spec = try SamplerCatalog.shared.normalize(["type": "CmaEsSampler", "restart_strategy": "bipop"])
        #expect(spec.type == "cmaes")
        #expect(spec.options["n_startup_trials"] == 1)
        #expect(spec.options["inc_popsize"] == -1)
        #expect(spec.options["popsize"] == .null)
        _ = try SamplerCatalog.shared.make(spec)
        #expect(throws: StudyError.self) {
            try SamplerCatalog.shared.make(
                try SamplerCatalog.shared.normalize([
                    "type": "cmaes", "with_margin": true,
                    "lr_adapt": true,
                ]))
        }
    }
}
