/// Scrambled Sobol points for the GP sampler: candidates in the unit cube, and the fixed normal samples
/// of its Monte Carlo acquisition functions.
///
/// The sequence uses Joe and Kuo's direction numbers (`new-joe-kuo-6.21201`, the table SciPy ships) for
/// the first 64 dimensions, and is randomized as SciPy's `Sobol(scramble=True)` is: a random linear
/// matrix scramble of the direction numbers followed by a random digital shift, all drawn from the
/// caller's generator. Dimensions past the table are filled with pseudo-random uniforms instead.
enum GPSobol {
    /// The number of dimensions with direction numbers.
    static let maxDimension = 64

    /// `count` scrambled Sobol points in `[0, 1)^dimension`, row-major.
    static func uniform(count: Int, dimension: Int, using rng: inout SeededGenerator) -> [Double] {
        var out = [Double](repeating: 0, count: count * dimension)
        for d in 0..<dimension {
            guard d < maxDimension else {
                for i in 0..<count { out[i * dimension + d] = rng.nextUnit() }
                continue
            }
            let directions = scrambled(directionNumbers(d), using: &rng)
            let shift = UInt32(truncatingIfNeeded: rng.next())
            var x: UInt32 = 0
            for i in 0..<count {
                if i > 0 { x ^= directions[min(i.trailingZeroBitCount, 31)] }
                // Fill the bits below 2^-32 at random so that no point lands exactly on 0.
                let low = Double(rng.next() >> 43) * 0x1.0p-53
                out[i * dimension + d] = Double(x ^ shift) * 0x1.0p-32 + low
            }
        }
        return out
    }

    /// `count` standard normal vectors of `dimension` values (the inverse normal CDF of scrambled Sobol
    /// points), row-major.
    static func normal(count: Int, dimension: Int, using rng: inout SeededGenerator) -> [Double] {
        uniform(count: count, dimension: dimension, using: &rng).map { u in
            StandardNormalQuantile.value(min(max(u, 0x1.0p-53), 1 - 0x1.0p-53))
        }
    }

    /// The 32 direction numbers of dimension `d` (bit 31 is the first binary digit).
    static func directionNumbers(_ d: Int) -> [UInt32] {
        var v = [UInt32](repeating: 0, count: 32)
        guard d > 0 else {
            for k in 0..<32 { v[k] = 1 << (31 - k) }
            return v
        }
        let (poly, initial) = table[d - 1]
        let degree = Int.bitWidth - poly.leadingZeroBitCount - 1
        for k in 0..<min(degree, 32) { v[k] = UInt32(initial[k]) << (31 - k) }
        guard degree < 32 else { return v }
        for k in degree..<32 {
            var value = v[k - degree] ^ (v[k - degree] >> UInt32(degree))
            for i in 1..<degree where (poly >> (degree - i)) & 1 == 1 { value ^= v[k - i] }
            v[k] = value
        }
        return v
    }

    /// Applies a random lower-triangular binary matrix with unit diagonal to every direction number.
    private static func scrambled(_ directions: [UInt32], using rng: inout SeededGenerator) -> [UInt32] {
        // rows[r] holds, at the bit positions of digits 0...r, which input digits feed output digit r.
        var rows = [UInt32](repeating: 0, count: 32)
        for r in 0..<32 {
            let diagonal: UInt32 = 1 << (31 - r)
            let above: UInt32 = r == 0 ? 0 : ~((1 << (32 - r)) - 1)
            rows[r] = diagonal | (UInt32(truncatingIfNeeded: rng.next()) & above)
        }
        return directions.map { v in
            var out: UInt32 = 0
            for r in 0..<32 where (v & rows[r]).nonzeroBitCount & 1 == 1 { out |= 1 << (31 - r) }
            return out
        }
    }

