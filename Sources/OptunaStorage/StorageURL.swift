/// A `--storage` value, in SQLAlchemy's URL convention so one string works for optunad, `optuna.load_study`
/// and `optuna-dashboard` alike.
///
/// | URL                       | Storage                                                  |
/// |---------------------------|----------------------------------------------------------|
/// | `sqlite:///relative.db`   | ``SQLiteStorage`` at `relative.db` (working directory)   |
/// | `sqlite:////abs/path.db`  | ``SQLiteStorage`` at `/abs/path.db`                      |
/// | `memory:`                 | ``InMemoryStorage`` (gone when the daemon stops)         |
///
/// SQLAlchemy's `sqlite://` (an in-memory SQLite database) and query parameters (`?mode=ro`) are refused:
/// the first is spelled `memory:` here, and the daemon needs a writable file.
public enum StorageURL: Hashable, Sendable, CustomStringConvertible {
    /// In-memory storage.
    case memory
    /// A SQLite file.
    case sqlite(path: String)

    /// Parses a storage URL.
    ///
    /// - Throws: ``StorageURLError`` naming what is wrong and the accepted forms.
    public init(parsing text: String) throws(StorageURLError) {
        if text == "memory:" {
            self = .memory
            return
        }
        let prefix = "sqlite:///"
        guard text.hasPrefix(prefix) else {
            if text.hasPrefix("sqlite://") {
                throw StorageURLError(
                    text, "a SQLite URL needs three slashes before a relative path and four before an absolute one")
            }
            throw StorageURLError(text, "unknown storage scheme")
        }
        let path = String(text.dropFirst(prefix.count))
        guard !path.isEmpty, path != "/" else { throw StorageURLError(text, "the URL names no file") }
        guard !path.contains("?") else {
            throw StorageURLError(text, "query parameters are not supported")
        }
        guard !path.utf8.contains(0) else { throw StorageURLError(text, "the path contains a NUL byte") }
        self = .sqlite(path: path)
    }

    /// The URL text: `memory:`, `sqlite:///relative.db` or `sqlite:////abs/path.db`.
    public var description: String {
        switch self {
        case .memory: return "memory:"
        case .sqlite(let path): return "sqlite:///" + path
        }
    }

    /// Opens the storage this URL names.
    ///
    /// - Parameters:
    ///   - synchronous: The SQLite durability level (ignored for `memory:`).
    ///   - optunadVersion: Recorded in a new SQLite file's `version_info`.
    /// - Throws: What ``SQLiteStorage/init(path:synchronous:busyTimeout:optunadVersion:)`` throws.
    public func open(synchronous: SQLiteStorage.Synchronous = .normal, optunadVersion: String = "0.1.0")
        async throws(StorageError) -> any Storage
    {
        switch self {
        case .memory: return InMemoryStorage()
        case .sqlite(let path):
            return try await SQLiteStorage(path: path, synchronous: synchronous, optunadVersion: optunadVersion)
        }
    }
}

/// A `--storage` value that is not a storage URL.
public struct StorageURLError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The text given.
    public var text: String
    /// What is wrong with it.
    public var reason: String

    init(_ text: String, _ reason: String) {
        self.text = text
        self.reason = reason
    }

    /// The message, naming the text and the accepted forms.
    public var description: String {
        "invalid storage URL '\(text)': \(reason) (use sqlite:///relative/path.db, sqlite:////absolute/path.db "
            + "or memory:)"
    }
}
