import ArgumentParser
import OptunaClient
import OptunaCore
import OptunaProtocol


#if canImport(Glibc)
import Glibc
#endif

/// Output formats.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, env
}

/// Options every subcommand shares: where the daemon is, and how to print.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "optunad's socket (default: $OPTUNAD_SOCKET, else the daemon's default path).", valueName: "path"))
    var socket: String?

    @Option(name: .long, help: "Output format: table (for people) or json (for scripts).")
    var format: OutputFormat = .table

    /// The socket path to use.
    var socketPath: String {
        socket ?? DefaultPaths.socket(environment: DefaultPaths.processEnvironment, uid: DefaultPaths.uid)
    }

    /// Connects, or exits 69 with advice.
    func connect() throws -> OptunaClient {
        do {
            return try OptunaClient(socketPath: socketPath)
        } catch {
            Stderr.print("optunactl: \(error)")
            Stderr.print(
                "optunactl: is optunad running? Start it with `optunad` (or `systemctl start optunad.socket`), "
                    + "or point --socket or OPTUNAD_SOCKET at its socket.")
            throw ExitCode(69)
        }
    }

    /// Calls a method; server errors exit 1 with the daemon's message, connection failures exit 69.
    func call(_ method: String, _ params: [String: JSONValue] = [:]) throws -> JSONValue {
        let client = try connect()
        do {
            return try client.call(method, params)
        } catch ClientError.server(let e) {
            Stderr.print("optunactl: \(e.message) [\(e.kind.rawValue)]")
            throw ExitCode(1)
        } catch {
            Stderr.print("optunactl: \(error)")
            throw ExitCode(69)
        }
    }
}

/// Writes to standard error.
enum Stderr {
    static func print(_ s: String) {
        let bytes = Array((s + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
}
