/// Log-space Gaussian quantities for acquisition functions, finite over the whole real line.
///
/// `logEI(z) = log E[max(0, Z + z)]` for `Z ~ N(0, 1)`, i.e. `log(z·Φ(z) + φ(z))`, follows Ament et al.,
/// "Unexpected Improvements to Expected Improvement for Bayesian Optimization" (2023), Eq. (9): the
/// direct formula where it is accurate, `erfcx` below that, and the asymptotic series `φ(z)/z²·(1 - 3/z²
/// + 15/z⁴)` far in the left tail, where the `erfcx` form would cancel to zero.
enum GPNormalMath {
    static let logSqrt2Pi = 0.918_938_533_204_672_8
    static let sqrtHalf = 0.707_106_781_186_547_6
    static let sqrtHalfPi = 1.253_314_137_315_500_3

    /// The scaled complementary error function `exp(t²)·erfc(t)`, accurate for every `t` (finite for
    /// `t > -26`).
    static func erfcx(_ t: Double) -> Double {
        if t < 25 { return CoreMath.exp(t * t) * CoreMath.erfc(t) }
        // Continued fraction erfc(t) = exp(-t²)/√π · 1/(t + (1/2)/(t + 1/(t + (3/2)/(t + …)))).
        var f = t
        for k in stride(from: 40, through: 1, by: -1) { f = t + (Double(k) / 2) / f }
        return 1 / (f * 1.772_453_850_905_516)
    }

    /// `log Φ(z)`, the log of the standard normal CDF.
    static func logNdtr(_ z: Double) -> Double {
        if z > 3 { return CoreMath.log1p(-0.5 * CoreMath.erfc(z * sqrtHalf)) }
        if z > -1 { return CoreMath.log(0.5 * CoreMath.erfc(-z * sqrtHalf)) }
        return CoreMath.log(0.5 * erfcx(-z * sqrtHalf)) - 0.5 * z * z
    }

    /// `log φ(z)`.
    static func logPdf(_ z: Double) -> Double { -0.5 * z * z - logSqrt2Pi }

    /// `d/dz log Φ(z) = φ(z)/Φ(z)`.
    static func logNdtrDerivative(_ z: Double) -> Double {
        if z < -1 {
            // φ/Φ = √(2/π) / erfcx(-z/√2), avoiding exp underflow in the tail.
            return 0.797_884_560_802_865_4 / erfcx(-z * sqrtHalf)
        }
        return CoreMath.exp(logPdf(z) - logNdtr(z))
    }

    /// `log(z·Φ(z) + φ(z))`, the log expected improvement of a standard normal shifted by `z`.
    static func logEI(_ z: Double) -> Double {
        if z > -1 {
            let value = 0.5 * z * CoreMath.erfc(-z * sqrtHalf) + CoreMath.exp(-0.5 * z * z) / 2.506_628_274_631_000_5
            return CoreMath.log(value)
        }
        if z > -1e3 {
            return logPdf(z) + CoreMath.log1p(sqrtHalfPi * z * erfcx(-z * sqrtHalf))
        }
        let inv2 = 1 / (z * z)
        return logPdf(z) - CoreMath.log(z * z) + CoreMath.log1p(-3 * inv2 + 15 * inv2 * inv2)
    }

    /// `d/dz logEI(z) = Φ(z) / (z·Φ(z) + φ(z))`.
    static func logEIDerivative(_ z: Double) -> Double {
        if z < -1e3 { return -z * (1 + 2 / (z * z)) }
        return CoreMath.exp(logNdtr(z) - logEI(z))
    }

    /// `log σ(x)` for the logistic sigmoid, without overflow.
    static func logSigmoid(_ x: Double) -> Double {
        x >= 0 ? -CoreMath.log1p(CoreMath.exp(-x)) : x - CoreMath.log1p(CoreMath.exp(x))
    }

    /// `d/dx log σ(x) = 1 - σ(x)`.
    static func logSigmoidDerivative(_ x: Double) -> Double {
        x >= 0 ? CoreMath.exp(-x) / (1 + CoreMath.exp(-x)) : 1 / (1 + CoreMath.exp(x))
    }
}
