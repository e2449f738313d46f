#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import OptunaClient
import OptunaCore
import OptunaProtocol

/// What every trial of one `optunactl run` shares.
struct RunPlan: Sendable {
    var study: String
    var searchSpace: [String: JSONValue]
    var command: [String]
    var socketPath: String
    var objectives: Int
    var objectivePattern: String?
    var reportPattern: String?
    var metricFile: String?
    var killGrace: Double
    var prefixOutput: Bool
    var json: Bool
}

/// One trial of `optunactl run`: ask, run the command with the parameters, follow its output (reporting
/// intermediate values and stopping it when the pruner says so), and tell the result.
///
/// The trial ends COMPLETE with the command's objective value(s); PRUNED when the pruner stopped it; FAIL
/// when the command exits non-zero or is killed (user attribute `exit_status` or `signal`), prints no
/// objective (`failure`), cannot be started (`failure`), or optunactl is interrupted (`interrupted`).
struct TrialExecution {
    let plan: RunPlan
    let client: OptunaClient
    let scanner: OutputScanner

    /// Runs the trial and returns the told trial. - Throws: the daemon's refusals and connection failures.
    func run() throws(ClientError) -> JSONValue {
        var ask: [String: JSONValue] = ["study_name": .string(plan.study)]
        if !plan.searchSpace.isEmpty { ask["search_space"] = .object(plan.searchSpace) }
        let asked = try client.call("ask", ask)
        guard let trialID = asked["trial_id"]?.int64Value, let number = asked["number"]?.intValue else {
            throw .malformedResponse("ask answered without trial_id: \(asked)")
        }
        let params = asked["params"]?.objectValue ?? [:]
        var attrs: [String: JSONValue] = [:]
        let outcome = execute(trialID: trialID, number: number, params: params, attrs: &attrs)
        for (key, value) in attrs.sorted(by: { $0.key < $1.key }) {
            _ = try client.call("set_trial_user_attr", ["trial_id": .int(trialID), "key": .string(key), "value": value])
        }
        var tell: [String: JSONValue] = ["trial_id": .int(trialID)]
        switch outcome {
        case .values(let values): tell["values"] = .array(values)
        case .pruned: tell["state"] = "PRUNED"
        case .failed: tell["state"] = "FAIL"
        }
        return try client.call("tell", tell)
    }

    private enum Outcome {
        case values([JSONValue])
        case pruned
        case failed
    }

    private func execute(trialID: Int64, number: Int, params: [String: JSONValue],
                         attrs: inout [String: JSONValue]) -> Outcome {
        let words = placeholders(trialID: trialID, number: number, params: params)
        let argv = plan.command.map { substitute($0, words) }
        var environment = DefaultPaths.processEnvironment
        for (name, value) in params { environment["OPTUNA_PARAM_" + Output.envName(name)] = Output.cell(value) }
        environment["OPTUNA_TRIAL_ID"] = String(trialID)
        environment["OPTUNA_TRIAL_NUMBER"] = String(number)
        environment["OPTUNA_STUDY"] = plan.study
        environment["OPTUNAD_SOCKET"] = plan.socketPath
        let started = time(nil)
        let child: ChildProcess
        do {
            child = try ChildProcess(arguments: argv, environment: environment)
        } catch {
            attrs["failure"] = .string(error.description)
            Stderr.print("optunactl: trial \(number): \(error.description)")
            return .failed
        }
        var state = FollowState()
        follow(child, number: number, trialID: trialID, state: &state)
        let termination = child.wait()
        switch termination {
        case .exited(let code): attrs["exit_status"] = .int(Int64(code))
        case .signaled(let signal): attrs["signal"] = .int(Int64(signal))
        }
        if state.interrupted {
            attrs["interrupted"] = true
            return .failed
        }
        if state.pruned { return .pruned }
        guard termination == .exited(0) else { return .failed }
        var values = state.objective
        if let file = plan.metricFile {
            values = readMetricFile(substitute(file, words), notBefore: started)
        }
        guard let values else {
            let source = plan.metricFile == nil ? "the command's output" : "the metric file"
            attrs["failure"] = .string("no objective value in \(source)")
            return .failed
        }
        guard values.count == plan.objectives else {
            attrs["failure"] = .string("expected \(plan.objectives) objective value(s), got \(values.count)")
            return .failed
        }
        return .values(values)
    }

