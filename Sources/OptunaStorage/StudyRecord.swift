public import FoundationEssentials
public import OptunaCore

/// A study as storage keeps it, without its trials.
public struct StudyRecord: Hashable, Sendable {
    /// The storage id.
    public var id: Int64
    /// The unique name.
    public var name: String
    /// One direction per objective.
    public var directions: [StudyDirection]
    /// User attributes.
    public var userAttrs: [String: JSONValue]
    /// System attributes (optunad keeps its sampler and pruner specs here).
    public var systemAttrs: [String: JSONValue]

    /// Creates a record.
    public init(
        id: Int64, name: String, directions: [StudyDirection], userAttrs: [String: JSONValue] = [:],
        systemAttrs: [String: JSONValue] = [:]
    ) {
        self.id = id
        self.name = name
        self.directions = directions
        self.userAttrs = userAttrs
        self.systemAttrs = systemAttrs
    }
}

/// A change to one trial, written atomically by ``Storage/updateTrial(_:_:expecting:)``.
///
/// Every field is optional; only what is set is written. Attributes and intermediate values are merged
/// into the existing ones (a key given again is overwritten), parameters are added.
public struct TrialUpdate: Hashable, Sendable {
    /// A new state.
    public var state: TrialState?
    /// New objective values (replace the old ones).
    public var values: [Double]?
    /// Parameters to add: name → (internal value, distribution).
    public var params: [String: ParamAssignment]
    /// Intermediate values to add, by step.
    public var intermediateValues: [Int: Double]
    /// User attributes to set.
    public var userAttrs: [String: JSONValue]
    /// System attributes to set.
    public var systemAttrs: [String: JSONValue]
    /// A new start time.
    public var datetimeStart: Date?
    /// A new completion time.
    public var datetimeComplete: Date?

    /// An update that changes nothing until fields are set.
    public init(
        state: TrialState? = nil, values: [Double]? = nil, params: [String: ParamAssignment] = [:],
        intermediateValues: [Int: Double] = [:], userAttrs: [String: JSONValue] = [:],
        systemAttrs: [String: JSONValue] = [:], datetimeStart: Date? = nil, datetimeComplete: Date? = nil
    ) {
        self.state = state
        self.values = values
        self.params = params
        self.intermediateValues = intermediateValues
        self.userAttrs = userAttrs
        self.systemAttrs = systemAttrs
        self.datetimeStart = datetimeStart
        self.datetimeComplete = datetimeComplete
    }

    /// Applies the update to a trial value (what storage does to its copy).
    public func apply(to trial: inout FrozenTrial) {
        if let state { trial.state = state }
        if let values { trial.values = values }
        for (name, p) in params {
            trial.params[name] = p.value
            trial.distributions[name] = p.distribution
        }
        for (step, v) in intermediateValues { trial.intermediateValues[step] = v }
        for (k, v) in userAttrs { trial.userAttrs[k] = v }
        for (k, v) in systemAttrs { trial.systemAttrs[k] = v }
        if let datetimeStart { trial.datetimeStart = datetimeStart }
        if let datetimeComplete { trial.datetimeComplete = datetimeComplete }
    }
}

/// One parameter's internal value and distribution.
public struct ParamAssignment: Hashable, Sendable {
    /// The internal value.
    public var value: Double
    /// Its distribution.
    public var distribution: Distribution

    /// Creates an assignment.
    public init(value: Double, distribution: Distribution) {
        self.value = value
        self.distribution = distribution
    }
}
