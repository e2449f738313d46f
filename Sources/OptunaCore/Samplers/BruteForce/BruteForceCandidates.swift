/// The finite set of internal values a distribution can take, as Optuna's `_enumerate_candidates`.
enum BruteForceCandidates {
    /// Every value, ascending: indices for categorical parameters, `low, low + step, …` otherwise (for
    /// stepped floats computed in decimal, so `0.1 + 2 * 0.1` is `0.3`); nil for a continuous float or a
    /// range too large to enumerate.
    static func values(_ d: Distribution, limit: Int = 1_000_000) -> [Double]? {
        switch d {
        case .categorical(let c): return (0..<c.choices.count).map(Double.init)
        case .int(let i):
            guard i.step > 0, (i.high - i.low) / i.step < Int64(limit) else { return nil }
            return stride(from: i.low, through: i.high, by: Int(i.step)).map(Double.init)
        case .float(let f):
            guard let step = f.step, step > 0, (f.high - f.low) / step < Double(limit) else { return nil }
            guard let (l, le) = decimal(f.low), let (s, se) = decimal(step), let (h, he) = decimal(f.high) else {
                return stride(from: f.low, through: f.high, by: step).map { $0 }
            }
            let scale = max(le, se, he)
            guard scale <= 22, let lo = rescale(l, le, to: scale), let st = rescale(s, se, to: scale),
                let hi = rescale(h, he, to: scale), st > 0
            else { return stride(from: f.low, through: f.high, by: step).map { $0 } }
            var out: [Double] = []
            var k = lo
            let divisor = CoreMath.pow(10, Double(scale))
            while k <= hi, out.count < limit {
                out.append(Double(k) / divisor)
                k += st
            }
            return out
        }
    }

    /// `x` as `m * 10^-e` from its shortest decimal form, when `m` fits comfortably in 53 bits.
    static func decimal(_ x: Double) -> (Int64, Int)? {
        guard x.isFinite else { return nil }
        let text = "\(x)".lowercased()
        let parts = text.split(separator: "e", maxSplits: 1)
        let mantissa = String(parts[0])
        let exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        let negative = mantissa.hasPrefix("-")
        let digitsText = negative ? String(mantissa.dropFirst()) : mantissa
        let pieces = digitsText.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = String(pieces[0])
        var fraction = pieces.count > 1 ? String(pieces[1]) : ""
        while fraction.hasSuffix("0") { fraction.removeLast() }
        guard let m = Int64(whole + fraction), m < 1 << 52 else { return nil }
        let scale = fraction.count - exponent
        if scale < 0 { return rescale(negative ? -m : m, 0, to: -scale).map { ($0, 0) } }
        return (negative ? -m : m, scale)
    }

    private static func rescale(_ m: Int64, _ e: Int, to target: Int) -> Int64? {
        var v = m
        for _ in e..<target {
            let (r, o) = v.multipliedReportingOverflow(by: 10)
            guard !o, abs(r) < 1 << 52 else { return nil }
            v = r
        }
        return v
    }
}
