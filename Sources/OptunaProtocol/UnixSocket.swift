#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Connecting to a Unix stream socket by path, shared by the client and the daemon's stale-socket check.
public enum UnixSocket {
    /// Longest `sun_path` the kernel accepts, without the terminating NUL.
    public static let maximumPathBytes = 107

    /// Connects `fd` to the socket at `path`; returns `connect(2)`'s result (0, or -1 with `errno` set).
    public static func connect(_ fd: Int32, to path: String) -> Int32 {
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in bytes.enumerated() where i < raw.count - 1 { raw[i] = b }
        }
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
    }
}
