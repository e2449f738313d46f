/// Errors of the study and trial model: bad distributions, bad tells, bad configurations.
///
/// These are the domain errors of `OptunaCore`; the server maps each case to one protocol error kind.
public enum StudyError: Error, Hashable, Sendable {
    /// A distribution's definition breaks one of Optuna's rules.
    case invalidDistribution(String)
    /// A parameter name is used with a distribution of another kind (or other choices) in one study.
    case incompatibleDistribution(name: String, reason: String)
    /// A parameter value is not of its distribution's kind, or lies outside it.
    case invalidParameterValue(name: String, reason: String)
    /// A tell that Optuna's rules refuse (wrong number of values, values with PRUNED, …).
    case invalidTell(String)
    /// The trial has finished already and cannot be changed.
    case trialFinished(number: Int, state: TrialState)
    /// A sampler or pruner spec, or another option, is not valid.
    case invalidConfiguration(String)
    /// The request is valid but the study does not support it (e.g. `report` on a multi-objective study).
    case notSupported(String)
    /// No trial is COMPLETE yet (or none is feasible), so there is no best trial.
    case noCompletedTrials(String)
    /// The study's `max_trials` budget is used up: no more trials will start.
    case budgetExhausted(String)
    /// The study's `max_running` limit is reached; a trial may start after `milliseconds`.
    case retryAfter(milliseconds: Int, reason: String)
    /// The caller's user may not do this to the study.
    case permissionDenied(String)
}

extension StudyError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .invalidDistribution(let r): return "invalid distribution: \(r)"
        case .incompatibleDistribution(let name, let r): return "parameter '\(name)': \(r)"
        case .invalidParameterValue(let name, let r): return "parameter '\(name)': \(r)"
        case .invalidTell(let r): return r
        case .trialFinished(let number, let state): return "trial \(number) is already finished (\(state.rawValue))"
        case .invalidConfiguration(let r): return r
        case .notSupported(let r): return r
        case .noCompletedTrials(let r): return r
        case .budgetExhausted(let r): return r
        case .retryAfter(_, let r): return r
        case .permissionDenied(let r): return r
        }
    }
}
