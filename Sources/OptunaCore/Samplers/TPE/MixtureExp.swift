/// `exp(x)` for the terms of a mixture's log-sum-exp, `x` in `[-64, 0]`.
///
/// Cody–Waite reduction `x = k·ln 2 + r` with `|r| <= ln 2 / 2`, a degree-13 Taylor polynomial for `e^r`
/// (truncation below 2e-17 relative) and `2^k` built from its bits: within a few ulps of the C library's
/// `exp`, at a fraction of its cost, and with no call in the summation loop. Arguments below -64 return 0:
/// callers skip such terms anyway.
@inline(__always)
func mixtureExp(_ x: Double) -> Double {
    if !(x >= -64) { return 0 }
    // Round x / ln 2 to the nearest integer by adding and subtracting 1.5 · 2^52.
    let shift = 6_755_399_441_055_744.0
    let k = (x * 1.442_695_040_888_963_4 + shift) - shift
    let r = (x - k * 0.693_147_180_369_123_816_49) - k * 1.908_214_929_270_587_7e-10
    var p = 1.0 / 6_227_020_800
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
    return p * Double(bitPattern: UInt64(1023 + Int64(k)) << 52)
}
