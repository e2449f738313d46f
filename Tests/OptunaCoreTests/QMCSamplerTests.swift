import Testing

@testable import OptunaCore

@Suite struct QMCSamplerTests {
    /// Names sort in the order the Python objective suggests them, so dimensions line up with Optuna's.
    static let space: SearchSpace = [
        "a": TestDistributions.float(-1, 1), "b": TestDistributions.int(0, 8),
        "c": TestDistributions.categorical(["p", "q", "r"]),
    ]

    @Test func haltonTrialsMatchOptuna() throws {
        // optuna.create_study(sampler=QMCSampler(qmc_type="halton", seed=0)) with the same objective:
        // trial 0 is independent, trials 1… take the points 0, 1, 2, …
        let sampler = try QMCSampler(qmcType: "halton", seed: 0)
        var study = SamplerTestStudy()
        for _ in 0..<6 {
            let n = study.ask(sampler, space: Self.space)
            study.tell(n, [0])
        }
        let got = study.snapshot.trials.dropFirst().map { $0.params }
        let a: [Double] = [-1, 0, -0.5, 0.5, -0.75]
        let b: [Double] = [0, 3, 6, 1, 4]
        let c: [Double] = [0, 0, 1, 1, 2]
        #expect(got.map { $0["a"] ?? .nan } == a)
        #expect(got.map { $0["b"] ?? .nan } == b)
        #expect(got.map { $0["c"] ?? .nan } == c)
        #expect(study.snapshot.trials[5].systemAttrs[QMCSampler.sampleIDKey] == 4)
    }

    @Test func sampleIDsIncreaseEvenForConcurrentTrials() throws {
        let sampler = try QMCSampler(seed: 1)
        var study = SamplerTestStudy()
        let first = study.ask(sampler, space: Self.space)
        study.tell(first, [1])
        let numbers = (0..<5).map { _ in study.ask(sampler, space: Self.space) }
        let ids = numbers.map { study.snapshot.trials[$0].systemAttrs[QMCSampler.sampleIDKey]?.intValue }
        #expect(ids == [0, 1, 2, 3, 4])
        let points = Set(numbers.map { study.params($0) })
        #expect(points.count == 5)
    }

    @Test func aChangedSpaceStartsItsOwnSequence() throws {
        let sampler = try QMCSampler()
        var study = SamplerTestStudy()
        let n = study.ask(sampler, space: Self.space)
        study.tell(n, [0])
        study.ask(sampler, space: Self.space)
        let key = study.snapshot.trials[1].systemAttrs[QMCSampler.spaceKey]
        #expect(key != nil)
        let other = try QMCSampler(qmcType: "halton")
        #expect(other.fingerprint(Self.space, study: study.snapshot) != key?.stringValue)
    }

    @Test func parametersOutsideTheFirstSpaceAreSampledUniformly() throws {
        let sampler = try QMCSampler()
        var study = SamplerTestStudy()
        let n = study.ask(sampler, space: ["a": TestDistributions.float(0, 1)])
        study.tell(n, [0])
        let m = study.ask(sampler, space: ["a": TestDistributions.float(0, 1), "z": TestDistributions.float(5, 6)])
        #expect(study.snapshot.trials[m].params["a"] == 0)
        #expect(TestDistributions.float(5, 6).contains(study.snapshot.trials[m].params["z"] ?? .nan))
    }

    @Test func specNormalizes() throws {
        let spec = try SamplerCatalog.shared.normalize("QMCSampler")
        #expect(spec.options["qmc_type"] == "sobol")
        #expect(spec.options["scramble"] == false)
        #expect(throws: StudyError.self) { try SamplerCatalog.shared.normalize(["type": "qmc", "qmc_type": "lhs"]) }
    }
}
