import ArgumentParser
import Logging
import OptunaProtocol
import OptunaServer
import OptunaStorage
import OptunaSystemd
import ServiceLifecycle
import UnixSignals

/// The optunad daemon: wiring only (settings → logging, socket, storage, server and the systemd services).
@main
struct Optunad: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "optunad",
        abstract: "Hyperparameter optimization daemon: Optuna's samplers and pruners over a Unix socket.",
        discussion: """
            Clients ask for parameters and tell results with JSON-RPC 2.0 lines on a Unix stream socket \
            (see optunad-protocol(7)). The storage is an SQLite file in Optuna's own schema by default. \
            Each setting comes from its flag, else its OPTUNAD_* environment variable, else the configuration \
            file, else its default (see optunad.conf(5)). Under systemd, optunad takes the socket passed by \
            socket activation and reports readiness, status and watchdog keep-alives (see optunad(8)).
            """,
        version: version
    )

    @Option(help: ArgumentHelp("Unix socket to listen on, unless systemd passes one.", valueName: "path"))
    var socket: String?

    @Option(
        help: ArgumentHelp(
            "Storage URL: sqlite:///relative.db, sqlite:////abs/path.db or memory:.", valueName: "url"))
    var storage: String?

    @Option(
        help: ArgumentHelp(
            "SQLite durability: normal (a power loss may lose the last commits) or full (fsync every commit).",
            valueName: "level"))
    var sync: String?

    @Option(help: ArgumentHelp("Permission bits of the socket file, octal (default 0660).", valueName: "mode"))
    var socketMode: String?

    @Option(help: ArgumentHelp("Longest request line accepted, in bytes (default 1048576).", valueName: "bytes"))
    var maxRequestBytes: String?

    @Option(
        help: ArgumentHelp(
            "Log level: trace, debug, info, notice, warning, error or critical (default info).", valueName: "level"))
    var logLevel: String?

    @Option(
        help: ArgumentHelp(
            "Where logs go: journal, stderr, or auto (the journal when standard error is connected to it).",
            valueName: "target"))
    var logTarget: String?

    @Option(help: ArgumentHelp("Most connections served at once (default 1024).", valueName: "n"))
    var maxConnections: String?

    @Option(help: ArgumentHelp("Requests queued per connection before reading pauses (default 128).", valueName: "n"))
    var maxPipelined: String?

    @Option(help: ArgumentHelp("Most parameters in one search space or trial (default 10000).", valueName: "n"))
    var maxParams: String?

    @Option(help: ArgumentHelp("Largest attribute value, in bytes of JSON (default 65536).", valueName: "bytes"))
    var maxAttrBytes: String?

    @Option(
        help: ArgumentHelp(
            "Threads that answer requests: auto (half the cores, at least 1) or a number (default auto).",
            valueName: "n"))
    var eventLoops: String?

    @Option(
        help: ArgumentHelp(
            "Microseconds an event loop with nothing to do polls for the next request before it sleeps; 0 never "
                + "(default 100).", valueName: "us"))
    var busyPoll: String?

    @Option(
        help: ArgumentHelp(
            "on: a study belongs to the user who created it (see ACCESS CONTROL in optunad(8)); off: everyone may do "
                + "everything (default on).", valueName: "on|off"))
    var accessControl: String?

    @Option(
        help: ArgumentHelp(
            "Configuration file (default $OPTUNAD_CONFIG, else /etc/optunad/optunad.conf if it exists).",
            valueName: "path"))
    var config: String?

    @Flag(help: "Validate the configuration, print the effective settings and exit (0 valid, 78 invalid).")
    var checkConfig = false

    /// The settings given as flags, by key.
    var flags: [SettingKey: String] {
        let given: [(SettingKey, String?)] = [
            (.socket, socket), (.storage, storage), (.sync, sync), (.socketMode, socketMode),
            (.maxRequestBytes, maxRequestBytes), (.logLevel, logLevel), (.logTarget, logTarget),
            (.maxConnections, maxConnections), (.maxPipelined, maxPipelined), (.maxParams, maxParams),
            (.maxAttrBytes, maxAttrBytes), (.eventLoops, eventLoops), (.busyPoll, busyPoll),
            (.accessControl, accessControl),
        ]
        return Dictionary(uniqueKeysWithValues: given.compactMap { key, value in value.map { (key, $0) } })
    }

    func run() async throws {
        let inputs = DaemonSettings.Inputs(flags: flags, config: config)
        let settings: DaemonSettings
        do {
            settings = try DaemonSettings.resolve(
                inputs, environment: DefaultPaths.processEnvironment, uid: DefaultPaths.uid)
        } catch {
            Console.error("optunad: \(error)")
            throw ExitCode(ExitStatus.config)
        }
        if checkConfig {
            Console.output(settings.rendered())
            return
        }
        let levelSwitch = LogLevelSwitch(settings.logLevel)
        let target = settings.logTarget.bootstrap(
            levelSwitch: levelSwitch, metadataProvider: RequestContext.metadataProvider)
        let logger = Logger(label: "optunad")
        let notifier = Notifier()
        defer { Self.flush(notifier: notifier, target: target) }
        // SIGHUP ends a process by default: trap it before anyone can be told the daemon is ready.
        let hangups = await UnixSignalsSequence(trapping: .sighup)

        let activated = try Self.takeActivatedSocket(logger: logger, notifier: notifier)
        let backend: any Storage
        do {
            backend = try await StorageOpener.open(settings.storage, synchronous: settings.sync, version: Self.version)
        } catch {
            Self.fail("cannot open storage \(settings.storage): \(error)", logger: logger, notifier: notifier)
            throw ExitCode(ExitStatus.config)
        }
        let (listening, listened) = AsyncStream<Void>.makeStream()
        let socketText =
            activated.map { "socket passed by systemd (fd \($0.fileDescriptor), \($0.name))" }
            ?? "socket \(settings.socket)"
        let registry = StudyRegistry(storage: backend)
        var dispatcher = Dispatcher(registry: registry, version: Self.version, logger: logger)
        dispatcher.limits.maximumParams = settings.maxParams
        dispatcher.limits.maximumAttributeBytes = settings.maxAttrBytes
        dispatcher.accessControl = settings.accessControl
        let server = Server(
            configuration: ServerConfiguration(
                socketPath: settings.socket, socketMode: settings.socketMode,
                activatedSocket: activated?.fileDescriptor, maximumRequestBytes: settings.maxRequestBytes,
                maximumPipelined: settings.maxPipelined, maximumConnections: settings.maxConnections,
                eventLoops: settings.eventLoops, busyPollMicroseconds: settings.busyPoll),
            dispatcher: dispatcher, logger: logger,
            onListening: {
                logger.info(
                    "ready",
                    metadata: [
                        "storage": "\(backend.descriptionForClients)", "log_target": "\(target)",
                        "event_loops": "\(settings.eventLoops)", "busy_poll_us": "\(settings.busyPoll)",
                    ])
                notifier.ready(status: "ready: \(socketText), storage \(backend.descriptionForClients)")
                listened.finish()
            })
        let watchdog = WatchdogService(server: server, notifier: notifier, listening: listening, logger: logger)
        let reload = ReloadService(
            signals: hangups, inputs: inputs, settings: settings, levelSwitch: levelSwitch, notifier: notifier,
            logger: logger)
        let status = StatusReporter(server: server, notifier: notifier, watchdog: watchdog)
        let reaper = TrialReaper(registry: registry, logger: logger)
        // Graceful shutdown runs in reverse order: the status reporter says STOPPING=1 first, the watchdog stops last.
        let group = ServiceGroup(
            services: [watchdog, server, reaper, reload, status], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        do {
            try await group.run()
        } catch {
            Self.fail("\(error)", logger: logger, notifier: notifier)
            throw ExitCode(ExitStatus.software)
        }
    }
}

/// The sysexits(3) codes optunad exits with besides 0 (and 64, a usage error, from the argument parser).
enum ExitStatus {
    /// EX_CONFIG: the configuration, the storage or the passed sockets cannot be used.
    static let config: Int32 = 78
    /// EX_SOFTWARE: the server failed while running.
    static let software: Int32 = 70
}
