extension GPRegressor {
    /// Posterior means and variances (clamped at 0) at the `m` rows of `points`, eight at a time.
    ///
    /// Same values as ``posterior(_:needsGradient:)``, computed as a blocked triangular solve: each
    /// entry of the Cholesky factor is loaded once per eight candidates rather than once per candidate,
    /// which is what makes scoring Optuna's 2048 preliminary candidates cheap.
    func posteriorBatch(_ points: [Double], count m: Int) -> (mean: [Double], variance: [Double]) {
        let n = count
        var means = [Double](repeating: 0, count: m)
        var variances = [Double](repeating: 0, count: m)
        guard n > 0 else { return (means, variances.map { _ in parameters.kernelScale }) }
        let ils = parameters.inverseSquaredLengthscales
        let scale = parameters.kernelScale
        var v = [SIMD8<Double>](repeating: SIMD8(), count: n)
        points.withUnsafeBufferPointer { pb in
            choleskyFactor.withUnsafeBufferPointer { lb in
                trainX.withUnsafeBufferPointer { xb in
                    v.withUnsafeMutableBufferPointer { vb in
                        guard let p = pb.baseAddress, let l = lb.baseAddress, let x = xb.baseAddress,
                            let vp = vb.baseAddress
                        else { return }
                        var start = 0
                        while start < m {
                            let width = min(8, m - start)
                            var mean = SIMD8<Double>()
                            for i in 0..<n {
                                var k = SIMD8<Double>()
                                for c in 0..<width {
                                    let d2 = Self.squaredDistance(p + (start + c) * dimension, x + i * dimension, ils, isCategorical)
                                    k[c] = scale * Matern52.value(d2)
                                }
                                mean += alpha[i] * k
                                vp[i] = k
                            }
                            var quadratic = SIMD8<Double>()
                            for i in 0..<n {
                                let row = l + i * n
                                var acc0 = vp[i]
                                var acc1 = SIMD8<Double>()
                                var k = 0
                                while k + 2 <= i {
                                    acc0 -= row[k] * vp[k]
                                    acc1 -= row[k + 1] * vp[k + 1]
                                    k += 2
                                }
                                if k < i { acc0 -= row[k] * vp[k] }
                                let vi = (acc0 + acc1) / row[i]
                                vp[i] = vi
                                quadratic += vi * vi
                            }
                            for c in 0..<width {
                                means[start + c] = mean[c]
                                variances[start + c] = max(scale - quadratic[c], 0)
                            }
                            start += width
                        }
                    }
                }
            }
        }
        return (means, variances)
    }
}
