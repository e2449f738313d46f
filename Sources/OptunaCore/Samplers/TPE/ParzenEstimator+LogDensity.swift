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
    /// kernels for a batch of candidates (four kernels per SIMD register). Discrete dimensions first
    /// contribute a cheap lower bound of their penalty, so the sums bound the log densities from above;
    /// exact bin masses are then computed only for kernels whose bound comes within ``negligibleLogGap``
    /// of the best exact value. Terms more than that gap below the largest are not summed.
    func logDensities(of candidates: ParzenCandidates, workspace: inout ParzenWorkspace) -> [Double] {
        withExtendedLifetime(self) {
            let table = ParzenKernelTable(self)
            let batch = Self.batchSize
            var out = [Double](repeating: -.infinity, count: candidates.count)
            // Rows are `table.stride` apart; the last row's vector loads may read a few values past it.
            let cells = batch * table.stride + ParzenBuffer.padding
            if workspace.partial.count < cells {
                workspace.partial = [Double](repeating: 0, count: cells)
            }
            if workspace.active.count < kernelCount {
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
                                candidates, start + lane, partial: s + lane * table.stride, top: tops[lane],
                                active: active)
                        }
                    }
                }
            }
            return out
        }
    }
}
