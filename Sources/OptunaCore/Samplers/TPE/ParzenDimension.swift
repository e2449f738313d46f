/// One parameter of a Parzen estimator: how its values are transformed, bounded and kernelled.
///
/// Numerical parameters live in the transformed space of ``ParamTransform`` (log for log ranges; integer
/// and stepped ranges widened by half a step each side). Continuous ones get truncated normal kernels;
/// integer and stepped ones the same kernels integrated over each value's bin (`value ± step/2`, in log
/// space for log integers). Categorical parameters get one probability vector per kernel.
struct ParzenDimension: Sendable {
    /// How a parameter is kernelled.
    enum Kind: Sendable {
        /// A float range without a step: truncated normal density.
        case continuous
        /// An integer or stepped float range: truncated normal mass of each value's bin.
        case discrete
        /// A categorical parameter: a probability per choice.
        case categorical
    }

    /// The parameter's distribution.
    let distribution: Distribution
    /// The transform between internal values and the estimator's space.
    let transform: ParamTransform
    /// How the parameter is kernelled.
    let kind: Kind
    /// The lower end of the range in transformed space (0 for categorical).
    let low: Double
    /// The upper end of the range in transformed space (the number of choices for categorical).
    let high: Double
    /// Whether the transformed space is logarithmic.
    let isLog: Bool
    /// The grid step of a discrete parameter (0 otherwise).
    let step: Double
    /// The number of choices of a categorical parameter (0 otherwise).
    let choiceCount: Int
    /// An upper bound on the width of any value's bin in transformed space (discrete parameters).
    let maximumBinWidth: Double

    /// The dimension for `distribution`.
    init(_ distribution: Distribution) {
        self.distribution = distribution
        transform = ParamTransform(distribution)
        low = transform.lower
        high = transform.upper
        switch distribution {
        case .float(let d):
            isLog = d.log
            choiceCount = 0
            if let s = d.step {
                kind = .discrete
                step = s
                maximumBinWidth = s
            } else {
                kind = .continuous
                step = 0
                maximumBinWidth = 0
            }
        case .int(let d):
            kind = .discrete
            isLog = d.log
            step = Double(d.step)
            choiceCount = 0
            if d.log {
                // Bins shrink in log space as values grow, so the lowest value's bin is the widest;
                // the slack keeps the bound safe against rounding.
                let lowValue = Double(d.low)
                let width = CoreMath.log(lowValue + 0.5) - CoreMath.log(lowValue - 0.5)
                maximumBinWidth = width * (1 + 1e-9)
            } else {
                maximumBinWidth = Double(d.step)
            }
        case .categorical(let d):
            kind = .categorical
            isLog = false
            step = 0
            choiceCount = d.choices.count
            maximumBinWidth = 0
        }
    }

    /// The estimator-space value of an internal value (its bin centre for discrete parameters).
    @inline(__always)
    func transformed(_ value: Double) -> Double {
        isLog ? CoreMath.log(value) : value
    }

    /// The bin of a discrete internal value, in transformed space.
    @inline(__always)
    func bin(of value: Double) -> (left: Double, right: Double) {
        let half = 0.5 * step
        if isLog { return (CoreMath.log(value - half), CoreMath.log(value + half)) }
        return (value - half, value + half)
    }
}
