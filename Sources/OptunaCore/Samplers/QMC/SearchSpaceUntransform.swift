/// Maps a value of the transformed space back to a distribution exactly as Optuna's
/// `_SearchSpaceTransform.untransform` does.
///
/// It differs from ``ParamTransform/untransform(_:)`` only for linear integer ranges, which Optuna rounds
/// half up (`floor(k + 0.5)`) rather than half to even; quasi-random points hit those ties exactly.
enum SearchSpaceUntransform {
    /// The internal value of transformed value `t`.
    static func value(_ t: Double, _ d: Distribution) -> Double {
        if case .int(let i) = d, !i.log {
            let step = Double(i.step)
            let k = ((t - Double(i.low)) / step + 0.5).rounded(.down)
            return min(max(k * step + Double(i.low), Double(i.low)), Double(i.high))
        }
        return ParamTransform(d).untransform(t)
    }
}
