import FoundationEssentials
import OptunaCore
import OptunaProtocol
import OptunaStorage

#if canImport(Glibc)
import Glibc
#endif

extension Dispatcher {
    /// `export_sqlite {study_names?}` → `{sqlite_base64, bytes}`: a self-contained SQLite file in Optuna's schema,
    /// not in WAL mode, so the browser and VS Code optuna-dashboard can open it.
    ///
    /// A SQLite backend copies its rows (`VACUUM INTO`, or only the named studies, trial ids kept); other backends
    /// write the studies into a fresh SQLite file. The file is made in the daemon's temporary directory, sent, and
    /// removed.
    func exportSQLite(_ p: ParamReader) async throws -> JSONValue {
        try p.checkNoUnknown(["study_names"])
        var names: [String]?
        if let v = p.value("study_names") {
            guard let list = v.arrayValue?.compactMap(\.stringValue), list.count == v.arrayValue?.count, !list.isEmpty else {
                throw RPCError.invalidParams("\"study_names\" must be a non-empty array of study names")
            }
            names = list
        }
        let path = "\(temporaryDirectory())/optunad-export-\(UUID().uuidString.lowercased()).db"
        defer { unlink(path) }
        if let sqlite = registry.storage as? SQLiteStorage {
            try await sqlite.exportSnapshot(to: path, studies: names)
        } else {
            try await copyStudies(names, into: path)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StorageError.backend("the export file \(path) could not be read back")
        }
        return ["sqlite_base64": .string(data.base64EncodedString()), "bytes": .int(Int64(data.count))]
    }

    /// Writes studies of any backend into a new SQLite file, trial by trial.
    private func copyStudies(_ names: [String]?, into path: String) async throws {
        let records = try await registry.storage.allStudies().filter { r in names.map { $0.contains(r.name) } ?? true }
        if let names, let missing = names.first(where: { n in !records.contains { $0.name == n } }) {
            throw StorageError.studyNotFound(name: missing)
        }
        let target = try await SQLiteStorage(path: path, synchronous: .normal, optunadVersion: version)
        do {
            for r in records {
                let copy = try await target.createStudy(
                    name: r.name, directions: r.directions, userAttrs: r.userAttrs, systemAttrs: r.systemAttrs)
                for t in try await registry.storage.trials(studyID: r.id, states: nil) {
                    _ = try await target.createTrial(studyID: copy.id, template: t)
                }
            }
        } catch {
            await target.close()
            throw error
        }
        await target.close()
    }

    private func temporaryDirectory() -> String {
        if let t = getenv("TMPDIR"), let s = String(validatingCString: t), !s.isEmpty { return s }
        return "/tmp"
    }
}
