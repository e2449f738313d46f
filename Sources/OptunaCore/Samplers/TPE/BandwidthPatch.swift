/// The bandwidths of one numerical dimension of an "above" estimator, from the column's interior gaps
/// with the few that differ recomputed.
///
/// A member's bandwidth is the larger gap to its neighbours in the sorted order of the members (finished
/// trials and running rows, by value then number), clipped; the outermost members follow
/// ``ParzenBandwidth``'s end rules. For a member whose neighbours in the column (every finished trial)
/// are members too, with no running row in between, the unclipped bandwidth is the column's
/// ``TPEColumn/interiorGap``. The others are the nearest members on each side of a left-out trial or of a
/// running row, the running rows themselves, and the first and last members: those are recomputed from
/// their neighbours with the expressions of the full walk, so every bandwidth is the walk's bit for bit.
///
/// This needs the column's left-out trials to be known (every finished trial has every parameter), and
/// costs one sequential pass plus a few binary searches per left-out trial and running row, where the
/// walk visits the column in sorted order and writes each bandwidth to a random kernel.
struct BandwidthPatch {
    private let sigma: UnsafeMutablePointer<Double>
    private let low: Double
    private let high: Double
    private let width: Double
    private let minimum: Double
    private let considerEndpoints: Bool
    private let count: Int
    private let column: TPEColumn
    /// The running rows' values and numbers, ascending by value then number.
    private let running: [(value: Double, number: Int)]
    private let kernelOf: UnsafeBufferPointer<Int32>

    /// A patch for dimension `d` of `e`, whose observation kernels are indexed by `kernelOf` (by trial
    /// number; negative for trials that are not members).
    init(
        _ e: ParzenEstimator, dimension d: Int, _ p: TPEParameter, running: [(value: Double, number: Int)],
        kernelOf: UnsafeBufferPointer<Int32>
    ) {
        sigma = e.sigma.pointer + d * e.kernelCount
        low = p.dimension.low
        high = p.dimension.high
        width = p.dimension.high - p.dimension.low
        count = e.observationCount
        minimum = ParzenBandwidth.minimum(
            width: width, observationCount: count, magicClip: e.parameters.considerMagicClip)
        considerEndpoints = e.parameters.considerEndpoints
        column = p.column
        self.running = running
        self.kernelOf = kernelOf
    }

    /// Writes every observation kernel's bandwidth.
    ///
    /// - Parameters:
    ///   - members: the kernels' trial numbers, in kernel order.
    ///   - excluded: the column's trials that are not members.
    func fill(members: [Int32], excluded: [Int32]) {
        column.interiorGap.withUnsafeBufferPointer { gap in
            members.withUnsafeBufferPointer { members in
                // Running rows and the column's ends read NaN here; they are recomputed below.
                for k in members.indices { sigma[k] = clip(gap[Int(members[k])]) }
            }
        }
        column.sortedValues.withUnsafeBufferPointer { values in
            column.sorted.withUnsafeBufferPointer { numbers in
                let walk = Walk(values: values, numbers: numbers, kernelOf: kernelOf)
                for b in excluded {
                    let n = Int(b)
                    let i = walk.position(value: column.values[n], number: n)
                    if let left = walk.member(from: i - 1, step: -1) { recompute(left, walk) }
                    if let right = walk.member(from: i + 1, step: 1) { recompute(right, walk) }
                }
                let rows = running.map { row -> Member in
                    (row.value, row.number, walk.position(value: row.value, number: row.number), false)
                }
                for row in rows {
                    if let left = walk.member(from: row.position - 1, step: -1) { recompute(left, walk) }
                    if let right = walk.member(from: row.position, step: 1) { recompute(right, walk) }
                    recompute(row, walk)
                }
                // The outermost members follow the end rules.
                let ends =
                    [walk.member(from: 0, step: 1), walk.member(from: numbers.count - 1, step: -1)]
                    + [rows.first, rows.last]
                let present = ends.compactMap { $0 }
                if let first = present.min(by: { ($0.value, $0.number) < ($1.value, $1.number) }) {
                    recompute(first, walk)
                }
                if let last = present.max(by: { ($0.value, $0.number) < ($1.value, $1.number) }) {
                    recompute(last, walk)
                }
            }
        }
    }

    /// A member: value, trial number, position in the column (where it would be inserted for a running
    /// row) and whether it is a finished trial.
    typealias Member = (value: Double, number: Int, position: Int, finished: Bool)

    /// Finds finished members in the column.
    private struct Walk {
        let values: UnsafeBufferPointer<Double>
        let numbers: UnsafeBufferPointer<Int32>
        let kernelOf: UnsafeBufferPointer<Int32>

        /// The position of trial `number` (value `value`) in the column's order, or where it would go.
        func position(value: Double, number: Int) -> Int {
            var lo = 0
            var hi = numbers.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if (values[mid], Int(numbers[mid])) < (value, number) { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }

        /// The first member at or after position `i` in direction `step` (±1), if any.
        func member(from i: Int, step: Int) -> Member? {
            var j = i
            while j >= 0, j < numbers.count {
                let n = Int(numbers[j])
                if kernelOf[n] >= 0 { return (values[j], n, j, true) }
                j += step
            }
            return nil
        }
    }

    /// Sets the bandwidth of member `t` from its neighbours among the members.
    private func recompute(_ t: Member, _ walk: Walk) {
        let key = (t.value, t.number)
        // Finished neighbours: the column positions before and after it.
        var left = walk.member(from: t.position - 1, step: -1).map { ($0.value, $0.number) }
        var right = walk.member(from: t.finished ? t.position + 1 : t.position, step: 1).map { ($0.value, $0.number) }
        for row in running {
            let r = (row.value, row.number)
            if r < key, left.map({ $0 < r }) ?? true { left = r }
            if key < r, right.map({ r < $0 }) ?? true { right = r }
        }
        let v = t.value
        let s: Double
        switch (left?.0, right?.0) {
        case (nil, nil): s = clip(max(v - low, high - v))
        case (nil, let r?): s = considerEndpoints ? clip(max(v - low, r - v)) : clip(r - v)
        case (let l?, nil): s = considerEndpoints ? clip(max(v - l, high - v)) : clip(v - l)
        case (let l?, let r?): s = clip(max(v - l, r - v))
        }
        sigma[Int(kernelOf[t.number])] = s
    }

    @inline(__always)
    private func clip(_ gap: Double) -> Double { min(max(gap, minimum), width) }
}
