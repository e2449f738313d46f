import ArgumentParser
import FoundationEssentials
import OptunaCore

/// `optunactl export STUDY… --sqlite OUT.db | --csv OUT.csv | --json OUT.json`.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export studies: a self-contained SQLite file (Optuna's schema), or their trials as CSV or JSON.",
        discussion: """
            --sqlite writes a non-WAL copy that optuna.load_study and every optuna-dashboard (browser, VS Code) \
            open; without study names it holds every study. --csv writes one row per trial with Optuna's \
            trials_dataframe columns (study_name, number, values, datetimes, duration, params_*, user_attrs_*, \
            system_attrs_*, state); --json writes the trial objects of the protocol. '-' writes CSV or JSON to \
            standard output.
            """)

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The studies (all of them when none is named).")
    var studies: [String] = []

    @Option(name: .long, help: ArgumentHelp("Write a SQLite file (it must not exist).", valueName: "path"))
    var sqlite: String?

    @Option(name: .long, help: ArgumentHelp("Write the trials as CSV.", valueName: "path|-"))
    var csv: String?

    @Option(name: .customLong("json"), help: ArgumentHelp("Write the trials as JSON.", valueName: "path|-"))
    var jsonFile: String?

    func validate() throws {
        let given = [sqlite, csv, jsonFile].compactMap { $0 }.count
        guard given == 1 else { throw ValidationError("give exactly one of --sqlite, --csv, --json") }
        if sqlite == "-" { throw ValidationError("--sqlite needs a file path") }
    }

    func run() throws {
        if let sqlite {
            guard !FileManager.default.fileExists(atPath: sqlite) else {
                Stderr.print("optunactl: \(sqlite) exists already; export to a new file")
                throw ExitCode(1)
            }
            var params: [String: JSONValue] = [:]
            if !studies.isEmpty { params["study_names"] = .array(studies.map(JSONValue.string)) }
            let r = try connection.call("export_sqlite", params)
            guard let text = r["sqlite_base64"]?.stringValue, let data = Data(base64Encoded: text) else {
                Stderr.print("optunactl: the daemon's export was not readable")
                throw ExitCode(1)
            }
            try write(data, to: sqlite)
            if connection.format == .json { return Output.json(["path": .string(sqlite), "bytes": .int(Int64(data.count))]) }
            print("wrote \(sqlite) (\(data.count) bytes)")
            return
        }
        var names = studies
        if names.isEmpty {
            names = (try connection.call("get_all_studies").arrayValue ?? []).compactMap { $0["study_name"]?.stringValue }
        }
        var trials: [JSONValue] = []
        for name in names {
            trials += try connection.call("get_trials", ["study_name": .string(name)]).arrayValue ?? []
        }
        if let jsonFile {
            try write(Data((JSONWriter.string(.array(trials)) + "\n").utf8), to: jsonFile)
        } else if let csv {
            try write(Data(TrialTable.csv(trials).utf8), to: csv)
        }
    }

    private func write(_ data: Data, to path: String) throws {
        if path == "-" {
            print(String(decoding: data, as: UTF8.self), terminator: "")
            return
        }
        do {
            try data.write(to: URL(fileURLWithPath: path))
        } catch {
            Stderr.print("optunactl: cannot write \(path): \(error)")
            throw ExitCode(1)
        }
    }
}

/// Trials as CSV with Optuna's `trials_dataframe` column names.
enum TrialTable {
    static func csv(_ trials: [JSONValue]) -> String {
        func keys(_ member: String) -> [String] {
            Set(trials.flatMap { $0[member]?.objectValue?.keys.map { $0 } ?? [] }).sorted()
        }
        let params = keys("params")
        let userAttrs = keys("user_attrs")
        let systemAttrs = keys("system_attrs")
        let nValues = trials.map { $0["values"]?.arrayValue?.count ?? 0 }.max() ?? 0
        var header = ["study_name", "number"]
        header += nValues <= 1 ? ["value"] : (0..<nValues).map { "values_\($0)" }
        header += ["datetime_start", "datetime_complete", "duration"]
        header += params.map { "params_" + $0 } + userAttrs.map { "user_attrs_" + $0 }
        header += systemAttrs.map { "system_attrs_" + $0 } + ["state"]
        var lines = [header.map(field).joined(separator: ",")]
        for t in trials {
            var row = [cell(t["study_name"]), cell(t["number"])]
            let values = t["values"]?.arrayValue ?? []
            row += (0..<max(1, nValues)).map { $0 < values.count ? cell(values[$0]) : "" }
            let start = t["datetime_start"]?.stringValue.flatMap(Timestamp.parse)
            let end = t["datetime_complete"]?.stringValue.flatMap(Timestamp.parse)
            row += [cell(t["datetime_start"]), cell(t["datetime_complete"])]
            row.append(start.flatMap { s in end.map { String($0.timeIntervalSince(s)) } } ?? "")
            row += params.map { cell(t["params"]?[$0]) } + userAttrs.map { cell(t["user_attrs"]?[$0]) }
            row += systemAttrs.map { cell(t["system_attrs"]?[$0]) } + [cell(t["state"])]
            lines.append(row.map(field).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func cell(_ v: JSONValue?) -> String {
        guard let v, !v.isNull else { return "" }
        switch v {
        case .string(let s): return s
        case .array, .object: return JSONWriter.string(v)
        default: return Output.cell(v)
        }
    }

    /// RFC 4180 quoting.
    private static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingAll("\"", with: "\"\"") + "\""
    }
}
