/// The range a parameter is sampled from: Optuna's three distribution classes as one closed enum.
///
/// Every parameter value has an *internal* representation, a `Double` (for categorical parameters the
/// index of the choice), which samplers work with and storage keeps, and an *external* one, the
/// ``JSONValue`` a user sees (a float, an integer or one of the choices).
public enum Distribution: Hashable, Sendable {
    case float(FloatDistribution)
    case int(IntDistribution)
    case categorical(CategoricalDistribution)

    /// Whether the distribution holds exactly one value (samplers then need no randomness for it).
    public var isSingle: Bool {
        switch self {
        case .float(let d): return d.isSingle
        case .int(let d): return d.isSingle
        case .categorical(let d): return d.choices.count == 1
        }
    }

    /// Whether `internal` is a value this distribution can produce.
    public func contains(_ internalValue: Double) -> Bool {
        switch self {
        case .float(let d): return d.contains(internalValue)
        case .int(let d): return d.contains(internalValue)
        case .categorical(let d):
            guard internalValue.isFinite, internalValue.rounded() == internalValue else { return false }
            return internalValue >= 0 && internalValue < Double(d.choices.count)
        }
    }

    /// The user-facing value of an internal representation.
    public func externalValue(_ internalValue: Double) -> JSONValue {
        switch self {
        case .float: return .double(internalValue)
        case .int:
            guard internalValue.isFinite, abs(internalValue) < 9.2e18 else { return .double(internalValue) }
            return .int(Int64(internalValue))
        case .categorical(let d):
            guard internalValue.isFinite, internalValue >= 0, internalValue < Double(d.choices.count) else {
                return .null
            }
            return d.choices[Int(internalValue)]
        }
    }

    /// The internal representation of a user-facing value.
    ///
    /// - Throws: ``StudyError/invalidParameterValue(name:reason:)`` when `value` is not of the
    ///   distribution's kind or lies outside it.
    public func internalValue(of value: JSONValue, name: String) throws(StudyError) -> Double {
        switch self {
        case .float(let d):
            guard let v = value.doubleValue, !value.isStringNumber else {
                throw .invalidParameterValue(name: name, reason: "expected a number, got \(value.typeName)")
            }
            guard d.contains(v) else {
                throw .invalidParameterValue(name: name, reason: "\(v) is not in \(self)")
            }
            return v
        case .int(let d):
            guard let v = value.int64Value else {
                throw .invalidParameterValue(name: name, reason: "expected an integer, got \(value)")
            }
            guard d.contains(Double(v)) else {
                throw .invalidParameterValue(name: name, reason: "\(v) is not in \(self)")
            }
            return Double(v)
        case .categorical(let d):
            guard let index = d.index(of: value) else {
                throw .invalidParameterValue(name: name, reason: "\(value) is not one of the choices \(d.choicesText)")
            }
            return Double(index)
        }
    }

    /// Checks that `other` may be used for the same parameter name within one study, by Optuna's rule:
    /// the same kind, the same `log` flag, and for categorical parameters the same choices.
    ///
    /// - Throws: ``StudyError/incompatibleDistribution(name:reason:)``.
    public func checkCompatible(with other: Distribution, name: String) throws(StudyError) {
        switch (self, other) {
        case (.float(let a), .float(let b)):
            if a.log != b.log {
                throw .incompatibleDistribution(name: name, reason: "cannot change the log setting of a parameter")
            }
        case (.int(let a), .int(let b)):
            if a.log != b.log {
                throw .incompatibleDistribution(name: name, reason: "cannot change the log setting of a parameter")
            }
        case (.categorical(let a), .categorical(let b)):
            if a.choices != b.choices {
                throw .incompatibleDistribution(
                    name: name, reason: "categorical choices cannot change (had \(a.choicesText), got \(b.choicesText))")
            }
        default:
            throw .incompatibleDistribution(
                name: name, reason: "cannot change a \(kindName) parameter to \(other.kindName)")
        }
    }

    /// `"float"`, `"int"` or `"categorical"`.
    public var kindName: String {
        switch self {
        case .float: return "float"
        case .int: return "int"
        case .categorical: return "categorical"
        }
    }
}

extension JSONValue {
    /// Strings that spell non-finite numbers are numbers on the wire but never parameter values.
    fileprivate var isStringNumber: Bool {
        if case .string = self { return true }
        return false
    }
}

extension Distribution: CustomStringConvertible {
    public var description: String {
        switch self {
        case .float(let d):
            var s = "float[\(d.low), \(d.high)]"
            if d.log { s += " log" }
            if let step = d.step { s += " step \(step)" }
            return s
        case .int(let d):
            var s = "int[\(d.low), \(d.high)]"
            if d.log { s += " log" }
            if d.step != 1 { s += " step \(d.step)" }
            return s
        case .categorical(let d): return "categorical\(d.choicesText)"
        }
    }
}
