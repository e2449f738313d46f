/// The life cycle of a trial, with Optuna's upper-case names as raw values (as its database stores them).
public enum TrialState: String, Hashable, Sendable, CaseIterable, Comparable {
    case running = "RUNNING"
    case complete = "COMPLETE"
    case pruned = "PRUNED"
    case fail = "FAIL"
    case waiting = "WAITING"

    /// COMPLETE, PRUNED and FAIL are final: a finished trial never changes again.
    public var isFinished: Bool { self == .complete || self == .pruned || self == .fail }

    public static func < (a: TrialState, b: TrialState) -> Bool { a.order < b.order }

    private var order: Int {
        switch self {
        case .running: return 0
        case .complete: return 1
        case .pruned: return 2
        case .fail: return 3
        case .waiting: return 4
        }
    }

    /// Parses a state name case-insensitively ("complete", "COMPLETE").
    public init?(name: String) {
        self.init(rawValue: name.uppercased())
    }
}
