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
