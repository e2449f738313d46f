/// Grid search with Optuna 5's `GridSampler` semantics: every combination of the given values, in an
/// order shuffled by the seed exactly as Optuna shuffles it (NumPy's legacy generator), so a grid is
/// visited in the same order as in Python for the same seed.
///
/// Trial `k < n` (for `n` grid points) takes grid point `k` of the shuffled order, recorded as its
/// `grid_id` system attribute (with the grid as `search_space`, as Optuna records them). Numbers are
/// unique, so concurrent asks never share a point. Later trials (enqueued trials skipped some numbers, or
/// the grid was exhausted) take a random point no finished or RUNNING trial holds; once every point is
/// finished, points are evaluated again, as Optuna does after its warning. ``isExhausted(study:)`` tells
/// when that is the case.
public struct GridSampler: Sampler {
    /// The grid: parameter name → values, names sorted.
    public let searchSpace: [(name: String, values: [JSONValue])]
    /// The shuffle seed (Optuna uses 0 when none is given).
    public let seed: Int64?
    /// Grid point numbers in visiting order.
    let order: [Int]
    /// The grid as the `search_space` attribute stores it.
    let spaceJSON: JSONValue

    /// The largest grid accepted.
    public static let maxPoints = 10_000_000

    /// Creates the sampler.
    ///
    /// - Throws: ``StudyError/invalidConfiguration(_:)`` for an empty value list, a value that is not a
    ///   JSON scalar, or a grid of more than ``maxPoints`` points.
    public init(searchSpace: [String: [JSONValue]], seed: Int64? = nil) throws(StudyError) {
        let count = try Self.pointCount(searchSpace)
        self.searchSpace = searchSpace.keys.sorted().map { ($0, searchSpace[$0] ?? []) }
        self.seed = seed
        var order = Array(0..<count)
        var mt = LegacyMersenneTwister(seed: UInt32(truncatingIfNeeded: seed ?? 0))
        mt.shuffle(&order)
        self.order = order
        spaceJSON = .object(searchSpace.mapValues { .array($0) })
    }

    /// The number of grid points.
    public var gridCount: Int { order.count }

    /// The number of points of a valid grid.
    ///
    /// - Throws: ``StudyError/invalidConfiguration(_:)`` as ``init(searchSpace:seed:)``.
    static func pointCount(_ searchSpace: [String: [JSONValue]]) throws(StudyError) -> Int {
        var count = 1
        for name in searchSpace.keys.sorted() {
            guard let values = searchSpace[name], !values.isEmpty else {
                throw .invalidConfiguration("grid: the values of '\(name)' must be a non-empty list")
            }
            for v in values {
                switch v {
                case .array, .object: throw .invalidConfiguration("grid: values of '\(name)' must be scalars, got \(v)")
                default: break
                }
            }
            let (product, overflow) = count.multipliedReportingOverflow(by: values.count)
            guard !overflow, product <= Self.maxPoints else {
                throw .invalidConfiguration("grid: more than \(Self.maxPoints) grid points")
            }
            count = product
        }
        return count
    }

