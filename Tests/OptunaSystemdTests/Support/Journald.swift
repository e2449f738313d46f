import Foundation
import Glibc

/// A systemd-journald started by a test, as `.ci/run` may do on a machine whose PID 1 is not systemd, and the
/// `journalctl` queries that read back what it stored.
final class Journald {
    static let executable = "/lib/systemd/systemd-journald"
    static let socketPath = "/run/systemd/journal/socket"

    /// Why the live journald tests may run here, or `nil`: they start and signal a system daemon, so they need root,
    /// the journald binary, and explicit consent (`CI=true`, or `OPTUNAD_TEST_JOURNALD=1` on a developer machine).
    static var refusal: String? {
        let environment = ProcessInfo.processInfo.environment
        guard environment["CI"] == "true" || environment["OPTUNAD_TEST_JOURNALD"] == "1" else {
            return "set CI=true or OPTUNAD_TEST_JOURNALD=1 to let the test start systemd-journald"
        }
        guard geteuid() == 0 else { return "starting systemd-journald needs root" }
        guard access(executable, X_OK) == 0 else { return "\(executable) is not installed" }
        return nil
    }

    static var canRun: Bool { refusal == nil }

    /// Whether something accepts datagrams at the journal's socket right now (a stale socket file refuses them).
    static func socketAnswers() -> Bool {
        let probe = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard probe >= 0 else { return false }
        defer { close(probe) }
        return withSocketAddress(bytes: Array(socketPath.utf8)) { connect(probe, $0, $1) } == 0
    }

    /// The journald this object started, or `nil` when one was already running (and is not ours to stop).
    private let process: Process?

    /// Whether this object started the journald, and so may suspend and stop it.
    var isOwned: Bool { process != nil }

    /// The journald's pid, if this object started it.
    var pid: pid_t? { process?.processIdentifier }

    /// Starts systemd-journald, unless one already answers, and waits until its socket accepts entries.
    init() throws {
        guard !Self.socketAnswers() else {
            process = nil
            return
        }
        try FileManager.default.createDirectory(atPath: "/run/systemd/journal", withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        // journald is usually ready in about 25 ms; wait up to 10 s on a slow machine.
        for _ in 0..<1000 where !Self.socketAnswers() {
            usleep(10_000)
        }
        guard Self.socketAnswers() else {
            stop()
            throw JournaldError.notReady
        }
    }

    deinit {
        stop()
    }

    /// Freezes journald with SIGSTOP: its socket stays but nobody reads it.
    func suspend() {
        if let pid { kill(pid, SIGSTOP) }
    }

    /// Lets a suspended journald run again.
    func resume() {
        if let pid { kill(pid, SIGCONT) }
    }

    /// Stops the journald this object started.
    func stop() {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGCONT)
        process.terminate()
        process.waitUntilExit()
    }

    /// The stored entries matching every `FIELD=value` in `matches`, as `journalctl -o json` prints them.
    ///
    /// - Parameters:
    ///   - matches: The field matches, all of which must hold.
    ///   - count: The number of entries to wait for; the query repeats until that many are stored or 10 s have passed.
    static func entries(matching matches: [String], count: Int) throws -> [[String: Any]] {
        try entries(matching: matches) { $0.count >= count }
    }

    /// The stored entries matching every `FIELD=value` in `matches`, queried again until `isComplete` accepts them or
    /// 10 s have passed.
    static func entries(
        matching matches: [String],
        until isComplete: ([[String: Any]]) -> Bool
    ) throws
        -> [[String: Any]]
    {
        var entries: [[String: Any]] = []
        for _ in 0..<200 {
            entries = try query(matches)
            if isComplete(entries) { break }
            usleep(50_000)
        }
        return entries
    }

    private static func query(_ matches: [String]) throws -> [[String: Any]] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/journalctl")
        process.arguments = ["--no-pager", "--output=json"] + matches
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return try data.split(separator: UInt8(ascii: "\n")).compactMap {
            try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any]
        }
    }
}

enum JournaldError: Error {
    case notReady
}
