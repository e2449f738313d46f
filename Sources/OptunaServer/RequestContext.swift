public import Logging
public import OptunaCore

/// Where a request came from: the connection's peer (`SO_PEERCRED`) and the connection's id.
///
/// A connection's handler sets it on its copy of the ``Dispatcher`` once the peer is known, so every request of
/// that connection carries it without extra work per request.
public struct RequestOrigin: Hashable, Sendable {
    /// The peer of the connection, when the kernel reported it.
    public var client: PeerCredentials? {
        didSet { clientAttributes = Self.attributes(of: client) }
    }
    /// The id of the connection (for connection leases).
    public var connection: UInt64?
    /// The system attributes an `ask` records for ``client``: `optunad:client_pid` and `optunad:client_uid`
    /// (none for an unknown peer). Built once per connection, so the connection's trials share one dictionary.
    public private(set) var clientAttributes: [String: JSONValue]

    /// An origin; both parts default to unknown (an in-process caller).
    public init(client: PeerCredentials? = nil, connection: UInt64? = nil) {
        self.client = client
        self.connection = connection
        clientAttributes = Self.attributes(of: client)
    }

    private static func attributes(of client: PeerCredentials?) -> [String: JSONValue] {
        guard let client else { return [:] }
        return [StudyActor.clientPIDKey: .int(Int64(client.pid)), StudyActor.clientUIDKey: .int(Int64(client.uid))]
    }
}

/// The request being executed, as one task-local value that log entries pick up.
///
/// The dispatcher binds it around each request's method (``Dispatcher/origin`` and the method's name);
/// ``metadataProvider`` turns it into the metadata keys `client_pid`, `client_uid` and `method`, which the journal
/// stores as `OPTUNAD_CLIENT_PID`, `OPTUNAD_CLIENT_UID` and `OPTUNAD_METHOD`. Install the provider when
/// bootstrapping logging (`LoggingSystem.bootstrap(_:metadataProvider:)`).
public enum RequestContext {
    /// The origin and method of the request being executed.
    struct Current: Sendable {
        var origin: RequestOrigin
        var method: String
    }

    /// Bound once per request, by ``Dispatcher``.
    @TaskLocal static var current: Current?

    /// The peer of the connection the current request came from, when the kernel reported it.
    public static var client: PeerCredentials? { current?.origin.client }

    /// The id of the connection the current request came from.
    public static var connection: UInt64? { current?.origin.connection }

    /// The JSON-RPC method being executed.
    public static var method: String? { current?.method }

    /// Adds `client_pid`, `client_uid` and `method` to every log entry made while a request executes.
    public static let metadataProvider = Logger.MetadataProvider {
        var metadata: Logger.Metadata = [:]
        guard let current else { return metadata }
        if let client = current.origin.client {
            metadata["client_pid"] = "\(client.pid)"
            metadata["client_uid"] = "\(client.uid)"
        }
        metadata["method"] = "\(current.method)"
        return metadata
    }
}
