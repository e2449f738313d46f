/// An integer range `[low, high]` with a `step`, optionally log-scaled (Optuna's `IntDistribution`).
public struct IntDistribution: Hashable, Sendable {
    /// The lower bound (inclusive).
    public let low: Int64
    /// The upper bound (inclusive), lowered to the last value reachable from `low` in `step`s.
    public let high: Int64
    /// Whether values are sampled uniformly in log space.
    public let log: Bool
    /// The spacing of the values; 1 when `log` is set.
    public let step: Int64

    /// Validates as Optuna does: `low <= high`, `log` needs `low >= 1` and `step == 1`, `step >= 1`;
    /// `high` is lowered to `low + k·step` when the range is not a multiple of `step`.
    ///
    /// - Throws: ``StudyError/invalidDistribution(_:)`` naming the broken rule.
    public init(low: Int64, high: Int64, log: Bool = false, step: Int64 = 1) throws(StudyError) {
        if log, step != 1 {
            throw .invalidDistribution("`step` must be 1 when `log` is true (got step=\(step))")
        }
        guard low <= high else {
            throw .invalidDistribution("`low <= high` must hold, but low=\(low) and high=\(high)")
        }
        if log, low < 1 {
            throw .invalidDistribution("`low >= 1` must hold for a log distribution, but low=\(low)")
        }
        guard step > 0 else {
            throw .invalidDistribution("`step >= 1` must hold, but step=\(step)")
        }
        let (range, overflow) = high.subtractingReportingOverflow(low)
        guard !overflow else { throw .invalidDistribution("the range [\(low), \(high)] is too wide") }
        self.low = low
        self.high = range % step == 0 ? high : low + (range / step) * step
        self.log = log
        self.step = step
    }

    /// Whether the range holds one value only.
    public var isSingle: Bool { low == high || (!log && high - low < step) }

    /// Whether `value` is one of the range's integers.
    public func contains(_ value: Double) -> Bool {
        guard value.isFinite, value.rounded() == value, Double(low) <= value, value <= Double(high) else {
            return false
        }
        let v = Int64(value)
        return (v - low) % step == 0
    }
}
