import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// The process at the other end of a Unix socket connection, as the kernel recorded it when the client connected
/// (`SO_PEERCRED`, see unix(7)).
public struct PeerCredentials: Hashable, Sendable {
    /// The client's process id.
    public var pid: Int32
    /// The client's user id.
    public var uid: UInt32
    /// The client's group id.
    public var gid: UInt32

    /// Creates a value.
    public init(pid: Int32, uid: UInt32, gid: UInt32) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
    }

    /// Reads the credentials of a connected Unix socket channel.
    ///
    /// - Returns: A future that fails when the channel is not a socket channel or the option cannot be read.
    static func of(_ channel: any Channel) -> EventLoopFuture<PeerCredentials> {
        guard let provider = channel as? any SocketOptionProvider else {
            return channel.eventLoop.makeFailedFuture(ChannelError.operationUnsupported)
        }
        // `struct ucred` is three 32-bit fields (pid, uid, gid); Glibc hides the struct behind _GNU_SOURCE.
        let raw: EventLoopFuture<(Int32, UInt32, UInt32)> = provider.unsafeGetSocketOption(
            level: .socket, name: NIOBSDSocket.Option(rawValue: SO_PEERCRED))
        return raw.map { PeerCredentials(pid: $0.0, uid: $0.1, gid: $0.2) }
    }
}
