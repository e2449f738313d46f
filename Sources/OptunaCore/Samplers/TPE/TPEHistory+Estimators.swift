/// A parameter being sampled: its name, kernel geometry and column of past values.
struct TPEParameter {
    /// The parameter's name.
    let name: String
    /// Its estimator dimension (from the distribution being sampled).
    let dimension: ParzenDimension
    /// Its values in finished trials.
    let column: TPEColumn
}

/// A RUNNING trial that has every parameter being sampled (constant liar): it joins the "above" density.
struct TPERunningRow {
    /// The trial's number.
    let number: Int
    /// Its values in estimator space, one per parameter.
    let values: [Double]
}

extension TPEHistory {
    /// The "below" estimator: the below trials having every parameter, oldest first, weighted by Optuna's
    /// default weights (uniformly with several objectives, as MOTPE does).
    func belowEstimator(
        _ parameters: [TPEParameter], below: [Int32], uniformWeights: Bool, options: ParzenParameters
    ) -> ParzenEstimator {
        let members = below.filter { number in parameters.allSatisfy { !$0.column.values[Int(number)].isNaN } }
        var rows: [Double] = []
        rows.reserveCapacity(members.count * parameters.count)
        for number in members {
            for p in parameters { rows.append(p.column.values[Int(number)]) }
        }
        let estimator = ParzenEstimator()
        estimator.fit(
            dimensions: parameters.map(\.dimension), rows: rows, keys: members.map(Int.init),
            uniformWeights: uniformWeights, parameters: options)
        return estimator
    }

    /// The "above" estimator: every other finished trial having every parameter plus the RUNNING rows, in
    /// number order, weighted by Optuna's default weights. Reuses ``aboveEstimator``'s storage.
    ///
    /// Sorted orders come from the columns, so no sort is needed: each parameter costs one pass over its
    /// column, and kernel terms are recomputed only where a bandwidth changed.
    func aboveEstimator(
        _ parameters: [TPEParameter], running: [TPERunningRow], options: ParzenParameters
    ) -> ParzenEstimator {
        let members = aboveMembers(parameters, running: running)
        let m = members.count
        let estimator = aboveEstimator
        estimator.prepare(dimensions: parameters.map(\.dimension), observationCount: m, parameters: options)
        estimator.setWeights(uniform: false)
        kernelIndex.withUnsafeMutableBufferPointer { kernelOf in
            for (k, number) in members.enumerated() { kernelOf[Int(number)] = Int32(k) }
            for (d, p) in parameters.enumerated() {
                fillDimension(estimator, dimension: d, p, running: running, kernelOf: UnsafeBufferPointer(kernelOf))
                if p.dimension.kind != .categorical {
                    setCachedTerms(estimator, dimension: d, p, members: members)
                }
            }
            for number in members { kernelOf[Int(number)] = -1 }
        }
        estimator.finish()
        return estimator
    }

    /// The above trials in number order: finished, not below, having every parameter; and the running rows.
    private func aboveMembers(_ parameters: [TPEParameter], running: [TPERunningRow]) -> [Int32] {
        let allPresent = parameters.allSatisfy { $0.column.sorted.count == finishedNumbers.count }
        let columns = parameters.map { $0.column.values }
        var members: [Int32] = []
        members.reserveCapacity(finishedNumbers.count + running.count)
        var r = 0
        isBelow.withUnsafeBufferPointer { below in
            for number in finishedNumbers {
                let n = Int(number)
                while r < running.count, running[r].number < n {
                    members.append(Int32(running[r].number))
                    r += 1
                }
                if below[n] { continue }
                if !allPresent, columns.contains(where: { $0[n].isNaN }) { continue }
                members.append(number)
            }
        }
        while r < running.count {
            members.append(Int32(running[r].number))
            r += 1
        }
        return members
    }

    /// Sets dimension `d` of the observation kernels: centres and, for numerical dimensions, bandwidths.
    ///
    /// Walks the column's sorted finished trials, skipping non-members, merged with the running rows; each
    /// bandwidth is written as soon as its right neighbour is known (``ParzenBandwidth``'s rule, streamed).
    private func fillDimension(
        _ estimator: ParzenEstimator, dimension d: Int, _ p: TPEParameter, running: [TPERunningRow],
        kernelOf: UnsafeBufferPointer<Int32>
    ) {
        let m = estimator.observationCount
        guard m > 0 else { return }
        let offset = d * estimator.kernelCount
        let dim = p.dimension
        var stream = BandwidthStream(
            mu: estimator.mu.pointer + offset, sigma: estimator.sigma.pointer + offset, count: m,
            low: dim.low, high: dim.high, parameters: estimator.parameters,
            numerical: dim.kind != .categorical)
        let runningOrder = running.indices.sorted {
            (running[$0].values[d], running[$0].number) < (running[$1].values[d], running[$1].number)
        }
        var next = 0
        p.column.sortedValues.withUnsafeBufferPointer { columnValues in
            p.column.sorted.withUnsafeBufferPointer { sorted in
                for j in 0..<sorted.count {
                    let n = Int(sorted[j])
                    let k = kernelOf[n]
                    guard k >= 0 else { continue }
                    let v = columnValues[j]
                    while next < runningOrder.count {
                        let row = running[runningOrder[next]]
                        guard (row.values[d], row.number) < (v, n) else { break }
                        stream.push(row.values[d], kernel: Int(kernelOf[row.number]))
                        next += 1
                    }
                    stream.push(v, kernel: Int(k))
                }
            }
        }
        while next < runningOrder.count {
            let row = running[runningOrder[next]]
            stream.push(row.values[d], kernel: Int(kernelOf[row.number]))
            next += 1
        }
        stream.finish()
    }

