/// A snapshot of what the server is doing, for status lines (`systemctl status`) and monitoring.
///
/// Counts are read one after another without a global lock, so they are each exact but not taken at the same
/// instant.
public struct ServerStatus: Hashable, Sendable {
    /// Studies loaded in memory: those used since the daemon started (a study is loaded on first use).
    public var studiesOpen: Int
    /// RUNNING trials in the loaded studies.
    public var trialsRunning: Int
    /// COMPLETE, PRUNED and FAIL trials in the loaded studies; it drops when a study is deleted.
    public var trialsFinished: Int
    /// Requests answered since the daemon started, including the daemon's own watchdog probes.
    public var requestsServed: UInt64
    /// Client connections open now.
    public var connections: Int

    /// Creates a snapshot.
    public init(studiesOpen: Int, trialsRunning: Int, trialsFinished: Int, requestsServed: UInt64, connections: Int) {
        self.studiesOpen = studiesOpen
        self.trialsRunning = trialsRunning
        self.trialsFinished = trialsFinished
        self.requestsServed = requestsServed
        self.connections = connections
    }
}
