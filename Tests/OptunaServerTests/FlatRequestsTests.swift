import Foundation
import OptunaCore
import OptunaProtocol
@testable import OptunaServer
import Testing

/// `tell`, `report` and `should_prune` lines of the usual shape are answered without building their JSON
/// objects, with exactly the answer of the general path; every other line takes the general path.
@Suite struct FlatRequestsTests {
    /// Two dispatchers over identical fresh studies: lines go to `fast` as a connection sends them, and to
    /// `general` as parsed request objects, which never take the flat path.
    struct Pair {
        let fast = makeDispatcher()
        let general = makeDispatcher()

        /// Sends `line` to both and checks the answers match; returns the answer and whether the flat path
        /// answered it.
        @discardableResult
        func send(_ line: String) async throws -> (answer: JSONValue, flat: Bool) {
            let bytes = Array(line.utf8)
            let flat = await fast.flatAnswer(to: bytes)
            let fastLine: [UInt8]?
            if let flat { fastLine = flat } else { fastLine = await fast.handle(line: bytes) }
            // A request object goes through `handle(_:)`; anything else (a batch, invalid JSON) never reaches
            // the flat path anyway.
            let generalLine: [UInt8]?
            if let json = try? JSONParser.parse(line), case .object = json {
                generalLine = await general.handle(json).map(RPCResponse.line)
            } else {
                generalLine = await general.handle(line: bytes)
            }
            let generalAnswer = try generalLine.map { try JSONParser.parse($0) } ?? .null
            let fastAnswer = try fastLine.map { try JSONParser.parse($0) } ?? .null
            #expect(fastAnswer == generalAnswer, "\(line)")
            return (fastAnswer, flat != nil)
        }

