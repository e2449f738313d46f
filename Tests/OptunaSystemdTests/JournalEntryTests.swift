import Logging
import Testing

@testable import OptunaSystemd

/// The mapping from a swift-log event to journal fields, tested as a pure function.
@Suite struct JournalEntryTests {
    private static func event(
        _ level: Logger.Level = .info,
        _ message: Logger.Message = "trial finished",
        metadata: Logger.Metadata? = nil,
        error: (any Error)? = nil
    ) -> LogEvent {
        LogEvent(
            level: level,
            message: message,
            error: error,
            metadata: metadata,
            source: "OptunaServer",
            file: "OptunaServer/StudyActor.swift",
            function: "tell(_:)",
            line: 42
        )
    }

    @Test("an event becomes MESSAGE, PRIORITY, identifier, code location, label and OPTUNAD_ fields in key order")
    func fieldsInOrder() {
        let entry = JournalEntry(
            event: Self.event(metadata: ["trial_number": "7", "study": "resnet", "method": "tell"]),
            label: "optunad.server",
            handlerMetadata: ["client_pid": "4242", "client_uid": "1000"],
            provided: ["request_id": "r-9"],
            identifier: "optunad"
        )
        #expect(
            entry.fields == [
                JournalEntry.Field(name: "MESSAGE", value: "trial finished"),
                JournalEntry.Field(name: "PRIORITY", value: "6"),
                JournalEntry.Field(name: "SYSLOG_IDENTIFIER", value: "optunad"),
                JournalEntry.Field(name: "CODE_FILE", value: "OptunaServer/StudyActor.swift"),
                JournalEntry.Field(name: "CODE_LINE", value: "42"),
                JournalEntry.Field(name: "CODE_FUNC", value: "tell(_:)"),
                JournalEntry.Field(name: "OPTUNAD_LOGGER", value: "optunad.server"),
                JournalEntry.Field(name: "OPTUNAD_CLIENT_PID", value: "4242"),
                JournalEntry.Field(name: "OPTUNAD_CLIENT_UID", value: "1000"),
                JournalEntry.Field(name: "OPTUNAD_METHOD", value: "tell"),
                JournalEntry.Field(name: "OPTUNAD_REQUEST_ID", value: "r-9"),
                JournalEntry.Field(name: "OPTUNAD_STUDY", value: "resnet"),
                JournalEntry.Field(name: "OPTUNAD_TRIAL_NUMBER", value: "7"),
            ]
        )
    }

    @Test("event metadata overrides the provider's, which overrides the handler's")
    func metadataPrecedence() {
        let entry = JournalEntry(
            event: Self.event(metadata: ["study": "from-event"]),
            label: "l",
            handlerMetadata: ["study": "from-handler", "trial": "from-handler", "method": "from-handler"],
            provided: ["study": "from-provider", "trial": "from-provider"],
            identifier: "optunad"
        )
        let values = Dictionary(entry.fields.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        #expect(values["OPTUNAD_STUDY"] == "from-event")
        #expect(values["OPTUNAD_TRIAL"] == "from-provider")
        #expect(values["OPTUNAD_METHOD"] == "from-handler")
    }

    struct StorageFailure: Error, CustomStringConvertible {
        var description: String { "disk full" }
    }

    @Test("an event's error is recorded as OPTUNAD_ERROR_MESSAGE and OPTUNAD_ERROR_TYPE")
    func errorFields() {
        let entry = JournalEntry(
            event: Self.event(.error, "write failed", error: StorageFailure()),
            label: "l",
            handlerMetadata: [:],
            provided: nil,
            identifier: "optunad"
        )
        #expect(entry.fields.contains(.init(name: "OPTUNAD_ERROR_MESSAGE", value: "disk full")))
        #expect(
            entry.fields.contains(
                JournalEntry.Field(name: "OPTUNAD_ERROR_TYPE", value: String(reflecting: StorageFailure.self))
            )
        )
        #expect(entry.fields.contains(.init(name: "PRIORITY", value: "3")))
    }

    @Test(
        "levels map to syslog priorities",
        arguments: [
            (Logger.Level.trace, 7), (.debug, 7), (.info, 6), (.notice, 5), (.warning, 4), (.error, 3), (.critical, 2),
        ]
    )
    func priorities(level: Logger.Level, priority: Int) {
        #expect(JournalEntry.priority(of: level) == priority)
    }

    @Test(
        "metadata keys become upper-case OPTUNAD_ field names",
        arguments: [
            ("study", "OPTUNAD_STUDY"),
            ("trial", "OPTUNAD_TRIAL"),
            ("trial_number", "OPTUNAD_TRIAL_NUMBER"),
            ("method", "OPTUNAD_METHOD"),
            ("client_pid", "OPTUNAD_CLIENT_PID"),
            ("client_uid", "OPTUNAD_CLIENT_UID"),
            ("request_id", "OPTUNAD_REQUEST_ID"),
            ("error.message", "OPTUNAD_ERROR_MESSAGE"),
            ("Client-PID 2", "OPTUNAD_CLIENT_PID_2"),
            ("étude", "OPTUNAD__TUDE"),
            (String(repeating: "k", count: 80), "OPTUNAD_" + String(repeating: "K", count: 56)),
        ]
    )
    func fieldNames(key: String, field: String) {
        #expect(JournalEntry.fieldName(forMetadataKey: key) == field)
    }

    @Test("an empty metadata key has no field")
    func emptyKey() {
        #expect(JournalEntry.fieldName(forMetadataKey: "") == nil)
    }

    @Test("nested metadata values are written in swift-log's textual form")
    func nestedValues() {
        let entry = JournalEntry(
            event: Self.event(metadata: ["params": ["lr": "0.1"], "tags": ["a", "b"]]),
            label: "l",
            handlerMetadata: [:],
            provided: nil,
            identifier: "optunad"
        )
        #expect(entry.fields.contains(.init(name: "OPTUNAD_PARAMS", value: #"["lr": "0.1"]"#)))
        #expect(entry.fields.contains(.init(name: "OPTUNAD_TAGS", value: #"["a", "b"]"#)))
    }

    @Test("each field is sent as NAME=value bytes; newlines stay in the value")
    func payloads() {
        let entry = JournalEntry(fields: [
            .init(name: "MESSAGE", value: "line one\nline two"),
            .init(name: "OPTUNAD_STUDY", value: "résumé"),
        ])
        #expect(entry.payloads == [Array("MESSAGE=line one\nline two".utf8), Array("OPTUNAD_STUDY=résumé".utf8)])
    }

    @Test("the drop report names the number lost")
    func dropReport() {
        #expect(
            JournalEntry.droppedReport(count: 12, identifier: "optunad").fields == [
                JournalEntry.Field(name: "MESSAGE", value: "dropped 12 log entries: the journal did not keep up"),
                JournalEntry.Field(name: "PRIORITY", value: "4"),
                JournalEntry.Field(name: "SYSLOG_IDENTIFIER", value: "optunad"),
                JournalEntry.Field(name: "OPTUNAD_DROPPED", value: "12"),
            ]
        )
    }
}
