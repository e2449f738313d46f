/// Fixes some parameters and leaves the rest to another sampler (Optuna's `PartialFixedSampler`).
///
/// Fixed parameters are removed from the base sampler's relative search space and take their fixed value
/// whenever it lies in the distribution asked for; a value outside it (Optuna warns and uses it anyway)
/// goes to the base sampler instead, since the daemon never stores a value outside its distribution.
public struct PartialFixedSampler: Sampler {
    /// Parameter name → fixed external value.
    public let fixedParams: [String: JSONValue]
    /// The sampler for everything else.
    public let baseSampler: any Sampler

    /// Creates the sampler.
    public init(fixedParams: [String: JSONValue], baseSampler: any Sampler) {
        self.fixedParams = fixedParams
        self.baseSampler = baseSampler
    }

    /// The base sampler's attributes.
    public func beforeTrial(study: StudySnapshot, trial: FrozenTrial) -> [String: JSONValue] {
        baseSampler.beforeTrial(study: study, trial: trial)
    }

    /// The base sampler's relative space without the fixed parameters.
    public func inferRelativeSearchSpace(study: StudySnapshot, trial: FrozenTrial) -> SearchSpace {
        baseSampler.inferRelativeSearchSpace(study: study, trial: trial).filter { fixedParams[$0.key] == nil }
    }

    /// The base sampler's joint values.
    public func sampleRelative(
        study: StudySnapshot, trial: FrozenTrial, searchSpace: SearchSpace, using rng: inout SeededGenerator
    ) -> [String: Double] {
        baseSampler.sampleRelative(study: study, trial: trial, searchSpace: searchSpace, using: &rng)
    }

    /// The fixed value when there is one in `distribution`, else the base sampler's.
    public func sampleIndependent(
        study: StudySnapshot, trial: FrozenTrial, name: String, distribution: Distribution,
        using rng: inout SeededGenerator
    ) -> Double {
        if let value = fixedParams[name], let v = try? distribution.internalValue(of: value, name: name) { return v }
        return baseSampler.sampleIndependent(
            study: study, trial: trial, name: name, distribution: distribution, using: &rng)
    }
}

extension PartialFixedSampler {
    /// `{"type": "partial_fixed", "fixed_params": {"x": 1.5}, "base_sampler": {"type": "tpe", …}}` (alias
    /// `PartialFixedSampler`); both options are required, and `base_sampler` is any sampler spec (a type
    /// name or an object), normalized with its defaults filled in.
    public static let kind: ComponentKind<any Sampler> = ComponentKind<any Sampler>(
        type: "partial_fixed", aliases: ["PartialFixedSampler"],
        options: [
            OptionSpec("fixed_params", default: .null, .custom(normalizeFixed)),
            OptionSpec("base_sampler", default: .null, .custom(normalizeBase)),
        ]
    ) { options throws(StudyError) in
        // The catalog is reached only when a sampler is made, never while it is being initialized.
        let catalog: ComponentCatalog<any Sampler> = SamplerCatalog.shared
        let base = try catalog.make(try catalog.normalize(options["base_sampler"] ?? .null))
        return PartialFixedSampler(fixedParams: options["fixed_params"]?.objectValue ?? [:], baseSampler: base)
    }

    private static func normalizeFixed(_ value: JSONValue) throws(StudyError) -> JSONValue {
        guard value.objectValue != nil else {
            throw .invalidConfiguration("partial_fixed option 'fixed_params' must be an object, got \(value)")
        }
        return value
    }

    private static func normalizeBase(_ value: JSONValue) throws(StudyError) -> JSONValue {
        let catalog: ComponentCatalog<any Sampler> = SamplerCatalog.shared
        return try catalog.normalize(value).json
    }
}
