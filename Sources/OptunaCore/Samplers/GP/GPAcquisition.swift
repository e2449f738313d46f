/// An acquisition function over normalized coordinates (``GPSearchSpace``), to be maximized.
///
/// Gradients are with respect to every coordinate, but only numerical (non-categorical) ones are
/// meaningful; the optimizer uses those of continuous coordinates only.
protocol GPAcquisition: Sendable {
    /// The acquisition value at `x`.
    func value(_ x: [Double]) -> Double
    /// The acquisition value at `x` and its gradient.
    func valueAndGradient(_ x: [Double]) -> (value: Double, gradient: [Double])
    /// The values at the `count` rows of `points` (row-major, `dimension` wide).
    func values(_ points: [Double], count: Int, dimension: Int) -> [Double]
}

extension GPAcquisition {
    /// The values at the `count` rows of `points`, one at a time.
    func values(_ points: [Double], count: Int, dimension: Int) -> [Double] {
        (0..<count).map { r in value(Array(points[r * dimension..<(r + 1) * dimension])) }
    }
}

/// Variance added before taking square roots in acquisition functions (Optuna's `stabilizing_noise`).
let gpStabilizingNoise = 1e-12

/// Log expected improvement over `threshold` (Optuna's `LogEI`); the constant 0 when `threshold` is
/// `-∞` (no feasible trial yet), so a constrained form reduces to its feasibility terms.
struct GPLogEI: GPAcquisition {
    let gp: GPRegressor
    let threshold: Double

    func value(_ x: [Double]) -> Double {
        guard threshold > -.infinity else { return 0 }
        let p = x.withUnsafeBufferPointer { gp.posterior($0.baseAddress!, needsGradient: false) }
        let sigma = (p.variance + gpStabilizingNoise).squareRoot()
        return GPNormalMath.logEI((p.mean - threshold) / sigma) + CoreMath.log(sigma)
    }

    func values(_ points: [Double], count: Int, dimension: Int) -> [Double] {
        guard threshold > -.infinity else { return [Double](repeating: 0, count: count) }
        let (means, variances) = gp.posteriorBatch(points, count: count)
        return zip(means, variances).map { mean, variance in
            let sigma = (variance + gpStabilizingNoise).squareRoot()
            return GPNormalMath.logEI((mean - threshold) / sigma) + CoreMath.log(sigma)
        }
    }

    func valueAndGradient(_ x: [Double]) -> (value: Double, gradient: [Double]) {
        var gradient = [Double](repeating: 0, count: x.count)
        guard threshold > -.infinity else { return (0, gradient) }
        let value = x.withUnsafeBufferPointer { xb -> Double in
            let p = gp.posterior(xb.baseAddress!, needsGradient: true)
            let variance = p.variance + gpStabilizingNoise
            let sigma = variance.squareRoot()
            let z = (p.mean - threshold) / sigma
            let h = GPNormalMath.logEIDerivative(z)
            gp.addPosteriorGradient(
                xb.baseAddress!, p, dMean: h / sigma, dVariance: (1 - h * z) / (2 * variance), into: &gradient)
            return GPNormalMath.logEI(z) + CoreMath.log(sigma)
        }
        return (value, gradient)
    }
}

/// Log probability of exceeding `threshold` (Optuna's `LogPI`), used for constraints: the GP models
/// the negated, standardized constraint value, and `threshold` is where the constraint equals 0.
struct GPLogPI: GPAcquisition {
    let gp: GPRegressor
    let threshold: Double

    func value(_ x: [Double]) -> Double {
        let p = x.withUnsafeBufferPointer { gp.posterior($0.baseAddress!, needsGradient: false) }
        return GPNormalMath.logNdtr((p.mean - threshold) / (p.variance + gpStabilizingNoise).squareRoot())
    }

    func values(_ points: [Double], count: Int, dimension: Int) -> [Double] {
        let (means, variances) = gp.posteriorBatch(points, count: count)
        return zip(means, variances).map { GPNormalMath.logNdtr(($0 - threshold) / ($1 + gpStabilizingNoise).squareRoot()) }
    }

    func valueAndGradient(_ x: [Double]) -> (value: Double, gradient: [Double]) {
        var gradient = [Double](repeating: 0, count: x.count)
        let value = x.withUnsafeBufferPointer { xb -> Double in
            let p = gp.posterior(xb.baseAddress!, needsGradient: true)
            let variance = p.variance + gpStabilizingNoise
            let sigma = variance.squareRoot()
            let z = (p.mean - threshold) / sigma
            let r = GPNormalMath.logNdtrDerivative(z)
            gp.addPosteriorGradient(xb.baseAddress!, p, dMean: r / sigma, dVariance: -r * z / (2 * variance), into: &gradient)
            return GPNormalMath.logNdtr(z)
        }
        return (value, gradient)
    }
}

/// The sum of log-acquisitions: a log-space product, as Optuna's constrained forms (`LogCEI`,
/// `LogCEHVI`) multiply the improvement by each constraint's feasibility probability.
struct GPSumAcquisition: GPAcquisition {
    let terms: [any GPAcquisition]

    func value(_ x: [Double]) -> Double { terms.reduce(0) { $0 + $1.value(x) } }

    func values(_ points: [Double], count: Int, dimension: Int) -> [Double] {
        var total = [Double](repeating: 0, count: count)
        for t in terms {
            let v = t.values(points, count: count, dimension: dimension)
            for i in 0..<count { total[i] += v[i] }
        }
        return total
    }

    func valueAndGradient(_ x: [Double]) -> (value: Double, gradient: [Double]) {
        var total = 0.0
        var gradient = [Double](repeating: 0, count: x.count)
        for t in terms {
            let (v, g) = t.valueAndGradient(x)
            total += v
            for i in 0..<g.count { gradient[i] += g[i] }
        }
        return (total, gradient)
    }
}
