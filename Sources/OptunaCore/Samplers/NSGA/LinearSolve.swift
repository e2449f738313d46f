/// Dense linear systems by Gaussian elimination with partial pivoting.
enum LinearSolve {
    /// The solution of `a x = b`, or nil when `a` is (numerically) singular.
    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        let n = b.count
        guard a.count == n, a.allSatisfy({ $0.count == n }) else { return nil }
        var m = a
        var rhs = b
        let scale = a.flatMap { $0 }.map(abs).max() ?? 0
        let tolerance = scale * Double(n) * Double.ulpOfOne
        for col in 0..<n {
            var pivot = col
            for r in col..<n where abs(m[r][col]) > abs(m[pivot][col]) { pivot = r }
            guard abs(m[pivot][col]) > tolerance else { return nil }
            m.swapAt(col, pivot)
            rhs.swapAt(col, pivot)
            for r in (col + 1)..<n {
                let f = m[r][col] / m[col][col]
                guard f != 0 else { continue }
                for c in col..<n { m[r][c] -= f * m[col][c] }
                rhs[r] -= f * rhs[col]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for r in stride(from: n - 1, through: 0, by: -1) {
            var s = rhs[r]
            for c in (r + 1)..<n { s -= m[r][c] * x[c] }
            x[r] = s / m[r][r]
        }
        return x
    }
}
