extension ParzenKernelTable {
    /// The log of the sum of `exp` over one candidate's kernel values `s` (a row from
    /// ``sumPenalties(_:first:lanes:into:scratch:)``) whose largest is `top`, first making the discrete
    /// dimensions exact where they matter. Overwrites the row.
    ///
    /// The terms within ``ParzenEstimator/negligibleLogGap`` of the largest exact value are moved to the
    /// front of the row in kernel order, then summed four at a time by ``sumExp(_:count:top:)``.
    func logSumExp(
        _ c: ParzenCandidates, _ i: Int, partial s: UnsafeMutablePointer<Double>, top bound: Double,
        active: UnsafeMutableBufferPointer<Int32>
    ) -> Double {
        let n = count
        guard bound > -.infinity else { return -.infinity }
        let gap = ParzenEstimator.negligibleLogGap
        guard !discrete.isEmpty else {
            // Compaction in place without branches (whether a kernel is kept is close to random): every
            // value is written at the next free slot, which advances by one when the value is kept. The
            // row holds -infinity from `count` up to `stride`, never kept.
            let floor = SIMD4<Double>(repeating: bound - gap)
            var kept = 0
            var k = 0
            while k < n {
                let v = s.vector(at: k)
                let step = SIMD4<Int64>(repeating: 0).replacing(with: 1, where: v .>= floor)
                s[kept] = v[0]
                kept &+= Int(step[0])
                s[kept] = v[1]
                kept &+= Int(step[1])
                s[kept] = v[2]
                kept &+= Int(step[2])
                s[kept] = v[3]
                kept &+= Int(step[3])
                k &+= 4
            }
            return bound + CoreMath.log(Self.sumExp(s, count: kept, top: bound))
        }
        // Bounds only overestimate, so kernels whose bound is already negligible stay out.
        let row = i * c.dimensionCount
        var best = 0
        while best < n - 1 && s[best] < bound { best += 1 }
        var top = s[best] + discreteCorrection(best, c, row)
        var m = 0
        for k in 0..<n where s[k] >= top - gap {
            active[m] = Int32(k)
            m += 1
        }
        var kept = 0
        for j in 0..<m {
            let k = Int(active[j])
            guard s[k] >= top - gap else { continue }
            let value = s[k] + discreteCorrection(k, c, row)
            s[k] = value
            top = max(top, value)
            active[kept] = Int32(k)
            kept += 1
        }
        // Kernel indices only grow, so each value is read before its slot is overwritten.
        var terms = 0
        for j in 0..<kept {
            let v = s[Int(active[j])]
            if v >= top - gap {
                s[terms] = v
                terms += 1
            }
        }
        return top + CoreMath.log(Self.sumExp(s, count: terms, top: top))
    }

    /// `Σ exp(v[j] - top)` for `j < count`, four terms per vector, in a fixed order.
    ///
    /// - Important: Reads up to three values past `count` (ignored), so `v` must have room for them.
    static func sumExp(_ v: UnsafeMutablePointer<Double>, count: Int, top: Double) -> Double {
        let t = SIMD4<Double>(repeating: top)
        var sum0 = SIMD4<Double>()
        var sum1 = SIMD4<Double>()
        var j = 0
        while j + 8 <= count {
            sum0 += mixtureExp(v.vector(at: j) - t)
            sum1 += mixtureExp(v.vector(at: j &+ 4) - t)
            j &+= 8
        }
        while j < count {
            var x = v.vector(at: j) - t
            if count - j < 4 {
                x.replace(with: -.infinity, where: SIMD4<Int64>(0, 1, 2, 3) .>= SIMD4(repeating: Int64(count - j)))
            }
            sum0 += mixtureExp(x)
            j &+= 4
        }
        return (sum0 + sum1).sum()
    }

    /// Kernel `k`'s exact log density minus its bounded value: each discrete dimension's bound penalty
    /// minus its exact penalty (`<= 0`).
    private func discreteCorrection(_ k: Int, _ c: ParzenCandidates, _ row: Int) -> Double {
        var correction = 0.0
        for d in discrete {
            let index = d * count + k
            let x = c.point[row + d]
            let r = c.right[row + d]
            let m = mu[index]
            let w = scale[index]
            let distance = max(0, max(x - m, m - r))
            let z = distance * w
            let bound = max(0, z * z - slack[index])
            let s = sigma[index]
            let binLogMass = TruncatedNormal.logMass((x - m) / s, (r - m) / s)
            let exact = peak[index] + rangeLogMass[index] - binLogMass
            correction += bound - exact
        }
        return correction
    }
}
