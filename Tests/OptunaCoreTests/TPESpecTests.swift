import Testing

@testable import OptunaCore

@Suite("TPE sampler spec")
struct TPESpecTests {
    static let defaults: [String: JSONValue] = [
        "seed": .null, "n_startup_trials": 10, "n_ei_candidates": 24, "multivariate": .null, "group": false,
        "constant_liar": true, "consider_prior": true, "prior_weight": 1.0, "consider_magic_clip": true,
        "consider_endpoints": false,
    ]

    @Test(
        "the type name and Optuna's class name give every option with Optuna 5's default",
        arguments: ["tpe", "TPESampler", "tpesampler"])
    func defaults(name: String) throws {
        let spec = try SamplerCatalog.shared.normalize(.string(name))
        #expect(spec.type == "tpe")
        #expect(spec.options == Self.defaults)
    }

    @Test func tpeIsTheDefaultSampler() throws {
        #expect(SamplerCatalog.defaultType == "tpe")
        #expect(SamplerCatalog.shared.typeNames.contains("tpe"))
    }

    @Test func optionsReachTheSampler() throws {
        let spec = try SamplerCatalog.shared.normalize([
            "type": "tpe", "seed": 7, "n_startup_trials": 3, "n_ei_candidates": 48, "multivariate": false,
            "constant_liar": false, "prior_weight": 0.5, "consider_magic_clip": false, "consider_endpoints": true,
        ])
        let sampler = try #require(try SamplerCatalog.shared.make(spec) as? TPESampler)
        #expect(sampler.seed == 7)
        #expect(sampler.nStartupTrials == 3)
        #expect(sampler.nEICandidates == 48)
        #expect(sampler.multivariate == false)
        #expect(!sampler.group)
        #expect(!sampler.constantLiar)
        #expect(sampler.priorWeight == 0.5)
        #expect(!sampler.considerMagicClip)
        #expect(sampler.considerEndpoints)
        let automatic = try #require(
            try SamplerCatalog.shared.make(SamplerCatalog.shared.normalize("tpe")) as? TPESampler)
        #expect(automatic.multivariate == nil)
        #expect(automatic.constantLiar)
    }

    @Test(
        "invalid specs are rejected",
        arguments: [
            ["type": "tpe", "gamma": "default"], ["type": "tpe", "n_ei_candidates": 0],
            ["type": "tpe", "prior_weight": -1], ["type": "tpe", "multivariate": "yes"],
            ["type": "tpe", "n_startup_trials": 1.5], ["type": "tpe", "group": true, "multivariate": false],
        ] as [JSONValue])
    func rejected(_ json: JSONValue) {
        #expect(throws: StudyError.self) {
            try SamplerCatalog.shared.make(try SamplerCatalog.shared.normalize(json))
        }
    }
}
