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
    /// The range the cached kernel terms hold for: (low, high, maximum bin width).
    private var cacheRange: (Double, Double, Double)?
    /// Cached kernel terms by trial number: the bandwidth they hold for (NaN when none)…
    private var cacheSigma: [Double] = []
    /// … `sqrt(1/2) / sigma` …
    private var cacheScale: [Double] = []
    /// … the peak log density …
    private var cachePeak: [Double] = []
    /// … the log mass of the range (kept for discrete dimensions only) …
    private var cacheRangeLogMass: [Double] = []
    /// … and the slack of the discrete penalty bound (discrete dimensions only).
    private var cacheSlack: [Double] = []

    /// An empty column.
    init(name: String, isLog: Bool) {
        self.name = name
        self.isLog = isLog
    }

    /// Makes room for trial numbers below `count`.
    func grow(to count: Int) {
        if values.count < count { values.append(contentsOf: repeatElement(.nan, count: count - values.count)) }
    }

    /// Pointers into the terms cache, by trial number.
    struct TermsCachePointers {
        /// The bandwidth each trial's terms hold for (NaN when none).
        let sigma: UnsafeMutableBufferPointer<Double>
        /// `sqrt(1/2) / sigma`.
        let scale: UnsafeMutableBufferPointer<Double>
        /// The peak log density.
        let peak: UnsafeMutableBufferPointer<Double>
        /// The log mass of the range (discrete dimensions).
        let rangeLogMass: UnsafeMutableBufferPointer<Double>
        /// The slack of the discrete penalty bound (discrete dimensions).
        let slack: UnsafeMutableBufferPointer<Double>
    }

    /// Runs `body` with the kernel-terms cache for `dimension`, emptied when the range differs from last
    /// time.
    ///
    /// A kernel's terms depend only on its centre, bandwidth and range; with many observations most
    /// bandwidths sit at the magic-clip minimum and stay put from ask to ask, so each ask computes only
    /// the few whose neighbours changed.
    func withTermsCache<R>(for dimension: ParzenDimension, _ body: (TermsCachePointers) -> R) -> R {
        let range = (dimension.low, dimension.high, dimension.maximumBinWidth)
        if let current = cacheRange, current != range {
            cacheSigma.removeAll()
            cacheScale.removeAll()
            cachePeak.removeAll()
            cacheRangeLogMass.removeAll()
            cacheSlack.removeAll()
        }
        cacheRange = range
        if cacheSigma.count < values.count {
            let extra = values.count - cacheSigma.count
            cacheSigma.append(contentsOf: repeatElement(.nan, count: extra))
            cacheScale.append(contentsOf: repeatElement(0, count: extra))
            cachePeak.append(contentsOf: repeatElement(0, count: extra))
            cacheRangeLogMass.append(contentsOf: repeatElement(0, count: extra))
            cacheSlack.append(contentsOf: repeatElement(0, count: extra))
        }
        return cacheSigma.withUnsafeMutableBufferPointer { sigma in
            cacheScale.withUnsafeMutableBufferPointer { scale in
                cachePeak.withUnsafeMutableBufferPointer { peak in
                    cacheRangeLogMass.withUnsafeMutableBufferPointer { rangeLogMass in
                        cacheSlack.withUnsafeMutableBufferPointer { slack in
                            body(
                                TermsCachePointers(
                                    sigma: sigma, scale: scale, peak: peak, rangeLogMass: rangeLogMass, slack: slack))
                        }
                    }
                }
            }
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
