import FoundationEssentials
public import Logging
public import OptunaCore
public import OptunaProtocol
import OptunaStorage

/// Turns request lines into response lines: framing-level JSON-RPC (batches, notifications, errors) and
/// the method table.
///
/// - Important: ``handle(line:)`` never throws and never traps on client input: every failure becomes an
///   error response (or nothing, for a notification).
public struct Dispatcher: Sendable {
    /// The studies.
    public let registry: StudyRegistry
    /// The daemon's version, reported by `hello`.
    public let version: String
    let logger: Logger
    /// Limits on request contents.
    public var limits = RequestLimits()
    /// Whether studies belong to their creators (see ``Dispatcher/authorize(_:_:)``).
    public var accessControl = true
    /// Where the requests this dispatcher answers come from (a connection's handler sets it on its copy).
    public var origin = RequestOrigin()
    /// The last `ask` line of the connection this copy serves (see ``forConnection()``).
    var repeatedAsks: RepeatedAskLines?
    /// The connection's way to answer `ask` and `tell` from inside the study actor (set by the connection).
    var earlyAnswer: EarlyAnswer?
    /// The parts of the trial this connection asked for last, rendered for its `tell` (see ``forConnection()``).
    var trialParts: TrialPartsMemo?

    typealias Handler = @Sendable (Dispatcher, ParamReader) async throws -> JSONValue

    /// Creates a dispatcher over a registry.
    public init(registry: StudyRegistry, version: String, logger: Logger) {
        self.registry = registry
        self.version = version
        self.logger = logger
    }

    /// A copy for one connection, whose requests run one at a time: an `ask` line that repeats the connection's
    /// last successful one but for its id is answered without parsing its parameters again (``RepeatedAskLines``),
    /// and the answer to a `tell` of the trial it asked for last writes the parts rendered after the `ask`
    /// (``TrialPartsMemo``).
    public func forConnection() -> Dispatcher {
        var copy = self
        copy.repeatedAsks = RepeatedAskLines()
        copy.trialParts = TrialPartsMemo()
        return copy
    }

    /// The methods of protocol version 1, by name (those of ``trialMethods`` render their answer as JSON).
    static let methods: [String: Handler] = otherMethods.merging(
        trialMethods.mapValues { handler in { @Sendable d, p in try await handler(d, p).json } }
    ) { other, _ in other }

    typealias TrialHandler = @Sendable (Dispatcher, ParamReader) async throws -> TrialAnswer

    /// The methods that answer with trials; a request alone on its line gets their answer written as text
    /// directly (see ``TrialAnswer``).
    static let trialMethods: [String: TrialHandler] = [
        "ask": { d, p in try await d.ask(p) },
        "tell": { d, p in try await d.tell(p) },
        "get_trial": { d, p in try await d.getTrial(p) },
        "get_trials": { d, p in try await d.getTrials(p) },
        "best_trial": { d, p in try await d.bestTrial(p) },
        "best_trials": { d, p in try await d.bestTrials(p) },
    ]

    private static let otherMethods: [String: Handler] = [
        "hello": { d, p in try d.hello(p) },
        "create_study": { d, p in try await d.createStudy(p) },
        "get_study": { d, p in try await d.getStudy(p) },
        "get_all_studies": { d, p in try await d.getAllStudies(p) },
        "delete_study": { d, p in try await d.deleteStudy(p) },
        "set_study_user_attr": { d, p in try await d.setStudyUserAttr(p) },
        "enqueue_trial": { d, p in try await d.enqueueTrial(p) },
        "suggest": { d, p in try await d.suggest(p) },
        "report": { d, p in try await d.report(p) },
        "should_prune": { d, p in try await d.shouldPrune(p) },
        "heartbeat": { d, p in try await d.heartbeat(p) },
        "export_sqlite": { d, p in try await d.exportSQLite(p) },
        "set_trial_user_attr": { d, p in try await d.setTrialUserAttr(p) },
    ]

    /// The method names, sorted.
    public static var methodNames: [String] { methods.keys.sorted() }

    /// Answers one request line (without its `\n`): the response line, or nil when nothing is to be sent
    /// (notifications, and batches of notifications only).
    ///
    /// A `tell`, `report` or `should_prune` line of the shape clients send in loops is answered without building
    /// its JSON objects (``flatAnswer(to:)``), with the answer the general path gives.
    ///
    /// Requests whose answers grow with a study's history (``answersGrowWithHistory(_:)``) are answered, and
    /// their answers encoded, on Swift's global concurrent executor rather than on the connection's event
    /// loop, so that listing 10,000 trials does not keep the loop's other connections waiting.
    public func handle(line: [UInt8]) async -> [UInt8]? {
        if let repeatedAsks, let (id, entry) = repeatedAsks.match(line) {
            let request = RPCRequest(id: id, method: "ask", params: entry.params)
            return await textLine(request, id: id) { d, _ in try await d.ask(entry.arguments) }
        }
        if let answered = await flatAnswer(to: line) { return answered }
        let json: JSONValue
        var idRange: Range<Int>?
        do {
            if repeatedAsks == nil {
                json = try JSONParser.parse(line)
            } else {
                (json, idRange) = try JSONParser.parse(line, locatingMember: "id")
            }
        } catch {
            return RPCResponse.line(RPCResponse.failure(id: .null, error: RPCError(.parseError, error.description)))
        }
        let source = idRange.map { (line: line, idRange: $0) }
        if Self.answersGrowWithHistory(json) {
            return await withTaskExecutorPreference(globalConcurrentExecutor) { await respond(to: json, from: source) }
        }
        return await respond(to: json, from: source)
    }

