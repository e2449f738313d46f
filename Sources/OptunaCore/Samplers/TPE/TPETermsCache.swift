/// Penalty terms of one parameter's "above" kernels, cached by trial number between asks.
///
/// A kernel's terms (``ParzenKernelTerms``) depend only on its centre (the trial's value), its bandwidth
/// and the range. With many observations most bandwidths sit at the magic-clip minimum and stay put from
/// ask to ask, so a rebuilt estimator recomputes erf and log only for the kernels whose neighbourhood
/// changed. Entries hold for the bandwidth stored beside them; the whole cache is emptied when the range
/// changes. The range-mass and slack terms are kept for discrete parameters only (continuous kernels do not
/// read them), and the sampling tails not at all ("above" estimators are never sampled).
final class TPETermsCache {
    /// The range the entries hold for: (low, high, maximum bin width).
    private var range: (Double, Double, Double)?
    /// The bandwidth each entry holds for (NaN when empty).
    private var sigma: [Double] = []
    private var scale: [Double] = []
    private var peak: [Double] = []
    private var rangeLogMass: [Double] = []
    private var slack: [Double] = []

    /// An empty cache.
    init() {}

    /// Views of the cache arrays, by trial number.
    struct Entries {
        /// The bandwidth each entry holds for (NaN when empty).
        let sigma: UnsafeMutableBufferPointer<Double>
        /// `sqrt(1/2) / sigma`.
        let scale: UnsafeMutableBufferPointer<Double>
        /// The peak log density.
        let peak: UnsafeMutableBufferPointer<Double>
        /// The log mass of the range (discrete parameters; empty otherwise).
        let rangeLogMass: UnsafeMutableBufferPointer<Double>
        /// The slack of the discrete penalty bound (discrete parameters; empty otherwise).
        let slack: UnsafeMutableBufferPointer<Double>

        /// Stores the terms of trial `n` for bandwidth `s`.
        @inline(__always)
        func store(_ n: Int, sigma s: Double, _ t: ParzenKernelTerms) {
            sigma[n] = s
            scale[n] = t.scale
            peak[n] = t.peak
            if !rangeLogMass.isEmpty {
                rangeLogMass[n] = t.rangeLogMass
                slack[n] = t.slack
            }
        }
    }

    /// Runs `body` with entries for trial numbers below `count`, for the range of `dimension`.
    func withEntries<R>(count: Int, for dimension: ParzenDimension, _ body: (Entries) -> R) -> R {
        let key = (dimension.low, dimension.high, dimension.maximumBinWidth)
        if let current = range, current != key {
            for i in sigma.indices { sigma[i] = .nan }
        }
        range = key
        if sigma.count < count {
            let extra = count - sigma.count
            sigma.append(contentsOf: repeatElement(.nan, count: extra))
            scale.append(contentsOf: repeatElement(0, count: extra))
            peak.append(contentsOf: repeatElement(0, count: extra))
        }
        if dimension.kind == .discrete, rangeLogMass.count < sigma.count {
            let extra = sigma.count - rangeLogMass.count
            rangeLogMass.append(contentsOf: repeatElement(0, count: extra))
            slack.append(contentsOf: repeatElement(0, count: extra))
        }
        return sigma.withUnsafeMutableBufferPointer { sigma in
            scale.withUnsafeMutableBufferPointer { scale in
                peak.withUnsafeMutableBufferPointer { peak in
                    rangeLogMass.withUnsafeMutableBufferPointer { rangeLogMass in
                        slack.withUnsafeMutableBufferPointer { slack in
                            body(
                                Entries(
                                    sigma: sigma, scale: scale, peak: peak, rangeLogMass: rangeLogMass, slack: slack
                                ))
                        }
                    }
                }
            }
        }
    }
}

/// Penalty terms of one parameter's "below" kernels (a few dozen trials), with the tails sampling needs.
struct TPEBelowTermsCache {
    private var range: (Double, Double, Double)?
    private var entries: [Int32: (sigma: Double, terms: ParzenKernelTerms)] = [:]

    /// An empty cache.
    init() {}

    /// The terms cached for trial `number` if they hold for bandwidth `sigma` on `dimension`'s range.
    mutating func terms(_ number: Int32, sigma: Double, on dimension: ParzenDimension) -> ParzenKernelTerms? {
        let key = (dimension.low, dimension.high, dimension.maximumBinWidth)
        if let current = range, current != key { entries.removeAll() }
        range = key
        guard let entry = entries[number], entry.sigma == sigma else { return nil }
        return entry.terms
    }

    /// Stores the terms of trial `number` for bandwidth `sigma`.
    mutating func store(_ number: Int32, sigma: Double, _ terms: ParzenKernelTerms) {
        entries[number] = (sigma, terms)
    }

    /// Drops entries of trials not in `keep` once the cache grows well beyond it.
    mutating func prune(keeping keep: [Int32]) {
        guard entries.count > 4 * max(keep.count, 16) else { return }
        let wanted = Set(keep)
        entries = entries.filter { wanted.contains($0.key) }
    }
}
