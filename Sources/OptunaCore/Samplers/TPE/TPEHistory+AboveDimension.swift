extension TPEHistory {
    /// Sets the centres of one dimension of the "above" observation kernels, in kernel order: each
    /// kernel's observed value (choice index for categorical dimensions, estimator-space value otherwise).
    func fillCentres(
        _ estimator: ParzenEstimator, dimension d: Int, _ p: TPEParameter, members: [Int32], running: [TPERunningRow]
    ) {
        let mu = estimator.mu.pointer + d * estimator.kernelCount
        var r = 0
        p.column.values.withUnsafeBufferPointer { values in
            members.withUnsafeBufferPointer { members in
                for k in members.indices {
                    let n = Int(members[k])
                    if r < running.count, running[r].number == n {
                        mu[k] = running[r].values[d]
                        r += 1
                    } else {
                        mu[k] = values[n]
                    }
                }
            }
        }
    }

    /// Sets a numerical dimension of the "above" observation kernels: centres, bandwidths by
    /// ``ParzenBandwidth``'s rule, then penalty terms.
    ///
    /// Centres are set in kernel order. For the bandwidths, the column's finished trials are walked in
    /// sorted order, skipping non-members, merged with the running rows; a bandwidth is known once its
    /// right neighbour is. Penalty terms are then set in kernel order (so the column's cache is read
    /// sequentially), from the cache when a finished trial's bandwidth is what it was last time (usually:
    /// with many observations most bandwidths sit at the magic-clip minimum), so erf and log are evaluated
    /// only for kernels whose neighbourhood changed.
    ///
    /// - Parameters:
    ///   - excluded: when given, the column's trials that are not members (the below ones, every
    ///     finished trial having every parameter): bandwidths then come from the column's
    ///     ``TPEColumn/interiorGap`` and only those next to an excluded trial, a running row or an end are
    ///     recomputed (``BandwidthPatch``). Otherwise the whole column is walked.
    func fillNumerical(
        _ estimator: ParzenEstimator, dimension d: Int, _ p: TPEParameter, members: [Int32], excluded: [Int32]?,
        running: [TPERunningRow], kernelOf: UnsafeBufferPointer<Int32>
    ) {
        let m = estimator.observationCount
        guard m > 0 else { return }
        fillCentres(estimator, dimension: d, p, members: members, running: running)
        let runningOrder = running.indices.sorted {
            (running[$0].values[d], running[$0].number) < (running[$1].values[d], running[$1].number)
        }
        let merged = runningOrder.map { (value: running[$0].values[d], number: running[$0].number) }
        if let excluded, patchesBandwidths {
            BandwidthPatch(estimator, dimension: d, p, running: merged, kernelOf: kernelOf)
                .fill(members: members, excluded: excluded)
            setTerms(estimator, dimension: d, p, members: members)
            return
        }
        var fill = BandwidthFill(estimator, dimension: d, p.dimension)
        p.column.sortedValues.withUnsafeBufferPointer { values in
            p.column.sorted.withUnsafeBufferPointer { sorted in
                fill.walk(values: values, numbers: sorted, running: merged, kernelOf: kernelOf)
            }
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
        let sigma = estimator.sigma.pointer + offset
        let scale = estimator.scale.pointer + offset
        let peak = estimator.peak.pointer + offset
        let rangeLogMass = estimator.rangeLogMass.pointer + offset
        let slack = estimator.slack.pointer + offset
        status.withUnsafeBufferPointer { status in
            members.withUnsafeBufferPointer { members in
                p.column.aboveTerms.withEntries(count: p.column.values.count, for: dim) { cache in
                    // The common case, a finished trial whose bandwidth did not change, is a copy; the
                    // rest is left to a separate call so that this loop keeps its pointers in registers.
                    @inline(__always) func set(_ k: Int) {
                        let n = Int(members[k])
                        // Running trials are not cached: their values may still change.
                        if status[n] != .pending, cache.sigma[n] == sigma[k] {
                            scale[k] = cache.scale[n]
                            peak[k] = cache.peak[n]
                            if discrete {
                                rangeLogMass[k] = cache.rangeLogMass[n]
                                slack[k] = cache.slack[n]
                            }
                        } else {
                            Self.computeTerms(
                                estimator, offset + k, dim, logBinWidth: logBinWidth,
                                cacheAs: status[n] != .pending ? n : nil, in: cache)
                        }
                    }
                    var k = 0
                    if !discrete, let cachedSigma = cache.sigma.baseAddress, let cachedScale = cache.scale.baseAddress,
                        let cachedPeak = cache.peak.baseAddress
                    {
                        // Four kernels at a time where their trials are consecutive (members are in number
                        // order, so all but those next to a left-out trial) and every bandwidth is the
                        // cached one. A running trial's cached bandwidth is NaN (never stored), so it never
                        // matches.
                        while k + 4 <= members.count {
                            let n = Int(members[k])
                            if Int(members[k + 3]) == n + 3, all(sigma.vector(at: k) .== cachedSigma.vector(at: n)) {
                                scale.storeVector(cachedScale.vector(at: n), at: k)
                                peak.storeVector(cachedPeak.vector(at: n), at: k)
                            } else {
                                for j in k..<(k + 4) { set(j) }
                            }
                            k += 4
                        }
                    }
                    while k < members.count {
                        set(k)
                        k += 1
                    }
                }
            }
        }
        estimator.termsReady[d] = true
        estimator.tailsReady[d] = false
    }

    /// Computes and sets the penalty terms of the kernel at `index` (dimension-major) from its centre and
    /// bandwidth, and caches them under trial number `number` if given.
    @inline(never)
    private static func computeTerms(
        _ estimator: ParzenEstimator, _ index: Int, _ dim: ParzenDimension, logBinWidth: Double, cacheAs number: Int?,
        in cache: TPETermsCache.Entries
    ) {
        let s = estimator.sigma[index]
        let terms = ParzenEstimator.numericalTerms(
            mu: estimator.mu[index], sigma: s, logSigma: CoreMath.log(s), dim, logBinWidth: logBinWidth)
        estimator.scale[index] = terms.scale
        estimator.peak[index] = terms.peak
        estimator.rangeLogMass[index] = terms.rangeLogMass
        estimator.slack[index] = terms.slack
        if let number { cache.store(number, sigma: s, terms) }
    }
}

/// The state of one ``TPEHistory/fillNumerical(_:dimension:_:members:excluded:running:kernelOf:)`` walk: values
/// arrive in ascending order; each one's bandwidth is written when the next value (or the range end) is
/// known.
private struct BandwidthFill {
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
        sigma = e.sigma.pointer + d * e.kernelCount
        high = dim.high
        width = dim.high - dim.low
        count = e.observationCount
        minimum = ParzenBandwidth.minimum(
            width: width, observationCount: count, magicClip: e.parameters.considerMagicClip)
        considerEndpoints = e.parameters.considerEndpoints
        left = dim.low
    }

    /// Pushes the column's members (trials whose kernel index is not negative) in sorted order, merged
    /// with the running rows (ascending by value, then number).
    mutating func walk(
        values: UnsafeBufferPointer<Double>, numbers: UnsafeBufferPointer<Int32>,
        running: [(value: Double, number: Int)], kernelOf: UnsafeBufferPointer<Int32>
    ) {
        // A local copy, so that the state stays in registers rather than behind `self`.
        var state = self
        defer { self = state }
        var next = 0
        for j in numbers.indices {
            let n = Int(numbers[j])
            let k = Int(kernelOf[n])
            guard k >= 0 else { continue }
            let v = values[j]
            while next < running.count, (running[next].value, running[next].number) < (v, n) {
                state.push(running[next].value, kernel: Int(kernelOf[running[next].number]))
                next += 1
            }
            state.push(v, kernel: k)
        }
        while next < running.count {
            state.push(running[next].value, kernel: Int(kernelOf[running[next].number]))
            next += 1
        }
    }

    @inline(__always)
    mutating func push(_ value: Double, kernel: Int) {
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
