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
        case .null: writeRaw("null", into: &out)
        case .bool(let b): writeRaw(b ? "true" : "false", into: &out)
        case .int(let i): writeInt(i, into: &out)
        case .double(let d): writeDouble(d, into: &out, nonFinite: nonFinite)
        case .string(let s): writeString(s, into: &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            var first = true
            for e in a {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                write(e, into: &out, nonFinite: nonFinite)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            out.append(UInt8(ascii: "{"))
            var first = true
            for (key, member) in o.sorted(by: { $0.key < $1.key }) {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(member, into: &out, nonFinite: nonFinite)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Appends fixed JSON text as it stands, in one copy (a literal, or a run of member names and punctuation).
    public static func writeRaw(_ text: StaticString, into out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends an integer in decimal, without an intermediate string.
    public static func writeInt(_ i: Int64, into out: inout [UInt8]) {
        if i < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = i.magnitude
        guard magnitude >= 10 else {
            out.append(0x30 + UInt8(magnitude))
            return
        }
        // 20 digits hold UInt64.max.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var n = 0
            while magnitude > 0 {
                digits[19 - n] = 0x30 + UInt8(magnitude % 10)
                magnitude /= 10
                n += 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[(20 - n)...]))
        }
    }

    /// Appends a double: shortest round-trip form, always with a fraction or exponent.
    public static func writeDouble(_ d: Double, into out: inout [UInt8], nonFinite: NonFiniteStyle = .strings) {
        if d.isNaN {
            writeRaw(nonFinite == .strings ? "\"NaN\"" : "NaN", into: &out)
        } else if d.isInfinite {
            if d > 0 {
                writeRaw(nonFinite == .strings ? "\"Infinity\"" : "Infinity", into: &out)
            } else {
                writeRaw(nonFinite == .strings ? "\"-Infinity\"" : "-Infinity", into: &out)
            }
        } else if d == d.rounded(.towardZero), d.magnitude <= 9_007_199_254_740_992, d != 0 || d.sign == .plus {
            // Whole numbers up to 2^53 print as their digits and ".0" (`5.0`, `-120.0`), as `description` spells
            // them; larger ones get an exponent.
            writeInt(Int64(d), into: &out)
            out.append(UInt8(ascii: "."))
            out.append(UInt8(ascii: "0"))
        } else {
            // The standard library prints into a stack buffer and hands the digits to the sink's `_writeASCII`:
            // the same text as `description`, without a heap string per number.
            var sink = ByteSink(out: out)
            out = []
            d.write(to: &sink)
            out = sink.out
        }
    }

    /// Appends what a `TextOutputStreamable` value writes to the array it wraps.
    private struct ByteSink: TextOutputStream {
        var out: [UInt8]

        mutating func write(_ string: String) {
            out.append(contentsOf: string.utf8)
        }

        /// The standard library's route for number digits, which skips building a `String`.
        mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) {
            out.append(contentsOf: buffer)
        }
    }

    /// Appends a JSON string literal with the escapes JSON requires.
    public static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Fast path: nothing to escape (the usual case for names and keys), copied in one go.
        let plain = s.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            for b in bytes where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { return false }
            out.append(contentsOf: bytes)
            return true
        }
        if plain == true {
            out.append(UInt8(ascii: "\""))
            return
        }
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
