import Testing

@testable import OptunaCore

// Reference values were computed once with SciPy 1.17.1 (the /opt/optuna-venv environment):
// `scipy.special.log_ndtr`, `scipy.special.ndtri`, `scipy.special.ndtri_exp`, `scipy.stats.truncnorm.logpdf`
// and `scipy.stats.truncnorm.ppf`; log masses as `-(truncnorm.logpdf(x, a, b) + x²/2 + log √(2π))` at the
// interval's midpoint.

/// `actual` equals `expected` to a relative tolerance (absolute near zero).
func isClose(_ actual: Double, _ expected: Double, relative: Double = 1e-12, absolute: Double = 1e-300) -> Bool {
    if actual == expected { return true }
    return abs(actual - expected) <= max(relative * abs(expected), absolute)
}

@Suite("Truncated normal maths")
struct TPETruncatedNormalTests {
    struct Point: Sendable, CustomTestStringConvertible {
        let x: Double
        let expected: Double
        var testDescription: String { "\(x)" }
    }

    struct Interval: Sendable, CustomTestStringConvertible {
        let q: Double
        let a: Double
        let b: Double
        let expected: Double
        var testDescription: String { "q=\(q) [\(a), \(b)]" }
    }

    static let logCDFCases: [Point] = [
        .init(x: -40.0, expected: -804.6084420137539), .init(x: -25.0, expected: -316.63940800802027),
        .init(x: -20.5, expected: -214.06672896326387), .init(x: -19.5, expected: -194.01696577749752),
        .init(x: -10.0, expected: -53.23128515051248), .init(x: -5.0, expected: -15.064998393988727),
        .init(x: -1.0, expected: -1.8410216450092634), .init(x: 0.0, expected: -0.6931471805599453),
        .init(x: 0.5, expected: -0.36894641528865635), .init(x: 3.0, expected: -0.0013508099647481925),
        .init(x: 6.5, expected: -4.016000583939729e-11), .init(x: 10.0, expected: -7.61985302416047e-24),
    ]

    @Test("log Φ matches scipy.special.log_ndtr", arguments: logCDFCases)
    func logCDF(_ c: Point) {
        #expect(isClose(TruncatedNormal.logCDF(c.x), c.expected, relative: 1e-13))
    }

    static let quantileCases: [Point] = [
        .init(x: 1e-300, expected: -37.0470962993612), .init(x: 1e-20, expected: -9.262340089798409),
        .init(x: 1e-05, expected: -4.264890793922825), .init(x: 0.01, expected: -2.3263478740408408),
        .init(x: 0.075, expected: -1.4395314709384563), .init(x: 0.3, expected: -0.5244005127080409),
        .init(x: 0.5, expected: 0.0), .init(x: 0.8, expected: 0.8416212335729143),
        .init(x: 0.93, expected: 1.475791028179171), .init(x: 0.999999, expected: 4.753424308817087),
    ]

    @Test("Φ⁻¹ matches scipy.special.ndtri", arguments: quantileCases)
    func quantile(_ c: Point) {
        #expect(isClose(StandardNormalQuantile.value(c.x), c.expected, relative: 1e-14))
    }

    static let logQuantileCases: [Point] = [
        .init(x: -1000.0, expected: -44.61574773196941), .init(x: -700.0, expected: -37.295079632647415),
        .init(x: -50.0, expected: -9.674825283612355), .init(x: -3.0, expected: -1.6469217205277145),
        .init(x: -0.5, expected: 0.27028802073873587), .init(x: -0.001, expected: 3.090380786917045),
        .init(x: -1e-12, expected: 7.034483825301202),
    ]

    @Test("Φ⁻¹(exp(y)) matches scipy.special.ndtri_exp", arguments: logQuantileCases)
    func logQuantile(_ c: Point) {
        #expect(isClose(StandardNormalQuantile.value(logProbability: c.x), c.expected, relative: 1e-12))
    }

