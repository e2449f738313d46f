/// The Matérn kernel with smoothness 5/2 as a function of the scaled squared distance `d²`.
///
/// `k(d²) = (1 + √(5d²) + 5d²/3) · exp(-√(5d²))`, with `k(0) = 1`. Its derivative with respect to `d²`,
/// `-5/6 · (1 + √(5d²)) · exp(-√(5d²))`, is finite at `d² = 0`, which is why gradients are taken with
/// respect to `d²` rather than `d`.
enum Matern52 {
    /// The kernel value at squared distance `d2`.
    @inline(__always)
    static func value(_ d2: Double) -> Double {
        let r = (5 * d2).squareRoot()
        return CoreMath.exp(-r) * ((5.0 / 3.0) * d2 + r + 1)
    }

    /// The kernel value and its derivative with respect to `d2`.
    @inline(__always)
    static func valueAndDerivative(_ d2: Double) -> (value: Double, derivative: Double) {
        let r = (5 * d2).squareRoot()
        let e = CoreMath.exp(-r)
        return (e * ((5.0 / 3.0) * d2 + r + 1), (-5.0 / 6.0) * (r + 1) * e)
    }
}
