import FoundationEssentials
import OptunaCore
import OptunaProtocol
import OptunaStorage

extension Dispatcher {
    func hello(_ p: ParamReader) throws -> JSONValue {
        [
            "server": "optunad", "version": .string(version), "protocol": 1,
            "storage": .string(registry.storage.descriptionForClients),
            "samplers": .array(SamplerCatalog.shared.typeNames.map(JSONValue.string)),
            "pruners": .array(PrunerCatalog.shared.typeNames.map(JSONValue.string)),
            "methods": .array(Self.methodNames.map(JSONValue.string)),
        ]
    }

    /// Longest study name, attribute key or parameter name accepted (Optuna's VARCHAR(512)).
    static let maximumNameLength = 512

    static func checkName(_ s: String, what: String) throws(RPCError) {
        guard !s.isEmpty else { throw .invalidParams("\(what) must not be empty") }
        guard s.utf8.count <= maximumNameLength else {
            throw .invalidParams("\(what) is longer than \(maximumNameLength) bytes")
        }
    }

    func createStudy(_ p: ParamReader) async throws -> JSONValue {
        try p.checkNoUnknown([
            "study_name", "direction", "directions", "sampler", "pruner", "load_if_exists", "user_attrs",
            "heartbeat_interval", "grace_period", "retry", "max_trials", "max_running", "shared",
        ])
        let options = try StudyOptions(params: p)
        let userAttrs = try p.optionalObject("user_attrs") ?? [:]
        for (k, v) in userAttrs {
            try Self.checkName(k, what: "an attribute key")
            try checkAttribute(v, key: k)
        }
        var extra: [String: JSONValue] = [StudyOptions.key: options.json]
        if let uid = callerUID { extra[Self.ownerKey] = .int(Int64(uid)) }
        let name = try p.optionalString("study_name") ?? "no-name-\(UUID().uuidString.lowercased())"
        try Self.checkName(name, what: "study_name")
        let directions = try Self.directions(p)
        var sampler = try SamplerCatalog.shared.normalize(p.value("sampler") ?? .string(SamplerCatalog.defaultType))
        if sampler.options["seed"] == .null {
            // Record a seed so the study is reproducible from its history, also after a restart.
            sampler.options["seed"] = .int(Int64.random(in: 0...Int64(UInt32.max)))
        }
        if case .object(var base)? = sampler.options["base_sampler"], base["seed"] == .null {
            base["seed"] = .int(Int64.random(in: 0...Int64(UInt32.max)))
            sampler.options["base_sampler"] = .object(base)
        }
        let pruner = try PrunerCatalog.shared.normalize(p.value("pruner") ?? .string(PrunerCatalog.defaultType))
        _ = try SamplerCatalog.shared.make(sampler)
        _ = try PrunerCatalog.shared.make(pruner)
        let (actor, created) = try await registry.create(
            name: name, directions: directions, sampler: sampler, pruner: pruner,
            userAttrs: userAttrs, systemAttrs: extra, loadIfExists: try p.bool("load_if_exists"))
        logStudyCreated(name, created: created)
        return try await studyJSON(actor)
    }

    static func directions(_ p: ParamReader) throws -> [StudyDirection] {
        func parse(_ v: JSONValue) throws(RPCError) -> StudyDirection {
            guard let s = v.stringValue, let d = StudyDirection(name: s) else {
                throw .invalidParams("a direction must be \"minimize\" or \"maximize\", got \(v)")
            }
            return d
        }
        let one = p.value("direction")
        let many = p.value("directions")
        if one != nil, many != nil { throw RPCError.invalidParams("give either \"direction\" or \"directions\", not both") }
        if let one { return [try parse(one)] }
        if let many {
            guard let list = many.arrayValue, !list.isEmpty else {
                throw RPCError.invalidParams("\"directions\" must be a non-empty array")
            }
            return try list.map { (v) throws(RPCError) in try parse(v) }
        }
        return [.minimize]
    }

    func studyJSON(_ actor: StudyActor) async throws -> JSONValue {
        let s = try await actor.perform { try await $0.summary() }
        var counts: [String: JSONValue] = [:]
        for state in TrialState.allCases { counts[state.rawValue] = .int(Int64(s.countsByState[state] ?? 0)) }
        return [
            "study_id": .int(s.record.id),
            "study_name": .string(s.record.name),
            "directions": .array(s.record.directions.map { .string($0.rawValue) }),
            "sampler": s.sampler.json,
            "options": StudyOptions(stored: s.record.systemAttrs[StudyOptions.key]).json,
            "owner_uid": s.record.systemAttrs[Self.ownerKey] ?? .null,
            "pruner": s.pruner.json,
            "user_attrs": .object(s.record.userAttrs),
            "system_attrs": .object(s.record.systemAttrs),
            "n_trials": .int(Int64(s.countsByState.values.reduce(0, +))),
            "n_trials_by_state": .object(counts),
            "grid_exhausted": s.gridExhausted.map(JSONValue.bool) ?? .null,
            "best_trial": s.bestTrial.map { WireFormat.trial($0, studyName: s.record.name) } ?? .null,
            "datetime_start": WireFormat.date(s.datetimeStart),
        ]
    }

    func getStudy(_ p: ParamReader) async throws -> JSONValue {
        try p.checkNoUnknown(["study_name"])
        return try await studyJSON(try await registry.actor(named: try p.string("study_name")))
    }

    func getAllStudies(_ p: ParamReader) async throws -> JSONValue {
        try p.checkNoUnknown([])
        var out: [JSONValue] = []
        for a in try await registry.allActors() { out.append(try await studyJSON(a)) }
        return .array(out)
    }

    func deleteStudy(_ p: ParamReader) async throws -> JSONValue {
        try p.checkNoUnknown(["study_name"])
        let name = try p.string("study_name")
        try await authorize(.administer, try await registry.actor(named: name))
        try await registry.delete(name: name)
        logStudyDeleted(name)
        return [:]
    }

    func setStudyUserAttr(_ p: ParamReader) async throws -> JSONValue {
        try p.checkNoUnknown(["study_name", "key", "value"])
        let key = try p.string("key")
        try Self.checkName(key, what: "key")
        let value = p.params["value"] ?? .null
        try checkAttribute(value, key: key)
        let actor = try await registry.actor(named: try p.string("study_name"))
        try await authorize(.administer, actor)
        try await actor.perform { try await $0.setUserAttr(key: key, value: value) }
        return [:]
    }

    func bestTrial(_ p: ParamReader) async throws -> TrialAnswer {
        try p.checkNoUnknown(["study_name"])
        let name = try p.string("study_name")
        let actor = try await registry.actor(named: name)
        let t = try await actor.perform { try await $0.bestTrial() }
        return .trial(t, studyName: name)
    }

    func bestTrials(_ p: ParamReader) async throws -> TrialAnswer {
        try p.checkNoUnknown(["study_name"])
        let name = try p.string("study_name")
        let actor = try await registry.actor(named: name)
        let ts = try await actor.perform { try await $0.bestTrials() }
        return .trials(ts, studyName: name)
    }
}
