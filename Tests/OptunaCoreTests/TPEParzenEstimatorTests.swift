import Testing

@testable import OptunaCore

// Reference values were computed once with Optuna 5.0.0's own estimator in /opt/optuna-venv (NumPy 2.4.6):
// `optuna.samplers._tpe.parzen_estimator._ParzenEstimator(observations, search_space,
// _ParzenEstimatorParameters(prior_weight, consider_magic_clip, consider_endpoints, default_weights, True))`,
// reading `_mixture_distribution` (weights, mu, sigma, categorical weights) and `log_pdf(points)`; gamma
// and weights from `optuna.samplers._tpe.sampler.default_gamma`, `default_gamma_multiobjective` and
// `default_weights`.

/// One estimator fitted by Optuna and here.
struct ParzenCase: Sendable, CustomTestStringConvertible {
    let name: String
    let distributions: [Distribution]
    /// Internal values, one row per observation, oldest first.
    let observations: [[Double]]
    let points: [[Double]]
    var parameters = ParzenParameters()
    var uniformWeights = false
    /// Expected mixture weights, prior last.
    let weights: [Double]
    /// Expected kernel centres (transformed) per dimension, prior last; empty for categorical dimensions.
    let mus: [[Double]]
    let sigmas: [[Double]]
    let logPDF: [Double]
    var testDescription: String { name }
}

func float(_ low: Double, _ high: Double, log: Bool = false, step: Double? = nil) -> Distribution {
    // The literals used in tests are valid ranges.
    .float(try! FloatDistribution(low: low, high: high, log: log, step: step))
}

func int(_ low: Int64, _ high: Int64, log: Bool = false, step: Int64 = 1) -> Distribution {
    .int(try! IntDistribution(low: low, high: high, log: log, step: step))
}

func categorical(_ count: Int) -> Distribution {
    .categorical(try! CategoricalDistribution(choices: (0..<count).map { JSONValue.int(Int64($0)) }))
}

/// Fits an estimator as the sampler does, from internal values.
func fitted(_ c: ParzenCase) -> ParzenEstimator {
    let dims = c.distributions.map(ParzenDimension.init)
    var rows: [Double] = []
    for row in c.observations {
        for (d, v) in row.enumerated() { rows.append(dims[d].kind == .categorical ? v : dims[d].transformed(v)) }
    }
    let estimator = ParzenEstimator()
    estimator.fit(
        dimensions: dims, rows: rows, keys: Array(c.observations.indices), uniformWeights: c.uniformWeights,
        parameters: c.parameters)
    return estimator
}

