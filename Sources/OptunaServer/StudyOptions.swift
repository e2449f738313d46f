public import OptunaCore
public import OptunaProtocol

/// A study's reliability and budget options, set by `create_study` and stored with the study.
///
/// - `heartbeat_interval` (seconds): RUNNING trials must show life (a `heartbeat`, or any request about the
///   trial) at least this often; the daemon fails a trial whose last sign of life is older than `grace_period`
///   (default: twice the interval, as Optuna).
/// - `retry`: `{max_retry, inherit_intermediate_values}`: a trial failed by a missed heartbeat or a closed lease is
///   queued again with the same parameters, as Optuna's `RetryFailedTrialCallback` does (`failed_trial`,
///   `retry_history` system attributes); `max_retry` null means without limit.
/// - `max_trials`: at most this many trials COMPLETE, PRUNED or RUNNING; then `ask` answers `budget_exhausted`.
///   Failed trials do not count (a retry replaces them).
/// - `max_running`: at most this many RUNNING trials at once; `ask` waits up to its `wait_ms` or answers
///   `retry_after`.
/// - `shared`: whether users other than the creator (and root) may ask and tell trials of the study.
public struct StudyOptions: Hashable, Sendable {
    /// Seconds between heartbeats, or nil for no heartbeat checking.
    public var heartbeatInterval: Double?
    /// Seconds without a sign of life after which a RUNNING trial fails.
    public var gracePeriod: Double?
    /// Re-queue trials that failed by a heartbeat or a lease.
    public var retry: RetryPolicy?
    /// The trial budget.
    public var maxTrials: Int?
    /// The concurrency limit.
    public var maxRunning: Int?
    /// Whether other users may work on the study.
    public var shared: Bool

    /// The system attribute under which the options are stored.
    public static let key = "optunad:options"

    /// No options.
    public init(
        heartbeatInterval: Double? = nil, gracePeriod: Double? = nil, retry: RetryPolicy? = nil, maxTrials: Int? = nil,
        maxRunning: Int? = nil, shared: Bool = false
    ) {
        self.heartbeatInterval = heartbeatInterval
        self.gracePeriod = gracePeriod
        self.retry = retry
        self.maxTrials = maxTrials
        self.maxRunning = maxRunning
        self.shared = shared
    }

    /// The grace period in force: the given one, else twice the heartbeat interval.
    public var effectiveGracePeriod: Double? { gracePeriod ?? heartbeatInterval.map { $0 * 2 } }

    /// Reads the options from `create_study` parameters (absent ones stay unset).
    public init(params p: ParamReader) throws(RPCError) {
        self.init()
        heartbeatInterval = try Self.positive(p.value("heartbeat_interval"), "heartbeat_interval")
        gracePeriod = try Self.positive(p.value("grace_period"), "grace_period")
        if gracePeriod != nil, heartbeatInterval == nil {
            throw .invalidParams("\"grace_period\" needs \"heartbeat_interval\"")
        }
        if let r = p.value("retry") { retry = try RetryPolicy(json: r) }
        maxTrials = try Self.count(p.value("max_trials"), "max_trials", minimum: 1)
        maxRunning = try Self.count(p.value("max_running"), "max_running", minimum: 1)
        shared = try p.bool("shared")
    }

    /// Reads stored options (unknown or broken members are ignored: the study still loads).
    public init(stored json: JSONValue?) {
        self.init()
        guard let o = json?.objectValue else { return }
        heartbeatInterval = o["heartbeat_interval"]?.doubleValue
        gracePeriod = o["grace_period"]?.doubleValue
        if let r = o["retry"], !r.isNull { retry = try? RetryPolicy(json: r) }
        maxTrials = o["max_trials"]?.intValue
        maxRunning = o["max_running"]?.intValue
        shared = o["shared"]?.boolValue ?? false
    }

    /// The options as stored and as `get_study` shows them (unset ones as null).
    public var json: JSONValue {
        [
            "heartbeat_interval": heartbeatInterval.map(JSONValue.double) ?? .null,
            "grace_period": effectiveGracePeriod.map(JSONValue.double) ?? .null,
            "retry": retry?.json ?? .null,
            "max_trials": maxTrials.map { .int(Int64($0)) } ?? .null,
            "max_running": maxRunning.map { .int(Int64($0)) } ?? .null,
            "shared": .bool(shared),
        ]
    }

    private static func positive(_ v: JSONValue?, _ name: String) throws(RPCError) -> Double? {
        guard let v else { return nil }
        let d = try ParamReader.number(v, name)
        guard d.isFinite, d > 0 else { throw .invalidParams("\"\(name)\" must be a positive number of seconds") }
        return d
    }

    private static func count(_ v: JSONValue?, _ name: String, minimum: Int64) throws(RPCError) -> Int? {
        guard let v else { return nil }
        let i = try ParamReader.integer(v, name)
        guard i >= minimum, let n = Int(exactly: i) else { throw .invalidParams("\"\(name)\" must be >= \(minimum)") }
        return n
    }
}

/// How failed trials are retried (Optuna's `RetryFailedTrialCallback`).
public struct RetryPolicy: Hashable, Sendable {
    /// At most this many retries of one original trial; nil for no limit.
    public var maxRetry: Int?
    /// Whether the retry starts with the failed trial's intermediate values.
    public var inheritIntermediateValues: Bool

    /// Creates a policy.
    public init(maxRetry: Int? = nil, inheritIntermediateValues: Bool = false) {
        self.maxRetry = maxRetry
        self.inheritIntermediateValues = inheritIntermediateValues
    }

    /// Reads `{"max_retry": 3, "inherit_intermediate_values": false}` (or `true` for defaults).
    public init(json: JSONValue) throws(RPCError) {
        self.init()
        if json.boolValue == true { return }
        guard let o = json.objectValue else {
            throw .invalidParams("\"retry\" must be an object {\"max_retry\", \"inherit_intermediate_values\"}")
        }
        if let extra = o.firstUnknownKey(known: ["max_retry", "inherit_intermediate_values"]) {
            throw .invalidParams("unknown option '\(extra)' in \"retry\"; valid options: inherit_intermediate_values, max_retry")
        }
        if let m = o["max_retry"], !m.isNull {
            let i = try ParamReader.integer(m, "max_retry")
            guard i >= 0, let n = Int(exactly: i) else { throw .invalidParams("\"max_retry\" must be >= 0") }
            maxRetry = n
        }
        if let b = o["inherit_intermediate_values"], !b.isNull {
            guard let v = b.boolValue else { throw .invalidParams("\"inherit_intermediate_values\" must be true or false") }
            inheritIntermediateValues = v
        }
    }

    /// The policy as JSON.
    public var json: JSONValue {
        ["max_retry": maxRetry.map { .int(Int64($0)) } ?? .null, "inherit_intermediate_values": .bool(inheritIntermediateValues)]
    }
}
