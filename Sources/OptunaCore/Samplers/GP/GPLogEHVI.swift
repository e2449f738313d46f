/// The boxes of a ``GPBoxDecomposition`` packed for fast log hypervolume improvements.
struct GPImprovementBoxes: Sendable {
    /// Per-box lower corners, `count × objectives`.
    let lower: [Double]
    /// Per-box widths (at least ``epsilon``; may be `+∞`), `count × objectives`.
    let width: [Double]
    let count: Int
    let objectives: Int

    /// The floor of each clamped difference, which keeps logs and gradients finite (Optuna's `_EPS`).
    static let epsilon = 1e-12

    init(_ boxes: GPBoxDecomposition.Boxes, objectives: Int) {
        self.objectives = objectives
        count = boxes.lower.count
        lower = boxes.lower.flatMap { $0 }
        width = zip(boxes.upper, boxes.lower).flatMap { u, l in zip(u, l).map { max($0 - $1, Self.epsilon) } }
    }

    /// `log Σ_b Π_m clamp(y_m - lower_bm, ε, width_bm)`, the smoothed log hypervolume improvement of `y`,
    /// and optionally its gradient with respect to `y` (added, scaled by `weight`, into `gradient`).
    ///
    /// Every factor is at least `ε`, so products of up to ~20 objectives neither underflow nor need logs.
    func logImprovement(_ y: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>? = nil, weight: Double = 1)
        -> Double
    {
        guard count > 0 else { return 0 }
        let m = objectives
        var total = 0.0
        var clamped = [Double](repeating: 0, count: m)
        for b in 0..<count {
            var product = 1.0
            for j in 0..<m {
                let c = min(max(y[j] - lower[b * m + j], Self.epsilon), width[b * m + j])
                product *= c
            }
            total += product
        }
        guard let gradient else { return CoreMath.log(total) }
        for b in 0..<count {
            var product = 1.0
            for j in 0..<m {
                let diff = y[j] - lower[b * m + j]
                clamped[j] = min(max(diff, Self.epsilon), width[b * m + j])
                product *= clamped[j]
            }
            for j in 0..<m {
                let diff = y[j] - lower[b * m + j]
                guard diff > Self.epsilon, diff < width[b * m + j] else { continue }
                gradient[j] += weight * product / clamped[j] / total
            }
        }
        return CoreMath.log(total)
    }
}

/// Log expected hypervolume improvement (Optuna's `LogEHVI`): the mean over fixed quasi-random normal
/// samples `z_s` of the hypervolume improvement of `μ(x) + σ(x)·z_s`, one independent GP per objective.
struct GPLogEHVI: GPAcquisition {
    let gps: [GPRegressor]
    let boxes: GPImprovementBoxes
    /// Standard normal samples, `samples × objectives`.
    let normals: [Double]
    let samples: Int

    func value(_ x: [Double]) -> Double { evaluate(x, wantGradient: false).value }

    func values(_ points: [Double], count: Int, dimension: Int) -> [Double] {
        let m = gps.count
        let posteriors = gps.map { $0.posteriorBatch(points, count: count) }
        var y = [Double](repeating: 0, count: m)
        var perSample = [Double](repeating: 0, count: samples)
        return (0..<count).map { r in
            let sigmas = posteriors.map { ($0.variance[r] + gpStabilizingNoise).squareRoot() }
            for s in 0..<samples {
                for j in 0..<m { y[j] = posteriors[j].mean[r] + sigmas[j] * normals[s * m + j] }
                perSample[s] = y.withUnsafeBufferPointer { boxes.logImprovement($0.baseAddress!) }
            }
            return GPMath.logSumExp(perSample) - CoreMath.log(Double(samples))
        }
    }

    func valueAndGradient(_ x: [Double]) -> (value: Double, gradient: [Double]) { evaluate(x, wantGradient: true) }

    private func evaluate(_ x: [Double], wantGradient: Bool) -> (value: Double, gradient: [Double]) {
        let m = gps.count
        var gradient = [Double](repeating: 0, count: wantGradient ? x.count : 0)
        let posteriors = x.withUnsafeBufferPointer { xb in gps.map { $0.posterior(xb.baseAddress!, needsGradient: wantGradient) } }
        let sigmas = posteriors.map { ($0.variance + gpStabilizingNoise).squareRoot() }
        // log mean_s HVI_s = log Σ_s Σ_b Π_m … - log S: one sum over all samples' boxes.
        var y = [Double](repeating: 0, count: m)
        var perSample = [Double](repeating: 0, count: samples)
        for s in 0..<samples {
            for j in 0..<m { y[j] = posteriors[j].mean + sigmas[j] * normals[s * m + j] }
            perSample[s] = y.withUnsafeBufferPointer { boxes.logImprovement($0.baseAddress!) }
        }
        let logTotal = GPMath.logSumExp(perSample)
        let value = logTotal - CoreMath.log(Double(samples))
        guard wantGradient else { return (value, gradient) }
        var dMean = [Double](repeating: 0, count: m)
        var dSigma = [Double](repeating: 0, count: m)
        var dy = [Double](repeating: 0, count: m)
        for s in 0..<samples {
            let w = CoreMath.exp(perSample[s] - logTotal)
            guard w > 0 else { continue }
            for j in 0..<m {
                y[j] = posteriors[j].mean + sigmas[j] * normals[s * m + j]
                dy[j] = 0
            }
            y.withUnsafeBufferPointer { yb in
                dy.withUnsafeMutableBufferPointer { _ = boxes.logImprovement(yb.baseAddress!, gradient: $0.baseAddress!, weight: w) }
            }
            for j in 0..<m {
                dMean[j] += dy[j]
                dSigma[j] += dy[j] * normals[s * m + j]
            }
        }
        x.withUnsafeBufferPointer { xb in
            for j in 0..<m {
                gps[j].addPosteriorGradient(
                    xb.baseAddress!, posteriors[j], dMean: dMean[j], dVariance: dSigma[j] / (2 * sigmas[j]),
                    into: &gradient)
            }
        }
        return (value, gradient)
    }
}

/// Small numerical helpers shared by the acquisition functions.
enum GPMath {
    /// `log Σ exp(v_i)`, stable; `-∞` for an empty list.
    static func logSumExp(_ v: [Double]) -> Double {
        guard let m = v.max(), m > -.infinity else { return -.infinity }
        guard m < .infinity else { return .infinity }
        var s = 0.0
        for x in v { s += CoreMath.exp(x - m) }
        return m + CoreMath.log(s)
    }
}
