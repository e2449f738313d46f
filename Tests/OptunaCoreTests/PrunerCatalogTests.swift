import OptunaCore
import Testing

@Suite struct PrunerCatalogTests {
    private let catalog = PrunerCatalog.shared

    @Test func everyOptunaPrunerIsServedUnderItsNameAndClassName() throws {
        #expect(
            catalog.typeNames == [
                "median", "percentile", "successive_halving", "hyperband", "threshold", "patient", "wilcoxon", "nop",
            ])
        let aliases = [
            "MedianPruner", "PercentilePruner", "SuccessiveHalvingPruner", "HyperbandPruner", "ThresholdPruner",
            "PatientPruner", "WilcoxonPruner", "NopPruner",
        ]
        for (name, alias) in zip(catalog.typeNames, aliases) { #expect(catalog.kind(named: alias)?.type == name) }
        #expect(PrunerCatalog.defaultType == "median")
    }

    @Test func defaultsAreOptunas() throws {
        let expected: [String: JSONValue] = [
            "median": [
                "type": "median", "n_startup_trials": 5, "n_warmup_steps": 0, "interval_steps": 1, "n_min_trials": 1,
            ],
            "successive_halving": [
                "type": "successive_halving", "min_resource": "auto", "reduction_factor": 4,
                "min_early_stopping_rate": 0, "bootstrap_count": 0,
            ],
            "hyperband": [
                "type": "hyperband", "min_resource": 1, "max_resource": "auto", "reduction_factor": 3,
                "bootstrap_count": 0,
            ],
            "wilcoxon": ["type": "wilcoxon", "p_threshold": 0.1, "n_startup_steps": 2],
            "nop": ["type": "nop"],
        ]
        for (name, spec) in expected {
            let normalized = try catalog.normalize(.string(name))
            #expect(normalized.json == spec)
            _ = try catalog.make(normalized)
        }
    }

    @Test func patientNormalizesItsWrappedSpecInPlace() throws {
        let spec = try catalog.normalize(["type": "PatientPruner", "patience": 2, "wrapped_pruner": "median"])
        #expect(spec.options["wrapped_pruner"] == (try catalog.normalize("median")).json)
        #expect(spec.options["min_delta"] == 0.0)
        let pruner = try #require(try catalog.make(spec) as? PatientPruner)
        #expect(pruner.wrapped is MedianPruner)
        #expect(throws: StudyError.self) { try catalog.normalize(["type": "patient", "wrapped_pruner": "median"]) }
        #expect(throws: StudyError.self) {
            try catalog.normalize(["type": "patient", "patience": 1, "wrapped_pruner": ["type": "median", "bogus": 1]])
        }
        let bare = try catalog.make(catalog.normalize(["type": "patient", "patience": 1]))
        #expect((bare as? PatientPruner)?.wrapped == nil)
    }

    @Test(arguments: [
        ["type": "successive_halving", "min_resource": 3] as JSONValue,
        ["type": "successive_halving", "min_resource": "auto"],
        ["type": "hyperband", "max_resource": 100, "bootstrap_count": 2],
        ["type": "percentile", "percentile": 25],
    ])
    func validSpecsMakePruners(_ json: JSONValue) throws {
        _ = try catalog.make(catalog.normalize(json))
    }

    @Test(arguments: [
        ["type": "successive_halving", "min_resource": 0] as JSONValue,
        ["type": "successive_halving", "min_resource": "big"],
        ["type": "successive_halving", "reduction_factor": 1],
        ["type": "successive_halving", "bootstrap_count": 1],
        ["type": "hyperband", "max_resource": "auto", "bootstrap_count": 1],
        ["type": "hyperband", "max_resource": -3],
        ["type": "percentile"],
        ["type": "percentile", "percentile": 101],
        ["type": "wilcoxon", "p_threshold": 1.5],
        ["type": "median", "interval_steps": 0],
        ["type": "patient", "patience": -1],
    ])
    func invalidSpecsAreRejected(_ json: JSONValue) {
        #expect(throws: StudyError.self) { try catalog.make(catalog.normalize(json)) }
    }

    @Test func resourcesKeepTheirForm() throws {
        let spec = try catalog.normalize(["type": "successive_halving", "min_resource": 3.0])
        #expect(spec.options["min_resource"] == 3)
        let pruner = try #require(try catalog.make(spec) as? SuccessiveHalvingPruner)
        #expect(pruner.minResource == .steps(3))
    }
}
