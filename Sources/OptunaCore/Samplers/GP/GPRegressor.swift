/// The hyperparameters of a Matérn-5/2 ARD kernel with Gaussian noise.
struct GPKernelParameters: Hashable, Sendable {
    /// `1 / ℓ_d²` for each dimension `d`.
    var inverseSquaredLengthscales: [Double]
    /// The kernel's variance (`k(x, x)`).
    var kernelScale: Double
    /// The observation noise variance added to the diagonal.
    var noiseVariance: Double

    /// All ones, Optuna's starting point for the fit.
    static func defaults(dimension: Int) -> GPKernelParameters {
        GPKernelParameters(
            inverseSquaredLengthscales: [Double](repeating: 1, count: dimension), kernelScale: 1, noiseVariance: 1)
    }
}

/// A Gaussian process regressor with a Matérn-5/2 ARD kernel, conditioned on its training data.
///
/// The squared distance between two points is `Σ_d (1/ℓ_d²) · δ_d²`, where `δ_d` is the difference of
/// the normalized values for numerical dimensions and, for categorical ones (indices), 0 when equal and
/// 1 otherwise (a Hamming distance). The kernel is `kernelScale · Matern52(d²)`; observations carry
/// `noiseVariance`.
struct GPRegressor: Sendable {
    /// The number of dimensions.
    let dimension: Int
    /// Which dimensions are categorical.
    let isCategorical: [Bool]
    /// Training inputs, `count × dimension`, row-major.
    let trainX: [Double]
    /// Training targets (standardized, to be maximized).
    let trainY: [Double]
    /// The number of training points.
    let count: Int
    /// The kernel hyperparameters.
    let parameters: GPKernelParameters
    /// The lower Cholesky factor of `K + noise·I` (plus jitter when needed), row-major.
    let choleskyFactor: [Double]
    /// `(K + noise·I)⁻¹ y`.
    let alpha: [Double]

    /// Conditions a GP with `parameters` on `x` (`y.count × dimension`) and `y`; nil when the covariance
    /// cannot be factorized even with jitter (non-finite values).
    init?(x: [Double], y: [Double], isCategorical: [Bool], parameters: GPKernelParameters) {
        let n = y.count
        let dimension = isCategorical.count
        self.dimension = dimension
        self.isCategorical = isCategorical
        trainX = x
        trainY = y
        count = n
        self.parameters = parameters
        var cov = [Double](repeating: 0, count: n * n)
        x.withUnsafeBufferPointer { xb in
            for i in 0..<n {
                for j in 0...i {
                    let d2 = Self.squaredDistance(
                        xb.baseAddress! + i * dimension, xb.baseAddress! + j * dimension, parameters.inverseSquaredLengthscales,
                        isCategorical)
                    let k = parameters.kernelScale * Matern52.value(d2)
                    cov[i * n + j] = k
                    cov[j * n + i] = k
                }
                cov[i * n + i] += parameters.noiseVariance
            }
        }
        guard let (factor, _) = GPLinearAlgebra.choleskyWithJitter(cov, n: n) else { return nil }
        choleskyFactor = factor
        var a = y
        factor.withUnsafeBufferPointer { lb in
            a.withUnsafeMutableBufferPointer { ab in
                guard let l = lb.baseAddress, let b = ab.baseAddress else { return }
                GPLinearAlgebra.solveLower(l, n: n, b)
                GPLinearAlgebra.solveLowerTransposed(l, n: n, b)
            }
        }
        alpha = a
    }

    /// `1/√(1/ℓ²)` for each dimension.
    var lengthScales: [Double] { parameters.inverseSquaredLengthscales.map { 1 / $0.squareRoot() } }

    /// The scaled squared distance between two points of `dimension` values.
    @inline(__always)
    static func squaredDistance(
        _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ ils: [Double], _ isCategorical: [Bool]
    ) -> Double {
        var d2 = 0.0
        for d in 0..<ils.count {
            let diff = a[d] - b[d]
            d2 += ils[d] * (isCategorical[d] ? (diff != 0 ? 1 : 0) : diff * diff)
        }
        return d2
    }

    /// The kernel between `x` and each of the `m` rows of `points`, and its derivatives with respect to
    /// the squared distance (times `kernelScale`), for gradients.
    func kernelRow(_ x: UnsafePointer<Double>, points: [Double], count m: Int) -> (k: [Double], dk: [Double]) {
        var k = [Double](repeating: 0, count: m)
        var dk = [Double](repeating: 0, count: m)
        let ils = parameters.inverseSquaredLengthscales
        let s = parameters.kernelScale
        points.withUnsafeBufferPointer { pb in
            guard let p = pb.baseAddress else { return }
            for i in 0..<m {
                let d2 = Self.squaredDistance(x, p + i * dimension, ils, isCategorical)
                let (v, dv) = Matern52.valueAndDerivative(d2)
                k[i] = s * v
                dk[i] = s * dv
            }
        }
        return (k, dk)
    }

