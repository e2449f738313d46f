import ArgumentParser
import OptunaCore

/// `optunactl studies`: every study with its trial counts.
struct Studies: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the studies.")

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let r = try connection.call("get_all_studies")
        if connection.format == .json { return Output.json(r) }
        let rows = (r.arrayValue ?? []).map { s in
            [Output.cell(s["study_name"]), Output.cell(s["directions"]), Output.cell(s["n_trials"]),
             Output.cell(s["best_trial"]?["values"]), Output.cell(s["sampler"]?["type"]),
             Output.cell(s["datetime_start"])]
        }
        Output.table(["name", "directions", "n_trials", "best_values", "sampler", "datetime_start"], rows)
    }
}

/// `optunactl create-study NAME`.
struct CreateStudy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-study", abstract: "Create a study (or load it with --load-if-exists).")

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The study name (generated when omitted).")
    var name: String?

    @Option(name: .long, help: "minimize or maximize.")
    var direction: String?

    @Option(name: .long, parsing: .upToNextOption, help: "One direction per objective, e.g. --directions minimize maximize.")
    var directions: [String] = []

    @Option(name: .long, help: ArgumentHelp("Sampler type (random, tpe, …) or a JSON spec.", valueName: "type|json"))
    var sampler: String?

    @Option(name: .long, help: "Seed of the sampler.")
    var seed: Int64?

    @Option(name: .long, help: ArgumentHelp("Pruner type (median, …) or a JSON spec.", valueName: "type|json"))
    var pruner: String?

    @Flag(name: .long, help: "Return the existing study instead of failing when the name is taken.")
    var loadIfExists = false

    @Option(name: .customLong("user-attr"), help: ArgumentHelp("A study user attribute (repeatable).", valueName: "key=value"))
    var userAttrs: [String] = []

    func validate() throws {
        if direction != nil, !directions.isEmpty { throw ValidationError("give --direction or --directions, not both") }
    }

    func run() throws {
        var params: [String: JSONValue] = [:]
        if let name { params["study_name"] = .string(name) }
        if let direction { params["direction"] = .string(direction) }
        if !directions.isEmpty { params["directions"] = .array(directions.map(JSONValue.string)) }
        var samplerSpec: JSONValue? = sampler.map(Self.spec)
        if let seed {
            // A seed without a sampler keeps the daemon's default sampler type.
            let type = samplerSpec?.stringValue ?? samplerSpec?["type"]?.stringValue ?? Self.defaultSampler(connection)
            var o = samplerSpec?.objectValue ?? [:]
            o["type"] = .string(type)
            o["seed"] = .int(seed)
            samplerSpec = .object(o)
        }
        if let samplerSpec { params["sampler"] = samplerSpec }
        if let pruner { params["pruner"] = Self.spec(pruner) }
        if loadIfExists { params["load_if_exists"] = true }
        if !userAttrs.isEmpty {
            var attrs: [String: JSONValue] = [:]
            for a in userAttrs {
                let (k, v) = try ParamSyntax.keyValue(a, option: "--user-attr")
                attrs[k] = v
            }
            params["user_attrs"] = .object(attrs)
        }
        let r = try connection.call("create_study", params)
        if connection.format == .json { return Output.json(r) }
        Output.fields([
            ("study", Output.cell(r["study_name"])), ("study_id", Output.cell(r["study_id"])),
            ("directions", Output.cell(r["directions"])), ("sampler", Output.cell(r["sampler"])),
            ("pruner", Output.cell(r["pruner"])), ("n_trials", Output.cell(r["n_trials"])),
        ])
    }

    /// The sampler type the daemon uses when none is named (tpe when it has it).
    static func defaultSampler(_ connection: ConnectionOptions) -> String {
        let samplers = (try? connection.call("hello"))?["samplers"]?.arrayValue ?? []
        return samplers.contains("tpe") ? "tpe" : "random"
    }

    /// A type name, or a JSON object when the text parses as one.
    static func spec(_ text: String) -> JSONValue {
        if let j = try? JSONParser.parse(text), j.objectValue != nil { return j }
        return .string(text)
    }
}

/// `optunactl delete-study NAME`.
struct DeleteStudy: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete-study", abstract: "Delete a study and its trials.")

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The study name.")
    var name: String

    func run() throws {
        let r = try connection.call("delete_study", ["study_name": .string(name)])
        if connection.format == .json { return Output.json(r) }
        print("deleted study '\(name)'")
    }
}
