/// Non-domination over loss vectors where smaller is better in every coordinate.
public enum ParetoFront {
    /// Whether `a` dominates `b`: no worse in every coordinate and better in at least one.
    @inlinable
    public static func dominates(_ a: [Double], _ b: [Double]) -> Bool {
        var strictlyBetter = false
        for i in a.indices {
            if a[i] > b[i] { return false }
            if a[i] < b[i] { strictlyBetter = true }
        }
        return strictlyBetter
    }

    /// The indices of the points no other point dominates, ascending.
    ///
    /// Sorts lexicographically first, so a point can only be dominated by one before it; for two
    /// objectives that makes one pass enough, and otherwise each point is checked against the front so far.
    public static func nonDominatedIndices(_ points: [[Double]]) -> [Int] {
        guard !points.isEmpty else { return [] }
        let order = points.indices.sorted { lexicographicallyLess(points[$0], points[$1]) }
        var front: [Int] = []
        for i in order {
            let p = points[i]
            if front.contains(where: { dominates(points[$0], p) }) { continue }
            front.append(i)
        }
        return front.sorted()
    }

    private static func lexicographicallyLess(_ a: [Double], _ b: [Double]) -> Bool {
        for i in a.indices where a[i] != b[i] { return a[i] < b[i] }
        return false
    }

    /// Non-domination ranks (0 = the Pareto front, 1 = the front once rank 0 is removed, …).
    public static func ranks(_ points: [[Double]]) -> [Int] {
        var rank = [Int](repeating: -1, count: points.count)
        var remaining = Array(points.indices)
        var current = 0
        while !remaining.isEmpty {
            let sub = remaining.map { points[$0] }
            let frontLocal = nonDominatedIndices(sub)
            let frontSet = Set(frontLocal)
            for j in frontLocal { rank[remaining[j]] = current }
            remaining = remaining.enumerated().filter { !frontSet.contains($0.offset) }.map(\.element)
            current += 1
        }
        return rank
    }
}
