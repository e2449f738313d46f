#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
public import OptunaCore
import OptunaProtocol

/// A blocking client for one connection to optunad, with plain POSIX sockets.
///
/// Short-lived tools (optunactl, tests, benchmarks) start faster without an event loop; one call is one
/// line out and one line in. Not thread-safe: use one client per thread.
public final class OptunaClient {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var nextID: Int64 = 1
    /// The socket path connected to.
    public let socketPath: String

    /// Connects to the daemon at `socketPath`; with a `timeout`, a read or write that waits longer fails with
    /// ``ClientError/io(_:)`` instead of blocking forever. - Throws: ``ClientError/unreachable(path:reason:)``.
    public init(socketPath: String, timeout: Duration? = nil) throws(ClientError) {
        self.socketPath = socketPath
        guard socketPath.utf8.count <= 107 else {
            throw .unreachable(path: socketPath, reason: "the path is longer than 107 bytes")
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .unreachable(path: socketPath, reason: Self.errnoText()) }
        let rc = UnixSocket.connect(fd, to: socketPath)
        guard rc == 0 else {
            let reason = Self.errnoText()
            close(fd)
            throw .unreachable(path: socketPath, reason: reason)
        }
        if let timeout {
            let (seconds, attoseconds) = timeout.components
            var tv = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        }
        self.fd = fd
    }

    deinit { close(fd) }

    /// Calls `method` and returns its `result`. - Throws: ``ClientError/server(_:)`` for an error answer.
    public func call(_ method: String, _ params: [String: JSONValue] = [:]) throws(ClientError) -> JSONValue {
        let response = try send(RPCRequest(id: .int(nextID), method: method, params: params).json)
        nextID += 1
        return try Self.result(of: response)
    }

    /// Sends one raw JSON value as a line and returns the parsed answer line.
    public func send(_ request: JSONValue) throws(ClientError) -> JSONValue {
        var line: [UInt8] = []
        JSONWriter.write(request, into: &line)
        line.append(0x0A)
        try writeAll(line)
        let answer = try readLine()
        do {
            return try JSONParser.parse(answer)
        } catch {
            throw .malformedResponse(error.description)
        }
    }

    /// Sends raw bytes (the caller frames them).
    public func writeAll(_ bytes: [UInt8]) throws(ClientError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress.map { $0 + offset }, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(Self.errnoText())
            }
            offset += n
        }
    }

    /// Reads one line (without its `\n`). - Throws: ``ClientError/io(_:)`` when the daemon closes first.
    public func readLine() throws(ClientError) -> [UInt8] {
        while true {
            if let i = buffer.firstIndex(of: 0x0A) {
                let line = Array(buffer[..<i])
                buffer.removeSubrange(...i)
                return line
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(Self.errnoText())
            }
            if n == 0 { throw .io("optunad closed the connection") }
            buffer.append(contentsOf: chunk[..<n])
        }
    }

    /// The `result` of a response, or its error as ``ClientError/server(_:)``.
    public static func result(of response: JSONValue) throws(ClientError) -> JSONValue {
        if let error = response["error"] {
            guard let rpc = RPCError(json: error) else { throw .malformedResponse("unreadable error \(error)") }
            throw .server(rpc)
        }
        guard let result = response["result"] else { throw .malformedResponse("no result in \(response)") }
        return result
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
