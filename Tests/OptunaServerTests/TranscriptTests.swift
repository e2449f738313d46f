import FoundationEssentials
import Foundation
import OptunaCore
import OptunaProtocol
import OptunaServer
import Testing

/// Replays the golden transcripts in Fixtures/: each `> ` line is sent to a fresh dispatcher, and the `< ` lines
/// that follow are its exact expected answer (none for a notification). The same transcripts are the examples
/// of protocol/README.md. Set OPTUNAD_RECORD_FIXTURES=1 to rewrite the answers after a deliberate change.
@Suite struct TranscriptTests {
    static let names = ["basic", "errors", "define-by-run", "enqueue", "multi-objective", "batches"]

    static func fixtureURL(_ name: String) -> URL? {
        Bundle.module.url(forResource: name, withExtension: "jsonl", subdirectory: "Fixtures")
    }

    @Test(arguments: names)
    func replay(_ name: String) async throws {
        let url = try #require(Self.fixtureURL(name), "missing fixture \(name).jsonl")
        let text = try String(contentsOf: url, encoding: .utf8)
        let dispatcher = makeDispatcher()
        var recorded: [String] = []
        var expected: [String] = []
        var actual: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("> ") {
                recorded.append(String(line))
                let answer = await dispatcher.handle(line: Array(line.dropFirst(2).utf8))
                if let answer {
                    let s = "< " + String(decoding: answer.dropLast(), as: UTF8.self)
                    actual.append(s)
                    recorded.append(s)
                }
            } else if line.hasPrefix("< ") {
                expected.append(String(line))
            } else if line.hasPrefix("#") {
                recorded.append(String(line))
            }
        }
        if ProcessInfo.processInfo.environment["OPTUNAD_RECORD_FIXTURES"] == "1" {
            let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("Fixtures/\(name).jsonl")
            try (recorded.joined(separator: "\n") + "\n").write(to: source, atomically: true, encoding: .utf8)
            return
        }
        #expect(actual.count == expected.count)
        for (a, e) in zip(actual, expected) { #expect(a == e) }
    }
}
