/// The parameters a sampler samples jointly: name → distribution.
public typealias SearchSpace = [String: Distribution]

/// A sampling algorithm, with Optuna's split between relative and independent sampling.
///
/// For each new trial the study actor calls, in order:
/// 1. ``beforeTrial(study:trial:)`` — system attributes to record on the new trial (e.g. a generation);
/// 2. ``inferRelativeSearchSpace(study:trial:)`` — the space to sample jointly, usually learnt from COMPLETE
///    trials;
/// 3. ``sampleRelative(study:trial:searchSpace:using:)`` — joint values for that space (internal repr);
/// 4. ``sampleIndependent(study:trial:name:distribution:using:)`` — once for each parameter the relative
///    step did not cover (new names, dynamic spaces), also during define-by-run `suggest`.
///
/// - Important: Samplers are `Sendable` values with no mutable state and no I/O. They see the study only
///   through the immutable ``StudySnapshot`` and draw randomness only from the generator they are given,
///   which the caller derives from the study seed and trial number: results never depend on timing.
///   The snapshot holds the trial being sampled (RUNNING) among the study's trials; while it is being created it
///   has no storage id yet and its ``FrozenTrial/id`` is -1 (caches keyed by trial id must not remember it).
public protocol Sampler: Sendable {
    /// System attributes to set on a trial as it is created.
    func beforeTrial(study: StudySnapshot, trial: FrozenTrial) -> [String: JSONValue]

    /// The search space to sample jointly for `trial`.
    func inferRelativeSearchSpace(study: StudySnapshot, trial: FrozenTrial) -> SearchSpace

    /// Joint values (internal representation) for `searchSpace`; may omit names it cannot sample.
    func sampleRelative(
        study: StudySnapshot, trial: FrozenTrial, searchSpace: SearchSpace, using rng: inout SeededGenerator
    ) -> [String: Double]

    /// ``sampleRelative(study:trial:searchSpace:using:)`` plus system attributes to record on the trial, for
    /// samplers that carry something from one trial to the next (the GP's fitted kernel, Optuna's warm start).
    /// The caller stores the attributes with the trial's parameters. By default: no attributes.
    func sampleRelativeRecording(
        study: StudySnapshot, trial: FrozenTrial, searchSpace: SearchSpace, using rng: inout SeededGenerator
    ) -> (values: [String: Double], attributes: [String: JSONValue])

    /// One value (internal representation) for one parameter, which must lie in `distribution`.
    func sampleIndependent(
        study: StudySnapshot, trial: FrozenTrial, name: String, distribution: Distribution,
        using rng: inout SeededGenerator
    ) -> Double

    /// Whether anything the sampler returns depends on the study's trials. When nothing does, the caller may
    /// hand it the whole study instead of a pruner's view of it (Hyperband's bracket: a checksum per trial).
    var readsHistory: Bool { get }
}

extension Sampler {
    /// Samplers read the history unless they say otherwise.
    public var readsHistory: Bool { true }

    /// No attributes by default.
    public func beforeTrial(study: StudySnapshot, trial: FrozenTrial) -> [String: JSONValue] { [:] }

    /// No relative space by default: every parameter is sampled independently.
    public func inferRelativeSearchSpace(study: StudySnapshot, trial: FrozenTrial) -> SearchSpace { [:] }

    /// The relative sample, recording nothing.
    public func sampleRelativeRecording(
        study: StudySnapshot, trial: FrozenTrial, searchSpace: SearchSpace, using rng: inout SeededGenerator
    ) -> (values: [String: Double], attributes: [String: JSONValue]) {
        (sampleRelative(study: study, trial: trial, searchSpace: searchSpace, using: &rng), [:])
    }

    /// Nothing by default.
    public func sampleRelative(
        study: StudySnapshot, trial: FrozenTrial, searchSpace: SearchSpace, using rng: inout SeededGenerator
    ) -> [String: Double] { [:] }
}
