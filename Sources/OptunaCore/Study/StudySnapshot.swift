/// An immutable view of one study, handed to samplers and pruners.
///
/// - Important: A snapshot never changes after it is made, and holds no storage handle: samplers and
///   pruners see the study's history through it only, so they are pure functions of it.
public struct StudySnapshot: Sendable {
    /// The study's storage id.
    public var studyID: Int64
    /// The study's unique name.
    public var name: String
    /// One direction per objective.
    public var directions: [StudyDirection]
    /// Every trial of the study, ordered by ``FrozenTrial/number`` (so `trials[i].number == i`).
    public var trials: [FrozenTrial]
    /// The study's user attributes.
    public var userAttrs: [String: JSONValue]
    /// The study's system attributes.
    public var systemAttrs: [String: JSONValue]

    /// Creates a snapshot.
    public init(
        studyID: Int64, name: String, directions: [StudyDirection], trials: [FrozenTrial] = [],
        userAttrs: [String: JSONValue] = [:], systemAttrs: [String: JSONValue] = [:]
    ) {
        self.studyID = studyID
        self.name = name
        self.directions = directions
        self.trials = trials
        self.userAttrs = userAttrs
        self.systemAttrs = systemAttrs
    }

    /// Whether the study has more than one objective.
    public var isMultiObjective: Bool { directions.count > 1 }

    /// The single direction of a single-objective study (the first one otherwise).
    public var direction: StudyDirection { directions.first ?? .minimize }

    /// The trials whose state is in `states`, in number order.
    public func trials(states: Set<TrialState>) -> [FrozenTrial] {
        trials.filter { states.contains($0.state) }
    }

    /// The best COMPLETE trial of a single-objective study, as Optuna's `Study.best_trial`: the first
    /// trial with the best value; when that one violates its constraints, the best feasible one instead.
    ///
    /// - Throws: ``StudyError/notSupported(_:)`` on a multi-objective study;
    ///   ``StudyError/noCompletedTrials(_:)`` when no (feasible) trial is COMPLETE.
    public func bestTrial() throws(StudyError) -> FrozenTrial {
        guard !isMultiObjective else {
            throw .notSupported(
                "a single best trial cannot be retrieved from a multi-objective study; use best_trials")
        }
        // One pass, without copies. The best trial is the first with the best value; when it is feasible it
        // is also the first feasible trial with the best feasible value, so that one is the answer either way.
        // Feasibility is read only for a trial that would improve on the feasible best.
        var anyComplete = false
        var best: (index: Int, value: Double)?
        // Fields are read through the array (a `for t in trials` would copy every trial, with all its members).
        for i in trials.indices where trials[i].state == .complete {
            guard let v = trials[i].values?.first else { continue }
            anyComplete = true
            if best.map({ direction.isBetter(v, than: $0.value) }) ?? true, trials[i].isFeasible { best = (i, v) }
        }
        guard anyComplete else { throw .noCompletedTrials("no trials are completed yet") }
        guard let best else { throw .noCompletedTrials("no feasible trials are completed yet") }
        return trials[best.index]
    }

    /// The best trial, or nil where ``bestTrial()`` would throw.
    public var bestTrialIfAny: FrozenTrial? { try? bestTrial() }

    /// The Pareto front of the feasible COMPLETE trials, in number order, as Optuna's `Study.best_trials`.
    ///
    /// A trial is on the front when no other trial is at least as good in every objective and better in
    /// one. Trials with identical values are all kept. For a single objective this is every trial with the
    /// best value. Empty when nothing is complete or nothing is feasible.
    public func bestTrials() -> [FrozenTrial] {
        let candidates = trials.filter { $0.state == .complete && $0.values?.count == directions.count && $0.isFeasible }
        let points = candidates.map { t in zip(t.values ?? [], directions).map { $1.normalized($0) } }
        let front = ParetoFront.nonDominatedIndices(points)
        return front.map { candidates[$0] }
    }
}
