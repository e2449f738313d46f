/// Small dense vector helpers for the genetic operators.
enum VectorMath {
    /// The dot product.
    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for i in a.indices { s += a[i] * b[i] }
        return s
    }

    /// The Euclidean norm.
    static func norm(_ a: [Double]) -> Double { dot(a, a).squareRoot() }

    /// `n - 1` orthonormal vectors orthogonal to `e` (a unit vector, or zero): Gram–Schmidt on `e` followed
    /// by the standard basis vectors `e_2 … e_n` (with `e_1` in `e`'s place when `e` is zero), as the QR
    /// factorization Optuna's UNDX uses, up to signs.
    static func orthonormalComplement(of e: [Double]) -> [[Double]] {
        let n = e.count
        var columns: [[Double]] = []
        for j in 0..<n {
            var v = [Double](repeating: 0, count: n)
            if j == 0, e.contains(where: { $0 != 0 }) { v = e } else { v[j] = 1 }
            columns.append(v)
        }
        var q: [[Double]] = []
        for var v in columns {
            for u in q {
                let p = dot(v, u)
                for i in 0..<n { v[i] -= p * u[i] }
            }
            let len = norm(v)
            if len > 1e-12 { q.append(v.map { $0 / len }) } else { q.append([Double](repeating: 0, count: n)) }
        }
        return Array(q.dropFirst())
    }
}
