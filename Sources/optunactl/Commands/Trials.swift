import ArgumentParser
import OptunaCore

/// `optunactl trials STUDY`.
struct Trials: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List a study's trials.")

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The study name.")
    var study: String

    @Option(name: .long, help: "Only trials in this state (repeatable).")
    var state: [String] = []

    @Option(name: .long, help: "Skip this many trials.")
    var offset: Int64?

    @Option(name: .long, help: "Show at most this many trials.")
    var limit: Int64?

    func run() throws {
        var params: [String: JSONValue] = ["study_name": .string(study)]
        if !state.isEmpty { params["states"] = .array(state.map { .string($0.uppercased()) }) }
        if let offset { params["offset"] = .int(offset) }
        if let limit { params["limit"] = .int(limit) }
        let r = try connection.call("get_trials", params)
        if connection.format == .json { return Output.json(r) }
        Output.trials(r.arrayValue ?? [])
    }
}

/// `optunactl best-trial STUDY`.
struct BestTrial: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "best-trial", abstract: "Show the best trial.")

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The study name.")
    var study: String

    func run() throws {
        let r = try connection.call("best_trial", ["study_name": .string(study)])
        if connection.format == .json { return Output.json(r) }
        Output.trial(r)
    }
}

/// `optunactl best-trials STUDY`.
struct BestTrials: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "best-trials", abstract: "Show the Pareto front (the best trials of a multi-objective study).")

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The study name.")
    var study: String

    func run() throws {
        let r = try connection.call("best_trials", ["study_name": .string(study)])
        if connection.format == .json { return Output.json(r) }
        Output.trials(r.arrayValue ?? [])
    }
}

/// `optunactl call METHOD [JSON]`: raw protocol access.
struct Call: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Call any protocol method with JSON params and print the JSON result.")

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The method name, e.g. get_study.")
    var method: String

    @Argument(help: "The params as a JSON object (default {}).")
    var params: String?

    func run() throws {
        var p: [String: JSONValue] = [:]
        if let params {
            guard let o = (try? JSONParser.parse(params))?.objectValue else {
                throw ValidationError("params must be a JSON object")
            }
            p = o
        }
        Output.json(try connection.call(method, p))
    }
}
