/// A GP's joint posterior samples at a candidate and at the RUNNING trials' points, for the q-batch
/// acquisition functions (Optuna's `ConditionalGPRegressor`).
///
/// Values at the running points ("fantasies") are drawn once from the joint posterior with fixed
/// quasi-random normals; the candidate's value in sample `s` is then drawn from the posterior
/// conditioned on that sample's fantasies:
/// `y_s(x) = μ(x) + cᵀ Σ⁻¹ (f_s - μ_r) + √(σ²(x) - cᵀ Σ⁻¹ c) · z_s`,
/// where `Σ` is the running points' posterior covariance and `c` their posterior covariance with `x`.
/// With the normals fixed, `y_s(x)` is a smooth deterministic function that L-BFGS-B can optimize.
struct GPConditional: Sendable {
    let gp: GPRegressor
    /// The running points, `runningCount × dimension`.
    let running: [Double]
    let runningCount: Int
    let samples: Int
    /// The fantasies, `samples × runningCount`.
    let fantasies: [Double]
    /// The candidate's normal in each sample.
    private let candidateNormals: [Double]
    /// The Cholesky factor of `Σ`.
    private let runningFactor: [Double]
    /// `Σ⁻¹ (f_s - μ_r)`, `runningCount × samples`.
    private let weights: [Double]
    /// `(K + noise·I)⁻¹ k(X, x_r)`, `count × runningCount`.
    private let trainWeights: [Double]

    /// Draws the fantasies of `gp` at `running` (`runningCount` rows) with `samples` Sobol normals; nil
    /// when their covariance cannot be factorized.
    init?(gp: GPRegressor, running: [Double], runningCount nr: Int, samples: Int, using rng: inout SeededGenerator) {
        self.gp = gp
        self.running = running
        runningCount = nr
        self.samples = samples
        let z = GPSobol.normal(count: samples, dimension: nr + 1, using: &rng)
        var (mean, cov) = gp.jointPosterior(points: running, count: nr)
        for r in 0..<nr { cov[r * nr + r] += gpStabilizingNoise }
        guard let (l, _) = GPLinearAlgebra.choleskyWithJitter(cov, n: nr) else { return nil }
        runningFactor = l
        var f = [Double](repeating: 0, count: samples * nr)
        var w = [Double](repeating: 0, count: nr * samples)
        var normals = [Double](repeating: 0, count: samples)
        for s in 0..<samples {
            var zs = Array(z[s * (nr + 1)..<(s * (nr + 1) + nr)])
            normals[s] = z[s * (nr + 1) + nr]
            for r in 0..<nr {
                var v = mean[r]
                for k in 0...r { v += l[r * nr + k] * zs[k] }
                f[s * nr + r] = v
            }
            // Σ⁻¹ (L z) = L⁻ᵀ z.
            l.withUnsafeBufferPointer { lb in
                zs.withUnsafeMutableBufferPointer { GPLinearAlgebra.solveLowerTransposed(lb.baseAddress!, n: nr, $0.baseAddress!) }
            }
            for r in 0..<nr { w[r * samples + s] = zs[r] }
        }
        fantasies = f
        weights = w
        candidateNormals = normals
        let n = gp.count
        var tw = [Double](repeating: 0, count: n * nr)
        running.withUnsafeBufferPointer { rb in
            for r in 0..<nr {
                var (k, _) = gp.kernelRow(rb.baseAddress! + r * gp.dimension, points: gp.trainX, count: n)
                gp.choleskyFactor.withUnsafeBufferPointer { lb in
                    k.withUnsafeMutableBufferPointer { kb in
                        GPLinearAlgebra.solveLower(lb.baseAddress!, n: n, kb.baseAddress!)
                        GPLinearAlgebra.solveLowerTransposed(lb.baseAddress!, n: n, kb.baseAddress!)
                    }
                }
                for i in 0..<n { tw[i * nr + r] = k[i] }
            }
        }
        trainWeights = tw
    }

    /// The candidate's samples at `x` and what their gradient needs.
    struct Draw {
        var values: [Double]
        var posterior: GPPointPosterior
        var runningDK: [Double]
        var c: [Double]
        var u: [Double]
        var deviation: Double
    }

    /// The candidate's value in every sample at `x`.
    func draw(_ x: UnsafePointer<Double>, needsGradient: Bool) -> Draw {
        let p = gp.posterior(x, needsGradient: needsGradient)
        let nr = runningCount
        let n = gp.count
        var (c, dkr) = gp.kernelRow(x, points: running, count: nr)
        for i in 0..<n where p.k[i] != 0 {
            let ki = p.k[i]
            for r in 0..<nr { c[r] -= trainWeights[i * nr + r] * ki }
        }
        var u = c
        runningFactor.withUnsafeBufferPointer { lb in
            u.withUnsafeMutableBufferPointer { ub in
                GPLinearAlgebra.solveLower(lb.baseAddress!, n: nr, ub.baseAddress!)
                GPLinearAlgebra.solveLowerTransposed(lb.baseAddress!, n: nr, ub.baseAddress!)
            }
        }
        var cu = 0.0
        for r in 0..<nr { cu += c[r] * u[r] }
        let deviation = max(p.variance + gpStabilizingNoise - cu, 0).squareRoot()
        var values = [Double](repeating: p.mean, count: samples)
        for r in 0..<nr where c[r] != 0 {
            let cr = c[r]
            for s in 0..<samples { values[s] += cr * weights[r * samples + s] }
        }
        for s in 0..<samples { values[s] += deviation * candidateNormals[s] }
        return Draw(values: values, posterior: p, runningDK: dkr, c: c, u: u, deviation: deviation)
    }

    /// Adds `Σ_s dValues[s] · ∂y_s/∂x` to `gradient`.
    func addGradient(_ x: UnsafePointer<Double>, _ d: Draw, dValues: [Double], into gradient: inout [Double]) {
        let nr = runningCount
        let n = gp.count
        var gMean = 0.0
        var gVariance = 0.0
        var gC = [Double](repeating: 0, count: nr)
        for s in 0..<samples where dValues[s] != 0 {
            gMean += dValues[s]
            if d.deviation > 0 { gVariance += dValues[s] * candidateNormals[s] / (2 * d.deviation) }
        }
        for r in 0..<nr {
            var acc = 0.0
            for s in 0..<samples { acc += dValues[s] * weights[r * samples + s] }
            gC[r] = acc - 2 * gVariance * d.u[r]
        }
        var w = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var acc = gMean * gp.alpha[i] - 2 * gVariance * d.posterior.beta[i]
            for r in 0..<nr { acc -= trainWeights[i * nr + r] * gC[r] }
            w[i] = acc
        }
        gp.addKernelGradient(x, points: gp.trainX, dk: d.posterior.dk, weights: w, into: &gradient)
        gp.addKernelGradient(x, points: running, dk: d.runningDK, weights: gC, into: &gradient)
    }
}
