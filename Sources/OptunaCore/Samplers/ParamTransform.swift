/// The continuous space Optuna's samplers work in for one numerical parameter (`_transform.py`).
///
/// Log distributions map to `log(x)`; integer and stepped ranges widen by half a step on each side so
/// that rounding back gives every grid point an equal share. ``untransform(_:)`` rounds (half to even, as
/// NumPy) and clips back into the distribution.
public struct ParamTransform: Sendable {
    /// The distribution transformed.
    public let distribution: Distribution
    /// Lower bound in the transformed space.
    public let lower: Double
    /// Upper bound in the transformed space.
    public let upper: Double

    /// The transform of a numerical distribution; a categorical one maps to `[0, n)` of indices.
    public init(_ distribution: Distribution) {
        self.distribution = distribution
        switch distribution {
        case .float(let d):
            if d.log {
                lower = CoreMath.log(d.low)
                upper = CoreMath.log(d.high)
            } else if let step = d.step {
                lower = d.low - 0.5 * step
                upper = d.high + 0.5 * step
            } else {
                lower = d.low
                upper = d.high
            }
        case .int(let d):
            if d.log {
                lower = CoreMath.log(Double(d.low) - 0.5)
                upper = CoreMath.log(Double(d.high) + 0.5)
            } else {
                lower = Double(d.low) - 0.5 * Double(d.step)
                upper = Double(d.high) + 0.5 * Double(d.step)
            }
        case .categorical(let d):
            lower = 0
            upper = Double(d.choices.count)
        }
    }

    /// The transformed value of an internal value.
    public func transform(_ value: Double) -> Double {
        switch distribution {
        case .float(let d): return d.log ? CoreMath.log(value) : value
        case .int(let d): return d.log ? CoreMath.log(value) : value
        case .categorical: return value
        }
    }

    /// The internal value of a transformed value: rounded to the grid and clipped into the distribution.
    public func untransform(_ t: Double) -> Double {
        switch distribution {
        case .float(let d):
            if d.log {
                let v = CoreMath.exp(t)
                return d.isSingle ? d.low : min(max(v, d.low), CoreMath.nextAfter(d.high, -.infinity))
            } else if let step = d.step {
                let k = ((t - d.low) / step).rounded(.toNearestOrEven)
                return min(max(k * step + d.low, d.low), d.high)
            } else {
                return d.isSingle ? d.low : min(max(t, d.low), CoreMath.nextAfter(d.high, -.infinity))
            }
        case .int(let d):
            if d.log {
                let v = CoreMath.exp(t).rounded(.toNearestOrEven)
                return min(max(v, Double(d.low)), Double(d.high))
            }
            let step = Double(d.step)
            let k = ((t - Double(d.low)) / step).rounded(.toNearestOrEven)
            return min(max(k * step + Double(d.low), Double(d.low)), Double(d.high))
        case .categorical(let d):
            return min(max(t.rounded(.down), 0), Double(d.choices.count - 1))
        }
    }
}
