/// The wire forms of the genetic samplers' `crossover` and `mutation` options.
///
/// A crossover is a name or an object with the crossover class's keyword arguments:
/// `"sbx"` or `{"type": "sbx", "eta": 15, "uniform_crossover_prob": 0.5, "use_child_gene_prob": 0.5}`.
/// Names are `uniform`, `blxalpha` (`alpha`), `sbx` and `vsbx` (`eta`, `uniform_crossover_prob`,
/// `use_child_gene_prob`), `spx` (`epsilon`) and `undx` (`sigma_xi`, `sigma_eta`); Optuna's class names
/// (`"SBXCrossover"`, …) are accepted too. A mutation is null (resample uniformly), `"polynomial"` or
/// `{"type": "polynomial", "eta": 20}`.
enum NSGAOptions {
    private static let crossoverOptions: [String: [(String, JSONValue)]] = [
        "uniform": [],
        "blxalpha": [("alpha", 0.5)],
        "sbx": [("eta", .null), ("uniform_crossover_prob", 0.5), ("use_child_gene_prob", 0.5)],
        "vsbx": [("eta", .null), ("uniform_crossover_prob", 0.5), ("use_child_gene_prob", 0.5)],
        "spx": [("epsilon", .null)],
        "undx": [("sigma_xi", 0.5), ("sigma_eta", .null)],
    ]

    /// Canonical crossover name for a name or Optuna class name.
    static func crossoverName(_ raw: String) -> String? {
        var name = raw.lowercased()
        if name.hasSuffix("crossover") { name.removeLast("crossover".count) }
        return crossoverOptions[name] != nil ? name : nil
    }

    /// Validates a `crossover` option: a string stays a (canonical) string, an object gets its defaults.
    static func normalizeCrossover(_ value: JSONValue) throws(StudyError) -> JSONValue {
        let (name, given) = try typed(value, option: "crossover")
        guard let canonical = crossoverName(name), let known = crossoverOptions[canonical] else {
            throw .invalidConfiguration(
                "unknown crossover '\(name)'; valid: uniform, blxalpha, sbx, vsbx, spx, undx")
        }
        guard let given else { return .string(canonical) }
        return try withDefaults(given, known: known, type: canonical, option: "crossover")
    }

    /// Validates a `mutation` option (null, `"polynomial"` or an object).
    static func normalizeMutation(_ value: JSONValue) throws(StudyError) -> JSONValue {
        if value.isNull { return .null }
        let (name, given) = try typed(value, option: "mutation")
        guard ["polynomial", "polynomialmutation"].contains(name.lowercased()) else {
            throw .invalidConfiguration("unknown mutation '\(name)'; valid: polynomial (or null)")
        }
        guard let given else { return .string("polynomial") }
        return try withDefaults(given, known: [("eta", 20.0)], type: "polynomial", option: "mutation")
    }

    /// The crossover a normalized option describes.
    static func crossover(_ value: JSONValue?) -> NSGACrossover {
        let name = value?.stringValue ?? value?["type"]?.stringValue ?? "uniform"
        let num: (String, Double) -> Double = { key, fallback in value?[key]?.doubleValue ?? fallback }
        let opt: (String) -> Double? = { key in value?[key]?.doubleValue }
        switch crossoverName(name) ?? "uniform" {
        case "blxalpha": return .blxAlpha(alpha: num("alpha", 0.5))
        case "sbx":
            return .sbx(
                eta: opt("eta"), uniformCrossoverProb: num("uniform_crossover_prob", 0.5),
                useChildGeneProb: num("use_child_gene_prob", 0.5))
        case "vsbx":
            return .vsbx(
                eta: opt("eta"), uniformCrossoverProb: num("uniform_crossover_prob", 0.5),
                useChildGeneProb: num("use_child_gene_prob", 0.5))
        case "spx": return .spx(epsilon: opt("epsilon"))
        case "undx": return .undx(sigmaXi: num("sigma_xi", 0.5), sigmaEta: opt("sigma_eta"))
        default: return .uniform
        }
    }

    /// The mutation a normalized option describes.
    static func mutation(_ value: JSONValue?) -> PolynomialMutation? {
        guard let value, !value.isNull else { return nil }
        return PolynomialMutation(eta: value["eta"]?.doubleValue ?? 20)
    }

    /// Checks the crossover's own arguments (ranges as Optuna's constructors check them).
    static func validate(_ c: NSGACrossover) throws(StudyError) {
        switch c {
        case .sbx(let eta, let ucp, let ugp), .vsbx(let eta, let ucp, let ugp):
            if let eta, eta < 0 { throw .invalidConfiguration("crossover 'eta' must be >= 0, got \(eta)") }
            guard (0...1).contains(ucp) else {
                throw .invalidConfiguration("crossover 'uniform_crossover_prob' must be within [0, 1], got \(ucp)")
            }
            guard ugp > 0, ugp <= 1 else {
                throw .invalidConfiguration("crossover 'use_child_gene_prob' must be within (0, 1], got \(ugp)")
            }
        default: break
        }
    }

    private static func typed(_ value: JSONValue, option: String) throws(StudyError) -> (String, [String: JSONValue]?) {
        if let s = value.stringValue { return (s, nil) }
        guard var o = value.objectValue, let name = o.removeValue(forKey: "type")?.stringValue else {
            throw .invalidConfiguration("option '\(option)' must be a name or an object with a string \"type\"")
        }
        return (name, o)
    }

    private static func withDefaults(
        _ given: [String: JSONValue], known: [(String, JSONValue)], type: String, option: String
    ) throws(StudyError) -> JSONValue {
        if let unknown = given.firstUnknownKey(known: known.map(\.0)) {
            let valid = known.map(\.0).joined(separator: ", ")
            throw .invalidConfiguration(
                "unknown \(option) argument '\(unknown)' for '\(type)'; valid: \(valid.isEmpty ? "none" : valid)")
        }
        var out: [String: JSONValue] = ["type": .string(type)]
        for (key, fallback) in known {
            let v = given[key] ?? fallback
            guard v.isNull || (v.doubleValue?.isFinite ?? false && v.stringValue == nil) else {
                throw .invalidConfiguration("\(option) argument '\(key)' must be a finite number, got \(v)")
            }
            out[key] = v
        }
        return .object(out)
    }
}
