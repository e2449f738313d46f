import Foundation
import OptunaCore
@testable import OptunaServer
import Testing

/// A connection's dispatcher answers a repeated `ask` line from what it decoded the first time, and every line
/// gets exactly the answer a dispatcher without that memory gives.
@Suite struct RepeatedAskLinesTests {
    static let space =
        #""search_space": {"x": {"type": "float", "low": -5.0, "high": 5.0}, "n": {"type": "int", "low": 1, "high": 9}}"#

    static let createStudy =
        #"{"id": 0, "method": "create_study", "params": {"study_name": "s", "sampler": {"type": "random", "seed": 1}}}"#

    static func ask(id: String, study: String = "s", space: String = space) -> String {
        #"{"id": \#(id), "method": "ask", "params": {"study_name": "\#(study)", \#(space)}}"#
    }

    /// Sends the same lines to a connection's dispatcher and to a plain one over identical fresh studies.
    struct Pair {
        let remembering = makeDispatcher().forConnection()
        let plain = makeDispatcher()
        var answers: [String] = []

        mutating func send(_ line: String) async {
            let bytes = Array(line.utf8)
            let a = await remembering.handle(line: bytes).map { String(decoding: $0, as: UTF8.self) }
            let b = await plain.handle(line: bytes).map { String(decoding: $0, as: UTF8.self) }
            #expect(a == b, "\(line)")
            answers.append(a ?? "")
        }

        var hits: Int { remembering.repeatedAsks?.hits ?? -1 }
    }

    @Test func repeatedAsksAnswerAsTheFullPathDoes() async throws {
        var pair = Pair()
        await pair.send(Self.createStudy)
        await pair.send(Self.ask(id: "1"))
        #expect(pair.hits == 0)
        // The same line with other ids of every kind JSON-RPC allows, and with white space around the id.
        let ids = [
            "2", #""three""#, "null", "4.5", "-6", "7 ", #""é\"8""#, "0", "123456789012345678", "1234567890123456789",
            "99999999999999999999",
        ]
        for id in ids {
            await pair.send(Self.ask(id: id))
        }
        #expect(pair.hits == 11)
        // Each was a new trial.
        let trialIDs = try pair.answers.dropFirst().map { answer in
            try #require(JSONParser.parse(answer)["result"]?["trial_id"]?.int64Value)
        }
        #expect(Set(trialIDs).count == 12)

        // Ids that do not make the same request: the full path answers (or refuses) them.
        for id in ["[1]", #"{"a": 1}"#, "01", "1}", #"1, "id": 2"#, "true", "", "1 2"] {
            await pair.send(Self.ask(id: id))
        }
        #expect(pair.hits == 11)

        // A search space of the same length but other bounds is another request, which then is remembered.
        let other = Self.space.replacingOccurrences(of: "-5.0", with: "-4.0")
        await pair.send(Self.ask(id: "20", space: other))
        await pair.send(Self.ask(id: "21", space: other))
        #expect(pair.hits == 12)
        await pair.send(Self.ask(id: "22"))
        #expect(pair.hits == 12)

        // A failed ask is not remembered; tells between asks change nothing.
        await pair.send(Self.ask(id: "23", study: "missing"))
        await pair.send(Self.ask(id: "24", study: "missing"))
        #expect(pair.hits == 12)
        let told = try #require(JSONParser.parse(pair.answers[pair.answers.count - 3])["result"]?["trial_id"]?.int64Value)
        await pair.send(#"{"id": 25, "method": "tell", "params": {"trial_id": \#(told), "value": 1.5}}"#)
        await pair.send(Self.ask(id: "26"))
        #expect(pair.hits == 13)
    }

    @Test func aNotificationOrABatchIsNeverTakenForARepeat() async throws {
        var pair = Pair()
        await pair.send(Self.createStudy)
        await pair.send(Self.ask(id: "1"))
        await pair.send(#"{"method": "ask", "params": {"study_name": "s", \#(Self.space)}}"#)
        await pair.send("[" + Self.ask(id: "2") + "]")
        #expect(pair.hits == 0)
        await pair.send(Self.ask(id: "3"))
        #expect(pair.hits == 1)
    }

    /// The parser reports the top-level member's value range only when the name occurs once.
    @Test(arguments: [
        (#"{"id": 12, "x": {"id": 1}}"#, "12"),
        (#"{ "x": 1 , "id" :  "a b"  }"#, #""a b""#),
        (#"{"id": 1, "id": 2}"#, nil),
        (#"{"x": {"id": 1}}"#, nil),
        (#"[{"id": 1}]"#, nil),
    ] as [(String, String?)])
    func theParserLocatesATopLevelMember(text: String, expected: String?) throws {
        let bytes = Array(text.utf8)
        let (value, range) = try JSONParser.parse(bytes, locatingMember: "id")
        #expect(value == (try JSONParser.parse(text)))
        #expect(range.map { String(decoding: bytes[$0], as: UTF8.self) } == expected)
    }
}
