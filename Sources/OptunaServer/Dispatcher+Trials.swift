import FoundationEssentials
import OptunaCore
import OptunaProtocol
import OptunaStorage

extension Dispatcher {
    func searchSpace(_ json: [String: JSONValue]?) throws -> [String: Distribution] {
        guard let json else { return [:] }
        guard json.count <= limits.maximumParams else {
            throw RPCError.invalidParams(
                "a search space may hold at most \(limits.maximumParams) parameters (optunad --max-params)")
        }
        var space = [String: Distribution](minimumCapacity: json.count)
        for (name, dj) in json {
            try Self.checkName(name, what: "a parameter name")
            do {
                space[name] = try Distribution(json: dj)
            } catch {
                throw RPCError.invalidParams("parameter '\(name)': \(error.description)")
            }
        }
        return space
    }

    /// The study actor of the request's `trial_id`, after checking the caller may work on that study.
    func trialActor(_ p: ParamReader) async throws -> (StudyActor, Int64) {
        let id = try p.int64("trial_id")
        return (try await trialActor(id: id), id)
    }

    /// The study actor of trial `id`, after checking the caller may work on that study.
    func trialActor(id: Int64) async throws -> StudyActor {
        let actor = try await registry.actor(forTrial: id)
        try await authorize(.work, actor)
        return actor
    }

    /// What an `ask` request asks for, checked and decoded from its parameters.
    struct AskArguments: Sendable {
        var studyName: String
        var space: [String: Distribution]
        var clientID: String?
        var lease: String?
        var waitMS: Int64
    }

    /// Checks and decodes an `ask` request's parameters.
    func askArguments(_ p: ParamReader) throws -> AskArguments {
        try p.checkNoUnknown(["study_name", "search_space", "lease", "client_id", "wait_ms"])
        let space = try searchSpace(try p.optionalObject("search_space"))
        let studyName = try p.string("study_name")
        let clientID = try p.optionalString("client_id")
        let lease = try p.optionalString("lease")
        if let lease, lease != "connection", lease != "heartbeat" {
            throw RPCError.invalidParams("\"lease\" must be \"connection\" or \"heartbeat\", got \"\(lease)\"")
        }
        if let clientID { try Self.checkName(clientID, what: "client_id") }
        let waitMS = try p.optionalInt64("wait_ms") ?? 0
        guard (0...3_600_000).contains(waitMS) else {
            throw RPCError.invalidParams("\"wait_ms\" must be between 0 and 3600000")
        }
        return AskArguments(studyName: studyName, space: space, clientID: clientID, lease: lease, waitMS: waitMS)
    }

    /// Starts a trial (waiting for a slot up to `wait_ms` under `max_running`).
    func ask(_ p: ParamReader) async throws -> TrialAnswer {
        try await ask(askArguments(p))
    }

    /// Starts a trial for decoded `ask` parameters.
    func ask(_ arguments: AskArguments) async throws -> TrialAnswer {
        let (studyName, space, waitMS) = (arguments.studyName, arguments.space, arguments.waitMS)
        var context = AskContext(clientID: arguments.clientID, lease: arguments.lease)
        context.clientAttributes = origin.clientAttributes
        let actor = try await registry.actor(named: studyName)
        try await authorize(.work, actor)
        let deadline = ContinuousClock.now + .milliseconds(waitMS)
        let asked = context
        while true {
            do {
                let trial = try await Self.sampling(on: actor) {
                    try await actor.perform { a in
                        let trial = try await a.admittedAsk(searchSpace: space, context: asked)
                        // What a request about the new trial needs is in place before the client hears of it.
                        registry.noteTrial(trial.id, studyID: a.record.id)
                        if asked.lease == "connection", let connection = origin.connection {
                            registry.leases.lease(trialID: trial.id, to: connection)
                        }
                        earlyAnswer?.deliver(.started(trial))
                        return trial
                    }
                }
                // The client has its answer (when it went early): render what the tell's answer will repeat.
                trialParts?.prepare(trial)
                logTrialStarted(trial, study: studyName)
                return .started(trial)
            } catch StudyError.retryAfter(let ms, let reason) {
                // max_running is reached: wait for a slot while the caller allows it.
                guard ContinuousClock.now < deadline else { throw StudyError.retryAfter(milliseconds: ms, reason: reason) }
                try await Task.sleep(for: .milliseconds(10))
            }
        }
    }

    /// Runs an operation that samples: where the request already runs (its connection's event loop) while
    /// the study's sampling is cheap, else on the global concurrent executor (see ``SamplingCost``).
    static func sampling<T>(on actor: StudyActor, _ operation: () async throws -> T) async throws -> T {
        guard actor.samplingCost.runsOffLoop else { return try await operation() }
        return try await withTaskExecutorPreference(globalConcurrentExecutor, operation: operation)
    }

