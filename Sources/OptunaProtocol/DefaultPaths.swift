#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Where optunad listens and stores by default, from the environment (see optunad(8), FILES).
///
/// Socket: `$OPTUNAD_SOCKET`, else `$RUNTIME_DIRECTORY/optunad.sock` (systemd), else `/run/optunad/optunad.sock`
/// as root, else `$XDG_RUNTIME_DIR/optunad/optunad.sock` (or `/tmp/optunad-$UID/optunad.sock` without it).
/// Storage: `$OPTUNAD_STORAGE`, else `sqlite:///$STATE_DIRECTORY/optunad.db`, else
/// `sqlite:////var/lib/optunad/optunad.db` as root, else `$XDG_STATE_HOME/optunad/optunad.db`
/// (`~/.local/state/optunad/optunad.db`).
public enum DefaultPaths {
    /// The default socket path for an environment and user id.
    public static func socket(environment: [String: String], uid: UInt32) -> String {
        if let s = nonEmpty(environment["OPTUNAD_SOCKET"]) { return s }
        if let d = nonEmpty(environment["RUNTIME_DIRECTORY"]) { return "\(firstPath(d))/optunad.sock" }
        if uid == 0 { return "/run/optunad/optunad.sock" }
        if let d = nonEmpty(environment["XDG_RUNTIME_DIR"]) { return "\(d)/optunad/optunad.sock" }
        return "/tmp/optunad-\(uid)/optunad.sock"
    }

    /// The default storage URL for an environment and user id.
    public static func storage(environment: [String: String], uid: UInt32) -> String {
        if let s = nonEmpty(environment["OPTUNAD_STORAGE"]) { return s }
        if let d = nonEmpty(environment["STATE_DIRECTORY"]) { return "sqlite:///\(firstPath(d))/optunad.db" }
        if uid == 0 { return "sqlite:////var/lib/optunad/optunad.db" }
        if let d = nonEmpty(environment["XDG_STATE_HOME"]) { return "sqlite:///\(d)/optunad/optunad.db" }
        let home = nonEmpty(environment["HOME"]) ?? "/tmp"
        return "sqlite:///\(home)/.local/state/optunad/optunad.db"
    }

    /// The process environment as a dictionary.
    public static var processEnvironment: [String: String] {
        var out: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") { out[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
            p += 1
        }
        return out
    }

    /// The effective user id.
    public static var uid: UInt32 { UInt32(geteuid()) }

    private static func nonEmpty(_ s: String?) -> String? {
        guard let s, !s.isEmpty else { return nil }
        return s
    }

    /// systemd passes a colon-separated list when a unit names several directories; use the first.
    private static func firstPath(_ s: String) -> String {
        String(s.split(separator: ":", maxSplits: 1).first ?? Substring(s))
    }
}