    /// Sets the observation kernels' penalty terms of dimension `d`, reusing the column's cache for
    /// finished trials whose bandwidth did not change. Kernels are visited in trial-number order, so the
    /// cache is read sequentially.
    private func setCachedTerms(_ estimator: ParzenEstimator, dimension d: Int, _ p: TPEParameter, members: [Int32]) {
        let dim = p.dimension
        let logBinWidth = dim.kind == .discrete ? CoreMath.log(dim.maximumBinWidth) : 0
        let offset = d * estimator.kernelCount
        let mu = estimator.mu.pointer + offset
        let sigma = estimator.sigma.pointer + offset
        let scale = estimator.scale.pointer + offset
        let peak = estimator.peak.pointer + offset
        let rangeLogMass = estimator.rangeLogMass.pointer + offset
        let slack = estimator.slack.pointer + offset
        let discrete = dim.kind == .discrete
        status.withUnsafeBufferPointer { status in
            p.column.withTermsCache(for: dim) { cache in
                for (k, number) in members.enumerated() {
                    let n = Int(number)
                    let s = sigma[k]
                    scale[k] = TruncatedNormal.inverseSqrtTwo / s
                    let cacheable = status[n] != .pending
                    if cacheable, cache.sigma[n] == s {
                        peak[k] = cache.peak[n]
                        if discrete {
                            rangeLogMass[k] = cache.rangeLogMass[n]
                            slack[k] = cache.slack[n]
                        }
                        continue
                    }
                    let terms = ParzenEstimator.numericalTerms(
                        mu: mu[k], sigma: s, logSigma: CoreMath.log(s), dim, logBinWidth: logBinWidth)
                    peak[k] = terms.peak
                    rangeLogMass[k] = terms.rangeLogMass
                    slack[k] = terms.slack
                    if cacheable {
                        cache.sigma[n] = s
                        cache.peak[n] = terms.peak
                        cache.rangeLogMass[n] = terms.rangeLogMass
                        cache.slack[n] = terms.slack
                    }
                }
            }
        }
        estimator.termsReady[d] = true
    }
}

/// ``ParzenBandwidth``'s rule applied to values arriving in ascending order: each value's centre is
/// written at once and its bandwidth as soon as its right neighbour (or the range end) is known.
private struct BandwidthStream {
    let mu: UnsafeMutablePointer<Double>
    let sigma: UnsafeMutablePointer<Double>
    let count: Int
    let low: Double
    let high: Double
    let minimum: Double
    let considerEndpoints: Bool
    let numerical: Bool
    private var index = 0
    private var left: Double
    private var current = 0.0
    private var currentKernel = -1

    init(
        mu: UnsafeMutablePointer<Double>, sigma: UnsafeMutablePointer<Double>, count: Int, low: Double, high: Double,
        parameters: ParzenParameters, numerical: Bool
    ) {
        self.mu = mu
        self.sigma = sigma
        self.count = count
        self.low = low
        self.high = high
        minimum = ParzenBandwidth.minimum(
            width: high - low, observationCount: count, magicClip: parameters.considerMagicClip)
        considerEndpoints = parameters.considerEndpoints
        self.numerical = numerical
        left = low
    }

    @inline(__always)
    mutating func push(_ value: Double, kernel: Int) {
        mu[kernel] = value
        guard numerical else { return }
        if currentKernel >= 0 { emit(right: value) }
        current = value
        currentKernel = kernel
    }

    mutating func finish() {
        if numerical, currentKernel >= 0 { emit(right: high) }
    }

    @inline(__always)
    private mutating func emit(right: Double) {
        var s = max(current - left, right - current)
        if !considerEndpoints, count >= 2 {
            if index == 0 { s = right - current } else if index == count - 1 { s = current - left }
        }
        sigma[currentKernel] = min(max(s, minimum), high - low)
        left = current
        index += 1
    }
}
