/// Dense linear algebra for the Gaussian process, on row-major `[Double]` matrices.
///
/// Only what the GP needs: a Cholesky factorization with a jitter fallback, triangular solves, and the
/// inverse of a factorized matrix. Inner loops are dot products or `axpy` updates over contiguous rows,
/// written with explicit SIMD accumulators: Swift keeps floating-point sums in source order, so it
/// cannot vectorize a plain reduction loop itself. A 300 × 300 factorization takes a few milliseconds,
/// which is why no LAPACK dependency is taken.
enum GPLinearAlgebra {
    /// `Σ a[i] · b[i]` for `i < n`.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
        var acc0 = SIMD4<Double>()
        var acc1 = SIMD4<Double>()
        let ra = UnsafeRawPointer(a)
        let rb = UnsafeRawPointer(b)
        var i = 0
        while i + 8 <= n {
            let o = i &* 8
            acc0 += ra.loadUnaligned(fromByteOffset: o, as: SIMD4<Double>.self)
                * rb.loadUnaligned(fromByteOffset: o, as: SIMD4<Double>.self)
            acc1 += ra.loadUnaligned(fromByteOffset: o &+ 32, as: SIMD4<Double>.self)
                * rb.loadUnaligned(fromByteOffset: o &+ 32, as: SIMD4<Double>.self)
            i &+= 8
        }
        var s = (acc0 + acc1).sum()
        while i < n {
            s += a[i] * b[i]
            i &+= 1
        }
        return s
    }

    /// `y[i] += alpha · x[i]` for `i < n`.
    @inline(__always)
    static func axpy(_ alpha: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int) {
        let rx = UnsafeRawPointer(x)
        let ry = UnsafeMutableRawPointer(y)
        let a = SIMD4<Double>(repeating: alpha)
        var i = 0
        while i + 4 <= n {
            let o = i &* 8
            let v = ry.loadUnaligned(fromByteOffset: o, as: SIMD4<Double>.self)
                + a * rx.loadUnaligned(fromByteOffset: o, as: SIMD4<Double>.self)
            ry.storeBytes(of: v, toByteOffset: o, as: SIMD4<Double>.self)
            i &+= 4
        }
        while i < n {
            y[i] += alpha * x[i]
            i &+= 1
        }
    }

    /// The lower Cholesky factor `L` of the symmetric `n × n` matrix `a` (only its lower triangle is
    /// read), or nil when `a` is not numerically positive definite. The upper triangle of `L` is zero.
    static func cholesky(_ a: [Double], n: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: n * n)
        let ok = l.withUnsafeMutableBufferPointer { lb -> Bool in
            a.withUnsafeBufferPointer { ab -> Bool in
                guard let L = lb.baseAddress, let A = ab.baseAddress else { return n == 0 }
                for i in 0..<n {
                    let rowI = L + i * n
                    for j in 0..<i {
                        let rowJ = L + j * n
                        rowI[j] = (A[i * n + j] - dot(rowI, rowJ, j)) / rowJ[j]
                    }
                    let d = A[i * n + i] - dot(rowI, rowI, i)
                    guard d > 0, d.isFinite else { return false }
                    rowI[i] = d.squareRoot()
                }
                return true
            }
        }
        return ok ? l : nil
    }

    /// The Cholesky factor of `a`, adding growing multiples of the mean diagonal (from `1e-10` of it,
    /// ×10 per retry, up to `1e-2`) when `a` is not numerically positive definite.
    ///
    /// - Returns: the factor and the jitter added (0 when none was needed), or nil when even the largest
    ///   jitter fails (non-finite entries).
    static func choleskyWithJitter(_ a: [Double], n: Int) -> (factor: [Double], jitter: Double)? {
        if let l = cholesky(a, n: n) { return (l, 0) }
        var meanDiagonal = 0.0
        for i in 0..<n { meanDiagonal += a[i * n + i] }
        meanDiagonal = n > 0 ? max(meanDiagonal / Double(n), 1e-300) : 1
        guard meanDiagonal.isFinite else { return nil }
        var jitter = 1e-10 * meanDiagonal
        var copy = a
        while jitter <= 1e-2 * meanDiagonal {
            for i in 0..<n { copy[i * n + i] = a[i * n + i] + jitter }
            if let l = cholesky(copy, n: n) { return (l, jitter) }
            jitter *= 10
        }
        return nil
    }

    /// Solves `L x = b` in place (`L` lower triangular, row-major `n × n`).
    static func solveLower(_ l: UnsafePointer<Double>, n: Int, _ b: UnsafeMutablePointer<Double>) {
        for i in 0..<n {
            let row = l + i * n
            b[i] = (b[i] - dot(row, b, i)) / row[i]
        }
    }

    /// Solves `Lᵀ x = b` in place (`L` lower triangular, row-major `n × n`).
    static func solveLowerTransposed(_ l: UnsafePointer<Double>, n: Int, _ b: UnsafeMutablePointer<Double>) {
        var i = n - 1
        while i >= 0 {
            let row = l + i * n
            let xi = b[i] / row[i]
            b[i] = xi
            axpy(-xi, row, b, i)
            i -= 1
        }
    }

    /// `A⁻¹` for `A = L Lᵀ`, as a full symmetric row-major matrix.
    ///
    /// Computes `M = L⁻¹` row by row, then accumulates `A⁻¹ = Mᵀ M` from outer products of `M`'s rows:
    /// both steps are `axpy` updates over contiguous rows, about `n³/3` multiply-adds in all.
    static func inverseFromCholesky(_ l: [Double], n: Int) -> [Double] {
        var m = [Double](repeating: 0, count: n * n)
        var inv = [Double](repeating: 0, count: n * n)
        l.withUnsafeBufferPointer { lb in
            m.withUnsafeMutableBufferPointer { mb in
                inv.withUnsafeMutableBufferPointer { ib in
                    guard let L = lb.baseAddress, let M = mb.baseAddress, let I = ib.baseAddress else { return }
                    for i in 0..<n {
                        let rowI = M + i * n
                        rowI[i] = 1
                        let lRow = L + i * n
                        for k in 0..<i where lRow[k] != 0 {
                            axpy(-lRow[k], M + k * n, rowI, k + 1)
                        }
                        let d = 1 / lRow[i]
                        for j in 0...i { rowI[j] *= d }
                    }
                    // inv[i][j] = Σ_k M[k][i] M[k][j], lower triangle j <= i, over k >= i.
                    for k in 0..<n {
                        let rowK = M + k * n
                        for i in 0...k where rowK[i] != 0 {
                            axpy(rowK[i], rowK, I + i * n, i + 1)
                        }
                    }
                    for i in 0..<n {
                        for j in 0..<i { I[j * n + i] = I[i * n + j] }
                    }
                }
            }
        }
        return inv
    }
}
