public import OptunaProtocol

/// Why a client call failed.
public enum ClientError: Error, CustomStringConvertible, Sendable {
    /// No daemon accepts connections at the path.
    case unreachable(path: String, reason: String)
    /// The connection broke or timed out.
    case io(String)
    /// The daemon answered something that is not a valid response.
    case malformedResponse(String)
    /// The daemon answered with an error.
    case server(RPCError)

    public var description: String {
        switch self {
        case .unreachable(let path, let reason):
            return "cannot connect to optunad at \(path): \(reason)"
        case .io(let r): return "connection to optunad failed: \(r)"
        case .malformedResponse(let r): return "malformed response from optunad: \(r)"
        case .server(let e): return "\(e.message) [\(e.kind.rawValue)]"
        }
    }
}