    private struct FollowState {
        var objective: [JSONValue]?
        var pruned = false
        var interrupted = false
        var lastStep: Int64?
    }

    /// Reads the command's output until it ends, reporting and pruning on the way.
    private func follow(_ child: ChildProcess, number: Int, trialID: Int64, state: inout FollowState) {
        var stopping = false
        while true {
            if !stopping, Interruption.signalReceived != nil {
                state.interrupted = true
                stopping = true
                child.terminate(grace: plan.killGrace)
            }
            switch child.nextLine(timeoutMilliseconds: 100) {
            case .endOfOutput:
                return
            case .timeout:
                // A command may exit while something it started still holds its output open.
                if child.hasExited {
                    drain(child, number: number, state: &state)
                    return
                }
            case .line(let line):
                echo(line, number: number)
                guard !stopping else { continue }
                if let values = scanner.objectiveValues(in: line) { state.objective = values }
                if plan.objectives == 1, let (step, value) = scanner.intermediate(in: line),
                    report(trialID: trialID, step: step, value: value)
                {
                    state.pruned = true
                    stopping = true
                    child.terminate(grace: plan.killGrace)
                }
            }
        }
    }

    /// Reads what is left of the output of an exited command, until it ends or stays quiet for 50 ms.
    private func drain(_ child: ChildProcess, number: Int, state: inout FollowState) {
        while true {
            guard case .line(let line) = child.nextLine(timeoutMilliseconds: 50) else { return }
            echo(line, number: number)
            if let values = scanner.objectiveValues(in: line) { state.objective = values }
        }
    }

    /// Reports one intermediate value; true when the trial should be pruned. A report the daemon refuses is
    /// shown and ignored (the command's result still counts).
    private func report(trialID: Int64, step: Int64, value: JSONValue) -> Bool {
        do {
            let r = try client.call("report", ["trial_id": .int(trialID), "step": .int(step), "value": value])
            return r["should_prune"]?.boolValue == true
        } catch {
            Stderr.print("optunactl: report of step \(step) refused: \(error)")
            return false
        }
    }

    private func echo(_ line: String, number: Int) {
        let text = plan.prefixOutput ? "[trial \(number)] \(line)" : line
        if plan.json {
            Stderr.print(text)
        } else {
            print(text)
            fflush(nil)  // all output streams: the line should show while the command runs
        }
    }

    private func placeholders(trialID: Int64, number: Int, params: [String: JSONValue]) -> [String: String] {
        var words = ["trial_id": String(trialID), "trial_number": String(number), "study": plan.study]
        for (name, value) in params { words[name] = Output.cell(value) }
        return words
    }

    /// Replaces each `{name}` whose name is a parameter (or trial_id, trial_number, study); other braces stay.
    private func substitute(_ word: String, _ words: [String: String]) -> String {
        guard word.contains("{") else { return word }
        var out = ""
        var rest = Substring(word)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            let after = rest[rest.index(after: open)...]
            if let close = after.firstIndex(of: "}"), let value = words[String(after[..<close])] {
                out += value
                rest = after[after.index(after: close)...]
            } else {
                out += "{"
                rest = after
            }
        }
        return out + rest
    }

    /// The values in a metric file written during this trial (an older file is a leftover, not a result).
    private func readMetricFile(_ path: String, notBefore: time_t) -> [JSONValue]? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mtim.tv_sec >= notBefore, let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&chunk, 1, chunk.count, file)
            if n <= 0 { break }
            bytes.append(contentsOf: chunk[..<n])
            if bytes.count > 1 << 20 { return nil }
        }
        return OutputScanner.fileValues(String(decoding: bytes, as: UTF8.self))
    }
}
