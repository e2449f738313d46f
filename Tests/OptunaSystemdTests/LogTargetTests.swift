import Glibc
import Logging
import Testing

@testable import OptunaSystemd

/// Choosing between the journal and standard error.
@Suite struct LogTargetTests {
    /// A temporary file standing in for the stream systemd connects to standard error.
    final class TemporaryFile {
        let fileDescriptor: Int32
        let device: UInt64
        let inode: UInt64

        init() throws(SystemError) {
            var template = Array("/tmp/optunad-stream-XXXXXX".utf8CString)
            let descriptor = template.withUnsafeMutableBufferPointer { buffer in
                buffer.baseAddress.map { mkstemp($0) } ?? -1
            }
            guard descriptor >= 0 else { throw SystemError(call: "mkstemp") }
            fileDescriptor = descriptor
            // The file only needs a device and an inode; it disappears with the descriptor.
            template.withUnsafeBufferPointer { buffer in _ = buffer.baseAddress.map { unlink($0) } }
            var status = stat()
            fstat(fileDescriptor, &status)
            device = UInt64(status.st_dev)
            inode = UInt64(status.st_ino)
        }

        deinit { close(fileDescriptor) }
    }

    @Test("JOURNAL_STREAM names a descriptor when device and inode both match")
    func matchesDeviceAndInode() throws {
        let file = try TemporaryFile()
        #expect(LogTarget.journalStream("\(file.device):\(file.inode)", names: file.fileDescriptor))
        #expect(!LogTarget.journalStream("\(file.device):\(file.inode + 1)", names: file.fileDescriptor))
        #expect(!LogTarget.journalStream("\(file.device + 1):\(file.inode)", names: file.fileDescriptor))
    }

    @Test(
        "a missing or malformed JOURNAL_STREAM names nothing",
        arguments: [nil, "", "12", "12:", ":34", "a:b", "1:2:3", "-1:5", " 1:2"] as [String?]
    )
    func malformed(value: String?) throws {
        let file = try TemporaryFile()
        #expect(!LogTarget.journalStream(value, names: file.fileDescriptor))
    }

    @Test("a closed descriptor names nothing")
    func closedDescriptor() {
        #expect(!LogTarget.journalStream("1:1", names: -1))
    }

    @Test("auto picks the journal only when standard error is the journal stream; forced targets stay")
    func resolution() throws {
        let file = try TemporaryFile()
        let matching = "\(file.device):\(file.inode)"
        #expect(LogTarget.auto.resolved(journalStream: matching, standardError: file.fileDescriptor) == .journal)
        #expect(LogTarget.auto.resolved(journalStream: "1:1", standardError: file.fileDescriptor) == .stderr)
        #expect(LogTarget.auto.resolved(journalStream: nil, standardError: file.fileDescriptor) == .stderr)
        #expect(LogTarget.journal.resolved(journalStream: nil, standardError: file.fileDescriptor) == .journal)
        #expect(LogTarget.stderr.resolved(journalStream: matching, standardError: file.fileDescriptor) == .stderr)
    }

    @Test("the journal target makes journald handlers and the stderr target stream handlers, both switchable")
    func handlers() {
        let writer = JournalWriter(identifier: "optunad", capacity: 4, transport: RecordingTransport().send)
        let levelSwitch = LogLevelSwitch(.notice)
        let journal = LogTarget.journal.makeHandler(label: "l", levelSwitch: levelSwitch, writer: writer)
        let stream = LogTarget.stderr.makeHandler(label: "l", levelSwitch: levelSwitch, writer: writer)
        #expect(journal is SwitchedLevelLogHandler<JournaldLogHandler>)
        #expect(stream is SwitchedLevelLogHandler<StreamLogHandler>)
        #expect(journal.logLevel == .notice)
        levelSwitch.level = .trace
        #expect(stream.logLevel == .trace)
    }

    @Test("the command-line spellings are the raw values")
    func spellings() {
        #expect(LogTarget.allCases.map(\.rawValue) == ["auto", "journal", "stderr"])
    }
}
