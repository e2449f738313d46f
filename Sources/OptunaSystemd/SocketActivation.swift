import CSystemd
import Glibc

/// Takes the listening sockets that systemd passes to a socket-activated service (`sd_listen_fds_with_names(3)`).
///
/// With an enabled `optunad.socket`, systemd owns `/run/optunad/optunad.sock`, queues clients that connect before the
/// daemon runs, and passes the socket as file descriptor 3 with `LISTEN_FDS`, `LISTEN_PID` and `LISTEN_FDNAMES`. A
/// daemon started any other way sees no such variables and binds its own socket.
public enum SocketActivation {
    /// Returns the listening sockets passed to this process, in descriptor order, and removes `LISTEN_FDS`,
    /// `LISTEN_PID` and `LISTEN_FDNAMES` from the environment so child processes do not think they were passed too.
    ///
    /// Each descriptor is checked to be a listening `AF_UNIX` stream socket.
    ///
    /// - Important: Call it once, early, before anything else opens files: the variables are gone afterwards, so a
    ///   second call returns an empty array.
    /// - Returns: The inherited sockets, or an empty array when the process was not socket-activated (the variables
    ///   are unset, or `LISTEN_PID` names another process).
    /// - Throws: ``SocketActivationError`` when the variables are malformed or a descriptor is not a listening Unix
    ///   stream socket. The descriptors are left open; the caller decides whether to carry on without them.
    public static func takeListeningSockets() throws(SocketActivationError) -> [ActivatedSocket] {
        var names: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
        let count = sd_listen_fds_with_names(1, &names)
        defer { freeNames(names) }
        guard count >= 0 else { throw .invalidEnvironment(errno: -count) }

        let sockets = (0..<count).map { index in
            ActivatedSocket(
                fileDescriptor: SD_LISTEN_FDS_START + index,
                name: names?[Int(index)].map { String(cString: $0) } ?? "unknown"
            )
        }
        try check(sockets)
        return sockets
    }

    /// Checks that each socket's descriptor is a listening `AF_UNIX` stream socket.
    ///
    /// - Throws: ``SocketActivationError`` for the first descriptor that fails the check.
    static func check(_ sockets: [ActivatedSocket]) throws(SocketActivationError) {
        for socket in sockets {
            let result = sd_is_socket_unix(socket.fileDescriptor, Int32(SOCK_STREAM.rawValue), 1, nil, 0)
            if result < 0 {
                throw .inspectionFailed(fileDescriptor: socket.fileDescriptor, name: socket.name, errno: -result)
            }
            if result == 0 {
                throw .notAUnixStreamListener(fileDescriptor: socket.fileDescriptor, name: socket.name)
            }
        }
    }

    /// Frees the `NULL`-terminated string array that `sd_listen_fds_with_names` allocates.
    private static func freeNames(_ names: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) {
        guard let names else { return }
        var index = 0
        while let name = names[index] {
            free(name)
            index += 1
        }
        free(names)
    }
}
