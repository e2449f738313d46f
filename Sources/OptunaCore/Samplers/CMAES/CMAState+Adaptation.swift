extension CMAState {
    /// Learning-rate adaptation (LRA-CMA-ES, `cmaes`'s `lr_adapt`): the updates of mean and covariance are
    /// scaled by rates that follow their estimated signal-to-noise ratios.
    mutating func adaptLearningRate(
        oldMean: [Double], oldSigma: Double, oldSigmaMatrix: [Double], oldInvSqrtC: [Double]
    ) {
        let n = self.n
        let (alpha, betaMean, betaSigma, gamma) = (1.4, 0.1, 0.03, 0.1)
        let deltaMean = (0..<n).map { mean[$0] - oldMean[$0] }
        let newSigmaMatrix = c.map { $0 * sigma * sigma }
        let deltaSigma = (0..<(n * n)).map { newSigmaMatrix[$0] - oldSigmaMatrix[$0] }
        let invSqrtSigma = oldInvSqrtC.map { $0 / oldSigma }
        let locMean = multiply(invSqrtSigma, deltaMean)
        // invSqrtSigma * deltaSigma * invSqrtSigma, flattened, divided by sqrt(2).
        var left = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                var s = 0.0; for k in 0..<n { s += invSqrtSigma[i * n + k] * deltaSigma[k * n + j] };
                left[i * n + j] = s
            }
        }
        var locSigma = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                var s = 0.0; for k in 0..<n { s += left[i * n + k] * invSqrtSigma[k * n + j] };
                locSigma[i * n + j] = s / 2.0.squareRoot()
            }
        }
        for i in 0..<n { eMean[i] = (1 - betaMean) * eMean[i] + betaMean * locMean[i] }
        for i in 0..<(n * n) { eSigma[i] = (1 - betaSigma) * eSigma[i] + betaSigma * locSigma[i] }
        vMean = (1 - betaMean) * vMean + betaMean * VectorMath.dot(locMean, locMean)
        vSigma = (1 - betaSigma) * vSigma + betaSigma * VectorMath.dot(locSigma, locSigma)
        let sqMean = VectorMath.dot(eMean, eMean)
        let snrMean = (sqMean - (betaMean / (2 - betaMean)) * vMean) / (vMean - sqMean)
        let sqSigma = VectorMath.dot(eSigma, eSigma)
        let snrSigma = (sqSigma - (betaSigma / (2 - betaSigma)) * vSigma) / (vSigma - sqSigma)
        let previousEtaMean = etaMean
        let relMean = min(max(snrMean / alpha / etaMean - 1, -1), 1)
        etaMean *= CoreMath.exp(min(gamma * etaMean, betaMean) * relMean)
        let relSigma = min(max(snrSigma / alpha / etaSigma - 1, -1), 1)
        etaSigma *= CoreMath.exp(min(gamma * etaSigma, betaSigma) * relSigma)
        etaMean = min(etaMean, 1)
        etaSigma = min(etaSigma, 1)
        mean = (0..<n).map { oldMean[$0] + etaMean * deltaMean[$0] }
        let blended = (0..<(n * n)).map { oldSigmaMatrix[$0] + etaSigma * deltaSigma[$0] }
        let eigenvalues = SymmetricEigen.decompose(blended, n: n).values
        let logSum = eigenvalues.reduce(0) { $0 + CoreMath.log($1) }
        sigma = min(CoreMath.exp(logSum / 2 / Double(n)), 1e32)
        c = blended.map { $0 / (sigma * sigma) }
        sigma *= previousEtaMean / etaMean
    }

    /// The margin correction of `CMAwM` after an update: keeps at least `margin` probability of leaving each
    /// discrete coordinate's current grid cell, by moving the mean or rescaling the coordinate.
    mutating func applyMargin() {
        let n = self.n
        let margin = 1 / Double(n * popsize)
        for i in 0..<n where steps[i] > 0 {
            let grid = CMAGrid(step: steps[i])
            let m = mean[i]
            let (low, up) = grid.limits(around: m)
            let cii = c[i * n + i]
            let scale = sigma * a[i] * cii.squareRoot()
            let lowCDF = Self.normalCDF((low - m) / scale)
            let upCDF = 1 - Self.normalCDF((up - m) / scale)
            let midCDF = 1 - (lowCDF + upCDF)
            if max(lowCDF, upCDF) > 0.5 {
                if min(lowCDF, upCDF) < margin {
                    let sign: Double = m - up > 0 ? 1 : (m - up < 0 ? -1 : 0)
                    let dist = sigma * a[i] * (Self.chi2PPF(1 - 2 * margin) * cii).squareRoot()
                    mean[i] = up + sign * dist
                }
                continue
            }
            let lo = max(lowCDF, margin / 2)
            let hi = max(upCDF, margin / 2)
            let denominator = lo + midCDF + hi - 3 * margin / 2
            var modLow = lo + (1 - lo - hi - midCDF) * (lo - margin / 2) / denominator
            var modUp = hi + (1 - lo - hi - midCDF) * (hi - margin / 2) / denominator
            modLow = min(max(modLow, 1e-10), 0.5 - 1e-10)
            modUp = min(max(modUp, 1e-10), 0.5 - 1e-10)
            let chiLow = Self.chi2PPF(1 - 2 * modLow).squareRoot()
            let chiUp = Self.chi2PPF(1 - 2 * modUp).squareRoot()
            a[i] = (up - low) / ((chiLow + chiUp) * sigma * cii.squareRoot())
            mean[i] = (low * chiUp + up * chiLow) / (chiLow + chiUp)
        }
    }

    /// The standard normal CDF, as `cmaes._stats.norm_cdf`.
    static func normalCDF(_ x: Double) -> Double {
        let t = x / 2.0.squareRoot()
        let z = abs(t)
        if z < 1 / 2.0.squareRoot() { return 0.5 + 0.5 * CoreMath.erf(t) }
        let y = 0.5 * CoreMath.erfc(z)
        return t > 0 ? 1 - y : y
    }

    /// The quantile of the chi-squared distribution with one degree of freedom, by 100 bisection steps on
    /// `[0, 100]`, as `cmaes._stats.chi2_ppf`.
    static func chi2PPF(_ q: Double) -> Double {
        if q == 0 { return 0 }
        if q == 1 { return .infinity }
        var lo = 0.0
        var hi = 100.0
        var m = 0.0
        for _ in 0..<100 {
            m = (lo + hi) / 2
            let below = q < 0.9 ? CoreMath.erf((m / 2).squareRoot()) < q : CoreMath.erfc((m / 2).squareRoot()) > 1 - q
            if below { lo = m } else { hi = m }
        }
        return m
    }

    /// `cmaes`'s stopping rule, used to trigger IPOP/BIPOP restarts.
    var shouldStop: Bool {
        let n = self.n
        let p = parameters
        let diag = variant == .separable ? c : (0..<n).map { c[$0 * n + $0] }
        if generation > p.funhistTerm, let hi = funhist.max(), let lo = funhist.min(), hi - lo < 1e-12 { return true }
        if diag.allSatisfy({ sigma * $0 < tolx }), pc.allSatisfy({ sigma * $0 < tolx }) { return true }
        if sigma * (d.max() ?? 0) > 1e4 { return true }
        if (0..<n).contains(where: { mean[$0] == mean[$0] + 0.2 * sigma * diag[$0].squareRoot() }) { return true }
        let i = generation % n
        let axis = (0..<n).map { variant == .separable ? 1.0 : b[$0 * n + i] }
        if (0..<n).allSatisfy({ mean[$0] == mean[$0] + 0.1 * sigma * d[i] * axis[$0] }) { return true }
        guard let dMax = d.max(), let dMin = d.min(), dMin > 0 else { return true }
        return dMax / dMin > 1e14
    }
}
