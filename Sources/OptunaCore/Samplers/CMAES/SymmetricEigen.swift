/// Eigendecomposition of a real symmetric matrix by cyclic Jacobi rotations.
enum SymmetricEigen {
    /// Eigenvalues (ascending) and eigenvectors (columns of the row-major `n x n` result, in the same order)
    /// of the symmetric row-major matrix `a`.
    static func decompose(_ a: [Double], n: Int) -> (values: [Double], vectors: [Double]) {
        var m = a
        var v = [Double](repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }
        for _ in 0..<100 {
            var off = 0.0
            for i in 0..<n { for j in (i + 1)..<n { off += m[i * n + j] * m[i * n + j] } }
            if off < 1e-300 { break }
            var diagonal = 0.0
            for i in 0..<n { diagonal += m[i * n + i] * m[i * n + i] }
            if off <= 1e-32 * diagonal { break }
            for p in 0..<n {
                for q in (p + 1)..<n where m[p * n + q] != 0 {
                    rotate(&m, &v, n: n, p: p, q: q)
                }
            }
        }
        var values = (0..<n).map { m[$0 * n + $0] }
        let order = values.indices.sorted { (values[$0], $0) < (values[$1], $1) }
        values = order.map { values[$0] }
        var vectors = [Double](repeating: 0, count: n * n)
        for (col, k) in order.enumerated() { for r in 0..<n { vectors[r * n + col] = v[r * n + k] } }
        return (values, vectors)
    }

    private static func rotate(_ m: inout [Double], _ v: inout [Double], n: Int, p: Int, q: Int) {
        let apq = m[p * n + q]
        let theta = (m[q * n + q] - m[p * n + p]) / (2 * apq)
        let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
        let c = 1 / (t * t + 1).squareRoot()
        let s = t * c
        for k in 0..<n {
            let mkp = m[k * n + p]
            let mkq = m[k * n + q]
            m[k * n + p] = c * mkp - s * mkq
            m[k * n + q] = s * mkp + c * mkq
        }
        for k in 0..<n {
            let mpk = m[p * n + k]
            let mqk = m[q * n + k]
            m[p * n + k] = c * mpk - s * mqk
            m[q * n + k] = s * mpk + c * mqk
        }
        for k in 0..<n {
            let vkp = v[k * n + p]
            let vkq = v[k * n + q]
            v[k * n + p] = c * vkp - s * vkq
            v[k * n + q] = s * vkp + c * vkq
        }
    }
}
