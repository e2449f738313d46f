public import OptunaCore

/// One JSON-RPC request: `{"jsonrpc": "2.0", "id": 7, "method": "ask", "params": {…}}`.
///
/// `"jsonrpc"` may be omitted; when present it must be `"2.0"`. `"params"` may be omitted when empty and must
/// otherwise be an object (parameters are named). A request without `"id"` is a notification: it is executed
/// and never answered. `"id"` may be a string, a number or null.
public struct RPCRequest: Sendable {
    /// The request id; nil for a notification.
    public var id: JSONValue?
    /// The method name.
    public var method: String
    /// The named parameters.
    public var params: [String: JSONValue]

    /// Creates a request.
    public init(id: JSONValue?, method: String, params: [String: JSONValue] = [:]) {
        self.id = id
        self.method = method
        self.params = params
    }

    /// Whether no answer is expected.
    public var isNotification: Bool { id == nil }

    /// Validates one element of a request line.
    ///
    /// - Returns: the request, or an `invalid_request`/`invalid_params` error paired with the id to answer
    ///   with (null when the id itself is unusable).
    public static func parse(_ json: JSONValue) -> Result<RPCRequest, RequestFailure> {
        guard case .object(let o) = json else {
            return .failure(RequestFailure(id: .null, error: RPCError(.invalidRequest, "a request must be a JSON object")))
        }
        var id: JSONValue? = o["id"]
        if let i = id {
            switch i {
            case .string, .int, .double, .null: break
            default:
                return .failure(RequestFailure(id: .null, error: RPCError(.invalidRequest, "\"id\" must be a string, a number or null")))
            }
        }
        let answerID = id ?? .null
        if let v = o["jsonrpc"], v != .string("2.0") {
            return .failure(RequestFailure(id: answerID, error: RPCError(.invalidRequest, "\"jsonrpc\" must be \"2.0\"")))
        }
        guard let method = o["method"]?.stringValue else {
            return .failure(RequestFailure(id: answerID, error: RPCError(.invalidRequest, "a request needs a string \"method\"")))
        }
        var params: [String: JSONValue] = [:]
        switch o["params"] {
        case nil, .null?: break
        case .object(let p)?: params = p
        case .array(let a)? where a.isEmpty: break
        default:
            return .failure(RequestFailure(id: answerID, error: .invalidParams("\"params\" must be an object of named parameters")))
        }
        if id == nil, o.keys.contains("id") { id = .null }
        return .success(RPCRequest(id: id, method: method, params: params))
    }

    /// The request as one JSON object (what clients send).
    public var json: JSONValue {
        var o: [String: JSONValue] = ["jsonrpc": "2.0", "method": .string(method)]
        if !params.isEmpty { o["params"] = .object(params) }
        if let id { o["id"] = id }
        return .object(o)
    }
}

/// A request that could not be executed, with the id its error answer carries.
public struct RequestFailure: Error, Sendable {
    /// The id to answer with.
    public var id: JSONValue
    /// Why.
    public var error: RPCError
}

/// Builds response objects.
public enum RPCResponse {
    /// `{"jsonrpc": "2.0", "id": …, "result": …}`.
    public static func success(id: JSONValue, result: JSONValue) -> JSONValue {
        ["jsonrpc": "2.0", "id": id, "result": result]
    }

    /// `{"jsonrpc": "2.0", "id": …, "error": {…}}`.
    public static func failure(id: JSONValue, error: RPCError) -> JSONValue {
        ["jsonrpc": "2.0", "id": id, "error": error.json]
    }

    /// One response line: compact JSON, sorted keys, non-finite numbers as strings, and a final `\n`.
    public static func line(_ response: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        JSONWriter.write(response, into: &out)
        out.append(0x0A)
        return out
    }
}
