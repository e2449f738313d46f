/// Splits the region a new point would improve a Pareto front in into disjoint boxes, as Optuna's
/// `_hypervolume/box_decomposition.py` does (Lacour, Klamroth and Fonseca, "A Box Decomposition Algorithm
/// to Compute the Hypervolume Indicator", 2017, Algorithm 2, applied twice).
///
/// The hypervolume improvement of a point `y` (maximized objectives) is then
/// `Σ_boxes Π_m clamp(y_m - lower_m, 0, upper_m - lower_m)`.
enum GPBoxDecomposition {
    /// The boxes, in maximization space: `lower` is finite, `upper` may be `+∞`.
    struct Boxes: Sendable {
        var lower: [[Double]]
        var upper: [[Double]]
    }

    /// Optuna's reference point for maximized values `y` (rows): in loss space (`-y`), the per-objective
    /// worst value moved 10% further out, then one ulp up.
    static func referencePoint(_ y: [[Double]]) -> [Double] {
        guard let m = y.first?.count else { return [] }
        return (0..<m).map { j in
            let worst = y.map { -$0[j] }.max() ?? 0
            return CoreMath.nextAfter(max(1.1 * worst, 0.9 * worst), .infinity)
        }
    }

    /// The boxes of the region that improves on the maximized values `y`, bounded by `referencePoint`
    /// (loss space). Points that do not dominate the reference point are ignored.
    static func nonDominatedBoxes(_ y: [[Double]], referencePoint ref: [Double]) -> Boxes {
        let losses = y.map { row in row.map { -$0 } }.filter { row in zip(row, ref).allSatisfy { $0 < $1 } }
        let front = paretoFront(uniqueSorted(losses))
        guard !front.isEmpty else { return Boxes(lower: [], upper: []) }
        let upperSet = upperBoundSet(front, referencePoint: ref).bounds
        let negated = paretoFront(uniqueSorted(upperSet.map { row in row.map { -$0 } }))
        let infinity = [Double](repeating: .infinity, count: ref.count)
        let (bounds, definingPoints) = upperBoundSet(negated, referencePoint: infinity)
        return boxBounds(bounds, definingPoints, referencePoint: infinity)
    }

    /// Rows sorted lexicographically, duplicates removed (NumPy's `unique(axis=0)`).
    static func uniqueSorted(_ rows: [[Double]]) -> [[Double]] {
        let sorted = rows.sorted { a, b in
            for (x, y) in zip(a, b) where x != y { return x < y }
            return false
        }
        var out: [[Double]] = []
        for r in sorted where out.last != r { out.append(r) }
        return out
    }

    /// The non-dominated rows (minimization) of unique, lexicographically sorted rows: a row is kept
    /// unless an earlier one is at least as good in every objective.
    static func paretoFront(_ rows: [[Double]]) -> [[Double]] {
        var front: [[Double]] = []
        for (i, r) in rows.enumerated() {
            let dominated = rows[0..<i].contains { other in zip(other, r).allSatisfy { $0 <= $1 } }
            if !dominated { front.append(r) }
        }
        return front
    }

    /// Lacour et al.'s Algorithm 2: the upper bound set of `sorted` (a Pareto front sorted by the first
    /// objective) within `referencePoint`, and each bound's defining points (`z^k(u)`, one per objective).
    static func upperBoundSet(_ sorted: [[Double]], referencePoint ref: [Double]) -> (
        bounds: [[Double]], definingPoints: [[[Double]]]
    ) {
        let m = ref.count
        var bounds = [ref]
        var points: [[[Double]]] = [(0..<m).map { k in (0..<m).map { j in j == k ? ref[k] : -.infinity } }]
        for z in sorted {
            var keptBounds: [[Double]] = []
            var keptPoints: [[[Double]]] = []
            var newBounds: [[Double]] = []
            var newPoints: [[[Double]]] = []
            for (u, dp) in zip(bounds, points) {
                guard zip(z, u).allSatisfy({ $0 < $1 }) else {
                    keptBounds.append(u)
                    keptPoints.append(dp)
                    continue
                }
                for j in 0..<m {
                    var limit = -Double.infinity
                    if j > 0 { for k in 0..<m where k != j { limit = max(limit, dp[k][j]) } }
                    guard z[j] >= limit else { continue }
                    var nu = u
                    nu[j] = z[j]
                    var ndp = dp
                    ndp[j] = z
                    newBounds.append(nu)
                    newPoints.append(ndp)
                }
            }
            bounds = keptBounds + newBounds
            points = keptPoints + newPoints
        }
        return (bounds, points)
    }

    /// Eq. (2) of Lacour et al.: the box below each upper bound, dropping empty ones.
    static func boxBounds(_ bounds: [[Double]], _ points: [[[Double]]], referencePoint ref: [Double]) -> Boxes {
        let m = ref.count
        var boxes = Boxes(lower: [], upper: [])
        for (u, dp) in zip(bounds, points) {
            var lower = [Double](repeating: 0, count: m)
            var upper = u
            lower[0] = dp[0][0]
            upper[0] = ref[0]
            for j in 1..<max(m, 1) {
                var v = -Double.infinity
                for k in 0..<j { v = max(v, dp[k][j]) }
                lower[j] = v
            }
            if zip(lower, upper).allSatisfy({ $0 < $1 }) {
                boxes.lower.append(lower)
                boxes.upper.append(upper)
            }
        }
        return boxes
    }
}
