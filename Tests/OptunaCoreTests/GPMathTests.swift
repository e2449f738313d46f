import Testing

@testable import OptunaCore

/// Central finite difference of `f` along coordinate `i`.
func gpFiniteDifference(_ f: ([Double]) -> Double, at x: [Double], _ i: Int, step h: Double = 1e-6) -> Double {
    var up = x
    var down = x
    up[i] += h
    down[i] -= h
    return (f(up) - f(down)) / (2 * h)
}

@Suite struct GPKernelTests {
    @Test(arguments: [0.0, 0.01, 0.3, 1.0, 7.5])
    func maternMatchesClosedFormAndDerivative(d2: Double) {
        let r = (5 * d2).squareRoot()
        let expected = (1 + r + 5 * d2 / 3) * CoreMath.exp(-r)
        let (v, dv) = Matern52.valueAndDerivative(d2)
        #expect(abs(v - expected) < 1e-15)
        #expect(Matern52.value(d2) == v)
        let h = 1e-7
        let fd = (Matern52.value(d2 + h) - Matern52.value(max(d2 - h, 0))) / (d2 >= h ? 2 * h : h + d2)
        #expect(abs(dv - fd) < 1e-6)
    }

    @Test func kernelIsHammingForCategoricalDimensions() {
        let p = GPKernelParameters(inverseSquaredLengthscales: [1, 2], kernelScale: 3, noiseVariance: 0.1)
        let gp = GPRegressor(x: [0, 0, 0.5, 1], y: [0, 1], isCategorical: [false, true], parameters: p)
        let a: [Double] = [0.2, 4]
        let b: [Double] = [0.2, 7]
        let d2 = a.withUnsafeBufferPointer { ab in
            b.withUnsafeBufferPointer { GPRegressor.squaredDistance(ab.baseAddress!, $0.baseAddress!, [1, 2], [false, true]) }
        }
        #expect(d2 == 2)
        #expect(gp != nil)
    }
}

@Suite struct GPLikelihoodTests {
    // Three points in one numerical and one categorical dimension, 1/ℓ² = (2, 0.5), scale 1.5, noise 0.1.
    // Expected values computed once with NumPy (np.linalg.cholesky / np.linalg.solve over the same
    // kernel): mll = -Σ log diag(L) - ½ yᵀC⁻¹y; the prior as in optuna/_gp/prior.py.
    let x: [Double] = [0.1, 0, 0.4, 1, 0.9, 0]
    let y: [Double] = [-1, 0.5, 0.5]
    let params = GPKernelParameters(inverseSquaredLengthscales: [2, 0.5], kernelScale: 1.5, noiseVariance: 0.1)

    var objective: GPMarginalLikelihood {
        GPMarginalLikelihood(x: x, y: y, isCategorical: [false, true], minimumNoise: 1e-6, deterministic: false)
    }

    @Test func marginalLikelihoodAndPriorMatchHandComputedValues() throws {
        let mll = try #require(objective.logMarginalLikelihood(params))
        #expect(abs(mll - -1.3316599370849675) < 1e-12)
        #expect(abs(GPMarginalLikelihood.logPrior(params) - -4.82479340119124) < 1e-12)
        let raw = objective.raw(of: params)
        let (loss, _) = try #require(objective.lossAndGradient(raw))
        #expect(abs(loss - (1.3316599370849675 + 4.82479340119124)) < 1e-6)
    }

    @Test func posteriorMatchesHandComputedValues() throws {
        let gp = try #require(GPRegressor(x: x, y: y, isCategorical: [false, true], parameters: params))
        let p = [0.3, 1.0].withUnsafeBufferPointer { gp.posterior($0.baseAddress!, needsGradient: false) }
        #expect(abs(p.mean - 0.2732254761143377) < 1e-12)
        #expect(abs(p.variance - 0.12004731319700679) < 1e-12)
        let batch = gp.posteriorBatch([0.3, 1.0, 0.3, 1.0], count: 2)
        #expect(abs(batch.mean[1] - p.mean) < 1e-14 && abs(batch.variance[1] - p.variance) < 1e-14)
    }

