// optunad-inprocess-bench: the daemon's request path without the socket.
//
// Drives `Dispatcher.handle(line:)` (request parsing, the study actor, the sampler, the storage, the
// answer's encoding) with the same JSON lines a socket client sends, and prints one JSON object:
//   {"ask_ms": median, "asks": K, "trials": N}
// `bench/sampler_speed.py` runs it with the sampler spec it gives the daemon, beside the socket measurement
// and Python Optuna, so the sampler's own cost and the socket's share of an ask can be told apart.
//
// Usage: optunad-inprocess-bench --spec '{"type":"cmaes","seed":1}' --fill run --trials 1000 --params 5 --asks 20
//   --fill run      the history is made by asking and telling (samplers whose state lives in their trials)
//   --fill enqueue  the history is random parameters, enqueued then asked and told (nothing is sampled)
//   --storage URL   memory: (default) or a SQLite URL, as optunad's --storage (sync normal)
//   --time pair     time each ask together with its tell ("ask_ms" is then the median pair)

import Foundation
import Logging
import OptunaCore
import OptunaServer
import OptunaStorage

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
    var spec: JSONValue = ["type": "random", "seed": 1]
    var runSampler = true
    var trials = 1000
    var params = 5
    var asks = 20
    var storage = "memory:"
    var pairs = false

    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { throw BenchError(description: "\(flag) needs a value") }
            switch flag {
            case "--spec": spec = try JSONParser.parse(value)
            case "--fill":
                guard value == "run" || value == "enqueue" else {
                    throw BenchError(description: "--fill takes run or enqueue, not \(value)")
                }
                runSampler = value == "run"
            case "--trials": trials = try Self.int(value)
            case "--params": params = try Self.int(value)
            case "--asks": asks = try Self.int(value)
            case "--storage": storage = value
            case "--time":
                guard value == "ask" || value == "pair" else {
                    throw BenchError(description: "--time takes ask or pair, not \(value)")
                }
                pairs = value == "pair"
            default: throw BenchError(description: "unknown option \(flag)")
            }
        }
    }

    private static func int(_ s: String) throws -> Int {
        guard let v = Int(s), v >= 0 else { throw BenchError(description: "not a count: \(s)") }
        return v
    }
}

/// One in-process daemon core: a dispatcher over the storage a `--storage` URL names.
struct Core {
    let dispatcher: Dispatcher

    /// Logs warnings and errors only, as `optunad --log-level warning` (the socket benchmarks' setting) does.
    init(storage url: String) async throws {
        var logger = Logger(label: "optunad-inprocess-bench")
        logger.logLevel = .warning
        let storage = try await StorageURL(parsing: url).open()
        // One connection's dispatcher, as the daemon gives each connection.
        dispatcher = Dispatcher(registry: StudyRegistry(storage: storage), version: "bench", logger: logger)
            .forConnection()
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

/// The sphere objective of an ask's `params`.
func sphere(_ params: JSONValue?) -> Double {
    guard case .object(let members)? = params else { return 0 }
    return members.values.reduce(0) { sum, v in
        let x = v.doubleValue ?? 0
        return sum + x * x
    }
}

/// Fills a study with the options' trials, then times their asks; returns the median in milliseconds.
func medianAskMilliseconds(_ options: Options) async throws -> Double {
    let core = try await Core(storage: options.storage)
    let name: JSONValue = "bench"
    let params = options.params
    _ = try await core.call(request("create_study", ["study_name": name, "sampler": options.spec, "pruner": "nop"]))
    let ask = request("ask", ["study_name": name, "search_space": space(params)])
    var rng = SeededGenerator(seed: 0)
    func tell(_ trial: JSONValue, _ value: Double) async throws {
        guard let id = trial["trial_id"] else { throw BenchError(description: "ask gave no trial_id") }
        _ = try await core.call(request("tell", ["trial_id": id, "value": .double(value)]))
    }
    for _ in 0..<options.trials {
        if options.runSampler {
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
    for _ in 0..<options.asks {
        // Only the daemon's work is timed: reading this answer back is the client's.
        let start = clock.now
        let answer = await core.dispatcher.handle(line: askBytes)
        var elapsed = clock.now - start
        let trial = try Core.result(of: answer, ask)
        if options.pairs {
            guard let id = trial["trial_id"] else { throw BenchError(description: "ask gave no trial_id") }
            let line = Array(request("tell", ["trial_id": id, "value": .double(sphere(trial["params"]))]).utf8)
            let start = clock.now
            let answer = await core.dispatcher.handle(line: line)
            elapsed += clock.now - start
            _ = try Core.result(of: answer, "tell")
        }
        latencies.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1e3)
        if !options.pairs { try await tell(trial, sphere(trial["params"])) }
    }
    latencies.sort()
    guard !latencies.isEmpty else { return .nan }
    let mid = latencies.count / 2
    return latencies.count % 2 == 1 ? latencies[mid] : (latencies[mid - 1] + latencies[mid]) / 2
}

do {
    let options = try Options(Array(CommandLine.arguments.dropFirst()))
    let ms = try await medianAskMilliseconds(options)
    print(JSONWriter.string(["ask_ms": .double(ms), "asks": .int(Int64(options.asks)), "trials": .int(Int64(options.trials))]))
} catch {
    FileHandle.standardError.write(Data("optunad-inprocess-bench: \(error)\n".utf8))
    exit(64)
}
