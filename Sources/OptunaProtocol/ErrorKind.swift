/// The stable, snake_case name of an error, carried in `error.data.kind`.
///
/// An open set: clients must accept kinds they do not know (treat them by `code`), and new kinds may be added
/// without a protocol version change. The table of kinds and codes is in `protocol/README.md`.
public struct ErrorKind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The kind's name.
    public let rawValue: String
    /// Wraps a kind name.
    public init(rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }

    public static let parseError = ErrorKind(rawValue: "parse_error")
    public static let invalidRequest = ErrorKind(rawValue: "invalid_request")
    public static let methodNotFound = ErrorKind(rawValue: "method_not_found")
    public static let invalidParams = ErrorKind(rawValue: "invalid_params")
    public static let internalError = ErrorKind(rawValue: "internal_error")
    public static let studyNotFound = ErrorKind(rawValue: "study_not_found")
    public static let duplicatedStudy = ErrorKind(rawValue: "duplicated_study")
    public static let trialNotFound = ErrorKind(rawValue: "trial_not_found")
    public static let trialFinished = ErrorKind(rawValue: "trial_finished")
    public static let incompatibleDistribution = ErrorKind(rawValue: "incompatible_distribution")
    public static let invalidTell = ErrorKind(rawValue: "invalid_tell")
    public static let storageError = ErrorKind(rawValue: "storage_error")
    public static let requestTooLarge = ErrorKind(rawValue: "request_too_large")
    public static let notSupported = ErrorKind(rawValue: "not_supported")
    public static let noCompletedTrials = ErrorKind(rawValue: "no_completed_trials")
    public static let budgetExhausted = ErrorKind(rawValue: "budget_exhausted")
    public static let retryAfter = ErrorKind(rawValue: "retry_after")
    public static let permissionDenied = ErrorKind(rawValue: "permission_denied")
    public static let tooManyConnections = ErrorKind(rawValue: "too_many_connections")

    /// The JSON-RPC code of each kind this version defines.
    public var code: Int {
        switch self {
        case .parseError: return -32700
        case .invalidRequest: return -32600
        case .methodNotFound: return -32601
        case .invalidParams: return -32602
        case .internalError: return -32603
        case .studyNotFound: return -32001
        case .duplicatedStudy: return -32002
        case .trialNotFound: return -32003
        case .trialFinished: return -32004
        case .incompatibleDistribution: return -32005
        case .invalidTell: return -32006
        case .storageError: return -32007
        case .requestTooLarge: return -32008
        case .notSupported: return -32009
        case .noCompletedTrials: return -32010
        case .budgetExhausted: return -32011
        case .retryAfter: return -32012
        case .permissionDenied: return -32013
        case .tooManyConnections: return -32014
        default: return -32000
        }
    }

    /// Every kind this version defines, in code order.
    public static let allDefined: [ErrorKind] = [
        .parseError, .invalidRequest, .methodNotFound, .invalidParams, .internalError, .studyNotFound,
        .duplicatedStudy, .trialNotFound, .trialFinished, .incompatibleDistribution, .invalidTell, .storageError,
        .requestTooLarge, .notSupported, .noCompletedTrials, .budgetExhausted, .retryAfter, .permissionDenied,
        .tooManyConnections,
    ]
}

/// A protocol error as it goes on the wire: `{"code": …, "message": …, "data": {"kind": …, …}}`.
public struct RPCError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The error's kind.
    public var kind: ErrorKind
    /// A message for people, naming the study, trial or parameter concerned.
    public var message: String
    /// Extra members of `data` besides `kind`.
    public var data: [String: JSONValue]
    /// The numeric code (from the kind unless overridden).
    public var code: Int

    /// Creates an error.
    public init(_ kind: ErrorKind, _ message: String, data: [String: JSONValue] = [:], code: Int? = nil) {
        self.kind = kind
        self.message = message
        self.data = data
        self.code = code ?? kind.code
    }

    public var description: String { "\(kind.rawValue): \(message)" }

    /// The error object.
    public var json: JSONValue {
        var d = data
        d["kind"] = .string(kind.rawValue)
        return ["code": .int(Int64(code)), "message": .string(message), "data": .object(d)]
    }

    /// Reads an error object from a response (unknown kinds are kept as they are).
    public init?(json: JSONValue) {
        guard let code = json["code"]?.intValue, let message = json["message"]?.stringValue else { return nil }
        var data = json["data"]?.objectValue ?? [:]
        let kind = data.removeValue(forKey: "kind")?.stringValue.map(ErrorKind.init(rawValue:)) ?? .internalError
        self.init(kind, message, data: data, code: code)
    }

    /// An `invalid_params` error.
    public static func invalidParams(_ message: String) -> RPCError { RPCError(.invalidParams, message) }
}

public import OptunaCore
