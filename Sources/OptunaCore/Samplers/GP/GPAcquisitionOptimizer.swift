/// Maximizes an acquisition function over a mixed search space as Optuna's `optimize_acqf_mixed`.
///
/// 1. Evaluate ``preliminarySamples`` scrambled Sobol candidates (discrete coordinates on their grid).
/// 2. Start local searches from the best candidate, from up to `localSearches - 1 - warmStarts.count`
///    more drawn without replacement with probability `∝ exp(f - f_max)` (a roulette that leaves out the
///    best), and from the given warm starts (the best trials so far).
/// 3. Each local search alternates, until nothing changes or 100 rounds: L-BFGS-B on the continuous
///    coordinates, scaled by the GP's length scales so the problem is well conditioned (`pgtol` =
///    √tolerance, at most 200 iterations); then, for each discrete coordinate in turn, an exhaustive
///    search over its grid (categorical, or at most 16 values) or a Brent line search over the linear
///    interpolation of the acquisition between grid points.
/// 4. Return the best point found.
struct GPAcquisitionOptimizer {
    let space: GPSearchSpace
    /// The length scale of each coordinate (only continuous ones are used).
    let lengthScales: [Double]
    var preliminarySamples = 2048
    var localSearches = 10
    var tolerance = 1e-4

    /// The maximizing point found, in normalized coordinates.
    func optimize(
        _ acquisition: any GPAcquisition, warmStarts: [[Double]], using rng: inout SeededGenerator
    ) -> [Double] {
        let dim = space.count
        let candidates = space.sample(count: preliminarySamples, using: &rng)
        let values = acquisition.values(candidates, count: preliminarySamples, dimension: dim)
        var best = 0
        for i in 1..<values.count where values[i] > values[best] { best = i }
        var weights = values.map { CoreMath.exp($0 - values[best]) }
        weights[best] = 0
        var total = weights.reduce(0, +)
        if !total.isFinite { total = 0 }
        let nonZero = total > 0 ? weights.filter { $0 > 0 }.count : 0
        let extra = max(0, min(localSearches - warmStarts.count - 1, nonZero))
        var chosen = [best]
        for _ in 0..<extra {
            var u = rng.nextUnit() * total
            var pick = -1
            for i in 0..<weights.count where weights[i] > 0 {
                pick = i
                u -= weights[i]
                if u < 0 { break }
            }
            guard pick >= 0 else { break }
            chosen.append(pick)
            total -= weights[pick]
            weights[pick] = 0
        }
        var starts = chosen.map { Array(candidates[$0 * dim..<($0 + 1) * dim]) }
        starts += warmStarts
        var bestX = starts[0]
        var bestValue = -Double.infinity
        for start in starts {
            let (x, f) = localSearch(acquisition, from: start)
            if f > bestValue {
                bestX = x
                bestValue = f
            }
        }
        return bestX
    }

    /// One mixed local search from `start` (Optuna's `local_search_mixed`).
    func localSearch(_ acquisition: any GPAcquisition, from start: [Double]) -> (x: [Double], value: Double) {
        var x = start
        var f = acquisition.value(x)
        let discrete = space.discreteIndices
        let grids = discrete.map { space.grid($0) }
        let continuousChanged = -1
        var lastChanged = continuousChanged
        for _ in 0..<100 {
            let (nx, nf, updated) = gradientAscent(acquisition, x, f)
            if updated {
                x = nx
                f = nf
                lastChanged = continuousChanged
            }
            for (k, i) in discrete.enumerated() {
                if lastChanged == i { return (x, f) }
                let (dx, df, changed) = discreteSearch(acquisition, x, f, index: i, grid: grids[k])
                if changed {
                    x = dx
                    f = df
                    lastChanged = i
                }
            }
            if lastChanged == continuousChanged { return (x, f) }
        }
        return (x, f)
    }

    /// L-BFGS-B on the continuous coordinates, in units of length scales.
    private func gradientAscent(_ acquisition: any GPAcquisition, _ x0: [Double], _ f0: Double) -> (
        [Double], Double, Bool
    ) {
        let continuous = space.continuousIndices
        guard !continuous.isEmpty else { return (x0, f0, false) }
        let scales = continuous.map { lengthScales[$0] }
        var optimizer = BoundedLBFGS()
        optimizer.pgtol = tolerance.squareRoot()
        optimizer.maxIterations = 200
        let start = continuous.enumerated().map { x0[$0.element] / scales[$0.offset] }
        let upper = scales.map { 1 / $0 }
        let lower = [Double](repeating: 0, count: continuous.count)
        let result = optimizer.minimize(start: start, lower: lower, upper: upper) { z in
            var x = x0
            for (k, i) in continuous.enumerated() { x[i] = z[k] * scales[k] }
            let (v, g) = acquisition.valueAndGradient(x)
            guard v.isFinite else { return nil }
            return (-v, continuous.enumerated().map { -g[$0.element] * scales[$0.offset] })
        }
        guard let result, result.iterations > 0, -result.value > f0 else { return (x0, f0, false) }
        var x = x0
        for (k, i) in continuous.enumerated() { x[i] = min(max(result.x[k] * scales[k], 0), 1) }
        return (x, -result.value, true)
    }

    /// Improves discrete coordinate `index` alone: exhaustively over small grids, else by line search.
    private func discreteSearch(
        _ acquisition: any GPAcquisition, _ x0: [Double], _ f0: Double, index: Int, grid: [Double]
    ) -> ([Double], Double, Bool) {
        guard grid.count > 1 else { return (x0, f0, false) }
        if space.dimensions[index].isCategorical || grid.count <= 16 {
            var bestX = x0
            var bestF = -Double.infinity
            for g in grid where g != x0[index] {
                var x = x0
                x[index] = g
                let f = acquisition.value(x)
                if f > bestF {
                    bestF = f
                    bestX = x
                }
            }
            return bestF > f0 ? (bestX, bestF, true) : (x0, f0, false)
        }
        return GPDiscreteLineSearch(acquisition: acquisition, grid: grid, index: index).search(from: x0, value: f0)
    }
}
