extension GPSampler {
    /// Smallest standard deviation used to standardize values (Optuna's `EPS`).
    static let standardizationFloor = 1e-10

    /// Fits the GPs, builds the acquisition function Optuna 5 would use, and maximizes it.
    ///
    /// The objectives' fits start from `starts` (the kernels fitted for an earlier trial, Optuna's warm start) when
    /// given, and fall back to the defaults; `fitted` receives the kernels fitted now.
    func propose(
        study: StudySnapshot, completed: [FrozenTrial], rows: [[Double]], running: [[Double]], space: GPSearchSpace,
        starts: [GPKernelParameters] = [], fitted: inout [GPKernelParameters], using rng: inout SeededGenerator
    ) -> [Double]? {
        let x = rows.flatMap { $0 }
        let isCategorical = space.isCategorical
        let signs = study.directions.map { $0 == .minimize ? -1.0 : 1.0 }
        let (y, _, _) = Self.standardize(completed.map { t in zip(t.values ?? [], signs).map { $0 * $1 } })
        let objectives = (0..<signs.count).compactMap { j in
            GPRegressor.fit(
                x: x, y: y.map { $0[j] }, isCategorical: isCategorical, deterministic: deterministicObjective,
                start: j < starts.count && starts[j].inverseSquaredLengthscales.count == isCategorical.count
                    ? starts[j] : nil)
        }
        guard objectives.count == signs.count else { return nil }
        fitted = objectives.map(\.parameters)

        let constrained = completed.contains { !($0.constraints ?? []).isEmpty }
        var constraintModels: [(GPRegressor, Double)] = []
        var feasible = [Bool](repeating: true, count: completed.count)
        if constrained {
            let width = completed.map { $0.constraints?.count ?? 0 }.max() ?? 0
            let raw = completed.map { t in
                (0..<width).map { k -> Double in
                    guard let c = t.constraints, k < c.count, !c[k].isNaN else { return .infinity }
                    return c[k]
                }
            }
            feasible = raw.map { $0.allSatisfy { $0 <= 0 } }
            let (standardized, means, stds) = Self.standardize(raw.map { $0.map { -$0 } })
            for k in 0..<width {
                guard let gp = GPRegressor.fit(
                    x: x, y: standardized.map { $0[k] }, isCategorical: isCategorical, deterministic: deterministicObjective)
                else { return nil }
                constraintModels.append((gp, -means[k] / max(Self.standardizationFloor, stds[k])))
            }
        }

        let qmcSeed = rng.next()
        func generator(_ offset: Int) -> SeededGenerator { SeededGenerator(seed: qmcSeed &+ UInt64(offset)) }
        let runningPoints = running.flatMap { $0 }
        func conditional(_ gp: GPRegressor, _ offset: Int) -> GPConditional? {
            var g = generator(offset)
            return GPConditional(gp: gp, running: runningPoints, runningCount: running.count, samples: qmcSamples, using: &g)
        }
        let feasibilityTerms: [any GPAcquisition] = constraintModels.map { GPLogPI(gp: $0.0, threshold: $0.1) }
        let acquisition: any GPAcquisition
        var warmStarts: [[Double]] = []
        let lengthScales: [Double]
        if signs.count == 1 {
            let gp = objectives[0]
            lengthScales = gp.lengthScales
            var bestIndex: Int?
            for i in 0..<y.count where feasible[i] && (bestIndex.map { y[i][0] > y[$0][0] } ?? true) { bestIndex = i }
            let threshold = bestIndex.map { y[$0][0] } ?? -.infinity
            if let b = bestIndex { warmStarts = [rows[b]] }
            if running.isEmpty {
                acquisition = GPSumAcquisition(terms: [GPLogEI(gp: gp, threshold: threshold)] + feasibilityTerms)
            } else {
                guard let objective = conditional(gp, 0) else { return nil }
                var constraints: [(GPConditional, Double)] = []
                for (k, (c, t)) in constraintModels.enumerated() {
                    guard let cond = conditional(c, k + 1) else { return nil }
                    constraints.append((cond, t))
                }
                acquisition = GPQLogEI(objective: objective, constraints: constraints, threshold: threshold)
            }
        } else {
            let m = signs.count
            lengthScales = (0..<space.count).map { d in objectives.reduce(0) { $0 + $1.lengthScales[d] } / Double(m) }
            let feasibleIndices = (0..<y.count).filter { feasible[$0] }
            let observed = feasibleIndices.map { y[$0] }
            warmStarts = paretoSubset(feasibleIndices, y, using: &rng).map { rows[$0] }
            if observed.isEmpty {
                acquisition = GPSumAcquisition(terms: feasibilityTerms)
            } else if running.isEmpty {
                var g = generator(0)
                let normals = GPSobol.normal(count: qmcSamples, dimension: m, using: &g)
                let boxes = GPBoxDecomposition.nonDominatedBoxes(
                    observed, referencePoint: GPBoxDecomposition.referencePoint(observed))
                let ehvi = GPLogEHVI(
                    gps: objectives, boxes: GPImprovementBoxes(boxes, objectives: m), normals: normals, samples: qmcSamples)
                acquisition = GPSumAcquisition(terms: feasibilityTerms + [ehvi])
            } else {
                let conds = objectives.enumerated().compactMap { conditional($0.element, $0.offset) }
                guard conds.count == m else { return nil }
                var constraints: [(GPConditional, Double)] = []
                for (k, (c, t)) in constraintModels.enumerated() {
                    guard let cond = conditional(c, m + k) else { return nil }
                    constraints.append((cond, t))
                }
                acquisition = GPQLogEHVI(objectives: conds, constraints: constraints, observed: observed)
            }
        }
        var optimizer = GPAcquisitionOptimizer(space: space, lengthScales: lengthScales)
        optimizer.preliminarySamples = preliminarySamples
        optimizer.localSearches = localSearches
        return optimizer.optimize(acquisition, warmStarts: warmStarts, using: &rng)
    }

