import Testing

@testable import OptunaCore

/// Every sampler of this family keeps every sample inside its distribution, over a run long enough to
/// leave the startup phase.
@Suite struct GridSamplerDistributionTests {
    static let samplerSpecs: [JSONValue] = [
        ["type": "nsga2", "seed": 1, "population_size": 4, "mutation": "polynomial", "crossover": "sbx"],
        ["type": "nsga2", "seed": 1, "population_size": 4, "crossover": "undx"],
        ["type": "nsga2", "seed": 1, "population_size": 4, "crossover": "spx"],
        ["type": "nsga2", "seed": 1, "population_size": 4, "crossover": "blxalpha"],
        ["type": "nsga2", "seed": 1, "population_size": 4, "crossover": "vsbx"],
        ["type": "nsga3", "seed": 1, "population_size": 4],
        ["type": "cmaes", "seed": 1],
        ["type": "cmaes", "seed": 1, "with_margin": true],
        ["type": "cmaes", "seed": 1, "use_separable_cma": true],
        ["type": "qmc", "seed": 1],
        ["type": "qmc", "seed": 1, "qmc_type": "halton", "scramble": true],
        ["type": "qmc", "seed": 1, "scramble": true],
        ["type": "bruteforce", "seed": 1],
        ["type": "partial_fixed", "fixed_params": [:], "base_sampler": "cmaes"],
        ["type": "grid", "search_space": ["p0": [-10, 0, 10], "p3": [-3, 1]]],
    ]

    @Test(arguments: samplerSpecs, TestDistributions.all)
    func everySampleLiesInItsDistribution(_ spec: JSONValue, _ d: Distribution) throws {
        let sampler = try SamplerCatalog.shared.make(try SamplerCatalog.shared.normalize(spec))
        var space: SearchSpace = [:]
        for (i, other) in TestDistributions.all.enumerated() { space["p\(i)"] = other }
        space["target"] = d
        var study = SamplerTestStudy(
            directions: spec["type"]?.stringValue?.hasPrefix("nsga") == true
                ? [.minimize, .maximize] : [.minimize], seed: 5)
        for k in 0..<30 {
            let n = study.ask(sampler, space: space)
            let t = study.snapshot.trials[n]
            for (name, v) in t.params { #expect(space[name]?.contains(v) == true, "\(name)=\(v) in \(spec)") }
            let value = (t.params["p0"] ?? 0) + Double(k % 3)
            study.tell(n, study.snapshot.directions.count == 2 ? [value, value * value] : [value])
        }
    }
}
