import Testing

@testable import OptunaCore

@Suite struct QMCSequenceTests {
    /// The first dimensions of Joe and Kuo's `new-joe-kuo-6.21201` as published: `d s a m_1 … m_s`.
    static let published: [(s: Int, a: UInt32, m: [UInt32])] = [
        (1, 0, [1]), (2, 1, [1, 3]), (3, 1, [1, 3, 1]), (3, 2, [1, 1, 1]),
    ]

    @Test func theTableHoldsThePublishedDirectionNumbers() {
        for (i, p) in Self.published.enumerated() {
            let entry = SobolDirectionNumbers.table[i]
            #expect(entry.m == p.m)
            #expect(entry.poly == (1 << UInt32(p.s)) | (p.a << 1) | 1)
        }
        #expect(SobolDirectionNumbers.table.count == SobolDirectionNumbers.maxDimension - 1)
    }

    /// The first points of dimensions 1…5 computed by hand from the published numbers: dimension 1 is van
    /// der Corput; point k is the XOR of the direction numbers `v_j = m_j / 2^(j+1)` picked by Gray(k).
    @Test func firstSobolPointsFollowFromThePublishedNumbers() throws {
        let sobol = try #require(SobolSequence(dimension: 5))
        let expected: [[Double]] = [
            [0, 0, 0, 0, 0], [0.5, 0.5, 0.5, 0.5, 0.5], [0.75, 0.25, 0.25, 0.25, 0.75],
            [0.25, 0.75, 0.75, 0.75, 0.25], [0.375, 0.375, 0.625, 0.875, 0.375], [0.875, 0.875, 0.125, 0.375, 0.875],
            [0.625, 0.125, 0.875, 0.625, 0.625], [0.125, 0.625, 0.375, 0.125, 0.125],
        ]
        for (k, e) in expected.enumerated() { #expect(sobol.point(k) == e, "point \(k)") }
    }

    @Test func laterSobolPointsMatchSciPy() throws {
        #expect(try #require(SobolSequence(dimension: 3)).point(1000) == [0.2197265625, 0.0966796875, 0.5185546875])
        let forty = try #require(SobolSequence(dimension: 40)).point(77)
        #expect(
            Array(forty[30..<40]) == [
                0.9765625, 0.7421875, 0.1796875, 0.0546875, 0.6953125, 0.7734375, 0.5546875, 0.8984375, 0.1328125,
                0.2734375,
            ])
    }

    @Test func haltonPointsMatchSciPy() {
        let h = HaltonSequence(dimension: 3)
        #expect(h.bases == [2, 3, 5])
        #expect(h.point(0) == [0, 0, 0])
        #expect(h.point(1) == [0.5, 1.0 / 3, 0.2])
        #expect(h.point(3)[0] == 0.75)
        #expect(abs(h.point(5)[2] - 0.04) < 1e-15)
        let h4 = HaltonSequence(dimension: 4).point(123)
        let expected = [0.8671875, 0.27572016460905346, 0.7920000000000001, 0.6384839650145772]
        for (a, b) in zip(h4, expected) { #expect(abs(a - b) < 1e-15) }
    }

    @Test func scrambledSequencesStayInTheCubeAndKeepBalance() throws {
        let sobol = try #require(SobolSequence(dimension: 4, scrambleSeed: 9))
        // A scrambled Sobol' net: each half of each axis gets exactly half of the first 2^k points.
        for d in 0..<4 {
            let lower = (0..<64).filter { sobol.point($0)[d] < 0.5 }.count
            #expect(lower == 32)
        }
        let halton = HaltonSequence(dimension: 3, scrambleSeed: 9)
        for k in 0..<200 { #expect(halton.point(k).allSatisfy { $0 >= 0 && $0 < 1 }) }
        #expect(SobolSequence(dimension: 2, scrambleSeed: 1)?.point(0) != SobolSequence(dimension: 2)?.point(0))
        #expect(
            SobolSequence(dimension: 2, scrambleSeed: 1)?.point(5)
                == SobolSequence(dimension: 2, scrambleSeed: 1)?.point(5))
    }
}
