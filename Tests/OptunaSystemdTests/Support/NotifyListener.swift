import Glibc

/// A stand-in for systemd's notify socket: an `AF_UNIX` datagram socket with `SO_PASSCRED`, so each message arrives
/// with the sender's process id, bound either at a file-system path or at an abstract name.
final class NotifyListener {
    /// One datagram: the `KEY=value` lines and the sending process.
    struct Message: Equatable {
        var text: String
        var pid: pid_t
    }

    /// The value to put in `NOTIFY_SOCKET`: the path, or `@` and the abstract name.
    let address: String
    private let fileDescriptor: Int32
    private let path: String?

    /// Binds a fresh socket with a unique name.
    ///
    /// - Parameter abstract: Bind in the abstract namespace instead of the file system.
    init(abstract: Bool) throws(SystemError) {
        let unique = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let name = abstract ? "optunad-test-notify-\(unique)" : "/tmp/optunad-notify-\(unique).sock"
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw SystemError(call: "socket") }
        var on: Int32 = 1
        // SO_PASSCRED (16): the kernel attaches the sender's credentials to every datagram.
        setsockopt(descriptor, SOL_SOCKET, 16, &on, socklen_t(MemoryLayout<Int32>.size))

        var bytes = Array(name.utf8)
        if abstract { bytes.insert(0, at: 0) }
        let result = withSocketAddress(bytes: bytes) { address, length in bind(descriptor, address, length) }
        guard result == 0 else {
            let error = SystemError(call: "bind")
            close(descriptor)
            throw error
        }
        fileDescriptor = descriptor
        self.address = abstract ? "@" + name : name
        self.path = abstract ? nil : name
    }

    deinit {
        close(fileDescriptor)
        if let path { unlink(path) }
    }

    /// Waits up to `timeoutMilliseconds` for one datagram.
    ///
    /// - Returns: The message, or `nil` if none arrived in time.
    func receive(timeoutMilliseconds: Int32 = 5_000) -> Message? {
        var poller = pollfd(fd: fileDescriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, timeoutMilliseconds) == 1 else { return nil }

        var data = [UInt8](repeating: 0, count: 4096)
        var control = [UInt8](repeating: 0, count: 64)
        let received = data.withUnsafeMutableBytes { dataBytes in
            control.withUnsafeMutableBytes { controlBytes in
                var vector = iovec(iov_base: dataBytes.baseAddress, iov_len: dataBytes.count)
                return withUnsafeMutablePointer(to: &vector) { vectorPointer in
                    var header = msghdr()
                    header.msg_iov = vectorPointer
                    header.msg_iovlen = 1
                    header.msg_control = controlBytes.baseAddress
                    header.msg_controllen = controlBytes.count
                    return recvmsg(fileDescriptor, &header, 0)
                }
            }
        }
        guard received >= 0 else { return nil }
        return Message(text: String(decoding: data[..<received], as: UTF8.self), pid: Self.senderPID(control))
    }

    /// Reads the pid from an `SCM_CREDENTIALS` control message: a `cmsghdr` (16 bytes on 64-bit Linux, already
    /// aligned) followed by `struct ucred { pid_t pid; uid_t uid; gid_t gid; }`.
    private static func senderPID(_ control: [UInt8]) -> pid_t {
        let headerSize = MemoryLayout<cmsghdr>.size
        return control.withUnsafeBytes { bytes in
            let header = bytes.loadUnaligned(as: cmsghdr.self)
            // SCM_CREDENTIALS is 2; Glibc declares it only under _GNU_SOURCE.
            guard header.cmsg_level == SOL_SOCKET, header.cmsg_type == 2 else { return -1 }
            return bytes.loadUnaligned(fromByteOffset: headerSize, as: pid_t.self)
        }
    }
}

/// Calls `body` with a `sockaddr_un` holding `bytes` as its path (a leading zero byte makes it abstract).
func withSocketAddress<T>(bytes: [UInt8], _ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path) ?? 2
    withUnsafeMutableBytes(of: &address.sun_path) { path in
        for (index, byte) in bytes.prefix(path.count - 1).enumerated() { path[index] = byte }
    }
    let length = socklen_t(pathOffset + min(bytes.count, 107) + (bytes.first == 0 ? 0 : 1))
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
    }
}

/// A failed system call with its `errno`.
struct SystemError: Error, CustomStringConvertible {
    var call: String
    var errno: Int32

    init(call: String) {
        self.call = call
        self.errno = Glibc.errno
    }

    var description: String { "\(call) failed: \(String(cString: strerror(errno)))" }
}
