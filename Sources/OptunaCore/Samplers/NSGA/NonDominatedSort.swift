/// Non-domination ranks (Optuna's `_fast_non_domination_rank`), with constrained domination.
///
/// Losses are "smaller is better" vectors (values already negated for maximized objectives). A point
/// dominates another when it is no worse in every objective and differs from it. Rank 0 is the Pareto
/// front; rank `k` is the front of what remains after removing ranks `0..<k`. Identical points share a
/// rank. With penalties, feasible points (penalty `<= 0`) are ranked first among themselves, and infeasible
/// ones follow, ranked by penalty alone (equal penalties share a rank).
public enum NonDominatedSort {
    /// The rank of each point.
    ///
    /// - Parameters:
    ///   - losses: one vector per point, all of one length.
    ///   - penalty: the total constraint violation of each point, or nil when the study is unconstrained.
    public static func ranks(_ losses: [[Double]], penalty: [Double]? = nil) -> [Int] {
        guard let penalty else { return paretoRanks(losses) }
        var ranks = [Int](repeating: 0, count: losses.count)
        let feasible = losses.indices.filter { !(penalty[$0] > 0) && !penalty[$0].isNaN }
        let infeasible = losses.indices.filter { penalty[$0] > 0 || penalty[$0].isNaN }
        let feasibleRanks = paretoRanks(feasible.map { losses[$0] })
        for (i, r) in zip(feasible, feasibleRanks) { ranks[i] = r }
        let offset = (feasibleRanks.max() ?? -1) + 1
        let penaltyRanks = paretoRanks(infeasible.map { [penalty[$0].isNaN ? .infinity : penalty[$0]] })
        for (i, r) in zip(infeasible, penaltyRanks) { ranks[i] = offset + r }
        return ranks
    }

    /// Pareto ranks by repeated peeling of the non-dominated front.
    public static func paretoRanks(_ losses: [[Double]]) -> [Int] {
        guard !losses.isEmpty else { return [] }
        // Identical points share a rank: rank the distinct points, then map back.
        var distinct: [[Double]] = []
        var indexOf: [[Double]: Int] = [:]
        var pointIndex: [Int] = []
        pointIndex.reserveCapacity(losses.count)
        for p in losses {
            if let i = indexOf[p] {
                pointIndex.append(i)
            } else {
                indexOf[p] = distinct.count
                pointIndex.append(distinct.count)
                distinct.append(p)
            }
        }
        // Deb's fast non-dominated sort: count who dominates each point, then peel fronts.
        let m = distinct.count
        var dominatedBy = [Int](repeating: 0, count: m)
        var dominates = [[Int]](repeating: [], count: m)
        for i in 0..<m {
            for j in (i + 1)..<m {
                if Self.dominates(distinct[i], distinct[j]) {
                    dominates[i].append(j)
                    dominatedBy[j] += 1
                } else if Self.dominates(distinct[j], distinct[i]) {
                    dominates[j].append(i)
                    dominatedBy[i] += 1
                }
            }
        }
        var rankOfDistinct = [Int](repeating: -1, count: m)
        var front = (0..<m).filter { dominatedBy[$0] == 0 }
        var rank = 0
        while !front.isEmpty {
            var next: [Int] = []
            for i in front {
                rankOfDistinct[i] = rank
                for j in dominates[i] {
                    dominatedBy[j] -= 1
                    if dominatedBy[j] == 0 { next.append(j) }
                }
            }
            front = next
            rank += 1
        }
        return pointIndex.map { rankOfDistinct[$0] }
    }

    /// Whether loss vector `a` dominates `b`: no worse everywhere and not identical.
    public static func dominates(_ a: [Double], _ b: [Double]) -> Bool {
        guard a != b else { return false }
        for (x, y) in zip(a, b) where !(x <= y) { return false }
        return true
    }
}
