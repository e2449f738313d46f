import Logging
import OptunaCore
@testable import OptunaServer
import OptunaProtocol
import OptunaStorage
import Testing

/// `get_trials` on its own line is answered with text written directly; it must be the very line the generic
/// path (a JSON value, then the writer) gives, for results and for errors.
@Suite struct GetTrialsTextTests {
    static func dispatcherWithTrials() async throws -> Dispatcher {
        let dispatcher = Dispatcher(
            registry: StudyRegistry(storage: InMemoryStorage()), version: "test", logger: Logger(label: "test"))
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
    ])
    func directTextEqualsTheGenericLine(line: String) async throws {
        let dispatcher = try await Self.dispatcherWithTrials()
        let direct = try #require(await dispatcher.handle(line: Array(line.utf8)))
        let json = try JSONParser.parse(Array(line.utf8))
        let generic = RPCResponse.line(try #require(await dispatcher.handle(json)))
        #expect(String(decoding: direct, as: UTF8.self) == String(decoding: generic, as: UTF8.self))
        #expect(direct.last == 0x0A)
    }

    @Test func aNotificationIsStillNotAnswered() async throws {
        let dispatcher = try await Self.dispatcherWithTrials()
        let line = #"{"method":"get_trials","params":{"study_name":"s"}}"#
        #expect(await dispatcher.handle(line: Array(line.utf8)) == nil)
    }
}
