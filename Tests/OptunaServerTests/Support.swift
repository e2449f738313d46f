import FoundationEssentials
import Logging
import OptunaCore
import OptunaProtocol
import OptunaServer
import OptunaStorage
import Synchronization

/// A clock that starts at 2026-01-01 00:00:00 UTC and advances 1 ms per reading, so transcripts are stable.
final class SteppingClock: Sendable {
    private let ticks = Mutex<Int64>(0)

    func now() -> Date {
        let t = ticks.withLock { t -> Int64 in
            t += 1
            return t
        }
        return Date(timeIntervalSince1970: 1_767_225_600 + Double(t) / 1000)
    }
}

/// A dispatcher over a fresh in-memory storage with a stepping clock.
func makeDispatcher() -> Dispatcher {
    let clock = SteppingClock()
    let registry = StudyRegistry(storage: InMemoryStorage(), clock: { clock.now() })
    return Dispatcher(registry: registry, version: "test", logger: Logger(label: "test"))
}

extension Dispatcher {
    /// Sends one request object and returns the parsed response.
    func call(_ method: String, _ params: [String: JSONValue] = [:], id: JSONValue = 1) async -> JSONValue {
        await handle(["jsonrpc": "2.0", "id": id, "method": .string(method), "params": .object(params)]) ?? .null
    }

    /// The result of a call, or nil (and the error kind) when it failed.
    func result(_ method: String, _ params: [String: JSONValue] = [:]) async -> JSONValue? {
        await call(method, params)["result"]
    }

    /// The error kind of a call, or nil when it succeeded.
    func errorKind(_ method: String, _ params: [String: JSONValue] = [:]) async -> String? {
        await call(method, params)["error"]?["data"]?["kind"]?.stringValue
    }
}
