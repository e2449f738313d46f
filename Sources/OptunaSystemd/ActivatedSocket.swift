/// A listening socket inherited from the service manager through socket activation.
///
/// The descriptor belongs to the caller once ``SocketActivation/takeListeningSockets()`` returns it: adopt it (for
/// example with SwiftNIO's `ServerBootstrap.bind(_:)` on a `NIOBSDSocket.Handle`) and never unlink the socket's path,
/// which the `.socket` unit owns.
public struct ActivatedSocket: Hashable, Sendable {
    /// The file descriptor, `SD_LISTEN_FDS_START` (3) or above; it has `FD_CLOEXEC` set.
    public let fileDescriptor: Int32

    /// The name from `FileDescriptorName=` in the `.socket` unit (passed in `LISTEN_FDNAMES`), or `"unknown"` when
    /// the service manager did not name it.
    public let name: String

    /// Creates a value describing an inherited socket.
    ///
    /// - Parameters:
    ///   - fileDescriptor: The inherited descriptor.
    ///   - name: Its name from `LISTEN_FDNAMES`.
    public init(fileDescriptor: Int32, name: String) {
        self.fileDescriptor = fileDescriptor
        self.name = name
    }
}
