import Logging
import OptunaStorage

/// Opens the storage a URL names.
enum StorageOpener {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func open(_ url: String, logger: Logger) throws -> any Storage {
        if url == "memory:" || url == "memory" { return InMemoryStorage() }
        throw Failure(description: "unsupported storage URL '\(url)'; use memory:")
    }
}
