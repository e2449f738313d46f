/// A trial's reports in increasing step order, without sorting when the steps form an arithmetic
/// progression (every step, or every k-th step: the usual case), so replaying a long study stays cheap.
struct StepOrder {
    private enum Layout {
        case progression(start: Int, stride: Int)
        case sorted([Int])
    }

    private let values: [Int: Double]
    private let layout: Layout
    /// The number of reports in the order.
    let count: Int

    /// The reports of `values`, without the last one (the largest step) when `droppingLast`.
    init(_ values: [Int: Double], droppingLast: Bool = false) {
        self.values = values
        let n = values.count
        count = droppingLast ? max(n - 1, 0) : n
        guard let first = values.keys.first else {
            layout = .progression(start: 0, stride: 1)
            return
        }
        var low = first
        var high = first
        for k in values.keys {
            low = min(low, k)
            high = max(high, k)
        }
        let (span, overflow) = high.subtractingReportingOverflow(low)
        if n == 1 {
            layout = .progression(start: low, stride: 1)
        } else if !overflow, span % (n - 1) == 0, values.keys.allSatisfy({ ($0 - low) % (span / (n - 1)) == 0 }) {
            // n distinct steps on a lattice of exactly n points between low and high: that lattice.
            layout = .progression(start: low, stride: span / (n - 1))
        } else {
            layout = .sorted(values.keys.sorted())
        }
    }

    /// The step of report `i` (`0 <= i < count`).
    func step(at i: Int) -> Int {
        switch layout {
        case .progression(let start, let stride): return start + i * stride
        case .sorted(let steps): return steps[i]
        }
    }

    /// The value of report `i`.
    func value(at i: Int) -> Double { values[step(at: i)] ?? .nan }

    /// The first index at or after `from` whose step is at least `step` (`count` when none).
    func firstIndex(from: Int, stepAtLeast step: Int) -> Int {
        guard from < count else { return count }
        switch layout {
        case .progression(let start, let stride):
            if step <= start { return from }
            let (distance, overflow) = step.subtractingReportingOverflow(start)
            if overflow { return count }
            let index = distance / stride + (distance % stride == 0 ? 0 : 1)
            return min(max(index, from), count)
        case .sorted(let steps):
            var lo = from
            var hi = count
            while lo < hi {
                let mid = (lo + hi) / 2
                if steps[mid] < step { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
    }
}