@Suite("Parzen estimator")
struct TPEParzenEstimatorTests {
    static let cases: [ParzenCase] = [
        ParzenCase(
            name: "float", distributions: [float(-5, 10)], observations: [[1], [-2], [3.5], [3.5], [9]],
            points: [[-4], [0], [3.5], [9.9]], weights: Array(repeating: 1.0 / 6, count: 6),
            mus: [[1, -2, 3.5, 3.5, 9, 2.5]], sigmas: [[3, 3, 2.5, 5.5, 5.5, 15]],
            logPDF: [-3.107436893066966, -2.505243646886332, -2.4428434103963976, -3.2167295234391684]),
        ParzenCase(
            name: "one observation", distributions: [float(0, 1)], observations: [[0.3]],
            points: [[0], [0.3], [0.99]], weights: [0.5, 0.5], mus: [[0.3, 0.5]], sigmas: [[0.7, 1]],
            logPDF: [-0.028186384371759243, 0.06989616347219396, -0.213686813999295]),
        ParzenCase(
            name: "prior only", distributions: [float(0, 1)], observations: [], points: [[0], [0.5]],
            weights: [1], mus: [[0.5]], sigmas: [[1]], logPDF: [-0.08402219950905043, 0.04097780049094957]),
        ParzenCase(
            name: "log float", distributions: [float(1e-3, 10, log: true)], observations: [[0.01], [0.5], [2]],
            points: [[0.002], [1], [9]], weights: [0.25, 0.25, 0.25, 0.25],
            mus: [[-4.605170185988091, -0.6931471805599453, 0.6931471805599453, -2.3025850929940455]],
            sigmas: [[3.9120230054281455, 3.9120230054281455, 1.8420680743952367, 9.210340371976184]],
            logPDF: [-2.6141791545948556, -1.9435432527840448, -2.2240963169465764]),
        ParzenCase(
            name: "int with step", distributions: [int(0, 10, step: 2)], observations: [[0], [4], [4], [10]],
            points: [[0], [2], [6], [10]], weights: Array(repeating: 0.2, count: 5),
            mus: [[0, 4, 4, 10, 5]], sigmas: [[4, 4, 6, 6, 12]],
            logPDF: [-1.7697232313699889, -1.656458722932635, -1.7463354692007935, -2.0889374888041843]),
        ParzenCase(
            name: "log int", distributions: [int(1, 100, log: true)], observations: [[1], [3], [50]],
            points: [[1], [2], [70], [100]], weights: [0.25, 0.25, 0.25, 0.25],
            mus: [[0, 1.0986122886681098, 3.912023005428146, 1.9585052734695925]],
            sigmas: [[1.0986122886681098, 2.8134107167600364, 2.8134107167600364, 5.303304908059076]],
            logPDF: [-1.3477113446580846, -2.104723160785771, -6.220937852189857, -6.629853873831363]),
        ParzenCase(
            name: "float with step", distributions: [float(0, 1, step: 0.25)], observations: [[0.25], [0.75]],
            points: [[0], [0.25], [0.5], [1]], weights: [1.0 / 3, 1.0 / 3, 1.0 / 3],
            mus: [[0.25, 0.75, 0.5]], sigmas: [[0.5, 0.5, 1.25]],
            logPDF: [-1.7530987556780993, -1.5478822644394965, -1.4778328786638968, -1.7530987556780993]),
        ParzenCase(
            name: "categorical", distributions: [categorical(3)], observations: [[0], [2], [2]],
            points: [[0], [1], [2]], weights: [0.25, 0.25, 0.25, 0.25], mus: [[]], sigmas: [[]],
            logPDF: [-1.0986122886681098, -1.6582280766035324, -0.7419373447293772]),
        ParzenCase(
            name: "categorical prior weight 0.5", distributions: [categorical(3)], observations: [[0], [2], [2]],
            points: [[0], [1], [2]], parameters: ParzenParameters(priorWeight: 0.5),
            weights: [0.2857142857142857, 0.2857142857142857, 0.2857142857142857, 0.14285714285714285],
            mus: [[]], sigmas: [[]], logPDF: [-1.0986122886681096, -2.07512188053532, -0.6141039732194924]),
        ParzenCase(
            name: "joint float, int, categorical",
            distributions: [float(-5, 5), int(0, 10), categorical(3)],
            observations: [[0.5, 3, 0], [-1, 3, 1], [4, 7, 2], [2, 10, 2], [-3, 0, 1], [0, 5, 0]],
            points: [[0.4, 3, 0], [-4.9, 0, 1], [3, 8, 2]], weights: Array(repeating: 1.0 / 7, count: 7),
            mus: [[0.5, -1, 4, 2, -3, 0, 0], [3, 3, 7, 10, 0, 5, 5], []],
            sigmas: [[1.5, 2, 2, 2, 2, 1.25, 10], [3, 2, 3, 3, 3, 2, 11], []],
            logPDF: [-4.609232836086794, -5.370747916388538, -4.742573367162693]),
        ParzenCase(
            name: "uniform weights", distributions: [float(0, 1)], observations: [[0.1], [0.2], [0.9]],
            points: [[0.15], [0.5]], uniformWeights: true, weights: [0.25, 0.25, 0.25, 0.25],
            mus: [[0.1, 0.2, 0.9, 0.5]], sigmas: [[0.2, 0.7, 0.7, 1]],
            logPDF: [0.3449233209126463, -0.1164663545129545]),
        ParzenCase(
            name: "endpoints, no magic clip", distributions: [float(0, 10)], observations: [[4], [4.5], [4.6], [8]],
            points: [[0.5], [4.5], [9.5]],
            parameters: ParzenParameters(priorWeight: 1, considerMagicClip: false, considerEndpoints: true),
            weights: Array(repeating: 0.2, count: 5), mus: [[4, 4.5, 4.6, 8, 5]],
            sigmas: [[4, 0.5, 3.4000000000000004, 3.4000000000000004, 10]],
            logPDF: [-2.9462527147137623, -1.3754011365458405, -2.682012198966376]),
        ParzenCase(
            name: "default endpoints and clip", distributions: [float(0, 10)], observations: [[4], [4.5], [4.6], [8]],
            points: [[0.5], [4.5], [9.5]], weights: Array(repeating: 0.2, count: 5), mus: [[4, 4.5, 4.6, 8, 5]],
            sigmas: [[1.6666666666666667, 1.6666666666666667, 3.4000000000000004, 3.4000000000000004, 10]],
            logPDF: [-3.146687679158569, -1.8212504379130756, -2.827493601629145]),
        ParzenCase(
            name: "no magic clip", distributions: [float(0, 10)], observations: [[4], [4.5], [4.6], [8]],
            points: [[0.5], [4.5], [9.5]], parameters: ParzenParameters(priorWeight: 1, considerMagicClip: false),
            weights: Array(repeating: 0.2, count: 5), mus: [[4, 4.5, 4.6, 8, 5]],
            sigmas: [[0.5, 0.5, 3.4000000000000004, 3.4000000000000004, 10]],
            logPDF: [-3.3531563396645825, -1.127094113889764, -2.8401215006654406]),
    ]

