/// Errors of the storage layer.
public enum StorageError: Error, Hashable, Sendable {
    /// No study has this name.
    case studyNotFound(name: String)
    /// No study has this id.
    case studyIDNotFound(Int64)
    /// A study with this name exists already.
    case duplicateStudyName(String)
    /// No trial has this id.
    case trialNotFound(Int64)
    /// The trial is not in the state the update expected (it finished, or another writer took it).
    case trialStateMismatch(trialID: Int64, number: Int, expected: TrialState, actual: TrialState)
    /// The database holds a schema version this build does not know; nothing was changed.
    case unsupportedSchema(String)
    /// The backend failed (I/O error, corrupt file, lock timeout, …).
    case backend(String)
}

extension StorageError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .studyNotFound(let name): return "study '\(name)' not found"
        case .studyIDNotFound(let id): return "study with id \(id) not found"
        case .duplicateStudyName(let name): return "a study named '\(name)' already exists"
        case .trialNotFound(let id): return "trial \(id) not found"
        case .trialStateMismatch(let id, let number, let expected, let actual):
            return "trial \(id) (number \(number)) is \(actual.rawValue), not \(expected.rawValue)"
        case .unsupportedSchema(let reason): return reason
        case .backend(let reason): return "storage error: \(reason)"
        }
    }
}

public import OptunaCore
