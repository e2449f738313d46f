import Testing

@testable import OptunaCore

@Suite("Vector exp of the mixture sums")
struct TPEMixtureExpTests {
    /// `mixtureExp` of each value, four at a time.
    static func vectorExp(_ xs: [Double]) -> [Double] {
        var out: [Double] = []
        for start in stride(from: 0, to: xs.count, by: 4) {
            var v = SIMD4<Double>(repeating: 0)
            for lane in 0..<min(4, xs.count - start) { v[lane] = xs[start + lane] }
            let e = mixtureExp(v)
            for lane in 0..<min(4, xs.count - start) { out.append(e[lane]) }
        }
        return out
    }

    /// The largest distance from the C library's `exp`, in units in the last place of the latter, and where.
    static func worstError(_ xs: [Double]) -> (ulps: Double, x: Double) {
        var worst = (ulps: 0.0, x: Double.nan)
        for (x, e) in zip(xs, vectorExp(xs)) {
            let expected = CoreMath.exp(x)
            let ulps = e == expected ? 0 : abs(e - expected) / expected.ulp
            if !(ulps <= worst.ulps) { worst = (ulps, x) }
        }
        return worst
    }

    @Test("within 2 ulps of the C library from -1022 ln 2 to 0, on a grid and at random")
    func matchesTheCLibrary() {
        let lowest = MixtureExpConstants.smallestNormalExponent
        var xs: [Double] = []
        var x = lowest
        while x <= 0 {
            xs.append(x)
            x += 0.0173
        }
        var rng = SeededGenerator(seed: 2024)
        for _ in 0..<20_000 { xs.append(lowest * rng.nextUnit()) }
        // Where the log-sum-exp terms mostly fall, and around the rounding boundaries of the reduction.
        for _ in 0..<20_000 { xs.append(-64 * rng.nextUnit()) }
        for k in 0..<1022 {
            let boundary = -(Double(k) + 0.5) * 0.693_147_180_559_945_309_42
            xs.append(contentsOf: [boundary.nextDown, boundary, boundary.nextUp])
        }
        let worst = Self.worstError(xs)
        #expect(worst.ulps <= 2, "\(worst.ulps) ulps at x = \(worst.x)")
    }

    @Test("positive arguments up to 708 are as accurate")
    func positiveArguments() {
        let xs = stride(from: 0.0, through: 708, by: 0.0391).map { $0 }
        let worst = Self.worstError(xs)
        #expect(worst.ulps <= 2, "\(worst.ulps) ulps at x = \(worst.x)")
    }

    @Test("zero, the range end, underflow, infinity and NaN")
    func edgeValues() {
        let lowest = MixtureExpConstants.smallestNormalExponent
        let e = mixtureExp(SIMD4(0, -0.0, -Double.leastNonzeroMagnitude, -1e-300))
        #expect(e == SIMD4(repeating: 1))
        // The range end: 2^-1022 (normal); just below it the C library is subnormal and the vector exp 0.
        let end = Self.vectorExp([lowest])[0]
        #expect(end >= Double.leastNormalMagnitude)
        #expect(abs(end - CoreMath.exp(lowest)) <= 2 * CoreMath.exp(lowest).ulp)
        let below: [Double] = [lowest.nextDown, -708.5, -745.1, -745.2, -1000, -.greatestFiniteMagnitude, -.infinity]
        for (x, value) in zip(below, Self.vectorExp(below)) {
            #expect(value == 0, "x = \(x)")
            #expect(CoreMath.exp(x) < Double.leastNormalMagnitude, "x = \(x)")
        }
        // Lanes are independent.
        let mixed = mixtureExp(SIMD4(-.infinity, .nan, -1, 0))
        #expect(mixed[0] == 0)
        #expect(mixed[1].isNaN)
        #expect(abs(mixed[2] - CoreMath.exp(-1)) <= 2 * CoreMath.exp(-1).ulp)
        #expect(mixed[3] == 1)
    }

    @Test("sumExp adds every term once, whatever the count modulo the vector width")
    func sumExpCounts() {
        for count in 0..<19 {
            var values = (0..<(count + ParzenBuffer.padding)).map { -Double($0) * 0.25 }
            let expected = (0..<count).reduce(0.0) { $0 + CoreMath.exp(-Double($1) * 0.25 + 1) }
            let sum = values.withUnsafeMutableBufferPointer { v in
                v.baseAddress.map { ParzenKernelTable.sumExp($0, count: count, top: -1) } ?? .nan
            }
            #expect(isClose(sum, expected, relative: 1e-15, absolute: 0), "count \(count)")
        }
    }

    @Test("the vector mixtureLog gives the scalar one's results bit for bit")
    func vectorLogMatchesScalar() {
        var xs: [Double] = [
            .leastNormalMagnitude, .greatestFiniteMagnitude, 1, 2, 0.5, 1.0.nextDown, 1.0.nextUp, 1e-300, 1e300, 0.75,
        ]
        for j in 0...128 { xs.append(1 + Double(j) / 128) }
        var rng = SeededGenerator(seed: 99)
        for _ in 0..<20_000 { xs.append(CoreMath.exp((rng.nextUnit() - 0.5) * 1400)) }
        for _ in 0..<20_000 { xs.append(rng.nextUnit() * 2) }
        xs = xs.filter { $0 >= .leastNormalMagnitude }
        var mismatches = 0
        for start in stride(from: 0, to: xs.count - 3, by: 4) {
            let v = SIMD4(xs[start], xs[start + 1], xs[start + 2], xs[start + 3])
            #expect(isPositiveNormal(v))
            let logs = mixtureLog(v)
            for lane in 0..<4 where logs[lane].bitPattern != mixtureLog(v[lane]).bitPattern { mismatches += 1 }
        }
        #expect(mismatches == 0)
        #expect(!isPositiveNormal(SIMD4(1, 0, 1, 1)))
        #expect(!isPositiveNormal(SIMD4(1, 1, .leastNormalMagnitude.nextDown, 1)))
        #expect(!isPositiveNormal(SIMD4(1, 1, 1, .infinity)))
        #expect(!isPositiveNormal(SIMD4(.nan, 1, 1, 1)))
        #expect(!isPositiveNormal(SIMD4(1, -2, 1, 1)))
    }
}
