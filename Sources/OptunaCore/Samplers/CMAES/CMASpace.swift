/// The unit cube CMA-ES works in: each numerical parameter transformed as Optuna's
/// `_SearchSpaceTransform(transform_0_1=True)` (log scale for log parameters; with `transform_step`, integer
/// and stepped ranges widened by half a step on each side, as without margin).
struct CMASpace {
    let names: [String]
    let distributions: [Distribution]
    let lower: [Double]
    let upper: [Double]

    init(_ space: SearchSpace, transformStep: Bool) {
        names = space.keys.sorted()
        distributions = names.compactMap { space[$0] }
        var lower: [Double] = []
        var upper: [Double] = []
        for d in distributions {
            let (lo, hi) = Self.bounds(d, transformStep: transformStep)
            lower.append(lo)
            upper.append(hi)
        }
        self.lower = lower
        self.upper = upper
    }

    static func bounds(_ d: Distribution, transformStep: Bool) -> (Double, Double) {
        if transformStep { let t = ParamTransform(d); return (t.lower, t.upper) }
        switch d {
        case .float(let f): return f.log ? (CoreMath.log(f.low), CoreMath.log(f.high)) : (f.low, f.high)
        case .int(let i):
            return i.log ? (CoreMath.log(Double(i.low)), CoreMath.log(Double(i.high))) : (Double(i.low), Double(i.high))
        case .categorical(let c): return (0, Double(c.choices.count))
        }
    }

    /// The grid step of each coordinate in the unit cube for the margin variant (0 for continuous ones),
    /// as Optuna passes `steps` to `CMAwM`.
    var marginSteps: [Double] {
        distributions.map { d in
            switch d {
            case .float(let f):
                guard let step = f.step, !f.log else { return 0 }
                return f.low == f.high ? 1 : step / (f.high - f.low)
            case .int(let i):
                guard !i.log else { return 0 }
                return i.low == i.high ? 1 : Double(i.step) / Double(i.high - i.low)
            case .categorical: return 0
            }
        }
    }

    /// A transformed coordinate (log scale where the distribution is logarithmic) of the unit-cube value.
    func fromUnit(_ u: Double, at i: Int) -> Double { lower[i] + u * (upper[i] - lower[i]) }

    /// The unit-cube coordinate of an internal value of coordinate `i`.
    func unit(of value: Double, at i: Int) -> Double {
        let t = ParamTransform(distributions[i]).transform(value)
        return upper[i] == lower[i] ? 0.5 : (t - lower[i]) / (upper[i] - lower[i])
    }

    /// The unit-cube point of a trial's parameters, or nil when one is missing.
    func toUnit(_ params: [String: Double]) -> [Double]? {
        var out: [Double] = []
        for (i, name) in names.enumerated() {
            guard let v = params[name] else { return nil }
            out.append(unit(of: v, at: i))
        }
        return out
    }
}
