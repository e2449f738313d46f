import Logging
import Testing

@testable import OptunaSystemd

/// The handler as swift-log uses it, with a recording transport in place of journald.
@Suite struct JournaldLogHandlerTests {
    @Test("a logger's call site, level, label and metadata reach the entry")
    func logsThroughLogger() throws {
        let transport = RecordingTransport()
        let writer = JournalWriter(identifier: "optunad", capacity: 64, transport: transport.send)
        var logger = Logger(label: "optunad.test") {
            JournaldLogHandler(label: $0, writer: writer, metadataProvider: nil)
        }
        logger[metadataKey: "study"] = "resnet"
        let line = #line + 1
        logger.warning("trial pruned", metadata: ["trial_number": "\(3)"])
        #expect(writer.flush(timeout: .seconds(5)))

        let entry = try #require(transport.recorded.first)
        #expect(
            entry.fields == [
                JournalEntry.Field(name: "MESSAGE", value: "trial pruned"),
                JournalEntry.Field(name: "PRIORITY", value: "4"),
                JournalEntry.Field(name: "SYSLOG_IDENTIFIER", value: "optunad"),
                JournalEntry.Field(name: "CODE_FILE", value: "OptunaSystemdTests/JournaldLogHandlerTests.swift"),
                JournalEntry.Field(name: "CODE_LINE", value: String(line)),
                JournalEntry.Field(name: "CODE_FUNC", value: "logsThroughLogger()"),
                JournalEntry.Field(name: "OPTUNAD_LOGGER", value: "optunad.test"),
                JournalEntry.Field(name: "OPTUNAD_STUDY", value: "resnet"),
                JournalEntry.Field(name: "OPTUNAD_TRIAL_NUMBER", value: "3"),
            ]
        )
    }

    @Test("events below the level are not sent")
    func respectsLevel() {
        let transport = RecordingTransport()
        let writer = JournalWriter(identifier: "optunad", capacity: 64, transport: transport.send)
        var logger = Logger(label: "l") { JournaldLogHandler(label: $0, writer: writer, metadataProvider: nil) }
        logger.logLevel = .notice
        logger.info("hidden")
        logger.notice("shown")
        #expect(writer.flush(timeout: .seconds(5)))
        #expect(transport.messages == ["shown"])
    }

    @Test("level and metadata are values: changing a copy leaves the original alone")
    func valueSemantics() {
        let transport = RecordingTransport()
        let writer = JournalWriter(identifier: "optunad", capacity: 64, transport: transport.send)
        var original = JournaldLogHandler(label: "l", writer: writer, metadataProvider: nil)
        original.logLevel = .info
        original[metadataKey: "study"] = "a"
        var copy = original
        copy.logLevel = .error
        copy[metadataKey: "study"] = "b"
        copy[metadataKey: "trial"] = "1"
        #expect(original.logLevel == .info)
        #expect(original.metadata == ["study": "a"])
        #expect(copy.metadata == ["study": "b", "trial": "1"])
    }

    @Test("the metadata provider's values are added to each entry")
    func metadataProvider() throws {
        let transport = RecordingTransport()
        let writer = JournalWriter(identifier: "optunad", capacity: 64, transport: transport.send)
        let provider = Logger.MetadataProvider { ["request_id": "r-1"] }
        let logger = Logger(label: "l") { JournaldLogHandler(label: $0, writer: writer, metadataProvider: provider) }
        logger.info("hello")
        #expect(writer.flush(timeout: .seconds(5)))
        let entry = try #require(transport.recorded.first)
        #expect(entry.fields.contains(.init(name: "OPTUNAD_REQUEST_ID", value: "r-1")))
    }

    @Test("handlers follow a level switch until a logger sets its own level")
    func levelSwitch() {
        let transport = RecordingTransport()
        let writer = JournalWriter(identifier: "optunad", capacity: 64, transport: transport.send)
        let levelSwitch = LogLevelSwitch(.info)
        let makeHandler = { (label: String) in
            SwitchedLevelLogHandler(
                wrapping: JournaldLogHandler(label: label, writer: writer, metadataProvider: nil),
                levelSwitch: levelSwitch
            )
        }
        let following = Logger(label: "following", factory: makeHandler)
        var pinned = Logger(label: "pinned", factory: makeHandler)
        pinned.logLevel = .error

        following.debug("debug before reload")
        levelSwitch.level = .debug
        following.debug("debug after reload")
        pinned.debug("pinned debug")
        #expect(following.logLevel == .debug)
        #expect(pinned.logLevel == .error)

        #expect(writer.flush(timeout: .seconds(5)))
        #expect(transport.messages == ["debug after reload"])
    }
}
