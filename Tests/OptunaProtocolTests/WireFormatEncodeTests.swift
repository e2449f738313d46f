import FoundationEssentials
import OptunaCore
import OptunaProtocol
import Testing

/// The direct trial encoder writes exactly what the generic writer writes for ``WireFormat/trial(_:studyName:)``.
@Suite struct WireFormatEncodeTests {
    static func generic(_ t: FrozenTrial, _ study: String) -> String {
        JSONWriter.string(WireFormat.trial(t, studyName: study))
    }

    static func direct(_ t: FrozenTrial, _ study: String) -> String {
        var out: [UInt8] = []
        WireFormat.writeTrial(t, studyName: study, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func edgeTrials() throws -> [FrozenTrial] {
        let float = Distribution.float(try FloatDistribution(low: 1e-5, high: 1.0, log: true))
        let stepped = Distribution.float(try FloatDistribution(low: -1.0, high: 1.0, step: 0.25))
        let int = Distribution.int(try IntDistribution(low: 1, high: 9, step: 2))
        let logInt = Distribution.int(try IntDistribution(low: 1, high: 1024, log: true))
        let cat = Distribution.categorical(try CategoricalDistribution(
            choices: [.null, true, 1, 2.5, "adam", "ü \"quoted\"\n"]))
        var full = FrozenTrial(
            id: 42, number: 7, state: .complete,
            params: ["lr": 0.001, "b": 0.5, "n": 5, "layers": 512, "opt": 5, "no distribution": 1],
            distributions: ["lr": float, "b": stepped, "n": int, "layers": logInt, "opt": cat],
            values: [1.5], intermediateValues: [2: 0.5, 10: .nan, 100: .infinity, 9: -.infinity, -3: 1e-300],
            userAttrs: ["nested": ["a": [1, 2.5, "x"], "nan": .double(.nan)], "Zed": true, "émoji 🎯": "ok"],
            systemAttrs: ["constraints": [-1.0, 0.5], "fixed_params": ["n": 5]],
            datetimeStart: Date(timeIntervalSince1970: 1_700_000_000.123456),
            datetimeComplete: Date(timeIntervalSince1970: 1_700_000_123.5))
        full.userAttrs["a\"b\\c"] = .null
        let running = FrozenTrial(id: 1, number: 0, state: .running)
        let multi = FrozenTrial(
            id: 3, number: 2, state: .complete, values: [1, -.infinity, .nan],
            datetimeStart: Date(timeIntervalSince1970: 0))
        let pruned = FrozenTrial(id: 4, number: 3, state: .pruned, intermediateValues: [0: 3.25])
        let waiting = FrozenTrial(id: 5, number: 4, state: .waiting, systemAttrs: ["fixed_params": ["x": 1.5]])
        return [full, running, multi, pruned, waiting]
    }

    @Test func edgeCasesMatchTheGenericWriter() throws {
        for t in try Self.edgeTrials() {
            #expect(Self.direct(t, "stüdy \"q\"") == Self.generic(t, "stüdy \"q\""))
        }
    }

    @Test func seededRandomTrialsMatchTheGenericWriter() throws {
        var rng = SeededGenerator(seed: 20261204)
        let names = ["x", "y", "Z", "a_long_parameter_name", "ß", "10", "9", "", "tab\there"]
        for number in 0..<300 {
            var t = FrozenTrial(id: Int64(number) + 1, number: number, state: TrialState.allCases[Int(rng.next() % 5)])
            for name in names where rng.next() % 2 == 0 {
                switch rng.next() % 3 {
                case 0:
                    t.distributions[name] = .float(try FloatDistribution(low: -10, high: 10))
                    t.params[name] = rng.nextUnit() * 20 - 10
                case 1:
                    t.distributions[name] = .int(try IntDistribution(low: -5, high: 5))
                    t.params[name] = Double(Int(rng.next() % 11) - 5)
                default:
                    t.distributions[name] = .categorical(try CategoricalDistribution(choices: ["a", 1, nil, 0.5]))
                    t.params[name] = Double(rng.next() % 4)
                }
            }
            if rng.next() % 2 == 0 { t.values = (0..<Int(rng.next() % 3 + 1)).map { _ in rng.nextUnit() * 1e6 - 5e5 } }
            for _ in 0..<Int(rng.next() % 12) { t.intermediateValues[Int(rng.next() % 200)] = rng.nextUnit() }
            if rng.next() % 3 == 0 { t.userAttrs["k\(rng.next() % 5)"] = .double(rng.nextUnit()) }
            if rng.next() % 2 == 0 { t.datetimeStart = Date(timeIntervalSince1970: rng.nextUnit() * 2e9) }
            #expect(Self.direct(t, "s") == Self.generic(t, "s"), "trial \(number)")
        }
    }

    @Test func askResultsMatchTheGenericWriter() throws {
        for t in try Self.edgeTrials() {
            var out: [UInt8] = []
            WireFormat.writeAskResult(t, into: &out)
            let generic: JSONValue = [
                "trial_id": .int(t.id), "number": .int(Int64(t.number)), "params": .object(t.externalParams),
            ]
            #expect(String(decoding: out, as: UTF8.self) == JSONWriter.string(generic))
        }
    }

    /// Parts rendered ahead are written for exactly the trial they were rendered from, as it still is; the text is
    /// the same either way.
    @Test func renderedPartsNeverChangeTheText() throws {
        let space: [String: Distribution] = [
            "x": .float(try FloatDistribution(low: -1, high: 1)),
            "n": .int(try IntDistribution(low: 1, high: 9)),
            "c": .categorical(try CategoricalDistribution(choices: ["a", 2.5, nil])),
        ]
        var asked = FrozenTrial(id: 5, number: 4, state: .running, params: ["x": 0.125, "n": 3, "c": 1], distributions: space)
        let parts = try #require(RenderedTrialParts(asked))
        asked.state = .complete
        asked.values = [0.5]
        var suggested = asked
        suggested.params["y"] = 0.5
        suggested.distributions["y"] = .float(try FloatDistribution(low: 0, high: 1))
        var other = asked
        other.id = 6
        var otherValue = asked
        otherValue.params["x"] = 0.25
        for t in [asked, suggested, other, otherValue] {
            var with: [UInt8] = []
            WireFormat.writeTrial(t, studyName: "s", parts: parts, into: &with)
            #expect(String(decoding: with, as: UTF8.self) == Self.generic(t, "s"))
        }
        #expect(parts.fits(asked))
        #expect(!parts.fits(suggested) && !parts.fits(other) && !parts.fits(otherValue))
        // `-0.0` equals `0.0` but is written apart: such trials are not rendered ahead.
        var negativeZero = asked
        negativeZero.params["x"] = -0.0
        #expect(RenderedTrialParts(negativeZero) == nil)
        var negativeLow = asked
        negativeLow.distributions["x"] = .float(try FloatDistribution(low: -0.0, high: 1))
        #expect(RenderedTrialParts(negativeLow) == nil)
        var negativeChoice = asked
        negativeChoice.distributions["c"] = .categorical(try CategoricalDistribution(choices: ["a", -0.0, nil]))
        #expect(RenderedTrialParts(negativeChoice) == nil)
    }

    @Test func trialListsAreArraysOfTrials() throws {
        let trials = try Self.edgeTrials()
        var out: [UInt8] = []
        WireFormat.writeTrials(trials, studyName: "s", into: &out)
        #expect(String(decoding: out, as: UTF8.self) == JSONWriter.string(.array(trials.map { WireFormat.trial($0, studyName: "s") })))
        out = []
        WireFormat.writeTrials([], studyName: "s", into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "[]")
    }
}
