import ArgumentParser
import OptunaCore

/// `optunactl tell TRIAL_ID VALUE…`: finish a trial.
struct Tell: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Finish a trial with its objective value(s), or as PRUNED or FAIL.",
        discussion: "Values may be nan, inf or -inf. A NaN value makes the trial FAIL, as in Optuna.")

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The trial id printed by ask.")
    var trialID: Int64

    @Argument(help: "One value per objective.")
    var values: [String] = []

    @Option(name: .long, help: "COMPLETE, PRUNED or FAIL (default: COMPLETE, or FAIL for NaN).")
    var state: String?

    @Option(name: .long, parsing: .upToNextOption, help: "Constraint values; the trial is feasible iff all are <= 0.")
    var constraints: [String] = []

    @Flag(name: .long, help: "Do nothing (and succeed) when the trial has finished already.")
    var skipIfFinished = false

    func run() throws {
        var params: [String: JSONValue] = ["trial_id": .int(trialID)]
        if !values.isEmpty { params["values"] = .array(try values.map { try Self.number($0) }) }
        if let state { params["state"] = .string(state.uppercased()) }
        if !constraints.isEmpty { params["constraints"] = .array(try constraints.map { try Self.number($0) }) }
        if skipIfFinished { params["skip_if_finished"] = true }
        let r = try connection.call("tell", params)
        if connection.format == .json { return Output.json(r) }
        Output.trial(r)
    }

    /// A number from the command line, accepting nan, inf and -inf.
    static func number(_ s: String) throws -> JSONValue {
        switch s.lowercased() {
        case "nan": return "NaN"
        case "inf", "+inf", "infinity": return "Infinity"
        case "-inf", "-infinity": return "-Infinity"
        default:
            guard let d = Double(s) else { throw ValidationError("'\(s)' is not a number") }
            return .double(d)
        }
    }
}

/// `optunactl report TRIAL_ID STEP VALUE`: report an intermediate value.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Report an intermediate value; prints whether the trial should be pruned.",
        discussion: "Exit status 0 either way; the answer is printed as prune or continue (or JSON).")

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The trial id.")
    var trialID: Int64

    @Argument(help: "The step (an integer >= 0).")
    var step: Int64

    @Argument(help: "The intermediate value.")
    var value: String

    func run() throws {
        let r = try connection.call(
            "report", ["trial_id": .int(trialID), "step": .int(step), "value": try Tell.number(value)])
        if connection.format == .json { return Output.json(r) }
        print(r["should_prune"]?.boolValue == true ? "prune" : "continue")
    }
}

/// `optunactl enqueue STUDY --param x=1`: queue a trial with fixed parameters.
struct Enqueue: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Queue a trial with fixed parameters.")

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The study name.")
    var study: String

    @Option(name: .long, help: ArgumentHelp("A fixed parameter value (repeatable).", valueName: "name=value"))
    var param: [String] = []

    @Option(name: .long, help: ArgumentHelp("The parameters as a JSON object.", valueName: "json"))
    var params: String?

    @Flag(name: .long, help: "Do not queue when a trial with these parameters exists.")
    var skipIfExists = false

    func run() throws {
        var fixed: [String: JSONValue] = [:]
        if let params {
            guard let o = (try? JSONParser.parse(params))?.objectValue else {
                throw ValidationError("--params must be a JSON object")
            }
            fixed = o
        }
        for p in param {
            guard let eq = p.firstIndex(of: "="), eq != p.startIndex else {
                throw ValidationError("--param '\(p)': expected name=value")
            }
            fixed[String(p[..<eq])] = ParamSyntax.typed(String(p[p.index(after: eq)...]))
        }
        var request: [String: JSONValue] = ["study_name": .string(study), "params": .object(fixed)]
        if skipIfExists { request["skip_if_exists"] = true }
        let r = try connection.call("enqueue_trial", request)
        if connection.format == .json { return Output.json(r) }
        Output.fields([("trial_id", Output.cell(r["trial_id"])), ("number", Output.cell(r["number"]))])
    }
}
