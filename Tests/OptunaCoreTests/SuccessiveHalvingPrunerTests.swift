@testable import OptunaCore
import Testing

/// Rung promotion steps here are 1, 2, 4, 8 (`min_resource` 1, `reduction_factor` 2) unless said otherwise.
@Suite struct SuccessiveHalvingPrunerTests {
    private let halving = SuccessiveHalvingPruner(minResource: .steps(1), reductionFactor: 2)

    /// Trials 0, 1, 2 recorded 0.1, 0.2, 0.3 at rung 0 (their values at step 1).
    private var history: [FrozenTrial] {
        [0.1, 0.2, 0.3].enumerated().map { PrunerStudy.trial($0.offset, .complete, [0: 1, 1: $0.element]) }
    }

    private func decide(
        _ pruner: SuccessiveHalvingPruner, _ trials: [FrozenTrial], _ reports: [Int: Double],
        direction: StudyDirection = .minimize
    ) -> Bool {
        let current = PrunerStudy.trial(trials.count, .running, reports)
        return pruner.prune(study: PrunerStudy.snapshot(trials, current: current, direction: direction), trial: current)
    }

    @Test func aRungKeepsTheTopFractionTiesIncluded() {
        // Four values at rung 0: promotion needs a place among the best 4 / 2 = 2.
        #expect(!decide(halving, history, [0: 1, 1: 0.15]))
        #expect(!decide(halving, history, [0: 1, 1: 0.2]))
        #expect(decide(halving, history, [0: 1, 1: 0.25]))
        #expect(!decide(halving, history, [0: 1]), "step 0 reaches no rung")
    }

    @Test func maximizingKeepsTheLargestValues() {
        #expect(!decide(halving, history, [0: 1, 1: 0.25], direction: .maximize))
        #expect(decide(halving, history, [0: 1, 1: 0.15], direction: .maximize))
    }

    @Test func oneReportCanClimbSeveralRungs() {
        // Step 4 reaches rungs 0, 1 and 2 at once; it is judged at rung 0 first.
        #expect(!decide(halving, history, [0: 1, 4: 0.05]))
        #expect(decide(halving, history, [0: 1, 4: 0.25]))
    }

    /// Which reports of a trial that reports every step can reach a rung it has not recorded, with promotion
    /// steps 1, 4, 16 (`min_resource` 1, `reduction_factor` 4): those at the promotion steps only. A report that
    /// crossed several promotion steps at once, or followed a NaN (which records nothing), leaves the bound lower.
    @Test(arguments: [
        ([0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5], [1, 4, 16]),
        ([0.5, .nan, 0.5, 0.5, 0.5, 0.5], [1, 2, 4]),
    ])
    func onlyReportsAtAPromotionStepMayReachANewRung(values: [Double], expected: [Int]) {
        let ladder = SuccessiveHalvingLadder(minResource: 1, reductionFactor: 4, minEarlyStoppingRate: 0, bootstrapCount: 0)
        let reaching = values.indices.filter { last in
            let current = PrunerStudy.trial(0, .running, Dictionary(uniqueKeysWithValues: (0...last).map { ($0, values[$0]) }))
            return ladder.mayReachNewRung(current, setup: .fromStart, direction: .minimize, rules: [])
        }
        #expect(reaching == expected)
    }

    @Test func nanAtAPromotionStepIsPruned() {
        #expect(decide(halving, history, [0: 1, 1: .nan]))
        #expect(!decide(halving, history, [0: .nan]))
    }

    @Test func bootstrapCountPrunesUntilTheRungIsFull() {
        let pruner = SuccessiveHalvingPruner(minResource: .steps(1), reductionFactor: 2, bootstrapCount: 2)
        #expect(decide(pruner, [], [1: 0.0]))
        let two = [0.5, 0.6].enumerated().map { PrunerStudy.trial($0.offset, .complete, [1: $0.element]) }
        #expect(!decide(pruner, two, [1: 0.1]))
    }

    @Test func autoMinResourceWaitsForACompletedTrialAndRecordsNothingBefore() {
        let auto = SuccessiveHalvingPruner(reductionFactor: 2)
        #expect(!decide(auto, [], [0: 9, 1: 9, 2: 9]), "nothing is pruned before a trial completes")
        // Trial 0 completes at step 250: min_resource = 250 / 100 = 2. Its own reports came before that
        // and recorded nothing, so its excellent 0.0 at step 2 is no competitor; trial 1's 0.6 is.
        let first = PrunerStudy.trial(0, .complete, PrunerStudy.steps(Array(repeating: 0, count: 251)))
        let second = PrunerStudy.trial(1, .complete, PrunerStudy.steps([0.6, 0.6, 0.6, 0.6]))
        #expect(!decide(auto, [first, second], [0: 0.5, 1: 0.5]), "step 1 is below the first rung")
        #expect(!decide(auto, [first, second], [0: 0.5, 1: 0.5, 2: 0.5]))
        #expect(decide(auto, [first, second], [0: 0.7, 1: 0.7, 2: 0.7]))
    }

