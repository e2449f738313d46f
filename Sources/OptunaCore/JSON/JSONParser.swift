/// A strict, allocation-light JSON parser over UTF-8 bytes.
///
/// Beyond RFC 8259 it accepts exactly one extension: the bare tokens `NaN`, `Infinity` and `-Infinity`,
/// which Python's `json.dumps` writes for non-finite floats. Everything else that is not JSON is refused
/// with a ``JSONParseError`` that names the byte offset: invalid UTF-8, control characters in strings,
/// lone surrogates, trailing garbage, and nesting deeper than ``maximumDepth``.
public struct JSONParser {
    /// The deepest nesting of arrays and objects accepted; deeper input is an error, never a stack overflow.
    public static let maximumDepth = 128

    /// Parses one JSON value that must fill `bytes` (surrounding white space allowed). Contiguous bytes (an
    /// array or a slice of one) are read in place; others are copied first.
    public static func parse<Bytes: Collection>(_ bytes: Bytes) throws(JSONParseError) -> JSONValue
    where Bytes.Element == UInt8 {
        let inPlace = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONParseError) in try parse(buffer, locatingMember: nil).value }
        }
        if let inPlace { return try inPlace.get() }
        return try Array(bytes).withUnsafeBufferPointer { (buffer) throws(JSONParseError) -> JSONValue in
            try parse(buffer, locatingMember: nil).value
        }
    }

    /// Parses like ``parse(_:)`` and also tells where the value of the top-level object's member `key` lies:
    /// its byte offsets in `bytes`, without the white space around it.
    ///
    /// - Returns: the value, and the member's range when the text is an object with exactly one member named
    ///   `key` (nil otherwise: not an object, no such member, or the name repeated).
    public static func parse(_ bytes: [UInt8], locatingMember key: String) throws(JSONParseError)
        -> (value: JSONValue, member: Range<Int>?)
    {
        try bytes.withUnsafeBufferPointer { (buffer) throws(JSONParseError) -> (value: JSONValue, member: Range<Int>?) in
            try parse(buffer, locatingMember: key)
        }
    }

    /// Parses the value that fills `buffer`, recording the range of the top-level member `key` if given.
    private static func parse(_ buffer: UnsafeBufferPointer<UInt8>, locatingMember key: String?)
        throws(JSONParseError) -> (value: JSONValue, member: Range<Int>?)
    {
        var parser = Cursor(buffer: buffer)
        parser.locate = key
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.index == buffer.count else {
            throw JSONParseError(offset: parser.index, reason: "unexpected data after the JSON value")
        }
        return (value, parser.locatedCount == 1 ? parser.located : nil)
    }

    /// Parses one JSON value from a string.
    public static func parse(_ string: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(string.utf8))
    }

    /// Reads a JSON object whose members are all scalars, except one member `nested` that may hold an object of
    /// scalars, without building any dictionary: the members in text order, and those of `nested`.
    ///
    /// Scalars are strings, numbers, `true`, `false`, `null` and the non-finite tokens, read exactly as
    /// ``parse(_:)`` reads them. Repeated names are kept as they come (the caller decides what they mean).
    ///
    /// - Returns: nil when `bytes` is anything else, valid JSON or not: not an object, an array anywhere, an
    ///   object other than `nested`'s value, or invalid text. ``parse(_:)`` then gives the value or the error.
    public static func parseFlatObject(_ bytes: [UInt8], nested: String) -> FlatObject? {
        bytes.withUnsafeBufferPointer { buffer -> FlatObject? in
            var cursor = Cursor(buffer: buffer)
            var object = FlatObject()
            object.members.reserveCapacity(4)
            cursor.skipWhitespace()
            guard (try? cursor.parseFlatMembers(into: &object.members, nested: nested, inner: &object.nested)) != nil
            else { return nil }
            cursor.skipWhitespace()
            return cursor.index == buffer.count ? object : nil
        }
    }
}

