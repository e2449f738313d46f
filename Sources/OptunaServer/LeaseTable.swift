import Synchronization

/// Which RUNNING trials are leased to which connection (`ask` with `"lease": "connection"`).
///
/// When a connection closes before its trials are told, those trials fail at once: a job killed with SIGKILL
/// is noticed immediately instead of after a heartbeat timeout.
final class LeaseTable: Sendable {
    private struct State {
        var byConnection: [UInt64: Set<Int64>] = [:]
        var connectionOf: [Int64: UInt64] = [:]
    }

    private let state = Mutex(State())

    /// Ties a trial to a connection.
    func lease(trialID: Int64, to connection: UInt64) {
        state.withLock { s in
            s.byConnection[connection, default: []].insert(trialID)
            s.connectionOf[trialID] = connection
        }
    }

    /// Forgets a trial's lease (it was told).
    func release(trialID: Int64) {
        state.withLock { s in
            guard let c = s.connectionOf.removeValue(forKey: trialID) else { return }
            s.byConnection[c]?.remove(trialID)
            if s.byConnection[c]?.isEmpty == true { s.byConnection[c] = nil }
        }
    }

    /// Removes and returns the trials leased to a connection that closed.
    func takeAll(of connection: UInt64) -> Set<Int64> {
        state.withLock { s in
            let ids = s.byConnection.removeValue(forKey: connection) ?? []
            for id in ids { s.connectionOf[id] = nil }
            return ids
        }
    }

    /// How many trials are leased now.
    var count: Int { state.withLock { $0.connectionOf.count } }
}
