import OptunaCore
import Testing

@Suite struct PatientPrunerTests {
    private func decide(
        _ pruner: PatientPruner, _ values: [Double], direction: StudyDirection = .minimize
    ) -> Bool {
        let current = PrunerStudy.trial(0, .running, PrunerStudy.steps(values))
        return pruner.prune(study: PrunerStudy.snapshot([], current: current, direction: direction), trial: current)
    }

    @Test func prunesOnceNoImprovementForPatienceSteps() {
        let pruner = PatientPruner(wrapped: nil, patience: 2)
        // Best before the last three values is 0.9; the last three never beat it.
        #expect(decide(pruner, [1.0, 0.9, 0.95, 0.92, 0.91]))
        #expect(!decide(pruner, [1.0, 0.9, 0.95, 0.92, 0.89]))
        // patience + 1 values or fewer are never enough.
        #expect(!decide(pruner, [1.0, 2.0, 3.0]))
    }

    @Test func minDeltaAndDirection() {
        #expect(!decide(PatientPruner(wrapped: nil, patience: 1, minDelta: 0.05), [1.0, 0.9, 0.92, 0.93]))
        #expect(decide(PatientPruner(wrapped: nil, patience: 1, minDelta: 0.01), [1.0, 0.9, 0.92, 0.93]))
        #expect(decide(PatientPruner(wrapped: nil, patience: 1), [0.1, 0.5, 0.4, 0.45], direction: .maximize))
        #expect(!decide(PatientPruner(wrapped: nil, patience: 1), [0.1, 0.5, 0.4, 0.55], direction: .maximize))
    }

    @Test func nanValuesAreSkippedAndAnAllNaNSideNeverStalls() {
        let pruner = PatientPruner(wrapped: nil, patience: 1)
        #expect(decide(pruner, [1.0, .nan, 2.0, 3.0]))
        #expect(!decide(pruner, [.nan, .nan, 2.0, 3.0]))
        #expect(!decide(pruner, [1.0, 0.5, .nan, .nan]))
    }

    @Test func theWrappedPrunerHasTheLastWord() {
        #expect(!decide(PatientPruner(wrapped: NopPruner(), patience: 0), [1, 2]))
        #expect(decide(PatientPruner(wrapped: ThresholdPruner(upper: 1.5), patience: 0), [1, 2]))
        #expect(!decide(PatientPruner(wrapped: ThresholdPruner(upper: 2.5), patience: 0), [1, 2]))
    }
}
