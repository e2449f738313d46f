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
    /// `inlineLimit` is the registry's: a test that expects sampling to stay on the loop sets it far above
    /// anything a preempted sample could measure, so that the outcome never depends on timing.
    static func placements(sampler: JSONValue, trials: Int, inlineLimit: Duration = .seconds(3600)) async throws
        -> (onEventLoop: Int, offEventLoop: Int)
    {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let counts = try await placements(sampler: sampler, trials: trials, inlineLimit: inlineLimit, loop: group.next())
        try await group.shutdownGracefully()
        return counts
    }

    private static func placements(sampler: JSONValue, trials: Int, inlineLimit: Duration, loop: any EventLoop)
        async throws -> (onEventLoop: Int, offEventLoop: Int)
    {
        let executor = EventLoopTaskExecutor(loop)
        let registry = StudyRegistry(storage: InMemoryStorage(), samplingInlineLimit: inlineLimit)
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

    /// With a zero limit every measured sample is "costly": the first ask samples on the loop (nothing is
    /// measured yet), and every later one off it.
    @Test func measuredSamplingAboveTheLimitLeavesTheLoop() async throws {
        let counts = try await Self.placements(sampler: ["type": "random", "seed": 1], trials: 5, inlineLimit: .zero)
        #expect(counts == (1, 9))
    }

    @Test func oneCostlySampleMovesTheStudyOffTheLoopAndCheapOnesBringItBack() {
        let cost = SamplingCost(sampler: ComponentSpec(type: "tpe", options: [:]), inlineLimit: .microseconds(250))
        #expect(!cost.runsOffLoop)
        cost.record(.microseconds(100))
        #expect(cost.estimate == .microseconds(100))
        #expect(!cost.runsOffLoop)
        cost.record(.microseconds(900))
        #expect(cost.estimate == .microseconds(900))
        #expect(cost.runsOffLoop)
        // Each cheaper sample takes a quarter of the way back: 900 → 700 → 550 → 437.5 → 353.125 → 289.84375
        // → 242.383 µs (whole nanoseconds), the first at or below the 250 µs limit.
        var steps = 0
        while cost.runsOffLoop {
            cost.record(.microseconds(100))
            steps += 1
        }
        #expect(steps == 6)
        #expect(cost.estimate == .nanoseconds(242_383))
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
}
