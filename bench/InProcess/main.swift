// optunad-inprocess-bench: the daemon's request path without the socket.
//
// Drives `Dispatcher.handle(line:)` (request parsing, the study actor, the sampler, in-memory storage, the
// answer's encoding) with the same JSON lines a socket client sends, and prints one JSON object per cell:
//   {"sampler": "...", "trials": N, "ask_ms": median, "asks": K}
// `bench/sampler_speed.py` runs it beside the socket measurement and Python Optuna, so the sampler's own cost
// and the socket's share of an ask can be told apart.
//
// Usage: optunad-inprocess-bench --samplers cmaes,nsga2 --sizes 1000,10000 --params 5 --asks 20

import Foundation
import Logging
import OptunaCore
import OptunaServer
import OptunaStorage

/// The sampler specs `bench/sampler_speed.py` uses (seed 1 added), by the name it passes.
let specs: [String: JSONValue] = [
    "tpe": ["type": "tpe", "seed": 1],
    "tpe-independent": ["type": "tpe", "multivariate": false, "seed": 1],
    "random": ["type": "random", "seed": 1],
    "cmaes": ["type": "cmaes", "seed": 1],
    "nsga2": ["type": "nsga2", "seed": 1],
    "qmc": ["type": "qmc", "seed": 1],
    "gp": ["type": "gp", "seed": 1],
    "grid": ["type": "grid", "seed": 1],
]

/// Samplers whose state lives in their own trials: the history is made by running them.
let stateful: Set<String> = ["cmaes", "nsga2", "qmc", "grid"]

/// The spec of `sampler` for `params` float parameters; `grid` gets 7 values per parameter, as
/// `bench/sampler_speed.py` gives it.
func spec(_ sampler: String, params: Int) -> JSONValue? {
    guard case .object(var spec)? = specs[sampler] else { return nil }
    if sampler == "grid" {
        let values = JSONValue.array((0..<7).map { .double(-4.5 + 1.5 * Double($0)) })
        spec["search_space"] = .object(Dictionary(uniqueKeysWithValues: (0..<params).map { ("x\($0)", values) }))
    }
    return .object(spec)
}

/// The search space of the asks: `params` floats in [-5, 5].
func space(_ params: Int) -> JSONValue {
    .object(Dictionary(uniqueKeysWithValues: (0..<params).map { ("x\($0)", ["type": "float", "low": -5.0, "high": 5.0]) }))
}

/// One request line.
func request(_ method: String, _ params: [String: JSONValue]) -> String {
    JSONWriter.string(["id": 1, "method": .string(method), "params": .object(params)])
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
}

struct Options {
    var samplers = ["tpe"]
    var sizes = [1000]
    var params = 5
    var asks = 20

    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { throw BenchError(description: "\(flag) needs a value") }
            switch flag {
            case "--samplers": samplers = value.split(separator: ",").map(String.init)
            case "--sizes": sizes = try value.split(separator: ",").map { try Self.int($0) }
            case "--params": params = try Self.int(value[...])
            case "--asks": asks = try Self.int(value[...])
            default: throw BenchError(description: "unknown option \(flag)")
            }
        }
        if let unknown = samplers.first(where: { specs[$0] == nil }) {
            throw BenchError(description: "unknown sampler \(unknown); known: \(specs.keys.sorted().joined(separator: ","))")
        }
    }

    private static func int(_ s: Substring) throws -> Int {
        guard let v = Int(s), v >= 0 else { throw BenchError(description: "not a count: \(s)") }
        return v
    }
}

/// One in-process daemon core: a dispatcher over fresh in-memory storage.
struct Core {
    let dispatcher: Dispatcher

    /// Logs warnings and errors only, as `optunad --log-level warning` (the socket benchmarks' setting) does.
    init() {
        var logger = Logger(label: "optunad-inprocess-bench")
        logger.logLevel = .warning
        dispatcher = Dispatcher(registry: StudyRegistry(storage: InMemoryStorage()), version: "bench", logger: logger)
    }

    /// Sends one request line and returns the `result` member of the answer.
    func call(_ line: String) async throws -> JSONValue {
        try Self.result(of: await dispatcher.handle(line: Array(line.utf8)), line)
    }

    /// The `result` member of an answer to `line`. - Throws: when the request failed.
    static func result(of answer: [UInt8]?, _ line: String) throws -> JSONValue {
        guard let answer else { throw BenchError(description: "no answer to \(line)") }
        let json = try JSONParser.parse(answer)
        guard let result = json["result"] else { throw BenchError(description: "request failed: \(json)") }
        return result
    }
}

func sphere(_ params: JSONValue?) -> Double {
    guard case .object(let members)? = params else { return 0 }
    return members.values.reduce(0) { sum, v in
        let x = v.doubleValue ?? 0
        return sum + x * x
    }
}

/// Fills a study with `trials` completed trials, then times `asks` asks; returns the median in milliseconds.
func medianAskMilliseconds(sampler: String, trials: Int, params: Int, asks: Int) async throws -> Double {
    let core = Core()
    let name = JSONValue.string("\(sampler)-\(trials)")
    guard let spec = spec(sampler, params: params) else { throw BenchError(description: "unknown sampler \(sampler)") }
    _ = try await core.call(request("create_study", ["study_name": name, "sampler": spec, "pruner": "nop"]))
    let ask = request("ask", ["study_name": name, "search_space": space(params)])
    var rng = SeededGenerator(seed: 0)
    func tell(_ trial: JSONValue, _ value: Double) async throws {
        guard let id = trial["trial_id"] else { throw BenchError(description: "ask gave no trial_id") }
        _ = try await core.call(request("tell", ["trial_id": id, "value": .double(value)]))
    }
    for _ in 0..<trials {
        if stateful.contains(sampler) {
            let trial = try await core.call(ask)
            try await tell(trial, sphere(trial["params"]))
        } else {
            let xs = (0..<params).map { _ in rng.uniform(-5, 5) }
            let fixed = Dictionary(uniqueKeysWithValues: xs.enumerated().map { ("x\($0.offset)", JSONValue.double($0.element)) })
            _ = try await core.call(request("enqueue_trial", ["study_name": name, "params": .object(fixed)]))
            let trial = try await core.call(ask)
            try await tell(trial, xs.reduce(0) { $0 + $1 * $1 })
        }
    }
    let clock = ContinuousClock()
    var latencies: [Double] = []
    let askBytes = Array(ask.utf8)
    for _ in 0..<asks {
        // Only the daemon's work is timed: reading this answer back is the client's.
        let start = clock.now
        let answer = await core.dispatcher.handle(line: askBytes)
        let elapsed = clock.now - start
        let trial = try Core.result(of: answer, ask)
        latencies.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1e3)
        try await tell(trial, sphere(trial["params"]))
    }
    latencies.sort()
    guard !latencies.isEmpty else { return .nan }
    let mid = latencies.count / 2
    return latencies.count % 2 == 1 ? latencies[mid] : (latencies[mid - 1] + latencies[mid]) / 2
}

do {
    let options = try Options(Array(CommandLine.arguments.dropFirst()))
    for sampler in options.samplers {
        for trials in options.sizes {
            let ms = try await medianAskMilliseconds(
                sampler: sampler, trials: trials, params: options.params, asks: options.asks)
            print(JSONWriter.string(["sampler": .string(sampler), "trials": .int(Int64(trials)), "ask_ms": .double(ms), "asks": .int(Int64(options.asks))]))
        }
    }
} catch {
    FileHandle.standardError.write(Data("optunad-inprocess-bench: \(error)\n".utf8))
    exit(64)
}