    static let logMassCases: [Interval] = [
        .init(q: 0, a: -1.0, b: 2.0, expected: -0.20016629432446265),
        .init(q: 0, a: -3.0, b: 0.5, expected: -0.3709005595620325),
        .init(q: 0, a: 0.0, b: 0.001, expected: -7.826693978853589),
        .init(q: 0, a: -0.2, b: -0.1, expected: -3.233180851568643),
        .init(q: 0, a: 5.0, b: 8.0, expected: -15.064998396158941),
        .init(q: 0, a: -30.0, b: -25.0, expected: -316.63940800802027),
        .init(q: 0, a: -45.0, b: -40.0, expected: -804.6084420137539),
        .init(q: 0, a: 20.0, b: 21.0, expected: -203.9171553722882),
        .init(q: 0, a: -50.0, b: 50.0, expected: 0.0),
        .init(q: 0, a: -2.0, b: 40.0, expected: -0.023012909328960607),
        .init(q: 0, a: -1e-06, b: 1e-06, expected: -14.04130191066924),
    ]

    @Test("log mass of an interval matches scipy.stats.truncnorm", arguments: logMassCases)
    func logMass(_ c: Interval) {
        #expect(isClose(TruncatedNormal.logMass(c.a, c.b), c.expected, relative: 1e-10, absolute: 1e-15))
        #expect(isClose(ParzenEstimator.kernelLogMass(c.a, c.b), c.expected, relative: 1e-10, absolute: 1e-15))
    }

    static let logPDFCases: [Interval] = [
        .init(q: 0.3, a: -1.0, b: 2.0, expected: -0.7637722388802101),
        .init(q: -2.5, a: -3.0, b: 0.5, expected: -3.6730379736426397),
        .init(q: 6.0, a: 5.0, b: 8.0, expected: -3.853940137045731),
        .init(q: -26.0, a: -30.0, b: -25.0, expected: -22.279530525184384),
        .init(q: 1.9, a: -1.0, b: 2.0, expected: -2.5237722388802104),
    ]

    @Test("log density matches scipy.stats.truncnorm.logpdf", arguments: logPDFCases)
    func logPDF(_ c: Interval) {
        #expect(isClose(TruncatedNormal.logPDF(c.q, a: c.a, b: c.b), c.expected, relative: 1e-12))
    }

    @Test func logPDFOutsideIsMinusInfinity() {
        #expect(TruncatedNormal.logPDF(2.5, a: -1, b: 2) == -.infinity)
        #expect(TruncatedNormal.logPDF(-1.5, a: -1, b: 2) == -.infinity)
    }

    static let ppfCases: [Interval] = [
        .init(q: 0.1, a: -1.0, b: 2.0, expected: -0.704647821094745),
        .init(q: 0.9, a: -1.0, b: 2.0, expected: 1.2557153641502152),
        .init(q: 0.5, a: -3.0, b: 0.5, expected: -0.3950413667808876),
        .init(q: 0.25, a: 5.0, b: 8.0, expected: 5.05518340522108),
        .init(q: 0.75, a: -30.0, b: -25.0, expected: -25.01148632858314),
        .init(q: 0.001, a: -2.0, b: 40.0, expected: -1.9822187445661097),
        .init(q: 0.999, a: -2.0, b: 40.0, expected: 3.0970605095984745),
        .init(q: 0.5, a: -50.0, b: 50.0, expected: 0.0),
        .init(q: 0.3, a: 20.0, b: 21.0, expected: 20.017781627447977),
        .init(q: 0.6, a: -0.2, b: -0.1, expected: -0.13982428172473554),
        .init(q: 1e-10, a: -1.0, b: 1.0, expected: -0.9999999997178625),
    ]

    @Test("quantile matches scipy.stats.truncnorm.ppf", arguments: ppfCases)
    func ppf(_ c: Interval) {
        #expect(isClose(TruncatedNormal.quantile(c.q, a: c.a, b: c.b), c.expected, relative: 1e-11, absolute: 1e-15))
    }

    @Test func quantileEndsAndClamping() {
        #expect(TruncatedNormal.quantile(0, a: -1, b: 2) == -1)
        #expect(TruncatedNormal.quantile(1, a: -1, b: 2) == 2)
        for q in stride(from: 0.0, through: 1.0, by: 0.0625) {
            let x = TruncatedNormal.quantile(q, a: 3, b: 3.0000001)
            #expect(x >= 3 && x <= 3.0000001)
        }
    }

    @Test func mixtureLogMatchesTheCLibrary() {
        var x = 1e-12
        while x <= 4 {
            let expected = CoreMath.log(x)
            #expect(abs(mixtureLog(x) - expected) <= 4e-16 * max(1, abs(expected)), "x = \(x)")
            x *= 1.000731
        }
        #expect(mixtureLog(1) == 0)
        #expect(mixtureLog(0) == -.infinity)
    }
}