    /// Up to `localSearches / 2` distinct Pareto-optimal rows among `indices` of `y` (maximized), chosen
    /// at random, as Optuna's warm starts for several objectives.
    private func paretoSubset(_ indices: [Int], _ y: [[Double]], using rng: inout SeededGenerator) -> [Int] {
        var front = indices.filter { i in
            !indices.contains { j in zip(y[j], y[i]).allSatisfy { $0 >= $1 } && y[j] != y[i] }
        }
        let size = min(localSearches / 2, front.count)
        for k in 0..<size {
            let pick = k + rng.index(below: front.count - k)
            front.swapAt(k, pick)
        }
        return Array(front.prefix(size))
    }

    /// Column-wise standardization after clipping non-finite values to the column's finite range (0
    /// when a column has none), as Optuna's `_standardize_values`.
    static func standardize(_ rows: [[Double]]) -> (values: [[Double]], means: [Double], stds: [Double]) {
        guard let width = rows.first?.count else { return ([], [], []) }
        var out = rows
        var means = [Double](repeating: 0, count: width)
        var stds = [Double](repeating: 0, count: width)
        for j in 0..<width {
            let finite = rows.map { $0[j] }.filter(\.isFinite)
            let lo = finite.min() ?? 0
            let hi = finite.max() ?? 0
            for i in 0..<rows.count where !rows[i][j].isFinite { out[i][j] = rows[i][j] > 0 ? hi : lo }
            let column = out.map { $0[j] }
            let mean = column.reduce(0, +) / Double(column.count)
            let variance = column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(column.count)
            means[j] = mean
            stds[j] = variance.squareRoot()
            for i in 0..<rows.count { out[i][j] = (out[i][j] - mean) / max(standardizationFloor, stds[j]) }
        }
        return (out, means, stds)
    }
}