    func heartbeat(_ p: ParamReader) async throws -> JSONValue {
        try p.checkNoUnknown(["trial_id"])
        let (actor, id) = try await trialActor(p)
        try await actor.perform { a in
            let t = try await a.trial(id: id)
            guard t.state == .running else { throw StudyError.trialFinished(number: t.number, state: t.state) }
            try await a.touch(trialID: id, persist: true)
        }
        return [:]
    }

    func suggest(_ p: ParamReader) async throws -> JSONValue {
        try p.checkNoUnknown(["trial_id", "name", "distribution"])
        let name = try p.string("name")
        try Self.checkName(name, what: "a parameter name")
        guard let dj = p.value("distribution") else { throw RPCError.invalidParams("suggest needs \"distribution\"") }
        let d: Distribution
        do { d = try Distribution(json: dj) } catch { throw RPCError.invalidParams("parameter '\(name)': \(error.description)") }
        let (actor, id) = try await trialActor(p)
        let value = try await Self.sampling(on: actor) {
            try await actor.perform { a in
                try await a.touch(trialID: id, persist: false)
                return try await a.suggest(trialID: id, name: name, distribution: d)
            }
        }
        return ["value": value]
    }

    /// What a `report` request reports, checked and decoded from its parameters.
    struct ReportArguments: Sendable {
        var trialID: Int64
        var step: Int
        var value: Double
    }

    /// The parameters of `report`.
    static let reportParameters = ["trial_id", "step", "value"]

    func report(_ p: ParamReader) async throws -> JSONValue {
        try p.checkNoUnknown(Self.reportParameters)
        let step64 = try p.int64("step")
        guard let step = Int(exactly: step64), step >= 0 else {
            throw RPCError.invalidParams("\"step\" must be a non-negative integer, got \(step64)")
        }
        guard let raw = p.params["value"] else { throw RPCError.invalidParams("report needs \"value\"") }
        let value = try ParamReader.number(raw, "value")
        return try await report(ReportArguments(trialID: try p.int64("trial_id"), step: step, value: value))
    }

    /// Records an intermediate value for decoded `report` parameters; answers with the pruner's decision.
    func report(_ arguments: ReportArguments) async throws -> JSONValue {
        let (id, step, value) = (arguments.trialID, arguments.step, arguments.value)
        let actor = try await trialActor(id: id)
        let prune = try await actor.perform { a in
            try await a.touch(trialID: id, persist: false)
            return try await a.report(trialID: id, step: step, value: value)
        }
        return ["should_prune": .bool(prune)]
    }

    /// The parameters of `should_prune`.
    static let shouldPruneParameters = ["trial_id"]

    func shouldPrune(_ p: ParamReader) async throws -> JSONValue {
        try p.checkNoUnknown(Self.shouldPruneParameters)
        return try await shouldPrune(trialID: try p.int64("trial_id"))
    }

    /// The pruner's decision for trial `id` now.
    func shouldPrune(trialID id: Int64) async throws -> JSONValue {
        let actor = try await trialActor(id: id)
        let prune = try await actor.perform { a in
            try await a.touch(trialID: id, persist: false)
            return try a.shouldPrune(trialID: id)
        }
        return ["should_prune": .bool(prune)]
    }

    /// What a `tell` request tells, checked and decoded from its parameters.
    struct TellArguments: Sendable {
        var trialID: Int64
        var values: [Double]?
        var state: TrialState?
        var constraints: [Double]?
        var skipIfFinished: Bool
    }

    /// The parameters of `tell`.
    static let tellParameters = ["trial_id", "value", "values", "state", "constraints", "skip_if_finished"]

    /// Tells a trial; answers with it as stored.
    func tell(_ p: ParamReader) async throws -> TrialAnswer {
        try p.checkNoUnknown(Self.tellParameters)
        var values: [Double]?
        if p.value("value") != nil, p.value("values") != nil {
            throw RPCError.invalidParams("give either \"value\" or \"values\", not both")
        }
        if let v = p.params["value"], !v.isNull { values = [try ParamReader.number(v, "value")] }
        if let vs = p.value("values") {
            guard let list = vs.arrayValue else { throw RPCError.invalidParams("\"values\" must be an array of numbers") }
            values = try list.map { (v) throws(RPCError) in try ParamReader.number(v, "values") }
        }
        var state: TrialState?
        if let s = try p.optionalString("state") {
            guard let parsed = TrialState(name: s) else {
                throw RPCError.invalidParams("\"state\" must be COMPLETE, PRUNED or FAIL, got \"\(s)\"")
            }
            state = parsed
        }
        var constraints: [Double]?
        if let c = p.value("constraints") {
            guard let list = c.arrayValue else { throw RPCError.invalidParams("\"constraints\" must be an array of numbers") }
            constraints = try list.map { (v) throws(RPCError) in try ParamReader.number(v, "constraints") }
        }
        let skip = try p.bool("skip_if_finished")
        return try await tell(TellArguments(
            trialID: try p.int64("trial_id"), values: values, state: state, constraints: constraints,
            skipIfFinished: skip))
    }

