/// How a generation's parents are chosen from the previous generation and its parents.
public enum NSGAEliteSelection: Sendable, Hashable {
    /// NSGA-II: whole fronts while they fit, then the most isolated of the next front by crowding distance.
    case crowding
    /// NSGA-III: whole fronts while they fit, then niching around reference points (nil: Das–Dennis
    /// points with the given number of divisions).
    case referencePoints([[Double]]?, dividingParameter: Int)

    /// The elite population of at most `populationSize` trials taken from `population` (COMPLETE trials).
    ///
    /// Ranking uses constrained domination when any trial carries constraints.
    /// - Parameter rng: used by NSGA-III's niching only.
    func select(
        _ population: [FrozenTrial], directions: [StudyDirection], populationSize: Int,
        using rng: inout SeededGenerator
    ) -> [FrozenTrial] {
        let fronts = Self.rankedFronts(population, directions: directions)
        var elite: [FrozenTrial] = []
        for front in fronts {
            if elite.count + front.count < populationSize {
                elite.append(contentsOf: front)
                continue
            }
            let n = populationSize - elite.count
            switch self {
            case .crowding:
                let order = CrowdingDistance.sortedByCrowding(front.map { $0.values ?? [] })
                elite.append(contentsOf: order.prefix(n).map { front[$0] })
            case .referencePoints(let given, let divisions):
                let points =
                    given
                    ?? ReferencePointNiching.defaultReferencePoints(
                        objectives: directions.count, divisions: divisions)
                let chosen = ReferencePointNiching.select(
                    count: n, elite: elite.map { $0.values ?? [] }, front: front.map { $0.values ?? [] },
                    referencePoints: points, using: &rng)
                elite.append(contentsOf: chosen.map { front[$0] })
            }
            break
        }
        return elite
    }

    /// The trials grouped by (constrained) non-domination rank, best first, each group in input order.
    static func rankedFronts(_ population: [FrozenTrial], directions: [StudyDirection]) -> [[FrozenTrial]] {
        guard !population.isEmpty else { return [] }
        let losses = population.map { NSGATrialMath.losses($0, directions: directions) }
        let constrained = population.contains { $0.constraints != nil }
        let penalty = constrained ? population.map(NSGATrialMath.penalty) : nil
        let ranks = NonDominatedSort.ranks(losses, penalty: penalty)
        var fronts = [[FrozenTrial]](repeating: [], count: (ranks.max() ?? 0) + 1)
        for (t, r) in zip(population, ranks) { fronts[r].append(t) }
        return fronts
    }
}

/// Per-trial quantities the genetic samplers compare.
enum NSGATrialMath {
    /// The objective values as losses (negated where maximized); missing values count as `+inf`.
    static func losses(_ trial: FrozenTrial, directions: [StudyDirection]) -> [Double] {
        let values = trial.values ?? []
        return directions.indices.map { i in i < values.count ? directions[i].normalized(values[i]) : .infinity }
    }

    /// The total violation: the sum of the positive constraint values (NaN counts as infinite).
    static func penalty(_ trial: FrozenTrial) -> Double {
        (trial.constraints ?? []).reduce(0.0) { sum, c in c.isNaN ? .infinity : (c > 0 ? sum + c : sum) }
    }

    /// Optuna's `_dominates`: `a` no worse in every objective and different (COMPLETE trials only).
    static func dominates(_ a: FrozenTrial, _ b: FrozenTrial, directions: [StudyDirection]) -> Bool {
        guard a.state == .complete else { return false }
        guard b.state == .complete else { return true }
        return NonDominatedSort.dominates(losses(a, directions: directions), losses(b, directions: directions))
    }

    /// Optuna's `_constrained_dominates`: feasible beats infeasible, less violation beats more, and
    /// between feasible trials plain domination decides.
    static func constrainedDominates(_ a: FrozenTrial, _ b: FrozenTrial, directions: [StudyDirection]) -> Bool {
        guard a.state == .complete else { return false }
        guard b.state == .complete else { return true }
        let pa = penalty(a)
        let pb = penalty(b)
        switch (pa > 0, pb > 0) {
        case (false, false): return dominates(a, b, directions: directions)
        case (false, true): return true
        case (true, false): return false
        case (true, true): return pa < pb
        }
    }
}
