public import OptunaCore

/// Typed access to a request's named parameters, with `invalid_params` errors that name the parameter.
///
/// Unknown parameter names are refused by ``checkNoUnknown(_:)`` so a typo never passes silently.
public struct ParamReader: Sendable {
    /// The parameters.
    public let params: [String: JSONValue]
    /// The method, for messages.
    public let method: String

    /// Wraps a request's parameters.
    public init(_ params: [String: JSONValue], method: String) {
        self.params = params
        self.method = method
    }

    /// Throws when a parameter outside `known` is present.
    public func checkNoUnknown(_ known: [String]) throws(RPCError) {
        if let extra = params.firstUnknownKey(known: known) {
            throw .invalidParams(
                "unknown parameter '\(extra)' for \(method); valid parameters: \(known.sorted().joined(separator: ", "))")
        }
    }

    /// The raw value (nil when absent or null).
    public func value(_ name: String) -> JSONValue? {
        guard let v = params[name], !v.isNull else { return nil }
        return v
    }

    /// A required string.
    public func string(_ name: String) throws(RPCError) -> String {
        guard let v = value(name) else { throw .invalidParams("\(method) needs \"\(name)\"") }
        guard let s = v.stringValue else { throw .invalidParams("\"\(name)\" must be a string, got \(v.typeName)") }
        return s
    }

    /// An optional string.
    public func optionalString(_ name: String) throws(RPCError) -> String? {
        guard let v = value(name) else { return nil }
        guard let s = v.stringValue else { throw .invalidParams("\"\(name)\" must be a string, got \(v.typeName)") }
        return s
    }

    /// A required integer.
    public func int64(_ name: String) throws(RPCError) -> Int64 {
        guard let v = value(name) else { throw .invalidParams("\(method) needs \"\(name)\"") }
        return try Self.integer(v, name)
    }

    /// An optional integer.
    public func optionalInt64(_ name: String) throws(RPCError) -> Int64? {
        guard let v = value(name) else { return nil }
        return try Self.integer(v, name)
    }

    /// An optional Boolean (false when absent).
    public func bool(_ name: String) throws(RPCError) -> Bool {
        guard let v = value(name) else { return false }
        guard let b = v.boolValue else { throw .invalidParams("\"\(name)\" must be true or false, got \(v.typeName)") }
        return b
    }

    /// An optional object.
    public func optionalObject(_ name: String) throws(RPCError) -> [String: JSONValue]? {
        guard let v = value(name) else { return nil }
        guard let o = v.objectValue else { throw .invalidParams("\"\(name)\" must be an object, got \(v.typeName)") }
        return o
    }

    /// A number that may be non-finite (bare `NaN`/`Infinity` tokens or the strings "NaN", "Infinity",
    /// "-Infinity").
    public static func number(_ v: JSONValue, _ name: String) throws(RPCError) -> Double {
        switch v {
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .string(let s):
            switch s {
            case "NaN", "nan": return .nan
            case "Infinity", "inf": return .infinity
            case "-Infinity", "-inf": return -.infinity
            default: throw .invalidParams("\"\(name)\" must be a number, got the string \"\(s)\"")
            }
        default: throw .invalidParams("\"\(name)\" must be a number, got \(v.typeName)")
        }
    }

    /// An integer, accepting floats with an exact integral value (`3.0`).
    public static func integer(_ v: JSONValue, _ name: String) throws(RPCError) -> Int64 {
        switch v {
        case .int(let i): return i
        case .double:
            if let i = v.int64Value { return i }
            throw .invalidParams("\"\(name)\" must be an integer, got \(v)")
        default: throw .invalidParams("\"\(name)\" must be an integer, got \(v.typeName)")
        }
    }
}