    @Test func unreachableRungsNeverPrune() {
        let huge = SuccessiveHalvingPruner(
            minResource: .steps(Int.max / 2), reductionFactor: 4, minEarlyStoppingRate: 5)
        #expect(!decide(huge, history, [0: 1, Int.max: 9]))
    }
}

/// The cache of replayed finished trials (``RungTableCache``) never changes a decision: one pruner asked
/// throughout a study, with several trials running at once and finishing out of order, decides as a fresh
/// pruner (which replays everything) does at every report.
@Suite struct RungTableCacheTests {
    /// Runs a seeded study of `count` trials, at most three running at a time, and returns the reports whose
    /// decisions differ between `kept` (asked throughout) and a fresh pruner each time.
    /// Trial ids are `idBase + number`, reported values lie in `[0, scale)`; `kept` is asked only about trials
    /// from `keptFrom` on.
    func mismatches(
        kept: any Pruner, fresh: () -> any Pruner, seed: UInt64, count: Int = 60, idBase: Int64 = 0,
        scale: Double = 1, keptFrom: Int = 0
    ) -> [String] {
        var rng = SeededGenerator(seed: seed)
        var trials: [FrozenTrial] = []
        var running: [Int] = []
        var differences: [String] = []
        while trials.count < count || !running.isEmpty {
            if trials.count < count, running.count < 3, running.isEmpty || rng.next() % 3 == 0 {
                var trial = PrunerStudy.trial(trials.count, .running, [:])
                trial.id += idBase
                trials.append(trial)
                running.append(trials.count - 1)
                continue
            }
            let slot = Int(rng.next() % UInt64(running.count))
            let n = running[slot]
            let step = (trials[n].intermediateValues.keys.max() ?? -1) + 1 + Int(rng.next() % 2)
            trials[n].intermediateValues[step] = Double(rng.next() % 1000) / 1000 * scale
            let study = StudySnapshot(studyID: 1, name: "cache-\(seed)", directions: [.minimize], trials: trials)
            let decision = fresh().prune(study: study, trial: trials[n])
            if n >= keptFrom, decision != kept.prune(study: study, trial: trials[n]) {
                differences.append("trial \(n) step \(step)")
            }
            if decision || step >= 40 || rng.next() % 10 == 0 {
                trials[n].state = decision ? .pruned : .complete
                if !decision { trials[n].values = [trials[n].intermediateValues[step] ?? 0] }
                running.remove(at: slot)
            }
        }
        return differences
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func successiveHalvingDecidesAsAFreshPruner(seed: UInt64) {
        let make = { SuccessiveHalvingPruner(minResource: .auto, reductionFactor: 2) }
        #expect(mismatches(kept: make(), fresh: make, seed: seed).isEmpty)
    }

    /// A pruner asked about another history (other trial ids) does not reuse what it replayed of the first.
    @Test func anotherHistoryIsReplayedFromTheStart() {
        // A fixed resource, so that both histories have the same set-up (and so the same cache key).
        let make = { SuccessiveHalvingPruner(minResource: .steps(1), reductionFactor: 2) }
        let kept = make()
        // The first history's values are far below the second's: a table carried over would prune much more.
        #expect(mismatches(kept: kept, fresh: make, seed: 5, count: 20, scale: 0.01).isEmpty)
        #expect(mismatches(kept: kept, fresh: make, seed: 6, idBase: 10_000, keptFrom: 40).isEmpty)
    }

    /// A trial that was shown finished and then reported again (its finishing write failed) is replayed anew.
    @Test func aFinishedTrialWithNewReportsIsReplayedAgain() {
        let pruner = SuccessiveHalvingPruner(minResource: .steps(1), reductionFactor: 2)
        var trials = (0..<9).map { i in PrunerStudy.trial(i, .complete, [0: 1, 1: 0.1 * Double(i + 1)]) }
        trials[5] = PrunerStudy.trial(5, .complete, [0: 1])
        let current = PrunerStudy.trial(9, .running, [0: 1, 1: 0.45])
        // Rung 0 holds 0.1 … 0.5, 0.7, 0.8, 0.9: with 0.45 that is 9 values, of which the best 4 go on.
        #expect(pruner.prune(study: PrunerStudy.snapshot(trials, current: current), trial: current))
        // Trial 5 recorded 2.0 at rung 0 too: 10 values, of which the best 5 go on.
        trials[5].intermediateValues[1] = 2
        #expect(!pruner.prune(study: PrunerStudy.snapshot(trials, current: current), trial: current))
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func hyperbandDecidesAsAFreshPruner(seed: UInt64) {
        let make = { HyperbandPruner(minResource: 1, maxResource: .auto, reductionFactor: 2) }
        #expect(mismatches(kept: make(), fresh: make, seed: seed).isEmpty)
    }
}