    /// The methods whose answers (and work) grow with the number of trials or studies.
    static let bulkMethods: Set<String> = ["get_trials", "best_trials", "get_all_studies", "export_sqlite"]

    /// Whether a request, or any request of a batch, calls one of ``bulkMethods``.
    static func answersGrowWithHistory(_ json: JSONValue) -> Bool {
        switch json {
        case .array(let elements): return elements.contains(where: answersGrowWithHistory)
        case .object(let fields):
            guard case .string(let method)? = fields["method"] else { return false }
            return bulkMethods.contains(method)
        default: return false
        }
    }

    /// The response line to a parsed request line; `line` (with the range of its id's value) lets a successful
    /// `ask` be remembered for ``repeatedAsks``.
    private func respond(to json: JSONValue, from line: (line: [UInt8], idRange: Range<Int>)?) async -> [UInt8]? {
        if case .array(let elements) = json {
            guard !elements.isEmpty else {
                return RPCResponse.line(
                    RPCResponse.failure(id: .null, error: RPCError(.invalidRequest, "an empty batch is not a request")))
            }
            var responses: [JSONValue] = []
            for element in elements {
                if let r = await handle(element) { responses.append(r) }
            }
            return responses.isEmpty ? nil : RPCResponse.line(.array(responses))
        }
        switch RPCRequest.parse(json) {
        case .failure(let f):
            return RPCResponse.line(RPCResponse.failure(id: f.id, error: f.error))
        case .success(let request):
            if let id = request.id, let handler = Self.trialMethods[request.method] {
                if request.method == "ask", let repeatedAsks, let line {
                    return await textLine(request, id: id) { d, p in
                        let arguments = try d.askArguments(p)
                        let answer = try await d.ask(arguments)
                        repeatedAsks.remember(line.line, idRange: line.idRange, params: request.params, arguments: arguments)
                        return answer
                    }
                }
                return await textLine(request, id: id, handler)
            }
            return await answer(request).map(RPCResponse.line)
        }
    }

    /// The response line for a request whose method answers with trials, written as text; nil when the method
    /// already sent it (``EarlyAnswer``).
    func textLine(_ request: RPCRequest, id: JSONValue, _ handler: TrialHandler) async -> [UInt8]? {
        earlyAnswer?.arm(id)
        let result = await run(request) { try await handler(self, ParamReader(request.params, method: request.method)) }
        if earlyAnswer?.disarm() == true { return nil }
        switch result {
        case .success(let answer): return Self.successLine(id: id, answer, parts: trialParts?.current)
        case .failure(let error): return RPCResponse.line(RPCResponse.failure(id: id, error: error))
        }
    }

    /// The response line of a request `id` answered with `answer` (see ``TrialAnswer/write(into:parts:)``).
    static func successLine(id: JSONValue, _ answer: TrialAnswer, parts: RenderedTrialParts? = nil) -> [UInt8] {
        // The members in the order the writer sorts them: id, jsonrpc, result.
        var out: [UInt8] = []
        out.reserveCapacity(answer.estimatedSize + 48)
        out.append(contentsOf: #"{"id":"#.utf8)
        JSONWriter.write(id, into: &out)
        out.append(contentsOf: #","jsonrpc":"2.0","result":"#.utf8)
        answer.write(into: &out, parts: parts)
        out.append(contentsOf: "}\n".utf8)
        return out
    }

    /// Answers one request object.
    public func handle(_ json: JSONValue) async -> JSONValue? {
        let request: RPCRequest
        switch RPCRequest.parse(json) {
        case .success(let r): request = r
        case .failure(let f):
            // A request whose id cannot be read is answered even when it may have been a notification.
            return RPCResponse.failure(id: f.id, error: f.error)
        }
        return await answer(request)
    }

    /// Answers one parsed request: the response object, or nil for a notification.
    private func answer(_ request: RPCRequest) async -> JSONValue? {
        let result = await execute(request)
        guard let id = request.id else { return nil }
        switch result {
        case .success(let value): return RPCResponse.success(id: id, result: value)
        case .failure(let error): return RPCResponse.failure(id: id, error: error)
        }
    }

    /// Runs one request's method.
    public func execute(_ request: RPCRequest) async -> Result<JSONValue, RPCError> {
        guard let handler = Self.methods[request.method] else {
            return .failure(RPCError(
                .methodNotFound, "unknown method '\(request.method)'; methods: \(Self.methodNames.joined(separator: ", "))"))
        }
        return await run(request) { try await handler(self, ParamReader(request.params, method: request.method)) }
    }

    /// Runs a request's method body, logging and mapping its error (see ``ErrorMapping``).
    func run<T>(_ request: RPCRequest, _ body: () async throws -> T) async -> Result<T, RPCError> {
        do {
            let value = try await RequestContext.$current.withValue(.init(origin: origin, method: request.method)) {
                try await body()
            }
            logger.debug("request", metadata: ["method": "\(request.method)"])
            return .success(value)
        } catch {
            let rpc = ErrorMapping.rpcError(for: error)
            if rpc.kind == .internalError || rpc.kind == .storageError {
                logger.error(
                    "request failed: \(String(describing: error))",
                    metadata: ["method": "\(request.method)", "request_id": "\(request.id ?? .null)"])
            } else {
                logger.debug(
                    "request refused: \(rpc.message)",
                    metadata: ["method": "\(request.method)", "kind": "\(rpc.kind.rawValue)"])
            }
            return .failure(rpc)
        }
    }
}