/// A JSON object of scalar members, one of which may hold a second such object (see
/// ``JSONParser/parseFlatObject(_:nested:)``).
public struct FlatObject: Sendable {
    /// The object's members, in text order; the nested object's member is among them with the value `null`.
    public var members: [(name: String, value: JSONValue)] = []
    /// The members of the nested object, in text order; nil when it is absent or not an object.
    public var nested: [(name: String, value: JSONValue)]?

    /// The value of the only member named `name`; nil when there is none, and also when the name repeats.
    public func member(_ name: String) -> JSONValue?? {
        Self.only(name, in: members)
    }

    /// Whether every member name is one of `known`, with no name repeated.
    public static func namesAreUnique(_ members: [(name: String, value: JSONValue)], within known: [String]) -> Bool {
        for (i, m) in members.enumerated() {
            guard known.contains(m.name) else { return false }
            for j in members.indices where j < i && members[j].name == m.name { return false }
        }
        return true
    }

    /// The value of the only member named `name` among `members`: `.some(nil)` when absent, nil when repeated.
    public static func only(_ name: String, in members: [(name: String, value: JSONValue)]) -> JSONValue?? {
        var found: JSONValue?
        for m in members where m.name == name {
            if found != nil { return nil }
            found = m.value
        }
        return .some(found)
    }
}

/// Why a JSON text was refused, and where.
public struct JSONParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Byte offset of the problem in the input.
    public var offset: Int
    /// What was wrong, in words.
    public var reason: String

    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

private struct Cursor {
    let buffer: UnsafeBufferPointer<UInt8>
    var index = 0
    /// The members of the objects being parsed, innermost last.
    var members: [(String, JSONValue)] = []
    /// A member name of the top-level object whose value's range to record (see ``JSONParser/parse(_:locatingMember:)``).
    var locate: String?
    /// The range of the last value found for ``locate``, and how many members had that name.
    var located: Range<Int>?
    var locatedCount = 0

    init(buffer: UnsafeBufferPointer<UInt8>) { self.buffer = buffer }

    func fail(_ reason: String) -> JSONParseError { JSONParseError(offset: index, reason: reason) }

    mutating func skipWhitespace() {
        while index < buffer.count {
            switch buffer[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard index < buffer.count else { throw fail("unexpected end of input") }
        switch buffer[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "N"): try expectLiteral("NaN"); return .double(.nan)
        case UInt8(ascii: "I"): try expectLiteral("Infinity"); return .double(.infinity)
        case UInt8(ascii: "-"):
            if index + 1 < buffer.count, buffer[index + 1] == UInt8(ascii: "I") {
                index += 1
                try expectLiteral("Infinity")
                return .double(-.infinity)
            }
            return try parseNumber()
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw fail("unexpected character")
        }
    }

    /// Reads an object of scalar members into `members` (see ``JSONParser/parseFlatObject(_:nested:)``); the
    /// member `nested`, when its value is an object, is read into `inner` (and recorded in `members` as null).
    mutating func parseFlatMembers(
        into members: inout [(name: String, value: JSONValue)], nested: String?,
        inner: inout [(name: String, value: JSONValue)]?
    ) throws(JSONParseError) {
        guard index < buffer.count, buffer[index] == UInt8(ascii: "{") else { throw fail("expected an object") }
        index += 1
        skipWhitespace()
        if index < buffer.count, buffer[index] == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            let key = try parseMemberName()
            guard index < buffer.count else { throw fail("unexpected end of input") }
            switch buffer[index] {
            case UInt8(ascii: "{"):
                guard let nested, key == nested, inner == nil else { throw fail("not a flat object") }
                var values: [(name: String, value: JSONValue)] = []
                values.reserveCapacity(4)
                var none: [(name: String, value: JSONValue)]?
                try parseFlatMembers(into: &values, nested: nil, inner: &none)
                inner = values
                members.append((key, .null))
            case UInt8(ascii: "["):
                throw fail("not a flat object")
            default:
                members.append((key, try parseValue(depth: 1)))
            }
            if try !parseMemberEnd() { return }
        }
    }

