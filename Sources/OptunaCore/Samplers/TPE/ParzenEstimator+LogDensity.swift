/// Reusable buffers for ``ParzenEstimator/logDensities(of:workspace:)``.
struct ParzenWorkspace {
    /// Partial log densities, one per kernel.
    var partial: [Double] = []
    /// Indices of the kernels still in play.
    var active: [Int32] = []

    /// Empty buffers; they grow on first use and are kept.
    init() {}
}

extension ParzenEstimator {
    /// Kernels whose log density is this far below another kernel's are left out of the mixture sum:
    /// each contributes less than e^-46 ≈ 1e-20 of the largest term, so even 10⁴ of them change the sum
    /// by less than its rounding error.
    static let negligibleLogGap = 46.0

    /// The log density of the mixture at each candidate.
    ///
    /// A kernel's log density is `base[k]` minus a non-negative penalty per dimension, so any partial sum
    /// bounds it from above. One cheap vectorized pass over a leading dimension ranks the kernels; the
    /// best one is evaluated exactly, which gives a lower bound on the largest term; then only kernels whose
    /// partial sum stays within ``negligibleLogGap`` of that bound are carried through the remaining
    /// dimensions. With narrow kernels (many observations) almost all kernels drop out after one or two
    /// dimensions, and costly bin masses of discrete dimensions are computed for the few survivors only.
    func logDensities(of candidates: ParzenCandidates, workspace: inout ParzenWorkspace) -> [Double] {
        let order = evaluationOrder()
        var out = [Double](repeating: -.infinity, count: candidates.count)
        if workspace.partial.count < kernelCount {
            workspace.partial = [Double](repeating: 0, count: kernelCount)
            workspace.active = [Int32](repeating: 0, count: kernelCount)
        }
        for i in 0..<candidates.count {
            out[i] = logDensity(candidates, i, order: order, workspace: &workspace)
        }
        return out
    }

    /// The dimensions in evaluation order: a continuous one first if there is one (its penalty is a
    /// cheap quadratic), then categorical, then the rest, discrete last.
    private func evaluationOrder() -> [Int] {
        func rank(_ kind: ParzenDimension.Kind) -> Int {
            switch kind {
            case .continuous: return 0
            case .categorical: return 1
            case .discrete: return 2
            }
        }
        return dimensions.indices.sorted { (rank(dimensions[$0].kind), $0) < (rank(dimensions[$1].kind), $1) }
    }

    private func logDensity(
        _ c: ParzenCandidates, _ i: Int, order: [Int], workspace: inout ParzenWorkspace
    ) -> Double {
        let kernels = kernelCount
        let dims = c.dimensionCount
        guard let lead = order.first else { return logSumExp(of: base) }
        return workspace.partial.withUnsafeMutableBufferPointer { s in
            workspace.active.withUnsafeMutableBufferPointer { active in
                leadPass(lead, c.point[i * dims + lead], c.right[i * dims + lead], into: s)
                var best = 0
                for k in 1..<kernels where s[k] > s[best] { best = k }
                guard s[best] > -.infinity else { return -.infinity }
                let threshold = exactLogDensity(kernel: best, c, i, order: order) - Self.negligibleLogGap
                var n = 0
                for k in 0..<kernels where s[k] >= threshold {
                    active[n] = Int32(k)
                    n += 1
                }
                for (position, d) in order.enumerated() {
                    let offset = d * kernels
                    let x = c.point[i * dims + d]
                    let r = c.right[i * dims + d]
                    let kind = dimensions[d].kind
                    if position == 0 && kind != .discrete { continue }
                    var kept = 0
                    for j in 0..<n {
                        let k = Int(active[j])
                        let value: Double
                        if position == 0 {
                            value = base[k] - penalty(kind, offset + k, x, r)
                        } else {
                            if kind == .discrete, s[k] - boundPenalty(offset + k, x, r) < threshold { continue }
                            value = s[k] - penalty(kind, offset + k, x, r)
                        }
                        guard value >= threshold else { continue }
                        s[k] = value
                        active[kept] = Int32(k)
                        kept += 1
                    }
                    n = kept
                }
                var top = -Double.infinity
                for j in 0..<n { top = max(top, s[Int(active[j])]) }
                var sum = 0.0
                for j in 0..<n { sum += CoreMath.exp(s[Int(active[j])] - top) }
                return top + CoreMath.log(sum)
            }
        }
    }

    /// Fills `s` with `base` minus the leading dimension's penalty (a lower bound of it when discrete).
    private func leadPass(_ d: Int, _ x: Double, _ r: Double, into s: UnsafeMutableBufferPointer<Double>) {
        let kernels = kernelCount
        let offset = d * kernels
        base.withUnsafeBufferPointer { b in
            mu.withUnsafeBufferPointer { m in
                scale.withUnsafeBufferPointer { w in
                    switch dimensions[d].kind {
                    case .continuous:
                        for k in 0..<kernels {
                            let z = (x - m[offset + k]) * w[offset + k]
                            s[k] = b[k] - z * z
                        }
                    case .categorical:
                        for k in 0..<kernels {
                            s[k] = b[k] - (m[offset + k] == x ? 0 : w[offset + k])
                        }
                    case .discrete:
                        slack.withUnsafeBufferPointer { g in
                            for k in 0..<kernels {
                                let centre = m[offset + k]
                                let distance = max(0, max(x - centre, centre - r))
                                let z = distance * w[offset + k]
                                s[k] = b[k] - max(0, z * z - g[offset + k])
                            }
                        }
                    }
                }
            }
        }
    }

    /// The exact log density of one kernel at candidate `i`, accumulated in evaluation order.
    private func exactLogDensity(kernel k: Int, _ c: ParzenCandidates, _ i: Int, order: [Int]) -> Double {
        var value = base[k]
        let dims = c.dimensionCount
        for d in order {
            let index = d * kernelCount + k
            value -= penalty(dimensions[d].kind, index, c.point[i * dims + d], c.right[i * dims + d])
        }
        return value
    }

    /// The exact penalty (peak minus log density) of one kernel in one dimension.
    @inline(__always)
    private func penalty(_ kind: ParzenDimension.Kind, _ index: Int, _ x: Double, _ r: Double) -> Double {
        switch kind {
        case .continuous:
            let z = (x - mu[index]) * scale[index]
            return z * z
        case .categorical:
            return mu[index] == x ? 0 : scale[index]
        case .discrete:
            let m = mu[index]
            let s = sigma[index]
            let binLogMass = TruncatedNormal.logMass((x - m) / s, (r - m) / s)
            return peak[index] + rangeLogMass[index] - binLogMass
        }
    }

    /// A cheap lower bound of a discrete dimension's penalty: the bin mass is at most its width times the
    /// kernel's density at the bin's nearest point.
    @inline(__always)
    private func boundPenalty(_ index: Int, _ x: Double, _ r: Double) -> Double {
        let centre = mu[index]
        let distance = max(0, max(x - centre, centre - r))
        let z = distance * scale[index]
        return max(0, z * z - slack[index])
    }

    private func logSumExp(of values: [Double]) -> Double {
        let top = values.max() ?? -.infinity
        guard top > -.infinity else { return -.infinity }
        var sum = 0.0
        for v in values { sum += CoreMath.exp(v - top) }
        return top + CoreMath.log(sum)
    }
}
