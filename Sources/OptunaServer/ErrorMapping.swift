import OptunaCore
public import OptunaProtocol
import OptunaStorage

/// The one place where domain errors become protocol errors.
public enum ErrorMapping {
    /// The protocol error for any error a handler throws; unknown errors become a generic `internal_error`
    /// (the caller logs the full error with the request id).
    public static func rpcError(for error: any Error) -> RPCError {
        switch error {
        case let e as RPCError: return e
        case let e as StudyError: return map(e)
        case let e as StorageError: return map(e)
        case let e as JSONParseError: return RPCError(.parseError, e.description)
        default: return RPCError(.internalError, "internal error")
        }
    }

    static func map(_ e: StudyError) -> RPCError {
        switch e {
        case .invalidDistribution: return RPCError(.invalidParams, e.description)
        case .incompatibleDistribution(let name, _):
            return RPCError(.incompatibleDistribution, e.description, data: ["param": .string(name)])
        case .invalidParameterValue: return RPCError(.invalidParams, e.description)
        case .invalidTell: return RPCError(.invalidTell, e.description)
        case .trialFinished(let number, let state):
            return RPCError(
                .trialFinished, e.description, data: ["number": .int(Int64(number)), "state": .string(state.rawValue)])
        case .invalidConfiguration: return RPCError(.invalidParams, e.description)
        case .notSupported: return RPCError(.notSupported, e.description)
        case .noCompletedTrials: return RPCError(.noCompletedTrials, e.description)
        case .budgetExhausted: return RPCError(.budgetExhausted, e.description)
        case .retryAfter(let ms, _):
            return RPCError(.retryAfter, e.description, data: ["retry_after_ms": .int(Int64(ms))])
        case .permissionDenied: return RPCError(.permissionDenied, e.description)
        }
    }

    static func map(_ e: StorageError) -> RPCError {
        switch e {
        case .studyNotFound, .studyIDNotFound: return RPCError(.studyNotFound, e.description)
        case .duplicateStudyName: return RPCError(.duplicatedStudy, e.description)
        case .trialNotFound: return RPCError(.trialNotFound, e.description)
        case .trialStateMismatch(_, let number, _, let actual):
            if actual.isFinished {
                return RPCError(
                    .trialFinished, "trial \(number) is already finished (\(actual.rawValue))",
                    data: ["number": .int(Int64(number)), "state": .string(actual.rawValue)])
            }
            return RPCError(.invalidTell, e.description)
        case .unsupportedSchema, .backend: return RPCError(.storageError, e.description)
        }
    }
}
