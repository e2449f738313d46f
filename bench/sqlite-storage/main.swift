// SQLite storage micro-benchmarks (run with ./run.sh): write latency, group-commit throughput, cold load.
import Foundation
import OptunaCore
import OptunaStorage

let clock = ContinuousClock()
let directory = FileManager.default.temporaryDirectory.appendingPathComponent("optunad-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
let keep = CommandLine.arguments.contains("--keep")
defer { if !keep { try? FileManager.default.removeItem(at: directory) } }
func freshPath() -> String { directory.appendingPathComponent("bench-\(UUID().uuidString).db").path }

let x = Distribution.float(try FloatDistribution(low: -10, high: 10))
let n = Distribution.int(try IntDistribution(low: 1, high: 100))
let c = Distribution.categorical(try CategoricalDistribution(choices: ["a", "b", "c"]))

func template(_ i: Int) -> FrozenTrial {
    FrozenTrial(
        id: 0, number: 0, state: .running,
        params: ["x": Double(i % 17) - 8, "n": Double(i % 100 + 1), "c": Double(i % 3)],
        distributions: ["x": x, "n": n, "c": c], datetimeStart: Date())
}

func finish(_ i: Int) -> TrialUpdate {
    TrialUpdate(
        state: .complete, values: [Double(i) * 0.5], intermediateValues: [0: 1.0, 1: 0.5], datetimeComplete: Date())
}

func micros(_ d: Duration) -> Double { Double(d.components.seconds) * 1e6 + Double(d.components.attoseconds) / 1e12 }

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}

/// One caller: (check, create, check, update) as the server does per ask and tell.
func latency(_ sync: SQLiteStorage.Synchronous, pairs: Int) async throws {
    let storage = try await SQLiteStorage(path: freshPath(), synchronous: sync)
    let study = try await storage.createStudy(name: "lat", directions: [.minimize], userAttrs: [:], systemAttrs: [:])
    var pairTimes: [Double] = []
    var askTell: [Double] = []
    for i in 0..<pairs {
        let t0 = clock.now
        let t = try await storage.createTrial(studyID: study.id, template: template(i))
        _ = try await storage.updateTrial(t.id, finish(i), expecting: .running)
        let t1 = clock.now
        _ = try await storage.externalChangeCount()
        let u = try await storage.createTrial(studyID: study.id, template: template(i))
        _ = try await storage.externalChangeCount()
        _ = try await storage.updateTrial(u.id, finish(i), expecting: .running)
        let t2 = clock.now
        pairTimes.append(micros(t1 - t0))
        askTell.append(micros(t2 - t1))
    }
    pairTimes.sort()
    askTell.sort()
    print(
        "sync=\(sync) 1 caller: create+update p50 \(String(format: "%.1f", percentile(pairTimes, 0.5))) µs, "
            + "p99 \(String(format: "%.1f", percentile(pairTimes, 0.99))) µs; with 2 externalChangeCount "
            + "p50 \(String(format: "%.1f", percentile(askTell, 0.5))) µs")
    await storage.close()
}

/// `callers` concurrent tasks each doing create+update pairs; reports pairs per second.
func throughput(_ sync: SQLiteStorage.Synchronous, callers: Int, pairs: Int) async throws {
    let storage = try await SQLiteStorage(path: freshPath(), synchronous: sync)
    let study = try await storage.createStudy(name: "thr", directions: [.minimize], userAttrs: [:], systemAttrs: [:])
    let each = pairs / callers
    let start = clock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for k in 0..<callers {
            group.addTask {
                for i in 0..<each {
                    _ = try await storage.externalChangeCount()
                    let t = try await storage.createTrial(studyID: study.id, template: template(k * each + i))
                    _ = try await storage.externalChangeCount()
                    _ = try await storage.updateTrial(t.id, finish(i), expecting: .running)
                }
            }
        }
        try await group.waitForAll()
    }
    let seconds = micros(clock.now - start) / 1e6
    let stats = storage.statistics
    print(
        "sync=\(sync) \(callers) callers: \(String(format: "%.0f", Double(each * callers) / seconds)) trials/s "
            + "(ask+tell pairs incl. externalChangeCount), "
            + "\(String(format: "%.1f", Double(stats.operations) / Double(max(stats.commits, 1)))) writes per commit")
    await storage.close()
}

