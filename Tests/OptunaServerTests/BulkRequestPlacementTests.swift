import Logging
import NIOCore
import NIOPosix
import OptunaCore
@testable import OptunaServer
import OptunaStorage
import Testing

/// Requests whose answers grow with a study's history leave the event loop; every other request stays on it.
@Suite struct BulkRequestPlacementTests {
    static let requests: [(String, Bool)] = [
        (#"{"id":1,"method":"get_trials","params":{"study_name":"s"}}"#, true),
        (#"{"id":1,"method":"best_trials","params":{"study_name":"s"}}"#, true),
        (#"{"id":1,"method":"get_all_studies"}"#, true),
        (#"{"id":1,"method":"export_sqlite","params":{"study_names":["s"]}}"#, true),
        (#"[{"id":1,"method":"hello"},{"id":2,"method":"get_trials","params":{"study_name":"s"}}]"#, true),
        (#"{"id":1,"method":"ask","params":{"study_name":"s"}}"#, false),
        (#"{"id":1,"method":"tell","params":{"trial_id":1,"value":1}}"#, false),
        (#"[{"id":1,"method":"hello"},{"id":2,"method":"get_study","params":{"study_name":"s"}}]"#, false),
        (#"{"id":1,"method":7}"#, false),
        (#"42"#, false),
    ]

    @Test(arguments: requests)
    func bulkMethodsAreRecognizedAlsoInBatches(line: String, bulk: Bool) throws {
        let json = try JSONParser.parse(Array(line.utf8))
        #expect(Dispatcher.answersGrowWithHistory(json) == bulk)
    }

    /// A bulk request sent from a task that prefers an event loop (as the server sends it) is answered in full.
    @Test func bulkAnswersFromAnEventLoopAreComplete() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let executor = EventLoopTaskExecutor(group.next())
        let dispatcher = Dispatcher(
            registry: StudyRegistry(storage: InMemoryStorage()), version: "test", logger: Logger(label: "test"))
        _ = await dispatcher.result("create_study", ["study_name": "s", "sampler": "random"])
        for i in 0..<50 {
            let id = try #require(await dispatcher.result("ask", ["study_name": "s"])?["trial_id"])
            _ = await dispatcher.result("tell", ["trial_id": id, "value": .double(Double(i))])
        }
        let line = Array(#"{"id":9,"method":"get_trials","params":{"study_name":"s"}}"#.utf8)
        let answer = await Task(executorPreference: executor) { await dispatcher.handle(line: line) }.value
        let parsed = try JSONParser.parse(try #require(answer))
        #expect(parsed["id"] == 9)
        let trials = try #require(parsed["result"]?.arrayValue)
        #expect(trials.count == 50)
        #expect(trials.last?["values"] == [49.0])
        try await group.shutdownGracefully()
    }
}
