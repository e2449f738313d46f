/// `exp(x)` lane by lane, for the terms of a mixture's log-sum-exp (`x <= 0` there).
///
/// Range reduction by ln 2 without a table: `x = n · ln 2 + r` with `n` the nearest integer to
/// `x / ln 2` and `|r| <= ln 2 / 2`, so `e^x = 2^n · e^r`; `e^r` comes from its degree-13 Taylor
/// polynomial (truncation below 1e-17 relative) and `2^n` is built from its bit pattern. Within 2 ulps of
/// the C library's `exp` for `x` in `[-708.39, 708]`. Results that would be subnormal are 0 (below
/// `x = -1022 ln 2`, about -708.396, so `-infinity` gives 0); NaN gives NaN.
///
/// No table lookups (which would be gathers) and no branches, so the summation loops run four terms per
/// instruction. Multiplications and additions are separate rather than fused: on the SSE2 baseline a fused
/// multiply-add is a library call per lane.
@inline(__always)
func mixtureExp(_ x: SIMD4<Double>) -> SIMD4<Double> {
    let underflow = x .< MixtureExpConstants.smallestNormalExponent
    let clamped = x.replacing(with: MixtureExpConstants.smallestNormalExponent, where: underflow)
    // Round x / ln 2 to the nearest integer by adding and subtracting 1.5 · 2^52; the integer is then the
    // low bits of the sum's bit pattern.
    let shift = SIMD4<Double>(repeating: 6_755_399_441_055_744.0)
    let shifted = clamped * 1.442_695_040_888_963_4 + shift
    let n = shifted - shift
    // ln 2 split in two, the first with 32 significant bits so that n times it is exact.
    let r = (clamped - n * 0.693_147_180_369_123_816_49) - n * 1.908_214_929_270_587_700_02e-10
    var p = SIMD4<Double>(repeating: 1.0 / 6_227_020_800)
    p = p * r + 1.0 / 479_001_600
    p = p * r + 1.0 / 39_916_800
    p = p * r + 1.0 / 3_628_800
    p = p * r + 1.0 / 362_880
    p = p * r + 1.0 / 40_320
    p = p * r + 1.0 / 5_040
    p = p * r + 1.0 / 720
    p = p * r + 1.0 / 120
    p = p * r + 1.0 / 24
    p = p * r + 1.0 / 6
    p = p * r + 0.5
    p = p * r + 1
    p = p * r + 1
    // 2^n for n in [-1022, 1023]: the biased exponent n + 1023 in bits 52...62. The casts reinterpret
    // bits between same-sized vectors.
    let integer =
        unsafeBitCast(shifted, to: SIMD4<Int64>.self) &- unsafeBitCast(shift, to: SIMD4<Int64>.self)
    let scale = unsafeBitCast((integer &+ 1023) &<< 52, to: SIMD4<Double>.self)
    return (p * scale).replacing(with: 0, where: underflow)
}

/// Constants of ``mixtureExp(_:)``.
enum MixtureExpConstants {
    /// `-1022 ln 2`: below it `e^x` is subnormal.
    static let smallestNormalExponent = -708.396_418_532_264_106_2
}

/// `log(x)` for a positive, normal `x`, as the mixture weights need it (one per kernel on every ask).
///
/// Table-driven: `x = 2^e · m` with `m` in `[1, 2)`; `m` is divided by the nearest of 128 table points `c`
/// (`|m / c - 1| <= 1/256`) and `log(1 + r)` comes from a degree-7 series (truncation below 3e-21). Within
/// a few ulps of the C library's `log`.
@inline(__always)
func mixtureLog(_ x: Double) -> Double {
    let bits = x.bitPattern
    let exponent = Int((bits >> 52) & 0x7ff)
    guard exponent > 0, exponent < 0x7ff, x > 0 else { return CoreMath.log(x) }
    let fraction = bits & 0x000f_ffff_ffff_ffff
    let j = Int(fraction >> 45)
    let m = Double(bitPattern: fraction | 0x3ff0_0000_0000_0000)
    let table = MixtureLogTable.entries
    let c = table[3 * j]
    let r = (m - c) * table[3 * j + 1]
    var p = -1.0 / 8
    p = p * r + 1.0 / 7
    p = p * r - 1.0 / 6
    p = p * r + 1.0 / 5
    p = p * r - 1.0 / 4
    p = p * r + 1.0 / 3
    p = p * r - 0.5
    p = p * r + 1
    return Double(exponent - 1023) * 0.693_147_180_559_945_309_42 + table[3 * j + 2] + p * r
}

/// ``mixtureLog(_:)-(Double)`` lane by lane, with the same operations in the same order (so the same
/// results); the table reads are four scalar loads each.
///
/// - Important: Every lane must be positive and normal (see ``isPositiveNormal(_:)``).
@inline(__always)
func mixtureLog(_ x: SIMD4<Double>) -> SIMD4<Double> {
    // The casts reinterpret bits between same-sized vectors.
    let bits = unsafeBitCast(x, to: SIMD4<UInt64>.self)
    let exponent = SIMD4<Int64>(truncatingIfNeeded: (bits &>> 52) & 0x7ff)
    let fraction = bits & 0x000f_ffff_ffff_ffff
    let j = SIMD4<Int>(truncatingIfNeeded: fraction &>> 45) &* 3
    let m = unsafeBitCast(fraction | 0x3ff0_0000_0000_0000, to: SIMD4<Double>.self)
    let table = MixtureLogTable.entries
    @inline(__always) func entries(_ offset: Int) -> SIMD4<Double> {
        SIMD4(table[j[0] + offset], table[j[1] + offset], table[j[2] + offset], table[j[3] + offset])
    }
    let c = entries(0)
    let r = (m - c) * entries(1)
    var p = SIMD4<Double>(repeating: -1.0 / 8)
    p = p * r + 1.0 / 7
    p = p * r - 1.0 / 6
    p = p * r + 1.0 / 5
    p = p * r - 1.0 / 4
    p = p * r + 1.0 / 3
    p = p * r - 0.5
    p = p * r + 1
    return SIMD4<Double>(exponent &- 1023) * 0.693_147_180_559_945_309_42 + entries(2) + p * r
}

/// Whether every lane is positive and normal, as the vector ``mixtureLog(_:)-(SIMD4<Double>)`` needs.
@inline(__always)
func isPositiveNormal(_ x: SIMD4<Double>) -> Bool {
    all((x .>= Double.leastNormalMagnitude) .& (x .<= Double.greatestFiniteMagnitude))
}

/// For `j` in `0..<128`: the point `c = 1 + (j + 1/2) / 128`, `1 / c` and `log(c)`, flattened.
enum MixtureLogTable {
    /// The table.
    static let entries: [Double] = (0..<128).flatMap { j -> [Double] in
        let c = 1 + (Double(j) + 0.5) / 128
        return [c, 1 / c, CoreMath.log(c)]
    }
}
