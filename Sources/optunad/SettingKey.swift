/// One setting of optunad. Its name is the long flag (`--log-level`), the configuration file key (`log-level`) and,
/// upper-cased with `_` for `-` and prefixed with `OPTUNAD_`, the environment variable (`OPTUNAD_LOG_LEVEL`).
enum SettingKey: String, CaseIterable, Comparable {
    case socket
    case storage
    case sync
    case socketMode = "socket-mode"
    case maxRequestBytes = "max-request-bytes"
    case logLevel = "log-level"
    case logTarget = "log-target"
    case maxConnections = "max-connections"
    case maxPipelined = "max-pipelined"
    case maxParams = "max-params"
    case maxAttrBytes = "max-attr-bytes"
    case eventLoops = "event-loops"
    case busyPoll = "busy-poll"
    case accessControl = "access-control"

    /// The environment variable that sets it.
    var environmentVariable: String {
        "OPTUNAD_" + String(rawValue.map { $0 == "-" ? "_" : Character($0.uppercased()) })
    }

    /// Whether a configuration reload (SIGHUP) applies a change at once; the others take effect on restart.
    var appliesOnReload: Bool {
        self == .logLevel
    }

    static func < (lhs: SettingKey, rhs: SettingKey) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}

/// Where the value of a setting came from; flags win over the environment, the environment over the configuration
/// file, and the file over the defaults.
enum SettingSource: Hashable, CustomStringConvertible {
    case flag(SettingKey)
    case environment(String)
    case file(path: String, line: Int)
    case defaultValue

    var description: String {
        switch self {
        case .flag(let key): "flag --\(key.rawValue)"
        case .environment(let name): "environment \(name)"
        case .file(let path, let line): "\(path):\(line)"
        case .defaultValue: "default"
        }
    }
}

/// A configuration that cannot be used; the message names the setting and where its value came from.
struct ConfigurationError: Error, CustomStringConvertible {
    var description: String
}
