import OptunaCore
import Testing

@Suite struct DistributionTests {
    struct InvalidCase: Sendable, CustomTestStringConvertible {
        var json: JSONValue
        var fragment: String
        var testDescription: String { fragment }
    }

    @Test(arguments: [
        InvalidCase(json: ["type": "float", "low": 2, "high": 1], fragment: "`low <= high`"),
        InvalidCase(json: ["type": "float", "low": 0, "high": 1, "log": true], fragment: "`low > 0`"),
        InvalidCase(json: ["type": "float", "low": 1, "high": 2, "log": true, "step": 0.5], fragment: "`step` is not supported"),
        InvalidCase(json: ["type": "float", "low": 0, "high": 1, "step": 0], fragment: "`step > 0`"),
        InvalidCase(json: ["type": "int", "low": 0, "high": 10, "step": 0], fragment: "`step >= 1`"),
        InvalidCase(json: ["type": "int", "low": 0, "high": 10, "log": true], fragment: "`low >= 1`"),
        InvalidCase(json: ["type": "int", "low": 1, "high": 10, "log": true, "step": 2], fragment: "`step` must be 1"),
        InvalidCase(json: ["type": "categorical", "choices": []], fragment: "one or more"),
        InvalidCase(json: ["type": "categorical", "choices": [[1]]], fragment: "choices must be"),
        InvalidCase(json: ["type": "uniform", "low": 0, "high": 1], fragment: "unknown distribution type"),
        InvalidCase(json: ["type": "float", "low": 0, "high": 1, "lgo": true], fragment: "unknown key 'lgo'"),
        InvalidCase(json: ["type": "int", "low": 0.5, "high": 3], fragment: "must be an integer"),
        InvalidCase(json: ["type": "float", "low": "a", "high": 3], fragment: "must be a number"),
    ])
    func invalidDistributionsAreRefused(_ c: InvalidCase) {
        #expect {
            _ = try Distribution(json: c.json)
        } throws: { error in
            String(describing: error).contains(c.fragment)
        }
    }

    @Test func steppedFloatHighIsLoweredInDecimal() throws {
        // 0..1 by 0.1 is exact in decimal (Optuna keeps 1.0); 0..1 by 0.3 ends at 0.9.
        let exact = try FloatDistribution(low: 0, high: 1, step: 0.1)
        #expect(exact.high == 1.0)
        let lowered = try FloatDistribution(low: 0, high: 1, step: 0.3)
        #expect(lowered.high == 0.9)
        let negative = try FloatDistribution(low: -1.5, high: 1, step: 1)
        #expect(negative.high == 0.5)
    }

    @Test func intHighIsLoweredToTheGrid() throws {
        let d = try IntDistribution(low: 1, high: 10, step: 2)
        #expect(d.high == 9)
        #expect(d.contains(9) && d.contains(1) && !d.contains(2) && !d.contains(11))
    }

    @Test func singleValuedDistributions() throws {
        #expect(try FloatDistribution(low: 1, high: 1).isSingle)
        #expect(try FloatDistribution(low: 0, high: 0.05, step: 0.1).isSingle)
        #expect(try !FloatDistribution(low: 0, high: 0.1, step: 0.1).isSingle)
        #expect(try IntDistribution(low: 3, high: 4, step: 2).isSingle)
        #expect(try CategoricalDistribution(choices: ["a"]).choices.count == 1)
    }

    @Test func optunaFormsAndLegacyClassesAreRead() throws {
        let float = try Distribution(json: JSONParser.parse(
            #"{"name": "FloatDistribution", "attributes": {"step": null, "low": -10.0, "high": 10.0, "log": false}}"#))
        #expect(float == .float(try FloatDistribution(low: -10, high: 10)))
        let legacyLog = try Distribution(json: JSONParser.parse(
            #"{"name": "LogUniformDistribution", "attributes": {"low": 0.001, "high": 1.0}}"#))
        #expect(legacyLog == .float(try FloatDistribution(low: 0.001, high: 1, log: true)))
        let discrete = try Distribution(json: JSONParser.parse(
            #"{"name": "DiscreteUniformDistribution", "attributes": {"low": 0, "high": 1, "q": 0.25}}"#))
        #expect(discrete == .float(try FloatDistribution(low: 0, high: 1, step: 0.25)))
        let intUniform = try Distribution(json: JSONParser.parse(
            #"{"name": "IntUniformDistribution", "attributes": {"low": 1, "high": 9, "step": 2}}"#))
        #expect(intUniform == .int(try IntDistribution(low: 1, high: 9, step: 2)))
        let intLog = try Distribution(json: JSONParser.parse(
            #"{"name": "IntLogUniformDistribution", "attributes": {"low": 1, "high": 1024, "step": 1}}"#))
        #expect(intLog == .int(try IntDistribution(low: 1, high: 1024, log: true)))
    }

    @Test func optunaJSONIsByteIdenticalToOptunas() throws {
        // The strings Optuna 5.0.0's distribution_to_json writes (see shared reference, section 2.3).
        #expect(try Distribution.float(FloatDistribution(low: -10, high: 10)).optunaJSONString
            == #"{"name": "FloatDistribution", "attributes": {"step": null, "low": -10.0, "high": 10.0, "log": false}}"#)
        #expect(try Distribution.float(FloatDistribution(low: 0, high: 1, step: 0.25)).optunaJSONString
            == #"{"name": "FloatDistribution", "attributes": {"step": 0.25, "low": 0.0, "high": 1.0, "log": false}}"#)
        #expect(try Distribution.int(IntDistribution(low: 1, high: 9, step: 2)).optunaJSONString
            == #"{"name": "IntDistribution", "attributes": {"log": false, "step": 2, "low": 1, "high": 9}}"#)
        #expect(try Distribution.int(IntDistribution(low: 1, high: 1024, log: true)).optunaJSONString
            == #"{"name": "IntDistribution", "attributes": {"log": true, "step": 1, "low": 1, "high": 1024}}"#)
        #expect(try Distribution.categorical(CategoricalDistribution(choices: ["a", 1, 2.5, nil, true])).optunaJSONString
            == #"{"name": "CategoricalDistribution", "attributes": {"choices": ["a", 1, 2.5, null, true]}}"#)
    }

    @Test func externalAndInternalValuesRoundTrip() throws {
        let cat = Distribution.categorical(try CategoricalDistribution(choices: ["a", 1, 2.5, nil, true]))
        #expect(try cat.internalValue(of: true, name: "c") == 4)
        #expect(try cat.internalValue(of: .null, name: "c") == 3)
        #expect(try cat.internalValue(of: 1.0, name: "c") == 1)
        #expect(cat.externalValue(2) == .double(2.5))
        let int = Distribution.int(try IntDistribution(low: 0, high: 10))
        #expect(int.externalValue(7) == .int(7))
        #expect(throws: StudyError.self) { try int.internalValue(of: 11, name: "n") }
        #expect(throws: StudyError.self) { try int.internalValue(of: 2.5, name: "n") }
        #expect(throws: StudyError.self) { try cat.internalValue(of: "b", name: "c") }
    }

    @Test func compatibilityFollowsOptuna() throws {
        let a = Distribution.float(try FloatDistribution(low: 0, high: 1))
        let widened = Distribution.float(try FloatDistribution(low: -5, high: 5))
        let logged = Distribution.float(try FloatDistribution(low: 0.1, high: 1, log: true))
        let int = Distribution.int(try IntDistribution(low: 0, high: 1))
        try a.checkCompatible(with: widened, name: "x")
        #expect(throws: StudyError.self) { try a.checkCompatible(with: logged, name: "x") }
        #expect(throws: StudyError.self) { try a.checkCompatible(with: int, name: "x") }
        let c1 = Distribution.categorical(try CategoricalDistribution(choices: ["a", "b"]))
        let c2 = Distribution.categorical(try CategoricalDistribution(choices: ["a", "c"]))
        #expect(throws: StudyError.self) { try c1.checkCompatible(with: c2, name: "c") }
    }
}