    @Test("kernels, weights and log density match Optuna", arguments: cases)
    func matchesOptuna(_ c: ParzenCase) {
        let estimator = fitted(c)
        #expect(estimator.kernelCount == c.weights.count)
        for (k, w) in c.weights.enumerated() {
            #expect(isClose(CoreMath.exp(estimator.logWeights[k]), w, relative: 1e-14))
        }
        for (d, mus) in c.mus.enumerated() where !mus.isEmpty {
            let offset = d * estimator.kernelCount
            for k in mus.indices {
                #expect(isClose(estimator.mu[offset + k], mus[k], relative: 1e-15))
                #expect(isClose(estimator.sigma[offset + k], c.sigmas[d][k], relative: 1e-15))
            }
        }
        var candidates = ParzenCandidates(dimensionCount: c.distributions.count, capacity: c.points.count)
        for p in c.points { candidates.append(p, dimensions: estimator.dimensions) }
        var workspace = ParzenWorkspace()
        let logPDF = estimator.logDensities(of: candidates, workspace: &workspace)
        for (i, expected) in c.logPDF.enumerated() {
            #expect(isClose(logPDF[i], expected, relative: 1e-12), "point \(c.points[i])")
        }
    }

    @Test func categoricalProbabilitiesMatchOptuna() {
        // Optuna: rows [5/7, 1/7, 1/7] for an observed 0, uniform for the prior.
        let c = Self.cases[7]
        let estimator = fitted(c)
        #expect(isClose(CoreMath.exp(estimator.categoricalHit[0]), 0.7142857142857143, relative: 1e-15))
        #expect(isClose(CoreMath.exp(estimator.categoricalMiss[0]), 0.14285714285714285, relative: 1e-15))
        #expect(estimator.mu[3] == -1)
    }

    @Test("30 weights ramp as Optuna's default_weights(30) and normalize with the prior")
    func rampedWeights() {
        let observations = (0..<30).map { [Double($0) / 30] }
        let c = ParzenCase(
            name: "ramp", distributions: [float(0, 1)], observations: observations, points: [], weights: [], mus: [],
            sigmas: [], logPDF: [])
        let estimator = fitted(c)
        let expected = [0.0011661807580174927, 0.009620991253644314, 0.018075801749271137, 0.026530612244897955]
        for (k, w) in expected.enumerated() {
            #expect(isClose(CoreMath.exp(estimator.logWeights[k]), w, relative: 1e-13))
        }
        #expect(isClose(CoreMath.exp(estimator.logWeights[30]), 0.034985422740524776, relative: 1e-13))
    }

    @Test func gammaMatchesOptuna() {
        let ns = [0, 1, 9, 10, 11, 30, 100, 249, 250, 251, 1000]
        #expect(ns.map { TPEWeighting.gamma($0, multiObjective: false) } == [0, 1, 1, 1, 2, 3, 10, 25, 25, 25, 25])
        let mo = [0, 1, 9, 10, 11, 30, 100, 1000]
        #expect(mo.map { TPEWeighting.gamma($0, multiObjective: true) } == [0, 1, 1, 1, 2, 3, 10, 100])
    }

