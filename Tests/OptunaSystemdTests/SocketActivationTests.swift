import Glibc
import Testing

@testable import OptunaSystemd

/// Socket activation: the check of each inherited descriptor runs on sockets the test opens, and the environment
/// handling runs in exit tests (child processes), since libsystemd always starts at descriptor 3 and reads the
/// process environment.
///
/// A socket really handed over at descriptor 3 is covered end to end by the daemon's tests under
/// `systemd-socket-activate` and under systemd itself.
@Suite struct SocketActivationTests {
    @Test("a listening AF_UNIX stream socket passes the check")
    func acceptsUnixStreamListener() throws {
        let listener = try TestSocket(type: SOCK_STREAM, bound: true, listening: true)
        let sockets = [ActivatedSocket(fileDescriptor: listener.fileDescriptor, name: "optunad")]
        #expect(throws: Never.self) { try SocketActivation.check(sockets) }
    }

    /// A descriptor that is not a listening Unix stream socket.
    enum WrongSocket: String, CaseIterable, Sendable {
        case notListening
        case datagram
        case inet
    }

    @Test("anything else is refused, naming the descriptor", arguments: WrongSocket.allCases)
    func refusesOtherSockets(_ kind: WrongSocket) throws {
        let wrong =
            switch kind {
            case .notListening: try TestSocket(type: SOCK_STREAM, bound: true, listening: false)
            case .datagram: try TestSocket(type: SOCK_DGRAM, bound: true, listening: false)
            case .inet: try TestSocket(inetStream: ())
            }
        let good = try TestSocket(type: SOCK_STREAM, bound: true, listening: true)
        let sockets = [
            ActivatedSocket(fileDescriptor: good.fileDescriptor, name: "optunad"),
            ActivatedSocket(fileDescriptor: wrong.fileDescriptor, name: "other"),
        ]
        #expect(
            throws: SocketActivationError.notAUnixStreamListener(fileDescriptor: wrong.fileDescriptor, name: "other")
        ) {
            try SocketActivation.check(sockets)
        }
    }

    @Test("a descriptor that is not open is reported with its errno")
    func reportsUnopenedDescriptor() {
        // Descriptors at or above the open-file limit can never be open, unlike a just-closed one, which a test
        // running in parallel may reuse at once.
        let number = Int32(clamping: sysconf(Int32(_SC_OPEN_MAX)))
        let sockets = [ActivatedSocket(fileDescriptor: number, name: "gone")]
        #expect(throws: SocketActivationError.inspectionFailed(fileDescriptor: number, name: "gone", errno: EBADF)) {
            try SocketActivation.check(sockets)
        }
    }

    @Test("without LISTEN_FDS the process was not activated")
    func notActivated() async {
        await #expect(processExitsWith: .success) {
            unsetenv("LISTEN_FDS")
            unsetenv("LISTEN_PID")
            unsetenv("LISTEN_FDNAMES")
            let sockets = try SocketActivation.takeListeningSockets()
            #expect(sockets == [])
        }
    }

    @Test("descriptors meant for another process are ignored, and the variables are removed")
    func otherProcess() async {
        await #expect(processExitsWith: .success) {
            setenv("LISTEN_FDS", "1", 1)
            // pid 1 is never the test process.
            setenv("LISTEN_PID", "1", 1)
            setenv("LISTEN_FDNAMES", "optunad", 1)
            let sockets = try SocketActivation.takeListeningSockets()
            #expect(sockets == [])
            #expect(getenv("LISTEN_FDS") == nil)
            #expect(getenv("LISTEN_PID") == nil)
            #expect(getenv("LISTEN_FDNAMES") == nil)
        }
    }

    @Test("a malformed LISTEN_FDS is an error, and the variables are still removed")
    func malformedEnvironment() async {
        await #expect(processExitsWith: .success) {
            setenv("LISTEN_FDS", "three", 1)
            setenv("LISTEN_PID", String(getpid()), 1)
            #expect(throws: SocketActivationError.invalidEnvironment(errno: EINVAL)) {
                try SocketActivation.takeListeningSockets()
            }
            #expect(getenv("LISTEN_FDS") == nil)
            #expect(getenv("LISTEN_PID") == nil)
        }
    }
}

/// A socket opened by a test and closed when the value goes away.
final class TestSocket {
    let fileDescriptor: Int32
    private var path: String?

    /// An `AF_UNIX` socket, optionally bound to a unique path and listening.
    init(type: __socket_type, bound: Bool, listening: Bool) throws(SystemError) {
        fileDescriptor = socket(AF_UNIX, Int32(type.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fileDescriptor >= 0 else { throw SystemError(call: "socket") }
        if bound {
            let path = "/tmp/optunad-activation-\(String(UInt32.random(in: 0...UInt32.max), radix: 16)).sock"
            let result = withSocketAddress(bytes: Array(path.utf8)) { bind(fileDescriptor, $0, $1) }
            guard result == 0 else { throw SystemError(call: "bind") }
            self.path = path
        }
        if listening {
            guard listen(fileDescriptor, 8) == 0 else { throw SystemError(call: "listen") }
        }
    }

    /// A listening `AF_INET` stream socket on the loopback interface.
    init(inetStream: Void) throws(SystemError) {
        fileDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fileDescriptor >= 0 else { throw SystemError(call: "socket") }
        guard listen(fileDescriptor, 8) == 0 else { throw SystemError(call: "listen") }
    }

    deinit {
        close(fileDescriptor)
        if let path { unlink(path) }
    }
}
