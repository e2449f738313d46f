import NIOCore
import Synchronization

/// Counts open connections and requests in flight, so shutdown can drain before closing storage.
final class ConnectionTracker: Sendable {
    private struct State {
        var channels: [ObjectIdentifier: any Channel] = [:]
        var inFlight = 0
        var served: UInt64 = 0
    }

    private let state = Mutex(State())

    func opened(_ channel: any Channel) { state.withLock { $0.channels[ObjectIdentifier(channel)] = channel } }
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
