extension CMAState {
    /// One candidate in the unit cube, as `cmaes`'s `ask`: up to `10 n` draws from `N(mean, sigma^2 C)`
    /// until one lies inside the bounds (only the continuous coordinates count for the margin variant),
    /// then one more draw clipped into them.
    ///
    /// - Returns: the point to evaluate (discrete coordinates snapped to their grid for the margin variant)
    ///   and the raw draw the update learns from.
    func ask(using rng: inout SeededGenerator) -> (point: [Double], raw: [Double]) {
        let continuous = variant == .margin ? (0..<n).filter { steps[$0] <= 0 } : Array(0..<n)
        for _ in 0..<(10 * n) {
            let x = draw(using: &rng)
            if continuous.allSatisfy({ x[$0] >= 0 && x[$0] <= 1 }) { return (encode(x), x) }
        }
        var x = draw(using: &rng)
        for i in continuous { x[i] = min(max(x[i], 0), 1) }
        return (encode(x), x)
    }

    /// `mean + sigma * B D z` with `z ~ N(0, I)` (`D z` when separable).
    func draw(using rng: inout SeededGenerator) -> [Double] {
        let n = self.n
        let z = (0..<n).map { _ in rng.normal() }
        var x = mean
        if variant == .separable {
            for i in 0..<n { x[i] += sigma * d[i] * z[i] }
            return x
        }
        for i in 0..<n {
            var y = 0.0
            for k in 0..<n { y += b[i * n + k] * d[k] * z[k] }
            x[i] += sigma * y
        }
        return x
    }

    /// The point with its discrete coordinates mapped to the nearest grid value (margin variant).
    func encode(_ x: [Double]) -> [Double] {
        guard variant == .margin else { return x }
        var out = x
        for i in 0..<n where steps[i] > 0 {
            let grid = CMAGrid(step: steps[i])
            out[i] = grid.value(grid.index(of: (x[i] - mean[i]) * a[i] + mean[i]))
        }
        return out
    }
}

/// The grid of one discrete coordinate of the margin variant: values `0, step, 2 step, …` in the unit
/// cube (`cmaes`'s `CMAwM` discrete space).
struct CMAGrid {
    let step: Double
    /// How many values the grid has.
    var size: Int { Int(((1 + step / 2) / step).rounded(.up)) }

    func value(_ index: Int) -> Double { Double(index) * step }

    /// The midpoint between values `index` and `index + 1`.
    func limit(_ index: Int) -> Double { (value(index) + value(index + 1)) / 2 }

    /// The index of the grid value nearest `x`, preferring the lower one on ties.
    func index(of x: Double) -> Int {
        var i = Int(min(max((x / step + 0.5).rounded(.down), -1e15), 1e15))
        i = min(max(i, 0), size - 1)
        if i > 0, x <= limit(max(i - 1, 0)) { i -= 1 }
        if i < size - 1, x > limit(min(i, size - 2)) { i += 1 }
        return i
    }

    /// The limits around the cell of `x`: `(limit(pos - 1), limit(pos))`, clipped to the grid.
    func limits(around x: Double) -> (low: Double, high: Double) {
        let pos = index(of: x)
        return (limit(min(max(pos - 1, 0), size - 2)), limit(min(max(pos, 0), size - 2)))
    }
}
