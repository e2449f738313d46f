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
