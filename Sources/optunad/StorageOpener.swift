import Logging
import OptunaStorage

#if canImport(Glibc)
    import Glibc
#endif

/// Opens the storage a `--storage` URL names, creating a SQLite file's directory first.
enum StorageOpener {
    static func open(_ text: String, synchronous: SQLiteStorage.Synchronous, version: String) async throws
        -> any Storage
    {
        let url = try StorageURL(parsing: text)
        if case .sqlite(let path) = url { makeParentDirectory(of: path) }
        return try await url.open(synchronous: synchronous, optunadVersion: version)
    }

    /// `mkdir -p` of the file's directory (mode 0750); failures surface when SQLite opens the file.
    private static func makeParentDirectory(of path: String) {
        guard let slash = path.lastIndex(of: "/") else { return }
        var current = path.hasPrefix("/") ? "" : "."
        for part in path[..<slash].split(separator: "/") {
            current += "/" + part
            _ = mkdir(current, 0o750)
        }
    }
}
