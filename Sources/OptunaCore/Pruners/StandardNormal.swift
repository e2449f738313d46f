/// The standard normal distribution function, computed as Cephes' `ndtr` (which SciPy uses).
enum StandardNormal {
    /// `P(Z <= x)`: `(1 + erf(x / sqrt 2)) / 2` near zero and `erfc` in the tails, for accuracy.
    static func cdf(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        let t = x * 0.707_106_781_186_547_524_40
        let z = abs(t)
        if z < 0.707_106_781_186_547_524_40 { return 0.5 + 0.5 * CoreMath.erf(t) }
        let tail = 0.5 * CoreMath.erfc(z)
        return t > 0 ? 1 - tail : tail
    }
}
