import OptunaCore
import Testing

/// `JSONParser.parseFlatObject` reads objects of scalars (and one nested object of scalars) as `parse` reads them,
/// and declines everything else.
@Suite struct FlatObjectTests {
    /// Objects it reads, with the nested member "p".
    @Test(arguments: [
        #"{"id": 1, "method": "tell", "p": {"trial_id": 3, "value": 1.5}}"#,
        #"  {"a":"x","b":-2.5e-3,"c":true,"d":false,"e":null,"f":NaN,"g":-Infinity,"h":Infinity}  "#,
        #"{"s": "é \"quoted\" \u00e9 \ud83d\ude00", "p": {}}"#,
        #"{}"#,
        #"{"p": {"n": 123456789012345678901234567890}}"#,
        #"{"p": null, "x": 0}"#,
        #"{"x": 1, "x": 2}"#,
    ])
    func readsWhatParseReads(text: String) throws {
        let flat = try #require(JSONParser.parseFlatObject(Array(text.utf8), nested: "p"))
        guard case .object(let whole) = try JSONParser.parse(text) else {
            Issue.record("not an object: \(text)")
            return
        }
        // Members in text order; the last of a repeated name is the one `parse` keeps.
        var last: [String: JSONValue] = [:]
        for m in flat.members { last[m.name] = m.value }
        #expect(Set(last.keys) == Set(whole.keys))
        for (name, value) in last where !(name == "p" && flat.nested != nil) {
            #expect(Self.same(value, whole[name]), "\(name)")
        }
        if let nested = flat.nested {
            #expect(whole["p"] == .object(Dictionary(nested.map { ($0.name, $0.value) }) { _, b in b }))
            #expect(flat.member("p") == .some(.null))
        } else {
            #expect(whole["p"] == nil || whole["p"] == .null)
        }
    }

    /// Equal values, NaN counting as equal to NaN.
    static func same(_ a: JSONValue, _ b: JSONValue?) -> Bool {
        if case .double(let x) = a, case .double(let y)? = b, x.isNaN, y.isNaN { return true }
        return a == b
    }

    /// Text it declines: valid JSON of another shape, and invalid JSON.
    @Test(arguments: [
        #"[1, 2]"#, #""text""#, #"3"#,
        #"{"a": [1]}"#, #"{"a": {"b": 1}}"#, #"{"p": {"b": {"c": 1}}}"#, #"{"p": {"b": []}}"#,
        #"{"p": {"a": 1}, "p": {"a": 2}}"#,
        #"{"a": 1,}"#, #"{"a" 1}"#, #"{"a": 1} x"#, #"{"a": tru}"#, #"{"a": 01}"#, "{\"a\": \"\u{01}\"}", #"{"a": 1"#,
        "",
    ])
    func declinesEverythingElse(text: String) {
        #expect(JSONParser.parseFlatObject(Array(text.utf8), nested: "p") == nil)
    }

    @Test func invalidUTF8IsDeclined() {
        #expect(JSONParser.parseFlatObject([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D], nested: "p") == nil)
    }

    @Test func uniqueNamesAndSingleMembers() {
        let members: [(name: String, value: JSONValue)] = [("a", 1), ("b", 2), ("a", 3)]
        #expect(!FlatObject.namesAreUnique(members, within: ["a", "b"]))
        #expect(FlatObject.namesAreUnique(Array(members.prefix(2)), within: ["a", "b"]))
        #expect(!FlatObject.namesAreUnique(Array(members.prefix(2)), within: ["a"]))
        #expect(FlatObject.only("a", in: members) == nil)
        #expect(FlatObject.only("b", in: members) == .some(.int(2)))
        #expect(FlatObject.only("c", in: members) == .some(nil))
    }
}
