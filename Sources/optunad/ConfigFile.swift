#if canImport(Glibc)
    import Glibc
#endif

/// The configuration file, `/etc/optunad/optunad.conf` by default (see optunad.conf(5)).
///
/// One `key = value` per line; keys are the long flag names without `--`; blank lines and lines whose first
/// non-blank character is `#` are ignored; the value is the rest of the line with surrounding blanks removed, and may
/// be enclosed in double quotes to keep them. An unknown key, a line without `=` or a key given twice is an error
/// naming the line.
struct ConfigFile {
    /// The system-wide file, read when it exists and no other file is named.
    static let defaultPath = "/etc/optunad/optunad.conf"

    /// One assignment and the line it is on (counting from 1).
    struct Entry {
        var key: SettingKey
        var value: String
        var line: Int
    }

    let path: String
    let entries: [Entry]

    /// Parses the text of a file.
    ///
    /// - Throws: ``ConfigurationError`` naming `path` and the line.
    init(path: String, text: String) throws(ConfigurationError) {
        self.path = path
        var entries: [Entry] = []
        var seen: [SettingKey: Int] = [:]
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let number = index + 1
            let line = Self.trimmed(rawLine)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw ConfigurationError(description: "\(path):\(number): expected `key = value`, got `\(line)`")
            }
            let name = Self.trimmed(line[..<equals])
            guard let key = SettingKey(rawValue: name) else {
                let known = SettingKey.allCases.map(\.rawValue).joined(separator: ", ")
                throw ConfigurationError(description: "\(path):\(number): unknown key `\(name)` (known keys: \(known))")
            }
            if let first = seen[key] {
                throw ConfigurationError(description: "\(path):\(number): `\(name)` was already set on line \(first)")
            }
            seen[key] = number
            var value = Self.trimmed(line[line.index(after: equals)...])
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
            }
            entries.append(Entry(key: key, value: value, line: number))
        }
        self.entries = entries
    }

    /// Reads and parses the file at `path`.
    ///
    /// - Parameter required: When `false`, a file that does not exist reads as empty.
    /// - Returns: The parsed file, or `nil` when it does not exist and is not required.
    /// - Throws: ``ConfigurationError`` when the file cannot be read or parsed.
    static func load(path: String, required: Bool) throws(ConfigurationError) -> ConfigFile? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT && !required { return nil }
            throw ConfigurationError(description: "cannot read \(path): \(String(cString: strerror(code)))")
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ConfigurationError(description: "cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[..<count])
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigurationError(description: "\(path) is not UTF-8 text")
        }
        return try ConfigFile(path: path, text: text)
    }

    private static func trimmed(_ text: Substring) -> String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = text.firstIndex(where: { !blank($0) }), let last = text.lastIndex(where: { !blank($0) })
        else {
            return ""
        }
        return String(text[first...last])
    }
}
