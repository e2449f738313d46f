public import Logging
import NIOCore
import NIOPosix
import OptunaStorage
public import ServiceLifecycle

/// The optunad server: listens on a Unix stream socket and answers JSON-RPC lines.
///
/// As a `Service` it runs until graceful shutdown (SIGTERM/SIGINT through `ServiceGroup`): then it stops
/// accepting, lets requests in flight finish (up to ``ServerConfiguration/drainTimeoutSeconds``), closes every
/// connection and finally closes the storage.
public final class Server: Service {
    let configuration: ServerConfiguration
    let dispatcher: Dispatcher
    let logger: Logger
    let tracker = ConnectionTracker()
    let onListening: @Sendable () -> Void
    /// The event loops: ``ServerConfiguration/eventLoops`` threads, shut down when ``run()`` ends.
    let loops: MultiThreadedEventLoopGroup
    /// Polls the loops' selectors between requests (``ServerConfiguration/busyPollMicroseconds``).
    let busyPoll: BusyPoll

    /// Creates a server; `onListening` runs once the socket accepts connections (e.g. to send READY=1).
    public init(
        configuration: ServerConfiguration, dispatcher: Dispatcher, logger: Logger,
        onListening: @escaping @Sendable () -> Void = {}
    ) {
        self.configuration = configuration
        self.dispatcher = dispatcher
        self.logger = logger
        self.onListening = onListening
        busyPoll = BusyPoll(microseconds: configuration.busyPollMicroseconds)
        loops = MultiThreadedEventLoopGroup(numberOfThreads: configuration.eventLoops, metricsDelegate: busyPoll)
    }

    /// The most requests in flight at which the storage defers trial writes to the end of the loop's turn.
    ///
    /// A lone request commits at once: nobody could share its commit. With a few in flight, the writes a loop
    /// queues in one turn commit together at its end, on the loop, without waking the writer thread and
    /// being woken by it (on 2 cores, 4 clients on one study: 4,300-4,700 -> 5,200-5,400 ask+tell pairs/s on
    /// SQLite). With more, the loop has plenty to do and the writer thread's group commits keep the commits
    /// off it (16 clients: 5,500-5,800 pairs/s deferring every write, 6,200-6,500 with this limit).
    static let deferredCommitLimit = 6

    /// Requests answered so far.
    public var requestsServed: UInt64 { tracker.served }
    /// Connections open now.
    public var connectionCount: Int { tracker.connectionCount }

    public func run() async throws {
        let tracker = self.tracker
        let limit = Self.deferredCommitLimit
        dispatcher.registry.storage.deferCommits { commit in
            let inFlight = tracker.inFlight
            guard inFlight > 1, inFlight <= limit, let loop = MultiThreadedEventLoopGroup.currentEventLoop else {
                return false
            }
            loop.execute(commit)
            return true
        }
        await startBusyPolling()
        let channel = try await bind()
        onListening()
        try? await gracefulShutdown()
        logger.info("shutting down: no new connections, draining requests in flight")
        try? await channel.close()
        var waited = 0.0
        while tracker.inFlight > 0, waited < configuration.drainTimeoutSeconds {
            try? await Task.sleep(for: .milliseconds(10))
            waited += 0.01
        }
        for c in tracker.channels { try? await c.close() }
        await dispatcher.registry.storage.close()
        if configuration.activatedSocket == nil {
            SocketFile.removeIfOwned(path: configuration.socketPath)
        }
        await busyPoll.stopPolling(loopsOf: loops)
        try? await loops.shutdownGracefully()
        logger.info("stopped")
    }

    /// Finds each loop's selector and lets the loop busy-poll it; a loop whose selector is not found sleeps as
    /// NIO does.
    private func startBusyPolling() async {
        guard busyPoll.enabled else { return }
        let total = configuration.eventLoops
        let adopted = await busyPoll.adopt(loopsOf: loops)
        if adopted < total {
            logger.notice(
                "busy polling off on \(total - adopted) of \(total) event loops: their epoll instance was not found",
                metadata: ["busy_poll_us": "\(configuration.busyPollMicroseconds)"])
        }
    }

    private func bind() async throws -> any Channel {
        let tracker = self.tracker
        let dispatcher = self.dispatcher
        let maxBytes = configuration.maximumRequestBytes
        let maxPipelined = configuration.maximumPipelined
        let maxConnections = configuration.maximumConnections
        let bootstrap = ServerBootstrap(group: loops)
            .serverChannelOption(.backlog, value: 256)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ConnectionHandler(
                            dispatcher: dispatcher, tracker: tracker, maximumLineBytes: maxBytes,
                            maximumPipelined: maxPipelined, maximumConnections: maxConnections))
                }
            }
        if let fd = configuration.activatedSocket {
            let channel = try await bootstrap.withBoundSocket(fd).get()
            logger.info("listening on the socket passed by systemd", metadata: ["fd": "\(fd)"])
            return channel
        }
        let path = configuration.socketPath
        try SocketFile.prepare(path: path)
        let channel = try await bootstrap.bind(unixDomainSocketPath: path).get()
        try SocketFile.chmod(path: path, mode: configuration.socketMode)
        logger.info("listening", metadata: ["socket": "\(path)"])
        return channel
    }
}
