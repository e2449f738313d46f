/// Makes one child from a parent population (Optuna's `NSGAIIChildGenerationStrategy`): crossover with
/// probability `crossoverProb` (else a copy of a random parent), then mutation of each parameter with
/// probability `mutationProb`.
///
/// Parents are chosen by binary tournament (of two random candidates, the one that (constrained-)
/// dominates the other, else the second). Categorical parameters always take uniform crossover between the
/// first and last parent; numerical ones go through the crossover in the transformed space and are rounded
/// and clipped back. A parameter picked for mutation is moved by polynomial mutation when it is numerical
/// and a mutation is configured; otherwise it is left out, so it is sampled independently (uniformly).
struct NSGAChildGeneration: Sendable {
    let crossover: NSGACrossover
    let crossoverProb: Double
    let swappingProb: Double
    let mutation: PolynomialMutation?
    let mutationProb: Double?

    /// Child parameters (internal representation) for the names of `space` that the parents used have.
    func child(
        of parents: [FrozenTrial], space: SearchSpace, directions: [StudyDirection],
        using rng: inout SeededGenerator
    ) -> [String: Double] {
        guard !parents.isEmpty, !space.isEmpty else { return [:] }
        let constrained = parents.contains { $0.systemAttrs[FrozenTrial.constraintsKey] != nil }
        let sortedNames = space.keys.sorted()
        var child: [String: Double] = [:]
        if rng.nextUnit() < crossoverProb,
            let chosen = tournament(
                parents, constrained: constrained,
                directions: directions, using: &rng)
        {
            let used = chosen.map { parents[$0] }
            let names = sortedNames.filter { name in used.allSatisfy { $0.params[name] != nil } }
            child = cross(used, names: names, space: space, multiObjective: directions.count > 1, using: &rng)
        } else {
            let p = parents[rng.index(below: parents.count)]
            for name in sortedNames { child[name] = p.params[name] }
        }
        return mutate(child, space: space, using: &rng)
    }

    /// `crossover.parentCount` distinct parents (indices into `population`) by binary tournament, or nil
    /// when there are too few.
    func tournament(
        _ population: [FrozenTrial], constrained: Bool, directions: [StudyDirection], using rng: inout SeededGenerator
    ) -> [Int]? {
        var remaining = Array(population.indices)
        var chosen: [Int] = []
        for _ in 0..<crossover.parentCount {
            guard !remaining.isEmpty else { return nil }
            let a = remaining[rng.index(below: remaining.count)]
            let b = remaining[rng.index(below: remaining.count)]
            let la = NSGATrialMath.losses(population[a], directions: directions)
            let lb = NSGATrialMath.losses(population[b], directions: directions)
            let aWins: Bool
            if constrained {
                let pa = NSGATrialMath.penalty(population[a])
                let pb = NSGATrialMath.penalty(population[b])
                switch (pa > 0, pb > 0) {
                case (false, false): aWins = NonDominatedSort.dominates(la, lb)
                case (false, true): aWins = true
                case (true, false): aWins = false
                case (true, true): aWins = pa < pb
                }
            } else {
                aWins = NonDominatedSort.dominates(la, lb)
            }
            let winner = aWins ? a : b
            chosen.append(winner)
            remaining.removeAll { $0 == winner }
        }
        return chosen
    }

    private func cross(
        _ parents: [FrozenTrial], names: [String], space: SearchSpace, multiObjective: Bool,
        using rng: inout SeededGenerator
    ) -> [String: Double] {
        var child: [String: Double] = [:]
        let categorical = names.filter { if case .categorical = space[$0] { return true } else { return false } }
        let numerical = names.filter { if case .categorical = space[$0] { return false } else { return true } }
        if let first = parents.first, let last = parents.last {
            for name in categorical {
                child[name] = rng.nextUnit() >= swappingProb ? last.params[name] : first.params[name]
            }
        }
        guard !numerical.isEmpty else { return child }
        let transforms = numerical.compactMap { space[$0].map(ParamTransform.init) }
        let points = parents.map { p in
            zip(numerical, transforms).map { name, t in t.transform(p.params[name] ?? 0) }
        }
        let bounds = transforms.map { (lower: $0.lower, upper: $0.upper) }
        let x = crossover.cross(
            points, bounds: bounds, swappingProb: swappingProb, multiObjective: multiObjective, using: &rng)
        for (i, name) in numerical.enumerated() {
            let v = x[i].isFinite ? x[i] : (bounds[i].lower + bounds[i].upper) / 2
            child[name] = SearchSpaceUntransform.value(
                min(max(v, bounds[i].lower), bounds[i].upper), transforms[i].distribution)
        }
        return child
    }

    private func mutate(_ child: [String: Double], space: SearchSpace, using rng: inout SeededGenerator)
        -> [String: Double]
    {
        let probability = mutationProb ?? 1 / max(1, Double(child.count))
        var out: [String: Double] = [:]
        for name in child.keys.sorted() {
            guard let value = child[name], let d = space[name] else { continue }
            if rng.nextUnit() >= probability {
                out[name] = value
                continue
            }
            guard let mutation else { continue }
            if case .categorical = d { continue }
            let t = ParamTransform(d)
            let m = mutation.mutate(t.transform(value), lower: t.lower, upper: t.upper, using: &rng)
            out[name] = SearchSpaceUntransform.value(min(max(m, t.lower), t.upper), d)
        }
        return out
    }
}
