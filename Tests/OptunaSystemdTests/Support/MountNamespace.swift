import Glibc

/// Gives the calling thread a private mount namespace with an empty tmpfs on `/run`.
enum MountNamespace {
    /// `CLONE_NEWNS`; Glibc declares it, and `unshare(2)`, only under `_GNU_SOURCE`.
    private static let newMountNamespace: Int32 = 0x0002_0000

    static func hideRun() throws(SystemError) {
        // unshare(2) is looked up at run time because Glibc declares it only under _GNU_SOURCE.
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "unshare") else { throw SystemError(call: "dlsym(unshare)") }
        let unshare = unsafeBitCast(symbol, to: (@convention(c) (Int32) -> Int32).self)
        guard unshare(newMountNamespace) == 0 else { throw SystemError(call: "unshare") }
        // Keep the mount below from propagating back to the host's namespace.
        guard mount(nil, "/", nil, UInt(MS_REC | MS_PRIVATE), nil) == 0 else {
            throw SystemError(call: "mount --make-rprivate /")
        }
        guard mount("tmpfs", "/run", "tmpfs", 0, nil) == 0 else { throw SystemError(call: "mount tmpfs /run") }
    }

    /// Binds a datagram socket at `path` and closes it, leaving a socket file that refuses every datagram.
    static func leaveStaleSocket(at path: String) throws(SystemError) {
        let directory = String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
        var partial = ""
        for component in directory.split(separator: "/") {
            partial += "/" + component
            mkdir(partial, 0o755)
        }
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw SystemError(call: "socket") }
        defer { close(descriptor) }
        guard withSocketAddress(bytes: Array(path.utf8), { bind(descriptor, $0, $1) }) == 0 else {
            throw SystemError(call: "bind \(path)")
        }
    }
}
