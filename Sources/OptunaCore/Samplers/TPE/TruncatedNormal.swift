/// The standard normal and its truncations, as the Parzen estimators need them.
///
/// All functions work on standardized coordinates: a kernel with mean `mu` and bandwidth `sigma`
/// truncated to `[low, high]` is the standard normal truncated to `[a, b]` with `a = (low - mu) / sigma`
/// and `b = (high - mu) / sigma`. Log-space forms keep the tails accurate: a kernel whose mean lies
/// far outside its bounds still gets a finite, correct density and valid samples.
enum TruncatedNormal {
    /// `log(sqrt(2π))`.
    static let logSqrtTwoPi = 0.918_938_533_204_672_741_78

    /// `1 / sqrt(2)`.
    static let inverseSqrtTwo = 0.707_106_781_186_547_524_40

    /// Φ(x), the standard normal distribution function, accurate in the left tail.
    @inline(__always)
    static func cdf(_ x: Double) -> Double {
        if x < 0 { return 0.5 * CoreMath.erfc(-x * inverseSqrtTwo) }
        return 1 - 0.5 * CoreMath.erfc(x * inverseSqrtTwo)
    }

    /// log Φ(x), accurate in both tails (an asymptotic series below -20, where `erfc` underflows).
    static func logCDF(_ x: Double) -> Double {
        if x > 6 { return CoreMath.log1p(-0.5 * CoreMath.erfc(x * inverseSqrtTwo)) }
        if x > -20 { return CoreMath.log(0.5 * CoreMath.erfc(-x * inverseSqrtTwo)) }
        if x == -.infinity { return -.infinity }
        // Φ(x) = φ(x)/(-x) · (1 - 1/x² + 3/x⁴ - 15/x⁶ + …); the terms shrink fast for x <= -20.
        let inverseSquare = 1 / (x * x)
        var series = 1.0
        var term = 1.0
        var k = 1.0
        while true {
            term *= -(2 * k - 1) * inverseSquare
            let next = series + term
            if next == series { break }
            series = next
            k += 1
        }
        return -0.5 * x * x - CoreMath.log(-x) - logSqrtTwoPi + CoreMath.log(series)
    }

    /// `log(exp(x) + exp(y))` without overflow.
    @inline(__always)
    static func logAddExp(_ x: Double, _ y: Double) -> Double {
        let high = max(x, y)
        if high == -.infinity { return -.infinity }
        return high + CoreMath.log1p(CoreMath.exp(min(x, y) - high))
    }

    /// `log(exp(p) - exp(q))` for `p >= q`.
    @inline(__always)
    static func logSubExp(_ p: Double, _ q: Double) -> Double {
        p + CoreMath.log1p(-CoreMath.exp(q - p))
    }

    /// log(Φ(b) - Φ(a)), the log probability of `[a, b]` under the standard normal (`a <= b`).
    ///
    /// Intervals in a tail are mirrored into the left tail, where Φ keeps its relative precision;
    /// an interval around 0 uses `log1p` of the two tail masses. An empty interval gives `-inf`.
    static func logMass(_ a: Double, _ b: Double) -> Double {
        if !(a < b) { return -.infinity }
        if b <= 0 { return logSubExp(logCDF(b), logCDF(a)) }
        if a > 0 { return logSubExp(logCDF(-a), logCDF(-b)) }
        return CoreMath.log1p(-cdf(a) - cdf(-b))
    }

    /// The log density at `x` of the standard normal truncated to `[a, b]`; `-inf` outside.
    static func logPDF(_ x: Double, a: Double, b: Double) -> Double {
        guard a <= x, x <= b else { return -.infinity }
        return -0.5 * x * x - logSqrtTwoPi - logMass(a, b)
    }

    /// The quantile `x` with `P(a <= X <= x) = q · P(a <= X <= b)` for the standard normal truncated
    /// to `[a, b]`, clamped into `[a, b]`.
    ///
    /// Bounds on both sides of 0 (a kernel centred inside its range, the usual case) invert Φ directly,
    /// working from the nearer tail; bounds on one side work in log space so that tails far from the
    /// mean stay exact.
    /// - Parameters:
    ///   - lowerTail: Φ(a) if the caller has it (bounds on both sides of 0), else NaN.
    ///   - upperTail: Φ(-b) likewise.
    static func quantile(
        _ q: Double, a: Double, b: Double, lowerTail knownLower: Double = .nan, upperTail knownUpper: Double = .nan
    ) -> Double {
        if !(q > 0) { return a }
        if q >= 1 { return b }
        if !(a < b) { return a }
        let x: Double
        if a <= 0, b >= 0 {
            let lowerTail = knownLower.isNaN ? cdf(a) : knownLower
            let upperTail = knownUpper.isNaN ? cdf(-b) : knownUpper
            let mass = (1 - lowerTail) - upperTail
            let p = lowerTail + q * mass
            if p <= 0.5 {
                x = StandardNormalQuantile.value(p)
            } else {
                x = -StandardNormalQuantile.value(upperTail + (1 - q) * mass)
            }
        } else if b < 0 {
            let logP = logAddExp(logCDF(a), CoreMath.log(q) + logMass(a, b))
            x = StandardNormalQuantile.value(logProbability: logP)
        } else {
            let logP = logAddExp(logCDF(-b), CoreMath.log1p(-q) + logMass(a, b))
            x = -StandardNormalQuantile.value(logProbability: logP)
        }
        return min(max(x, a), b)
    }
}
