extension StudySnapshot {
    /// The trial numbered `number`, or nil when the snapshot does not hold it.
    ///
    /// Constant time for a full snapshot (`trials[n].number == n`), a binary search otherwise (a pruner's
    /// filtered view keeps number order).
    func trial(number: Int) -> FrozenTrial? {
        if number >= 0, number < trials.count, trials[number].number == number { return trials[number] }
        var lo = 0
        var hi = trials.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if trials[mid].number < number { lo = mid + 1 } else { hi = mid }
        }
        return lo < trials.count && trials[lo].number == number ? trials[lo] : nil
    }
}

extension StudySnapshot {
    /// The index in ``trials`` of the trial numbered `number`, or of the first trial numbered above it.
    func index(ofNumber number: Int) -> Int {
        if number >= 0, number < trials.count, trials[number].number == number { return number }
        var lo = 0
        var hi = trials.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if trials[mid].number < number { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
