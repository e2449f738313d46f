import ArgumentParser
import OptunaClient
import OptunaCore
import OptunaProtocol
import Synchronization

/// `optunactl run STUDY --param … -- COMMAND …`: tune any command without writing code.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tune a command: ask for parameters, run it with them, tell its result; repeat.",
        discussion: """
            Each trial asks for the --param values, replaces {name} in the command's words with them ({trial_id}, \
            {trial_number} and {study} too), exports OPTUNA_PARAM_<NAME>, OPTUNA_TRIAL_ID, OPTUNA_TRIAL_NUMBER, \
            OPTUNA_STUDY and OPTUNAD_SOCKET, and runs the command. The objective is the last line matching \
            --metric-regex (default: objective=V, or objective=V1,V2 for several objectives), or the content of \
            --metric-file. Lines matching --report-regex (default: step=N value=V) are reported as they appear, \
            and the command is stopped (SIGTERM to its process group, SIGKILL after --kill-grace seconds) when the \
            pruner says so. The trial is told COMPLETE, PRUNED, or FAIL when the command exits non-zero, is \
            killed, or prints no objective (user attributes exit_status, signal, failure). Ctrl-C stops the \
            running commands and fails their trials. Example: optunactl run demo --param lr=float:1e-5:1e-1:log \
            --param layers=int:1:8 --n-trials 20 -- ./train --lr {lr} --layers {layers}
            """)

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The study name.")
    var study: String

    @Option(
        name: .long, help: ArgumentHelp("A parameter and its distribution (repeatable).", valueName: "name=kind:…"))
    var param: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp("The search space as JSON: {\"x\": {\"type\": \"float\", …}}.", valueName: "json"))
    var searchSpace: String?

    @Option(name: .customLong("n-trials"), help: "How many trials to run.")
    var nTrials: Int = 1

    @Option(name: .long, help: "How many trials to run at once.")
    var jobs: Int = 1

    @Option(name: .long, help: "Start no new trial after this many seconds.")
    var timeout: Double?

    @Option(
        name: .long,
        help: ArgumentHelp("Where the objective is: a regex whose first group is the value(s).", valueName: "regex"))
    var metricRegex: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Intermediate values: a regex whose groups are the step and the value.", valueName: "regex"))
    var reportRegex: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Read the objective from this file ({name} placeholders allowed).", valueName: "path"))
    var metricFile: String?

    @Option(name: .long, help: "Create the study (if missing) with this direction: minimize or maximize.")
    var direction: String?

    @Option(name: .long, parsing: .upToNextOption, help: "Create the study (if missing) with these directions.")
    var directions: [String] = []

    @Option(name: .long, help: "Seconds between SIGTERM and SIGKILL when stopping a command.")
    var killGrace: Double = 5

    @Argument(parsing: .postTerminator, help: "The command and its arguments, after --.")
    var command: [String] = []

    func validate() throws {
        if command.isEmpty { throw ValidationError("give the command to run after --") }
        if nTrials < 1 { throw ValidationError("--n-trials must be at least 1") }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if killGrace < 0 { throw ValidationError("--kill-grace must not be negative") }
        if direction != nil, !directions.isEmpty { throw ValidationError("give --direction or --directions, not both") }
        do {
            _ = try OutputScanner(objectivePattern: metricRegex, reportPattern: reportRegex)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        Interruption.install()
        let plan = try makePlan()
        let state = RunState(trials: nTrials, deadline: timeout.map { ChildProcess.now() + $0 })
        var threads: [WorkerThread] = []
        for _ in 0..<jobs {
            do {
                threads.append(try WorkerThread { Self.work(plan: plan, state: state) })
            } catch {
                Stderr.print("optunactl: \(error.description)")
                break
            }
        }
        for t in threads { t.join() }
        try finish(plan: plan, state: state)
    }

    /// The plan: the study (created when a direction is given), its objective count, the search space.
    private func makePlan() throws -> RunPlan {
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
        if direction != nil || !directions.isEmpty {
            var create: [String: JSONValue] = ["study_name": .string(study), "load_if_exists": true]
            if let direction { create["direction"] = .string(direction) }
            if !directions.isEmpty { create["directions"] = .array(directions.map(JSONValue.string)) }
            _ = try connection.call("create_study", create)
        }
        let info = try connection.call("get_study", ["study_name": .string(study)])
        return RunPlan(
            study: study, searchSpace: space, command: command, socketPath: connection.socketPath,
            objectives: info["directions"]?.arrayValue?.count ?? 1, objectivePattern: metricRegex,
            reportPattern: reportRegex, metricFile: metricFile, killGrace: killGrace, prefixOutput: jobs > 1,
            json: connection.format == .json)
    }

    /// One worker: its own connection, trials until none are left, the time is up, or something failed.
    private static func work(plan: RunPlan, state: RunState) {
        let client: OptunaClient
        let scanner: OutputScanner
        do {
            client = try OptunaClient(socketPath: plan.socketPath)
            scanner = try OutputScanner(objectivePattern: plan.objectivePattern, reportPattern: plan.reportPattern)
        } catch {
            state.fail("\(error)", exitCode: 69)
            return
        }
        let execution = TrialExecution(plan: plan, client: client, scanner: scanner)
        while state.claim() {
            do {
                let told = try execution.run()
                state.finished(told)
                printTrial(told, json: plan.json)
            } catch ClientError.server(let e) {
                state.fail("\(e.message) [\(e.kind.rawValue)]", exitCode: 1)
            } catch {
                state.fail("\(error)", exitCode: 69)
            }
        }
    }

    private static func printTrial(_ t: JSONValue, json: Bool) {
        if json { return Output.json(t) }
        let params = (t["params"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key })
            .map { "\($0.key)=\(Output.cell($0.value))" }.joined(separator: " ")
        print("trial \(Output.cell(t["number"])) \(Output.cell(t["state"])) \(Output.cell(t["values"]))  \(params)")
    }

    /// Prints the summary and picks the exit status: 128 + signal when interrupted, the worst failure otherwise.
    private func finish(plan: RunPlan, state: RunState) throws {
        let summary = state.summary()
        if let failure = summary.failure { Stderr.print("optunactl: \(failure)") }
        if !plan.json {
            let counts = summary.counts.sorted(by: { $0.key < $1.key }).map { "\($0.value) \($0.key)" }
            print("\(summary.finished) trial(s) run: \(counts.joined(separator: ", "))")
            if plan.objectives == 1, let best = try? connection.call("best_trial", ["study_name": .string(study)]) {
                print("best: trial \(Output.cell(best["number"])) value \(Output.cell(best["value"]))")
            }
        }
        if let signal = Interruption.signalReceived { throw ExitCode(128 + signal) }
        if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
    }
}

