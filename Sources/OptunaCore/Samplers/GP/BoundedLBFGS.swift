/// Minimizes a smooth function under box bounds with a projected limited-memory BFGS method
/// (an L-BFGS-B variant), with SciPy's `fmin_l_bfgs_b` options and stopping rules.
///
/// Each iteration:
/// 1. stops when the projected gradient's largest entry is at most ``pgtol``;
/// 2. fixes the variables held at a bound by the gradient (the active set) and takes the L-BFGS
///    direction (two-loop recursion, the last ``memory`` pairs, initial scaling `sᵀy/yᵀy`) on the others,
///    falling back to steepest descent when that is not a descent direction;
/// 3. searches along the projected path `P(x + t·d)` with backtracking (safeguarded quadratic
///    interpolation) until the Armijo condition `f(x_t) ≤ f(x) + 1e-4·gᵀ(x_t - x)` holds, starting from
///    `t = 1` (or `1/‖d‖` when there is no curvature information yet);
/// 4. keeps the pair `(s, y)` only when `sᵀy > ε·yᵀy`, so the implicit Hessian stays positive definite;
/// 5. stops when the relative reduction `(f_k - f_{k+1}) / max(|f_k|, |f_{k+1}|, 1)` is at most
///    ``factr`` times the machine epsilon.
///
/// A failed evaluation (nil, or a non-finite value) counts as a rejected step, so the search backs off
/// from regions where the function is undefined.
struct BoundedLBFGS {
    /// The number of correction pairs kept (`m`).
    var memory = 10
    /// The relative-reduction tolerance, in units of machine epsilon (`factr`).
    var factr = 1e7
    /// The projected-gradient tolerance (`pgtol`).
    var pgtol = 1e-5
    /// The most iterations (`maxiter`).
    var maxIterations = 15000
    /// The most function evaluations (`maxfun`).
    var maxEvaluations = 15000
    /// The most evaluations in one line search (`maxls`).
    var maxLineSearch = 20

    /// The outcome of a minimization.
    struct Result {
        /// The best point found.
        var x: [Double]
        /// The function value there.
        var value: Double
        /// The number of iterations done (accepted steps).
        var iterations: Int
        /// The number of function evaluations.
        var evaluations: Int
        /// Whether a convergence test (rather than a limit or a failed line search) ended the run.
        var converged: Bool
    }