/// Builds a study of `count` finished trials, then times a cold open and the full load.
func coldLoad(count: Int) async throws {
    let path = freshPath()
    let storage = try await SQLiteStorage(path: path)
    let study = try await storage.createStudy(name: "big", directions: [.minimize], userAttrs: [:], systemAttrs: [:])
    let buildStart = clock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for k in 0..<16 {
            group.addTask {
                for i in stride(from: k, to: count, by: 16) {
                    var t = template(i)
                    t.state = .complete
                    t.values = [Double(i)]
                    t.intermediateValues = [0: 1, 1: 0.5]
                    t.userAttrs = ["i": .int(Int64(i))]
                    t.datetimeComplete = Date()
                    _ = try await storage.createTrial(studyID: study.id, template: t)
                }
            }
        }
        try await group.waitForAll()
    }
    print("built \(count) trials in \(String(format: "%.2f", micros(clock.now - buildStart) / 1e6)) s")
    await storage.close()
    let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0

    let t0 = clock.now
    let reopened = try await SQLiteStorage(path: path)
    let t1 = clock.now
    let record = try await reopened.study(named: "big")
    let t2 = clock.now
    let trials = try await reopened.trials(studyID: record.id, states: nil)
    let t3 = clock.now
    let completed = try await reopened.trials(studyID: record.id, states: [.complete])
    let t4 = clock.now
    precondition(trials.count == count && completed.count == count)
    print(
        "cold load of \(count) trials (\(size / 1_048_576) MiB): open \(String(format: "%.1f", micros(t1 - t0) / 1000)) ms, "
            + "study(named:) \(String(format: "%.2f", micros(t2 - t1) / 1000)) ms, trials(studyID:) "
            + "\(String(format: "%.0f", micros(t3 - t2) / 1000)) ms (states filter \(String(format: "%.0f", micros(t4 - t3) / 1000)) ms)"
    )
    await reopened.close()
}

let arguments = CommandLine.arguments.dropFirst()
let quick = arguments.contains("--quick")
if let i = arguments.firstIndex(of: "--load"), arguments.index(after: i) < arguments.endIndex {
    // Times loading every study of an existing file (for profiling the read path).
    let storage = try await SQLiteStorage(path: arguments[arguments.index(after: i)])
    for study in try await storage.allStudies() {
        let t0 = clock.now
        let trials = try await storage.trials(studyID: study.id, states: nil)
        print("\(study.name): \(trials.count) trials in \(String(format: "%.0f", micros(clock.now - t0) / 1000)) ms")
    }
    await storage.close()
    exit(0)
}
if arguments.contains("--latency-only") {
    try await latency(.normal, pairs: 20000)
    exit(0)
}
if arguments.contains("--throughput-only") {
    for callers in [1, 4, 16] { try await throughput(.normal, callers: callers, pairs: 16000) }
    for callers in [1, 4, 16] { try await throughput(.full, callers: callers, pairs: 800) }
    exit(0)
}
if arguments.contains("--cold-only") {
    try await coldLoad(count: 100_000)
    print("files in \(directory.path)")
    exit(0)
}
try await latency(.normal, pairs: quick ? 2000 : 20000)
try await latency(.full, pairs: quick ? 100 : 500)
for callers in [1, 4, 16] { try await throughput(.normal, callers: callers, pairs: quick ? 4000 : 32000) }
for callers in [1, 4, 16] { try await throughput(.full, callers: callers, pairs: quick ? 320 : 1600) }
try await coldLoad(count: quick ? 10000 : 100_000)
