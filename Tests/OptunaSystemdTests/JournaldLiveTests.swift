import Dispatch
import Glibc
import Logging
import Testing

@testable import OptunaSystemd

/// Entries sent to a real systemd-journald that the test starts, read back with `journalctl -o json`.
///
/// The tests start and SIGSTOP a system daemon, so they run only as root with consent (`CI=true`, which `.ci/run`
/// has, or `OPTUNAD_TEST_JOURNALD=1`); elsewhere they are reported as skipped with that reason, never as passed.
@Suite(
    .serialized,
    .enabled(if: Journald.canRun, "needs root, systemd-journald, and CI=true or OPTUNAD_TEST_JOURNALD=1")
)
struct JournaldLiveTests {
    private static func uniqueRun() -> String {
        String(UInt64.random(in: 0...UInt64.max), radix: 16)
    }

    @Test("entries carry the message, priority, code location, identifier and OPTUNAD_ fields")
    func fieldsReachTheJournal() throws {
        let journald = try Journald()
        defer { journald.stop() }
        let run = Self.uniqueRun()
        let writer = JournalWriter(capacity: 64)
        var logger = Logger(label: "optunad.test") {
            JournaldLogHandler(label: $0, writer: writer, metadataProvider: nil)
        }
        logger[metadataKey: "test_run"] = "\(run)"

        let infoLine = #line + 1
        logger.info(
            "trial 3 finished",
            metadata: [
                "study": "resnet", "trial": "17", "trial_number": "3", "method": "tell", "client_pid": "4242",
                "client_uid": "1000", "request_id": "r-1",
            ]
        )
        logger.error("storage failed\nsecond line", metadata: ["study": "resnet"])
        #expect(writer.flush(timeout: .seconds(5)))
        #expect(writer.failedCount == 0)

        // The filter a user would type: one study's entries.
        let entries = try Journald.entries(matching: ["OPTUNAD_STUDY=resnet", "OPTUNAD_TEST_RUN=\(run)"], count: 2)
        try #require(entries.count == 2)
        let info = entries[0]
        let expected = [
            "MESSAGE": "trial 3 finished",
            "PRIORITY": "6",
            "SYSLOG_IDENTIFIER": "optunad",
            "CODE_FILE": "OptunaSystemdTests/JournaldLiveTests.swift",
            "CODE_LINE": String(infoLine),
            "CODE_FUNC": "fieldsReachTheJournal()",
            "OPTUNAD_LOGGER": "optunad.test",
            "OPTUNAD_STUDY": "resnet",
            "OPTUNAD_TRIAL": "17",
            "OPTUNAD_TRIAL_NUMBER": "3",
            "OPTUNAD_METHOD": "tell",
            "OPTUNAD_CLIENT_PID": "4242",
            "OPTUNAD_CLIENT_UID": "1000",
            "OPTUNAD_REQUEST_ID": "r-1",
            "_PID": String(getpid()),
        ]
        for (field, value) in expected {
            #expect(info[field] as? String == value, "\(field)")
        }
        #expect(entries[1]["MESSAGE"] as? String == "storage failed\nsecond line")
        #expect(entries[1]["PRIORITY"] as? String == "3")
    }

    @Test("logging 10,000 entries to a SIGSTOPped journald returns; the loss is counted and reported afterwards")
    func stalledJournalDoesNotBlock() throws {
        let journald = try Journald()
        defer { journald.stop() }
        guard journald.isOwned else {
            try Test.cancel("a systemd-journald that this test did not start is running; it will not be SIGSTOPped")
        }
        let identifier = "optunad-test-\(Self.uniqueRun())"
        let writer = JournalWriter(identifier: identifier, capacity: 256)
        let logger = Logger(label: "optunad.test") {
            JournaldLogHandler(label: $0, writer: writer, metadataProvider: nil)
        }
        logger.info("before the stall")
        #expect(writer.flush(timeout: .seconds(5)))

        journald.suspend()
        let finished = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            for index in 0..<10_000 {
                logger.info("entry \(index)")
            }
            finished.signal()
        }
        // Queueing 10,000 entries takes milliseconds, while a caller blocked by the stalled socket would never
        // return. The 5 s bound only tells "returned" from "stuck" on a loaded machine; it measures nothing.
        #expect(finished.wait(timeout: .now() + .seconds(5)) == .success, "logging blocked on a stalled journal")
        let dropped = writer.droppedCount
        // At most 256 queued, about a dozen in the socket and one in flight got through.
        #expect(dropped > 10_000 - 256 - 100)

        journald.resume()
        #expect(writer.flush(timeout: .seconds(10)))
        logger.info("after the stall")
        #expect(writer.flush(timeout: .seconds(10)))

        // Drops can come in more than one run (the writer's thread moves a few entries into the socket while the
        // loop runs), each run reported once; together the reports account for every lost entry, and every entry
        // that was not lost arrived.
        let stored = try Journald.entries(matching: ["SYSLOG_IDENTIFIER=\(identifier)"]) { entries in
            entries.contains { $0["MESSAGE"] as? String == "after the stall" }
        }
        let reported = stored.compactMap { ($0["OPTUNAD_DROPPED"] as? String).flatMap { Int($0) } }
        #expect(!reported.isEmpty)
        #expect(reported.reduce(0, +) == dropped)
        #expect(stored.count - reported.count == 10_000 + 2 - dropped)
        #expect(stored.last?["MESSAGE"] as? String == "after the stall")
    }
}

/// A journal that is not there must cost nothing but the entries.
@Suite struct JournalAbsentTests {
    /// What is at the journal's socket path.
    enum SocketState: String, Codable, Sendable, CaseIterable {
        /// No file: libsystemd discards each entry and reports success.
        case missing
        /// A socket file nobody listens on, as a stopped journald leaves: each send fails with `ECONNREFUSED`.
        case stale
    }

    @Test(
        "without a journal, entries are discarded at once; refused ones are counted",
        .enabled(if: geteuid() == 0, "hiding the journal socket needs a private mount namespace, which needs root"),
        arguments: SocketState.allCases
    )
    func noJournal(state: SocketState) async {
        await #expect(processExitsWith: .success) { [state] in
            // A private mount namespace for this thread with an empty /run, so the state is the same whether or not a
            // journald runs on the machine. The writer's thread, created below by this thread, inherits it.
            try MountNamespace.hideRun()
            #expect(access(Journald.socketPath, F_OK) != 0, "the journal socket is still visible")
            if state == .stale {
                try MountNamespace.leaveStaleSocket(at: Journald.socketPath)
            }

            let writer = JournalWriter(capacity: 64)
            let logger = Logger(label: "optunad.test") {
                JournaldLogHandler(label: $0, writer: writer, metadataProvider: nil)
            }
            for index in 0..<50 {
                logger.info("entry \(index)")
            }
            #expect(writer.flush(timeout: .seconds(5)), "a send without a journal did not return")
            let failed = writer.failedCount
            #expect(failed == (state == .stale ? 50 : 0), "failed: \(failed)")
            #expect(writer.droppedCount == 0, "dropped: \(writer.droppedCount)")
        }
    }
}
