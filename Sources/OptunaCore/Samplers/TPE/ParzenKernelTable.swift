/// A read-only view of an estimator's buffers for the evaluation loops, valid while the estimator is
/// alive and not rebuilt.
///
/// The loops read four kernels per vector. The estimator's buffers extend at least
/// ``ParzenBuffer/padding`` elements past their count, so the last vector of a dimension stays in
/// bounds; the lanes past the last kernel are computed on whatever they read and then dropped.
struct ParzenKernelTable {
    /// The number of kernels.
    let count: Int
    /// The distance between two candidates' rows of partial log densities: ``count`` rounded up to a
    /// whole number of vectors.
    let stride: Int
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
        stride = (e.kernelCount + 3) & ~3
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

    /// One dimension as the batch loop reads it: where its kernels start, and the four candidates'
    /// coordinates (left and right bin ends for discrete dimensions), each broadcast to a vector.
    struct DimensionLanes {
        let offset: Int
        let x0: SIMD4<Double>
        let x1: SIMD4<Double>
        let x2: SIMD4<Double>
        let x3: SIMD4<Double>
        let r0: SIMD4<Double>
        let r1: SIMD4<Double>
        let r2: SIMD4<Double>
        let r3: SIMD4<Double>
    }

    /// Writes `base[k]` minus every dimension's penalty (a lower bound of it for discrete dimensions)
    /// for candidates `first ..< first + lanes` into consecutive rows of ``stride`` values at `s`; the
    /// entries of a row past ``count`` are set to `-infinity`.
    ///
    /// Each kernel's sum is built in the same order (continuous, categorical, discrete dimensions) and
    /// with the same operations whatever the batch, so it does not depend on its neighbours.
    ///
    /// - Returns: the largest value written for each candidate (missing candidates repeat the first).
    func sumPenalties(
        _ c: ParzenCandidates, first: Int, lanes: Int, into s: UnsafeMutablePointer<Double>,
        scratch lanesOf: inout [DimensionLanes]
    ) -> SIMD4<Double> {
        let dims = c.dimensionCount
        lanesOf.removeAll(keepingCapacity: true)
        c.point.withUnsafeBufferPointer { point in
            c.right.withUnsafeBufferPointer { right in
                for d in order {
                    @inline(__always) func row(_ lane: Int) -> Int {
                        (first + min(lane, lanes - 1)) * dims + d
                    }
                    @inline(__always) func x(_ lane: Int) -> SIMD4<Double> {
                        SIMD4(repeating: point[row(lane)])
                    }
                    @inline(__always) func r(_ lane: Int) -> SIMD4<Double> {
                        SIMD4(repeating: right[row(lane)])
                    }
                    lanesOf.append(
                        DimensionLanes(
                            offset: d * count, x0: x(0), x1: x(1), x2: x(2), x3: x(3), r0: r(0), r1: r(1),
                            r2: r(2), r3: r(3)))
                }
            }
        }
        let continuousCount = continuous.count
        let categoricalEnd = continuousCount + categorical.count
        return lanesOf.withUnsafeBufferPointer { all in
            sumPenalties(
                UnsafeBufferPointer(rebasing: all[0..<continuousCount]),
                UnsafeBufferPointer(rebasing: all[continuousCount..<categoricalEnd]),
                UnsafeBufferPointer(rebasing: all[categoricalEnd...]), into: s)
        }
    }

    private func sumPenalties(
        _ continuous: UnsafeBufferPointer<DimensionLanes>,
        _ categorical: UnsafeBufferPointer<DimensionLanes>,
        _ discrete: UnsafeBufferPointer<DimensionLanes>, into s: UnsafeMutablePointer<Double>
    ) -> SIMD4<Double> {
        let n = count
        let rows = (s, s + stride, s + 2 * stride, s + 3 * stride)
        var top = Lanes(SIMD4(repeating: -.infinity))
        var k = 0
        while k < n {
            var a = Lanes(base.vector(at: k))
            for l in continuous {
                let m = mu.vector(at: l.offset &+ k)
                let w = scale.vector(at: l.offset &+ k)
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
                let m = mu.vector(at: l.offset &+ k)
                let w = scale.vector(at: l.offset &+ k)
                a.v0 -= w.replacing(with: 0, where: m .== l.x0)
                a.v1 -= w.replacing(with: 0, where: m .== l.x1)
                a.v2 -= w.replacing(with: 0, where: m .== l.x2)
                a.v3 -= w.replacing(with: 0, where: m .== l.x3)
            }
            for l in discrete {
                let m = mu.vector(at: l.offset &+ k)
                let w = scale.vector(at: l.offset &+ k)
                let g = slack.vector(at: l.offset &+ k)
                @inline(__always) func bound(_ x: SIMD4<Double>, _ r: SIMD4<Double>) -> SIMD4<Double> {
                    let distance = lanewiseMax(.zero, lanewiseMax(x - m, m - r))
                    let z = distance * w
                    return lanewiseMax(.zero, z * z - g)
                }
                a.v0 -= bound(l.x0, l.r0)
                a.v1 -= bound(l.x1, l.r1)
                a.v2 -= bound(l.x2, l.r2)
                a.v3 -= bound(l.x3, l.r3)
            }
            if n - k < 4 {
                // The last vector: lanes past the last kernel read padding.
                let past = SIMD4<Int64>(0, 1, 2, 3) .>= SIMD4(repeating: Int64(n - k))
                a.v0.replace(with: -.infinity, where: past)
                a.v1.replace(with: -.infinity, where: past)
                a.v2.replace(with: -.infinity, where: past)
                a.v3.replace(with: -.infinity, where: past)
            }
            rows.0.storeVector(a.v0, at: k)
            rows.1.storeVector(a.v1, at: k)
            rows.2.storeVector(a.v2, at: k)
            rows.3.storeVector(a.v3, at: k)
            top.v0 = lanewiseMax(top.v0, a.v0)
            top.v1 = lanewiseMax(top.v1, a.v1)
            top.v2 = lanewiseMax(top.v2, a.v2)
            top.v3 = lanewiseMax(top.v3, a.v3)
            k &+= 4
        }
        return SIMD4(top.v0.max(), top.v1.max(), top.v2.max(), top.v3.max())
    }

    /// Four candidates' sums for four kernels.
    private struct Lanes {
        var v0: SIMD4<Double>
        var v1: SIMD4<Double>
        var v2: SIMD4<Double>
        var v3: SIMD4<Double>

        @inline(__always)
        init(_ value: SIMD4<Double>) {
            v0 = value
            v1 = value
            v2 = value
            v3 = value
        }
    }
}

extension UnsafeMutablePointer<Double> {
    /// The four doubles at `self + k` (no alignment needed).
    @inline(__always)
    func vector(at k: Int) -> SIMD4<Double> {
        UnsafeRawPointer(self + k).loadUnaligned(as: SIMD4<Double>.self)
    }

    /// Stores four doubles at `self + k` (no alignment needed).
    @inline(__always)
    func storeVector(_ v: SIMD4<Double>, at k: Int) {
        UnsafeMutableRawPointer(self + k).storeBytes(of: v, as: SIMD4<Double>.self)
    }
}

/// The larger of each lane, ignoring NaN semantics so that it compiles to a compare and a select (the
/// standard `pointwiseMax` handles NaN lane by lane in scalar code). Inputs here are never NaN.
@inline(__always)
func lanewiseMax(_ a: SIMD4<Double>, _ b: SIMD4<Double>) -> SIMD4<Double> {
    a.replacing(with: b, where: a .< b)
}
