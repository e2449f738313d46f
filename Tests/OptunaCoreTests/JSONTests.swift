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
}
