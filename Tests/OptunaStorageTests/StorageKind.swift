import Foundation
import OptunaCore
import OptunaStorage
import Testing

/// The backends the conformance suite runs against.
enum StorageKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case inMemory
    case sqlite

    var testDescription: String { rawValue }

    /// Opens a fresh, empty storage of this kind, runs `body`, then closes it and removes its files.
    func with<T>(_ body: (any Storage) async throws -> T) async throws -> T {
        switch self {
        case .inMemory:
            let storage = InMemoryStorage()
            return try await body(storage)
        case .sqlite:
            let directory = try TemporaryDirectory()
            let storage = try await SQLiteStorage(path: directory.path("storage.db"))
            do {
                let result = try await body(storage)
                await storage.close()
                return result
            } catch {
                await storage.close()
                throw error
            }
        }
    }
}

/// A directory under the system's temporary directory, removed when the value is released.
final class TemporaryDirectory: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("optunad-storage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// The path of `name` inside the directory.
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

/// Comparable text of storage values: JSON with sorted keys and Python's NaN tokens, so that NaN equals NaN.
enum Canonical {
    static func text(_ trial: FrozenTrial) -> String {
        JSONWriter.string(json(trial), nonFinite: .pythonTokens)
    }

    static func text(_ trials: [FrozenTrial]) -> String {
        JSONWriter.string(.array(trials.map(json)), nonFinite: .pythonTokens)
    }

    static func text(_ study: StudyRecord) -> String {
        let value: JSONValue = [
            "id": .int(study.id), "name": .string(study.name),
            "directions": .array(study.directions.map { .string($0.rawValue) }),
            "user_attrs": .object(study.userAttrs), "system_attrs": .object(study.systemAttrs),
        ]
        return JSONWriter.string(value, nonFinite: .pythonTokens)
    }

    static func json(_ trial: FrozenTrial) -> JSONValue {
        var intermediate: [String: JSONValue] = [:]
        for (step, value) in trial.intermediateValues { intermediate[String(step)] = .double(value) }
        return [
            "id": .int(trial.id), "number": .int(Int64(trial.number)), "state": .string(trial.state.rawValue),
            "params": .object(trial.params.mapValues { .double($0) }),
            "distributions": .object(trial.distributions.mapValues { .string($0.optunaJSONString) }),
            "values": trial.values.map { .array($0.map { .double($0) }) } ?? .null,
            "intermediate_values": .object(intermediate),
            "user_attrs": .object(trial.userAttrs), "system_attrs": .object(trial.systemAttrs),
            "datetime_start": trial.datetimeStart.map { .double($0.timeIntervalSince1970) } ?? .null,
            "datetime_complete": trial.datetimeComplete.map { .double($0.timeIntervalSince1970) } ?? .null,
        ]
    }
}
