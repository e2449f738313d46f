import OptunaCore
import Testing

@Suite struct StudySnapshotTests {
    func trial(_ n: Int, _ state: TrialState, _ values: [Double]?, constraints: [Double]? = nil) -> FrozenTrial {
        var t = FrozenTrial(id: Int64(n + 1), number: n, state: state, values: values)
        if let constraints { t.systemAttrs["constraints"] = .array(constraints.map(JSONValue.double)) }
        return t
    }

    @Test func bestTrialIsTheFirstBestComplete() throws {
        let s = StudySnapshot(studyID: 1, name: "s", directions: [.maximize], trials: [
            trial(0, .complete, [1]), trial(1, .complete, [3]), trial(2, .pruned, [9]), trial(3, .complete, [3]),
            trial(4, .running, nil),
        ])
        #expect(try s.bestTrial().number == 1)
        #expect(s.bestTrials().map(\.number) == [1, 3])
    }

    @Test func infeasibleBestFallsBackToTheBestFeasible() throws {
        let s = StudySnapshot(studyID: 1, name: "s", directions: [.minimize], trials: [
            trial(0, .complete, [5], constraints: [0]), trial(1, .complete, [1], constraints: [0.5]),
            trial(2, .complete, [4], constraints: [-1, 0]),
        ])
        #expect(try s.bestTrial().number == 2)
        let none = StudySnapshot(studyID: 1, name: "s", directions: [.minimize], trials: [trial(0, .complete, [1], constraints: [1])])
        #expect(throws: StudyError.self) { try none.bestTrial() }
    }

    @Test func noFeasibleTrialIsItsOwnError() {
        let s = StudySnapshot(studyID: 1, name: "s", directions: [.minimize], trials: [
            trial(0, .complete, [1], constraints: [1]), trial(1, .running, nil), trial(2, .complete, [2], constraints: [0.1]),
        ])
        #expect(throws: StudyError.noCompletedTrials("no feasible trials are completed yet")) { try s.bestTrial() }
    }

    /// The best trial as Optuna finds it: the first COMPLETE trial with the best value; when it violates its
    /// constraints, the first feasible COMPLETE trial with the best value among those.
    func referenceBest(_ trials: [FrozenTrial], _ direction: StudyDirection) -> Int? {
        func first(_ ts: [FrozenTrial]) -> FrozenTrial? {
            var best: FrozenTrial?
            for t in ts where best == nil || direction.isBetter(t.value ?? 0, than: best?.value ?? 0) { best = t }
            return best
        }
        let complete = trials.filter { $0.state == .complete }
        guard let best = first(complete) else { return nil }
        return best.isFeasible ? best.number : first(complete.filter(\.isFeasible))?.number
    }

    @Test(arguments: [StudyDirection.minimize, .maximize], [1, 2, 3, 4, 5, 6, 7, 8])
    func bestTrialMatchesTheReference(direction: StudyDirection, seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let states: [TrialState] = [.complete, .complete, .complete, .pruned, .fail, .running]
        let trials = (0..<60).map { n -> FrozenTrial in
            let state = states[Int(rng.next() % UInt64(states.count))]
            // Few distinct values, so ties are common; about a third of the trials infeasible.
            let value = Double(rng.next() % 7)
            let constraints: [Double]? = rng.next() % 2 == 0 ? nil : [Double(rng.next() % 3) - 1.5]
            return trial(n, state, state == .complete ? [value] : nil, constraints: constraints)
        }
        let s = StudySnapshot(studyID: 1, name: "s", directions: [direction], trials: trials)
        #expect(s.bestTrialIfAny?.number == referenceBest(trials, direction))
    }

    @Test func noCompletedTrialsAndMultiObjectiveAreErrors() {
        let empty = StudySnapshot(studyID: 1, name: "s", directions: [.minimize], trials: [trial(0, .running, nil)])
        #expect(throws: StudyError.noCompletedTrials("no trials are completed yet")) { try empty.bestTrial() }
        let multi = StudySnapshot(studyID: 1, name: "s", directions: [.minimize, .minimize])
        #expect(throws: StudyError.self) { try multi.bestTrial() }
    }

    @Test func paretoFrontKeepsNonDominatedAndDuplicates() {
        let s = StudySnapshot(studyID: 1, name: "s", directions: [.minimize, .maximize], trials: [
            trial(0, .complete, [1, 1]), trial(1, .complete, [2, 3]), trial(2, .complete, [2, 2]),
            trial(3, .complete, [0, 0]), trial(4, .complete, [2, 3]), trial(5, .complete, [3, 3]),
            trial(6, .complete, [0, 5], constraints: [1]),
        ])
        #expect(s.bestTrials().map(\.number) == [0, 1, 3, 4])
    }

    @Test func nonDominationRanks() {
        #expect(ParetoFront.ranks([[1, 1], [2, 2], [0, 3], [3, 3], [1, 1]]) == [0, 1, 0, 2, 0])
    }
}
