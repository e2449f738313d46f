/// The JSON forms of a distribution.
///
/// Three spellings are read, so one definition works from the wire, the `optuna` CLI and Optuna's database:
/// - the wire form `{"type": "float", "low": 0, "high": 1, "log": false, "step": null}` (`"int"`, `"categorical"`
///   with `"choices"`);
/// - Optuna's `{"name": "FloatDistribution", "attributes": {...}}`, including the legacy classes
///   `UniformDistribution`, `LogUniformDistribution`, `DiscreteUniformDistribution`, `IntUniformDistribution` and
///   `IntLogUniformDistribution` that old databases hold.
extension Distribution {
    /// The keys a float or int distribution object may have.
    private static let numericKeys = ["type", "low", "high", "log", "step"]
    /// The keys a categorical distribution object may have.
    private static let categoricalKeys = ["type", "choices"]

    /// Parses any accepted form.
    ///
    /// - Throws: ``StudyError/invalidDistribution(_:)`` naming what is missing or wrong.
    public init(json: JSONValue) throws(StudyError) {
        guard case .object(let o) = json else {
            throw .invalidDistribution("a distribution must be an object, got \(json.typeName)")
        }
        if let name = o["name"]?.stringValue {
            guard case .object(let attributes)? = o["attributes"] else {
                throw .invalidDistribution("\(name) needs an \"attributes\" object")
            }
            self = try Self.fromOptuna(name: name, attributes)
            return
        }
        guard let type = o["type"]?.stringValue else {
            throw .invalidDistribution(
                "a distribution needs \"type\" (float, int or categorical) or Optuna's \"name\"/\"attributes\"")
        }
        let allowed: [String]
        switch type {
        case "float", "int": allowed = Self.numericKeys
        case "categorical": allowed = Self.categoricalKeys
        default:
            throw .invalidDistribution("unknown distribution type '\(type)'; valid types: float, int, categorical")
        }
        if let extra = o.firstUnknownKey(known: allowed) {
            throw .invalidDistribution(
                "unknown key '\(extra)' in a \(type) distribution; valid keys: \(allowed.sorted().joined(separator: ", "))")
        }
        self = try Self.fromAttributes(kind: type, o)
    }

    private static func fromOptuna(name: String, _ a: [String: JSONValue]) throws(StudyError) -> Distribution {
        switch name {
        case "FloatDistribution": return try fromAttributes(kind: "float", a)
        case "IntDistribution": return try fromAttributes(kind: "int", a)
        case "CategoricalDistribution": return try fromAttributes(kind: "categorical", a)
        case "UniformDistribution":
            return .float(try FloatDistribution(low: number(a, "low"), high: number(a, "high")))
        case "LogUniformDistribution":
            return .float(try FloatDistribution(low: number(a, "low"), high: number(a, "high"), log: true))
        case "DiscreteUniformDistribution":
            return .float(try FloatDistribution(low: number(a, "low"), high: number(a, "high"), step: number(a, "q")))
        case "IntUniformDistribution":
            return .int(try IntDistribution(low: integer(a, "low"), high: integer(a, "high"), step: a["step"].map { (v) throws(StudyError) in try integerValue(v, "step") } ?? 1))
        case "IntLogUniformDistribution":
            return .int(try IntDistribution(low: integer(a, "low"), high: integer(a, "high"), log: true))
        default:
            throw .invalidDistribution("unknown distribution class '\(name)'")
        }
    }

    private static func fromAttributes(kind: String, _ a: [String: JSONValue]) throws(StudyError) -> Distribution {
        switch kind {
        case "float":
            let log = try bool(a, "log")
            var step: Double?
            if let s = a["step"], !s.isNull { step = try numberValue(s, "step") }
            return .float(try FloatDistribution(low: number(a, "low"), high: number(a, "high"), log: log, step: step))
        case "int":
            let log = try bool(a, "log")
            var step: Int64 = 1
            if let s = a["step"], !s.isNull { step = try integerValue(s, "step") }
            return .int(try IntDistribution(low: integer(a, "low"), high: integer(a, "high"), log: log, step: step))
        default:
            guard case .array(let choices)? = a["choices"] else {
                throw .invalidDistribution("a categorical distribution needs a \"choices\" array")
            }
            return .categorical(try CategoricalDistribution(choices: choices))
        }
    }

    private static func number(_ a: [String: JSONValue], _ key: String) throws(StudyError) -> Double {
        guard let v = a[key] else { throw .invalidDistribution("missing \"\(key)\"") }
        return try numberValue(v, key)
    }

