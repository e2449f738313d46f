import Foundation
import OptunaClient
import OptunaCore
import Testing

/// A unique directory under `/tmp`, removed with everything in it when the last owner lets go.
final class TestDirectory {
    let path: String

    init() {
        path = "/tmp/optunad-test-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A real optunad process on a unique temporary socket, for the live tests.
final class LiveDaemon {
    let process = Process()
    let socketPath: String
    let directory: String
    let stderrPipe = Pipe()
    /// The directory this daemon (and any started with ``init(storage:sharing:extraArguments:wait:)``) uses,
    /// when it made one: removed once none of them needs it.
    let owned: TestDirectory?

    /// The built executables sit next to the test bundle (or where OPTUNAD_BIN/OPTUNACTL_BIN point).
    static func binary(_ name: String) -> String {
        let env = ProcessInfo.processInfo.environment
        if let path = env[name.uppercased() + "_BIN"] { return path }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent(name).path
    }

    /// A daemon in `directory` (the caller keeps it), or in a directory of its own, removed after it.
    convenience init(storage: String? = nil, directory: String? = nil, extraArguments: [String] = [], wait: Bool = true)
        throws
    {
        let owned = directory == nil ? TestDirectory() : nil
        try self.init(
            storage: storage, directory: directory ?? owned?.path ?? "", owned: owned, extraArguments: extraArguments,
            wait: wait)
    }

    /// A daemon in the directory of `other` (a restart on the same socket path), keeping it alive as long as
    /// either needs it.
    convenience init(storage: String? = nil, sharing other: LiveDaemon, extraArguments: [String] = [], wait: Bool = true)
        throws
    {
        try self.init(
            storage: storage, directory: other.directory, owned: other.owned, extraArguments: extraArguments, wait: wait)
    }

    private init(storage: String?, directory: String, owned: TestDirectory?, extraArguments: [String], wait: Bool) throws {
        self.directory = directory
        self.owned = owned
        socketPath = directory + "/d.sock"
        process.executableURL = URL(fileURLWithPath: Self.binary("optunad"))
        process.arguments = ["--socket", socketPath, "--storage", storage ?? "memory:", "--log-level", "warning"]
            + extraArguments
        process.standardError = stderrPipe
        try process.run()
        if wait { try waitUntilReady() }
    }

    func waitUntilReady() throws {
        for _ in 0..<400 {
            if let c = try? OptunaClient(socketPath: socketPath), (try? c.call("hello")) != nil { return }
            if !process.isRunning { break }
            usleep(20_000)
        }
        throw LiveDaemonError(description: "optunad did not become ready: \(stderrText())")
    }

    /// A client whose reads give up after 30 s, so a broken daemon fails a test instead of hanging it.
    func client() throws -> OptunaClient { try OptunaClient(socketPath: socketPath, timeout: .seconds(30)) }

    /// Sends SIGTERM and returns the exit status.
    @discardableResult
    func stop() -> Int32 {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        return process.terminationStatus
    }

    func stderrText() -> String {
        if process.isRunning { return "" }
        return String(decoding: stderrPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    deinit {
        if process.isRunning {
            process.interrupt()
            process.waitUntilExit()
        }
    }
}

struct LiveDaemonError: Error, CustomStringConvertible {
    var description: String
}

/// Runs a command and returns its exit status, standard output and standard error.
func runCommand(_ path: String, _ arguments: [String], environment: [String: String] = [:], input: String? = nil)
    throws -> (status: Int32, out: String, err: String)
{
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    p.environment = env
    let out = Pipe()
    let err = Pipe()
    let inp = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = inp
    try p.run()
    if let input { inp.fileHandleForWriting.write(Data(input.utf8)) }
    try? inp.fileHandleForWriting.close()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}
