import OptunaCore
import OptunaProtocol
import OptunaServer
import Testing

@Suite struct DispatcherTests {
    let space: JSONValue = [
        "x": ["type": "float", "low": -5, "high": 5], "k": ["type": "int", "low": 0, "high": 9],
        "c": ["type": "categorical", "choices": ["a", "b", "c"]],
    ]

    @Test func concurrentAsksGetDistinctDenseNumbers() async throws {
        let d = makeDispatcher()
        _ = await d.result("create_study", ["study_name": "c", "sampler": ["type": "random", "seed": 1]])
        let numbers = await withTaskGroup(of: Int64?.self) { group in
            for _ in 0..<64 {
                group.addTask { await d.result("ask", ["study_name": "c"])?["number"]?.int64Value }
            }
            var out: [Int64] = []
            for await n in group { if let n { out.append(n) } }
            return out
        }
        #expect(numbers.sorted() == Array(0..<64))
    }

    @Test func parametersDependOnSeedAndNumberOnlyNotOnInterleaving() async throws {
        // Study a is asked alone; study b (same seed) is asked while another study is busy in between.
        let d = makeDispatcher()
        for name in ["a", "b", "noise"] {
            _ = await d.result("create_study", ["study_name": .string(name), "sampler": ["type": "random", "seed": 42]])
        }
        var alone: [JSONValue] = []
        for _ in 0..<5 { alone.append(await d.result("ask", ["study_name": "a", "search_space": space])?["params"] ?? .null) }
        var mixed: [JSONValue] = []
        for _ in 0..<5 {
            _ = await d.result("ask", ["study_name": "noise", "search_space": space])
            mixed.append(await d.result("ask", ["study_name": "b", "search_space": space])?["params"] ?? .null)
        }
        #expect(alone == mixed)
        #expect(Set(alone.map { "\($0)" }).count == 5)
    }

    @Test func seedIsDrawnAndRecordedWhenOmitted() async throws {
        let d = makeDispatcher()
        let study = try #require(await d.result("create_study", ["study_name": "s", "sampler": "random"]))
        #expect(study["sampler"]?["seed"]?.int64Value != nil)
        #expect(study["pruner"]?["type"] == .string(PrunerCatalog.defaultType))
    }

    @Test func loadIfExistsReturnsTheStoredStudy() async throws {
        let d = makeDispatcher()
        _ = await d.result("create_study", ["study_name": "s", "direction": "maximize", "sampler": ["type": "random", "seed": 1]])
        #expect(await d.errorKind("create_study", ["study_name": "s"]) == "duplicated_study")
        let again = try #require(await d.result("create_study", ["study_name": "s", "load_if_exists": true]))
        #expect(again["directions"] == ["MAXIMIZE"])
        #expect(again["sampler"]?["seed"] == 1)
    }

    @Test func generatedNamesAreUnique() async throws {
        let d = makeDispatcher()
        let a = await d.result("create_study")?["study_name"]?.stringValue ?? ""
        let b = await d.result("create_study")?["study_name"]?.stringValue ?? ""
        #expect(a.hasPrefix("no-name-") && b.hasPrefix("no-name-") && a != b)
    }

    @Test func rangesMayChangeButKindsMayNot() async throws {
        let d = makeDispatcher()
        _ = await d.result("create_study", ["study_name": "s", "sampler": ["type": "random", "seed": 1]])
        _ = await d.result("ask", ["study_name": "s", "search_space": ["x": ["type": "float", "low": 0, "high": 1]]])
        let wider = await d.result("ask", ["study_name": "s", "search_space": ["x": ["type": "float", "low": 5, "high": 6]]])
        let x = try #require(wider?["params"]?["x"]?.doubleValue)
        #expect(x >= 5 && x <= 6)
        #expect(await d.errorKind("ask", ["study_name": "s", "search_space": ["x": ["type": "int", "low": 0, "high": 1]]])
            == "incompatible_distribution")
        #expect(await d.result("get_study", ["study_name": "s"])?["n_trials"] == 2)
    }

    @Test func hugeAndHostileInputsGetErrors() async throws {
        let d = makeDispatcher()
        let deep = String(repeating: "[", count: 10_000)
        let answer = await d.handle(line: Array(deep.utf8))
        #expect(answer.map { String(decoding: $0, as: UTF8.self) }?.contains("parse_error") == true)
        let invalidUTF8: [UInt8] = Array(#"{"id":1,"method":"create_study","params":{"study_name":""#.utf8) + [0xC3, 0x28, 0x22, 0x7D, 0x7D]
        let a2 = await d.handle(line: invalidUTF8)
        #expect(a2.map { String(decoding: $0, as: UTF8.self) }?.contains("parse_error") == true)
        #expect(await d.errorKind("get_trial", ["trial_id": 1e300]) == "invalid_params")
        #expect(await d.errorKind("create_study", ["study_name": .string(String(repeating: "n", count: 513))]) == "invalid_params")
        #expect(await d.errorKind("report", ["trial_id": 1, "step": 1e30, "value": 1]) == "invalid_params")
    }

    @Test func aGridStudyReportsWhenItIsExhausted() async throws {
        let d = makeDispatcher()
        let grid: JSONValue = ["type": "grid", "search_space": ["a": [1, 2], "b": ["x", "y"]], "seed": 3]
        _ = await d.result("create_study", ["study_name": "g", "sampler": grid])
        let space: JSONValue = [
            "a": ["type": "int", "low": 1, "high": 2], "b": ["type": "categorical", "choices": ["x", "y"]],
        ]
        var seen = Set<String>()
        for i in 0..<4 {
            #expect(await d.result("get_study", ["study_name": "g"])?["grid_exhausted"] == .bool(false), "after \(i)")
            let t = try #require(await d.result("ask", ["study_name": "g", "search_space": space]))
            seen.insert("\(t["params"] ?? nil)")
            _ = await d.result("tell", ["trial_id": t["trial_id"] ?? nil, "value": 1])
        }
        #expect(seen.count == 4)
        #expect(await d.result("get_study", ["study_name": "g"])?["grid_exhausted"] == true)
        _ = await d.result("create_study", ["study_name": "r", "sampler": "random"])
        #expect(await d.result("get_study", ["study_name": "r"])?["grid_exhausted"] == .null)
    }

    @Test func helloListsTheCatalogs() async throws {
        let hello = try #require(await makeDispatcher().result("hello"))
        #expect(hello["protocol"] == 1)
        #expect(hello["samplers"] == .array(SamplerCatalog.shared.typeNames.map(JSONValue.string)))
        #expect(hello["pruners"] == .array(PrunerCatalog.shared.typeNames.map(JSONValue.string)))
        #expect(hello["methods"]?.arrayValue?.count == Dispatcher.methodNames.count)
    }
}
