import OptunaCore
import Testing

@testable import OptunaCore

@Suite struct WilcoxonPrunerTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let differences: [Double]
        let less: Double
        let greater: Double
        var testDescription: String { name }
    }

    /// `0.05 * i * (-1 if i % 3 == 0 else 1) + 0.001 * i` for i in 1...20.
    static let alternating: [Double] = (1...20).map { (i: Int) -> Double in
        let x = Double(i)
        let sign: Double = i % 3 == 0 ? -1 : 1
        return 0.05 * x * sign + 0.001 * x
    }

    static let ties30: [Double] = [
        -0.4, 0.3, -0.1, 0.6, 0.2, -0.2, 0.5, 0.1, -0.3, 0.4, 0.0, -0.4, 0.3, -0.1, 0.6, 0.2, -0.2, 0.5, 0.1,
        -0.3, 0.4, 0.0, -0.4, 0.3, -0.1, 0.6, 0.2, -0.2, 0.5, 0.1,
    ]

    /// p-values from SciPy 1.17.1: `wilcoxon(d, alternative=…, zero_method="zsplit")`.
    static let scipy: [Case] = [
        Case(name: "exact, n=5", differences: [0.5, -0.2, 0.3, 0.9, 0.1], less: 0.9375, greater: 0.09375),
        Case(
            name: "exact, n=20",
            differences: alternating,
            less: 0.9430065155029297, greater: 0.06154632568359375),
        Case(name: "sign flips, ties", differences: [0.1, 0.1, -0.2, 0.3, 0.0, 0.3], less: 0.90625, greater: 0.125),
        Case(name: "sign flips, zeros", differences: [0.0, 0.0, 0.0, 0.1], less: 1.0, greater: 0.5),
    ]

    /// Exact and sign-flip p-values are dyadic fractions: equal to SciPy's bit for bit.
    @Test(arguments: scipy)
    func exactPValuesMatchSciPy(_ c: Case) {
        #expect(WilcoxonSignedRankTest.pValue(c.differences, alternative: .less) == c.less)
        #expect(WilcoxonSignedRankTest.pValue(c.differences, alternative: .greater) == c.greater)
    }

    /// The normal approximation differs from SciPy's Cephes `erfc` by at most an ulp or so.
    @Test(
        arguments: [
            (ties30, 0.9505969245976372, 0.049403075402362724),
            ((0..<60).map { CoreMath.sin(Double($0)) }, 0.631169705692786, 0.36883029430721403),
        ] as [([Double], Double, Double)])
    func normalPValuesMatchSciPyToTheLastBits(d: [Double], less: Double, greater: Double) {
        let l = WilcoxonSignedRankTest.pValue(d, alternative: .less)
        let g = WilcoxonSignedRankTest.pValue(d, alternative: .greater)
        #expect(abs(l - less) <= 4 * less.ulp && abs(g - greater) <= 4 * greater.ulp)
    }

    private let bestValues = (0..<10).map { Double($0) / 10 }

    private func decide(_ pruner: WilcoxonPruner, _ own: [Double], best: [Double]? = nil) -> Bool {
        let bestTrial = PrunerStudy.trial(0, .complete, PrunerStudy.steps(best ?? bestValues), value: 0)
        let current = PrunerStudy.trial(1, .running, PrunerStudy.steps(own))
        return pruner.prune(study: PrunerStudy.snapshot([bestTrial], current: current), trial: current)
    }

    @Test func aClearlyWorseTrialIsPruned() {
        #expect(decide(WilcoxonPruner(), bestValues.map { $0 + 1 }))
        #expect(!decide(WilcoxonPruner(), bestValues.map { $0 - 1 }))
        #expect(!decide(WilcoxonPruner(pThreshold: 0.0005), bestValues.map { $0 + 1 }), "p = 1/1024")
    }

    @Test func startupStepsAndNonFiniteValuesHoldBack() {
        #expect(!decide(WilcoxonPruner(), [5]), "one common step is never enough")
        #expect(!decide(WilcoxonPruner(nStartupSteps: 11), bestValues.map { $0 + 1 }))
        #expect(!decide(WilcoxonPruner(), bestValues.map { $0 + 1 } + [.infinity]))
        #expect(!decide(WilcoxonPruner(), bestValues.map { $0 + 1 }, best: bestValues + [.nan]))
    }

    @Test func noBestTrialNoPruning() {
        let current = PrunerStudy.trial(0, .running, PrunerStudy.steps([5, 5, 5]))
        #expect(!WilcoxonPruner().prune(study: PrunerStudy.snapshot([], current: current), trial: current))
    }

    @Test func aBetterMeanOverridesTheTest() {
        // Nine small losses and one large win: p = 47/1024 < 0.1, but the mean is better than the best's.
        let own = Array(repeating: 0.1, count: 9) + [-5]
        #expect(!decide(WilcoxonPruner(), own, best: Array(repeating: 0, count: 10)))
        #expect(WilcoxonSignedRankTest.pValue(own, alternative: .greater) == 47.0 / 1024)
    }
}