    @Test(arguments: [false, true])
    func lossGradientMatchesFiniteDifferences(deterministic: Bool) throws {
        var rng = SeededGenerator(seed: 3)
        let n = 12
        let xs = (0..<n * 3).map { i in i % 3 == 2 ? Double(rng.index(below: 3)) : rng.nextUnit() }
        let ys = (0..<n).map { _ in rng.normal() }
        let objective = GPMarginalLikelihood(
            x: xs, y: ys, isCategorical: [false, false, true], minimumNoise: 1e-6, deterministic: deterministic)
        let raw = [0.3, -0.5, 0.2, 0.1, -2.0]
        let (_, gradient) = try #require(objective.lossAndGradient(raw))
        for i in 0..<raw.count {
            let fd = gpFiniteDifference({ objective.lossAndGradient($0)?.loss ?? .nan }, at: raw, i)
            #expect(abs(gradient[i] - fd) < 1e-5 * max(1, abs(fd)), "coordinate \(i)")
        }
        if deterministic { #expect(gradient[4] == 0) }
    }

    @Test func fitImprovesOnDefaultsAndIsDeterministic() throws {
        var rng = SeededGenerator(seed: 5)
        let xs = (0..<40).map { _ in rng.nextUnit() }
        let ys = (0..<20).map { i in CoreMath.sin(6 * xs[2 * i]) + 0.1 * xs[2 * i + 1] }
        let a = try #require(GPRegressor.fit(x: xs, y: ys, isCategorical: [false, false], deterministic: false))
        let b = try #require(GPRegressor.fit(x: xs, y: ys, isCategorical: [false, false], deterministic: false))
        #expect(a.parameters == b.parameters)
        let objective = GPMarginalLikelihood(x: xs, y: ys, isCategorical: [false, false], minimumNoise: 1e-6, deterministic: false)
        let fitted = try #require(objective.lossAndGradient(objective.raw(of: a.parameters))).loss
        let start = try #require(objective.lossAndGradient(objective.raw(of: .defaults(dimension: 2)))).loss
        #expect(fitted < start)
        // The second dimension barely matters, so its length scale is the longer one.
        #expect(a.lengthScales[1] > a.lengthScales[0])
    }
}

@Suite struct GPNormalMathTests {
    // References: for z <= -10 the asymptotic series φ(z)/z² Σ_k (-1)^k (2k+1)!!/z^{2k} (40 terms, in
    // Python floats); otherwise log(z·ndtr(z) + φ(z)) with scipy.special.ndtr.
    @Test(arguments: [
        (-1e6, -500000000028.55), (-1e3, -500014.73445209116), (-40.0, -808.29856835662),
        (-30.0, -457.72465376059796), (-10.0, -55.55312203612236), (-1.0, -2.4851210257126413),
        (0.0, -0.9189385332046727), (1.0, 0.08002621884930704), (10.0, 2.302585092994046),
        (40.0, 3.6888794541139363),
    ])
    func logEIIsAccurateAcrossTheLine(z: Double, expected: Double) {
        let v = GPNormalMath.logEI(z)
        #expect(v.isFinite)
        #expect(abs(v - expected) <= 1e-10 * max(1, abs(expected)))
    }

    @Test func logEIIsMonotoneAndItsDerivativeFinite() {
        var previous = -Double.infinity
        var z = -1e8
        while z < 50 {
            let v = GPNormalMath.logEI(z)
            let d = GPNormalMath.logEIDerivative(z)
            #expect(v.isFinite && d.isFinite && d > 0, "z = \(z)")
            #expect(v > previous, "z = \(z)")
            previous = v
            z = z < -100 ? z / 3 : z + 0.37
        }
        for z in [-1e4, -50.0, -5.0, -0.5, 2.0] {
            let fd = gpFiniteDifference({ GPNormalMath.logEI($0[0]) }, at: [z], 0, step: 1e-5 * max(1, abs(z)))
            #expect(abs(GPNormalMath.logEIDerivative(z) - fd) < 1e-5 * max(1, abs(fd)))
        }
    }

    // References: scipy.special.log_ndtr.
    @Test(arguments: [
        (-1e3, -500007.8266948122), (-40.0, -804.6084420137539), (-5.0, -15.064998393988727),
        (0.0, -0.6931471805599453), (5.0, -2.8665161296376294e-07), (40.0, -0.0),
    ])
    func logNdtrIsAccurateInTheTails(z: Double, expected: Double) {
        let v = GPNormalMath.logNdtr(z)
        #expect(v.isFinite)
        #expect(abs(v - expected) <= 1e-10 * max(1e-6, abs(expected)) + 1e-300)
        #expect(GPNormalMath.logNdtrDerivative(z).isFinite)
    }
}

@Suite struct GPBoundedLBFGSTests {
    static func rosenbrock(_ z: [Double]) -> (Double, [Double])? {
        let a = 1 - z[0]
        let b = z[1] - z[0] * z[0]
        return (a * a + 100 * b * b, [-2 * a - 400 * z[0] * b, 200 * b])
    }

    @Test func findsTheUnconstrainedRosenbrockMinimum() throws {
        var optimizer = BoundedLBFGS()
        optimizer.pgtol = 1e-8
        optimizer.factr = 10
        let r = try #require(
            optimizer.minimize(start: [-1.2, 1], lower: [-.infinity, -.infinity], upper: [.infinity, .infinity], Self.rosenbrock))
        #expect(abs(r.x[0] - 1) < 1e-4 && abs(r.x[1] - 1) < 1e-4)
        #expect(r.converged)
    }

    // scipy.optimize.fmin_l_bfgs_b from (-1.2, 1) with bounds x <= 0.5 gives (0.5, 0.25), f = 0.25.
    @Test func respectsBoundsOnRosenbrock() throws {
        var optimizer = BoundedLBFGS()
        optimizer.pgtol = 1e-8
        optimizer.factr = 10
        let r = try #require(optimizer.minimize(start: [-1.2, 1], lower: [-2, -2], upper: [0.5, 2], Self.rosenbrock))
        #expect(r.x[0] == 0.5)
        #expect(abs(r.x[1] - 0.25) < 1e-5)
        #expect(abs(r.value - 0.25) < 1e-8)
    }

    @Test func startsAreClippedAndUndefinedStartsRejected() {
        let optimizer = BoundedLBFGS()
        let r = optimizer.minimize(start: [5], lower: [0], upper: [1]) { z in (z[0], [1]) }
        #expect(r?.x == [0])
        #expect(optimizer.minimize(start: [0], lower: [0], upper: [1]) { _ in nil } == nil)
    }
}
