import Testing

@testable import OptunaCore

/// The genetic operators against Optuna's own implementations, fed the same random numbers: the expected
/// values come from Optuna 5.0's crossover and mutation classes run with a stand-in NumPy generator that
/// returns the first draws of `SeededGenerator(seed: 42, trialNumber: 0)`.
@Suite struct NSGAOperatorTests {
    static let p2: [[Double]] = [[0.1, 0.5, 0.9], [0.3, 0.2, 0.8]]
    static let p3: [[Double]] = [[0.1, 0.5, 0.9], [0.3, 0.2, 0.8], [0.6, 0.4, 0.1]]
    static let unit: [(lower: Double, upper: Double)] = Array(repeating: (0.0, 1.0), count: 3)

    static func generator() -> SeededGenerator { SeededGenerator(seed: 42, trialNumber: 0) }

    struct Case: CustomTestStringConvertible, Sendable {
        let crossover: NSGACrossover
        let parents: [[Double]]
        let multiObjective: Bool
        let expected: [Double]
        var testDescription: String { "\(crossover) multi=\(multiObjective)" }
    }

    static let cases: [Case] = [
        Case(crossover: .uniform, parents: p2, multiObjective: false, expected: [0.3, 0.2, 0.9]),
        Case(
            crossover: .blxAlpha(alpha: 0.5), parents: p2, multiObjective: false,
            expected: [0.37214768377101404, 0.44303219766150137, 0.808724835497236]),
        Case(
            crossover: .sbx(eta: nil, uniformCrossoverProb: 0.5, useChildGeneProb: 0.5), parents: p2,
            multiObjective: false, expected: [0.3, 0.5191029892564132, 0.8]),
        Case(
            crossover: .sbx(eta: nil, uniformCrossoverProb: 0.5, useChildGeneProb: 0.5), parents: p2,
            multiObjective: true, expected: [0.3, 0.502675140697171, 0.8]),
        Case(
            crossover: .vsbx(eta: nil, uniformCrossoverProb: 0.5, useChildGeneProb: 0.5), parents: p2,
            multiObjective: false, expected: [0.1512631428401371, 0.2, 0.8]),
        Case(
            crossover: .spx(epsilon: nil), parents: p3, multiObjective: false,
            expected: [0.04993615488635028, 0.5843745699776906, 0.9171806282968731]),
    ]

