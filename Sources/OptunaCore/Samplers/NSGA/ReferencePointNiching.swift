/// NSGA-III's survival step for the front that does not fit whole (Optuna's
/// `NSGAIIIElitePopulationSelectionStrategy`): normalize the objectives, attach every individual to its
/// nearest reference line, then fill the remaining places from the least crowded reference points.
public enum ReferencePointNiching {
    /// Das–Dennis points: every vector of `objectives` non-negative integers summing to `divisions`, in
    /// the order of Python's `combinations_with_replacement(range(objectives), divisions)`.
    public static func defaultReferencePoints(objectives: Int, divisions: Int) -> [[Double]] {
        guard objectives > 0 else { return [] }
        var out: [[Double]] = []
        var combo = [Int](repeating: 0, count: divisions)
        while true {
            var point = [Double](repeating: 0, count: objectives)
            for c in combo { point[c] += 1 }
            out.append(point)
            // Next non-decreasing combination.
            var i = divisions - 1
            while i >= 0, combo[i] == objectives - 1 { i -= 1 }
            if i < 0 { break }
            let v = combo[i] + 1
            for j in i..<divisions { combo[j] = v }
        }
        return out
    }

    /// Chooses `count` members of `front` (indices into it) to join `elite`.
    ///
    /// - Parameters:
    ///   - elite: loss vectors of the individuals already selected.
    ///   - front: loss vectors of the front being split; `front.count >= count`.
    public static func select(
        count: Int, elite: [[Double]], front: [[Double]], referencePoints: [[Double]],
        using rng: inout SeededGenerator
    ) -> [Int] {
        guard count > 0, !front.isEmpty, !referencePoints.isEmpty else { return [] }
        let objectives = normalize(clipInfinities(elite + front))
        let (closest, distance) = associate(objectives, referencePoints: referencePoints)
        return preserveNiches(
            count: min(count, front.count), eliteCount: elite.count, closest: closest, distance: distance,
            using: &rng)
    }

    /// Replaces infinite values by the finite range of their objective widened three times on each side.
    static func clipInfinities(_ matrix: [[Double]]) -> [[Double]] {
        guard let m = matrix.first?.count else { return matrix }
        var out = matrix
        for j in 0..<m {
            let finite = matrix.map { $0[j] }.filter(\.isFinite)
            guard let lo = finite.min(), let hi = finite.max() else {
                for i in out.indices { out[i][j] = 0 }
                continue
            }
            let margin = 3 * (hi - lo)
            for i in out.indices { out[i][j] = min(max(out[i][j], lo - margin), hi + margin) }
        }
        return out
    }

    /// Translates the ideal point to the origin and scales by the intercepts of the hyperplane through the
    /// extreme points (or by each objective's maximum when those are degenerate).
    static func normalize(_ matrix: [[Double]]) -> [[Double]] {
        guard let m = matrix.first?.count else { return matrix }
        var obj = matrix
        for j in 0..<m {
            let lo = obj.map { $0[j] }.min() ?? 0
            for i in obj.indices { obj[i][j] -= lo }
        }
        var extremes: [[Double]] = []
        for d in 0..<m {
            var best = 0
            var bestValue = Double.infinity
            for (i, row) in obj.enumerated() {
                var asf = -Double.infinity
                for j in 0..<m { asf = max(asf, row[j] * (j == d ? 1 : 1e6)) }
                if asf < bestValue {
                    bestValue = asf
                    best = i
                }
            }
            extremes.append(obj[best])
        }
        var inverse: [Double]
        if extremes.allSatisfy({ $0.allSatisfy(\.isFinite) }),
            let solved = LinearSolve.solve(extremes, [Double](repeating: 1, count: m))
        {
            inverse = solved
        } else {
            inverse = (0..<m).map { j in
                let top = obj.map { $0[j] }.max() ?? 0
                return 1 / (top == 0 ? 1 : top)
            }
        }
        inverse = inverse.map { $0.isFinite ? $0 : 1 }
        for i in obj.indices { for j in 0..<m { obj[i][j] *= inverse[j] } }
        return obj
    }

    /// For each point, the nearest reference line (the first on ties) and the distance to it.
    static func associate(_ points: [[Double]], referencePoints: [[Double]]) -> (closest: [Int], distance: [Double]) {
        var closest: [Int] = []
        var distance: [Double] = []
        let norms = referencePoints.map { r in r.reduce(0) { $0 + $1 * $1 } }
        for p in points {
            var best = 0
            var bestDistance = Double.infinity
            for (k, r) in referencePoints.enumerated() {
                let scale = zip(p, r).reduce(0) { $0 + $1.0 * $1.1 } / norms[k]
                var squared = 0.0
                for (x, y) in zip(p, r) {
                    let diff = x - scale * y
                    squared += diff * diff
                }
                let d = squared.squareRoot()
                if d < bestDistance {
                    bestDistance = d
                    best = k
                }
            }
            closest.append(best)
            distance.append(bestDistance)
        }
        return (closest, distance)
    }

    /// Picks `count` borderline individuals, one at a time from the reference point with the fewest elite
    /// neighbours: the nearest one while that point has none, a random one otherwise.
    static func preserveNiches(
        count: Int, eliteCount: Int, closest: [Int], distance: [Double], using rng: inout SeededGenerator
    ) -> [Int] {
        var borderline: [Int: [(distance: Double, index: Int)]] = [:]
        var order: [Int] = []
        for i in eliteCount..<closest.count {
            let r = closest[i]
            if borderline[r] == nil { order.append(r) }
            borderline[r, default: []].append((distance[i], i - eliteCount))
        }
        var eliteNeighbours: [Int: Int] = [:]
        for i in 0..<eliteCount { eliteNeighbours[closest[i], default: 0] += 1 }
        var byCount: [Int: [Int]] = [:]
        for r in order { byCount[eliteNeighbours[r] ?? 0, default: []].append(r) }

        var chosen: [Int] = []
        var shuffled = Set<Int>()
        var level = -1
        while chosen.count < count, level <= closest.count {
            guard var refs = byCount[level], let r = refs.popLast() else {
                level += 1
                if var next = byCount[level] {
                    shuffle(&next, using: &rng)
                    byCount[level] = next
                }
                continue
            }
            byCount[level] = refs
            var members = borderline[r] ?? []
            if level > 0, !shuffled.contains(r) {
                shuffle(&members, using: &rng)
                shuffled.insert(r)
            } else if level == 0 {
                members.sort { ($0.distance, $0.index) > ($1.distance, $1.index) }
            }
            guard let picked = members.popLast() else { continue }
            borderline[r] = members
            chosen.append(picked.index)
            if !members.isEmpty { byCount[level + 1, default: []].append(r) }
        }
        return chosen
    }

    /// Fisher–Yates from the end, as NumPy's `shuffle`.
    static func shuffle<T>(_ items: inout [T], using rng: inout SeededGenerator) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            items.swapAt(i, rng.index(below: i + 1))
        }
    }
}
