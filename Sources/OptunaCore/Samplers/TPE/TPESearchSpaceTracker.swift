/// The relative search spaces TPE learns from finished (COMPLETE and PRUNED) trials, kept incrementally.
///
/// - The **intersection** space (Optuna's `IntersectionSearchSpace(include_pruned=True)`): the parameters
///   every finished trial has, with the same distribution in all of them.
/// - The **group-decomposed** space (Optuna's `_GroupDecomposedSearchSpace`): the parameters partitioned so
///   that two parameters share a group iff every finished trial has both or neither. Each group takes the
///   distribution of the lowest-numbered trial that has the parameter.
///
/// Both are independent of the order in which trials are folded in, so a cache rebuilt from scratch gives
/// the same spaces as one updated ask by ask. Single-valued distributions are left out of what is returned.
struct TPESearchSpaceTracker {
    /// The intersection so far; nil before the first finished trial.
    private(set) var intersection: [String: Distribution]?
    /// The groups so far (any order).
    private var groups: [Set<String>] = []
    /// For each name: the lowest trial number having it, and its distribution there.
    private var firstSeen: [String: (number: Int, distribution: Distribution)] = [:]
    /// Whether groups are tracked at all.
    let tracksGroups: Bool

    /// An empty tracker.
    init(tracksGroups: Bool) {
        self.tracksGroups = tracksGroups
    }

    /// Folds in one finished trial.
    mutating func fold(_ trial: FrozenTrial) {
        if let current = intersection {
            // Usually every parameter matches: check before building a new dictionary.
            if current.contains(where: { name, d in trial.distributions[name] != d }) {
                intersection = current.filter { name, d in trial.distributions[name] == d }
            }
        } else {
            intersection = trial.distributions
        }
        guard tracksGroups else { return }
        var keys = Set(trial.distributions.keys)
        var next: [Set<String>] = []
        for group in groups {
            let inside = group.intersection(keys)
            let outside = group.subtracting(keys)
            if !inside.isEmpty { next.append(inside) }
            if !outside.isEmpty { next.append(outside) }
            keys.subtract(group)
        }
        if !keys.isEmpty { next.append(keys) }
        groups = next
        for (name, d) in trial.distributions {
            if let seen = firstSeen[name], seen.number <= trial.number { continue }
            firstSeen[name] = (trial.number, d)
        }
    }

    /// The intersection space without single-valued distributions.
    var intersectionSpace: SearchSpace {
        (intersection ?? [:]).filter { !$0.value.isSingle }
    }

    /// The groups, each sorted by name and without single-valued distributions, ordered by their first
    /// name; empty groups are dropped.
    var groupSpaces: [[(name: String, distribution: Distribution)]] {
        var out: [[(name: String, distribution: Distribution)]] = []
        for group in groups {
            let members = group.sorted().compactMap { name -> (name: String, distribution: Distribution)? in
                guard let d = firstSeen[name]?.distribution, !d.isSingle else { return nil }
                return (name, d)
            }
            if !members.isEmpty { out.append(members) }
        }
        return out.sorted { $0[0].name < $1[0].name }
    }
}