    /// Reads a member's name and the colon after it, with the white space around them.
    mutating func parseMemberName() throws(JSONParseError) -> String {
        skipWhitespace()
        guard index < buffer.count, buffer[index] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
        let key = try parseString()
        skipWhitespace()
        guard index < buffer.count, buffer[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
        index += 1
        skipWhitespace()
        return key
    }

    /// Reads what follows a member's value: true after a comma (another member follows), false after the
    /// closing brace.
    mutating func parseMemberEnd() throws(JSONParseError) -> Bool {
        skipWhitespace()
        guard index < buffer.count else { throw fail("unexpected end of input") }
        if buffer[index] == UInt8(ascii: ",") {
            index += 1
            return true
        }
        if buffer[index] == UInt8(ascii: "}") {
            index += 1
            return false
        }
        throw fail("expected ',' or '}'")
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= buffer.count else { throw fail("unexpected end of input") }
        let start = literal.utf8Start
        for i in 0..<count where buffer[index + i] != start[i] {
            throw fail("invalid literal")
        }
        index += count
    }

    mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= JSONParser.maximumDepth else { throw fail("nesting deeper than \(JSONParser.maximumDepth)") }
        index += 1
        skipWhitespace()
        if index < buffer.count, buffer[index] == UInt8(ascii: "}") {
            index += 1
            return .object([:])
        }
        // Members collect on the shared stack, so the dictionary is built once at its final size.
        let base = members.count
        defer { members.removeSubrange(base...) }
        while true {
            let key = try parseMemberName()
            let start = index
            let value = try parseValue(depth: depth)
            if depth == 1, let locate, key == locate {
                located = start..<index
                locatedCount += 1
            }
            members.append((key, value))
            if try parseMemberEnd() { continue }
            // A repeated name keeps its last value.
            var object = [String: JSONValue](minimumCapacity: members.count - base)
            for i in base..<members.count { object[members[i].0] = members[i].1 }
            return .object(object)
        }
    }

    mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= JSONParser.maximumDepth else { throw fail("nesting deeper than \(JSONParser.maximumDepth)") }
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < buffer.count, buffer[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            guard index < buffer.count else { throw fail("unexpected end of input") }
            if buffer[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if buffer[index] == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            }
            throw fail("expected ',' or ']'")
        }
    }

    mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = index
        var isInteger = true
        // The digits as read, for the exact fast path below: the significant digits' value and count, and the
        // number of digits after the point.
        var mantissa: UInt64 = 0
        var significant = 0
        var fractionDigits = 0
        let negative = buffer[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < buffer.count, isDigit(buffer[index]) else { throw fail("invalid number") }
        if buffer[index] == UInt8(ascii: "0") {
            index += 1
            if index < buffer.count, isDigit(buffer[index]) { throw fail("leading zeros are not allowed") }
        } else {
            while index < buffer.count, isDigit(buffer[index]) {
                accumulate(buffer[index], into: &mantissa, &significant)
                index += 1
            }
        }
        if index < buffer.count, buffer[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < buffer.count, isDigit(buffer[index]) else { throw fail("invalid number") }
            while index < buffer.count, isDigit(buffer[index]) {
                accumulate(buffer[index], into: &mantissa, &significant)
                fractionDigits += 1
                index += 1
            }
        }
        var exponent = 0
        var exponentDigits = 0
        if index < buffer.count, buffer[index] == UInt8(ascii: "e") || buffer[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            var exponentNegative = false
            if index < buffer.count, buffer[index] == UInt8(ascii: "+") || buffer[index] == UInt8(ascii: "-") {
                exponentNegative = buffer[index] == UInt8(ascii: "-")
                index += 1
            }
            guard index < buffer.count, isDigit(buffer[index]) else { throw fail("invalid number") }
            while index < buffer.count, isDigit(buffer[index]) {
                if exponentDigits < 6 { exponent = exponent * 10 + Int(buffer[index] - 0x30) }
                exponentDigits += 1
                index += 1
            }
            if exponentNegative { exponent = -exponent }
        }
        // Exact fast path (Clinger): at most 15 significant digits make an exact double, so do powers of ten up
        // to 10^22, and one IEEE multiplication or division of two exact values rounds correctly.
        if !isInteger, significant <= 15, exponentDigits < 6 {
            let scale = exponent - fractionDigits
            if scale >= -22, scale <= 22 {
                let magnitude = Double(mantissa)
                let value = scale < 0 ? magnitude / Self.powersOfTen[-scale] : magnitude * Self.powersOfTen[scale]
                return .double(negative ? -value : value)
            }
        }
        if isInteger, significant <= 18 {
            let value = Int64(mantissa)
            return .int(negative ? -value : value)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<index]), as: UTF8.self)
        if isInteger, let i = Int64(text) { return .int(i) }
        guard let d = Double(text) else { throw JSONParseError(offset: start, reason: "invalid number") }
        return .double(d)
    }

    /// The powers of ten that are exact doubles.
    static let powersOfTen: [Double] = (0...22).map { (e: Int) -> Double in
        var p = 1.0
        for _ in 0..<e { p *= 10 }
        return p
    }

    /// Adds one digit to the significant digits read so far (leading zeros are not significant); past 19
    /// digits only the count grows, which sends the number to the general path.
    private func accumulate(_ digit: UInt8, into mantissa: inout UInt64, _ significant: inout Int) {
        if significant == 0, digit == 0x30 { return }
        if significant < 19 { mantissa = mantissa * 10 + UInt64(digit - 0x30) }
        significant += 1
    }

    func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    mutating func parseString() throws(JSONParseError) -> String {
        index += 1  // opening quote
        let start = index
        // Fast path: no escapes.
        var ascii = true
        while index < buffer.count {
            let b = buffer[index]
            if b == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: buffer[start..<index])
                index += 1
                // ASCII is valid UTF-8 as it stands: no validation pass needed.
                if ascii { return String(decoding: slice, as: UTF8.self) }
                guard let s = String(validating: slice, as: UTF8.self) else {
                    throw JSONParseError(offset: start, reason: "invalid UTF-8 in string")
                }
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw fail("control character in string") }
            if b >= 0x80 { ascii = false }
            index += 1
        }
        var bytes = Array(UnsafeBufferPointer(rebasing: buffer[start..<index]))
        while index < buffer.count {
            let b = buffer[index]
            switch b {
            case UInt8(ascii: "\""):
                index += 1
                guard let s = String(validating: bytes, as: UTF8.self) else {
                    throw JSONParseError(offset: start, reason: "invalid UTF-8 in string")
                }
                return s
            case UInt8(ascii: "\\"):
                index += 1
                guard index < buffer.count else { throw fail("unexpected end of input") }
                let e = buffer[index]
                index += 1
                switch e {
                case UInt8(ascii: "\""): bytes.append(0x22)
                case UInt8(ascii: "\\"): bytes.append(0x5C)
                case UInt8(ascii: "/"): bytes.append(0x2F)
                case UInt8(ascii: "b"): bytes.append(0x08)
                case UInt8(ascii: "f"): bytes.append(0x0C)
                case UInt8(ascii: "n"): bytes.append(0x0A)
                case UInt8(ascii: "r"): bytes.append(0x0D)
                case UInt8(ascii: "t"): bytes.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try parseHex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard index + 1 < buffer.count, buffer[index] == UInt8(ascii: "\\"),
                            buffer[index + 1] == UInt8(ascii: "u")
                        else { throw fail("lone surrogate in string") }
                        index += 2
                        let low = try parseHex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw fail("lone surrogate in string") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw fail("lone surrogate in string")
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw fail("invalid escape") }
                    bytes.append(contentsOf: Array(String(Character(u)).utf8))
                default: throw fail("invalid escape")
                }
            default:
                if b < 0x20 { throw fail("control character in string") }
                bytes.append(b)
                index += 1
            }
        }
        throw fail("unterminated string")
    }

    mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= buffer.count else { throw fail("unexpected end of input") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = buffer[index]
            let d: UInt32
            switch b {
            case 0x30...0x39: d = UInt32(b - 0x30)
            case 0x41...0x46: d = UInt32(b - 0x41 + 10)
            case 0x61...0x66: d = UInt32(b - 0x61 + 10)
            default: throw fail("invalid \\u escape")
            }
            v = v << 4 | d
            index += 1
        }
        return v
    }
}
