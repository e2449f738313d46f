import Testing

@testable import OptunaCore

@Suite struct BruteForceSamplerTests {
    @Test func aStaticSpaceIsEnumeratedOnceEvenConcurrently() {
        let sampler = BruteForceSampler(seed: 1)
        let space: SearchSpace = [
            "a": TestDistributions.int(1, 3), "b": TestDistributions.categorical(["x", "y"]),
            "c": TestDistributions.float(0, 0.2, step: 0.1),
        ]
        var study = SamplerTestStudy(seed: 1)
        // 3 x 2 x 3 = 18 combinations, all asked before any finishes.
        let numbers = (0..<18).map { _ in study.ask(sampler, space: space) }
        #expect(Set(numbers.map { study.params($0) }).count == 18)
        for n in numbers { study.tell(n, [0]) }
    }

    /// Optuna's documentation example: `c` chooses between `x` in {1, 1.5, …, 3} and integers `a <= b` in
    /// 1…3, which makes 5 + 6 = 11 combinations.
    @Test func aDynamicSpaceIsEnumeratedOnce() {
        let sampler = BruteForceSampler(seed: 3)
        var study = SamplerTestStudy(seed: 3)
        var seen = Set<String>()
        for _ in 0..<11 {
            let n = study.ask(sampler, space: ["c": TestDistributions.categorical(["float", "int"])])
            if study.snapshot.trials[n].params["c"] == 0 {
                let x = study.suggest(sampler, trial: n, name: "x", TestDistributions.float(1, 3, step: 0.5))
                seen.insert("float \(x)")
            } else {
                let a = study.suggest(sampler, trial: n, name: "a", TestDistributions.int(1, 3))
                let b = study.suggest(sampler, trial: n, name: "b", TestDistributions.int(Int64(a), 3))
                seen.insert("int \(a) \(b)")
            }
            study.tell(n, [0])
        }
        #expect(seen.count == 11)
    }

    @Test func decimalStepsEnumerateExactly() {
        #expect(BruteForceCandidates.values(TestDistributions.float(0.1, 0.5, step: 0.1)) == [0.1, 0.2, 0.3, 0.4, 0.5])
        #expect(BruteForceCandidates.values(TestDistributions.int(-3, 9, step: 4)) == [-3, 1, 5, 9])
        #expect(BruteForceCandidates.values(TestDistributions.float(0, 1)) == nil)
    }

    @Test func runningTrialsCountUnlessAvoidingPrematureStop() {
        let space: SearchSpace = ["a": TestDistributions.int(1, 2)]
        var study = SamplerTestStudy()
        let loose = BruteForceSampler()
        let first = study.ask(loose, space: space)
        let second = study.ask(loose, space: space)
        #expect(study.params(first) != study.params(second))
        _ = BruteForceSampler(avoidPrematureStop: true)
    }

    @Test func specNormalizes() throws {
        let spec = try SamplerCatalog.shared.normalize("BruteForceSampler")
        #expect(spec.type == "bruteforce")
        #expect(spec.options["avoid_premature_stop"] == false)
    }
}