    /// Minimizes `function` from `start`, within `lower…upper` (per coordinate, infinite bounds allowed).
    ///
    /// - Parameter function: the value and gradient at a point, or nil when undefined there.
    /// - Returns: nil when `function` is undefined at the (clipped) start.
    func minimize(
        start: [Double], lower: [Double], upper: [Double], _ function: ([Double]) -> (Double, [Double])?
    ) -> Result? {
        let n = start.count
        var x = (0..<n).map { min(max(start[$0], lower[$0]), upper[$0]) }
        guard let (f0, g0) = function(x), f0.isFinite else { return nil }
        var f = f0
        var g = g0
        var evaluations = 1
        var iterations = 0
        var sHistory: [[Double]] = []
        var yHistory: [[Double]] = []
        var rhoHistory: [Double] = []
        var converged = false
        while true {
            if projectedGradientNorm(x, g, lower, upper) <= pgtol {
                converged = true
                break
            }
            if iterations >= maxIterations || evaluations >= maxEvaluations { break }
            var free = [Bool](repeating: true, count: n)
            for i in 0..<n where (x[i] <= lower[i] && g[i] > 0) || (x[i] >= upper[i] && g[i] < 0) { free[i] = false }
            var d = direction(g, free: free, s: sHistory, y: yHistory, rho: rhoHistory)
            var slope = zip(g, d).reduce(0) { $0 + $1.0 * $1.1 }
            if !(slope < 0) {
                sHistory.removeAll()
                yHistory.removeAll()
                rhoHistory.removeAll()
                d = (0..<n).map { free[$0] ? -g[$0] : 0 }
                slope = zip(g, d).reduce(0) { $0 + $1.0 * $1.1 }
                guard slope < 0 else { break }
            }
            let dNorm = d.reduce(0) { $0 + $1 * $1 }.squareRoot()
            var t = sHistory.isEmpty ? min(1, 1 / dNorm) : 1
            var accepted: (x: [Double], f: Double, g: [Double])?
            var tries = 0
            while tries < maxLineSearch && evaluations < maxEvaluations {
                tries += 1
                let xt = (0..<n).map { min(max(x[$0] + t * d[$0], lower[$0]), upper[$0]) }
                var decrease = 0.0
                var moved = false
                for i in 0..<n {
                    let step = xt[i] - x[i]
                    decrease += g[i] * step
                    if step != 0 { moved = true }
                }
                guard moved else { break }
                evaluations += 1
                let trial = function(xt)
                if let (ft, gt) = trial, ft.isFinite, ft <= f + 1e-4 * decrease {
                    accepted = (xt, ft, gt)
                    break
                } else if let (ft, _) = trial, ft.isFinite {
                    // Minimizer of the quadratic through f, the slope along the path, and f(t), kept in
                    // [0.1 t, 0.5 t].
                    let q = -slope * t * t / (2 * (ft - f - slope * t))
                    t = q.isFinite ? min(max(q, 0.1 * t), 0.5 * t) : 0.5 * t
                } else {
                    t *= 0.1
                }
            }
            guard let step = accepted else {
                if sHistory.isEmpty { break }
                sHistory.removeAll()
                yHistory.removeAll()
                rhoHistory.removeAll()
                continue
            }
            iterations += 1
            var s = [Double](repeating: 0, count: n)
            var y = [Double](repeating: 0, count: n)
            var sy = 0.0
            var yy = 0.0
            for i in 0..<n {
                s[i] = step.x[i] - x[i]
                y[i] = step.g[i] - g[i]
                sy += s[i] * y[i]
                yy += y[i] * y[i]
            }
            if sy > Double.ulpOfOne * yy {
                if sHistory.count == memory {
                    sHistory.removeFirst()
                    yHistory.removeFirst()
                    rhoHistory.removeFirst()
                }
                sHistory.append(s)
                yHistory.append(y)
                rhoHistory.append(1 / sy)
            }
            let previous = f
            x = step.x
            f = step.f
            g = step.g
            if previous - f <= factr * Double.ulpOfOne * max(abs(previous), abs(f), 1) {
                converged = true
                break
            }
        }
        return Result(x: x, value: f, iterations: iterations, evaluations: evaluations, converged: converged)
    }

    /// The largest entry of the projected gradient (SciPy's `projgr`).
    private func projectedGradientNorm(_ x: [Double], _ g: [Double], _ lower: [Double], _ upper: [Double]) -> Double {
        var m = 0.0
        for i in 0..<x.count {
            let p = g[i] < 0 ? max(x[i] - upper[i], g[i]) : min(x[i] - lower[i], g[i])
            m = max(m, abs(p))
        }
        return m
    }

    /// `-H·g` on the free variables (zero on the others), by the L-BFGS two-loop recursion.
    private func direction(_ g: [Double], free: [Bool], s: [[Double]], y: [[Double]], rho: [Double]) -> [Double] {
        let n = g.count
        var q = (0..<n).map { free[$0] ? g[$0] : 0 }
        var a = [Double](repeating: 0, count: s.count)
        for j in stride(from: s.count - 1, through: 0, by: -1) {
            var sq = 0.0
            for i in 0..<n where free[i] { sq += s[j][i] * q[i] }
            a[j] = rho[j] * sq
            for i in 0..<n where free[i] { q[i] -= a[j] * y[j][i] }
        }
        if let sl = s.last, let yl = y.last {
            var sy = 0.0
            var yy = 0.0
            for i in 0..<n where free[i] {
                sy += sl[i] * yl[i]
                yy += yl[i] * yl[i]
            }
            let gamma = sy > 0 && yy > 0 ? sy / yy : 1
            for i in 0..<n { q[i] *= gamma }
        }
        for j in 0..<s.count {
            var yr = 0.0
            for i in 0..<n where free[i] { yr += y[j][i] * q[i] }
            let b = rho[j] * yr
            for i in 0..<n where free[i] { q[i] += s[j][i] * (a[j] - b) }
        }
        return (0..<n).map { free[$0] ? -q[$0] : 0 }
    }
}