/// The trial loops' shared bookkeeping.
final class RunState: Sendable {
    struct Summary {
        var started = 0
        var finished = 0
        var counts: [String: Int] = [:]
        var failure: String?
        var exitCode: Int32 = 0
    }

    private let trials: Int
    private let deadline: Double?
    private let state = Mutex(Summary())

    init(trials: Int, deadline: Double?) {
        self.trials = trials
        self.deadline = deadline
    }

    /// Takes the next trial to run; false when none are left, time is up, a worker failed, or on Ctrl-C.
    func claim() -> Bool {
        if Interruption.signalReceived != nil { return false }
        if let deadline, ChildProcess.now() >= deadline { return false }
        return state.withLock { s in
            guard s.failure == nil, s.started < trials else { return false }
            s.started += 1
            return true
        }
    }

    func finished(_ trial: JSONValue) {
        state.withLock { s in
            s.finished += 1
            s.counts[trial["state"]?.stringValue ?? "?", default: 0] += 1
        }
    }

    /// Records the first failure; the other workers stop after their current trial.
    func fail(_ message: String, exitCode: Int32) {
        state.withLock { s in
            if s.failure == nil {
                s.failure = message
                s.exitCode = exitCode
            }
        }
    }

    func summary() -> Summary { state.withLock { $0 } }
}
