/// `exp(x)` for the terms of a mixture's log-sum-exp, `x` in `[-64, 0]`; 0 below -64 (callers skip such
/// terms anyway).
///
/// Table-driven: `x = (64 m + j) · ln 2 / 64 + r` with `|r| <= ln 2 / 128`, so `e^x = 2^m · 2^(j/64) · e^r`
/// with `e^r` from a degree-5 Taylor polynomial (truncation below 4e-17 relative) and `2^(j/64)` from a
/// table. Within a few ulps of the C library's `exp`, at a fraction of its cost, and inlined into the
/// summation loops.
@inline(__always)
func mixtureExp(_ x: Double) -> Double {
    if !(x >= -64) { return 0 }
    // Round x · 64 / ln 2 to the nearest integer by adding and subtracting 1.5 · 2^52.
    let shift = 6_755_399_441_055_744.0
    let n = (x * 92.332_482_616_893_66 + shift) - shift
    // ln 2 / 64 split in two, the first with 33 significant bits so that n times it is exact.
    let r = (x - n * 0.010_830_424_695_086_549) - n * 1.162_596_423_439_437e-12
    var p = 1.0 / 120
    p = p * r + 1.0 / 24
    p = p * r + 1.0 / 6
    p = p * r + 0.5
    p = p * r + 1
    p = p * r + 1
    let i = Int(n)
    let j = i & 63
    let m = (i - j) >> 6
    return p * MixtureExpTable.powers[j] * Double(bitPattern: UInt64(1023 + m) << 52)
}

/// `2^(j/64)` for `j` in `0..<64`.
enum MixtureExpTable {
    /// The table.
    static let powers: [Double] = (0..<64).map { CoreMath.exp(Double($0) * 0.693_147_180_559_945_309_42 / 64) }
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

/// For `j` in `0..<128`: the point `c = 1 + (j + 1/2) / 128`, `1 / c` and `log(c)`, flattened.
enum MixtureLogTable {
    /// The table.
    static let entries: [Double] = (0..<128).flatMap { j -> [Double] in
        let c = 1 + (Double(j) + 0.5) / 128
        return [c, 1 / c, CoreMath.log(c)]
    }
}