    @Test func weightsMatchOptuna() {
        #expect(TPEWeighting.weights(0) == [])
        #expect(TPEWeighting.weights(24) == Array(repeating: 1, count: 24))
        #expect(TPEWeighting.weights(26) == [0.038461538461538464] + Array(repeating: 1, count: 25))
        #expect(TPEWeighting.weights(27) == [0.037037037037037035] + Array(repeating: 1, count: 26))
        let thirty = TPEWeighting.weights(30)
        let head = [0.03333333333333333, 0.275, 0.5166666666666667, 0.7583333333333333, 1.0]
        for (i, w) in head.enumerated() { #expect(isClose(thirty[i], w, relative: 1e-15)) }
        #expect(thirty[5...].allSatisfy { $0 == 1 })
    }

    @Test("the pruned evaluation equals a dense sum over all kernels")
    func prunedEvaluationIsExact() {
        var rng = SeededGenerator(seed: 7)
        let dims = [float(-5, 5), int(0, 40), categorical(4), float(1e-4, 1, log: true)].map(ParzenDimension.init)
        var rows: [Double] = []
        let m = 400
        for _ in 0..<m {
            for dim in dims {
                let v = RandomSampler.uniformSample(dim.distribution, using: &rng)
                rows.append(dim.kind == .categorical ? v : dim.transformed(v))
            }
        }
        let estimator = ParzenEstimator()
        estimator.fit(
            dimensions: dims, rows: rows, keys: Array(0..<m), uniformWeights: false, parameters: ParzenParameters())
        let candidates = estimator.sample(count: 50, using: &rng)
        var workspace = ParzenWorkspace()
        let fast = estimator.logDensities(of: candidates, workspace: &workspace)
        for i in 0..<candidates.count {
            var terms: [Double] = []
            for k in 0..<estimator.kernelCount {
                var t = estimator.logWeights[k]
                for (d, dim) in dims.enumerated() {
                    let index = d * estimator.kernelCount + k
                    let x = candidates.point[i * dims.count + d]
                    let mu = estimator.mu[index]
                    let s = estimator.sigma[index]
                    switch dim.kind {
                    case .continuous:
                        t +=
                            TruncatedNormal.logPDF((x - mu) / s, a: (dim.low - mu) / s, b: (dim.high - mu) / s)
                            - CoreMath.log(s)
                    case .discrete:
                        let r = candidates.right[i * dims.count + d]
                        t +=
                            TruncatedNormal.logMass((x - mu) / s, (r - mu) / s)
                            - TruncatedNormal.logMass((dim.low - mu) / s, (dim.high - mu) / s)
                    case .categorical:
                        if k == estimator.observationCount {
                            t -= CoreMath.log(4)
                        } else {
                            t += mu == x ? estimator.categoricalHit[d] : estimator.categoricalMiss[d]
                        }
                    }
                }
                terms.append(t)
            }
            let top = terms.max() ?? 0
            let dense = top + CoreMath.log(terms.reduce(0) { $0 + CoreMath.exp($1 - top) })
            #expect(isClose(fast[i], dense, relative: 1e-12, absolute: 1e-12))
        }
    }

    @Test(
        "candidates lie in their distributions",
        arguments: [
            float(-5, 5), float(1e-5, 1e3, log: true), float(0, 1, step: 0.1), float(-1, 1, step: 0.3),
            int(0, 10), int(-7, 13, step: 4), int(1, 1000, log: true), categorical(5),
        ])
    func candidatesInDistribution(_ distribution: Distribution) {
        var rng = SeededGenerator(seed: 11)
        let dim = ParzenDimension(distribution)
        let observations = (0..<20).map { _ in [RandomSampler.uniformSample(distribution, using: &rng)] }
        let estimator = fitted(
            ParzenCase(
                name: "", distributions: [distribution], observations: observations, points: [], weights: [], mus: [],
                sigmas: [], logPDF: []))
        let candidates = estimator.sample(count: 500, using: &rng)
        for i in 0..<candidates.count {
            #expect(distribution.contains(candidates.values[i]), "\(candidates.values[i]) not in \(distribution)")
        }
        #expect(dim.low < dim.high)
    }
}
