/// Penalty terms of one parameter's kernels, cached by trial number between asks.
///
/// A kernel's terms (``ParzenKernelTerms``) depend only on its centre (the trial's value), its bandwidth
/// and the range. With many observations most bandwidths sit at the magic-clip minimum and stay put from
/// ask to ask, so a rebuilt estimator recomputes erf and log only for the kernels whose neighbourhood
/// changed. Entries hold for the bandwidth stored beside them; the whole cache is emptied when the range
/// changes.
final class TPETermsCache {
    /// The range the entries hold for: (low, high, maximum bin width).
    private var range: (Double, Double, Double)?
    /// The bandwidth each entry holds for (NaN when empty).
    private var sigma: [Double] = []
    private var scale: [Double] = []
    private var peak: [Double] = []
    private var rangeLogMass: [Double] = []
    private var slack: [Double] = []
    private var lowerTail: [Double] = []
    private var upperTail: [Double] = []

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
        /// The log mass of the range.
        let rangeLogMass: UnsafeMutableBufferPointer<Double>
        /// The slack of the discrete penalty bound.
        let slack: UnsafeMutableBufferPointer<Double>
        /// Φ(a) of the standardized range (NaN when the centre lies outside it).
        let lowerTail: UnsafeMutableBufferPointer<Double>
        /// Φ(-b) of the standardized range.
        let upperTail: UnsafeMutableBufferPointer<Double>

        /// The terms cached for trial `n` if they hold for bandwidth `s`.
        @inline(__always)
        func terms(_ n: Int, sigma s: Double) -> ParzenKernelTerms? {
            guard sigma[n] == s else { return nil }
            return ParzenKernelTerms(
                scale: scale[n], peak: peak[n], rangeLogMass: rangeLogMass[n], slack: slack[n],
                lowerTail: lowerTail[n], upperTail: upperTail[n])
        }

        /// Stores the terms of trial `n` for bandwidth `s`.
        @inline(__always)
        func store(_ n: Int, sigma s: Double, _ t: ParzenKernelTerms) {
            sigma[n] = s
            scale[n] = t.scale
            peak[n] = t.peak
            rangeLogMass[n] = t.rangeLogMass
            slack[n] = t.slack
            lowerTail[n] = t.lowerTail
            upperTail[n] = t.upperTail
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
            let zeros = repeatElement(0.0, count: extra)
            scale.append(contentsOf: zeros)
            peak.append(contentsOf: zeros)
            rangeLogMass.append(contentsOf: zeros)
            slack.append(contentsOf: zeros)
            lowerTail.append(contentsOf: zeros)
            upperTail.append(contentsOf: zeros)
        }
        return sigma.withUnsafeMutableBufferPointer { sigma in
            scale.withUnsafeMutableBufferPointer { scale in
                peak.withUnsafeMutableBufferPointer { peak in
                    rangeLogMass.withUnsafeMutableBufferPointer { rangeLogMass in
                        slack.withUnsafeMutableBufferPointer { slack in
                            lowerTail.withUnsafeMutableBufferPointer { lowerTail in
                                upperTail.withUnsafeMutableBufferPointer { upperTail in
                                    body(
                                        Entries(
                                            sigma: sigma, scale: scale, peak: peak, rangeLogMass: rangeLogMass,
                                            slack: slack, lowerTail: lowerTail, upperTail: upperTail))
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