    private static func numberValue(_ v: JSONValue, _ key: String) throws(StudyError) -> Double {
        switch v {
        case .int, .double:
            guard let d = v.doubleValue else { throw .invalidDistribution("\"\(key)\" must be a number") }
            return d
        default: throw .invalidDistribution("\"\(key)\" must be a number, got \(v.typeName)")
        }
    }

    private static func integer(_ a: [String: JSONValue], _ key: String) throws(StudyError) -> Int64 {
        guard let v = a[key] else { throw .invalidDistribution("missing \"\(key)\"") }
        return try integerValue(v, key)
    }

    private static func integerValue(_ v: JSONValue, _ key: String) throws(StudyError) -> Int64 {
        guard case .int(let i) = v else {
            if case .double(let d) = v, let i = v.int64Value, d.isFinite { return i }
            throw .invalidDistribution("\"\(key)\" must be an integer, got \(v)")
        }
        return i
    }

    private static func bool(_ a: [String: JSONValue], _ key: String) throws(StudyError) -> Bool {
        guard let v = a[key], !v.isNull else { return false }
        guard let b = v.boolValue else { throw .invalidDistribution("\"\(key)\" must be true or false") }
        return b
    }

    /// The wire form: `{"type": "float", "low": …, "high": …, "log": …, "step": …}` (step null when unset),
    /// `{"type": "int", "low", "high", "log", "step"}`, `{"type": "categorical", "choices": […]}`.
    public var wireJSON: JSONValue {
        switch self {
        case .float(let d):
            return ["type": "float", "low": .double(d.low), "high": .double(d.high), "log": .bool(d.log),
                    "step": d.step.map { .double($0) } ?? .null]
        case .int(let d):
            return ["type": "int", "low": .int(d.low), "high": .int(d.high), "log": .bool(d.log), "step": .int(d.step)]
        case .categorical(let d):
            return ["type": "categorical", "choices": .array(d.choices)]
        }
    }

    /// Exactly the text Optuna's `distribution_to_json` writes: the same key order and `json.dumps` spacing,
    /// so a database row written here is byte-identical to one written by Optuna.
    public var optunaJSONString: String {
        var out: [UInt8] = []
        func raw(_ s: String) { out.append(contentsOf: s.utf8) }
        func double(_ d: Double) { raw(PythonRepr.float(d)) }
        switch self {
        case .float(let d):
            raw("{\"name\": \"FloatDistribution\", \"attributes\": {\"step\": ")
            if let step = d.step { double(step) } else { raw("null") }
            raw(", \"low\": "); double(d.low)
            raw(", \"high\": "); double(d.high)
            raw(", \"log\": \(d.log ? "true" : "false")}}")
        case .int(let d):
            raw("{\"name\": \"IntDistribution\", \"attributes\": {\"log\": \(d.log ? "true" : "false"), ")
            raw("\"step\": \(d.step), \"low\": \(d.low), \"high\": \(d.high)}}")
        case .categorical(let d):
            raw("{\"name\": \"CategoricalDistribution\", \"attributes\": {\"choices\": [")
            for (i, c) in d.choices.enumerated() {
                if i > 0 { raw(", ") }
                raw(PythonRepr.json(c))
            }
            raw("]}}")
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Python's spelling of JSON values as `json.dumps` writes them with default separators.
public enum PythonRepr {
    /// `repr(float)`: shortest round-trip digits, `1.0` for whole numbers, `1e-05`/`1e+16` exponents,
    /// `NaN`/`Infinity`/`-Infinity` tokens.
    public static func float(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d > 0 ? "Infinity" : "-Infinity" }
        return d.description
    }

    /// `json.dumps(value)` with default separators (`", "` and `": "`), keys in the given (sorted) order.
    public static func json(_ v: JSONValue) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return float(d)
        case .string:
            // json.dumps escapes non-ASCII by default; both forms parse to the same string.
            return asciiEscaped(v)
        case .array(let a): return "[" + a.map(json).joined(separator: ", ") + "]"
        case .object(let o):
            return "{" + o.keys.sorted().map { k in asciiEscaped(.string(k)) + ": " + json(o[k] ?? .null) }
                .joined(separator: ", ") + "}"
        }
    }

    private static func asciiEscaped(_ v: JSONValue) -> String {
        guard case .string(let s) = v else { return "null" }
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value > 0x7E {
                    for unit in String(scalar).utf16 {
                        let hex = String(unit, radix: 16)
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
