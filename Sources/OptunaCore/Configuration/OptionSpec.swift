/// One option of a sampler or pruner: its name (Optuna's keyword argument), default and accepted values.
public struct OptionSpec: Sendable {
    /// The accepted JSON values.
    public enum Kind: Sendable {
        /// An integer, optionally bounded.
        case integer(min: Int64? = nil, max: Int64? = nil)
        /// A number, optionally bounded (inclusive).
        case number(min: Double? = nil, max: Double? = nil)
        /// `true` or `false`.
        case boolean
        /// One of the listed strings.
        case oneOf([String])
        /// Any JSON value; the component validates it when it is made.
        case any
        /// A value checked and normalized by the given function (for example a nested component spec,
        /// or `"auto"` or an integer); it throws ``StudyError/invalidConfiguration(_:)`` to reject.
        case custom(@Sendable (JSONValue) throws(StudyError) -> JSONValue)
    }

    /// The option's name, as Optuna spells the keyword argument.
    public let name: String
    /// The value used when the spec omits the option.
    public let defaultValue: JSONValue
    /// What values are accepted.
    public let kind: Kind
    /// Whether `null` is accepted too.
    public let nullable: Bool

    /// Creates an option description.
    public init(_ name: String, default defaultValue: JSONValue, _ kind: Kind, nullable: Bool = false) {
        self.name = name
        self.defaultValue = defaultValue
        self.kind = kind
        self.nullable = nullable
    }

    /// Checks `value` against the option, returning a normalized value (integers given as `2.0` become `2`).
    func validate(_ value: JSONValue, component: String) throws(StudyError) -> JSONValue {
        if value.isNull {
            if nullable { return .null }
            throw .invalidConfiguration("\(component) option '\(name)' must not be null")
        }
        switch kind {
        case .integer(let lo, let hi):
            guard let i = value.int64Value, value.stringValue == nil else {
                throw .invalidConfiguration("\(component) option '\(name)' must be an integer, got \(value)")
            }
            if let lo, i < lo { throw .invalidConfiguration("\(component) option '\(name)' must be >= \(lo), got \(i)") }
            if let hi, i > hi { throw .invalidConfiguration("\(component) option '\(name)' must be <= \(hi), got \(i)") }
            return .int(i)
        case .number(let lo, let hi):
            guard let d = value.doubleValue, value.stringValue == nil, d.isFinite else {
                throw .invalidConfiguration("\(component) option '\(name)' must be a finite number, got \(value)")
            }
            if let lo, d < lo { throw .invalidConfiguration("\(component) option '\(name)' must be >= \(lo), got \(d)") }
            if let hi, d > hi { throw .invalidConfiguration("\(component) option '\(name)' must be <= \(hi), got \(d)") }
            return value
        case .boolean:
            guard value.boolValue != nil else {
                throw .invalidConfiguration("\(component) option '\(name)' must be true or false, got \(value)")
            }
            return value
        case .oneOf(let allowed):
            guard let s = value.stringValue, allowed.contains(s) else {
                throw .invalidConfiguration(
                    "\(component) option '\(name)' must be one of \(allowed.joined(separator: ", ")), got \(value)")
            }
            return value
        case .any:
            return value
        case .custom(let normalize):
            return try normalize(value)
        }
    }
}
