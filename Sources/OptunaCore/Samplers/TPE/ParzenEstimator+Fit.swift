extension ParzenEstimator {
    /// Fits the estimator to observations, oldest first.
    ///
    /// - Parameters:
    ///   - dimensions: the estimator's dimensions.
    ///   - rows: the observations in estimator space (transformed values, choice indices), row-major with
    ///     one column per dimension.
    ///   - keys: one distinct key per observation (the trial number) ordering equal values when bandwidths
    ///     are computed.
    ///   - uniformWeights: whether all observations weigh 1 (MOTPE's "below") instead of Optuna's default
    ///     weights.
    ///   - parameters: the estimator options.
    func fit(
        dimensions: [ParzenDimension], rows: [Double], keys: [Int], uniformWeights: Bool, parameters: ParzenParameters
    ) {
        setObservations(
            dimensions: dimensions, rows: rows, keys: keys, uniformWeights: uniformWeights, parameters: parameters)
        finish()
    }

    /// ``fit(dimensions:rows:keys:uniformWeights:parameters:)`` without ``finish()``: weights, centres and
    /// bandwidths, so that a caller can set cached penalty terms before finishing.
    func setObservations(
        dimensions: [ParzenDimension], rows: [Double], keys: [Int], uniformWeights: Bool, parameters: ParzenParameters
    ) {
        let m = keys.count
        let width = dimensions.count
        prepare(dimensions: dimensions, observationCount: m, parameters: parameters)
        setWeights(uniform: uniformWeights)
        var sortedValues = [Double](repeating: 0, count: m)
        var sortedKernels = [Int32](repeating: 0, count: m)
        for d in dimensions.indices {
            let order = (0..<m).sorted {
                (rows[$0 * width + d], keys[$0]) < (rows[$1 * width + d], keys[$1])
            }
            for (position, k) in order.enumerated() {
                sortedValues[position] = rows[k * width + d]
                sortedKernels[position] = Int32(k)
            }
            setObservations(dimension: d, sortedValues: sortedValues, sortedKernels: sortedKernels)
        }
    }

    /// Sets one dimension of the observation kernels from their values in ascending order: the centres,
    /// and for numerical dimensions the bandwidths by ``ParzenBandwidth``.
    ///
    /// - Parameters:
    ///   - d: the dimension.
    ///   - sortedValues: the observations' values in estimator space, ascending (at least
    ///     ``observationCount`` of them; extra entries are ignored).
    ///   - sortedKernels: the kernel index of each value.
    func setObservations(dimension d: Int, sortedValues: [Double], sortedKernels: [Int32]) {
        let m = observationCount
        let offset = d * kernelCount
        let dim = dimensions[d]
        let mus = mu.pointer + offset
        let sigmas = sigma.pointer + offset
        sortedValues.withUnsafeBufferPointer { values in
            sortedKernels.withUnsafeBufferPointer { kernels in
                for position in 0..<m { mus[Int(kernels[position])] = values[position] }
                guard dim.kind != .categorical, m > 0 else { return }
                let bandwidths = UnsafeMutableBufferPointer<Double>.allocate(capacity: m)
                defer { bandwidths.deallocate() }
                ParzenBandwidth.compute(
                    sorted: UnsafeBufferPointer(rebasing: values[0..<m]), low: dim.low, high: dim.high,
                    considerEndpoints: parameters.considerEndpoints, magicClip: parameters.considerMagicClip,
                    into: bandwidths)
                for position in 0..<m { sigmas[Int(kernels[position])] = bandwidths[position] }
            }
        }
    }
}
