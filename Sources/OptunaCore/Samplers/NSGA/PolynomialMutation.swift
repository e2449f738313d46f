/// Deb's polynomial mutation of one parameter in the transformed space (Optuna's `PolynomialMutation`).
public struct PolynomialMutation: Sendable, Hashable {
    /// The distribution index: larger values keep the mutant closer to the original.
    public let eta: Double

    /// Creates the mutation; Optuna's default `eta` is 20.
    public init(eta: Double = 20) { self.eta = eta }

    /// The mutant of `value` within `[lower, upper]` (not clipped; the caller clips).
    public func mutate(_ value: Double, lower: Double, upper: Double, using rng: inout SeededGenerator) -> Double {
        let u = rng.nextUnit()
        let width = upper - lower
        guard width > 0 else { return value }
        let power = 1 / (eta + 1)
        let deltaQ: Double
        if u <= 0.5 {
            let xy = 1 - (value - lower) / width
            let v = 2 * u + (1 - 2 * u) * CoreMath.pow(xy, eta + 1)
            deltaQ = CoreMath.pow(v, power) - 1
        } else {
            let xy = 1 - (upper - value) / width
            let v = 2 * (1 - u) + 2 * (u - 0.5) * CoreMath.pow(xy, eta + 1)
            deltaQ = 1 - CoreMath.pow(v, power)
        }
        return value + deltaQ * width
    }
}
