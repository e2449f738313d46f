/// Whether an objective is minimized or maximized; raw values are Optuna's stored names.
public enum StudyDirection: String, Hashable, Sendable, CaseIterable {
    case minimize = "MINIMIZE"
    case maximize = "MAXIMIZE"

    /// Parses "minimize"/"MINIMIZE" (any case).
    public init?(name: String) {
        self.init(rawValue: name.uppercased())
    }

    /// Whether `a` is strictly better than `b` in this direction.
    @inlinable
    public func isBetter(_ a: Double, than b: Double) -> Bool {
        self == .minimize ? a < b : a > b
    }

    /// `value` mapped so that smaller is always better (negated when maximizing).
    @inlinable
    public func normalized(_ value: Double) -> Double { self == .minimize ? value : -value }
}
