/// A step count option that also accepts `"auto"` (successive halving's `min_resource`, Hyperband's
/// `max_resource`): Optuna then sizes it from the first trial that completes.
public enum ResourceOption: Hashable, Sendable {
    /// Sized from the first COMPLETE trial with reports.
    case auto
    /// A fixed number of steps.
    case steps(Int)

    /// The option's JSON form: `"auto"` or an integer.
    public var json: JSONValue {
        switch self {
        case .auto: return .string("auto")
        case .steps(let n): return .int(Int64(n))
        }
    }

    /// Reads a validated option value (`"auto"` or an integer).
    init(_ json: JSONValue?) {
        if let n = json?.intValue, json?.stringValue == nil { self = .steps(n) } else { self = .auto }
    }

    /// An ``OptionSpec/Kind/custom(_:)`` check accepting `"auto"` or an integer in `min...max`.
    static func validator(
        component: String, option: String, max: Int64 = .max
    ) -> @Sendable (JSONValue) throws(StudyError) -> JSONValue {
        { value throws(StudyError) in
            if value.stringValue == "auto" { return value }
            guard value.stringValue == nil, let n = value.int64Value, n >= 1, n <= max else {
                throw .invalidConfiguration(
                    "\(component) option '\(option)' must be \"auto\" or an integer in 1...\(max), got \(value)")
            }
            return .int(n)
        }
    }
}
