import OptunaCore
import Testing

@Suite struct TellRulesTests {
    let running = FrozenTrial(id: 1, number: 0, state: .running, intermediateValues: [0: 0.9, 3: 0.4])
    let one: [StudyDirection] = [.minimize]

    @Test func valuesWithoutStateComplete() throws {
        let o = try TellRules.outcome(for: running, directions: one, values: [0.5], state: nil)
        #expect(o == TellOutcome(state: .complete, values: [0.5]))
    }

    @Test func nanFailsTheTrialInsteadOfErroring() throws {
        let o = try TellRules.outcome(for: running, directions: one, values: [.nan], state: nil)
        #expect(o == TellOutcome(state: .fail, values: nil))
        #expect(throws: StudyError.self) { try TellRules.outcome(for: running, directions: one, values: [.nan], state: .complete) }
    }

    @Test func infinitiesAreValues() throws {
        let o = try TellRules.outcome(for: running, directions: [.minimize, .maximize], values: [.infinity, -.infinity], state: nil)
        #expect(o.state == .complete && o.values == [.infinity, -.infinity])
    }

    @Test func prunedTakesTheLastIntermediateValue() throws {
        #expect(try TellRules.outcome(for: running, directions: one, values: nil, state: .pruned).values == [0.4])
        var nanLast = running
        nanLast.intermediateValues[5] = .nan
        #expect(try TellRules.outcome(for: nanLast, directions: one, values: nil, state: .pruned).values == nil)
        #expect(try TellRules.outcome(for: running, directions: [.minimize, .minimize], values: nil, state: .pruned).values == nil)
    }

    @Test(arguments: [
        ([0.1, 0.2], TrialState?.none), ([], TrialState?.none), ([0.1], TrialState?.some(.pruned)),
        ([0.1], TrialState?.some(.fail)), ([0.1], TrialState?.some(.running)), ([0.1], TrialState?.some(.waiting)),
    ])
    func invalidTellsAreRefused(_ values: [Double], _ state: TrialState?) {
        #expect(throws: StudyError.self) { try TellRules.outcome(for: running, directions: one, values: values, state: state) }
    }

    @Test func completeNeedsValues() {
        #expect(throws: StudyError.self) { try TellRules.outcome(for: running, directions: one, values: nil, state: .complete) }
        #expect(throws: StudyError.self) { try TellRules.outcome(for: running, directions: one, values: nil, state: nil) }
    }

    @Test(arguments: [TrialState.complete, .pruned, .fail, .waiting])
    func onlyRunningTrialsCanBeTold(_ state: TrialState) {
        var t = running
        t.state = state
        #expect(throws: StudyError.trialFinished(number: 0, state: state)) {
            try TellRules.outcome(for: t, directions: one, values: [1], state: nil)
        }
    }
}
