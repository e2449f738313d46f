/// Reusable buffers for ``ParzenEstimator/logDensities(of:workspace:)``.
struct ParzenWorkspace {
    /// Partial log densities: one row of kernels per candidate of a batch.
    var partial: [Double] = []
    /// Indices of the kernels still in play.
    var active: [Int32] = []

    /// Empty buffers; they grow on first use and are kept.
    init() {}
}

extension ParzenEstimator {
    /// Kernels whose log density is this far below the largest are left out of the mixture sum: each
    /// contributes less than e^-46 ≈ 1e-20 of the largest term, so even 10⁴ of them change the sum by less
    /// than its rounding error.
    static let negligibleLogGap = 46.0

    /// Candidates evaluated together: each kernel's centres and scales are loaded once per batch.
    static let batchSize = 4

    /// The log density of the mixture at each candidate.
    ///
    /// Each kernel's log density is `base[k]` minus one penalty per dimension, summed in one pass over the
    /// kernels for a batch of candidates (two kernels per SIMD register). Discrete dimensions first
    /// contribute a cheap lower bound of their penalty, so the sums bound the log densities from above;
    /// exact bin masses are then computed only for kernels whose bound comes within ``negligibleLogGap``
    /// of the best exact value. Terms more than that gap below the largest are not summed.
    func logDensities(of candidates: ParzenCandidates, workspace: inout ParzenWorkspace) -> [Double] {
        withExtendedLifetime(self) {
            let table = ParzenKernelTable(self)
            let batch = Self.batchSize
            var out = [Double](repeating: -.infinity, count: candidates.count)
            if workspace.partial.count < batch * kernelCount {
                workspace.partial = [Double](repeating: 0, count: batch * kernelCount)
                workspace.active = [Int32](repeating: 0, count: kernelCount)
            }
            workspace.partial.withUnsafeMutableBufferPointer { partial in
                workspace.active.withUnsafeMutableBufferPointer { active in
                    guard let s = partial.baseAddress else { return }
                    var scratch: [ParzenKernelTable.DimensionLanes] = []
                    scratch.reserveCapacity(dimensions.count)
                    for start in stride(from: 0, to: candidates.count, by: batch) {
                        let lanes = min(batch, candidates.count - start)
                        let tops = table.sumPenalties(
                            candidates, first: start, lanes: lanes, into: s, scratch: &scratch)
                        for lane in 0..<lanes {
                            out[start + lane] = table.logSumExp(
                                candidates, start + lane, partial: s + lane * table.count, top: tops[lane],
                                active: active)
                        }
                    }
                }
            }
            return out
        }
    }
}

/// A read-only view of an estimator's buffers for the evaluation loops, valid while the estimator is
/// alive and not rebuilt.
struct ParzenKernelTable {
    let count: Int
    let kinds: [ParzenDimension.Kind]
    let continuous: [Int]
    let categorical: [Int]
    let discrete: [Int]
    /// Continuous, then categorical, then discrete dimensions.
    let order: [Int]
    let base: UnsafeMutablePointer<Double>
    let mu: UnsafeMutablePointer<Double>
    let sigma: UnsafeMutablePointer<Double>
    let scale: UnsafeMutablePointer<Double>
    let peak: UnsafeMutablePointer<Double>
    let rangeLogMass: UnsafeMutablePointer<Double>
    let slack: UnsafeMutablePointer<Double>

    init(_ e: ParzenEstimator) {
        count = e.kernelCount
        let kinds = e.dimensions.map(\.kind)
        self.kinds = kinds
        continuous = kinds.indices.filter { kinds[$0] == .continuous }
        categorical = kinds.indices.filter { kinds[$0] == .categorical }
        discrete = kinds.indices.filter { kinds[$0] == .discrete }
        order = continuous + categorical + discrete
        base = e.base.pointer
        mu = e.mu.pointer
        sigma = e.sigma.pointer
        scale = e.scale.pointer
        peak = e.peak.pointer
        rangeLogMass = e.rangeLogMass.pointer
        slack = e.slack.pointer
    }

