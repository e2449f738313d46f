extension TPESampler {
    /// One TPE step over `params` (sorted by name): split, fit `l` and `g`, draw candidates from `l`,
    /// return the one with the largest `log l - log g` (the first on ties).
    func sample(
        _ history: TPEHistory, study: StudySnapshot, trial: FrozenTrial, params: [(String, Distribution)],
        using rng: inout SeededGenerator
    ) -> [String: Double] {
        let parameters = params.map { name, distribution in
            let dimension = ParzenDimension(distribution)
            return TPEParameter(
                name: name, dimension: dimension,
                column: history.column(name, isLog: dimension.isLog, snapshot: study))
        }
        let multiObjective = study.isMultiObjective
        let nBelow = TPEWeighting.gamma(history.finishedNumbers.count, multiObjective: multiObjective)
        let below = history.markBelow(nBelow: nBelow)
        defer { history.clearBelow(below) }
        let running = constantLiar ? runningRows(history, study: study, current: trial.number, parameters) : []
        let options = parzenParameters
        let lower = history.belowEstimator(parameters, below: below, uniformWeights: multiObjective, options: options)
        let upper = history.aboveEstimator(parameters, running: running, options: options)
        let candidates = lower.sample(count: nEICandidates, using: &rng)
        let logLower = lower.logDensities(of: candidates, workspace: &history.workspace)
        let logUpper = upper.logDensities(of: candidates, workspace: &history.workspace)
        var best = 0
        var bestScore = -Double.infinity
        for i in 0..<candidates.count {
            let score = logLower[i] - logUpper[i]
            if score > bestScore {
                best = i
                bestScore = score
            }
        }
        var out: [String: Double] = [:]
        for (d, value) in candidates.row(best).enumerated() { out[parameters[d].name] = value }
        return out
    }

    /// The RUNNING trials other than `current` that have every parameter, by number, with their values in
    /// estimator space.
    func runningRows(
        _ history: TPEHistory, study: StudySnapshot, current: Int, _ parameters: [TPEParameter]
    ) -> [TPERunningRow] {
        var rows: [TPERunningRow] = []
        for n in history.pending where n != current {
            let trial = study.trials[n]
            guard trial.state == .running else { continue }
            var values: [Double] = []
            values.reserveCapacity(parameters.count)
            for p in parameters {
                guard let v = trial.params[p.name] else { break }
                values.append(p.column.stored(v))
            }
            if values.count == parameters.count { rows.append(TPERunningRow(number: n, values: values)) }
        }
        return rows
    }
}
