import Logging
import NIOCore
import NIOPosix
import OptunaCore
@testable import OptunaServer
import OptunaStorage
import Testing

/// Sampling holds an event loop only while it is cheap: costly samplers run on the global executor, so the
/// other connections on the loop are not kept waiting.
@Suite struct SamplingPlacementTests {
    static let space: JSONValue = [
        "x": ["type": "float", "low": -5.0, "high": 5.0], "y": ["type": "float", "low": -5.0, "high": 5.0],
    ]

    /// Runs `trials` ask/suggest/tell rounds on a study with `sampler`, each request in a task that prefers an
    /// event loop (as the server runs them), and returns where its sampling ran.
    ///
    /// `limits` are the registry's: a test that expects sampling to stay on the loop sets the cost limit far
    /// above anything a preempted sample could measure, so that the outcome never depends on timing.
    static func placements(
        sampler: JSONValue, trials: Int, limits: SamplingCost.Limits = .init(inline: .seconds(3600), history: .max)
    ) async throws -> (onEventLoop: Int, offEventLoop: Int) {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let counts = try await placements(sampler: sampler, trials: trials, limits: limits, loop: group.next())
        try await group.shutdownGracefully()
        return counts
    }

    private static func placements(sampler: JSONValue, trials: Int, limits: SamplingCost.Limits, loop: any EventLoop)
        async throws -> (onEventLoop: Int, offEventLoop: Int)
    {
        let executor = EventLoopTaskExecutor(loop)
        let registry = StudyRegistry(storage: InMemoryStorage(), samplingLimits: limits)
        let dispatcher = Dispatcher(registry: registry, version: "test", logger: Logger(label: "test"))
        func onLoop(_ method: String, _ params: [String: JSONValue]) async -> JSONValue {
            await Task(executorPreference: executor) { await dispatcher.call(method, params) }.value
        }
        let created = await onLoop("create_study", ["study_name": "s", "sampler": sampler])
        #expect(created["result"] != nil)
        for _ in 0..<trials {
            let asked = try #require(await onLoop("ask", ["study_name": "s", "search_space": space])["result"])
            let id = try #require(asked["trial_id"])
            let z = await onLoop("suggest", ["trial_id": id, "name": "z", "distribution": ["type": "int", "low": 0, "high": 3]])
            #expect(z["result"]?["value"] != nil)
            let x = try #require(asked["params"]?["x"]?.doubleValue)
            let y = try #require(asked["params"]?["y"]?.doubleValue)
            _ = await onLoop("tell", ["trial_id": id, "value": .double(x * x + y * y)])
        }
        let actor = try await dispatcher.registry.actor(named: "s")
        return await actor.samplingPlacements
    }

    @Test func gaussianProcessSamplingNeverRunsOnAnEventLoop() async throws {
        let gp: JSONValue = ["type": "gp", "seed": 1, "n_startup_trials": 3]
        // Six rounds: three startup trials (random, cheap) and three modelled ones. Each round samples twice,
        // the ask's parameters and the suggested one.
        let counts = try await Self.placements(sampler: gp, trials: 6)
        #expect(counts.onEventLoop == 0)
        #expect(counts.offEventLoop == 12)
        let fixed: JSONValue = ["type": "partial_fixed", "fixed_params": ["y": 0.5], "base_sampler": gp]
        #expect(try await Self.placements(sampler: fixed, trials: 4) == (0, 8))
    }

    @Test func cheapSamplingStaysOnTheRequestsEventLoop() async throws {
        let counts = try await Self.placements(sampler: ["type": "random", "seed": 1], trials: 5)
        #expect(counts.onEventLoop == 10)
        #expect(counts.offEventLoop == 0)
    }

    /// With a zero cost limit every measured sample is "costly", but one alone is not enough: the first ask
    /// and its suggest sample on the loop (the median of the last three is still zero), every later one off it.
    @Test func measuredSamplingAboveTheLimitLeavesTheLoop() async throws {
        let limits = SamplingCost.Limits(inline: .zero, history: .max)
        let counts = try await Self.placements(sampler: ["type": "random", "seed": 1], trials: 5, limits: limits)
        #expect(counts == (2, 8))
    }

