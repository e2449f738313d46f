extension CMAState {
    /// One update from a whole generation, as `cmaes`'s `tell`: solutions are `(raw point, loss)`, exactly
    /// ``popsize`` of them, smaller loss better.
    mutating func tell(_ solutions: [(x: [Double], loss: Double)]) {
        let p = parameters
        let n = self.n
        generation += 1
        let sorted = solutions.enumerated().sorted { ($0.element.loss, $0.offset) < ($1.element.loss, $1.offset) }
            .map(\.element)
        let slot = 2 * (generation % p.funhistTerm)
        if slot + 1 < funhist.count {
            funhist[slot] = sorted.first?.loss ?? .nan
            funhist[slot + 1] = sorted.last?.loss ?? .nan
        }
        let oldMean = mean
        let oldSigma = sigma
        let oldSigmaMatrix = variant == .separable ? [] : c.map { $0 * sigma * sigma }
        let invSqrtC = variant == .separable ? d.map { 1 / $0 } : inverseSquareRoot()

        let y = sorted.map { s in (0..<n).map { (s.x[$0] - mean[$0]) / sigma } }
        var yw = [Double](repeating: 0, count: n)
        for k in 0..<p.mu { for i in 0..<n { yw[i] += p.weights[k] * y[k][i] } }
        for i in 0..<n { mean[i] += sigma * yw[i] }

        let cy = variant == .separable ? (0..<n).map { yw[$0] * invSqrtC[$0] } : multiply(invSqrtC, yw)
        let sigmaRate = (p.cSigma * (2 - p.cSigma) * p.muEff).squareRoot()
        for i in 0..<n { pSigma[i] = (1 - p.cSigma) * pSigma[i] + sigmaRate * cy[i] }
        let normP = VectorMath.norm(pSigma)
        sigma *= CoreMath.exp((p.cSigma / p.dSigma) * (normP / p.chiN - 1))
        sigma = min(sigma, 1e32)
        let left = normP / (1 - CoreMath.pow(1 - p.cSigma, Double(2 * (generation + 1)))).squareRoot()
        let hSigma: Double = left < (1.4 + 2 / Double(n + 1)) * p.chiN ? 1 : 0
        let ccRate = (p.cc * (2 - p.cc) * p.muEff).squareRoot()
        for i in 0..<n { pc[i] = (1 - p.cc) * pc[i] + hSigma * ccRate * yw[i] }
        let deltaH = (1 - hSigma) * p.cc * (2 - p.cc)

        if variant == .separable {
            let decay = 1 + p.c1 * deltaH - p.c1 - p.cmu * p.weights.reduce(0, +)
            for i in 0..<n {
                var rankMu = 0.0
                for k in 0..<p.mu { rankMu += p.weights[k] * y[k][i] * y[k][i] }
                c[i] = decay * c[i] + p.c1 * pc[i] * pc[i] + p.cmu * rankMu
            }
            refreshEigen()
            return
        }
        let weightsIO = (0..<p.popsize).map { k -> Double in
            guard p.weights[k] < 0 else { return p.weights[k] }
            let v = multiply(invSqrtC, y[k])
            return p.weights[k] * Double(n) / (VectorMath.dot(v, v) + 1e-8)
        }
        let decay = 1 + p.c1 * deltaH - p.c1 - p.cmu * p.weights.reduce(0, +)
        for i in 0..<n {
            for j in 0..<n {
                var rankMu = 0.0
                for k in 0..<p.popsize { rankMu += weightsIO[k] * y[k][i] * y[k][j] }
                c[i * n + j] = decay * c[i * n + j] + p.c1 * pc[i] * pc[j] + p.cmu * rankMu
            }
        }
        if lrAdapt {
            adaptLearningRate(
                oldMean: oldMean, oldSigma: oldSigma, oldSigmaMatrix: oldSigmaMatrix, oldInvSqrtC: invSqrtC)
        }
        if variant == .margin { applyMargin() }
        refreshEigen()
    }

    /// `C^(-1/2) = B D^-1 B^T`, row-major.
    func inverseSquareRoot() -> [Double] {
        let n = self.n
        var out = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                var s = 0.0
                for k in 0..<n { s += b[i * n + k] / d[k] * b[j * n + k] }
                out[i * n + j] = s
            }
        }
        return out
    }

    /// A row-major `n x n` matrix times a vector.
    func multiply(_ m: [Double], _ v: [Double]) -> [Double] {
        let n = v.count
        return (0..<n).map { i in
            var s = 0.0
            for k in 0..<n { s += m[i * n + k] * v[k] }
            return s
        }
    }
}
