/// A continuous range `[low, high]`, optionally log-scaled or discretized by `step` (Optuna's `FloatDistribution`).
public struct FloatDistribution: Hashable, Sendable {
    /// The lower bound (inclusive).
    public let low: Double
    /// The upper bound (inclusive); for a stepped range, the last value reachable from `low`.
    public let high: Double
    /// Whether values are sampled uniformly in log space.
    public let log: Bool
    /// The discretization step, if any.
    public let step: Double?

    /// Validates as Optuna does: `low <= high`, `log` needs `low > 0`, `log` and `step` exclude each other,
    /// `step > 0`; a stepped `high` that `low + k·step` does not reach is lowered to the last reachable value.
    ///
    /// - Throws: ``StudyError/invalidDistribution(_:)`` naming the broken rule.
    public init(low: Double, high: Double, log: Bool = false, step: Double? = nil) throws(StudyError) {
        guard low.isFinite, high.isFinite else {
            throw .invalidDistribution("low and high must be finite numbers (got low=\(low), high=\(high))")
        }
        if log, step != nil {
            throw .invalidDistribution("the parameter `step` is not supported when `log` is true")
        }
        guard low <= high else {
            throw .invalidDistribution("`low <= high` must hold, but low=\(low) and high=\(high)")
        }
        if log, low <= 0 {
            throw .invalidDistribution("`low > 0` must hold for a log distribution, but low=\(low)")
        }
        var adjustedHigh = high
        if let step {
            guard step.isFinite, step > 0 else {
                throw .invalidDistribution("`step > 0` must hold, but step=\(step)")
            }
            adjustedHigh = DecimalArithmetic.adjustedHigh(low: low, high: high, step: step)
        }
        self.low = low
        self.high = adjustedHigh
        self.log = log
        self.step = step
    }

    /// Whether the range holds one value only.
    public var isSingle: Bool {
        guard let step else { return low == high }
        if low == high { return true }
        return DecimalArithmetic.lessThanOneStep(low: low, high: high, step: step)
    }

    /// Whether `value` lies in the range (and on the step grid, within 1e-8 steps).
    public func contains(_ value: Double) -> Bool {
        guard value.isFinite, low <= value, value <= high else { return false }
        guard let step else { return true }
        let k = (value - low) / step
        return abs(k - k.rounded()) < 1.0e-8
    }
}
