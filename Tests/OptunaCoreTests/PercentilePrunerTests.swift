import OptunaCore
import Testing

@testable import OptunaCore

@Suite struct PercentilePrunerTests {
    private func decide(
        _ pruner: some Pruner, completed: [FrozenTrial], current reports: [Int: Double],
        direction: StudyDirection = .minimize
    ) -> Bool {
        let current = PrunerStudy.trial(completed.count, .running, reports)
        return pruner.prune(
            study: PrunerStudy.snapshot(completed, current: current, direction: direction), trial: current)
    }

    @Test func nothingCompletedNeverPrunes() {
        #expect(!decide(MedianPruner(nStartupTrials: 0), completed: [], current: [0: 1e9]))
    }

    @Test func startupTrialsMustCompleteFirst() {
        let pruner = MedianPruner(nStartupTrials: 3)
        #expect(!decide(pruner, completed: PrunerStudy.completed([1, 1]), current: [0: 5]))
        #expect(decide(pruner, completed: PrunerStudy.completed([1, 1, 1]), current: [0: 5]))
    }

    @Test func warmUpStepsAreNeverPruned() {
        let pruner = MedianPruner(nStartupTrials: 0, nWarmupSteps: 2)
        let done = PrunerStudy.completed([1, 1], steps: 5)
        #expect(!decide(pruner, completed: done, current: PrunerStudy.steps([5, 5])))
        #expect(decide(pruner, completed: done, current: PrunerStudy.steps([5, 5, 5])))
    }

    @Test func checksRunAtTheFirstReportOfEachInterval() {
        let pruner = MedianPruner(nStartupTrials: 0, intervalSteps: 3)
        let done = PrunerStudy.completed([1, 1], steps: 10)
        let expected = [true, false, false, true, false, false, true]
        for last in 0..<7 {
            #expect(
                decide(pruner, completed: done, current: PrunerStudy.steps(Array(repeating: 5, count: last + 1)))
                    == expected[last])
        }
        // A check point with no report waits for the next report: 0 then 4 checks at 4, 3 then 4 does not.
        #expect(decide(pruner, completed: done, current: [0: 5, 4: 5]))
        #expect(!decide(pruner, completed: done, current: [3: 5, 4: 5]))
    }

    @Test func fewerValuesThanMinTrialsAtTheStepDoNotPrune() {
        var done = PrunerStudy.completed([1, 1, 1], steps: 1)
        done[0].intermediateValues[5] = 1
        #expect(!decide(MedianPruner(nStartupTrials: 0, nMinTrials: 2), completed: done, current: [5: 9]))
        #expect(decide(MedianPruner(nStartupTrials: 0, nMinTrials: 1), completed: done, current: [5: 9]))
    }

    @Test func theBestValueSoFarIsJudgedNotTheLatest() {
        let done = PrunerStudy.completed([1, 1], steps: 3)
        #expect(!decide(MedianPruner(nStartupTrials: 0), completed: done, current: [0: 0.5, 1: 9, 2: 9]))
        #expect(!decide(MedianPruner(nStartupTrials: 0), completed: done, current: [0: 1, 1: 1, 2: 1]))
    }

    @Test func allNaNTrialIsPrunedAndNaNNeighboursAreIgnored() {
        let pruner = MedianPruner(nStartupTrials: 0)
        #expect(decide(pruner, completed: PrunerStudy.completed([1, 2]), current: [0: .nan]))
        let done = PrunerStudy.completed([.nan, 1, 2], steps: 2)
        #expect(decide(pruner, completed: done, current: [0: 1.6]))
        #expect(!decide(pruner, completed: done, current: [0: .nan, 1: 1.4]))
    }

    @Test func anInfiniteMedianIsNaNAndDoesNotPrune() {
        // NumPy interpolates inf - inf to NaN; Optuna then keeps the trial.
        let done = PrunerStudy.completed([.infinity, .infinity, 1])
        #expect(!decide(MedianPruner(nStartupTrials: 0), completed: done, current: [0: 1e300]))
    }

    @Test func percentileFlipsWhenMaximizing() {
        let done = PrunerStudy.completed([1, 2, 3, 4, 5])
        let p25 = PercentilePruner(percentile: 25, nStartupTrials: 0)
        #expect(decide(p25, completed: done, current: [0: 2.5]))
        #expect(!decide(p25, completed: done, current: [0: 1.5]))
        #expect(decide(p25, completed: done, current: [0: 3.5], direction: .maximize))
        #expect(!decide(p25, completed: done, current: [0: 4.5], direction: .maximize))
    }

    @Test(
        arguments: [
            ([1, 2, 3, 4], 33.3, 1.9989999999999999), ([1, 2, 3, 4, 5], 25, 2.0), ([3, 1, 2], 50, 2.0),
            ([1, .nan, 3], 50, 2.0), ([-.infinity, 1, 2], 60, 1.2), ([5], 100, 5.0),
            ([0.1, 0.7, 0.2, 0.9], 90, 0.8400000000000001),
        ] as [([Double], Double, Double)])
    func percentileMatchesNumPy(values: [Double], q: Double, expected: Double) {
        #expect(IntermediateValues.percentile(values, q) == expected)
    }

    @Test(
        arguments: [
            ([1, .infinity, .infinity], 50.0), ([-.infinity, 1, 2], 10), ([.infinity], 50), ([.nan], 50),
        ] as [([Double], Double)])
    func percentileIsNaNWhereNumPyIs(values: [Double], q: Double) {
        #expect(IntermediateValues.percentile(values, q).isNaN)
    }
}
