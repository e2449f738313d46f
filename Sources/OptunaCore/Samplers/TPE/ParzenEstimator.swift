/// Optuna's Parzen estimator: a weighted mixture of product kernels, one per observation plus a prior.
///
/// Kernel `k` has a mixture weight and, per dimension, a centre `mu` and a bandwidth `sigma` (numerical)
/// or an observed choice (categorical). The prior kernel comes last: centred on the range with bandwidth
/// `high - low`, uniform over choices, weighted `priorWeight` before normalization. With no observations
/// the prior is the only kernel, weighted 1.
///
/// Storage is structure-of-arrays, dimension-major (`mu[d * kernelCount + k]`), and is reused when the
/// estimator is rebuilt, so building one per ask does not allocate once capacity has grown.
///
/// For the pruned log-density evaluation, each kernel's log density is written as
/// `base[k] - Σ_d penalty_d(k, x)` with every penalty `>= 0`: `base[k]` is the log weight plus each
/// dimension's largest possible log density (``peak``), so partial sums bound the total from above.
final class ParzenEstimator {
    /// The estimator's dimensions.
    private(set) var dimensions: [ParzenDimension] = []
    /// The number of kernels (observations + 1).
    private(set) var kernelCount = 0
    /// The number of observation kernels (the prior is kernel `observationCount`).
    private(set) var observationCount = 0
    /// The normalized log mixture weights.
    var logWeights: [Double] = []
    /// Cumulative normalized weights, for drawing a kernel.
    var cumulativeWeights: [Double] = []
    /// Kernel centres in transformed space (categorical: the observed index, -1 for the prior).
    var mu: [Double] = []
    /// Kernel bandwidths (numerical dimensions).
    var sigma: [Double] = []
    /// `sqrt(1/2) / sigma` for numerical dimensions; for categorical ones, the log-probability lost when the
    /// candidate is not the kernel's choice.
    var scale: [Double] = []
    /// The largest log density each kernel can reach in each dimension.
    var peak: [Double] = []
    /// Discrete dimensions: the log mass of the whole range under the kernel.
    var rangeLogMass: [Double] = []
    /// Discrete dimensions: `max(0, log(maximumBinWidth / (sigma · sqrt(2π))))`, the slack of the cheap
    /// penalty bound.
    var slack: [Double] = []
    /// The log weight plus the sum of the peaks of each kernel.
    var base: [Double] = []
    /// Categorical dimensions: log-probability of the observed choice under an observation kernel.
    var categoricalHit: [Double] = []
    /// Categorical dimensions: log-probability of any other choice under an observation kernel.
    var categoricalMiss: [Double] = []
    /// The parameters the estimator was built with.
    private(set) var parameters = ParzenParameters()

    /// An empty estimator; call ``prepare(dimensions:observationCount:parameters:)`` before use.
    init() {}

    /// Resizes the storage for `observationCount` observations plus the prior, keeping capacity.
    func prepare(dimensions: [ParzenDimension], observationCount: Int, parameters: ParzenParameters) {
        self.dimensions = dimensions
        self.observationCount = observationCount
        self.parameters = parameters
        kernelCount = observationCount + 1
        let cells = dimensions.count * kernelCount
        Self.resize(&mu, cells)
        Self.resize(&sigma, cells)
        Self.resize(&scale, cells)
        Self.resize(&peak, cells)
        Self.resize(&rangeLogMass, cells)
        Self.resize(&slack, cells)
        Self.resize(&logWeights, kernelCount)
        Self.resize(&cumulativeWeights, kernelCount)
        Self.resize(&base, kernelCount)
        Self.resize(&categoricalHit, dimensions.count)
        Self.resize(&categoricalMiss, dimensions.count)
    }

    private static func resize(_ array: inout [Double], _ count: Int) {
        array.removeAll(keepingCapacity: true)
        array.append(contentsOf: repeatElement(0, count: count))
    }

    /// Sets the mixture weights from the observation weights (oldest first) and the prior weight.
    ///
    /// - Parameter weight: the unnormalized weight of observation kernel `k`.
    func setWeights(_ weight: (Int) -> Double) {
        let m = observationCount
        if m == 0 {
            logWeights[0] = 0
            cumulativeWeights[0] = 1
            return
        }
        var total = 0.0
        for k in 0..<m {
            let w = weight(k)
            cumulativeWeights[k] = w
            total += w
        }
        cumulativeWeights[m] = parameters.priorWeight
        total += parameters.priorWeight
        var running = 0.0
        for k in 0...m {
            let w = cumulativeWeights[k] / total
            logWeights[k] = CoreMath.log(w)
            running += w
            cumulativeWeights[k] = running
        }
        cumulativeWeights[m] = 1
    }

