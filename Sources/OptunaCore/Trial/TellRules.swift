/// The outcome of a valid tell: the state a trial moves to and the values it keeps.
public struct TellOutcome: Hashable, Sendable {
    /// The final state.
    public var state: TrialState
    /// The stored values (nil for FAIL, and for PRUNED without a usable intermediate value).
    public var values: [Double]?

    /// Creates an outcome.
    public init(state: TrialState, values: [Double]?) {
        self.state = state
        self.values = values
    }
}

/// Optuna's rules for finishing a trial (`study/_tell.py`), as a pure function.
public enum TellRules {
    /// Decides what a tell does to `trial`, or why it is refused.
    ///
    /// - Only a RUNNING trial can be told; a finished one is refused with ``StudyError/trialFinished(number:state:)``
    ///   (callers that pass `skip_if_finished` check for that first).
    /// - `state` may be COMPLETE, PRUNED or FAIL, or nil (inferred: COMPLETE, or FAIL when a value is NaN).
    /// - COMPLETE needs exactly one value per objective; ±inf are values, NaN is not: an explicit COMPLETE with
    ///   NaN is refused, an inferred one becomes FAIL (Optuna's "NaN fails the trial, not the study").
    /// - PRUNED and FAIL take no values; PRUNED keeps the last intermediate value when it is not NaN and the
    ///   study has one objective.
    ///
    /// One deliberate difference: Optuna turns an inferred tell with the wrong *number* of values into FAIL;
    /// here that is refused with ``StudyError/invalidTell(_:)`` and the trial stays RUNNING, so a typo in a
    /// shell script loses nothing.
    public static func outcome(
        for trial: FrozenTrial, directions: [StudyDirection], values: [Double]?, state: TrialState?
    ) throws(StudyError) -> TellOutcome {
        guard trial.state == .running else {
            throw .trialFinished(number: trial.number, state: trial.state)
        }
        switch state {
        case .complete?:
            guard let values else {
                throw .invalidTell("no values were told; values are required when the state is COMPLETE")
            }
            try checkCount(values, directions)
            if values.contains(where: \.isNaN) {
                throw .invalidTell("the value NaN is not acceptable for a COMPLETE trial")
            }
            return TellOutcome(state: .complete, values: values)
        case .pruned?, .fail?:
            guard values == nil else {
                throw .invalidTell("values cannot be specified when the state is PRUNED or FAIL")
            }
            if state == .fail { return TellOutcome(state: .fail, values: nil) }
            if directions.count == 1, let step = trial.lastStep, let v = trial.intermediateValues[step], !v.isNaN {
                return TellOutcome(state: .pruned, values: [v])
            }
            return TellOutcome(state: .pruned, values: nil)
        case nil:
            guard let values else {
                throw .invalidTell("no values were told; give `value`/`values`, or `state` PRUNED or FAIL")
            }
            try checkCount(values, directions)
            if values.contains(where: \.isNaN) { return TellOutcome(state: .fail, values: nil) }
            return TellOutcome(state: .complete, values: values)
        case let other?:
            throw .invalidTell("cannot tell with state \(other.rawValue); use COMPLETE, PRUNED or FAIL")
        }
    }

    private static func checkCount(_ values: [Double], _ directions: [StudyDirection]) throws(StudyError) {
        guard values.count == directions.count else {
            throw .invalidTell(
                "the number of values \(values.count) does not match the number of objectives \(directions.count)")
        }
    }
}