    /// Tells a trial for decoded `tell` parameters; answers with it as stored.
    func tell(_ arguments: TellArguments) async throws -> TrialAnswer {
        let id = arguments.trialID
        let actor = try await trialActor(id: id)
        let (trial, name) = try await actor.perform { a in
            let trial = try await a.tell(
                trialID: id, values: arguments.values, state: arguments.state, constraints: arguments.constraints,
                skipIfFinished: arguments.skipIfFinished)
            if trial.state.isFinished { registry.leases.release(trialID: id) }
            earlyAnswer?.deliver(.trial(trial, studyName: a.record.name), parts: trialParts?.current)
            return (trial, a.record.name)
        }
        logTrialFinished(trial, study: name)
        return .trial(trial, studyName: name)
    }

    func setTrialUserAttr(_ p: ParamReader) async throws -> JSONValue {
        try p.checkNoUnknown(["trial_id", "key", "value"])
        let key = try p.string("key")
        try Self.checkName(key, what: "key")
        let value = p.params["value"] ?? .null
        let (actor, id) = try await trialActor(p)
        try checkAttribute(value, key: key)
        try await actor.perform { a in
            try await a.touch(trialID: id, persist: false)
            try await a.setTrialUserAttr(trialID: id, key: key, value: value)
        }
        return [:]
    }

    func enqueueTrial(_ p: ParamReader) async throws -> JSONValue {
        try p.checkNoUnknown(["study_name", "params", "user_attrs", "skip_if_exists"])
        let params = try p.optionalObject("params") ?? [:]
        guard params.count <= limits.maximumParams else {
            throw RPCError.invalidParams("a trial may hold at most \(limits.maximumParams) parameters (optunad --max-params)")
        }
        for name in params.keys { try Self.checkName(name, what: "a parameter name") }
        let userAttrs = try p.optionalObject("user_attrs") ?? [:]
        for (k, v) in userAttrs {
            try Self.checkName(k, what: "an attribute key")
            try checkAttribute(v, key: k)
        }
        let skip = try p.bool("skip_if_exists")
        let actor = try await registry.actor(named: try p.string("study_name"))
        try await authorize(.work, actor)
        let (trial, studyID) = try await actor.perform { a in
            (try await a.enqueue(params: params, userAttrs: userAttrs, skipIfExists: skip), a.record.id)
        }
        registry.noteTrial(trial.id, studyID: studyID)
        return ["trial_id": .int(trial.id), "number": .int(Int64(trial.number))]
    }

    func getTrial(_ p: ParamReader) async throws -> TrialAnswer {
        try p.checkNoUnknown(["trial_id"])
        let id = try p.int64("trial_id")
        let actor = try await registry.actor(forTrial: id)
        let (trial, name) = try await actor.perform { a in (try await a.trial(id: id), a.record.name) }
        return .trial(trial, studyName: name)
    }

    func getTrials(_ p: ParamReader) async throws -> TrialAnswer {
        try p.checkNoUnknown(["study_name", "states", "offset", "limit"])
        let name = try p.string("study_name")
        var states: Set<TrialState>?
        if let s = p.value("states") {
            guard let list = s.arrayValue else { throw RPCError.invalidParams("\"states\" must be an array of state names") }
            states = []
            for v in list {
                guard let n = v.stringValue, let st = TrialState(name: n) else {
                    throw RPCError.invalidParams(
                        "unknown state \(v); states: \(TrialState.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                states?.insert(st)
            }
        }
        let offset = try p.optionalInt64("offset") ?? 0
        let limit = try p.optionalInt64("limit")
        guard offset >= 0, (limit ?? 0) >= 0, let off = Int(exactly: offset) else {
            throw RPCError.invalidParams("\"offset\" and \"limit\" must be non-negative integers")
        }
        let lim = limit.flatMap { Int(exactly: $0) }
        let actor = try await registry.actor(named: name)
        let wanted = states
        let trials = try await actor.perform { try await $0.trials(states: wanted, offset: off, limit: lim) }
        return .trials(trials, studyName: name)
    }
}
