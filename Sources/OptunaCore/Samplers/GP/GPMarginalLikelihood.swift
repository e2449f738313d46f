/// The objective maximized to fit a GP's kernel: log marginal likelihood plus Optuna's log prior.
///
/// Parameters are optimized in log space, `raw = [log(1/ℓ_d²)…, log(kernelScale), log(noise - minNoise)]`,
/// so they stay positive and the noise stays above ``minimumNoise``. With a deterministic objective the
/// noise is pinned at ``minimumNoise`` and its raw coordinate has zero gradient.
///
/// The log marginal likelihood drops its constant: `-Σ log L_ii - ½ yᵀ C⁻¹ y` for `C = K + noise·I = LLᵀ`.
/// The prior (Optuna's hand-picked one) is `-Σ_d (0.1/λ_d + 0.1·λ_d)` over inverse squared lengthscales
/// `λ`, a Gamma(2, 1) density on the kernel scale and a Gamma(1.1, 30) density on the noise, each
/// without its normalizing constant.
struct GPMarginalLikelihood {
    /// The smallest noise variance (Optuna's default 1e-6).
    static let defaultMinimumNoise = 1e-6

    let x: [Double]
    let y: [Double]
    let isCategorical: [Bool]
    let minimumNoise: Double
    let deterministic: Bool
    let n: Int
    let dimension: Int
    /// Per-dimension squared differences of each pair `j < i`, pair-major: `pairs × dimension`.
    private let pairDifferences: [Double]

    /// Prepares the objective for inputs `x` (`y.count × dimension`) and targets `y`.
    init(x: [Double], y: [Double], isCategorical: [Bool], minimumNoise: Double, deterministic: Bool) {
        self.x = x
        self.y = y
        self.isCategorical = isCategorical
        self.minimumNoise = minimumNoise
        self.deterministic = deterministic
        n = y.count
        dimension = isCategorical.count
        var diffs = [Double](repeating: 0, count: n * (n - 1) / 2 * dimension)
        var p = 0
        for i in 0..<n {
            for j in 0..<i {
                for d in 0..<dimension {
                    let diff = x[i * dimension + d] - x[j * dimension + d]
                    diffs[p] = isCategorical[d] ? (diff != 0 ? 1 : 0) : diff * diff
                    p += 1
                }
            }
        }
        pairDifferences = diffs
    }

    /// The raw vector of `parameters`.
    func raw(of parameters: GPKernelParameters) -> [Double] {
        parameters.inverseSquaredLengthscales.map { CoreMath.log($0) } + [
            CoreMath.log(parameters.kernelScale),
            CoreMath.log(max(parameters.noiseVariance - 0.99 * minimumNoise, 1e-300)),
        ]
    }

    /// The parameters a raw vector stands for.
    func parameters(of raw: [Double]) -> GPKernelParameters {
        GPKernelParameters(
            inverseSquaredLengthscales: raw[0..<dimension].map { CoreMath.exp($0) },
            kernelScale: CoreMath.exp(raw[dimension]),
            noiseVariance: deterministic ? minimumNoise : CoreMath.exp(raw[dimension + 1]) + minimumNoise)
    }

    /// The log prior of `parameters`.
    static func logPrior(_ p: GPKernelParameters) -> Double {
        var s = 0.0
        for l in p.inverseSquaredLengthscales { s -= 0.1 / l + 0.1 * l }
        s += (2 - 1) * CoreMath.log(p.kernelScale) - 1 * p.kernelScale
        s += (1.1 - 1) * CoreMath.log(p.noiseVariance) - 30 * p.noiseVariance
        return s
    }

    /// The log marginal likelihood (without its constant) of `parameters`, or nil when the covariance is
    /// not numerically positive definite.
    func logMarginalLikelihood(_ p: GPKernelParameters) -> Double? {
        guard let (l, _) = factorize(p) else { return nil }
        var u = y
        var logDet = 0.0
        l.withUnsafeBufferPointer { lb in
            u.withUnsafeMutableBufferPointer { ub in GPLinearAlgebra.solveLower(lb.baseAddress!, n: n, ub.baseAddress!) }
        }
        for i in 0..<n { logDet += CoreMath.log(l[i * n + i]) }
        return -logDet - 0.5 * u.reduce(0) { $0 + $1 * $1 }
    }

