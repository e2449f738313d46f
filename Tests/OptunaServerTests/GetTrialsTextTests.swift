import FoundationEssentials
import Logging
import OptunaCore
@testable import OptunaServer
import OptunaProtocol
import OptunaStorage
import Testing

/// The methods that answer with trials (``Dispatcher/trialMethods``), alone on their line, are answered with
/// text written directly; it must be the very line the generic path (a JSON value, then the writer) gives,
/// for results and for errors.
@Suite struct GetTrialsTextTests {
    static func dispatcherWithTrials() async throws -> Dispatcher {
        // A fixed clock, so that two dispatchers given the same requests store the same trials.
        let clock: @Sendable () -> Date = { Date(timeIntervalSince1970: 1_764_806_400.25) }
        let dispatcher = Dispatcher(
            registry: StudyRegistry(storage: InMemoryStorage(), clock: clock), version: "test",
            logger: Logger(label: "test"))
        _ = await dispatcher.result("create_study", ["study_name": "s", "sampler": ["type": "random", "seed": 3]])
        let space: JSONValue = [
            "x": ["type": "float", "low": -1, "high": 1], "n": ["type": "int", "low": 1, "high": 9, "step": 2],
            "c": ["type": "categorical", "choices": [nil, true, 2, "sgd"]],
        ]
        for i in 0..<20 {
            let id = try #require(await dispatcher.result("ask", ["study_name": "s", "search_space": space])?["trial_id"])
            _ = await dispatcher.result("report", ["trial_id": id, "step": 10, "value": .double(Double(i))])
            _ = await dispatcher.result("set_trial_user_attr", ["trial_id": id, "key": "ü", "value": ["n": .int(Int64(i))]])
            switch i % 4 {
            case 0: _ = await dispatcher.result("tell", ["trial_id": id, "value": .double(Double(i) / 3)])
            case 1: _ = await dispatcher.result("tell", ["trial_id": id, "state": "PRUNED"])
            case 2: _ = await dispatcher.result("tell", ["trial_id": id, "value": "NaN"])
            default: break
            }
        }
        return dispatcher
    }

    @Test(arguments: [
        #"{"jsonrpc":"2.0","id":7,"method":"get_trials","params":{"study_name":"s"}}"#,
        #"{"id":"seven","method":"get_trials","params":{"study_name":"s","states":["COMPLETE","FAIL"],"offset":1,"limit":5}}"#,
        #"{"id":8,"method":"get_trials","params":{"study_name":"missing"}}"#,
        #"{"id":9,"method":"get_trials","params":{"study_name":"s","offset":-1}}"#,
        #"{"id":10,"method":"get_trials","params":{"study_name":"s","colour":"red"}}"#,
        #"{"id":11,"method":"get_trial","params":{"trial_id":5}}"#,
        #"{"id":12,"method":"get_trial","params":{"trial_id":999}}"#,
        #"{"id":15,"method":"best_trial","params":{"study_name":"s"}}"#,
        #"{"id":16,"method":"best_trials","params":{"study_name":"s"}}"#,
        #"{"id":17,"method":"best_trial","params":{"study_name":"missing"}}"#,
        #"{"id":13,"method":"tell","params":{"trial_id":1,"value":1}}"#,
        #"{"id":14,"method":"tell","params":{"trial_id":1,"value":1,"skip_if_finished":true}}"#,
    ])
    func directTextEqualsTheGenericLine(line: String) async throws {
        let dispatcher = try await Self.dispatcherWithTrials()
        let direct = try #require(await dispatcher.handle(line: Array(line.utf8)))
        let json = try JSONParser.parse(Array(line.utf8))
        let generic = RPCResponse.line(try #require(await dispatcher.handle(json)))
        #expect(String(decoding: direct, as: UTF8.self) == String(decoding: generic, as: UTF8.self))
        #expect(direct.last == 0x0A)
    }

    /// Tells and asks change the study, so each path gets a dispatcher of its own, given the same requests.
    @Test func tellsAndAsksWrittenDirectlyEqualTheGenericLines() async throws {
        let direct = try await Self.dispatcherWithTrials()
        let generic = try await Self.dispatcherWithTrials()
        let lines = [
            #"{"id":1,"method":"tell","params":{"trial_id":4,"value":0.125}}"#,
            #"{"id":2,"method":"tell","params":{"trial_id":8,"values":["-Infinity"]}}"#,
            #"{"id":3,"method":"tell","params":{"trial_id":12,"state":"PRUNED"}}"#,
            #"{"id":4,"method":"tell","params":{"trial_id":16,"value":NaN}}"#,
            #"{"id":5,"method":"tell","params":{"trial_id":20,"value":2,"constraints":[0.5,-1]}}"#,
            #"{"id":6,"method":"tell","params":{"trial_id":4,"value":3}}"#,
            #"{"id":7,"method":"tell","params":{"trial_id":4,"value":3,"skip_if_finished":true}}"#,
            #"{"id":8,"method":"tell","params":{"trial_id":12,"values":[1,2]}}"#,
            #"{"id":9,"method":"tell","params":{"trial_id":"x"}}"#,
            #"{"id":10,"method":"ask","params":{"study_name":"s","search_space":{"x":{"type":"float","low":-1,"high":1},"c":{"type":"categorical","choices":[null,true,2,"sgd"]},"é":{"type":"int","low":0,"high":4,"log":false}}}}"#,
            #"{"id":11,"method":"ask","params":{"study_name":"s"}}"#,
            #"{"id":12,"method":"ask","params":{"study_name":"missing"}}"#,
            #"{"id":13,"method":"ask","params":{"study_name":"s","search_space":{"x":{"type":"int","low":0,"high":3}}}}"#,
            #"{"id":14,"method":"ask","params":{"study_name":"s","lease":"forever"}}"#,
        ]
        for line in lines {
            let a = try #require(await direct.handle(line: Array(line.utf8)))
            let g = RPCResponse.line(try #require(await generic.handle(try JSONParser.parse(Array(line.utf8)))))
            #expect(String(decoding: a, as: UTF8.self) == String(decoding: g, as: UTF8.self), "\(line)")
        }
    }

    @Test func aNotificationIsStillNotAnswered() async throws {
        let dispatcher = try await Self.dispatcherWithTrials()
        let line = #"{"method":"get_trials","params":{"study_name":"s"}}"#
        #expect(await dispatcher.handle(line: Array(line.utf8)) == nil)
    }
}
