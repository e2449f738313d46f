/// Points at which Parzen estimators are evaluated: internal values plus their estimator-space forms.
///
/// Rows are candidates, columns the estimator's dimensions (row-major). For a continuous dimension
/// `point` is the transformed value; for a categorical one the choice index; for a discrete one `point`
/// and `right` are the ends of the value's bin in transformed space.
struct ParzenCandidates {
    /// The number of candidates.
    private(set) var count: Int
    /// The number of dimensions.
    let dimensionCount: Int
    /// Internal values (what the sampler returns).
    var values: [Double]
    /// Transformed values, choice indices or left bin ends.
    var point: [Double]
    /// Right bin ends of discrete dimensions.
    var right: [Double]

    /// Room for `capacity` candidates of `dimensionCount` dimensions.
    init(dimensionCount: Int, capacity: Int) {
        count = 0
        self.dimensionCount = dimensionCount
        values = []
        point = []
        right = []
        values.reserveCapacity(capacity * dimensionCount)
        point.reserveCapacity(capacity * dimensionCount)
        right.reserveCapacity(capacity * dimensionCount)
    }

    /// Appends one candidate given its internal values, one per dimension.
    mutating func append(_ row: [Double], dimensions: [ParzenDimension]) {
        for (d, value) in row.enumerated() {
            let dim = dimensions[d]
            values.append(value)
            switch dim.kind {
            case .continuous:
                point.append(dim.transformed(value))
                right.append(0)
            case .categorical:
                point.append(value)
                right.append(0)
            case .discrete:
                let bin = dim.bin(of: value)
                point.append(bin.left)
                right.append(bin.right)
            }
        }
        count += 1
    }

    /// The internal values of candidate `i`.
    func row(_ i: Int) -> ArraySlice<Double> {
        values[(i * dimensionCount)..<((i + 1) * dimensionCount)]
    }
}

extension ParzenEstimator {
    /// Draws `count` candidates: a kernel by weight, then each dimension from that kernel.
    ///
    /// Numerical values are drawn from the kernel's truncated normal by inversion, mapped back to the
    /// distribution (exponentiated, rounded to the grid, clipped); categorical ones from the kernel's
    /// probability vector. Every candidate lies in its distributions.
    func sample(count: Int, using rng: inout SeededGenerator) -> ParzenCandidates {
        var out = ParzenCandidates(dimensionCount: dimensions.count, capacity: count)
        var row = [Double](repeating: 0, count: dimensions.count)
        for _ in 0..<count {
            let kernel = drawKernel(rng.nextUnit())
            for d in dimensions.indices {
                row[d] = draw(dimension: d, kernel: kernel, using: &rng)
            }
            out.append(row, dimensions: dimensions)
        }
        return out
    }

    private func drawKernel(_ u: Double) -> Int {
        var lo = 0
        var hi = kernelCount - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulativeWeights[mid] > u { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    private func draw(dimension d: Int, kernel k: Int, using rng: inout SeededGenerator) -> Double {
        let dim = dimensions[d]
        let index = d * kernelCount + k
        let u = rng.nextUnit()
        switch dim.kind {
        case .categorical:
            return drawChoice(u, dimension: d, observed: mu[index], isPrior: k == observationCount)
        case .continuous, .discrete:
            let m = mu[index]
            let s = sigma[index]
            let z = TruncatedNormal.quantile(
                u, a: (dim.low - m) / s, b: (dim.high - m) / s,
                lowerTail: tailsReady[d] || k == observationCount ? lowerTail[index] : .nan,
                upperTail: tailsReady[d] || k == observationCount ? upperTail[index] : .nan
            )
            let value = dim.transform.untransform(m + s * z)
            return value
        }
    }

    private func drawChoice(_ u: Double, dimension d: Int, observed: Double, isPrior: Bool) -> Double {
        let choices = dimensions[d].choiceCount
        let uniform = observationCount == 0 || isPrior
        let miss = uniform ? 1 / Double(choices) : CoreMath.exp(categoricalMiss[d])
        let hit = uniform ? miss : CoreMath.exp(categoricalHit[d])
        var cumulative = 0.0
        for c in 0..<(choices - 1) {
            cumulative += Double(c) == observed ? hit : miss
            if cumulative > u { return Double(c) }
        }
        return Double(choices - 1)
    }
}