    /// Writes `base[k]` minus every dimension's penalty (a lower bound of it for discrete dimensions)
    /// for candidates `first ..< first + lanes` into consecutive rows of `count` values at `s`.
    ///
    /// - Returns: the largest value written for each candidate.
    func sumPenalties(
        _ c: ParzenCandidates, first: Int, lanes: Int, into s: UnsafeMutablePointer<Double>,
        scratch lanesOf: inout [DimensionLanes]
    ) -> SIMD4<Double> {
        let dims = c.dimensionCount
        // Per dimension: its offset in the kernel arrays and each candidate's coordinates broadcast to a
        // pair; missing lanes repeat the first candidate.
        lanesOf.removeAll(keepingCapacity: true)
        for d in order {
            @inline(__always) func row(_ lane: Int) -> Int { (first + min(lane, lanes - 1)) * dims + d }
            @inline(__always) func x(_ lane: Int) -> SIMD2<Double> { SIMD2(repeating: c.point[row(lane)]) }
            @inline(__always) func r(_ lane: Int) -> SIMD2<Double> { SIMD2(repeating: c.right[row(lane)]) }
            lanesOf.append(
                DimensionLanes(
                    offset: d * count, x0: x(0), x1: x(1), x2: x(2), x3: x(3), r0: r(0), r1: r(1), r2: r(2),
                    r3: r(3)))
        }
        let n = count
        var k = 0
        var top = Lanes(base: SIMD2(repeating: -.infinity))
        lanesOf.withUnsafeBufferPointer { all in
            let split = (
                UnsafeBufferPointer(rebasing: all[0..<continuous.count]),
                UnsafeBufferPointer(rebasing: all[continuous.count..<(continuous.count + categorical.count)]),
                UnsafeBufferPointer(rebasing: all[(continuous.count + categorical.count)...])
            )
            while k + 1 < n {
                var a = Lanes(base: Self.load(base, k))
                accumulate(&a, k, split.0, split.1, split.2)
                Self.store(a.v0, s, k)
                Self.store(a.v1, s + n, k)
                Self.store(a.v2, s + 2 * n, k)
                Self.store(a.v3, s + 3 * n, k)
                top.v0 = lanewiseMax(top.v0, a.v0)
                top.v1 = lanewiseMax(top.v1, a.v1)
                top.v2 = lanewiseMax(top.v2, a.v2)
                top.v3 = lanewiseMax(top.v3, a.v3)
                k += 2
            }
            if k < n {
                // The last kernel of an odd count, in lane 0 of a pair whose lane 1 is ignored.
                var a = Lanes(base: SIMD2(repeating: base[k]))
                accumulate(&a, k, split.0, split.1, split.2, single: true)
                s[k] = a.v0[0]
                s[n + k] = a.v1[0]
                s[2 * n + k] = a.v2[0]
                s[3 * n + k] = a.v3[0]
                top.v0[0] = max(top.v0[0], a.v0[0])
                top.v1[0] = max(top.v1[0], a.v1[0])
                top.v2[0] = max(top.v2[0], a.v2[0])
                top.v3[0] = max(top.v3[0], a.v3[0])
            }
        }
        return SIMD4(
            max(top.v0[0], top.v0[1]), max(top.v1[0], top.v1[1]), max(top.v2[0], top.v2[1]),
            max(top.v3[0], top.v3[1]))
    }

    /// One dimension as the batch loop reads it: where its kernels start, and the four candidates'
    /// coordinates (left and right bin ends for discrete dimensions), each broadcast to both lanes.
    struct DimensionLanes {
        let offset: Int
        let x0: SIMD2<Double>
        let x1: SIMD2<Double>
        let x2: SIMD2<Double>
        let x3: SIMD2<Double>
        let r0: SIMD2<Double>
        let r1: SIMD2<Double>
        let r2: SIMD2<Double>
        let r3: SIMD2<Double>
    }

    /// Four candidates' sums for two kernels.
    private struct Lanes {
        var v0: SIMD2<Double>
        var v1: SIMD2<Double>
        var v2: SIMD2<Double>
        var v3: SIMD2<Double>