    /// A study loaded with a history past the limit samples its first three times off the loop (the first ask
    /// builds the sampler's state from the whole history), then by what it measured; random and QMC sampling
    /// cost the same at any history size and never leave the loop for it.
    @Test(arguments: [("tpe", (5, 3)), ("cmaes", (5, 3)), ("random", (8, 0)), ("qmc", (8, 0))])
    func largeHistoriesLeaveTheLoopUntilMeasured(type: String, expected: (Int, Int)) async throws {
        let storage = InMemoryStorage()
        let first = Dispatcher(registry: StudyRegistry(storage: storage), version: "test", logger: Logger(label: "test"))
        _ = await first.result("create_study", ["study_name": "s", "sampler": ["type": .string(type), "seed": 1]])
        for i in 0..<4 {
            let id = try #require(await first.result("ask", ["study_name": "s", "search_space": Self.space])?["trial_id"])
            _ = await first.result("tell", ["trial_id": id, "value": .double(Double(i))])
        }
        // A second daemon loads the study, four trials long, over the same storage.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let executor = EventLoopTaskExecutor(group.next())
        let registry = StudyRegistry(storage: storage, samplingLimits: .init(inline: .seconds(3600), history: 4))
        let second = Dispatcher(registry: registry, version: "test", logger: Logger(label: "test"))
        for _ in 0..<4 {
            let asked = await Task(executorPreference: executor) {
                await second.call("ask", ["study_name": "s", "search_space": Self.space])
            }.value
            let id = try #require(asked["result"]?["trial_id"])
            let z = await Task(executorPreference: executor) {
                await second.call("suggest", ["trial_id": id, "name": "z", "distribution": ["type": "int", "low": 0, "high": 3]])
            }.value
            #expect(z["result"] != nil)
            _ = await second.result("tell", ["trial_id": id, "value": 1.0])
        }
        let counts = try await registry.actor(named: "s").samplingPlacements
        #expect(counts == expected)
        try await group.shutdownGracefully()
    }

    @Test func oneCostlySampleIsNotEnoughTwoOfTheLastThreeAre() {
        let cost = SamplingCost(
            sampler: ComponentSpec(type: "tpe", options: [:]), limits: .init(inline: .microseconds(250)))
        #expect(!cost.runsOffLoop)
        cost.record(.milliseconds(400))  // a cache built once, or a preempted thread
        #expect(cost.typicalCost == .zero)
        #expect(!cost.runsOffLoop)
        cost.record(.microseconds(100))
        #expect(cost.typicalCost == .microseconds(100))
        #expect(!cost.runsOffLoop)
        cost.record(.microseconds(900))
        #expect(cost.typicalCost == .microseconds(900))  // the median of 400 ms, 100 µs and 900 µs
        #expect(cost.runsOffLoop)
        cost.record(.microseconds(120))
        #expect(cost.typicalCost == .microseconds(120))  // the median of 100, 900 and 120 µs
        #expect(!cost.runsOffLoop)
        // A large history counts only until three samplings have been measured, as here.
        cost.noteHistory(SamplingCost.defaultHistoryLimit)
        #expect(!cost.runsOffLoop)
        let fresh = SamplingCost(sampler: ComponentSpec(type: "tpe", options: [:]))
        fresh.noteHistory(SamplingCost.defaultHistoryLimit)
        #expect(fresh.runsOffLoop)
    }

    static let specs: [(JSONValue, Bool)] = [
        (["type": "gp"], true),
        (["type": "tpe", "seed": 1], false),
        (["type": "partial_fixed", "fixed_params": [:], "base_sampler": ["type": "gp", "seed": 2]], true),
        (["type": "partial_fixed", "fixed_params": [:], "base_sampler": ["type": "random"]], false),
        (.null, false),
    ]

    @Test(arguments: specs)
    func gaussianProcessSpecsNeverRunOnTheLoop(spec: JSONValue, expected: Bool) {
        #expect(SamplingCost.alwaysOffLoop(spec) == expected)
    }

    static let historyIndependence: [(JSONValue, Bool)] = [
        (["type": "random"], true),
        (["type": "qmc", "seed": 1], true),
        (["type": "partial_fixed", "fixed_params": [:], "base_sampler": ["type": "qmc"]], true),
        (["type": "tpe"], false),
        (["type": "cmaes"], false),
        (["type": "partial_fixed", "fixed_params": [:], "base_sampler": ["type": "nsga2"]], false),
        (.null, false),
    ]

    @Test(arguments: historyIndependence)
    func onlyRandomAndQuasiRandomCostsIgnoreTheHistory(spec: JSONValue, expected: Bool) {
        #expect(SamplingCost.costIndependentOfHistory(spec) == expected)
    }
}
