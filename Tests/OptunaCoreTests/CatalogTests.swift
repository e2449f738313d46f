import OptunaCore
import Testing

@Suite struct CatalogTests {
    @Test func specsAreNormalizedWithDefaults() throws {
        let spec = try SamplerCatalog.shared.normalize("RandomSampler")
        #expect(spec.type == "random")
        #expect(spec.options["seed"] == .null)
        #expect(try SamplerCatalog.shared.normalize(["type": "random", "seed": 3.0]).options["seed"] == .int(3))
    }

    @Test(arguments: [
        (JSONValue.object(["type": "randum"]), "unknown sampler type 'randum'; valid types:"),
        (JSONValue.object(["type": "random", "sead": 1]), "unknown option 'sead' for sampler 'random'; valid options: seed"),
        (JSONValue.object(["type": "random", "seed": "one"]), "option 'seed' must be an integer"),
        (JSONValue.object(["seed": 1]), "needs a string \"type\""),
        (JSONValue.int(3), "must be an object"),
    ])
    func badSpecsNameTheValidChoices(_ json: JSONValue, _ fragment: String) {
        #expect {
            _ = try SamplerCatalog.shared.normalize(json)
        } throws: { String(describing: $0).contains(fragment) }
    }

    @Test func everyKindHasADistinctNameAndAliases() {
        let names = SamplerCatalog.shared.kinds.flatMap { [$0.type] + $0.aliases.map { $0.lowercased() } }
        #expect(Set(names).count == names.count)
        let pruners = PrunerCatalog.shared.kinds.flatMap { [$0.type] + $0.aliases.map { $0.lowercased() } }
        #expect(Set(pruners).count == pruners.count)
        #expect(SamplerCatalog.shared.kind(named: SamplerCatalog.defaultType) != nil)
        #expect(PrunerCatalog.shared.kind(named: PrunerCatalog.defaultType) != nil)
    }
}
