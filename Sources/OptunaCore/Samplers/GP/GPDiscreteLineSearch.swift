/// Optimizes one discrete coordinate with many grid values (Optuna's `_discrete_line_search`): Brent's
/// method on the linear interpolation of the acquisition between grid points, bracketed by the grid's
/// ends and started at the current value, then snapped to the nearest grid point.
///
/// Interpolation, rather than rounding a continuous optimum, matters because expected improvement is
/// often highest between two grid points. Values at grid points are cached, so each is computed once.
struct GPDiscreteLineSearch {
    let acquisition: any GPAcquisition
    /// The grid, ascending, with at least two values.
    let grid: [Double]
    let index: Int

    /// The improved point and value, and whether it improved on `value` at a different grid point.
    func search(from x0: [Double], value f0: Double) -> ([Double], Double, Bool) {
        let current = nearest(x0[index])
        var cache: [Int: Double] = [current: -f0]
        var x = x0
        func negative(_ i: Int) -> Double {
            if let v = cache[i] { return v }
            x[index] = grid[i]
            let v = -acquisition.value(x)
            cache[i] = v
            return v
        }
        func interpolated(_ t: Double) -> Double {
            guard let first = grid.first, let last = grid.last, t >= first, t <= last else { return .infinity }
            let right = min(max(upperIndex(t), 1), grid.count - 1)
            let left = right - 1
            let w = (grid[right] - t) / (grid[right] - grid[left])
            return w * negative(left) + (1 - w) * negative(right)
        }
        let xtol = zip(grid.dropFirst(), grid).map { $0 - $1 }.min().map { $0 / 4 } ?? .infinity
        let t = Self.brent(interpolated, lower: grid[0] - 1e-12, start: grid[current], upper: grid[grid.count - 1] + 1e-12, tolerance: xtol)
        let best = nearest(t)
        let f = -negative(best)
        if best != current && f > f0 {
            var out = x0
            out[index] = grid[best]
            return (out, f, true)
        }
        return (x0, f0, false)
    }

    /// The first grid index whose value is at least `t` (NumPy's `searchsorted`, left).
    private func upperIndex(_ t: Double) -> Int {
        var lo = 0
        var hi = grid.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if grid[mid] < t { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The index of the grid value nearest to `t` (the left one on ties).
    private func nearest(_ t: Double) -> Int {
        let i = min(max(upperIndex(t), 1), grid.count - 1)
        return abs(t - grid[i - 1]) <= abs(t - grid[i]) ? i - 1 : i
    }

    /// Brent's minimization of `f` on `[lower, upper]` from `start` (SciPy's `brent` stopping rule with
    /// relative tolerance `tolerance`, at most 500 iterations).
    static func brent(
        _ f: (Double) -> Double, lower: Double, start: Double, upper: Double, tolerance: Double
    ) -> Double {
        let golden = 0.381_966_011_250_105
        var a = min(lower, upper)
        var b = max(lower, upper)
        var x = start
        var w = start
        var v = start
        var fx = f(x)
        var fw = fx
        var fv = fx
        var d = 0.0
        var e = 0.0
        for _ in 0..<500 {
            let mid = 0.5 * (a + b)
            let tol1 = tolerance * abs(x) + 1e-11
            let tol2 = 2 * tol1
            if abs(x - mid) <= tol2 - 0.5 * (b - a) { break }
            var useGolden = true
            if abs(e) > tol1 {
                var r = (x - w) * (fx - fv)
                var q = (x - v) * (fx - fw)
                var p = (x - v) * q - (x - w) * r
                q = 2 * (q - r)
                if q > 0 { p = -p }
                q = abs(q)
                r = e
                e = d
                if abs(p) < abs(0.5 * q * r), p > q * (a - x), p < q * (b - x) {
                    d = p / q
                    let u = x + d
                    if u - a < tol2 || b - u < tol2 { d = mid >= x ? tol1 : -tol1 }
                    useGolden = false
                }
            }
            if useGolden {
                e = x >= mid ? a - x : b - x
                d = golden * e
            }
            let u = abs(d) >= tol1 ? x + d : x + (d >= 0 ? tol1 : -tol1)
            let fu = f(u)
            if fu <= fx {
                if u >= x { a = x } else { b = x }
                (v, fv, w, fw, x, fx) = (w, fw, x, fx, u, fu)
            } else {
                if u < x { a = u } else { b = u }
                if fu <= fw || w == x {
                    (v, fv, w, fw) = (w, fw, u, fu)
                } else if fu <= fv || v == x || v == w {
                    (v, fv) = (u, fu)
                }
            }
        }
        return x
    }
}
