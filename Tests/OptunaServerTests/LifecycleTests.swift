import FoundationEssentials
import Logging
import OptunaCore
import OptunaProtocol
import OptunaServer
import OptunaStorage
import Synchronization
import Testing

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    private let date = Mutex(Date(timeIntervalSince1970: 1_767_225_600))
    func now() -> Date { date.withLock { $0 } }
    func advance(_ seconds: Double) { date.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

@Suite struct LifecycleTests {
    let clock = ManualClock()
    let registry: StudyRegistry
    let d: Dispatcher
    let space: JSONValue = ["x": ["type": "float", "low": 0, "high": 1], "k": ["type": "int", "low": 1, "high": 9]]

    init() {
        let c = clock
        registry = StudyRegistry(storage: InMemoryStorage(), clock: { c.now() })
        d = Dispatcher(registry: registry, version: "test", logger: Logger(label: "test"))
    }

    func state(_ id: JSONValue) async -> String? { await d.result("get_trial", ["trial_id": id])?["state"]?.stringValue }

    @Test func staleTrialsFailAndAreRetriedWithTheirParameters() async throws {
        _ = await d.result("create_study", [
            "study_name": "hb", "sampler": ["type": "random", "seed": 1], "heartbeat_interval": 10,
            "retry": ["max_retry": 1, "inherit_intermediate_values": true],
        ])
        let study = try #require(await d.result("get_study", ["study_name": "hb"]))
        #expect(study["options"]?["grace_period"] == 20.0)
        let t = try #require(await d.result("ask", ["study_name": "hb", "search_space": space]))
        let id = try #require(t["trial_id"])
        _ = await d.result("report", ["trial_id": id, "step": 3, "value": 0.5])
        clock.advance(15)
        _ = await d.result("heartbeat", ["trial_id": id])
        clock.advance(15)
        #expect(await registry.failStaleTrials() == 0)
        #expect(await state(id) == "RUNNING")
        clock.advance(6)
        #expect(await registry.failStaleTrials() == 1)
        let failed = try #require(await d.result("get_trial", ["trial_id": id]))
        #expect(failed["state"] == "FAIL")
        #expect(failed["system_attrs"]?["optunad:fail_reason"]?.stringValue?.contains("no heartbeat") == true)
        // The retry is queued WAITING with Optuna's attributes and the same parameters.
        let retry = try #require(await d.result("ask", ["study_name": "hb", "search_space": space]))
        #expect(retry["params"] == t["params"])
        let full = try #require(await d.result("get_trial", ["trial_id": retry["trial_id"] ?? nil]))
        #expect(full["system_attrs"]?["failed_trial"] == 0)
        #expect(full["system_attrs"]?["retry_history"] == [0])
        #expect(full["intermediate_values"] == ["3": 0.5])
        // max_retry 1: the retry failing again is not retried a second time.
        clock.advance(25)
        #expect(await registry.failStaleTrials() == 1)
        #expect(await d.result("get_study", ["study_name": "hb"])?["n_trials_by_state"]?["WAITING"] == 0)
    }

    @Test func heartbeatOnAFinishedTrialIsRefused() async throws {
        _ = await d.result("create_study", ["study_name": "h2", "sampler": "random", "heartbeat_interval": 5])
        let id = try #require(await d.result("ask", ["study_name": "h2"])?["trial_id"])
        _ = await d.result("tell", ["trial_id": id, "value": 1])
        #expect(await d.errorKind("heartbeat", ["trial_id": id]) == "trial_finished")
        #expect(await d.errorKind("ask", ["study_name": "h2", "lease": "bogus"]) == "invalid_params")
        _ = await d.result("create_study", ["study_name": "h3", "sampler": "random"])
        #expect(await d.errorKind("ask", ["study_name": "h3", "lease": "heartbeat"]) == "invalid_params")
        #expect(await d.errorKind("create_study", ["study_name": "h4", "grace_period": 3]) == "invalid_params")
        #expect(await d.errorKind("create_study", ["study_name": "h4", "retry": ["max_retries": 3]]) == "invalid_params")
    }

    @Test func maxTrialsIsEnforcedAcrossClients() async throws {
        _ = await d.result("create_study", ["study_name": "b", "sampler": "random", "max_trials": 3])
        var ids: [JSONValue] = []
        for _ in 0..<3 { ids.append(try #require(await d.result("ask", ["study_name": "b"])?["trial_id"])) }
        let refused = await d.call("ask", ["study_name": "b"])
        #expect(refused["error"]?["data"]?["kind"] == "budget_exhausted")
        // A failed trial frees its slot (a retry may replace it); complete ones do not.
        _ = await d.result("tell", ["trial_id": ids[0], "state": "FAIL"])
        _ = await d.result("tell", ["trial_id": ids[1], "value": 1])
        #expect(await d.result("ask", ["study_name": "b"]) != nil)
        #expect(await d.errorKind("ask", ["study_name": "b"]) == "budget_exhausted")
    }

    @Test func maxRunningAnswersRetryAfterOrWaits() async throws {
        _ = await d.result("create_study", ["study_name": "r", "sampler": "random", "max_running": 1])
        let first = try #require(await d.result("ask", ["study_name": "r"])?["trial_id"])
        let refused = await d.call("ask", ["study_name": "r"])
        #expect(refused["error"]?["data"]?["kind"] == "retry_after")
        #expect(refused["error"]?["data"]?["retry_after_ms"]?.intValue ?? 0 > 0)
        let waiter = Task { await d.call("ask", ["study_name": "r", "wait_ms": 5000]) }
        try await Task.sleep(for: .milliseconds(50))
        _ = await d.result("tell", ["trial_id": first, "value": 1])
        let waited = await waiter.value
        #expect(waited["result"]?["number"] == 1)
    }

    @Test func anIdempotentAskReturnsTheHeldTrial() async throws {
        _ = await d.result("create_study", ["study_name": "i", "sampler": ["type": "random", "seed": 3]])
        let a = try #require(await d.result("ask", ["study_name": "i", "client_id": "slurm-4242_7", "search_space": space]))
        let other = try #require(await d.result("ask", ["study_name": "i", "client_id": "slurm-4242_8"]))
        let again = try #require(await d.result("ask", ["study_name": "i", "client_id": "slurm-4242_7", "search_space": space]))
        #expect(again["trial_id"] == a["trial_id"] && again["params"] == a["params"])
        #expect(other["trial_id"] != a["trial_id"])
        // The requeued job may add parameters; they are sampled once.
        let wider: JSONValue = ["x": ["type": "float", "low": 0, "high": 1], "y": ["type": "float", "low": 0, "high": 1]]
        let more = try #require(await d.result("ask", ["study_name": "i", "client_id": "slurm-4242_7", "search_space": wider]))
        #expect(more["params"]?["x"] == a["params"]?["x"] && more["params"]?["y"] != nil)
        _ = await d.result("tell", ["trial_id": a["trial_id"] ?? nil, "value": 1])
        let next = try #require(await d.result("ask", ["study_name": "i", "client_id": "slurm-4242_7"]))
        #expect(next["trial_id"] != a["trial_id"])
    }

    @Test func enqueuedTrialsGoToExactlyOneAsker() async throws {
        _ = await d.result("create_study", ["study_name": "q", "sampler": "random"])
        for i in 0..<20 { _ = await d.result("enqueue_trial", ["study_name": "q", "params": ["x": .double(Double(i) / 20)]]) }
        let xs = await withTaskGroup(of: Double?.self) { group in
            for _ in 0..<20 {
                group.addTask { await self.d.result("ask", ["study_name": "q", "search_space": self.space])?["params"]?["x"]?.doubleValue }
            }
            var out: [Double] = []
            for await x in group { if let x { out.append(x) } }
            return out
        }
        #expect(xs.sorted() == (0..<20).map { Double($0) / 20 })
    }

    @Test func limitsAreEnforcedWithClearErrors() async throws {
        var limited = d
        limited.limits.maximumParams = 3
        limited.limits.maximumAttributeBytes = 32
        _ = await limited.result("create_study", ["study_name": "l", "sampler": "random"])
        let big: JSONValue = .object(Dictionary(uniqueKeysWithValues: (0..<4).map { ("p\($0)", ["type": "int", "low": 0, "high": 1] as JSONValue) }))
        let e = await limited.call("ask", ["study_name": "l", "search_space": big])
        #expect(e["error"]?["message"]?.stringValue?.contains("--max-params") == true)
        let attr = await limited.call("set_study_user_attr", ["study_name": "l", "key": "k", "value": .string(String(repeating: "v", count: 40))])
        #expect(attr["error"]?["message"]?.stringValue?.contains("--max-attr-bytes") == true)
    }
}