    /// The values of grid point `gridID` (an index into the shuffled order), by name.
    public func point(_ gridID: Int) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        walk(gridID) { name, value in
            out[name] = value
            return true
        }
        return out
    }

    /// The value of `name` at grid point `gridID`, or nil when `name` is not in the grid or the point does
    /// not exist. Samplers ask for one coordinate per parameter, so this does not build the whole point.
    func value(_ gridID: Int, of name: String) -> JSONValue? {
        var found: JSONValue?
        walk(gridID) { axis, value in
            if axis == name { found = value }
            return found == nil
        }
        return found
    }

    /// Decodes grid point `gridID`'s coordinates, last axis first, while `body` returns true; nothing when the
    /// point does not exist.
    private func walk(_ gridID: Int, _ body: (String, JSONValue) -> Bool) {
        guard gridID >= 0, gridID < order.count else { return }
        var rest = order[gridID]
        for (axis, values) in searchSpace.reversed() {
            guard body(axis, values[rest % values.count]) else { return }
            rest /= values.count
        }
    }

    /// `grid_id` and `search_space` for a new trial.
    public func beforeTrial(study: StudySnapshot, trial: FrozenTrial) -> [String: JSONValue] {
        if trial.systemAttrs["grid_id"] != nil || trial.systemAttrs["fixed_params"] != nil { return [:] }
        let id: Int
        if trial.number >= 0, trial.number < gridCount {
            id = trial.number
        } else {
            var targets = unvisited(study)
            if targets.isEmpty { targets = Array(0..<gridCount) }
            var rng = SeededGenerator(seed: UInt64(bitPattern: seed ?? 0), trialNumber: trial.number, salt: "grid")
            id = targets[rng.index(below: targets.count)]
        }
        return ["grid_id": .int(Int64(id)), "search_space": spaceJSON]
    }

    /// The trial's grid value for `name`; a uniform sample when the trial has no grid point, the name is
    /// not in the grid, or the value lies outside `distribution`.
    public func sampleIndependent(
        study: StudySnapshot, trial: FrozenTrial, name: String, distribution: Distribution,
        using rng: inout SeededGenerator
    ) -> Double {
        if let id = trial.systemAttrs["grid_id"]?.intValue, let value = value(id, of: name),
            let v = try? distribution.internalValue(of: value, name: name)
        {
            return v
        }
        return RandomSampler.uniformSample(distribution, using: &rng)
    }

    /// Whether every grid point has been evaluated by a finished trial of this grid.
    public func isExhausted(study: StudySnapshot) -> Bool {
        visitedState(study).finished.allSatisfy { $0 }
    }

    /// Grid points held by no finished and no RUNNING trial; when none, those no finished trial holds.
    func unvisited(_ study: StudySnapshot) -> [Int] {
        let (finished, running) = visitedState(study)
        let free = (0..<gridCount).filter { !finished[$0] && !running[$0] }
        return free.isEmpty ? (0..<gridCount).filter { !finished[$0] } : free
    }

    private func visitedState(_ study: StudySnapshot) -> (finished: [Bool], running: [Bool]) {
        var finished = [Bool](repeating: false, count: gridCount)
        var running = [Bool](repeating: false, count: gridCount)
        for t in study.trials {
            guard let id = t.systemAttrs["grid_id"]?.intValue, id >= 0, id < gridCount,
                t.systemAttrs["search_space"] == spaceJSON
            else { continue }
            switch t.state {
            case .complete, .pruned, .fail: finished[id] = true
            case .running: running[id] = true
            case .waiting: break
            }
        }
        return (finished, running)
    }
}

extension GridSampler {
    /// `{"type": "grid", "search_space": {"x": [1, 2, 3], "y": ["a", "b"]}, "seed": null}` (alias
    /// `GridSampler`); `search_space` is required.
    public static let kind = ComponentKind<any Sampler>(
        type: "grid", aliases: ["GridSampler"],
        options: [
            OptionSpec("search_space", default: .null, .custom(normalizeSpace)),
            OptionSpec("seed", default: .null, .integer(min: 0, max: 4_294_967_295), nullable: true),
        ]
    ) { options throws(StudyError) in
        let space = (options["search_space"]?.objectValue ?? [:]).mapValues { $0.arrayValue ?? [] }
        return try GridSampler(searchSpace: space, seed: options.int64("seed"))
    }

    private static func normalizeSpace(_ value: JSONValue) throws(StudyError) -> JSONValue {
        guard let o = value.objectValue, o.values.allSatisfy({ $0.arrayValue != nil }) else {
            throw .invalidConfiguration("grid option 'search_space' must be an object of value lists, got \(value)")
        }
        _ = try pointCount(o.mapValues { $0.arrayValue ?? [] })
        return value
    }
}
