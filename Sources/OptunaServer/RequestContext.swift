public import Logging

/// Who sent the request being executed, and which method it calls, as task-local values that log entries pick up.
///
/// The connection handler binds ``client`` (from `SO_PEERCRED`) around each request and the dispatcher binds
/// ``method``; ``metadataProvider`` turns them into the metadata keys `client_pid`, `client_uid` and `method`, which
/// the journal stores as `OPTUNAD_CLIENT_PID`, `OPTUNAD_CLIENT_UID` and `OPTUNAD_METHOD`. Install the provider when
/// bootstrapping logging (`LoggingSystem.bootstrap(_:metadataProvider:)`).
public enum RequestContext {
    /// The peer of the connection the current request came from, when the kernel reported it.
    @TaskLocal public static var client: PeerCredentials?

    /// The id of the connection the current request came from (for connection leases).
    @TaskLocal public static var connection: UInt64?

    /// The JSON-RPC method being executed.
    @TaskLocal public static var method: String?

    /// Adds `client_pid`, `client_uid` and `method` to every log entry made while a request executes.
    public static let metadataProvider = Logger.MetadataProvider {
        var metadata: Logger.Metadata = [:]
        if let client {
            metadata["client_pid"] = "\(client.pid)"
            metadata["client_uid"] = "\(client.uid)"
        }
        if let method {
            metadata["method"] = "\(method)"
        }
        return metadata
    }
}
