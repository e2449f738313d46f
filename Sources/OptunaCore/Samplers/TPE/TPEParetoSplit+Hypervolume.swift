extension TPEParetoSplit {
    /// Greedy hypervolume subset selection: `size` indices into `points`, each step taking the point that
    /// adds the most hypervolume to those already taken (the first in lexicographic order on ties).
    ///
    /// Duplicated loss vectors count once; when there are fewer distinct vectors than `size`, every
    /// distinct one is taken plus the earliest duplicates. A non-finite reference point makes hypervolume
    /// meaningless, and then the first `size` distinct vectors in lexicographic order are taken.
    static func hypervolumeSubset(points: [Double], objectiveCount m: Int, size: Int, reference: [Double]) -> [Int] {
        let n = points.count / m
        if size >= n { return Array(0..<n) }
        let (order, group) = lexicographicGroups(points, objectiveCount: m)
        // The first occurrence (lowest index) of each distinct vector, in lexicographic order.
        var firsts: [Int] = []
        var seenGroups = Set<Int>()
        for i in order where seenGroups.insert(group[i]).inserted { firsts.append(i) }
        if firsts.count < size {
            let firstSet = Set(firsts)
            let duplicates = (0..<n).filter { !firstSet.contains($0) }
            return (firsts + duplicates.prefix(size - firsts.count)).sorted()
        }
        let finite = reference.allSatisfy(\.isFinite) && points.allSatisfy(\.isFinite)
        if !finite || firsts.count == size { return Array(firsts.prefix(size)) }
        let candidates = firsts.map { Array(points[($0 * m)..<(($0 + 1) * m)]) }
        let picked =
            m == 2
            ? greedyTwoObjectives(candidates, size: size, reference: reference)
            : greedy(candidates, size: size, reference: reference)
        return picked.map { firsts[$0] }
    }

    /// Greedy selection for two objectives on mutually non-dominated points in lexicographic order, where
    /// each point's contribution is the rectangle up to its nearest chosen neighbours (or the reference).
    private static func greedyTwoObjectives(_ points: [[Double]], size: Int, reference: [Double]) -> [Int] {
        var alive = Array(points.indices)
        var corner = points.map { _ in reference }
        var chosen: [Int] = []
        for _ in 0..<size {
            var best = -Double.infinity
            var bestPosition = 0
            for (position, i) in alive.enumerated() {
                let c = (corner[i][0] - points[i][0]) * (corner[i][1] - points[i][1])
                if c > best {
                    best = c
                    bestPosition = position
                }
            }
            let picked = alive.remove(at: bestPosition)
            chosen.append(picked)
            for (position, i) in alive.enumerated() {
                if position < bestPosition {
                    corner[i][0] = min(corner[i][0], points[picked][0])
                } else {
                    corner[i][1] = min(corner[i][1], points[picked][1])
                }
            }
        }
        return chosen
    }

    /// Greedy selection for three or more objectives. Contributions only shrink as points are chosen
    /// (hypervolume is submodular), so each step evaluates candidates from the largest previous bound down
    /// and stops once no remaining bound can beat the best exact contribution.
    private static func greedy(_ points: [[Double]], size: Int, reference: [Double]) -> [Int] {
        var alive = Array(points.indices)
        var bound = points.map { inclusiveVolume($0, reference) }
        var chosen: [[Double]] = []
        var chosenIndices: [Int] = []
        for step in 0..<size {
            var best = -Double.infinity
            var bestPosition = 0
            let byBound = alive.indices.sorted {
                bound[alive[$0]] > bound[alive[$1]] || (bound[alive[$0]] == bound[alive[$1]] && $0 < $1)
            }
            for position in byBound {
                let i = alive[position]
                if bound[i] < best { break }
                let exact: Double
                if step == 0 {
                    exact = bound[i]
                } else {
                    let limited = chosen.map { c in zip(c, points[i]).map { max($0, $1) } }
                    exact = bound[i] == 0 ? 0 : inclusiveVolume(points[i], reference) - hypervolume(limited, reference)
                }
                bound[i] = exact
                if exact > best || (exact == best && position < bestPosition) {
                    best = exact
                    bestPosition = position
                }
            }
            let picked = alive.remove(at: bestPosition)
            chosen.append(points[picked])
            chosenIndices.append(picked)
        }
        return chosenIndices
    }

    /// The volume of the box between a point and the reference.
    static func inclusiveVolume(_ p: [Double], _ reference: [Double]) -> Double {
        var v = 1.0
        for j in p.indices { v *= reference[j] - p[j] }
        return v
    }

    /// The hypervolume dominated by `points` (each `<=` the reference) up to `reference`.
    ///
    /// Two objectives sum a staircase; more use the WFG recursion: sorted by the first objective, each
    /// point adds its box minus the hypervolume of the later points clipped to that box.
    static func hypervolume(_ points: [[Double]], _ reference: [Double]) -> Double {
        let front = nonDominated(points)
        if front.isEmpty { return 0 }
        if front.count == 1 { return inclusiveVolume(front[0], reference) }
        let sorted = front.sorted { $0.lexicographicallyPrecedes($1) }
        if reference.count == 2 {
            var volume = 0.0
            var ceiling = reference[1]
            for p in sorted {
                volume += (reference[0] - p[0]) * (ceiling - p[1])
                ceiling = p[1]
            }
            return volume
        }
        var volume = 0.0
        for (i, p) in sorted.enumerated() {
            let limited = sorted[(i + 1)...].map { q in zip(q, p).map { max($0, $1) } }
            volume += inclusiveVolume(p, reference) - hypervolume(Array(limited), reference)
        }
        return volume
    }

    /// The distinct points no other point dominates (weakly: a duplicate is dropped).
    static func nonDominated(_ points: [[Double]]) -> [[Double]] {
        var front: [[Double]] = []
        for p in points.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            let covered = front.contains { f in zip(f, p).allSatisfy { $0 <= $1 } }
            if !covered { front.append(p) }
        }
        return front
    }
}
