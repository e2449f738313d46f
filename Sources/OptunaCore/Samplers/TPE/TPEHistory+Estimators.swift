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
    /// default weights (uniformly with several objectives, as MOTPE does). Reuses ``belowEstimator``'s
    /// storage.
    func belowEstimator(
        _ parameters: [TPEParameter], below: [Int32], uniformWeights: Bool, options: ParzenParameters
    ) -> ParzenEstimator {
        let members = below.filter { number in parameters.allSatisfy { !$0.column.values[Int(number)].isNaN } }
        var rows: [Double] = []
        rows.reserveCapacity(members.count * parameters.count)
        for number in members {
            for p in parameters { rows.append(p.column.values[Int(number)]) }
        }
        let estimator = belowEstimator
        estimator.setObservations(
            dimensions: parameters.map(\.dimension), rows: rows, keys: members.map(Int.init),
            uniformWeights: uniformWeights, parameters: options)
        for (d, p) in parameters.enumerated() where p.dimension.kind != .categorical {
            setBelowTerms(estimator, dimension: d, p, members: members)
        }
        estimator.finish()
        return estimator
    }

    /// Sets the below kernels' penalty terms (with the tails used for sampling) of numerical dimension `d`
    /// from the column's "below" cache where a trial's bandwidth did not change.
    private func setBelowTerms(_ estimator: ParzenEstimator, dimension d: Int, _ p: TPEParameter, members: [Int32]) {
        let dim = p.dimension
        let logBinWidth = dim.kind == .discrete ? CoreMath.log(dim.maximumBinWidth) : 0
        let offset = d * estimator.kernelCount
        for (k, number) in members.enumerated() {
            let s = estimator.sigma[offset + k]
            if let terms = p.column.belowTerms.terms(number, sigma: s, on: dim) {
                estimator.setTerms(terms, at: offset + k)
                continue
            }
            let terms = ParzenEstimator.numericalTerms(
                mu: estimator.mu[offset + k], sigma: s, logSigma: CoreMath.log(s), dim, logBinWidth: logBinWidth)
            estimator.setTerms(terms, at: offset + k)
            p.column.belowTerms.store(number, sigma: s, terms)
        }
        p.column.belowTerms.prune(keeping: members)
        estimator.termsReady[d] = true
        estimator.tailsReady[d] = true
    }

    /// The "above" estimator: every other finished trial having every parameter plus the RUNNING rows, in
    /// number order, weighted by Optuna's default weights. Reuses ``aboveEstimator``'s storage.
    ///
    /// Sorted orders come from the columns, so no sort is needed: each parameter costs one pass over its
    /// column, and kernel terms are recomputed only where a bandwidth changed.
    func aboveEstimator(
        _ parameters: [TPEParameter], running: [TPERunningRow], options: ParzenParameters
    ) -> ParzenEstimator {
        let (members, excluded) = aboveMembers(parameters, running: running)
        let m = members.count
        let estimator = aboveEstimator
        estimator.prepare(dimensions: parameters.map(\.dimension), observationCount: m, parameters: options)
        estimator.setWeights(uniform: false)
        kernelIndex.withUnsafeMutableBufferPointer { kernelOf in
            for (k, number) in members.enumerated() { kernelOf[Int(number)] = Int32(k) }
            for (d, p) in parameters.enumerated() {
                if p.dimension.kind == .categorical {
                    fillCentres(estimator, dimension: d, p, members: members, running: running)
                } else {
                    fillNumerical(
                        estimator, dimension: d, p, members: members, excluded: excluded, running: running,
                        kernelOf: UnsafeBufferPointer(kernelOf))
                }
            }
            for number in members { kernelOf[Int(number)] = -1 }
        }
        estimator.finish()
        return estimator
    }

    /// The above trials in number order: finished, not below, having every parameter; and the running rows.
    ///
    /// - Returns: the members, and when every finished trial has every parameter (so that the columns'
    ///   trials are exactly the finished ones), the finished trials left out (the below ones).
    private func aboveMembers(
        _ parameters: [TPEParameter], running: [TPERunningRow]
    ) -> (members: [Int32], excluded: [Int32]?) {
        let allPresent = parameters.allSatisfy { $0.column.sorted.count == finishedNumbers.count }
        let columns = parameters.map { $0.column.values }
        var members: [Int32] = []
        members.reserveCapacity(finishedNumbers.count + running.count)
        var excluded: [Int32] = []
        var r = 0
        isBelow.withUnsafeBufferPointer { below in
            for number in finishedNumbers {
                let n = Int(number)
                while r < running.count, running[r].number < n {
                    members.append(Int32(running[r].number))
                    r += 1
                }
                if below[n] {
                    excluded.append(number)
                    continue
                }
                if !allPresent, columns.contains(where: { $0[n].isNaN }) { continue }
                members.append(number)
            }
        }
        while r < running.count {
            members.append(Int32(running[r].number))
            r += 1
        }
        return (members, allPresent ? excluded : nil)
    }
}
