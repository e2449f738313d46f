/// Why the sockets passed by the service manager could not be taken.
public enum SocketActivationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// `LISTEN_FDS`, `LISTEN_PID` or `LISTEN_FDNAMES` could not be parsed; `errno` is the positive error number
    /// libsystemd reported.
    case invalidEnvironment(errno: Int32)

    /// An inherited descriptor is not a listening `AF_UNIX` stream socket, which is the only kind optunad serves on.
    case notAUnixStreamListener(fileDescriptor: Int32, name: String)

    /// Inspecting an inherited descriptor failed; `errno` is the positive error number.
    case inspectionFailed(fileDescriptor: Int32, name: String, errno: Int32)

    /// A sentence naming the descriptor and the cause.
    public var description: String {
        switch self {
        case .invalidEnvironment(let errno):
            "the socket activation environment (LISTEN_FDS, LISTEN_PID, LISTEN_FDNAMES) is invalid (errno \(errno))"
        case .notAUnixStreamListener(let fileDescriptor, let name):
            "inherited file descriptor \(fileDescriptor) (\(name)) is not a listening AF_UNIX stream socket"
        case .inspectionFailed(let fileDescriptor, let name, let errno):
            "cannot inspect inherited file descriptor \(fileDescriptor) (\(name)) (errno \(errno))"
        }
    }
}
