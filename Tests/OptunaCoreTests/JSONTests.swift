import OptunaCore
import Testing

@Suite struct JSONTests {
    @Test(arguments: [
        ("{\"a\":[1,2.5,true,null,\"x\"]}", JSONValue.object(["a": [1, 2.5, true, nil, "x"]])),
        ("NaN", JSONValue.double(.nan)),
        ("[Infinity,-Infinity]", JSONValue.array([.double(.infinity), .double(-.infinity)])),
        ("\"\\u00e9\\ud83d\\ude00\\n\"", JSONValue.string("é😀\n")),
        ("-0.0", JSONValue.double(-0.0)),
        ("12345678901234567890", JSONValue.double(12345678901234567890)),
        ("1e-5", JSONValue.double(1e-5)),
    ])
    func parsesValidInput(_ text: String, _ expected: JSONValue) throws {
        let parsed = try JSONParser.parse(text)
        if case .double(let d) = expected, d.isNaN {
            guard case .double(let p) = parsed else { Issue.record("not a double"); return }
            #expect(p.isNaN)
        } else {
            #expect(parsed == expected)
        }
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "01", "1.", "tru", "\"\u{01}\"", "\"\\x\"", "\"\\ud800\"", "[1] 2", "nan", "+1",
    ])
    func refusesInvalidInput(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
    }

    @Test func refusesInvalidUTF8() {
        #expect(throws: JSONParseError.self) { try JSONParser.parse([0x22, 0xFF, 0xFE, 0x22]) }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
        let ok = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: Never.self) { try JSONParser.parse(ok) }
    }

    @Test func writerSortsKeysAndSpellsNonFiniteAsStrings() {
        let v: JSONValue = ["b": .double(.nan), "a": [.double(.infinity), 1, 1.5, "q\"\n"]]
        #expect(JSONWriter.string(v) == #"{"a":["Infinity",1,1.5,"q\"\n"],"b":"NaN"}"#)
        #expect(JSONWriter.string(v, nonFinite: .pythonTokens) == #"{"a":[Infinity,1,1.5,"q\"\n"],"b":NaN}"#)
    }

    @Test func doublesRoundTripExactly() throws {
        for d in [0.1, 1.0 / 3.0, 1e300, 5e-324, -2.5, 123456789.125] {
            let text = JSONWriter.string(.double(d))
            #expect(try JSONParser.parse(text) == .double(d))
        }
    }

    /// Finite doubles are written as Swift's `description` spells them (the shortest text that reads back
    /// exactly), whatever their size, sign or magnitude, including after other bytes in the same buffer.
    @Test(arguments: [
        0.0, -0.0, 1.0, -2.5, 0.1, 1.0 / 3.0, 1e-5, 1e16, 1e21, 1e22, 123456789.125, 0.30000000000000004,
        5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, -1.6094000509707946, 9007199254740993.0,
        5.0, -5.0, 100.0, -120.0, 1e15, -1e15, 9999999999999998.0, 1e16, -1e16, 1e17, 4503599627370497.0,
        9007199254740991.0, -9007199254740992.0, 9007199254740994.0, -9093616263829096.0,
    ])
    func finiteDoublesAreWrittenAsTheirDescription(d: Double) {
        var out = Array("[1,".utf8)
        JSONWriter.writeDouble(d, into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "[1,\(d.description)")
    }

    /// A seeded sweep over bit patterns: every finite double is written as its `description`.
    @Test func seededBitPatternsAreWrittenAsTheirDescription() {
        var rng = SeededGenerator(seed: 20261205)
        var checked = 0
        while checked < 20_000 {
            let d = Double(bitPattern: rng.next())
            guard d.isFinite else { continue }
            var out: [UInt8] = []
            JSONWriter.writeDouble(d, into: &out)
            #expect(String(decoding: out, as: UTF8.self) == d.description, "bits \(d.bitPattern)")
            checked += 1
        }
        // Whole numbers of every size around 2^53, where the spelling switches to an exponent.
        for _ in 0..<20_000 {
            let d = Double(Int64(bitPattern: rng.next()) >> (rng.next() % 63))
            var out: [UInt8] = []
            JSONWriter.writeDouble(d, into: &out)
            #expect(String(decoding: out, as: UTF8.self) == d.description, "\(d)")
        }
    }

    /// Numbers the parser reads without the C library (few digits, small exponents) and the ones it hands
    /// to it must both come out as Swift's own `Double(String)` and `Int64(String)` read them.
    @Test(arguments: [
        "0", "-0", "0.0", "-0.0", "1.0", "0.05", "-2.5", "100", "1e5", "1E-5", "2.5e+3", "0.1", "0.3",
        "123456789012345", "1234567890123456", "0.000000000000000000001", "9007199254740993.0",
        "1.7976931348623157e308", "5e-324", "1e23", "1e22", "4.35", "3.0000000000000004", "1e999999",
        "-9223372036854775808", "9223372036854775807", "99999999999999999999", "123456789012345678",
        "1234567890123456789",
    ])
    func numbersReadAsTheStandardLibraryReadsThem(text: String) throws {
        let parsed = try JSONParser.parse(text)
        let isInteger = !text.contains(where: { ".eE".contains($0) })
        if isInteger, let i = Int64(text) {
            #expect(parsed == .int(i))
        } else {
            let d = try #require(Double(text))
            guard case .double(let got) = parsed else {
                Issue.record("\(text) parsed as \(parsed)")
                return
            }
            #expect(got.bitPattern == d.bitPattern, "\(text): \(got) != \(d)")
        }
    }

    /// A seeded sweep over short decimals (the fast path's whole domain and its edges).
    @Test func shortDecimalsMatchTheStandardLibraryBitForBit() throws {
        var state: UInt64 = 42
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        for _ in 0..<20_000 {
            let digits = Int(next() % 17) + 1
            var mantissa = ""
            for _ in 0..<digits { mantissa.append(Character(String(next() % 10))) }
            let point = Int(next() % UInt64(digits + 1))
            var text = point == 0 ? "0." + mantissa : String(mantissa.prefix(point)) + "." + mantissa.dropFirst(point)
            if text.hasSuffix(".") { text += "0" }
            while text.hasPrefix("0"), text.count > 1, !text.hasPrefix("0.") { text.removeFirst() }
            if next() % 3 == 0 { text += "e" + String(Int(next() % 61) - 30) }
            if next() % 2 == 0 { text = "-" + text }
            let expected = try #require(Double(text), "\(text)")
            guard case .double(let got) = try JSONParser.parse(text) else {
                Issue.record("\(text) did not parse as a double")
                continue
            }
            #expect(got.bitPattern == expected.bitPattern, "\(text): \(got) != \(expected)")
        }
    }
}