    /// Completes the estimator once `mu` (and `sigma` for numerical dimensions) of the observation kernels
    /// are set: adds the prior kernel and derives the penalty terms.
    func finish() {
        let k = kernelCount
        let prior = observationCount
        for d in dimensions.indices {
            let dim = dimensions[d]
            let offset = d * k
            switch dim.kind {
            case .categorical:
                mu[offset + prior] = -1
                finishCategorical(d, dim)
            case .continuous, .discrete:
                mu[offset + prior] = 0.5 * (dim.low + dim.high)
                sigma[offset + prior] = dim.high - dim.low
                finishNumerical(d, dim)
            }
        }
        for j in 0..<k { base[j] = logWeights[j] }
        for d in dimensions.indices {
            let offset = d * k
            for j in 0..<k { base[j] += peak[offset + j] }
        }
    }

    private func finishCategorical(_ d: Int, _ dim: ParzenDimension) {
        let k = kernelCount
        let offset = d * k
        let choices = Double(dim.choiceCount)
        let m = observationCount
        if m == 0 {
            peak[offset] = -CoreMath.log(choices)
            scale[offset] = 0
            return
        }
        let share = parameters.priorWeight / Double(m + 1)
        let rowTotal = 1 + choices * share
        let hit = CoreMath.log((1 + share) / rowTotal)
        let miss = CoreMath.log(share / rowTotal)
        categoricalHit[d] = hit
        categoricalMiss[d] = miss
        for j in 0..<m {
            peak[offset + j] = hit
            scale[offset + j] = hit - miss
        }
        // The prior's row is uniform, or all zero (log -inf) when its weight is zero; either way it does
        // not depend on the candidate.
        peak[offset + m] = share > 0 ? -CoreMath.log(choices) : -.infinity
        scale[offset + m] = 0
    }

    private func finishNumerical(_ d: Int, _ dim: ParzenDimension) {
        let k = kernelCount
        let offset = d * k
        let low = dim.low
        let high = dim.high
        let discrete = dim.kind == .discrete
        let logBinWidth = discrete ? CoreMath.log(dim.maximumBinWidth) : 0
        var lastSigma = Double.nan
        var lastLogSigma = 0.0
        for j in 0..<k {
            let m = mu[offset + j]
            let s = sigma[offset + j]
            if s != lastSigma {
                lastSigma = s
                lastLogSigma = CoreMath.log(s)
            }
            scale[offset + j] = TruncatedNormal.inverseSqrtTwo / s
            let logMass = Self.kernelLogMass((low - m) / s, (high - m) / s)
            if discrete {
                let g = logBinWidth - lastLogSigma - TruncatedNormal.logSqrtTwoPi
                rangeLogMass[offset + j] = logMass
                slack[offset + j] = max(0, g)
                peak[offset + j] = min(0, g) - logMass
            } else {
                peak[offset + j] = -TruncatedNormal.logSqrtTwoPi - lastLogSigma - logMass
            }
        }
    }

    /// `TruncatedNormal.logMass(a, b)` for a kernel's own range, skipping tail terms that cannot change the
    /// result: Φ(x) for x < -38.5 is below the smallest double.
    @inline(__always)
    static func kernelLogMass(_ a: Double, _ b: Double) -> Double {
        guard a <= 0, b >= 0 else { return TruncatedNormal.logMass(a, b) }
        let lower = a < -38.5 ? 0 : TruncatedNormal.cdf(a)
        let upper = b > 38.5 ? 0 : TruncatedNormal.cdf(-b)
        return CoreMath.log1p(-lower - upper)
    }
}

/// The options of a Parzen estimator (Optuna's `_ParzenEstimatorParameters`).
struct ParzenParameters: Sendable, Hashable {
    /// The prior kernel's weight before normalization.
    var priorWeight: Double = 1
    /// Whether bandwidths are clipped below at `range / min(100, m + 2)`.
    var considerMagicClip: Bool = true
    /// Whether the outermost observations may use their gap to the range ends.
    var considerEndpoints: Bool = false
}
