import OptunaCore
import OptunaProtocol
import OptunaStorage
import Synchronization

/// Limits on what one request may carry, each answered with `invalid_params` naming the limit.
public struct RequestLimits: Sendable {
    /// Most parameters in one search space, enqueued trial or trial.
    public var maximumParams: Int = 10_000
    /// Largest JSON text of one attribute value.
    public var maximumAttributeBytes: Int = 64 * 1024

    /// The defaults.
    public init() {}
}

/// Who may do what to a study (see optunad(8), ACCESS CONTROL).
///
/// A study belongs to the user who created it (`optunad:owner_uid`, from the connection's `SO_PEERCRED`).
/// Everybody who can connect may read every study. Only the owner and root may delete it or change its
/// attributes; other users may ask, tell and report on its trials only when it was created with `"shared": true`.
/// With access control off (`optunad --access-control off`, for single-user set-ups) everybody may do everything.
extension Dispatcher {
    /// The study system attribute holding the creator's user id.
    static let ownerKey = "optunad:owner_uid"

    enum Access {
        /// Ask, tell, report, suggest, enqueue, heartbeat.
        case work
        /// Delete the study, set its attributes.
        case administer
    }

    /// The calling user, when the connection reported one.
    var callerUID: UInt32? { origin.client?.uid }

    /// Throws `permission_denied` when the caller may not act on the study in this way.
    func authorize(_ access: Access, _ actor: StudyActor) async throws {
        guard accessControl, let uid = callerUID, uid != 0 else { return }
        let (owner, shared, name) = actor.access.withLock { ($0.owner, $0.shared, $0.name) }
        guard let owner, owner != uid else { return }
        switch access {
        case .work where shared: return
        case .work:
            throw StudyError.permissionDenied(
                "study '\(name)' belongs to uid \(owner) and is not shared; user \(uid) may read it but not work on it")
        case .administer:
            throw StudyError.permissionDenied("only uid \(owner) (its creator) or root may change or delete study '\(name)'")
        }
    }

    /// Throws `invalid_params` when an attribute value is larger than the limit.
    func checkAttribute(_ value: JSONValue, key: String) throws(RPCError) {
        let size = JSONWriter.string(value).utf8.count
        guard size <= limits.maximumAttributeBytes else {
            throw .invalidParams(
                "attribute '\(key)' is \(size) bytes of JSON; the limit is \(limits.maximumAttributeBytes) (optunad --max-attr-bytes)")
        }
    }
}

/// A study's owner uid (`optunad:owner_uid`), its `shared` option and its name, for access checks.
struct AccessFacts: Sendable {
    var owner: UInt32?
    var shared: Bool
    var name: String

    init(_ record: StudyRecord) {
        owner = record.systemAttrs[Dispatcher.ownerKey]?.int64Value.flatMap { UInt32(exactly: $0) }
        shared = StudyOptions(stored: record.systemAttrs[StudyOptions.key]).shared
        name = record.name
    }
}
