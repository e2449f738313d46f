/// The one-sample Wilcoxon signed-rank test as SciPy's `wilcoxon(d, zero_method="zsplit")` computes
/// its p-value with the default `method="auto"` and no continuity correction.
///
/// The statistic is the sum of the (average) ranks of `|d|` over positive differences, plus half the
/// ranks of zero differences. SciPy picks the p-value's method by sample size:
/// - more than 50 differences, or 14 to 50 with ties or zeros: the normal approximation with the tie
///   correction of the variance;
/// - up to 50 without ties or zeros: the exact null distribution (counts of rank subsets over `2^n`);
/// - up to 13 with ties or zeros: every one of the `2^n` sign flips (SciPy's exact permutation test).
///
/// The exact and permutation p-values are dyadic fractions computed exactly, so they equal SciPy's bit
/// for bit; the normal one uses the C library's `erf`/`erfc` where SciPy uses Cephes', which can differ
/// in the last bit.
enum WilcoxonSignedRankTest {
    /// The alternative hypothesis about the differences' location.
    enum Alternative: Sendable {
        /// The differences tend to be negative.
        case less
        /// The differences tend to be positive.
        case greater
    }

    /// The p-value for `differences` (all finite, at least one).
    static func pValue(_ differences: [Double], alternative: Alternative) -> Double {
        let n = differences.count
        let ranking = AverageRanks(differences.map { abs($0) })
        let hasZeros = differences.contains(0)
        let observed = statistic(differences, ranks: ranking.ranks)
        if n > 50 || ((ranking.hasTies || hasZeros) && n > 13) {
            return normalPValue(observed, n: n, tieCounts: ranking.tieCounts, alternative: alternative)
        }
        if !(ranking.hasTies || hasZeros) {
            return exactPValue(observed, n: n, alternative: alternative)
        }
        return signFlipPValue(differences, ranks: ranking.ranks, observed: observed, alternative: alternative)
    }

    /// Sum of ranks of positive differences plus half the ranks of zero ones.
    private static func statistic(_ d: [Double], ranks: [Double]) -> Double {
        var plus = 0.0
        var zeros = 0.0
        for i in d.indices {
            if d[i] > 0 { plus += ranks[i] } else if d[i] == 0 { zeros += ranks[i] }
        }
        return plus + zeros / 2
    }

    private static func normalPValue(
        _ observed: Double, n: Int, tieCounts: [Int], alternative: Alternative
    ) -> Double {
        let count = Double(n)
        let mean = count * (count + 1) * 0.25
        var variance = count * (count + 1) * (2 * count + 1)
        var tieCorrection = 0.0
        for t in tieCounts {
            let tt = Double(t)
            tieCorrection += tt * tt * tt - tt
        }
        variance = ((variance - tieCorrection / 2) / 24).squareRoot()
        let z = (observed - mean) / variance
        return alternative == .less ? StandardNormal.cdf(z) : StandardNormal.cdf(-z)
    }

    /// `P(T <= ceil(observed))` (less) or `P(T >= floor(observed))` (greater) under the exact null
    /// distribution of the rank sum of `n` untied, non-zero differences.
    private static func exactPValue(_ observed: Double, n: Int, alternative: Alternative) -> Double {
        // counts[k]: subsets of {1, …, n} whose sum is k; at most C(50, 25) < 2^53, so exact.
        let maxSum = n * (n + 1) / 2
        var counts = [UInt64](repeating: 0, count: maxSum + 1)
        counts[0] = 1
        var reach = 0
        for r in 1...n {
            reach += r
            for k in stride(from: reach, through: r, by: -1) { counts[k] += counts[k - r] }
        }
        var hits: UInt64 = 0
        switch alternative {
        case .less:
            let k = min(Int(observed.rounded(.up)), maxSum)
            if k >= 0 { for j in 0...k { hits += counts[j] } }
        case .greater:
            let k = max(Int(observed.rounded(.down)), 0)
            if k <= maxSum { for j in k...maxSum { hits += counts[j] } }
        }
        return Double(hits) / Double(sign: .plus, exponent: n, significand: 1)
    }

    /// The share of the `2^n` sign flips of `d` whose statistic is at most (less) or at least
    /// (greater) the observed one, within SciPy's relative tolerance of `100 * ulp(1)`.
    private static func signFlipPValue(
        _ d: [Double], ranks: [Double], observed: Double, alternative: Alternative
    ) -> Double {
        let n = d.count
        var zeroHalf = 0.0
        for i in d.indices where d[i] == 0 { zeroHalf += ranks[i] }
        zeroHalf /= 2
        let gamma = abs(Double.ulpOfOne * 100 * observed)
        var hits = 0
        for mask in 0..<(1 << n) {
            // Bit i set: the i-th difference is positive after the flip. Zeros stay zero.
            var plus = 0.0
            for i in d.indices where d[i] != 0 && mask & (1 << i) != 0 { plus += ranks[i] }
            let value = plus + zeroHalf
            switch alternative {
            case .less: if value <= observed + gamma { hits += 1 }
            case .greater: if value >= observed - gamma { hits += 1 }
            }
        }
        return min(max(Double(hits) / Double(1 << n), 0), 1)
    }
}

/// Average ranks (ties share the mean of their positions, from 1) and tie group sizes, as SciPy's `_rankdata`.
struct AverageRanks {
    /// The rank of each value, in input order.
    let ranks: [Double]
    /// The size of each group of equal values, smallest values first.
    let tieCounts: [Int]

    /// Whether two values are equal.
    var hasTies: Bool { tieCounts.contains { $0 > 1 } }

    /// Ranks `values` (no NaN).
    init(_ values: [Double]) {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var counts: [Int] = []
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count && values[order[end]] == values[order[start]] { end += 1 }
            let rank = Double(start + 1) + Double(end - start - 1) / 2
            for i in start..<end { ranks[order[i]] = rank }
            counts.append(end - start)
            start = end
        }
        self.ranks = ranks
        self.tieCounts = counts
    }
}
