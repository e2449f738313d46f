/// A finite list of choices (Optuna's `CategoricalDistribution`); the internal value is the choice's index.
///
/// Choices are JSON scalars: `null`, Booleans, integers, floats and strings, as Optuna allows
/// `None`, `bool`, `int`, `float` and `str`.
public struct CategoricalDistribution: Hashable, Sendable {
    /// The choices, in the order the user gave them.
    public let choices: [JSONValue]

    /// - Throws: ``StudyError/invalidDistribution(_:)`` for an empty list or a non-scalar choice.
    public init(choices: [JSONValue]) throws(StudyError) {
        guard !choices.isEmpty else {
            throw .invalidDistribution("the `choices` must contain one or more elements")
        }
        for choice in choices {
            switch choice {
            case .array, .object:
                throw .invalidDistribution(
                    "choices must be null, booleans, numbers or strings, not \(choice.typeName)")
            default: continue
            }
        }
        self.choices = choices
    }

    /// The index of `value` among the choices: an exact match first, then a numeric one (`1` finds `1.0`),
    /// and NaN finds NaN, as Optuna's lookup does.
    public func index(of value: JSONValue) -> Int? {
        if let i = choices.firstIndex(of: value) { return i }
        switch value {
        case .int, .double:
            guard let v = value.doubleValue else { return nil }
            return choices.firstIndex { c in
                switch c {
                case .int, .double:
                    guard let d = c.doubleValue else { return false }
                    return d == v || (d.isNaN && v.isNaN)
                default: return false
                }
            }
        default: return nil
        }
    }

    /// The choices as compact JSON, for messages.
    public var choicesText: String { JSONWriter.string(.array(choices)) }
}
