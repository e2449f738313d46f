/// Optuna's bandwidth rule for the numerical kernels of a Parzen estimator.
///
/// Each observation's bandwidth is the larger gap to its neighbours in sorted order, the range ends
/// counting as neighbours. Without `considerEndpoints` (the default) the outermost observations use the
/// gap to their one inner neighbour instead, once there are two or more. Bandwidths are then clipped to
/// `[minimum, high - low]`, where the "magic clip" minimum is `(high - low) / min(100, m + 2)` for `m`
/// observations (`m + 1` kernels with the prior), and `1e-12` without it.
///
/// The prior kernel is not included: it is centred on the range with bandwidth `high - low`.
enum ParzenBandwidth {
    /// The smallest bandwidth when the magic clip is off.
    static let epsilon = 1e-12

    /// The lower clip for `observationCount` observations on a range of width `width`.
    @inline(__always)
    static func minimum(width: Double, observationCount: Int, magicClip: Bool) -> Double {
        guard magicClip else { return epsilon }
        return width / min(100.0, 1.0 + Double(observationCount + 1))
    }

    /// Writes into `bandwidths` the bandwidth of each value of `sorted` (ascending), in the same order.
    ///
    /// - Parameters:
    ///   - sorted: the observations in transformed space, ascending.
    ///   - low: the lower end of the range in transformed space.
    ///   - high: the upper end of the range in transformed space.
    ///   - considerEndpoints: Optuna's `consider_endpoints`.
    ///   - magicClip: Optuna's `consider_magic_clip`.
    ///   - bandwidths: a buffer as long as `sorted`.
    static func compute(
        sorted: UnsafeBufferPointer<Double>, low: Double, high: Double, considerEndpoints: Bool, magicClip: Bool,
        into bandwidths: UnsafeMutableBufferPointer<Double>
    ) {
        let m = sorted.count
        guard m > 0 else { return }
        let maximum = high - low
        let minimum = minimum(width: maximum, observationCount: m, magicClip: magicClip)
        var previous = low
        for i in 0..<m {
            let current = sorted[i]
            let next = i + 1 < m ? sorted[i + 1] : high
            bandwidths[i] = max(current - previous, next - current)
            previous = current
        }
        if !considerEndpoints, m >= 2 {
            bandwidths[0] = sorted[1] - sorted[0]
            bandwidths[m - 1] = sorted[m - 1] - sorted[m - 2]
        }
        for i in 0..<m {
            bandwidths[i] = min(max(bandwidths[i], minimum), maximum)
        }
    }

    /// The bandwidths of `sorted` (ascending), in the same order.
    static func compute(sorted: [Double], low: Double, high: Double, considerEndpoints: Bool, magicClip: Bool)
        -> [Double]
    {
        var out = [Double](repeating: 0, count: sorted.count)
        sorted.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { o in
                compute(
                    sorted: s, low: low, high: high, considerEndpoints: considerEndpoints, magicClip: magicClip,
                    into: o)
            }
        }
        return out
    }
}
