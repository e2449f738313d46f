import Glibc
import Testing

@testable import OptunaSystemd

/// The writer's queue and thread, with a recording transport in place of journald.
@Suite struct JournalWriterTests {
    private static func entry(_ message: String) -> JournalEntry {
        JournalEntry(fields: [.init(name: "MESSAGE", value: message)])
    }

    @Test("entries reach the transport in the order they were queued")
    func keepsOrder() {
        let transport = RecordingTransport()
        let writer = JournalWriter(identifier: "optunad", capacity: 4096, transport: transport.send)
        let messages = (0..<1000).map { "entry \($0)" }
        for message in messages { writer.submit(Self.entry(message)) }
        #expect(writer.flush(timeout: .seconds(5)))
        #expect(transport.messages == messages)
        #expect(writer.droppedCount == 0)
        #expect(writer.failedCount == 0)
    }

    @Test("a full queue drops and counts, and the next entry that fits is preceded by a report")
    func dropsAndReports() {
        let transport = RecordingTransport(closed: true)
        let writer = JournalWriter(identifier: "optunad", capacity: 4, transport: transport.send)
        writer.submit(Self.entry("held"))
        // The writer's thread now sits inside the transport with "held", as it would inside a blocked
        // sd_journal_sendv; the queue itself is empty.
        transport.waitUntilHeld()
        for message in ["a", "b", "c", "d", "lost 1", "lost 2", "lost 3"] {
            writer.submit(Self.entry(message))
        }
        #expect(writer.droppedCount == 3)

        transport.open()
        #expect(writer.flush(timeout: .seconds(5)))
        writer.submit(Self.entry("after"))
        #expect(writer.flush(timeout: .seconds(5)))

        #expect(
            transport.messages == [
                "held", "a", "b", "c", "d", "dropped 3 log entries: the journal did not keep up", "after",
            ]
        )
        #expect(transport.recorded[5] == JournalEntry.droppedReport(count: 3, identifier: "optunad"))
        #expect(writer.droppedCount == 3)
    }

    @Test("flush reports a send that has not finished in time")
    func flushTimesOut() {
        let transport = RecordingTransport(closed: true)
        let writer = JournalWriter(identifier: "optunad", capacity: 4, transport: transport.send)
        writer.submit(Self.entry("held"))
        transport.waitUntilHeld()
        #expect(!writer.flush(timeout: .milliseconds(20)))
        transport.open()
        #expect(writer.flush(timeout: .seconds(5)))
    }

    @Test("refused sends are counted, not retried")
    func countsFailures() {
        let transport = RecordingTransport(result: -ENOENT)
        let writer = JournalWriter(identifier: "optunad", capacity: 64, transport: transport.send)
        for index in 0..<10 { writer.submit(Self.entry("entry \(index)")) }
        #expect(writer.flush(timeout: .seconds(5)))
        #expect(writer.failedCount == 10)
        #expect(transport.recorded.count == 10)
    }
}
