/// MOTPE's choice of the "below" trials among COMPLETE ones with several objectives (Optuna 5).
///
/// Trials are ranked by non-domination (rank 0 is the Pareto front of the loss vectors, rank 1 the front
/// once rank 0 is removed, …). Whole ranks go below while they fit in `nBelow`; the rank that does not fit
/// is cut by greedy hypervolume subset selection (HSSP), keeping the trials that add the most hypervolume
/// with respect to a reference point just beyond that rank's worst values.
enum TPEParetoSplit {
    /// The indices (into `points`) of the `nBelow` trials that go below.
    ///
    /// - Parameters:
    ///   - points: loss vectors (smaller is better), `objectiveCount` per trial, row-major.
    ///   - objectiveCount: the number of objectives (2 or more).
    ///   - nBelow: how many to choose, clipped to the number of points.
    /// - Returns: the chosen indices, ascending.
    static func below(points: [Double], objectiveCount m: Int, nBelow requested: Int) -> [Int] {
        let n = m > 0 ? points.count / m : 0
        let nBelow = min(max(requested, 0), n)
        if nBelow == 0 { return [] }
        if nBelow == n { return Array(0..<n) }
        let ranks = nonDominationRanks(points: points, objectiveCount: m, nBelow: nBelow)
        let maxRank = ranks.max() ?? 0
        var counts = [Int](repeating: 0, count: maxRank + 1)
        for r in ranks { counts[r] += 1 }
        var lastFull = -1
        var cumulative = 0
        for r in 0...maxRank {
            cumulative += counts[r]
            if cumulative <= nBelow { lastFull = r } else { break }
        }
        var chosen = (0..<n).filter { ranks[$0] <= lastFull }
        if chosen.count < nBelow {
            let tied = (0..<n).filter { ranks[$0] == lastFull + 1 }
            var tiedPoints: [Double] = []
            tiedPoints.reserveCapacity(tied.count * m)
            for i in tied { tiedPoints.append(contentsOf: points[(i * m)..<((i + 1) * m)]) }
            let picked = hypervolumeSubset(
                points: tiedPoints, objectiveCount: m, size: nBelow - chosen.count,
                reference: referencePoint(tiedPoints, objectiveCount: m))
            chosen += picked.map { tied[$0] }
        }
        return chosen.sorted()
    }

    /// The reference point for HSSP: per objective `max(1.1 w, 0.9 w)` of the worst value `w`, with
    /// zeros replaced by 1e-12.
    static func referencePoint(_ points: [Double], objectiveCount m: Int) -> [Double] {
        var worst = [Double](repeating: -.infinity, count: m)
        for (i, v) in points.enumerated() { worst[i % m] = max(worst[i % m], v) }
        return worst.map { w in
            let r = max(1.1 * w, 0.9 * w)
            return r == 0 ? 1e-12 : r
        }
    }

    /// Non-domination ranks, exact for the best trials up to `nBelow` distinct loss vectors; all worse
    /// trials share the next rank. Equal loss vectors share a rank.
    static func nonDominationRanks(points: [Double], objectiveCount m: Int, nBelow: Int) -> [Int] {
        let (unique, inverse) = uniqueRows(points, objectiveCount: m)
        let uniqueCount = unique.count / m
        let target = min(nBelow, uniqueCount)
        var uniqueRanks = [Int](repeating: 0, count: uniqueCount)
        var remaining = Array(0..<uniqueCount)
        var rank = 0
        while uniqueCount - remaining.count < target {
            let onFront = paretoFront(unique, objectiveCount: m, rows: remaining)
            var next: [Int] = []
            for (position, row) in remaining.enumerated() {
                if onFront[position] { uniqueRanks[row] = rank } else { next.append(row) }
            }
            remaining = next
            rank += 1
        }
        for row in remaining { uniqueRanks[row] = rank }
        return inverse.map { uniqueRanks[$0] }
    }

    /// The distinct rows of `points` in lexicographic order, and for each original row its distinct index.
    static func uniqueRows(_ points: [Double], objectiveCount m: Int) -> (rows: [Double], inverse: [Int]) {
        let (order, groupOf) = lexicographicGroups(points, objectiveCount: m)
        var rows: [Double] = []
        var inverse = [Int](repeating: 0, count: order.count)
        var lastGroup = -1
        for i in order {
            if groupOf[i] != lastGroup {
                rows.append(contentsOf: points[(i * m)..<((i + 1) * m)])
                lastGroup = groupOf[i]
            }
            inverse[i] = groupOf[i]
        }
        return (rows, inverse)
    }

    /// The rows in lexicographic order (ties by index), and each row's group number among distinct rows.
    static func lexicographicGroups(_ points: [Double], objectiveCount m: Int) -> (order: [Int], group: [Int]) {
        let n = points.count / m
        let order = (0..<n).sorted { a, b in
            for j in 0..<m where points[a * m + j] != points[b * m + j] {
                return points[a * m + j] < points[b * m + j]
            }
            return a < b
        }
        var group = [Int](repeating: 0, count: n)
        var current = -1
        var previous: Int?
        for i in order {
            if let p = previous, (0..<m).allSatisfy({ points[p * m + $0] == points[i * m + $0] }) {
                group[i] = current
            } else {
                current += 1
                group[i] = current
            }
            previous = i
        }
        return (order, group)
    }

    /// Which of `rows` (distinct, in lexicographic order) no other of them dominates.
    static func paretoFront(_ points: [Double], objectiveCount m: Int, rows: [Int]) -> [Bool] {
        var onFront = [Bool](repeating: false, count: rows.count)
        if m == 2 {
            // Sorted by the first objective, a row is on the front iff its second objective is a new minimum.
            var best = Double.infinity
            for (position, row) in rows.enumerated() {
                let y = points[row * 2 + 1]
                if position == 0 || y < best { onFront[position] = true }
                best = min(best, y)
            }
            return onFront
        }
        // The first remaining row is never dominated; drop every row it dominates and repeat.
        var remaining = Array(rows.indices)
        while let top = remaining.first {
            onFront[top] = true
            let t = rows[top]
            remaining = remaining.dropFirst().filter { position in
                let r = rows[position]
                return (1..<m).contains { points[r * m + $0] < points[t * m + $0] }
            }
        }
        return onFront
    }
}
