import Logging
import NIOCore
import OptunaProtocol
import OptunaStorage
import OptunaSystemd

/// optunad's effective configuration: each setting from a flag, else the environment, else the configuration file,
/// else its default, validated.
struct DaemonSettings {
    var socket: String
    var storage: String
    var sync: SQLiteStorage.Synchronous
    var socketMode: UInt32
    var maxRequestBytes: Int
    var logLevel: Logger.Level
    var logTarget: LogTarget
    var maxConnections: Int
    var maxPipelined: Int
    var maxParams: Int
    var maxAttrBytes: Int
    /// Threads that read, answer and (for cheap samplers) sample requests.
    var eventLoops: Int
    /// Microseconds an idle event loop polls for new work before it sleeps; 0: it sleeps at once.
    var busyPoll: Int
    var accessControl: Bool
    /// Every setting's value as text and where it came from.
    var values: [SettingKey: (text: String, source: SettingSource)]
    /// The configuration file named or found, and whether it existed.
    var configPath: String
    var configFound: Bool

    /// What a reload re-reads: the flags and the `--config` path given at start.
    struct Inputs {
        var flags: [SettingKey: String]
        var config: String?
    }

    /// Resolves and validates the configuration.
    ///
    /// - Parameters:
    ///   - inputs: The flags given on the command line, and `--config`.
    ///   - environment: The process environment (`OPTUNAD_*`, and the variables the default paths depend on).
    ///   - uid: The effective user id, which chooses the default paths.
    /// - Throws: ``ConfigurationError`` naming the first bad setting and where it came from.
    static func resolve(_ inputs: Inputs, environment: [String: String], uid: UInt32) throws(ConfigurationError)
        -> DaemonSettings
    {
        let explicitPath = inputs.config ?? environment["OPTUNAD_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        let configPath = explicitPath ?? ConfigFile.defaultPath
        let file = try ConfigFile.load(path: configPath, required: explicitPath != nil)

        // The defaults of the paths must not see the OPTUNAD_* variables: those rank above the file.
        var plain = environment
        plain["OPTUNAD_SOCKET"] = nil
        plain["OPTUNAD_STORAGE"] = nil
        let defaults: [SettingKey: String] = [
            .socket: DefaultPaths.socket(environment: plain, uid: uid),
            .storage: DefaultPaths.storage(environment: plain, uid: uid),
            .sync: "normal", .socketMode: "0660", .maxRequestBytes: String(1 << 20), .logLevel: "info",
            .logTarget: "auto", .maxConnections: "1024", .maxPipelined: "128", .maxParams: "10000",
            .maxAttrBytes: String(64 * 1024), .eventLoops: "auto", .busyPoll: "100",
            .accessControl: "on",
        ]
        var values: [SettingKey: (text: String, source: SettingSource)] = [:]
        for key in SettingKey.allCases {
            if let value = inputs.flags[key] {
                values[key] = (value, .flag(key))
            } else if let value = environment[key.environmentVariable], !value.isEmpty {
                values[key] = (value, .environment(key.environmentVariable))
            } else if let entry = file?.entries.last(where: { $0.key == key }) {
                values[key] = (entry.value, .file(path: configPath, line: entry.line))
            } else {
                values[key] = (defaults[key] ?? "", .defaultValue)
            }
        }
        return try DaemonSettings(values: values, configPath: configPath, configFound: file != nil)
    }

    private init(
        values: [SettingKey: (text: String, source: SettingSource)], configPath: String, configFound: Bool
    ) throws(ConfigurationError) {
        func text(_ key: SettingKey) -> String { values[key]?.text ?? "" }
        func invalid(_ key: SettingKey, _ rule: String) -> ConfigurationError {
            let source = values[key]?.source.description ?? "default"
            return ConfigurationError(description: "\(key.rawValue) `\(text(key))` (from \(source)) \(rule)")
        }
        self.values = values
        self.configPath = configPath
        self.configFound = configFound
        socket = text(.socket)
        guard !socket.isEmpty, socket.utf8.count <= 107 else {
            throw invalid(.socket, "must be a path of 1 to 107 bytes")
        }
        storage = text(.storage)
        do {
            _ = try StorageURL(parsing: storage)
        } catch {
            throw invalid(.storage, "is not a storage URL: \(error)")
        }
        guard let sync = SQLiteStorage.Synchronous(rawValue: text(.sync)) else {
            throw invalid(.sync, "must be normal or full")
        }
        self.sync = sync
        guard let mode = UInt32(text(.socketMode), radix: 8), mode <= 0o777 else {
            throw invalid(.socketMode, "must be octal permission bits such as 0660")
        }
        socketMode = mode
        guard let bytes = Int(text(.maxRequestBytes)), bytes >= 1024 else {
            throw invalid(.maxRequestBytes, "must be a whole number of bytes, at least 1024")
        }
        maxRequestBytes = bytes
        guard let level = Logger.Level(rawValue: text(.logLevel)) else {
            throw invalid(.logLevel, "must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        logLevel = level
        guard let target = LogTarget(rawValue: text(.logTarget)) else {
            throw invalid(.logTarget, "must be one of \(LogTarget.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        logTarget = target
        func count(_ key: SettingKey, _ range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
            guard let n = Int(text(key)), range.contains(n) else {
                throw invalid(key, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return n
        }
        maxConnections = try count(.maxConnections, 1...1_000_000)
        maxPipelined = try count(.maxPipelined, 1...100_000)
        maxParams = try count(.maxParams, 1...1_000_000)
        maxAttrBytes = try count(.maxAttrBytes, 16...(64 << 20))
        if text(.eventLoops) == "auto" {
            eventLoops = Self.automaticEventLoops(cores: System.coreCount)
        } else {
            guard let n = Int(text(.eventLoops)), (1...1024).contains(n) else {
                throw invalid(.eventLoops, "must be auto or a whole number from 1 to 1024")
            }
            eventLoops = n
        }
        busyPoll = try count(.busyPoll, 0...10_000)
        switch text(.accessControl) {
        case "on": accessControl = true
        case "off": accessControl = false
        default: throw invalid(.accessControl, "must be on or off")
        }
    }

    /// `event-loops = auto`: half the cores (those the process may use), at least one. The other half is left to
    /// what runs beside the loops: the SQLite writer and checkpoint threads, costly samplers on Swift's
    /// global executor and, usually, the training jobs that are the daemon's clients. On a 2-core machine one
    /// loop answered 4 clients' ask+tell pairs 30–45% faster than two (memory storage): with two, requests on
    /// one study from both loops hand the study back and forth between threads.
    static func automaticEventLoops(cores: Int) -> Int {
        max(1, cores / 2)
    }

    /// The settings whose values differ from `other`'s, in flag order.
    func changes(from other: DaemonSettings) -> [SettingKey] {
        SettingKey.allCases.filter { values[$0]?.text != other.values[$0]?.text }
    }

    /// The configuration in the file's own format, each value preceded by a comment saying where it came from, as
    /// `--check-config` prints it.
    func rendered() -> String {
        let file = configFound ? configPath : "\(configPath) (not found)"
        var lines = ["# optunad configuration: flags > environment > \(file) > defaults"]
        for key in SettingKey.allCases {
            guard let (text, source) = values[key] else { continue }
            let needsQuotes =
                text.first.map { $0 == " " || $0 == "\t" || $0 == "\"" } == true || text.last == " "
                || text.last == "\t"
            let quoted = needsQuotes ? "\"\(text)\"" : text
            lines.append("# \(source)")
            lines.append("\(key.rawValue) = \(quoted)")
        }
        return lines.joined(separator: "\n")
    }
}
