import ArgumentParser
import OptunaCore

/// The compact parameter syntax of `optunactl ask --param`:
/// `name=float:low:high[:log|:step=S]`, `name=int:low:high[:log|:step=S]`, `name=cat:a,b,c`.
///
/// Categorical choices are typed: integers, floats, `true`/`false` and `null` become those JSON values,
/// anything else is a string (quote-free).
enum ParamSyntax {
    static func parse(_ text: String) throws -> (String, JSONValue) {
        guard let eq = text.firstIndex(of: "=") else {
            throw ValidationError("--param '\(text)': expected name=float:low:high, name=int:low:high or name=cat:a,b")
        }
        let name = String(text[..<eq])
        let spec = String(text[text.index(after: eq)...])
        guard !name.isEmpty else { throw ValidationError("--param '\(text)': the name is empty") }
        let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard let kind = parts.first else { throw ValidationError("--param '\(text)': no distribution") }
        switch kind {
        case "float", "int":
            guard parts.count >= 3 else {
                throw ValidationError("--param '\(text)': expected \(kind):low:high[:log|:step=S]")
            }
            var d: [String: JSONValue] = ["type": .string(kind)]
            d["low"] = try number(parts[1], kind: kind, text: text)
            d["high"] = try number(parts[2], kind: kind, text: text)
            for extra in parts.dropFirst(3) {
                if extra == "log" {
                    d["log"] = true
                } else if extra.hasPrefix("step=") {
                    d["step"] = try number(String(extra.dropFirst(5)), kind: kind, text: text)
                } else {
                    throw ValidationError("--param '\(text)': unknown modifier '\(extra)'; use log or step=S")
                }
            }
            return (name, .object(d))
        case "cat", "categorical":
            let rest = parts.dropFirst().joined(separator: ":")
            let choices = rest.split(separator: ",", omittingEmptySubsequences: false).map { typed(String($0)) }
            return (name, ["type": "categorical", "choices": .array(choices)])
        default:
            throw ValidationError("--param '\(text)': unknown kind '\(kind)'; use float, int or cat")
        }
    }

    private static func number(_ s: String, kind: String, text: String) throws -> JSONValue {
        if kind == "int" {
            guard let i = Int64(s) else { throw ValidationError("--param '\(text)': '\(s)' is not an integer") }
            return .int(i)
        }
        guard let d = Double(s), d.isFinite else { throw ValidationError("--param '\(text)': '\(s)' is not a number") }
        return .double(d)
    }

    /// A command-line word as a typed JSON scalar.
    static func typed(_ s: String) -> JSONValue {
        if let i = Int64(s) { return .int(i) }
        if let d = Double(s), d.isFinite, s.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) { return .double(d) }
        switch s {
        case "true": return true
        case "false": return false
        case "null", "None": return .null
        default: return .string(s)
        }
    }

    /// `key=value` with the value typed (JSON if it parses, else a string).
    static func keyValue(_ text: String, option: String) throws -> (String, JSONValue) {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            throw ValidationError("\(option) '\(text)': expected key=value")
        }
        let value = String(text[text.index(after: eq)...])
        let json = (try? JSONParser.parse(value)) ?? .string(value)
        return (String(text[..<eq]), json)
    }
}