        init(base: SIMD2<Double>) {
            v0 = base
            v1 = base
            v2 = base
            v3 = base
        }
    }

    @inline(__always)
    private func accumulate(
        _ a: inout Lanes, _ k: Int, _ continuous: UnsafeBufferPointer<DimensionLanes>,
        _ categorical: UnsafeBufferPointer<DimensionLanes>, _ discrete: UnsafeBufferPointer<DimensionLanes>,
        single: Bool = false
    ) {
        @inline(__always) func pair(_ p: UnsafeMutablePointer<Double>, _ offset: Int) -> SIMD2<Double> {
            single ? SIMD2(repeating: p[offset + k]) : Self.load(p + offset, k)
        }
        for l in continuous {
            let m = pair(mu, l.offset)
            let w = pair(scale, l.offset)
            var z = (l.x0 - m) * w
            a.v0 -= z * z
            z = (l.x1 - m) * w
            a.v1 -= z * z
            z = (l.x2 - m) * w
            a.v2 -= z * z
            z = (l.x3 - m) * w
            a.v3 -= z * z
        }
        for l in categorical {
            let m = pair(mu, l.offset)
            let w = pair(scale, l.offset)
            a.v0 -= w.replacing(with: 0, where: m .== l.x0)
            a.v1 -= w.replacing(with: 0, where: m .== l.x1)
            a.v2 -= w.replacing(with: 0, where: m .== l.x2)
            a.v3 -= w.replacing(with: 0, where: m .== l.x3)
        }
        for l in discrete {
            let m = pair(mu, l.offset)
            let w = pair(scale, l.offset)
            let g = pair(slack, l.offset)
            @inline(__always) func bound(_ x: SIMD2<Double>, _ r: SIMD2<Double>) -> SIMD2<Double> {
                let distance = lanewiseMax(.zero, lanewiseMax(x - m, m - r))
                let z = distance * w
                return lanewiseMax(.zero, z * z - g)
            }
            a.v0 -= bound(l.x0, l.r0)
            a.v1 -= bound(l.x1, l.r1)
            a.v2 -= bound(l.x2, l.r2)
            a.v3 -= bound(l.x3, l.r3)
        }
    }

    @inline(__always)
    private static func load(_ p: UnsafeMutablePointer<Double>, _ k: Int) -> SIMD2<Double> {
        UnsafeRawPointer(p + k).loadUnaligned(as: SIMD2<Double>.self)
    }

    @inline(__always)
    private static func store(_ v: SIMD2<Double>, _ p: UnsafeMutablePointer<Double>, _ k: Int) {
        UnsafeMutableRawPointer(p + k).storeBytes(of: v, as: SIMD2<Double>.self)
    }

    /// The log of the sum of `exp` over one candidate's kernel values `s` (from ``sumPenalties``) whose
    /// largest is `top`, first making the discrete dimensions exact where they matter.
    func logSumExp(
        _ c: ParzenCandidates, _ i: Int, partial s: UnsafeMutablePointer<Double>, top bound: Double,
        active: UnsafeMutableBufferPointer<Int32>
    ) -> Double {
        let n = count
        guard bound > -.infinity else { return -.infinity }
        let gap = ParzenEstimator.negligibleLogGap
        guard !discrete.isEmpty else {
            let floor = bound - gap
            var sum = 0.0
            for k in 0..<n where s[k] >= floor { sum += mixtureExp(s[k] - bound) }
            return bound + CoreMath.log(sum)
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
        var sum = 0.0
        for j in 0..<kept {
            let v = s[Int(active[j])]
            if v >= top - gap { sum += mixtureExp(v - top) }
        }
        return top + CoreMath.log(sum)
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

/// The larger of each lane, ignoring NaN semantics so that it compiles to a compare and a select (the
/// standard `pointwiseMax` handles NaN lane by lane in scalar code). Inputs here are never NaN.
@inline(__always)
private func lanewiseMax(_ a: SIMD2<Double>, _ b: SIMD2<Double>) -> SIMD2<Double> {
    a.replacing(with: b, where: a .< b)
}
