public import FoundationEssentials

/// A snapshot of one trial: an immutable value, so later writes never change a copy someone holds.
///
/// Parameters are kept in their internal representation (``params``) beside their distributions;
/// ``externalParams`` gives the user-facing values.
public struct FrozenTrial: Hashable, Sendable {
    /// The storage-wide unique id of the trial.
    public var id: Int64
    /// The trial's number within its study: 0, 1, 2, … in creation order, without gaps.
    public var number: Int
    /// The trial's state.
    public var state: TrialState
    /// Parameter values, internal representation.
    public var params: [String: Double]
    /// The distribution of each parameter in ``params``.
    public var distributions: [String: Distribution]
    /// The objective values; set for COMPLETE trials and for PRUNED trials that reported a value.
    public var values: [Double]?
    /// Values reported with `report`, by step.
    public var intermediateValues: [Int: Double]
    /// Attributes set by users.
    public var userAttrs: [String: JSONValue]
    /// Attributes set by the system (samplers, `fixed_params`, `constraints`, …).
    public var systemAttrs: [String: JSONValue]
    /// When the trial started running (nil while WAITING).
    public var datetimeStart: Date?
    /// When the trial finished (nil until then).
    public var datetimeComplete: Date?

    /// Creates a trial value.
    public init(
        id: Int64, number: Int, state: TrialState, params: [String: Double] = [:],
        distributions: [String: Distribution] = [:], values: [Double]? = nil,
        intermediateValues: [Int: Double] = [:], userAttrs: [String: JSONValue] = [:],
        systemAttrs: [String: JSONValue] = [:], datetimeStart: Date? = nil, datetimeComplete: Date? = nil
    ) {
        self.id = id
        self.number = number
        self.state = state
        self.params = params
        self.distributions = distributions
        self.values = values
        self.intermediateValues = intermediateValues
        self.userAttrs = userAttrs
        self.systemAttrs = systemAttrs
        self.datetimeStart = datetimeStart
        self.datetimeComplete = datetimeComplete
    }

    /// The system attribute under which Optuna keeps a trial's constraint values.
    public static let constraintsKey = "constraints"

    /// The first objective value (single-objective studies).
    public var value: Double? { values?.first }

    /// The constraint values told with the trial; the trial is feasible iff all are `<= 0`.
    public var constraints: [Double]? {
        guard let list = systemAttrs[Self.constraintsKey]?.arrayValue else { return nil }
        return list.map { $0.doubleValue ?? .nan }
    }

    /// Whether the trial satisfies its constraints (true when it has none).
    public var isFeasible: Bool {
        guard let c = constraints else { return true }
        return c.allSatisfy { $0 <= 0 }
    }

    /// The largest step reported, if any.
    public var lastStep: Int? { intermediateValues.keys.max() }

    /// The parameters in their user-facing form.
    public var externalParams: [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for (name, v) in params {
            if let d = distributions[name] { out[name] = d.externalValue(v) }
        }
        return out
    }
}
