import Foundation
import OptunaCore
import OptunaProtocol
@testable import OptunaServer
import Synchronization
import Testing

/// `ask` and `tell` alone on their line send their answer from inside the study actor, byte for byte the line the
/// dispatcher would return; everything else is answered as before.
@Suite struct EarlyAnswerTests {
    /// A dispatcher whose early answers are collected, beside a plain one over an identical fresh study.
    /// The lines sent early.
    final class Sent: Sendable {
        let lines = Mutex<[[UInt8]]>([])
    }

    struct Pair {
        let sent = Sent()
        let early: Dispatcher
        let plain = makeDispatcher()

        init() {
            var d = makeDispatcher().forConnection()
            let sent = self.sent
            d.earlyAnswer = EarlyAnswer { line in sent.lines.withLock { $0.append(line) } }
            early = d
        }

        /// Sends `line` to both; checks the early dispatcher answered it exactly as the plain one, and returns
        /// whether that answer went early.
        @discardableResult
        func send(_ line: String) async throws -> (answer: JSONValue, early: Bool) {
            let bytes = Array(line.utf8)
            let returned = await early.handle(line: bytes)
            let went = sent.lines.withLock { s -> [[UInt8]] in
                defer { s = [] }
                return s
            }
            let expected = await plain.handle(line: bytes)
            #expect(went.count <= 1, "\(line)")
            #expect(returned == nil || went.isEmpty, "\(line): answered twice")
            let answer = returned ?? went.first
            #expect(answer == expected, "\(line)")
            return (try answer.map { try JSONParser.parse($0) } ?? .null, !went.isEmpty)
        }
    }

    @Test func asksAndTellsGoEarlyAndNothingElse() async throws {
        let pair = Pair()
        let space = #""search_space": {"x": {"type": "float", "low": 0, "high": 1}}"#
        let (created, createdEarly) = try await pair.send(
            #"{"id": 0, "method": "create_study", "params": {"study_name": "s", "sampler": {"type": "random", "seed": 3}}}"#)
        #expect(created["result"] != nil && !createdEarly)
        var trials: [Int64] = []
        for i in 1...3 {
            // The first ask takes the general path, the others repeat it.
            let (answer, early) = try await pair.send(#"{"id": \#(i), "method": "ask", "params": {"study_name": "s", \#(space)}}"#)
            #expect(early)
            trials.append(try #require(answer["result"]?["trial_id"]?.int64Value))
        }
        let (told, toldEarly) = try await pair.send(#"{"id": 4, "method": "tell", "params": {"trial_id": \#(trials[0]), "value": 0.5}}"#)
        #expect(toldEarly && told["result"]?["state"] == "COMPLETE")
        // A tell the general path answers (a list of values) goes early too.
        let (listed, listedEarly) = try await pair.send(#"{"id": 5, "method": "tell", "params": {"trial_id": \#(trials[1]), "values": [1]}}"#)
        #expect(listedEarly && listed["result"]?["values"] == [1.0])

        // A parameter suggested after the ask: the tell's answer shows it.
        let (_, suggestedEarly) = try await pair.send(
            #"{"id": 13, "method": "suggest", "params": {"trial_id": \#(trials[2]), "name": "y", "distribution": {"type": "int", "low": 0, "high": 3}}}"#)
        #expect(!suggestedEarly)
        let (withY, _) = try await pair.send(#"{"id": 14, "method": "tell", "params": {"trial_id": \#(trials[2]), "value": 1}}"#)
        #expect(withY["result"]?["params"]?["y"] != nil && withY["result"]?["distributions"]?["y"] != nil)
        let (again, _) = try await pair.send(#"{"id": 15, "method": "ask", "params": {"study_name": "s", \#(space)}}"#)
        trials.append(try #require(again["result"]?["trial_id"]?.int64Value))
        // The loop's usual pair: the tell's answer writes the parts rendered after the ask.
        let (loopTold, loopEarly) = try await pair.send(#"{"id": 16, "method": "tell", "params": {"trial_id": \#(trials[3]), "value": 3}}"#)
        #expect(loopEarly && loopTold["result"]?["params"]?["x"] == again["result"]?["params"]?["x"])
        #expect(pair.early.trialParts?.current?.trialID == trials[3])

        // Errors, batches, other methods and notifications are answered as before.
        let refused: [String] = [
            #"{"id": 6, "method": "tell", "params": {"trial_id": \#(trials[0]), "value": 0.5}}"#,
            #"{"id": 7, "method": "ask", "params": {"study_name": "missing"}}"#,
            #"[{"id": 8, "method": "tell", "params": {"trial_id": \#(trials[3]), "value": 2}}, {"id": 9, "method": "ask", "params": {"study_name": "s"}}]"#,
            #"{"id": 10, "method": "get_trial", "params": {"trial_id": \#(trials[2])}}"#,
            #"{"id": 11, "method": "report", "params": {"trial_id": \#(trials[2]), "step": 0, "value": 1}}"#,
            #"{"id": 12, "method": "best_trial", "params": {"study_name": "s"}}"#,
        ]
        for line in refused {
            let (_, early) = try await pair.send(line)
            #expect(!early, "\(line)")
        }
        let notification = #"{"method": "ask", "params": {"study_name": "s"}}"#
        #expect(try await pair.send(notification) == (.null, false))
    }
}
