/// One parameter's values across the finished trials of a study, kept sorted as trials finish.
///
/// Values are in the estimator's space (log for log ranges, the index for categorical parameters) and
/// indexed by trial number; NaN marks a trial without the parameter. ``sorted`` lists the trials that
/// have it by `(value, number)` (``sortedValues`` beside it), so the bandwidth rule needs no sort per ask:
/// a new trial costs one binary search and one insertion.
final class TPEColumn {
    /// The parameter's name.
    let name: String
    /// Whether values are stored as logarithms.
    let isLog: Bool
    /// Values by trial number (NaN where absent).
    private(set) var values: [Double] = []
    /// Numbers of the finished trials having the parameter, by `(value, number)`.
    private(set) var sorted: [Int32] = []
    /// The values of ``sorted``, in the same order.
    private(set) var sortedValues: [Double] = []
    /// By trial number: `max(v - previous, next - v)` over the trial's neighbours in ``sorted``, for a
    /// trial with a neighbour on each side; NaN otherwise. This is the trial's bandwidth before clipping
    /// when every finished trial is an observation, so an "above" estimator only recomputes the
    /// bandwidths next to the trials it leaves out or adds (see
    /// ``TPEHistory/fillNumerical(_:dimension:_:members:excluded:running:kernelOf:)``).
    private(set) var interiorGap: [Double] = []
    /// Cached penalty terms of this parameter's kernels in "above" estimators.
    let aboveTerms = TPETermsCache()
    /// Cached penalty terms of this parameter's kernels in "below" estimators.
    var belowTerms = TPEBelowTermsCache()

    /// An empty column.
    init(name: String, isLog: Bool) {
        self.name = name
        self.isLog = isLog
    }

    /// Makes room for trial numbers below `count`.
    func grow(to count: Int) {
        if values.count < count { values.append(contentsOf: repeatElement(.nan, count: count - values.count)) }
        if interiorGap.count < count {
            interiorGap.append(contentsOf: repeatElement(.nan, count: count - interiorGap.count))
        }
    }

    /// The stored form of an internal value.
    @inline(__always)
    func stored(_ internalValue: Double) -> Double {
        isLog ? CoreMath.log(internalValue) : internalValue
    }

    /// Records a finished trial's internal value.
    func add(number: Int, internalValue: Double) {
        grow(to: number + 1)
        let v = stored(internalValue)
        values[number] = v
        let position = insertionPoint(value: v, number: number)
        sorted.insert(Int32(number), at: position)
        sortedValues.insert(v, at: position)
        // Only the new trial and its two neighbours have new neighbours.
        for i in max(position - 1, 0)...min(position + 1, sorted.count - 1) { setInteriorGap(at: i) }
    }

    /// Records many finished trials at once (used when the column is created), then sorts once.
    func addAll(_ entries: [(number: Int, internalValue: Double)]) {
        for (number, internalValue) in entries {
            grow(to: number + 1)
            values[number] = stored(internalValue)
            sorted.append(Int32(number))
        }
        let v = values
        sorted.sort { a, b in
            let va = v[Int(a)]
            let vb = v[Int(b)]
            return va < vb || (va == vb && a < b)
        }
        sortedValues = sorted.map { v[Int($0)] }
        for i in sorted.indices { setInteriorGap(at: i) }
    }

    private func setInteriorGap(at i: Int) {
        let n = Int(sorted[i])
        guard i > 0, i < sorted.count - 1 else {
            interiorGap[n] = .nan
            return
        }
        let v = sortedValues[i]
        // The expression of the bandwidth walk, so that the results are the same bit for bit.
        interiorGap[n] = max(v - sortedValues[i - 1], sortedValues[i + 1] - v)
    }

    private func insertionPoint(value: Double, number: Int) -> Int {
        var lo = 0
        var hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            let ov = sortedValues[mid]
            if ov < value || (ov == value && Int(sorted[mid]) < number) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
