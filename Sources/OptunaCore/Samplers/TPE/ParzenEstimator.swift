/// Optuna's Parzen estimator: a weighted mixture of product kernels, one per observation plus a prior.
///
/// Kernel `k` has a mixture weight and, per dimension, a centre `mu` and a bandwidth `sigma` (numerical)
/// or an observed choice (categorical). The prior kernel comes last: centred on the range with bandwidth
/// `high - low`, uniform over choices, weighted `priorWeight` before normalization. With no observations
/// the prior is the only kernel, weighted 1.
///
/// Storage is structure-of-arrays, dimension-major (`mu[d * kernelCount + k]`), in ``ParzenBuffer``s that
/// are reused when the estimator is rebuilt, so building one per ask does not allocate once grown.
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
    let logWeights = ParzenBuffer()
    /// Cumulative normalized weights, for drawing a kernel.
    let cumulativeWeights = ParzenBuffer()
    /// Kernel centres in transformed space (categorical: the observed index, -1 for the prior).
    let mu = ParzenBuffer()
    /// Kernel bandwidths (numerical dimensions).
    let sigma = ParzenBuffer()
    /// `sqrt(1/2) / sigma` for numerical dimensions; for categorical ones, the log-probability lost when the
    /// candidate is not the kernel's choice.
    let scale = ParzenBuffer()
    /// The largest log density each kernel can reach in each dimension.
    let peak = ParzenBuffer()
    /// The log mass of the whole range under each numerical kernel.
    let rangeLogMass = ParzenBuffer()
    /// Discrete dimensions: `max(0, log(maximumBinWidth / (sigma · sqrt(2π))))`, the slack of the cheap
    /// penalty bound.
    let slack = ParzenBuffer()
    /// The log weight plus the sum of the peaks of each kernel.
    let base = ParzenBuffer()
    /// Φ(a) of each numerical kernel's standardized range `[a, b]` (NaN when unknown), for sampling.
    let lowerTail = ParzenBuffer()
    /// Φ(-b) of each numerical kernel's standardized range (NaN when unknown).
    let upperTail = ParzenBuffer()
    /// Categorical dimensions: log-probability of the observed choice under an observation kernel.
    private(set) var categoricalHit: [Double] = []
    /// Categorical dimensions: log-probability of any other choice under an observation kernel.
    private(set) var categoricalMiss: [Double] = []
    /// The parameters the estimator was built with.
    private(set) var parameters = ParzenParameters()
    /// Per dimension: whether the observation kernels' penalty terms are already set (from a
    /// ``TPEColumn`` cache), so that ``finish()`` only adds the prior's.
    var termsReady: [Bool] = []
    /// Per dimension: whether ``lowerTail`` and ``upperTail`` hold for the observation kernels (sampling
    /// computes the tails itself otherwise).
    var tailsReady: [Bool] = []
    /// What ``logWeights`` and ``cumulativeWeights`` hold weights for, if anything: they depend only on
    /// the observation count, the kind of weights and the prior weight, so an estimator rebuilt for
    /// another parameter with as many observations (independent sampling) keeps them.
    private var weightsKey: (observationCount: Int, uniform: Bool, priorWeight: Double)?

    /// An empty estimator; call ``prepare(dimensions:observationCount:parameters:)`` before use.
    init() {}

    /// Resizes the storage for `observationCount` observations plus the prior, keeping capacity.
    func prepare(dimensions: [ParzenDimension], observationCount: Int, parameters: ParzenParameters) {
        self.dimensions = dimensions
        self.observationCount = observationCount
        self.parameters = parameters
        // A new kernel count may reallocate the weight buffers.
        if kernelCount != observationCount + 1 { weightsKey = nil }
        kernelCount = observationCount + 1
        let cells = dimensions.count * kernelCount
        for buffer in [mu, sigma, scale, peak, rangeLogMass, slack, lowerTail, upperTail] { buffer.resize(cells) }
        for buffer in [logWeights, cumulativeWeights, base] { buffer.resize(kernelCount) }
        categoricalHit = [Double](repeating: 0, count: dimensions.count)
        categoricalMiss = [Double](repeating: 0, count: dimensions.count)
        termsReady = [Bool](repeating: false, count: dimensions.count)
        tailsReady = [Bool](repeating: false, count: dimensions.count)
    }

    /// Sets the mixture weights: Optuna's default weights for the observations (oldest first), or all 1
    /// with `uniform` (MOTPE's "below"), then the prior weight; normalized.
    func setWeights(uniform: Bool) {
        let m = observationCount
        if let key = weightsKey, key == (m, uniform, parameters.priorWeight) { return }
        weightsKey = (m, uniform, parameters.priorWeight)
        let logW = logWeights.pointer
        let cumulative = cumulativeWeights.pointer
        if m == 0 {
            logW[0] = 0
            cumulative[0] = 1
            return
        }
        // TPEWeighting.weight(at:count:) in closed form: a ramp over the oldest m - 25, then ones.
        let rampLength = uniform ? 0 : max(m - 25, 0)
        let start = 1 / Double(m)
        let step = rampLength > 1 ? (1 - start) / Double(rampLength - 1) : 0
        var total = 0.0
        for k in 0..<m {
            var w = 1.0
            if k < rampLength { w = rampLength == 1 ? start : (k == rampLength - 1 ? 1 : Double(k) * step + start) }
            cumulative[k] = w
            total += w
        }
        cumulative[m] = parameters.priorWeight
        total += parameters.priorWeight
        var running = 0.0
        for k in 0...m {
            let w = cumulative[k] / total
            logW[k] = w
            running += w
            cumulative[k] = running
        }
        // The ramp's weights are distinct, four logs at a time; the rest repeat one weight (and the prior's).
        var k = 0
        while k + 4 <= rampLength {
            let w = logW.vector(at: k)
            if isPositiveNormal(w) {
                logW.storeVector(mixtureLog(w), at: k)
            } else {
                for i in k..<(k + 4) { logW[i] = mixtureLog(logW[i]) }
            }
            k += 4
        }
        var lastWeight = Double.nan
        var lastLog = 0.0
        while k <= m {
            let w = logW[k]
            if w != lastWeight {
                lastWeight = w
                lastLog = mixtureLog(w)
            }
            logW[k] = lastLog
            k += 1
        }
        cumulative[m] = 1
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
        let b = base.pointer
        let logW = logWeights.pointer
        let peaks = peak.pointer
        for j in 0..<k { b[j] = logW[j] }
        for d in dimensions.indices {
            let column = peaks + d * k
            for j in 0..<k { b[j] += column[j] }
        }
    }

    private func finishCategorical(_ d: Int, _ dim: ParzenDimension) {
        let offset = d * kernelCount
        let peaks = peak.pointer + offset
        let scales = scale.pointer + offset
        let choices = Double(dim.choiceCount)
        let m = observationCount
        if m == 0 {
            peaks[0] = -CoreMath.log(choices)
            scales[0] = 0
            return
        }
        let share = parameters.priorWeight / Double(m + 1)
        let rowTotal = 1 + choices * share
        let hit = CoreMath.log((1 + share) / rowTotal)
        let miss = CoreMath.log(share / rowTotal)
        categoricalHit[d] = hit
        categoricalMiss[d] = miss
        for j in 0..<m {
            peaks[j] = hit
            scales[j] = hit - miss
        }
        // The prior's row is uniform, or all zero (log -inf) when its weight is zero; either way it does
        // not depend on the candidate.
        peaks[m] = share > 0 ? -CoreMath.log(choices) : -.infinity
        scales[m] = 0
    }

    private func finishNumerical(_ d: Int, _ dim: ParzenDimension) {
        let offset = d * kernelCount
        let logBinWidth = dim.kind == .discrete ? CoreMath.log(dim.maximumBinWidth) : 0
        let mus = mu.pointer + offset
        let sigmas = sigma.pointer + offset
        var lastSigma = Double.nan
        var lastLogSigma = 0.0
        let first = termsReady[d] ? observationCount : 0
        if first == 0 { tailsReady[d] = true }
        for j in first..<kernelCount {
            let s = sigmas[j]
            if s != lastSigma {
                lastSigma = s
                lastLogSigma = CoreMath.log(s)
            }
            let terms = Self.numericalTerms(mu: mus[j], sigma: s, logSigma: lastLogSigma, dim, logBinWidth: logBinWidth)
            setTerms(terms, at: offset + j)
        }
    }

    /// Stores one kernel's terms.
    @inline(__always)
    func setTerms(_ terms: ParzenKernelTerms, at index: Int) {
        scale.pointer[index] = terms.scale
        peak.pointer[index] = terms.peak
        rangeLogMass.pointer[index] = terms.rangeLogMass
        slack.pointer[index] = terms.slack
        lowerTail.pointer[index] = terms.lowerTail
        upperTail.pointer[index] = terms.upperTail
    }

    /// The penalty terms of a numerical kernel with centre `mu` and bandwidth `sigma` on `dim`.
    @inline(__always)
    static func numericalTerms(
        mu: Double, sigma: Double, logSigma: Double, _ dim: ParzenDimension, logBinWidth: Double
    ) -> ParzenKernelTerms {
        let mass = kernelMass((dim.low - mu) / sigma, (dim.high - mu) / sigma)
        let scale = TruncatedNormal.inverseSqrtTwo / sigma
        var terms = ParzenKernelTerms(
            scale: scale, peak: -TruncatedNormal.logSqrtTwoPi - logSigma - mass.log, rangeLogMass: mass.log, slack: 0,
            lowerTail: mass.lowerTail, upperTail: mass.upperTail)
        if dim.kind == .discrete {
            let g = logBinWidth - logSigma - TruncatedNormal.logSqrtTwoPi
            terms.peak = min(0, g) - mass.log
            terms.slack = max(0, g)
        }
        return terms
    }

    /// `TruncatedNormal.logMass(a, b)` for a kernel's own range, skipping tail terms that cannot change the
    /// result (Φ(x) for x < -38.5 is below the smallest double); for a kernel centred inside its range
    /// (`a <= 0 <= b`) also the tail masses Φ(a) and Φ(-b), else NaN.
    @inline(__always)
    static func kernelMass(_ a: Double, _ b: Double) -> (log: Double, lowerTail: Double, upperTail: Double) {
        guard a <= 0, b >= 0 else { return (TruncatedNormal.logMass(a, b), .nan, .nan) }
        let lower = a < -38.5 ? 0 : TruncatedNormal.cdf(a)
        let upper = b > 38.5 ? 0 : TruncatedNormal.cdf(-b)
        return (CoreMath.log1p(-lower - upper), lower, upper)
    }

    /// The log mass of a kernel's own range (see ``kernelMass(_:_:)``).
    static func kernelLogMass(_ a: Double, _ b: Double) -> Double { kernelMass(a, b).log }
}

/// The penalty terms of one numerical kernel in one dimension (see ``ParzenEstimator``).
struct ParzenKernelTerms {
    /// `sqrt(1/2) / sigma`.
    var scale: Double
    /// The largest log density the kernel reaches.
    var peak: Double
    /// The log mass of the range under the kernel.
    var rangeLogMass: Double
    /// The slack of the discrete penalty bound (0 for continuous dimensions).
    var slack: Double
    /// Φ(a) for a kernel centred inside its range, NaN otherwise (used when sampling).
    var lowerTail: Double
    /// Φ(-b) for a kernel centred inside its range, NaN otherwise.
    var upperTail: Double
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
