/// How the server listens and what it accepts.
public struct ServerConfiguration: Sendable {
    /// Where to bind (ignored when ``activatedSocket`` is set).
    public var socketPath: String
    /// The socket file's permission bits (0660 by default: owner and group may connect).
    public var socketMode: UInt32
    /// A listening socket passed by systemd socket activation, adopted instead of binding.
    public var activatedSocket: Int32?
    /// The longest request line accepted (1 MiB by default).
    public var maximumRequestBytes: Int
    /// Requests queued per connection before the server stops reading from it.
    public var maximumPipelined: Int
    /// Connections served at once; one more is answered with `too_many_connections` and closed.
    public var maximumConnections: Int
    /// How long shutdown waits for requests in flight.
    public var drainTimeoutSeconds: Double
    /// Event loop threads (at least 1).
    public var eventLoops: Int
    /// How long an event loop that ran out of work polls for more before it sleeps, in microseconds; 0 never
    /// (see ``BusyPoll``).
    public var busyPollMicroseconds: Int

    /// Creates a configuration.
    public init(
        socketPath: String, socketMode: UInt32 = 0o660, activatedSocket: Int32? = nil,
        maximumRequestBytes: Int = 1 << 20, maximumPipelined: Int = 128, maximumConnections: Int = 1024,
        drainTimeoutSeconds: Double = 10, eventLoops: Int = 1, busyPollMicroseconds: Int = 0
    ) {
        self.eventLoops = max(1, eventLoops)
        self.busyPollMicroseconds = max(0, busyPollMicroseconds)
        self.maximumConnections = maximumConnections
        self.socketPath = socketPath
        self.socketMode = socketMode
        self.activatedSocket = activatedSocket
        self.maximumRequestBytes = maximumRequestBytes
        self.maximumPipelined = maximumPipelined
        self.drainTimeoutSeconds = drainTimeoutSeconds
    }
}