    /// Primitive polynomial (as bits, leading and constant terms included) and initial direction
    /// integers `m_1…m_s` of dimensions 1…63.
    private static let table: [(Int, [Int])] = [
        (3, [1]),
        (7, [1, 3]),
        (11, [1, 3, 1]),
        (13, [1, 1, 1]),
        (19, [1, 1, 3, 3]),
        (25, [1, 3, 5, 13]),
        (37, [1, 1, 5, 5, 17]),
        (41, [1, 1, 5, 5, 5]),
        (47, [1, 1, 7, 11, 19]),
        (55, [1, 1, 5, 1, 1]),
        (59, [1, 1, 1, 3, 11]),
        (61, [1, 3, 5, 5, 31]),
        (67, [1, 3, 3, 9, 7, 49]),
        (91, [1, 1, 1, 15, 21, 21]),
        (97, [1, 3, 1, 13, 27, 49]),
        (103, [1, 1, 1, 15, 7, 5]),
        (109, [1, 3, 1, 15, 13, 25]),
        (115, [1, 1, 5, 5, 19, 61]),
        (131, [1, 3, 7, 11, 23, 15, 103]),
        (137, [1, 3, 7, 13, 13, 15, 69]),
        (143, [1, 1, 3, 13, 7, 35, 63]),
        (145, [1, 3, 5, 9, 1, 25, 53]),
        (157, [1, 3, 1, 13, 9, 35, 107]),
        (167, [1, 3, 1, 5, 27, 61, 31]),
        (171, [1, 1, 5, 11, 19, 41, 61]),
        (185, [1, 3, 5, 3, 3, 13, 69]),
        (191, [1, 1, 7, 13, 1, 19, 1]),
        (193, [1, 3, 7, 5, 13, 19, 59]),
        (203, [1, 1, 3, 9, 25, 29, 41]),
        (211, [1, 3, 5, 13, 23, 1, 55]),
        (213, [1, 3, 7, 3, 13, 59, 17]),
        (229, [1, 3, 1, 3, 5, 53, 69]),
        (239, [1, 1, 5, 5, 23, 33, 13]),
        (241, [1, 1, 7, 7, 1, 61, 123]),
        (247, [1, 1, 7, 9, 13, 61, 49]),
        (253, [1, 3, 3, 5, 3, 55, 33]),
        (285, [1, 3, 1, 15, 31, 13, 49, 245]),
        (299, [1, 3, 5, 15, 31, 59, 63, 97]),
        (301, [1, 3, 1, 11, 11, 11, 77, 249]),
        (333, [1, 3, 1, 11, 27, 43, 71, 9]),
        (351, [1, 1, 7, 15, 21, 11, 81, 45]),
        (355, [1, 3, 7, 3, 25, 31, 65, 79]),
        (357, [1, 3, 1, 1, 19, 11, 3, 205]),
        (361, [1, 1, 5, 9, 19, 21, 29, 157]),
        (369, [1, 3, 7, 11, 1, 33, 89, 185]),
        (391, [1, 3, 3, 3, 15, 9, 79, 71]),
        (397, [1, 3, 7, 11, 15, 39, 119, 27]),
        (425, [1, 1, 3, 1, 11, 31, 97, 225]),
        (451, [1, 1, 1, 3, 23, 43, 57, 177]),
        (463, [1, 3, 7, 7, 17, 17, 37, 71]),
        (487, [1, 3, 1, 5, 27, 63, 123, 213]),
        (501, [1, 1, 3, 5, 11, 43, 53, 133]),
        (529, [1, 3, 5, 5, 29, 17, 47, 173, 479]),
        (539, [1, 3, 3, 11, 3, 1, 109, 9, 69]),
        (545, [1, 1, 1, 5, 17, 39, 23, 5, 343]),
        (557, [1, 3, 1, 5, 25, 15, 31, 103, 499]),
        (563, [1, 1, 1, 11, 11, 17, 63, 105, 183]),
        (601, [1, 1, 5, 11, 9, 29, 97, 231, 363]),
        (607, [1, 1, 5, 15, 19, 45, 41, 7, 383]),
        (617, [1, 3, 7, 7, 31, 19, 83, 137, 221]),
        (623, [1, 1, 1, 3, 23, 15, 111, 223, 83]),
        (631, [1, 1, 5, 13, 31, 15, 55, 25, 161]),
        (637, [1, 1, 3, 13, 25, 47, 39, 87, 257]),
    ]
}
