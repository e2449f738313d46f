/// Hyperband's brackets: how many there are, each one's share of trials, and which one a trial is in.
///
/// As Optuna computes them: `n = floor(log(maxResource / minResource) / log(reductionFactor)) + 1`
/// brackets in double precision; bracket `b` gets `ceil(n * reductionFactor^s / (s + 1))` shares with
/// `s = n - 1 - b`; trial `number` of study `name` is in the bracket whose shares cover
/// `crc32("<name>_<number>") % totalShares`, counting shares from bracket 0.
struct HyperbandBrackets: Hashable, Sendable {
    /// Each bracket's share of trials.
    let budgets: [Int]
    /// The sum of ``budgets``.
    let total: Int

    /// The brackets, or nil when there are none (`maxResource < minResource`), in which case
    /// Optuna's Hyperband never prunes. Also nil for a non-positive resource or a ratio beyond 2^52,
    /// where Optuna fails or double precision would no longer be exact.
    init?(minResource: Int, maxResource: Int, reductionFactor: Int) {
        guard minResource > 0, maxResource > 0, reductionFactor >= 2 else { return nil }
        let ratio = Double(maxResource) / Double(minResource)
        guard ratio <= 0x1p52 else { return nil }
        let count = Int((CoreMath.log(ratio) / CoreMath.log(Double(reductionFactor))).rounded(.down)) + 1
        guard count > 0 else { return nil }
        var budgets: [Int] = []
        for bracket in 0..<count {
            let s = count - 1 - bracket
            var power = 1.0
            for _ in 0..<s { power *= Double(reductionFactor) }
            budgets.append(Int((Double(count) * power / Double(s + 1)).rounded(.up)))
        }
        self.budgets = budgets
        self.total = budgets.reduce(0, +)
    }

    /// The number of brackets.
    var count: Int { budgets.count }

    /// The bracket of trial `number` in the study named `studyName`.
    func bracket(studyName: String, trialNumber: Int) -> Int {
        lookup(studyName: studyName).bracket(ofTrial: trialNumber)
    }

    /// The brackets of the study named `studyName`'s trials, for many trials at a time.
    func lookup(studyName: String) -> Lookup {
        Lookup(brackets: self, prefix: CRC32.update(CRC32.start, "\(studyName)_".utf8))
    }

    /// Finds trials' brackets with the checksum of `"<name>_"` computed once, and the trial number's digits
    /// fed to it without a string: a sampler's view of a Hyperband study (every ask) finds every trial's.
    struct Lookup {
        let brackets: HyperbandBrackets
        /// The checksum register after `"<name>_"`.
        let prefix: UInt32

        /// The bracket of trial `number`.
        func bracket(ofTrial number: Int) -> Int {
            var crc = prefix
            // The decimal text of `number`, as Python formats it, most significant digit first.
            if number < 0 { crc = CRC32.update(crc, UInt8(ascii: "-")) }
            let magnitude = number.magnitude
            var scale: UInt = 1
            while magnitude / scale >= 10 { scale *= 10 }
            while scale > 0 {
                crc = CRC32.update(crc, UInt8(ascii: "0") + UInt8(magnitude / scale % 10))
                scale /= 10
            }
            var n = Int(CRC32.finish(crc)) % brackets.total
            for (bracket, budget) in brackets.budgets.enumerated() {
                n -= budget
                if n < 0 { return bracket }
            }
            return brackets.budgets.count - 1
        }
    }
}
