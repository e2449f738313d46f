/// Sobol' points with 30-bit precision, as SciPy's `scipy.stats.qmc.Sobol` (Joe–Kuo direction numbers,
/// Gray-code order, first point 0), optionally scrambled by a random linear matrix scramble and a digital
/// shift (SciPy's LMS + shift, with this project's generator supplying the random bits).
public struct SobolSequence: Sendable {
    /// Bits per coordinate.
    public static let bits = 30
    /// Dimensions.
    public let dimension: Int
    /// Direction numbers: `bits` per dimension, scrambled when requested.
    let directions: [[UInt32]]
    /// The digital shift of each dimension (0 unscrambled).
    let shift: [UInt32]

    /// The sequence in `dimension` dimensions (at most ``SobolDirectionNumbers/maxDimension``).
    ///
    /// - Parameter scrambleSeed: nil for the plain sequence; otherwise the seed of the scramble.
    public init?(dimension: Int, scrambleSeed: UInt64? = nil) {
        guard dimension >= 1, dimension <= SobolDirectionNumbers.maxDimension else { return nil }
        self.dimension = dimension
        var directions = (0..<dimension).map(Self.directionNumbers)
        var shift = [UInt32](repeating: 0, count: dimension)
        if let seed = scrambleSeed {
            var rng = SeededGenerator(seed: seed, trialNumber: 0, salt: "sobol-scramble")
            for d in 0..<dimension {
                shift[d] = UInt32(truncatingIfNeeded: rng.next() & ((1 << UInt64(Self.bits)) - 1))
                directions[d] = Self.scramble(directions[d], using: &rng)
            }
        }
        self.directions = directions
        self.shift = shift
    }

    /// The direction numbers of one dimension (0-based), left-aligned in `bits` bits.
    static func directionNumbers(_ d: Int) -> [UInt32] {
        let bits = Self.bits
        var m = [UInt32](repeating: 1, count: bits)
        if d > 0 {
            let entry = SobolDirectionNumbers.table[d - 1]
            let s = entry.m.count
            for j in 0..<min(s, bits) { m[j] = entry.m[j] }
            if s < bits {
                for j in s..<bits {
                    var value = m[j - s] ^ (m[j - s] << UInt32(s))
                    for k in 1..<s where (entry.poly >> UInt32(s - k)) & 1 == 1 {
                        value ^= m[j - k] << UInt32(k)
                    }
                    m[j] = value
                }
            }
        }
        return (0..<bits).map { j in m[j] << UInt32(bits - 1 - j) }
    }

    /// SciPy's left linear matrix scramble: output bit `q` is the parity of the input bits at positions
    /// `>= q` selected by a random lower-triangular matrix with a unit diagonal.
    static func scramble(_ v: [UInt32], using rng: inout SeededGenerator) -> [UInt32] {
        let bits = Self.bits
        // Row p selects input bits bits-1 … bits-1-p: the diagonal (bit bits-1-p) and random bits above it.
        var rows = [UInt32](repeating: 0, count: bits)
        for p in 0..<bits {
            var row: UInt32 = 1 << UInt32(bits - 1 - p)
            for c in 0..<p where rng.next() & 1 == 1 { row |= 1 << UInt32(bits - 1 - c) }
            rows[p] = row
        }
        return v.map { value in
            var out: UInt32 = 0
            for p in 0..<bits where (rows[p] & value).nonzeroBitCount & 1 == 1 {
                out |= 1 << UInt32(bits - 1 - p)
            }
            return out
        }
    }

    /// Point number `index` (0-based) in `[0, 1)^dimension`: the XOR of the direction numbers selected by
    /// the Gray code of `index`, shifted.
    public func point(_ index: Int) -> [Double] {
        let gray = UInt64(index) ^ (UInt64(index) >> 1)
        return (0..<dimension).map { d in
            var x = shift[d]
            var g = gray
            var j = 0
            while g != 0, j < Self.bits {
                if g & 1 == 1 { x ^= directions[d][j] }
                g >>= 1
                j += 1
            }
            return Double(x) / Double(1 << Self.bits)
        }
    }
}
