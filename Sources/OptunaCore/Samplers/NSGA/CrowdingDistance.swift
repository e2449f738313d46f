/// NSGA-II's crowding distance and the order it gives a front (Optuna's `_crowding_distance_sort`).
public enum CrowdingDistance {
    /// The crowding distance of each point, in the order Optuna computes it.
    ///
    /// For each objective the points are sorted by that value (stably, starting from the order the
    /// previous objective left), and each point gets the gap between its two neighbours divided by the
    /// range of the finite values. The outermost points neighbour `-inf` and `+inf`, so they get an
    /// infinite distance unless their neighbour is infinite too (`inf - inf` counts as 0). An objective
    /// where all values are equal adds nothing.
    ///
    /// - Returns: the distances by point, and the order of the points after the per-objective sorts.
    public static func distances(_ values: [[Double]]) -> (distances: [Double], order: [Int]) {
        var order = Array(values.indices)
        var distance = [Double](repeating: 0, count: values.count)
        guard let dims = values.first?.count else { return (distance, order) }
        for i in 0..<dims {
            order = stableSorted(order) { values[$0][i] < values[$1][i] }
            guard let first = order.first, let last = order.last, values[first][i] != values[last][i] else { continue }
            var vs: [Double] = [-.infinity]
            vs.append(contentsOf: order.map { values[$0][i] })
            vs.append(.infinity)
            let vMin = vs.first { $0 != -.infinity } ?? 0
            let vMax = vs.last { $0 != .infinity } ?? 0
            var width = vMax - vMin
            if width <= 0 { width = 1 }
            for (j, p) in order.enumerated() {
                let gap = vs[j] == vs[j + 2] ? 0 : vs[j + 2] - vs[j]
                distance[p] += gap / width
            }
        }
        return (distance, order)
    }

    /// The points of one front, most isolated first: Optuna's stable ascending sort by distance, reversed.
    public static func sortedByCrowding(_ values: [[Double]]) -> [Int] {
        let (distance, order) = distances(values)
        return stableSorted(order) { distance[$0] < distance[$1] }.reversed()
    }

    /// `items` sorted by `less`, equal elements keeping their order.
    static func stableSorted(_ items: [Int], by less: (Int, Int) -> Bool) -> [Int] {
        let positioned = items.enumerated().map { ($0.offset, $0.element) }
        return positioned.sorted { a, b in
            if less(a.1, b.1) { return true }
            if less(b.1, a.1) { return false }
            return a.0 < b.0
        }.map(\.1)
    }
}
