import ArgumentParser
import Logging
import OptunaProtocol
import OptunaServer
import OptunaStorage
import ServiceLifecycle
import UnixSignals

/// The optunad daemon: wiring only (options → storage, server, service group).
@main
struct Optunad: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "optunad",
        abstract: "Hyperparameter optimization daemon: Optuna's samplers and pruners over a Unix socket.",
        discussion: """
            Clients ask for parameters and tell results with JSON-RPC 2.0 lines on a Unix stream socket \
            (see optunad-protocol(7)). The storage is an SQLite file in Optuna's own schema by default.
            """,
        version: version
    )

    @Option(name: .long, help: ArgumentHelp("Unix socket to listen on.", valueName: "path"))
    var socket: String?

    @Option(name: .long, help: ArgumentHelp("Storage URL: sqlite:///relative.db, sqlite:////abs/path.db or memory:.", valueName: "url"))
    var storage: String?

    @Option(name: .long, help: ArgumentHelp(
        "SQLite durability: normal (a power loss may lose the last commits) or full (fsync every commit).",
        valueName: "level"))
    var sync: String = "normal"

    @Option(name: .long, help: ArgumentHelp("Permission bits of the socket file, octal.", valueName: "mode"))
    var socketMode: String = "0660"

    @Option(name: .long, help: ArgumentHelp("Longest request line accepted, in bytes.", valueName: "bytes"))
    var maxRequestBytes: Int = 1 << 20

    @Option(name: .long, help: ArgumentHelp("Log level: trace, debug, info, notice, warning, error, critical.", valueName: "level"))
    var logLevel: String = "info"

    func validate() throws {
        guard SQLiteStorage.Synchronous(rawValue: sync) != nil else { throw ValidationError("--sync must be normal or full") }
        guard UInt32(socketMode, radix: 8) != nil else { throw ValidationError("--socket-mode must be octal, e.g. 0660") }
        guard maxRequestBytes >= 1024 else { throw ValidationError("--max-request-bytes must be at least 1024") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "optunad")
        let environment = DefaultPaths.processEnvironment
        let socketPath = socket ?? DefaultPaths.socket(environment: environment, uid: DefaultPaths.uid)
        let storageURL = storage ?? DefaultPaths.storage(environment: environment, uid: DefaultPaths.uid)
        let backend: any Storage
        do {
            backend = try await StorageOpener.open(
                storageURL, synchronous: SQLiteStorage.Synchronous(rawValue: sync) ?? .normal, version: Self.version)
        } catch {
            logger.critical("cannot open storage \(storageURL): \(error)")
            throw ExitCode(EX_CONFIG)
        }
        let registry = StudyRegistry(storage: backend)
        let dispatcher = Dispatcher(registry: registry, version: Self.version, logger: logger)
        let server = Server(
            configuration: ServerConfiguration(
                socketPath: socketPath, socketMode: UInt32(socketMode, radix: 8) ?? 0o660,
                maximumRequestBytes: maxRequestBytes),
            dispatcher: dispatcher, logger: logger,
            onListening: { logger.info("ready", metadata: ["storage": "\(backend.descriptionForClients)"]) })
        let group = ServiceGroup(
            services: [server], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        do {
            try await group.run()
        } catch {
            logger.critical("\(error)")
            throw ExitCode(EX_SOFTWARE)
        }
    }
}

/// sysexits(3) codes used by optunad.
let EX_CONFIG: Int32 = 78
let EX_SOFTWARE: Int32 = 70
