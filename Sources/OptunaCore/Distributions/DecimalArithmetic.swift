/// Exact decimal arithmetic on the shortest decimal spelling of doubles.
///
/// Optuna adjusts a stepped float range with Python's `decimal` module applied to `str(x)`, so that
/// `low=0, high=1, step=0.1` keeps `high=1.0` although `1.0 / 0.1` is not exact in binary. This type
/// reproduces that: each double is read as the integer `mantissa × 10^exponent` of its shortest repr.
enum DecimalArithmetic {
    /// `high` lowered to `low + floor((high - low) / step) · step`, computed in decimal, or `high` unchanged
    /// when the difference is a whole number of steps.
    static func adjustedHigh(low: Double, high: Double, step: Double) -> Double {
        guard let (l, h, s, scale) = scaled(low, high, step), s > 0 else {
            return fallbackAdjustedHigh(low: low, high: high, step: step)
        }
        let r = h - l
        if r % s == 0 { return high }
        let q = r / s
        let v = q * s + l
        return Double("\(v)e-\(scale)") ?? fallbackAdjustedHigh(low: low, high: high, step: step)
    }

    /// Whether `high - low < step`, computed in decimal.
    static func lessThanOneStep(low: Double, high: Double, step: Double) -> Bool {
        guard let (l, h, s, _) = scaled(low, high, step) else { return high - low < step }
        return h - l < s
    }

    private static func fallbackAdjustedHigh(low: Double, high: Double, step: Double) -> Double {
        let r = high - low
        let q = (r / step).rounded(.down)
        return q * step + low
    }

    /// The three numbers as integers over a common power of ten, or nil if that would overflow.
    private static func scaled(_ a: Double, _ b: Double, _ c: Double) -> (Int64, Int64, Int64, Int)? {
        guard let da = decompose(a), let db = decompose(b), let dc = decompose(c) else { return nil }
        let scale = max(da.1, db.1, dc.1)
        guard scale <= 30,
            let ia = rescale(da.0, by: scale - da.1),
            let ib = rescale(db.0, by: scale - db.1),
            let ic = rescale(dc.0, by: scale - dc.1)
        else { return nil }
        guard abs(ia) < Int64.max / 4, abs(ib) < Int64.max / 4 else { return nil }
        return (ia, ib, ic, scale)
    }

    private static func rescale(_ m: Int64, by digits: Int) -> Int64? {
        var v = m
        for _ in 0..<digits {
            let (r, o) = v.multipliedReportingOverflow(by: 10)
            if o { return nil }
            v = r
        }
        return v
    }

    /// `x` as `(m, k)` with `x == m / 10^k` exactly in decimal, from its shortest spelling.
    private static func decompose(_ x: Double) -> (Int64, Int)? {
        guard x.isFinite else { return nil }
        let text = x.description
        var mantissa = ""
        var fractionDigits = 0
        var exponent = 0
        var seenPoint = false
        var index = text.startIndex
        while index < text.endIndex {
            let ch = text[index]
            if ch == "e" || ch == "E" {
                guard let e = Int(text[text.index(after: index)...]) else { return nil }
                exponent = e
                break
            } else if ch == "." {
                seenPoint = true
            } else {
                mantissa.append(ch)
                if seenPoint { fractionDigits += 1 }
            }
            index = text.index(after: index)
        }
        guard var m = Int64(mantissa) else { return nil }
        var k = fractionDigits - exponent
        while k < 0 {
            let (r, o) = m.multipliedReportingOverflow(by: 10)
            if o { return nil }
            m = r
            k += 1
        }
        return (m, k)
    }
}
