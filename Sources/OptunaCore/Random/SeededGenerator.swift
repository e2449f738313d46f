/// A seeded, portable pseudo-random generator (xoshiro256**) whose streams are derived per trial.
///
/// Samplers never keep a generator between calls: the caller derives a fresh one from the study's seed,
/// the trial number and (for independent sampling) the parameter name, so a trial's values do not depend
/// on how asks from many clients interleave, and are the same after a daemon restart.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// A generator seeded from one 64-bit value, expanded with SplitMix64.
    public init(seed: UInt64) {
        var sm = seed
        s0 = Self.splitMix(&sm)
        s1 = Self.splitMix(&sm)
        s2 = Self.splitMix(&sm)
        s3 = Self.splitMix(&sm)
        if s0 | s1 | s2 | s3 == 0 { s0 = 0x9E37_79B9_7F4A_7C15 }
    }

    /// The generator for one trial of a study: `seed` and `trialNumber` (and optionally a parameter name)
    /// are mixed through SplitMix64 rounds, so neighbouring seeds and numbers give unrelated streams.
    public init(seed: UInt64, trialNumber: Int, salt: String? = nil) {
        var h = Self.mix(seed &+ 0x632B_E59B_D9B4_E019)
        h = Self.mix(h ^ UInt64(bitPattern: Int64(trialNumber)) &* 0xD6E8_FEB8_6659_FD93)
        if let salt { h = Self.mix(h ^ Self.fnv1a(salt)) }
        self.init(seed: h)
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// A uniform double in `[0, 1)` with 53 random bits.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform double in `[low, high)` (or `low` when the range is empty).
    public mutating func uniform(_ low: Double, _ high: Double) -> Double {
        guard high > low else { return low }
        let v = low + (high - low) * nextUnit()
        return v < high ? v : low
    }

    /// A standard normal variate (Box–Muller, one value per call).
    public mutating func normal() -> Double {
        var u = nextUnit()
        while u <= 0 { u = nextUnit() }
        let v = nextUnit()
        return (-2 * _log(u)).squareRoot() * _cos(2 * Double.pi * v)
    }

    /// A uniform integer in `0..<n` (n > 0).
    public mutating func index(below n: Int) -> Int {
        precondition(n > 0)
        return Int(next(upperBound: UInt64(n)))
    }

    private static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return mix(state)
    }

    private static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// FNV-1a over the UTF-8 bytes: a stable string hash (Swift's `Hasher` is randomized per process).
    public static func fnv1a(_ s: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in s.utf8 {
            h ^= UInt64(b)
            h &*= 0x100_0000_01B3
        }
        return h
    }
}
