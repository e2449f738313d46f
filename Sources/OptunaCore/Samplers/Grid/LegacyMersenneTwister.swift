/// MT19937 seeded as NumPy's legacy `RandomState(seed)`, with the bounded integers and shuffle of that
/// API, so that a grid is visited in the same order as Optuna's `GridSampler` for the same seed.
struct LegacyMersenneTwister {
    private var state = [UInt32](repeating: 0, count: 624)
    private var index = 624

    /// `RandomState(seed)` for a seed in `0..<2^32`.
    init(seed: UInt32) {
        state[0] = seed
        for i in 1..<624 {
            state[i] = 1_812_433_253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i)
        }
    }

    /// The next 32 random bits (`genrand_int32`).
    mutating func next() -> UInt32 {
        if index >= 624 { twist() }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    private mutating func twist() {
        for i in 0..<624 {
            let y = (state[i] & 0x8000_0000) | (state[(i + 1) % 624] & 0x7FFF_FFFF)
            var v = state[(i + 397) % 624] ^ (y >> 1)
            if y & 1 == 1 { v ^= 0x9908_B0DF }
            state[i] = v
        }
        index = 0
    }

    /// A uniform integer in `0...max` by masked rejection (NumPy's `random_interval`).
    mutating func interval(_ max: UInt32) -> UInt32 {
        guard max > 0 else { return 0 }
        var mask = max
        mask |= mask >> 1
        mask |= mask >> 2
        mask |= mask >> 4
        mask |= mask >> 8
        mask |= mask >> 16
        while true {
            let v = next() & mask
            if v <= max { return v }
        }
    }

    /// NumPy's legacy `shuffle` of a sequence: for `i` from the end down to 1, swap with `interval(i)`.
    mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            items.swapAt(i, Int(interval(UInt32(i))))
        }
    }
}
