/// The GP's view of a search space: each parameter as one coordinate, as Optuna's `_gp/search_space.py`.
///
/// Numerical parameters map to `[0, 1]`: the range widened by half a step on each side (integers and
/// stepped floats), in log space for log distributions. Categorical parameters keep their choice index
/// (`0…k-1`), which the kernel compares for equality only. Stepped and integer parameters, and
/// categorical ones, are *discrete*: their coordinate only takes the normalized grid values.
struct GPSearchSpace: Sendable {
    /// One coordinate.
    struct Dimension: Sendable {
        /// The parameter's name.
        let name: String
        /// Its distribution.
        let distribution: Distribution
        /// Whether the coordinate is a choice index.
        let isCategorical: Bool
        /// The grid spacing in the distribution's units (0 for continuous floats, 1 for categorical).
        let step: Double
        /// The normalization range (widened by half a step, log-transformed where log).
        let lower: Double
        let upper: Double
        let isLog: Bool
    }

    /// The coordinates, sorted by parameter name.
    let dimensions: [Dimension]

    /// The space of `space`'s parameters, sorted by name.
    init(_ space: SearchSpace) {
        dimensions = space.keys.sorted().compactMap { name in
            guard let d = space[name] else { return nil }
            switch d {
            case .categorical(let c):
                return Dimension(
                    name: name, distribution: d, isCategorical: true, step: 1, lower: 0, upper: Double(c.choices.count),
                    isLog: false)
            case .float(let f):
                let step = f.step ?? 0
                return Self.numerical(name, d, low: f.low, high: f.high, step: step, log: f.log)
            case .int(let i):
                return Self.numerical(name, d, low: Double(i.low), high: Double(i.high), step: Double(i.step), log: i.log)
            }
        }
    }

    private static func numerical(
        _ name: String, _ d: Distribution, low: Double, high: Double, step: Double, log: Bool
    ) -> Dimension {
        var lo = low - 0.5 * step
        var hi = high + 0.5 * step
        if log {
            lo = CoreMath.log(lo)
            hi = CoreMath.log(hi)
        }
        return Dimension(name: name, distribution: d, isCategorical: false, step: step, lower: lo, upper: hi, isLog: log)
    }

    /// The number of coordinates.
    var count: Int { dimensions.count }
    /// Which coordinates are categorical.
    var isCategorical: [Bool] { dimensions.map(\.isCategorical) }
    /// The indices of the continuous coordinates.
    var continuousIndices: [Int] { dimensions.indices.filter { dimensions[$0].step == 0 } }
    /// The indices of the discrete coordinates.
    var discreteIndices: [Int] { dimensions.indices.filter { dimensions[$0].step > 0 } }

    /// The coordinate of internal value `value` in dimension `i`.
    func normalize(_ value: Double, _ i: Int) -> Double {
        let d = dimensions[i]
        if d.isCategorical { return value }
        guard d.upper != d.lower else { return 0.5 }
        let v = d.isLog ? CoreMath.log(value) : value
        return (v - d.lower) / (d.upper - d.lower)
    }

    /// The unrounded, unclipped distribution value of coordinate `x` in (numerical) dimension `i`.
    private func rawValue(_ x: Double, _ i: Int) -> Double {
        let d = dimensions[i]
        let v = x * (d.upper - d.lower) + d.lower
        return d.isLog ? CoreMath.exp(v) : v
    }

    /// The grid value of dimension `i` nearest below-or-at `x`'s cell (Optuna's rounding of sampled
    /// coordinates), as a coordinate.
    func roundToGrid(_ x: Double, _ i: Int) -> Double {
        let d = dimensions[i]
        guard d.step > 0, !d.isCategorical, let (low, high) = bounds(i) else { return x }
        let v = rawValue(x, i)
        let k = ((v - low + 0.5 * d.step) / d.step).rounded(.down)
        return normalize(min(max(k * d.step + low, low), high), i)
    }

    /// The grid coordinates of discrete dimension `i`, ascending.
    func grid(_ i: Int) -> [Double] {
        let d = dimensions[i]
        if d.isCategorical { return (0..<Int(d.upper)).map(Double.init) }
        guard let (low, high) = bounds(i), d.step > 0 else { return [] }
        let n = Int(((high - low) / d.step + 0.5).rounded(.down)) + 1
        return (0..<n).map { normalize(low + Double($0) * d.step, i) }
    }

    private func bounds(_ i: Int) -> (Double, Double)? {
        switch dimensions[i].distribution {
        case .float(let f): return (f.low, f.high)
        case .int(let d): return (Double(d.low), Double(d.high))
        case .categorical: return nil
        }
    }

    /// The internal value of coordinate `x` in dimension `i`: clipped into the distribution, rounded to
    /// integers, steps and choice indices.
    func internalValue(_ x: Double, _ i: Int) -> Double {
        let d = dimensions[i]
        switch d.distribution {
        case .categorical(let c):
            return min(max(x.rounded(.toNearestOrEven), 0), Double(c.choices.count - 1))
        case .float(let f):
            let v = min(max(rawValue(x, i), f.low), f.high)
            guard let step = f.step else { return v }
            let k = ((v - f.low) / step).rounded(.toNearestOrEven)
            return min(max(f.low + k * step, f.low), f.high)
        case .int(let n):
            let v = min(max(rawValue(x, i), Double(n.low)), Double(n.high))
            let k = ((v - Double(n.low)) / Double(n.step)).rounded(.toNearestOrEven)
            return min(max(Double(n.low) + k * Double(n.step), Double(n.low)), Double(n.high))
        }
    }

    /// The coordinates of a trial's parameters (each must be present).
    func normalizedRow(_ params: [String: Double]) -> [Double]? {
        var row = [Double](repeating: 0, count: count)
        for i in 0..<count {
            guard let v = params[dimensions[i].name] else { return nil }
            row[i] = normalize(v, i)
        }
        return row
    }

    /// `count` candidate points, row-major: scrambled Sobol points with categorical coordinates floored
    /// to an index and discrete ones rounded to their grid.
    func sample(count n: Int, using rng: inout SeededGenerator) -> [Double] {
        var points = GPSobol.uniform(count: n, dimension: count, using: &rng)
        for i in 0..<count {
            let d = dimensions[i]
            guard d.step > 0 else { continue }
            for r in 0..<n {
                let u = points[r * count + i]
                points[r * count + i] =
                    d.isCategorical ? min((u * d.upper).rounded(.down), d.upper - 1) : roundToGrid(u, i)
            }
        }
        return points
    }
}
