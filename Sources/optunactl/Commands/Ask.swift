import ArgumentParser
import OptunaCore

/// `optunactl ask STUDY --param …`: start a trial and print its parameters.
struct Ask: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start a trial and sample its parameters.",
        discussion: """
            Parameters: --param name=float:low:high[:log|:step=S], name=int:low:high[:log|:step=S], \
            name=cat:a,b,c (repeatable), or --search-space with a JSON object of distributions. \
            With --format env, prints OPTUNA_TRIAL_ID=…, OPTUNA_TRIAL_NUMBER=… and one OPTUNA_PARAM_<NAME>=… per \
            parameter, shell-quoted, for eval "$(optunactl ask … --format env)".
            """)

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The study name.")
    var study: String

    @Option(name: .long, help: ArgumentHelp("A parameter and its distribution (repeatable).", valueName: "name=kind:…"))
    var param: [String] = []

    @Option(name: .long, help: ArgumentHelp("The search space as JSON: {\"x\": {\"type\": \"float\", …}}.", valueName: "json"))
    var searchSpace: String?

    func run() throws {
        var space: [String: JSONValue] = [:]
        if let searchSpace {
            guard let o = (try? JSONParser.parse(searchSpace))?.objectValue else {
                throw ValidationError("--search-space must be a JSON object of distributions")
            }
            space = o
        }
        for p in param {
            let (name, d) = try ParamSyntax.parse(p)
            space[name] = d
        }
        var params: [String: JSONValue] = ["study_name": .string(study)]
        if !space.isEmpty { params["search_space"] = .object(space) }
        let r = try connection.call("ask", params)
        switch connection.format {
        case .json: Output.json(r)
        case .env:
            print("OPTUNA_TRIAL_ID=\(Output.cell(r["trial_id"]))")
            print("OPTUNA_TRIAL_NUMBER=\(Output.cell(r["number"]))")
            for (k, v) in (r["params"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                print("OPTUNA_PARAM_\(Output.envName(k))=\(Output.shellQuoted(Output.cell(v)))")
            }
        case .table:
            var pairs = [("trial_id", Output.cell(r["trial_id"])), ("number", Output.cell(r["number"]))]
            for (k, v) in (r["params"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                pairs.append((k, Output.cell(v)))
            }
            Output.fields(pairs)
        }
    }
}
