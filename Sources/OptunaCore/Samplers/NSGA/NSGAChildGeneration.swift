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

    /// Child parameters (internal representation) for the names of `space` every parent has.
    func child(
        of parents: [FrozenTrial], space: SearchSpace, directions: [StudyDirection],
        using rng: inout SeededGenerator
    ) -> [String: Double] {
        let names = space.keys.sorted().filter { name in parents.allSatisfy { $0.params[name] != nil } }
        guard !parents.isEmpty, !names.isEmpty else { return [:] }
        let constrained = parents.contains { $0.constraints != nil }
        var child: [String: Double]
        if rng.nextUnit() < crossoverProb, let chosen = tournament(parents, constrained: constrained,
            directions: directions, using: &rng)
        {
            child = cross(chosen, names: names, space: space, multiObjective: directions.count > 1, using: &rng)
        } else {
            let p = parents[rng.index(below: parents.count)]
            child = [:]
            for name in names { child[name] = p.params[name] }
        }
        return mutate(child, space: space, using: &rng)
    }

    /// `crossover.parentCount` distinct parents by binary tournament, or nil when there are too few.
    func tournament(
        _ population: [FrozenTrial], constrained: Bool, directions: [StudyDirection], using rng: inout SeededGenerator
    ) -> [FrozenTrial]? {
        var remaining = population
        var chosen: [FrozenTrial] = []
        for _ in 0..<crossover.parentCount {
            guard !remaining.isEmpty else { return nil }
            let a = remaining[rng.index(below: remaining.count)]
            let b = remaining[rng.index(below: remaining.count)]
            let aWins =
                constrained
                ? NSGATrialMath.constrainedDominates(a, b, directions: directions)
                : NSGATrialMath.dominates(a, b, directions: directions)
            let winner = aWins ? a : b
            chosen.append(winner)
            remaining.removeAll { $0.number == winner.number }
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
            child[name] = SearchSpaceUntransform.value(min(max(v, bounds[i].lower), bounds[i].upper), transforms[i].distribution)
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
