extension TPEHistory {
    /// Chooses the finished trials that form the "below" (good) density and marks them in ``isBelow``.
    ///
    /// As Optuna 5: the best feasible COMPLETE trials first (by value; by non-domination rank and
    /// hypervolume contribution with several objectives), then, while fewer than `nBelow`, the best
    /// feasible PRUNED trials (latest last step, then best last value), then the least violating
    /// infeasible ones. Everything else, and every RUNNING trial, is "above".
    ///
    /// - Returns: the below trial numbers, ascending. Call ``clearBelow(_:)`` with them when done.
    func markBelow(nBelow: Int) -> [Int32] {
        var below: [Int32] = []
        var remaining = nBelow
        if directions.count <= 1 {
            let take = min(remaining, completeOrder.count)
            below.append(contentsOf: completeOrder.prefix(take))
            remaining -= take
        } else {
            let chosen = multiObjectiveBelow(nBelow: remaining)
            below.append(contentsOf: chosen)
            remaining -= chosen.count
        }
        let prunedTake = min(max(remaining, 0), prunedOrder.count)
        below.append(contentsOf: prunedOrder.prefix(prunedTake))
        remaining -= prunedTake
        let infeasibleTake = min(max(remaining, 0), infeasibleOrder.count)
        below.append(contentsOf: infeasibleOrder.prefix(infeasibleTake))
        below.sort()
        for n in below { isBelow[Int(n)] = true }
        return below
    }

    /// Unmarks trials marked by ``markBelow(nBelow:)``.
    func clearBelow(_ below: [Int32]) {
        for n in below { isBelow[Int(n)] = false }
    }

    /// The below share of the feasible COMPLETE trials of a multi-objective study, memoized while no new
    /// trial completes (independent sampling asks once per parameter).
    private func multiObjectiveBelow(nBelow: Int) -> [Int32] {
        let count = completeNumbers.count
        let target = min(nBelow, count)
        if let memo = multiObjectiveMemo, memo.complete == count, memo.nBelow == target { return memo.below }
        let m = directions.count
        var points: [Double] = []
        points.reserveCapacity(count * m)
        for number in completeNumbers {
            let n = Int(number)
            points.append(contentsOf: objectives[(n * m)..<((n + 1) * m)])
        }
        let chosen = TPEParetoSplit.below(points: points, objectiveCount: m, nBelow: target)
        let below = chosen.map { completeNumbers[$0] }
        multiObjectiveMemo = (count, target, below)
        return below
    }
}
