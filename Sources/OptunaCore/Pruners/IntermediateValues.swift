/// Small computations over reported intermediate values that several pruners share.
///
/// NaN handling follows NumPy's `nanmin`/`nanmax` and `nanpercentile`, which Optuna's pruners use:
/// NaNs are skipped, and a result over nothing but NaNs is NaN.
enum IntermediateValues {
    /// The trial's reported values ordered by step.
    static func ordered(_ values: [Int: Double]) -> [(step: Int, value: Double)] {
        values.sorted { $0.key < $1.key }.map { (step: $0.key, value: $0.value) }
    }

    /// The smallest (minimize) or largest (maximize) non-NaN value; NaN when every value is NaN.
    static func best(_ values: some Sequence<Double>, direction: StudyDirection) -> Double {
        var best = Double.nan
        for v in values where !v.isNaN {
            if best.isNaN || direction.isBetter(v, than: best) { best = v }
        }
        return best
    }

    /// Whether `step` is the first report at or after the latest pruning check point.
    ///
    /// Check points are `nWarmupSteps`, `nWarmupSteps + intervalSteps`, …; a check that found no report
    /// waits for the next one, so the question is whether any earlier report already reached the
    /// check point at or below `step` (Optuna's `_is_first_in_interval_step`).
    /// - Precondition: `step >= nWarmupSteps` and `intervalSteps >= 1`.
    static func isFirstInInterval(
        step: Int, steps: some Sequence<Int>, nWarmupSteps: Int, intervalSteps: Int
    ) -> Bool {
        let checkPoint = floorDivide(step - nWarmupSteps, intervalSteps) * intervalSteps + nWarmupSteps
        var secondLast = -1
        for s in steps where s != step && s > secondLast { secondLast = s }
        return secondLast < checkPoint
    }

    /// `a // b` as Python computes it (rounding toward negative infinity), for `b > 0`.
    static func floorDivide(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// The `percentile`-th percentile of the non-NaN values with linear interpolation, computed the
    /// way NumPy's `nanpercentile` does (so an interpolation touching an infinity can give NaN).
    ///
    /// - Returns: NaN when no value is left once NaNs are dropped.
    static func percentile(_ values: some Sequence<Double>, _ percentile: Double) -> Double {
        let sorted = values.filter { !$0.isNaN }.sorted()
        guard let last = sorted.last else { return .nan }
        let q = percentile / 100
        let virtualIndex = Double(sorted.count - 1) * q
        let lower: Double
        let upper: Double
        let gamma: Double
        if virtualIndex >= Double(sorted.count - 1) {
            // NumPy points both neighbours at the last element and measures the weight from index -1.
            lower = last
            upper = last
            gamma = virtualIndex + 1
        } else {
            let floorIndex = virtualIndex.rounded(.down)
            let i = Int(floorIndex)
            lower = sorted[i]
            upper = sorted[i + 1]
            gamma = virtualIndex - floorIndex
        }
        return lerp(lower, upper, gamma)
    }

    /// NumPy's `_lerp`: `a + (b - a) * t`, or `b - (b - a) * (1 - t)` once `t >= 0.5`.
    private static func lerp(_ a: Double, _ b: Double, _ t: Double) -> Double {
        let diff = b - a
        return t >= 0.5 ? b - diff * (1 - t) : a + diff * t
    }
}
