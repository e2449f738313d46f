import OptunaStorage
import Testing

/// `--storage` URLs in SQLAlchemy's convention.
@Suite struct StorageURLTests {
    @Test(arguments: [
        ("sqlite:///relative.db", StorageURL.sqlite(path: "relative.db")),
        ("sqlite:///dir/sub.db", .sqlite(path: "dir/sub.db")),
        ("sqlite:////abs/path.db", .sqlite(path: "/abs/path.db")),
        ("sqlite:////var/lib/optunad/optunad.db", .sqlite(path: "/var/lib/optunad/optunad.db")),
        ("memory:", .memory),
    ])
    func parses(text: String, expected: StorageURL) throws {
        let url = try StorageURL(parsing: text)
        #expect(url == expected)
        #expect(url.description == text)
    }

    @Test(arguments: [
        "", "memory", "sqlite://", "sqlite:///", "sqlite:////", "sqlite://host/x.db", "postgresql://x/y",
        "/plain/path.db", "sqlite:///x.db?mode=ro",
    ])
    func refuses(text: String) {
        #expect(throws: StorageURLError.self) { try StorageURL(parsing: text) }
    }

    @Test func errorNamesTheAcceptedForms() {
        let error = #expect(throws: StorageURLError.self) { try StorageURL(parsing: "sqlite://x.db") }
        #expect(error?.description.contains("sqlite:////absolute/path.db") == true)
        #expect(error?.description.contains("'sqlite://x.db'") == true)
    }
}
