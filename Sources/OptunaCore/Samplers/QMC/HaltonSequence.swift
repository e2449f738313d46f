/// Halton points, as SciPy's `scipy.stats.qmc.Halton`: the radical inverse of the index in the first
/// `dimension` primes, optionally scrambled by a random digit permutation per base and digit position
/// (SciPy's method, with this project's generator supplying the permutations).
public struct HaltonSequence: Sendable {
    /// Dimensions.
    public let dimension: Int
    /// The base of each dimension.
    public let bases: [Int]
    /// Per dimension, per digit position, the permutation of the digits; empty when unscrambled.
    let permutations: [[[Int]]]

    /// The sequence in `dimension` dimensions.
    ///
    /// - Parameter scrambleSeed: nil for the plain sequence; otherwise the seed of the scramble.
    public init(dimension: Int, scrambleSeed: UInt64? = nil) {
        self.dimension = dimension
        bases = Self.primes(dimension)
        guard let seed = scrambleSeed else {
            permutations = []
            return
        }
        var rng = SeededGenerator(seed: seed, trialNumber: 0, salt: "halton-scramble")
        permutations = bases.map { base in
            let count = Int((54 / CoreMath.log(Double(base)) * CoreMath.log(2)).rounded(.up)) - 1
            return (0..<count).map { _ in
                var perm = Array(0..<base)
                for i in stride(from: base - 1, to: 0, by: -1) { perm.swapAt(i, rng.index(below: i + 1)) }
                return perm
            }
        }
    }

    /// Point number `index` (0-based) in `[0, 1)^dimension`.
    public func point(_ index: Int) -> [Double] {
        (0..<dimension).map { d in
            let base = bases[d]
            var k = index
            var value = 0.0
            var scale = 1 / Double(base)
            if permutations.isEmpty {
                while k > 0 {
                    value += Double(k % base) * scale
                    k /= base
                    scale /= Double(base)
                }
            } else {
                for perm in permutations[d] {
                    value += Double(perm[k % base]) * scale
                    k /= base
                    scale /= Double(base)
                }
            }
            return value
        }
    }

    /// The first `count` primes.
    static func primes(_ count: Int) -> [Int] {
        var out: [Int] = []
        var candidate = 2
        while out.count < count {
            if out.allSatisfy({ $0 * $0 > candidate || candidate % $0 != 0 }) { out.append(candidate) }
            candidate += 1
        }
        return out
    }
}
