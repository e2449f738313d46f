import Testing

@testable import OptunaCore

@Suite struct PartialFixedSamplerTests {
    static let space: SearchSpace = ["x": TestDistributions.float(-5, 5), "y": TestDistributions.int(0, 10)]

    @Test func fixedParametersKeepTheirValueAndLeaveTheRelativeSpace() throws {
        let base = try CmaEsSampler(seed: 1)
        let sampler = PartialFixedSampler(fixedParams: ["y": 7], baseSampler: base)
        var study = SamplerTestStudy(seed: 1)
        for _ in 0..<12 {
            let n = study.ask(sampler, space: Self.space)
            let p = study.snapshot.trials[n].params
            study.tell(n, [(p["x"] ?? 0) * (p["x"] ?? 0)])
        }
        #expect(study.snapshot.trials.allSatisfy { $0.params["y"] == 7 })
        let relative = sampler.inferRelativeSearchSpace(study: study.snapshot, trial: study.snapshot.trials[0])
        #expect(Array(relative.keys) == ["x"])
        #expect(study.snapshot.trials[11].systemAttrs["cma:generation"] != nil)
    }

    @Test func aValueOutsideTheDistributionFallsBackToTheBaseSampler() {
        let sampler = PartialFixedSampler(fixedParams: ["y": 70], baseSampler: RandomSampler(seed: 1))
        var study = SamplerTestStudy()
        let n = study.ask(sampler, space: Self.space)
        #expect(TestDistributions.int(0, 10).contains(study.snapshot.trials[n].params["y"] ?? .nan))
    }

    @Test func specNormalizesTheBaseSampler() throws {
        let spec = try SamplerCatalog.shared.normalize([
            "type": "PartialFixedSampler", "fixed_params": ["x": 1.5], "base_sampler": ["type": "qmc", "seed": 3],
        ])
        #expect(spec.type == "partial_fixed")
        #expect(spec.options["base_sampler"]?["qmc_type"] == "sobol")
        #expect(spec.options["base_sampler"]?["type"] == "qmc")
        let sampler = try SamplerCatalog.shared.make(spec)
        #expect(sampler is PartialFixedSampler)
        #expect(throws: StudyError.self) {
            try SamplerCatalog.shared.normalize(["type": "partial_fixed", "fixed_params": [:], "base_sampler": "nope"])
        }
        #expect(throws: StudyError.self) { try SamplerCatalog.shared.normalize(["type": "partial_fixed"]) }
    }
}
