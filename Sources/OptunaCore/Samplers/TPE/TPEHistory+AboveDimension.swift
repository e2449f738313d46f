extension TPEHistory {
    /// Sets a categorical dimension of the "above" observation kernels: each kernel's observed choice.
    func fillCategorical(
        _ estimator: ParzenEstimator, dimension d: Int, _ p: TPEParameter, members: [Int32], running: [TPERunningRow]
    ) {
        let mu = estimator.mu.pointer + d * estimator.kernelCount
        var r = 0
        p.column.values.withUnsafeBufferPointer { values in
            for (k, number) in members.enumerated() {
                let n = Int(number)
                if r < running.count, running[r].number == n {
                    mu[k] = running[r].values[d]
                    r += 1
                } else {
                    mu[k] = values[n]
                }
            }
        }
    }

    /// Sets a numerical dimension of the "above" observation kernels: centres, bandwidths by
    /// ``ParzenBandwidth``'s rule, then penalty terms.
    ///
    /// The column's finished trials are walked in sorted order, skipping non-members, merged with the
    /// running rows; a bandwidth is known once its right neighbour is. Penalty terms are then set in kernel
    /// order (so the column's cache is read sequentially), from the cache when a finished trial's
    /// bandwidth is what it was last time (usually: with many observations most bandwidths sit at the
    /// magic-clip minimum), so erf and log are evaluated only for kernels whose neighbourhood changed.
    func fillNumerical(
        _ estimator: ParzenEstimator, dimension d: Int, _ p: TPEParameter, members: [Int32],
        running: [TPERunningRow], kernelOf: UnsafeBufferPointer<Int32>
    ) {
        let m = estimator.observationCount
        guard m > 0 else { return }
        let runningOrder = running.indices.sorted {
            (running[$0].values[d], running[$0].number) < (running[$1].values[d], running[$1].number)
        }
        var fill = BandwidthFill(estimator, dimension: d, p.dimension)
        var next = 0
        p.column.sortedValues.withUnsafeBufferPointer { values in
            p.column.sorted.withUnsafeBufferPointer { sorted in
                for j in 0..<sorted.count {
                    let n = Int(sorted[j])
                    let k = Int(kernelOf[n])
                    guard k >= 0 else { continue }
                    let v = values[j]
                    while next < runningOrder.count {
                        let row = running[runningOrder[next]]
                        guard (row.values[d], row.number) < (v, n) else { break }
                        fill.push(row.values[d], kernel: Int(kernelOf[row.number]))
                        next += 1
                    }
                    fill.push(v, kernel: k)
                }
            }
        }
        while next < runningOrder.count {
            let row = running[runningOrder[next]]
            fill.push(row.values[d], kernel: Int(kernelOf[row.number]))
            next += 1
        }
        fill.finish()
        setTerms(estimator, dimension: d, p, members: members)
    }

    /// Sets the observation kernels' penalty terms of numerical dimension `d` from their bandwidths,
    /// reusing the column's cache for finished trials whose bandwidth did not change.
    private func setTerms(_ estimator: ParzenEstimator, dimension d: Int, _ p: TPEParameter, members: [Int32]) {
        let dim = p.dimension
        let discrete = dim.kind == .discrete
        let logBinWidth = discrete ? CoreMath.log(dim.maximumBinWidth) : 0
        let offset = d * estimator.kernelCount
        let mu = estimator.mu.pointer + offset
        let sigma = estimator.sigma.pointer + offset
        let scale = estimator.scale.pointer + offset
        let peak = estimator.peak.pointer + offset
        let rangeLogMass = estimator.rangeLogMass.pointer + offset
        let slack = estimator.slack.pointer + offset
        status.withUnsafeBufferPointer { status in
            p.column.aboveTerms.withEntries(count: p.column.values.count, for: dim) { cache in
                for (k, number) in members.enumerated() {
                    let n = Int(number)
                    let s = sigma[k]
                    // Running trials are not cached: their values may still change.
                    let cacheable = status[n] != .pending
                    if cacheable, cache.sigma[n] == s {
                        scale[k] = cache.scale[n]
                        peak[k] = cache.peak[n]
                        if discrete {
                            rangeLogMass[k] = cache.rangeLogMass[n]
                            slack[k] = cache.slack[n]
                        }
                        continue
                    }
                    let terms = ParzenEstimator.numericalTerms(
                        mu: mu[k], sigma: s, logSigma: CoreMath.log(s), dim, logBinWidth: logBinWidth)
                    scale[k] = terms.scale
                    peak[k] = terms.peak
                    rangeLogMass[k] = terms.rangeLogMass
                    slack[k] = terms.slack
                    if cacheable { cache.store(n, sigma: s, terms) }
                }
            }
        }
        estimator.termsReady[d] = true
        estimator.tailsReady[d] = false
    }
}

/// The state of one ``TPEHistory/fillNumerical(_:dimension:_:members:running:kernelOf:)`` walk: values
/// arrive in ascending order; each one's bandwidth is written when the next value (or the range end) is
/// known.
private struct BandwidthFill {
    let mu: UnsafeMutablePointer<Double>
    let sigma: UnsafeMutablePointer<Double>
    let high: Double
    let width: Double
    let minimum: Double
    let considerEndpoints: Bool
    let count: Int
    private var left: Double
    private var current = (value: 0.0, kernel: -1)
    private var first = (value: 0.0, kernel: -1)
    private var second = 0.0
    private var previous = (value: 0.0, kernel: -1)
    private var index = 0

    init(_ e: ParzenEstimator, dimension d: Int, _ dim: ParzenDimension) {
        let offset = d * e.kernelCount
        mu = e.mu.pointer + offset
        sigma = e.sigma.pointer + offset
        high = dim.high
        width = dim.high - dim.low
        count = e.observationCount
        minimum = ParzenBandwidth.minimum(
            width: width, observationCount: count, magicClip: e.parameters.considerMagicClip)
        considerEndpoints = e.parameters.considerEndpoints
        left = dim.low
    }

    @inline(__always)
    mutating func push(_ value: Double, kernel: Int) {
        mu[kernel] = value
        if index == 1 { second = value }
        if current.kernel >= 0 {
            sigma[current.kernel] = clip(max(current.value - left, value - current.value))
            left = current.value
            previous = current
        } else {
            first = (value, kernel)
        }
        current = (value, kernel)
        index += 1
    }

    mutating func finish() {
        guard current.kernel >= 0 else { return }
        sigma[current.kernel] = clip(max(current.value - left, high - current.value))
        // Without endpoints, the outermost values use the gap to their one inner neighbour.
        if !considerEndpoints, count >= 2 {
            sigma[first.kernel] = clip(second - first.value)
            sigma[current.kernel] = clip(current.value - previous.value)
        }
    }

    @inline(__always)
    private func clip(_ gap: Double) -> Double { min(max(gap, minimum), width) }
}
