/// Writes ``JSONValue``s as compact JSON text with sorted object keys.
///
/// Non-finite doubles are written as the strings `"NaN"`, `"Infinity"` and `"-Infinity"` by default
/// (the wire protocol's rule, so strict parsers read every response), or as Python's bare tokens with
/// ``NonFiniteStyle/pythonTokens`` (what Optuna's `json.dumps` writes into its database).
public enum JSONWriter {
    /// How non-finite doubles are spelled.
    public enum NonFiniteStyle: Sendable {
        /// `"NaN"`, `"Infinity"`, `"-Infinity"` as JSON strings.
        case strings
        /// `NaN`, `Infinity`, `-Infinity` as bare tokens, as Python's `json.dumps` writes them.
        case pythonTokens
    }

    /// The JSON text of `value`.
    public static func string(_ value: JSONValue, nonFinite: NonFiniteStyle = .strings) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(128)
        write(value, into: &out, nonFinite: nonFinite)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the JSON text of `value` to `out`.
    public static func write(_ value: JSONValue, into out: inout [UInt8], nonFinite: NonFiniteStyle = .strings) {
        switch value {
        case .null: out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
        case .bool(let b): out.append(contentsOf: b ? Array("true".utf8) : Array("false".utf8))
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .double(let d): writeDouble(d, into: &out, nonFinite: nonFinite)
        case .string(let s): writeString(s, into: &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (i, e) in a.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                write(e, into: &out, nonFinite: nonFinite)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            out.append(UInt8(ascii: "{"))
            for (i, key) in o.keys.sorted().enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                // The key comes from the same dictionary, so the lookup cannot miss.
                write(o[key] ?? .null, into: &out, nonFinite: nonFinite)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Appends a double: shortest round-trip form, always with a fraction or exponent.
    public static func writeDouble(_ d: Double, into out: inout [UInt8], nonFinite: NonFiniteStyle = .strings) {
        if d.isNaN {
            out.append(contentsOf: nonFinite == .strings ? Array("\"NaN\"".utf8) : Array("NaN".utf8))
        } else if d.isInfinite {
            let text = d > 0 ? "Infinity" : "-Infinity"
            out.append(contentsOf: nonFinite == .strings ? Array("\"\(text)\"".utf8) : Array(text.utf8))
        } else {
            out.append(contentsOf: d.description.utf8)
        }
    }

    /// Appends a JSON string literal with the escapes JSON requires.
    public static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
