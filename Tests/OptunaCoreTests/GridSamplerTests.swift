import Testing

@testable import OptunaCore

@Suite struct GridSamplerTests {
    static let grid: [String: [JSONValue]] = ["x": [1, 2, 3], "y": ["a", "b"], "z": [0.5, 1.5]]
    static let space: SearchSpace = [
        "x": TestDistributions.int(0, 5), "y": TestDistributions.categorical(["a", "b"]),
        "z": TestDistributions.float(0, 2),
    ]

    static func tuple(_ p: [String: JSONValue]) -> String { "\(p["x"] ?? .null),\(p["y"] ?? .null),\(p["z"] ?? .null)" }

    @Test(arguments: [
        (Int64(0), ["2,\"b\",0.5", "3,\"b\",1.5", "2,\"a\",0.5", "3,\"b\",0.5", "1,\"b\",0.5", "3,\"a\",0.5"]),
        (Int64(7), ["2,\"b\",1.5", "3,\"b\",0.5", "1,\"b\",0.5", "2,\"a\",1.5", "1,\"a\",0.5", "1,\"a\",1.5"]),
    ])
    func visitingOrderMatchesOptuna(seed: Int64, firstSix: [String]) throws {
        let sampler = try GridSampler(searchSpace: Self.grid, seed: seed)
        #expect((0..<6).map { Self.tuple(sampler.point($0)) } == firstSix)
    }

    @Test func largerGridsShuffleAsNumPy() throws {
        let values: [JSONValue] = (0..<10).map { .int($0) }
        let sampler = try GridSampler(searchSpace: ["a": values, "b": values], seed: 3)
        let order = (0..<12).map { id -> Int in
            let p = sampler.point(id)
            return Int((p["a"]?.intValue ?? 0) * 10 + (p["b"]?.intValue ?? 0))
        }
        #expect(order == [93, 67, 6, 64, 96, 83, 98, 42, 25, 15, 77, 9])
    }

    @Test(arguments: [Int64(0), 7])
    func oneCoordinateIsThePointsValue(seed: Int64) throws {
        let sampler = try GridSampler(searchSpace: Self.grid, seed: seed)
        for id in 0..<sampler.gridCount {
            let point = sampler.point(id)
            for name in ["x", "y", "z"] { #expect(sampler.value(id, of: name) == point[name]) }
            #expect(sampler.value(id, of: "w") == nil)
        }
        #expect(sampler.value(-1, of: "x") == nil)
        #expect(sampler.value(sampler.gridCount, of: "x") == nil)
    }

    @Test func concurrentAsksCoverTheGridWithoutDuplicates() throws {
        let sampler = try GridSampler(searchSpace: Self.grid)
        var study = SamplerTestStudy()
        // Twelve asks before any result: every point once.
        let numbers = (0..<12).map { _ in study.ask(sampler, space: Self.space) }
        let points = numbers.map { study.params($0) }
        #expect(Set(points).count == 12)
        #expect(!sampler.isExhausted(study: study.snapshot))
        for n in numbers { study.tell(n, [0]) }
        #expect(sampler.isExhausted(study: study.snapshot))
        // Exhausted: further trials re-evaluate existing points, as Optuna does.
        let again = study.ask(sampler, space: Self.space)
        #expect(points.contains(study.params(again)))
    }

    @Test func laterTrialsTakePointsNobodyHolds() throws {
        let sampler = try GridSampler(searchSpace: ["x": [1, 2, 3]])
        var study = SamplerTestStudy()
        let space: SearchSpace = ["x": TestDistributions.int(0, 5)]
        // An enqueued trial (no grid id) takes number 0, so grid point 0 is left for a later trial.
        study.snapshot.trials.append(
            FrozenTrial(
                id: 1, number: 0, state: .complete, params: ["x": 1],
                distributions: space, values: [0], systemAttrs: ["fixed_params": ["x": 1]]))
        let a = study.ask(sampler, space: space)
        let b = study.ask(sampler, space: space)
        let c = study.ask(sampler, space: space)
        let ids = [a, b, c].map { study.snapshot.trials[$0].systemAttrs["grid_id"]?.intValue }
        #expect(ids == [1, 2, 0])
    }

    @Test func specRequiresASearchSpace() throws {
        #expect(throws: StudyError.self) { try SamplerCatalog.shared.normalize("grid") }
        #expect(throws: StudyError.self) {
            try SamplerCatalog.shared.normalize(["type": "grid", "search_space": ["x": []]])
        }
        let spec = try SamplerCatalog.shared.normalize(["type": "GridSampler", "search_space": ["x": [1, 2]]])
        #expect(spec.options["seed"] == .null)
        _ = try SamplerCatalog.shared.make(spec)
    }
}