        /// Creates study `s` (random sampler) and asks `n` trials; returns their ids.
        func start(trials n: Int, pruner: String = #"{"type": "nop"}"#) async throws -> [Int64] {
            try await send(
                #"{"id": 0, "method": "create_study", "params": {"study_name": "s", "sampler": {"type": "random", "seed": 1}, "pruner": \#(pruner)}}"#)
            var ids: [Int64] = []
            for i in 0..<n {
                let (answer, _) = try await send(
                    #"{"id": \#(i), "method": "ask", "params": {"study_name": "s", "search_space": {"x": {"type": "float", "low": 0, "high": 1}}}}"#)
                ids.append(try #require(answer["result"]?["trial_id"]?.int64Value))
            }
            return ids
        }
    }

    /// Only lines holding a quoted flat method's name are read flat; other requests are read once.
    @Test(arguments: [
        (#"{"id": 1, "method": "tell", "params": {"trial_id": 1, "value": 2}}"#, true),
        (#"{"params": {"trial_id": 1, "step": 0, "value": 2}, "method": "report"}"#, true),
        (#"{"id": 1,"method":"should_prune","params":{"trial_id":1}}"#, true),
        (#"{"id": 1, "method": "heartbeat", "params": {"trial_id": 1}}"#, false),
        (#"{"id": 1, "method": "get_trial", "params": {"trial_id": 1}}"#, false),
        (#"{"id": "tel", "method": "telling"}"#, false),
        (#"{"id": 1, "method": "set_trial_user_attr", "params": {"trial_id": 1, "key": "tell", "value": 1}}"#, true),
        ("\"tell", false),
        ("", false),
    ])
    func onlyLinesNamingAFlatMethodAreReadFlat(line: String, named: Bool) {
        #expect(Dispatcher.mayNameFlatMethod(Array(line.utf8)) == named)
    }

    static func tell(id: String = "1", _ params: String) -> String {
        #"{"id": \#(id), "method": "tell", "params": {\#(params)}}"#
    }

    @Test func tellsOfTheUsualShapeTakeTheFlatPath() async throws {
        let pair = Pair()
        let t = try await pair.start(trials: 12)
        let taken: [String] = [
            Self.tell(#""trial_id": \#(t[0]), "value": 1.5"#),
            #"{"jsonrpc": "2.0", "id": "two", "method": "tell", "params": {"trial_id": \#(t[1]), "value": -3}}"#,
            #"  {"params":{"value":2.5e-3,"trial_id":\#(t[2])},"method":"tell","id":null}  "#,
            Self.tell(id: "4.5", #""trial_id": \#(t[3]), "state": "PRUNED""#),
            Self.tell(#""trial_id": \#(t[4]), "state": "FAIL""#),
            Self.tell(#""trial_id": \#(t[5]), "value": NaN"#),
            Self.tell(#""trial_id": \#(t[6]), "value": -Infinity, "state": "COMPLETE""#),
            // Refused by the tell rules, or by the study: the same errors.
            Self.tell(#""trial_id": \#(t[0]), "value": 2"#),
            Self.tell(#""trial_id": \#(t[0]), "value": 2, "skip_if_finished": true"#),
            Self.tell(#""trial_id": \#(t[7]), "value": 2, "state": "FAIL""#),
            Self.tell(#""trial_id": \#(t[7])"#),
            Self.tell(#""trial_id": \#(t[7]), "state": "RUNNING""#),
            Self.tell(#""trial_id": 999999, "value": 1"#),
            Self.tell(#""trial_id": \#(t[7]), "value": 1, "skip_if_finished": false"#),
        ]
        for line in taken {
            let (_, flat) = try await pair.send(line)
            #expect(flat, "\(line)")
        }
        let declined: [String] = [
            Self.tell(#""trial_id": \#(t[8]), "value": "NaN""#),
            Self.tell(#""trial_id": \#(t[8]), "values": [1]"#),
            Self.tell(#""trial_id": \#(t[8]), "value": 1, "constraints": [0]"#),
            Self.tell(#""trial_id": \#(t[8]), "value": null"#),
            Self.tell(#""trial_id": \#(t[8]), "value": 1, "value": 2"#),
            Self.tell(#""trial_id": \#(t[8]), "valeu": 1"#),
            Self.tell(#""trial_id": "\#(t[8])", "value": 1"#),
            Self.tell(#""trial_id": \#(t[8]).0, "value": 1"#),
            Self.tell(#""trial_id": \#(t[8]), "state": "DONE""#),
            Self.tell(#""trial_id": \#(t[8]), "state": 1"#),
            Self.tell(#""trial_id": \#(t[8]), "skip_if_finished": "yes""#),
            Self.tell(#""value": 1"#),
            Self.tell(id: "true", #""trial_id": \#(t[8]), "value": 1"#),
            #"{"jsonrpc": "1.0", "id": 1, "method": "tell", "params": {"trial_id": \#(t[8]), "value": 1}}"#,
            #"{"id": 1, "id": 2, "method": "tell", "params": {"trial_id": \#(t[8]), "value": 1}}"#,
            #"{"id": 1, "method": "tell", "extra": 0, "params": {"trial_id": \#(t[8]), "value": 1}}"#,
            #"{"id": 1, "method": "Tell", "params": {"trial_id": \#(t[8]), "value": 1}}"#,
            #"{"id": 1, "method": "tell", "params": []}"#,
            #"{"id": 1, "method": "tell"}"#,
            #"{"id": 1, "method": "tell", "params": {"trial_id": \#(t[8]), "value": 1}"#,
            // The last line is valid and declined only for its shape; it still completes the trial.
            "[" + Self.tell(#""trial_id": \#(t[9]), "value": 1"#) + "]",
        ]
        for line in declined {
            let (_, flat) = try await pair.send(line)
            #expect(!flat, "\(line)")
        }
        // A notification is executed and not answered, on either path.
        let notification = #"{"method": "tell", "params": {"trial_id": \#(t[10]), "value": 1}}"#
        #expect(await pair.fast.flatAnswer(to: Array(notification.utf8)) == nil)
        #expect(await pair.fast.handle(line: Array(notification.utf8)) == nil)
        #expect(await pair.general.handle(try JSONParser.parse(notification)) == nil)

        // Both studies hold the same trials now.
        let list = #"{"id": 9, "method": "get_trials", "params": {"study_name": "s"}}"#
        let (trials, _) = try await pair.send(list)
        let states = trials["result"]?.arrayValue?.compactMap { $0["state"]?.stringValue }
        #expect(states == [
            "COMPLETE", "COMPLETE", "COMPLETE", "PRUNED", "FAIL", "FAIL", "COMPLETE", "COMPLETE", "FAIL", "COMPLETE",
            "COMPLETE", "RUNNING",
        ])
    }

    @Test func reportsAndPruningQuestionsTakeTheFlatPath() async throws {
        let pair = Pair()
        let t = try await pair.start(trials: 3, pruner: #"{"type": "threshold", "upper": 1.0}"#)
        let taken: [String] = [
            #"{"id": 1, "method": "report", "params": {"trial_id": \#(t[0]), "step": 0, "value": 0.5}}"#,
            #"{"id": 2, "method": "report", "params": {"trial_id": \#(t[0]), "step": 1, "value": 3}}"#,
            #"{"id": 3, "method": "should_prune", "params": {"trial_id": \#(t[0])}}"#,
            #"{"id": 4, "method": "report", "params": {"trial_id": \#(t[1]), "step": 0, "value": NaN}}"#,
            #"{"id": 5, "method": "should_prune", "params": {"trial_id": 424242}}"#,
            #"{"id": 6, "method": "report", "params": {"trial_id": 424242, "step": 0, "value": 1}}"#,
        ]
        for line in taken {
            let (_, flat) = try await pair.send(line)
            #expect(flat, "\(line)")
        }
        let declined: [String] = [
            #"{"id": 7, "method": "report", "params": {"trial_id": \#(t[2]), "step": -1, "value": 1}}"#,
            #"{"id": 8, "method": "report", "params": {"trial_id": \#(t[2]), "step": 1.5, "value": 1}}"#,
            #"{"id": 9, "method": "report", "params": {"trial_id": \#(t[2]), "step": 0, "value": "1"}}"#,
            #"{"id": 10, "method": "report", "params": {"trial_id": \#(t[2]), "step": 0}}"#,
            #"{"id": 11, "method": "report", "params": {"trial_id": \#(t[2]), "step": 0, "value": 1, "x": 1}}"#,
            #"{"id": 12, "method": "should_prune", "params": {"trial_id": \#(t[2]), "step": 1}}"#,
            #"{"id": 13, "method": "should_prune", "params": {}}"#,
        ]
        for line in declined {
            let (_, flat) = try await pair.send(line)
            #expect(!flat, "\(line)")
        }
        // The threshold pruner prunes the trial that reported 3 (above 1.0) and the one that reported NaN.
        let (answer, _) = try await pair.send(#"{"id": 14, "method": "should_prune", "params": {"trial_id": \#(t[1])}}"#)
        #expect(answer["result"]?["should_prune"] == .bool(true))
        let (again, _) = try await pair.send(#"{"id": 15, "method": "should_prune", "params": {"trial_id": \#(t[0])}}"#)
        #expect(again["result"]?["should_prune"] == .bool(true))
    }
}
