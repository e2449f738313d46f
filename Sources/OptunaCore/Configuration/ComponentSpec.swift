/// A sampler or pruner as configured for a study: its type and every option, defaults filled in.
///
/// On the wire and in storage it is one JSON object, `{"type": "tpe", "seed": 1, "multivariate": true, …}`.
public struct ComponentSpec: Hashable, Sendable {
    /// The canonical type name (`"random"`, `"tpe"`, `"median"`, …).
    public var type: String
    /// Every option of the type, with defaults filled in.
    public var options: [String: JSONValue]

    /// Creates a spec.
    public init(type: String, options: [String: JSONValue] = [:]) {
        self.type = type
        self.options = options
    }

    /// The spec as one JSON object.
    public var json: JSONValue {
        var o = options
        o["type"] = .string(type)
        return .object(o)
    }

    /// The `seed` option as a 64-bit seed: the spec's own, else a nested `base_sampler`'s (`partial_fixed`),
    /// else 0.
    public var seed: UInt64 {
        if let s = options["seed"]?.int64Value { return UInt64(bitPattern: s) }
        if let nested = options["base_sampler"]?["seed"]?.int64Value { return UInt64(bitPattern: nested) }
        return 0
    }
}

/// The options a component is made from, already validated against its ``OptionSpec``s.
public struct ComponentOptions: Sendable {
    /// The validated values, defaults filled in.
    public let values: [String: JSONValue]

    /// Wraps validated values.
    public init(_ values: [String: JSONValue]) { self.values = values }

    /// An integer option (nil when null).
    public func int(_ name: String) -> Int? { values[name]?.intValue }
    /// A 64-bit integer option (nil when null).
    public func int64(_ name: String) -> Int64? { values[name]?.int64Value }
    /// A numeric option (nil when null).
    public func double(_ name: String) -> Double? { values[name]?.doubleValue }
    /// A Boolean option (false when null).
    public func bool(_ name: String) -> Bool { values[name]?.boolValue ?? false }
    /// A string option (nil when null).
    public func string(_ name: String) -> String? { values[name]?.stringValue }
    /// The raw JSON of an option.
    public subscript(name: String) -> JSONValue? { values[name] }
}

/// A kind of component (one sampler or pruner type): its names, options and constructor.
public struct ComponentKind<Component: Sendable>: Sendable {
    /// The canonical type name.
    public let type: String
    /// Other accepted names, e.g. Optuna's class name `"RandomSampler"`.
    public let aliases: [String]
    /// The accepted options.
    public let options: [OptionSpec]
    /// Makes the component from validated options.
    public let make: @Sendable (ComponentOptions) throws(StudyError) -> Component

    /// Creates a kind.
    public init(
        type: String, aliases: [String] = [], options: [OptionSpec],
        make: @escaping @Sendable (ComponentOptions) throws(StudyError) -> Component
    ) {
        self.type = type
        self.aliases = aliases
        self.options = options
        self.make = make
    }
}

/// A set of component kinds that resolves JSON specs into validated ``ComponentSpec``s and instances.
public struct ComponentCatalog<Component: Sendable>: Sendable {
    /// What the catalog holds ("sampler" or "pruner"), for messages.
    public let noun: String
    /// The kinds, in the order `hello` lists them.
    public let kinds: [ComponentKind<Component>]

    /// Creates a catalog.
    public init(noun: String, kinds: [ComponentKind<Component>]) {
        self.noun = noun
        self.kinds = kinds
    }

    /// The canonical type names.
    public var typeNames: [String] { kinds.map(\.type) }

    /// The kind named `name` (a canonical name or an alias, case-insensitive).
    public func kind(named name: String) -> ComponentKind<Component>? {
        let lower = name.lowercased()
        return kinds.first { $0.type == lower || $0.aliases.contains { $0.lowercased() == lower } }
    }

    /// Validates a spec: a type name string, or an object `{"type": …, options…}`.
    ///
    /// Unknown types and unknown options are errors that list the valid ones; no typo passes silently.
    /// - Returns: the normalized spec (canonical type, every option with its default filled in).
    public func normalize(_ json: JSONValue) throws(StudyError) -> ComponentSpec {
        var members: [String: JSONValue]
        switch json {
        case .string(let name): members = ["type": .string(name)]
        case .object(let o): members = o
        default:
            throw .invalidConfiguration("a \(noun) spec must be an object like {\"type\": \"...\"}, got \(json.typeName)")
        }
        guard let typeName = members.removeValue(forKey: "type")?.stringValue else {
            throw .invalidConfiguration("a \(noun) spec needs a string \"type\"; valid types: \(typeNames.joined(separator: ", "))")
        }
        guard let kind = kind(named: typeName) else {
            throw .invalidConfiguration(
                "unknown \(noun) type '\(typeName)'; valid types: \(typeNames.joined(separator: ", "))")
        }
        if let unknown = members.firstUnknownKey(known: kind.options.map(\.name)) {
            let valid = kind.options.map(\.name).joined(separator: ", ")
            throw .invalidConfiguration(
                "unknown option '\(unknown)' for \(noun) '\(kind.type)'; valid options: \(valid.isEmpty ? "none" : valid)")
        }
        var options: [String: JSONValue] = [:]
        for option in kind.options {
            options[option.name] = try option.validate(members[option.name] ?? option.defaultValue, component: kind.type)
        }
        return ComponentSpec(type: kind.type, options: options)
    }

    /// Makes the component a normalized spec describes.
    public func make(_ spec: ComponentSpec) throws(StudyError) -> Component {
        guard let kind = kind(named: spec.type) else {
            throw .invalidConfiguration("unknown \(noun) type '\(spec.type)'; valid types: \(typeNames.joined(separator: ", "))")
        }
        return try kind.make(ComponentOptions(spec.options))
    }
}
