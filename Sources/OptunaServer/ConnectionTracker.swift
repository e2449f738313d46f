import NIOCore
import Synchronization

/// Counts open connections and requests in flight, so shutdown can drain before closing storage.
final class ConnectionTracker: Sendable {
    private struct State {
        var channels: [ObjectIdentifier: any Channel] = [:]
        var inFlight = 0
        var served: UInt64 = 0
        var nextConnectionID: UInt64 = 1
    }

    private let state = Mutex(State())

    /// Registers a new connection; returns its id and how many connections are open with it.
    func opened(_ channel: any Channel) -> (id: UInt64, open: Int) {
        state.withLock { s in
            s.channels[ObjectIdentifier(channel)] = channel
            let id = s.nextConnectionID
            s.nextConnectionID += 1
            return (id, s.channels.count)
        }
    }
    func closed(_ channel: any Channel) { _ = state.withLock { $0.channels.removeValue(forKey: ObjectIdentifier(channel)) } }
    func requestStarted() { state.withLock { $0.inFlight += 1 } }
    func requestFinished() {
        state.withLock {
            $0.inFlight -= 1
            $0.served += 1
        }
    }

    /// Requests being executed now.
    var inFlight: Int { state.withLock { $0.inFlight } }
    /// Requests answered since start.
    var served: UInt64 { state.withLock { $0.served } }
    /// Open connections.
    var connectionCount: Int { state.withLock { $0.channels.count } }
    /// The open connections.
    var channels: [any Channel] { state.withLock { Array($0.channels.values) } }
}
