import FoundationEssentials
import OptunaCore
import OptunaStorage

extension StudyActor {
    /// Finishes a RUNNING trial by Optuna's tell rules (``TellRules``); constraints are stored in the
    /// `constraints` system attribute. With `skipIfFinished`, a finished trial is returned unchanged.
    func tell(
        trialID: Int64, values: [Double]?, state: TrialState?, constraints: [Double]?, skipIfFinished: Bool
    ) async throws -> FrozenTrial {
        try await refreshIfNeeded()
        let trial = try cachedTrial(trialID)
        if trial.state.isFinished, skipIfFinished { return trial }
        let outcome = try TellRules.outcome(for: trial, directions: record.directions, values: values, state: state)
        var update = TrialUpdate(state: outcome.state, values: outcome.values, datetimeComplete: clock())
        if let constraints {
            update.systemAttrs[FrozenTrial.constraintsKey] = .array(constraints.map(JSONValue.double))
        }
        return try await updateTrialPipelined(trial, update, expecting: .running) { () }.trial
    }

    /// Records an intermediate value and returns the pruner's decision, as Optuna's `Trial.report` followed by
    /// `should_prune`. A step reported before keeps its first value (the new one is ignored, as Optuna does).
    func report(trialID: Int64, step: Int, value: Double) async throws -> Bool {
        try await refreshIfNeeded()
        guard !snapshot.isMultiObjective else {
            throw StudyError.notSupported("report is not supported for multi-objective optimization")
        }
        let trial = try cachedTrial(trialID)
        guard trial.state == .running else { throw StudyError.trialFinished(number: trial.number, state: trial.state) }
        guard step >= 0 else { throw StudyError.invalidConfiguration("the step must be >= 0, got \(step)") }
        guard trial.intermediateValues[step] == nil else { return try shouldPrune(trialID: trialID) }
        let update = TrialUpdate(intermediateValues: [step: value])
        return try await updateTrialPipelined(trial, update, expecting: .running) { try shouldPrune(trialID: trialID) }
            .decision
    }

    /// The pruner's decision for a trial now, without reporting anything.
    func shouldPrune(trialID: Int64) throws -> Bool {
        guard !snapshot.isMultiObjective else {
            throw StudyError.notSupported("trial pruning is not supported for multi-objective optimization")
        }
        let trial = try cachedTrial(trialID)
        guard trial.state == .running else { return false }
        return pruner.prune(study: snapshot, trial: trial)
    }

    /// Sets a user attribute of a RUNNING trial (finished trials are immutable, as in Optuna).
    func setTrialUserAttr(trialID: Int64, key: String, value: JSONValue) async throws {
        try await refreshIfNeeded()
        let trial = try cachedTrial(trialID)
        guard trial.state == .running || trial.state == .waiting else {
            throw StudyError.trialFinished(number: trial.number, state: trial.state)
        }
        let written = try await storage.updateTrial(
            trialID, TrialUpdate(userAttrs: [key: value]), expecting: trial.state)
        cache(written)
    }

    /// Sets a study user attribute.
    func setUserAttr(key: String, value: JSONValue) async throws {
        try await refreshIfNeeded()
        try await storage.setStudyUserAttr(studyID: record.id, key: key, value: value)
        record.userAttrs[key] = value
    }
}
