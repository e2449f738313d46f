import OptunaProtocol

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Prepares a Unix socket path for binding: creates the parent directory, refuses a path where a live
/// daemon listens, and removes a stale socket file left by a dead one.
enum SocketFile {
    /// Why a socket path cannot be used.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Longest `sun_path` the kernel accepts, without the terminating NUL.
    static let maximumPathBytes = 107

    static func prepare(path: String) throws(Failure) {
        guard path.utf8.count <= maximumPathBytes else {
            throw Failure(description: "socket path is longer than \(maximumPathBytes) bytes: \(path)")
        }
        try makeParentDirectory(of: path)
        var st = stat()
        guard lstat(path, &st) == 0 else { return }
        guard (st.st_mode & S_IFMT) == S_IFSOCK else {
            throw Failure(description: "\(path) exists and is not a socket; remove it or choose another --socket")
        }
        if isListening(path) {
            throw Failure(
                description: "another optunad is already listening on \(path); stop it or choose another --socket")
        }
        unlink(path)
    }

    /// Whether something accepts connections on `path` now.
    static func isListening(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let result = UnixSocket.connect(fd, to: path)
        return result == 0
    }

    private static func makeParentDirectory(of path: String) throws(Failure) {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return }
        let dir = String(path[..<slash])
        var current = ""
        for part in dir.split(separator: "/", omittingEmptySubsequences: true) {
            current += "/" + part
            if mkdir(current, 0o755) != 0, errno != EEXIST {
                throw Failure(description: "cannot create directory \(current): \(String(cString: strerror(errno)))")
            }
        }
    }

    static func chmod(path: String, mode: UInt32) throws(Failure) {
        if Glibc.chmod(path, mode_t(mode)) != 0 {
            throw Failure(description: "cannot set mode of \(path): \(String(cString: strerror(errno)))")
        }
    }
}

extension SocketFile {
    /// Removes the socket file at shutdown, unless another process has replaced it since.
    static func removeIfOwned(path: String) {
        var st = stat()
        guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFSOCK, !isListening(path) else { return }
        unlink(path)
    }
}
