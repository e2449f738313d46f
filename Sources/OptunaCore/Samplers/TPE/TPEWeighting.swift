/// Optuna's default `gamma` and `weights` functions for TPE.
///
/// `gamma(n)` is the number of the `n` finished trials that form the "below" (good) density; `weights(m)`
/// gives the `m` observations of a density, oldest first, their mixture weights before the prior is
/// appended. The arithmetic follows Optuna's in double precision (`ceil(0.1 * n)` of a rounded product),
/// so the split sizes match it exactly.
enum TPEWeighting {
    /// `min(ceil(0.1 n), 25)` for one objective, `ceil(0.1 n)` for several.
    static func gamma(_ n: Int, multiObjective: Bool) -> Int {
        let tenth = Int((0.1 * Double(n)).rounded(.up))
        return multiObjective ? tenth : min(tenth, 25)
    }

    /// The weight of observation `index` (0 = oldest) among `count`: a linear ramp from `1/count` up to
    /// 1 over all but the newest 25, then 1 — NumPy's `linspace(1/count, 1, count - 25)` followed by ones.
    @inline(__always)
    static func weight(at index: Int, count: Int) -> Double {
        let rampLength = count - 25
        guard rampLength > 0, index < rampLength else { return 1 }
        let start = 1 / Double(count)
        if rampLength == 1 { return start }
        if index == rampLength - 1 { return 1 }
        let step = (1 - start) / Double(rampLength - 1)
        return Double(index) * step + start
    }

    /// The weights of `count` observations, oldest first.
    static func weights(_ count: Int) -> [Double] {
        (0..<count).map { weight(at: $0, count: count) }
    }
}
