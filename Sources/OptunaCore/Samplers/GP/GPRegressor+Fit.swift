extension GPRegressor {
    /// The most points the hyperparameters are fitted to (see ``fit(x:y:isCategorical:minimumNoise:deterministic:start:)``).
    static let fitSubsetLimit = 128

    /// Fits the kernel hyperparameters to `x` and `y` by maximizing the log marginal likelihood plus
    /// Optuna's prior (``GPMarginalLikelihood``) with ``BoundedLBFGS`` (`pgtol` 1e-2, as Optuna's `gtol`),
    /// from `start` (all ones by default), and conditions the GP on the data.
    ///
    /// When the fit fails (the covariance cannot be factorized at the start), the GP uses the default
    /// parameters, as Optuna falls back to them. Raw (log) parameters are kept within ±30, far outside
    /// anything the prior allows, so a runaway step cannot overflow.
    /// With more than ``fitSubsetLimit`` points, the hyperparameters are fitted to an evenly spaced
    /// subset of that many (in trial order), and the GP is then conditioned on every point: each
    /// likelihood evaluation costs `O(n³)`, and tens are needed, which at 300 trials would take a few
    /// hundred milliseconds; the hyperparameters of 128 points are close to those of 300.
    /// - Returns: nil only when even the default parameters cannot be factorized (non-finite data).
    static func fit(
        x: [Double], y: [Double], isCategorical: [Bool], minimumNoise: Double = GPMarginalLikelihood.defaultMinimumNoise,
        deterministic: Bool, start: GPKernelParameters? = nil
    ) -> GPRegressor? {
        let dimension = isCategorical.count
        let defaults = GPKernelParameters.defaults(dimension: dimension)
        let n = y.count
        var fitX = x
        var fitY = y
        if n > fitSubsetLimit {
            let picks = (0..<fitSubsetLimit).map { $0 * n / fitSubsetLimit }
            fitX = picks.flatMap { x[$0 * dimension..<($0 + 1) * dimension] }
            fitY = picks.map { y[$0] }
        }
        let objective = GPMarginalLikelihood(
            x: fitX, y: fitY, isCategorical: isCategorical, minimumNoise: minimumNoise, deterministic: deterministic)
        var optimizer = BoundedLBFGS()
        optimizer.pgtol = 1e-2
        let bound = 30.0
        let lower = [Double](repeating: -bound, count: dimension + 2)
        let upper = [Double](repeating: bound, count: dimension + 2)
        for initial in [start, defaults].compactMap({ $0 }) {
            let raw = objective.raw(of: initial)
            guard let result = optimizer.minimize(start: raw, lower: lower, upper: upper, objective.lossAndGradient)
            else { continue }
            if let gp = GPRegressor(x: x, y: y, isCategorical: isCategorical, parameters: objective.parameters(of: result.x)) {
                return gp
            }
        }
        var fallback = defaults
        if deterministic { fallback.noiseVariance = minimumNoise }
        return GPRegressor(x: x, y: y, isCategorical: isCategorical, parameters: fallback)
    }
}