    /// Adds `Σ_i weights[i] · ∂k(x, points_i)/∂x` to `gradient` for the numerical dimensions.
    ///
    /// `dk` is the second result of ``kernelRow(_:points:count:)`` for the same `x` and `points`.
    func addKernelGradient(
        _ x: UnsafePointer<Double>, points: [Double], dk: [Double], weights: [Double], into gradient: inout [Double]
    ) {
        let ils = parameters.inverseSquaredLengthscales
        points.withUnsafeBufferPointer { pb in
            guard let p = pb.baseAddress else { return }
            for i in 0..<dk.count {
                let w = weights[i] * dk[i]
                guard w != 0 else { continue }
                let row = p + i * dimension
                for d in 0..<dimension where !isCategorical[d] {
                    gradient[d] += w * 2 * ils[d] * (x[d] - row[d])
                }
            }
        }
    }

    /// The posterior at `x`: mean and variance (clamped at 0), with what gradients need.
    func posterior(_ x: UnsafePointer<Double>, needsGradient: Bool) -> GPPointPosterior {
        let (k, dk) = kernelRow(x, points: trainX, count: count)
        let n = count
        var v = k
        let mean = k.withUnsafeBufferPointer { kb in
            alpha.withUnsafeBufferPointer { ab in GPLinearAlgebra.dot(kb.baseAddress!, ab.baseAddress!, n) }
        }
        var variance = parameters.kernelScale
        choleskyFactor.withUnsafeBufferPointer { lb in
            v.withUnsafeMutableBufferPointer { vb in
                guard let l = lb.baseAddress, let b = vb.baseAddress else { return }
                GPLinearAlgebra.solveLower(l, n: n, b)
                variance -= GPLinearAlgebra.dot(b, b, n)
                if needsGradient { GPLinearAlgebra.solveLowerTransposed(l, n: n, b) }
            }
        }
        return GPPointPosterior(
            mean: mean, variance: max(variance, 0), k: k, dk: dk, beta: needsGradient ? v : [])
    }

    /// Adds `dA/dmean · ∇mean + dA/dvariance · ∇variance` at `x` to `gradient` (numerical dimensions).
    func addPosteriorGradient(
        _ x: UnsafePointer<Double>, _ p: GPPointPosterior, dMean: Double, dVariance: Double,
        into gradient: inout [Double]
    ) {
        guard dMean != 0 || dVariance != 0 else { return }
        var weights = [Double](repeating: 0, count: count)
        for i in 0..<count { weights[i] = dMean * alpha[i] - 2 * dVariance * p.beta[i] }
        addKernelGradient(x, points: trainX, dk: p.dk, weights: weights, into: &gradient)
    }

    /// The joint posterior at the `m` rows of `points`: means and the `m × m` covariance (diagonal
    /// clamped at 0).
    func jointPosterior(points: [Double], count m: Int) -> (mean: [Double], covariance: [Double]) {
        let n = count
        var vt = [Double](repeating: 0, count: m * n)  // row r = L⁻¹ k(X, x_r)
        var mean = [Double](repeating: 0, count: m)
        points.withUnsafeBufferPointer { pb in
            for r in 0..<m {
                let (k, _) = kernelRow(pb.baseAddress! + r * dimension, points: trainX, count: n)
                var s = 0.0
                for i in 0..<n { s += k[i] * alpha[i] }
                mean[r] = s
                var v = k
                choleskyFactor.withUnsafeBufferPointer { lb in
                    v.withUnsafeMutableBufferPointer { GPLinearAlgebra.solveLower(lb.baseAddress!, n: n, $0.baseAddress!) }
                }
                for i in 0..<n { vt[r * n + i] = v[i] }
            }
        }
        var cov = [Double](repeating: 0, count: m * m)
        points.withUnsafeBufferPointer { pb in
            vt.withUnsafeBufferPointer { vb in
                let p = pb.baseAddress!
                let v = vb.baseAddress!
                for a in 0..<m {
                    for b in 0...a {
                        let d2 = Self.squaredDistance(
                            p + a * dimension, p + b * dimension, parameters.inverseSquaredLengthscales, isCategorical)
                        let c = parameters.kernelScale * Matern52.value(d2) - GPLinearAlgebra.dot(v + a * n, v + b * n, n)
                        cov[a * m + b] = c
                        cov[b * m + a] = c
                    }
                    cov[a * m + a] = max(cov[a * m + a], 0)
                }
            }
        }
        return (mean, cov)
    }
}

/// The posterior of a ``GPRegressor`` at one point, with the intermediate vectors gradients need.
struct GPPointPosterior {
    /// The posterior mean.
    var mean: Double
    /// The posterior variance, clamped at 0.
    var variance: Double
    /// `k(x, X_i)` for each training point.
    var k: [Double]
    /// `∂k(x, X_i)/∂d²` for each training point.
    var dk: [Double]
    /// `(K + noise·I)⁻¹ k` when a gradient was asked for, else empty.
    var beta: [Double]
}
