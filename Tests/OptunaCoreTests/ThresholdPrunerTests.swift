import OptunaCore
import Testing

@Suite struct ThresholdPrunerTests {
    private func decide(_ pruner: ThresholdPruner, _ reports: [Int: Double]) -> Bool {
        let current = PrunerStudy.trial(0, .running, reports)
        return pruner.prune(study: PrunerStudy.snapshot([], current: current), trial: current)
    }

    @Test func valuesOutsideTheBoundsArePruned() {
        let pruner = ThresholdPruner(lower: 0, upper: 1)
        #expect(decide(pruner, [0: -0.1]))
        #expect(decide(pruner, [0: 1.1]))
        #expect(!decide(pruner, [0: 0]))
        #expect(!decide(pruner, [0: 1]))
        #expect(decide(pruner, [0: .nan]))
        #expect(!decide(ThresholdPruner(upper: 1), [0: -.infinity]))
        #expect(decide(ThresholdPruner(lower: 0), [0: -.infinity]))
    }

    @Test func onlyTheLatestValueCounts() {
        #expect(!decide(ThresholdPruner(upper: 1), [0: 5, 1: 0.5]))
    }

    @Test func warmUpAndIntervalDelayChecks() {
        let pruner = ThresholdPruner(upper: 1, nWarmupSteps: 2, intervalSteps: 2)
        #expect(!decide(pruner, PrunerStudy.steps([5, 5])))
        #expect(decide(pruner, PrunerStudy.steps([5, 5, 5])))
        #expect(!decide(pruner, PrunerStudy.steps([5, 5, 5, 5])))
        #expect(decide(pruner, PrunerStudy.steps([5, 5, 5, 5, 5])))
    }

    @Test func aBoundIsRequiredAndLowerMayNotExceedUpper() throws {
        #expect(throws: StudyError.self) { try PrunerCatalog.shared.make(PrunerCatalog.shared.normalize("threshold")) }
        let crossed: JSONValue = ["type": "threshold", "lower": 2.0, "upper": 1.0]
        #expect(throws: StudyError.self) { try PrunerCatalog.shared.make(PrunerCatalog.shared.normalize(crossed)) }
        let one: JSONValue = ["type": "ThresholdPruner", "upper": 1.0]
        let pruner = try #require(
            try PrunerCatalog.shared.make(PrunerCatalog.shared.normalize(one)) as? ThresholdPruner)
        #expect(pruner.lower == -.infinity && pruner.upper == 1)
    }
}
