/// The tree of parameter values the finished and running trials have covered (Optuna's `_TreeNode`).
///
/// A node names the parameter chosen at it and has one child per candidate value; a child is unexpanded
/// until some trial's path goes through it. A finished trial's last node becomes a leaf (no children), a
/// running trial's is marked running.
final class BruteForceTree {
    var name: String?
    var children: [Double: BruteForceTree]?
    /// Candidate values in order (the keys of ``children``).
    var keys: [Double] = []
    var isRunning = false
    /// Whether the node is a child nobody has visited.
    var isUnexpanded = true

    /// Sets the node's parameter and candidates; false when it already has a different parameter or
    /// different candidates (an inconsistent path).
    func expand(_ name: String, candidates: [Double]) -> Bool {
        isUnexpanded = false
        if children == nil {
            self.name = name
            keys = candidates
            var map: [Double: BruteForceTree] = [:]
            for c in candidates { map[c] = BruteForceTree() }
            children = map
            return true
        }
        return self.name == name && keys == candidates
    }

    /// Follows (and creates) the path; nil when the path leaves the tree or contradicts it.
    func add(path: [(name: String, candidates: [Double], value: Double)]) -> BruteForceTree? {
        var node = self
        for step in path {
            guard node.expand(step.name, candidates: step.candidates), let children = node.children,
                !children.isEmpty, let next = children[step.value]
            else { return nil }
            next.isUnexpanded = false
            node = next
        }
        node.isUnexpanded = false
        return node
    }

    /// Marks the node as the end of a finished trial.
    func setLeaf() {
        children = [:]
        keys = []
    }

    /// Whether some unexplored value remains below (running trials count as explored when excluded).
    func isAnyExpandable(excludeRunning: Bool) -> Bool {
        guard let children else { return !excludeRunning || !isRunning }
        return keys.contains { children[$0]?.isAnyExpandable(excludeRunning: excludeRunning) ?? false }
    }

    /// The number of unexplored leaves below.
    func countUnexpanded(excludeRunning: Bool) -> Int {
        guard let children else { return excludeRunning && isRunning ? 0 : 1 }
        return keys.reduce(0) { $0 + (children[$1]?.countUnexpanded(excludeRunning: excludeRunning) ?? 0) }
    }

    /// A child value, weighted half by unexplored leaves and half uniformly over children with any,
    /// avoiding running children while others remain.
    func sampleChild(excludeRunning: Bool, using rng: inout SeededGenerator) -> Double {
        guard let children else { return 0 }
        let counts = keys.map { Double(children[$0]?.countUnexpanded(excludeRunning: excludeRunning) ?? 0) }
        let total = counts.reduce(0, +)
        let positive = counts.filter { $0 > 0 }.count
        var weights = counts.map { c in
            0.5 * (total > 0 ? c / total : 0) + 0.5 * (c > 0 && positive > 0 ? 1 / Double(positive) : 0)
        }
        let running = keys.map { children[$0]?.isRunning ?? false }
        if weights.indices.contains(where: { !running[$0] && weights[$0] > 0 }) {
            for i in weights.indices where running[i] { weights[i] = 0 }
        }
        let sum = weights.reduce(0, +)
        guard sum > 0 else { return keys[rng.index(below: keys.count)] }
        var u = rng.nextUnit() * sum
        for (i, w) in weights.enumerated() {
            if u < w { return keys[i] }
            u -= w
        }
        return keys[weights.lastIndex(where: { $0 > 0 }) ?? 0]
    }
}
