/// The inverse of the standard normal distribution function, Φ⁻¹.
///
/// Uses Wichura's rational approximations (Algorithm AS 241, Applied Statistics 37(3), 1988), whose
/// relative error is about 1e-16 for probabilities down to 1e-300; deeper tails are refined with
/// Newton steps on log Φ.
enum StandardNormalQuantile {
    /// Φ⁻¹(p) for `p` in `(0, 1)`; `-inf` at 0 and `+inf` at 1.
    static func value(_ p: Double) -> Double {
        if !(p > 0) { return -.infinity }
        if p >= 1 { return .infinity }
        let q = p - 0.5
        if abs(q) <= 0.425 { return central(q) }
        let tailProbability = q < 0 ? p : 1 - p
        let x = tail(r: (-CoreMath.log(tailProbability)).squareRoot())
        return q < 0 ? -x : x
    }

    /// Φ⁻¹(exp(logP)) for `logP <= 0`, accurate where `exp(logP)` underflows or rounds to 1.
    static func value(logProbability logP: Double) -> Double {
        if logP == -.infinity { return -.infinity }
        if !(logP < 0) { return .infinity }
        let p = CoreMath.exp(logP)
        let q = p - 0.5
        if abs(q) <= 0.425 { return central(q) }
        if q > 0 {
            // 1 - p, computed without cancellation.
            let upper = -CoreMath.expm1(logP)
            return tail(r: (-CoreMath.log(upper)).squareRoot())
        }
        var x = -tail(r: (-logP).squareRoot())
        if logP < -680 {
            // Beyond the range AS 241 was fitted on: polish with Newton steps on log Φ(x) = logP.
            for _ in 0..<4 {
                let logCDF = TruncatedNormal.logCDF(x)
                let logDensity = -0.5 * x * x - TruncatedNormal.logSqrtTwoPi
                x -= (logCDF - logP) * CoreMath.exp(logCDF - logDensity)
            }
        }
        return x
    }

    /// The rational approximation for `|p - 0.5| <= 0.425`.
    @inline(__always)
    private static func central(_ q: Double) -> Double {
        let r = 0.180625 - q * q
        let num =
            (((((((2.509_080_928_730_122_672_7e3 * r + 3.343_057_558_358_812_810_5e4) * r
                + 6.726_577_092_700_870_085_3e4) * r + 4.592_195_393_154_987_145_7e4) * r
                + 1.373_169_376_550_946_112_5e4) * r + 1.971_590_950_306_551_442_7e3) * r
                + 1.331_416_678_917_843_774_5e2) * r + 3.387_132_872_796_366_608_0)
        let den =
            (((((((5.226_495_278_852_854_561_0e3 * r + 2.872_908_573_572_194_267_4e4) * r
                + 3.930_789_580_009_271_061_0e4) * r + 2.121_379_430_158_659_586_7e4) * r
                + 5.394_196_021_424_751_107_7e3) * r + 6.871_870_074_920_579_083_0e2) * r
                + 4.231_333_070_160_091_125_2e1) * r + 1.0)
        return q * num / den
    }

    /// The positive quantile for a tail probability `t`, given `r = sqrt(-log t)`.
    @inline(__always)
    private static func tail(r: Double) -> Double {
        if r <= 5 {
            let s = r - 1.6
            let num =
                (((((((7.745_450_142_783_414_076_40e-4 * s + 2.272_384_498_926_918_458_33e-2) * s
                    + 2.417_807_251_774_506_117_70e-1) * s + 1.270_458_252_452_368_382_58) * s
                    + 3.647_848_324_763_204_605_04) * s + 5.769_497_221_460_691_405_50) * s
                    + 4.630_337_846_156_545_295_90) * s + 1.423_437_110_749_683_577_34)
            let den =
                (((((((1.050_750_071_644_416_843_24e-9 * s + 5.475_938_084_995_344_946_00e-4) * s
                    + 1.519_866_656_361_645_719_66e-2) * s + 1.481_039_764_274_800_745_90e-1) * s
                    + 6.897_673_349_851_000_045_50e-1) * s + 1.676_384_830_183_803_849_40) * s
                    + 2.053_191_626_637_758_821_87) * s + 1.0)
            return num / den
        }
        let s = r - 5
        let num =
            (((((((2.010_334_399_292_288_132_65e-7 * s + 2.711_555_568_743_487_578_15e-5) * s
                + 1.242_660_947_388_078_438_60e-3) * s + 2.653_218_952_657_612_309_30e-2) * s
                + 2.965_605_718_285_048_912_30e-1) * s + 1.784_826_539_917_291_335_80) * s
                + 5.463_784_911_164_114_369_90) * s + 6.657_904_643_501_103_777_20)
        let den =
            (((((((2.044_263_103_389_939_785_64e-15 * s + 1.421_511_758_316_445_888_70e-7) * s
                + 1.846_318_317_510_054_681_80e-5) * s + 7.868_691_311_456_132_591_00e-4) * s
                + 1.487_536_129_085_061_485_25e-2) * s + 1.369_298_809_227_358_053_10e-1) * s
                + 5.998_322_065_558_879_376_90e-1) * s + 1.0)
        return num / den
    }
}
