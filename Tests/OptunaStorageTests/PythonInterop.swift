import Foundation
import OptunaCore

@testable import OptunaStorage

/// Runs the helper scripts in `tests/interop/` with a Python that has `optuna` installed.
///
/// The interpreter is `$OPTUNAD_TEST_PYTHON`, by default `/opt/optuna-venv/bin/python`. Without it the interop
/// tests are skipped locally, but fail when `CI=true`, so CI can never pass without having run them.
enum PythonInterop {
    static let environment = ProcessInfo.processInfo.environment
    static let executable = environment["OPTUNAD_TEST_PYTHON"] ?? "/opt/optuna-venv/bin/python"
    static let isAvailable = FileManager.default.isExecutableFile(atPath: executable)
    static let isRequired = environment["CI"] == "true"

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `script` with `arguments` and returns its standard output; throws with its standard error when it
    /// exits non-zero. Runs under `TZ=UTC`, so Optuna's local datetimes are UTC.
    static func run(_ script: String, _ arguments: [String]) async throws -> String {
        guard isAvailable else {
            throw Failure(description: "no Python with optuna at \(executable); set OPTUNAD_TEST_PYTHON")
        }
        let directory = try TemporaryDirectory()
        let outPath = directory.path("stdout")
        let errPath = directory.path("stderr")
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [RepositoryPaths.interop(script).path] + arguments
        var env = environment
        env["TZ"] = "UTC"
        env["PYTHONWARNINGS"] = "ignore"
        process.environment = env
        process.standardOutput = FileHandle(forWritingAtPath: outPath)
        process.standardError = FileHandle(forWritingAtPath: errPath)
        // Wait through the termination handler: blocking in waitUntilExit would hold a cooperative thread.
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        let out = try String(contentsOfFile: outPath, encoding: .utf8)
        guard process.terminationStatus == 0 else {
            let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
            throw Failure(description: "\(script) exited with \(process.terminationStatus):\n\(err)")
        }
        return out
    }

    /// `dump_study.py`'s document for a study, parsed.
    static func dump(_ path: String, _ study: String) async throws -> JSONValue {
        try JSONParser.parse(try await run("dump_study.py", [path, study]))
    }
}

/// optunad's side of `dump_study.py`: the same document built from what ``SQLiteStorage`` reads.
enum OptunaView {
    static func document(_ study: StudyRecord, _ trials: [FrozenTrial]) -> JSONValue {
        [
            "name": .string(study.name), "directions": .array(study.directions.map { .string($0.rawValue) }),
            "user_attrs": .object(study.userAttrs), "system_attrs": .object(study.systemAttrs),
            "trials": .array(trials.map(trial)),
        ]
    }

    static func trial(_ t: FrozenTrial) -> JSONValue {
        var intermediate: [String: JSONValue] = [:]
        for (step, value) in t.intermediateValues { intermediate[String(step)] = .double(value) }
        return [
            "number": .int(Int64(t.number)), "state": .string(t.state.rawValue),
            "values": t.values.map { .array($0.map { .double($0) }) } ?? .null,
            "params": .object(t.externalParams),
            "distributions": .object(t.distributions.mapValues { .string($0.optunaJSONString) }),
            "intermediate_values": .object(intermediate), "user_attrs": .object(t.userAttrs),
            "system_attrs": .object(t.systemAttrs),
            "datetime_start": t.datetimeStart.map { .string(SQLiteDate.format($0)) } ?? .null,
            "datetime_complete": t.datetimeComplete.map { .string(SQLiteDate.format($0)) } ?? .null,
        ]
    }

    /// Comparable text (sorted keys, NaN as a token so it equals itself), without the keys only Python computes.
    static func text(_ document: JSONValue) -> String {
        var object = document.objectValue ?? [:]
        object["best_trial"] = nil
        object["best_trials"] = nil
        return JSONWriter.string(.object(object), nonFinite: .pythonTokens)
    }

    /// optunad's view of a study in `storage`.
    static func document(_ storage: SQLiteStorage, _ name: String) async throws -> JSONValue {
        let study = try await storage.study(named: name)
        return document(study, try await storage.trials(studyID: study.id, states: nil))
    }
}