    @Test(arguments: cases)
    func crossoverMatchesOptuna(_ c: Case) {
        var rng = Self.generator()
        let child = c.crossover.cross(
            c.parents, bounds: Self.unit, swappingProb: 0.5, multiObjective: c.multiObjective, using: &rng)
        #expect(child.count == c.expected.count)
        for (a, e) in zip(child, c.expected) { #expect(abs(a - e) <= 1e-15 * max(1, abs(e)), "\(child)") }
    }

    @Test func undxInOneDimensionMatchesOptuna() {
        var rng = Self.generator()
        let child = NSGACrossover.undx([[0.2], [0.7], [0.4]], sigmaXi: 0.5, sigmaEta: 0.35, using: &rng)
        #expect(child == [0.5294758083687154])
    }

    @Test func undxStaysInTheSpanOfItsParentsDirections() {
        // In two dimensions the child is midpoint + xi d + eta D e, e orthogonal to d.
        var rng = Self.generator()
        let parents: [[Double]] = [[0, 0], [2, 0], [1, 3]]
        let child = NSGACrossover.undx(parents, sigmaXi: 0.5, sigmaEta: 0.5, using: &rng)
        var draws = Self.generator()
        let eta = draws.normal() * 0.25
        _ = draws.normal()
        let xi = draws.normal() * 0.25
        #expect(abs(child[0] - (1 + xi * -2)) < 1e-12)
        #expect(abs(abs(child[1]) - abs(3 * eta)) < 1e-12)
    }

    @Test func polynomialMutationMatchesOptuna() {
        var rng = Self.generator()
        let m = PolynomialMutation(eta: 20)
        let got = [
            m.mutate(0.3, lower: 0, upper: 1, using: &rng), m.mutate(0.9, lower: 0, upper: 1, using: &rng),
            m.mutate(-2, lower: -5, upper: 5, using: &rng),
        ]
        #expect(got == [0.38960458267112236, 0.9152729570485009, -2.2501118867168692])
    }

    @Test func nonDominatedRanksMatchOptuna() {
        let losses: [[Double]] = [[1, 4], [2, 2], [4, 1], [2, 2], [3, 3], [5, 5], [1, 6], [6, 0.5]]
        #expect(NonDominatedSort.ranks(losses) == [0, 0, 0, 0, 1, 2, 1, 0])
        let penalty: [Double] = [0, 0, 0.5, 0, 2, 0.5, 0, 0]
        #expect(NonDominatedSort.ranks(losses, penalty: penalty) == [0, 0, 2, 0, 3, 2, 1, 0])
        #expect(NonDominatedSort.ranks([[3], [1], [3], [2]]) == [2, 0, 2, 1])
    }

    @Test func crowdingDistanceMatchesOptuna() {
        let values: [[Double]] = [[1, 4], [2, 2], [4, 1], [3, 3], [1, 6], [6, 0.5], [.infinity, 0.2]]
        let (distance, _) = CrowdingDistance.distances(values)
        let expected = [
            Double.infinity, 0.7448275862068966, 0.8586206896551725, 0.7448275862068966, .infinity,
            .infinity, .infinity,
        ]
        for (d, e) in zip(distance, expected) { #expect(d == e || abs(d - e) < 1e-15) }
        #expect(CrowdingDistance.sortedByCrowding(values) == [4, 0, 5, 6, 2, 3, 1])
    }

    @Test func defaultReferencePointsAreOptunas() {
        #expect(
            ReferencePointNiching.defaultReferencePoints(objectives: 3, divisions: 2) == [
                [2, 0, 0], [1, 1, 0], [1, 0, 1], [0, 2, 0], [0, 1, 1], [0, 0, 2],
            ])
        #expect(ReferencePointNiching.defaultReferencePoints(objectives: 2, divisions: 3).count == 4)
    }

    @Test func normalizationAndAssociationMatchOptuna() {
        let m: [[Double]] = [[1, 5, 3], [2, 1, 4], [4, 2, 1], [3, 3, 3], [0.5, 6, 2]]
        let normalized = ReferencePointNiching.normalize(m)
        let expected: [[Double]] = [
            [0.12037037037037036, 0.6296296296296295, 0.42592592592592593],
            [0.3611111111111111, 0.0, 0.6388888888888888],
            [0.8425925925925926, 0.15740740740740738, 0.0],
            [0.6018518518518519, 0.31481481481481477, 0.42592592592592593],
            [0.0, 0.787037037037037, 0.21296296296296297],
        ]
        for (row, e) in zip(normalized, expected) { for (a, b) in zip(row, e) { #expect(abs(a - b) < 1e-14) } }
        let refs = ReferencePointNiching.defaultReferencePoints(objectives: 3, divisions: 2)
        let (closest, distance) = ReferencePointNiching.associate(expected, referencePoints: refs)
        #expect(closest == [4, 2, 0, 2, 3])
        let expectedDistance = [
            0.18771421233993785, 0.19641855032959651, 0.15740740740740738, 0.33850160019316494,
            0.21296296296296297,
        ]
        for (a, b) in zip(distance, expectedDistance) { #expect(abs(a - b) < 1e-14) }
    }

    @Test func nichingPrefersEmptyReferencePointsAndTheNearestMember() {
        // Three borderline members: two near reference 0 (distances 0.3, 0.1), one near reference 1,
        // and one elite member already at reference 0. One place: reference 1 has no elite neighbour.
        var rng = Self.generator()
        let chosen = ReferencePointNiching.preserveNiches(
            count: 1, eliteCount: 1, closest: [0, 0, 0, 1], distance: [0, 0.3, 0.1, 0.5], using: &rng)
        #expect(chosen == [2])
        var rng2 = Self.generator()
        let two = ReferencePointNiching.preserveNiches(
            count: 2, eliteCount: 0, closest: [0, 0, 1], distance: [0.3, 0.1, 0.5], using: &rng2)
        #expect(Set(two) == [1, 2])
    }

    @Test func clippingInfinitiesUsesThreeTimesTheFiniteRange() {
        let clipped = ReferencePointNiching.clipInfinities([[1, .infinity], [2, 1], [-.infinity, 3]])
        #expect(clipped == [[1, 9], [2, 1], [-2, 3]])
    }
}
