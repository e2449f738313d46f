public import OptunaCore

/// The finished trials a caller holds copies of (a cache), handed to ``Storage/refreshTrials(studyID:known:)`` so
/// that trials which cannot have changed are not read again: a finished trial never changes, in Optuna as here.
public struct KnownTrials: Sendable {
    /// The finished trials' ids, ascending, and each one's state.
    public private(set) var finished: [(id: Int64, state: TrialState)]

    /// The finished ones among `states`, given as (id, state) in any order.
    public init(_ states: [(id: Int64, state: TrialState)]) {
        finished = states.filter { $0.state.isFinished }
        if !finished.indices.dropFirst().allSatisfy({ finished[$0 - 1].id < finished[$0].id }) {
            finished.sort { $0.id < $1.id }
        }
    }

    /// Whether the caller's copy of trial `id` is finished and stored in `state` still.
    public func isUnchanged(_ id: Int64, state: TrialState) -> Bool {
        var low = 0
        var high = finished.count
        while low < high {
            let mid = (low + high) / 2
            if finished[mid].id < id { low = mid + 1 } else { high = mid }
        }
        return low < finished.count && finished[low].id == id && finished[low].state == state
    }
}

/// What ``Storage/refreshTrials(studyID:known:)`` found: every trial's id in number order, and the trials it
/// read again (those not unchanged in ``KnownTrials``), in number order.
public struct TrialsRefresh: Sendable {
    /// Every trial of the study, by id, in number order.
    public var ids: [Int64]
    /// The trials read again.
    public var read: [FrozenTrial]

    /// A refresh.
    public init(ids: [Int64], read: [FrozenTrial]) {
        self.ids = ids
        self.read = read
    }
}
