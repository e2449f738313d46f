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
    /// Sorted orders come from the columns, so no sort is needed; each parameter costs one pass.
    func aboveEstimator(
        _ parameters: [TPEParameter], running: [TPERunningRow], options: ParzenParameters
    ) -> ParzenEstimator {
        let allPresent = parameters.allSatisfy { $0.column.sorted.count == finishedNumbers.count }
        var members: [Int32] = []
        members.reserveCapacity(finishedNumbers.count + running.count)
        var r = 0
        for number in finishedNumbers {
            while r < running.count, running[r].number < Int(number) {
                members.append(Int32(running[r].number))
                r += 1
            }
            let n = Int(number)
            if isBelow[n] { continue }
            if !allPresent, parameters.contains(where: { $0.column.values[n].isNaN }) { continue }
            members.append(number)
        }
        while r < running.count {
            members.append(Int32(running[r].number))
            r += 1
        }
        for (k, number) in members.enumerated() { kernelIndex[Int(number)] = Int32(k) }
        defer { for number in members { kernelIndex[Int(number)] = -1 } }

        let m = members.count
        let estimator = aboveEstimator
        estimator.prepare(dimensions: parameters.map(\.dimension), observationCount: m, parameters: options)
        estimator.setWeights { TPEWeighting.weight(at: $0, count: m) }
        var sortedValues = [Double](repeating: 0, count: m)
        var sortedKernels = [Int](repeating: 0, count: m)
        for (d, p) in parameters.enumerated() {
            let runningOrder = running.indices.sorted {
                (running[$0].values[d], running[$0].number) < (running[$1].values[d], running[$1].number)
            }
            var position = 0
            var next = 0
            let values = p.column.values
            for number in p.column.sorted {
                let n = Int(number)
                let k = kernelIndex[n]
                guard k >= 0 else { continue }
                let v = values[n]
                while next < runningOrder.count {
                    let row = running[runningOrder[next]]
                    guard (row.values[d], row.number) < (v, n) else { break }
                    sortedValues[position] = row.values[d]
                    sortedKernels[position] = Int(kernelIndex[row.number])
                    position += 1
                    next += 1
                }
                sortedValues[position] = v
                sortedKernels[position] = Int(k)
                position += 1
            }
            while next < runningOrder.count {
                let row = running[runningOrder[next]]
                sortedValues[position] = row.values[d]
                sortedKernels[position] = Int(kernelIndex[row.number])
                position += 1
                next += 1
            }
            estimator.setObservations(dimension: d, sortedValues: sortedValues, sortedKernels: sortedKernels)
        }
        estimator.finish()
        return estimator
    }
}