    /// The loss `-(log marginal likelihood + log prior)` at `raw` and its gradient with respect to `raw`;
    /// nil when the covariance cannot be factorized.
    func lossAndGradient(_ raw: [Double]) -> (loss: Double, gradient: [Double])? {
        let p = parameters(of: raw)
        guard let (l, kernel) = factorize(p) else { return nil }
        var alpha = y
        var logDet = 0.0
        l.withUnsafeBufferPointer { lb in
            alpha.withUnsafeMutableBufferPointer { ab in
                GPLinearAlgebra.solveLower(lb.baseAddress!, n: n, ab.baseAddress!)
            }
        }
        let quadratic = alpha.reduce(0) { $0 + $1 * $1 }
        l.withUnsafeBufferPointer { lb in
            alpha.withUnsafeMutableBufferPointer { ab in
                GPLinearAlgebra.solveLowerTransposed(lb.baseAddress!, n: n, ab.baseAddress!)
            }
        }
        for i in 0..<n { logDet += CoreMath.log(l[i * n + i]) }
        let mll = -logDet - 0.5 * quadratic
        let inverse = GPLinearAlgebra.inverseFromCholesky(l, n: n)

        // ∂mll/∂θ = ½ Σ_ij (α_i α_j - C⁻¹_ij) ∂C_ij/∂θ; off-diagonal pairs are counted twice.
        var gradient = [Double](repeating: 0, count: dimension + 2)
        var scaleTerm = 0.0
        var noiseTrace = 0.0
        var pair = 0
        let ils = p.inverseSquaredLengthscales
        var perDimension = [Double](repeating: 0, count: dimension)
        for i in 0..<n {
            for j in 0..<i {
                let w = alpha[i] * alpha[j] - inverse[i * n + j]
                let (k, dk) = kernel[pair]
                scaleTerm += 2 * w * k
                let t = 2 * w * dk
                let base = pair * dimension
                for d in 0..<dimension { perDimension[d] += t * pairDifferences[base + d] }
                pair += 1
            }
            let w = alpha[i] * alpha[i] - inverse[i * n + i]
            scaleTerm += w * p.kernelScale
            noiseTrace += w
        }
        for d in 0..<dimension { gradient[d] = 0.5 * perDimension[d] * ils[d] }
        gradient[dimension] = 0.5 * scaleTerm
        if !deterministic { gradient[dimension + 1] = 0.5 * noiseTrace * (p.noiseVariance - minimumNoise) }

        // The prior's gradient in raw coordinates.
        for d in 0..<dimension { gradient[d] += 0.1 / ils[d] - 0.1 * ils[d] }
        gradient[dimension] += 1 - p.kernelScale
        if !deterministic {
            gradient[dimension + 1] += (0.1 / p.noiseVariance - 30) * (p.noiseVariance - minimumNoise)
        }
        let loss = -(mll + Self.logPrior(p))
        return (loss, gradient.map { -$0 })
    }

    /// The Cholesky factor of `K + noise·I` (no jitter: the fit must see failures) and, for each pair
    /// `j < i`, the kernel value and `kernelScale · ∂Matern/∂d²`.
    private func factorize(_ p: GPKernelParameters) -> ([Double], [(Double, Double)])? {
        var cov = [Double](repeating: 0, count: n * n)
        var kernel = [(Double, Double)](repeating: (0, 0), count: n * (n - 1) / 2)
        let ils = p.inverseSquaredLengthscales
        var pair = 0
        for i in 0..<n {
            for j in 0..<i {
                var d2 = 0.0
                let base = pair * dimension
                for d in 0..<dimension { d2 += ils[d] * pairDifferences[base + d] }
                let (v, dv) = Matern52.valueAndDerivative(d2)
                kernel[pair] = (p.kernelScale * v, p.kernelScale * dv)
                cov[i * n + j] = p.kernelScale * v
                pair += 1
            }
            cov[i * n + i] = p.kernelScale + p.noiseVariance
        }
        guard let l = GPLinearAlgebra.cholesky(cov, n: n) else { return nil }
        return (l, kernel)
    }
}
