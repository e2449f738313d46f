public import FoundationEssentials
public import OptunaCore

/// The JSON shapes of studies and trials in responses (see `protocol/README.md`).
public enum WireFormat {
    /// A trial object: `{trial_id, number, study_name, state, params, distributions, values, value,
    /// intermediate_values, user_attrs, system_attrs, constraints, datetime_start, datetime_complete}`.
    ///
    /// `params` are external values; `intermediate_values` is keyed by the step as a decimal string.
    public static func trial(_ t: FrozenTrial, studyName: String) -> JSONValue {
        var distributions: [String: JSONValue] = [:]
        for (name, d) in t.distributions { distributions[name] = d.wireJSON }
        var intermediate: [String: JSONValue] = [:]
        for (step, v) in t.intermediateValues { intermediate[String(step)] = .double(v) }
        let values: JSONValue = t.values.map { .array($0.map(JSONValue.double)) } ?? .null
        return [
            "trial_id": .int(t.id),
            "number": .int(Int64(t.number)),
            "study_name": .string(studyName),
            "state": .string(t.state.rawValue),
            "params": .object(t.externalParams),
            "distributions": .object(distributions),
            "values": values,
            "value": t.values.flatMap { $0.count == 1 ? JSONValue.double($0[0]) : nil } ?? .null,
            "intermediate_values": .object(intermediate),
            "user_attrs": .object(t.userAttrs),
            "system_attrs": .object(t.systemAttrs),
            "constraints": t.constraints.map { .array($0.map(JSONValue.double)) } ?? .null,
            "datetime_start": date(t.datetimeStart),
            "datetime_complete": date(t.datetimeComplete),
        ]
    }

    /// A timestamp as ISO 8601 UTC text, or null.
    public static func date(_ d: Date?) -> JSONValue {
        d.map { .string(Timestamp.format($0, .iso8601)) } ?? .null
    }

    /// Reads a trial object back (what clients do); nil when required members are missing.
    public static func decodeTrial(_ json: JSONValue) -> FrozenTrial? {
        guard let id = json["trial_id"]?.int64Value, let number = json["number"]?.intValue,
            let state = json["state"]?.stringValue.flatMap(TrialState.init(name:))
        else { return nil }
        var trial = FrozenTrial(id: id, number: number, state: state)
        let external = json["params"]?.objectValue ?? [:]
        for (name, dj) in json["distributions"]?.objectValue ?? [:] {
            guard let d = try? Distribution(json: dj), let v = external[name],
                let internalValue = try? d.internalValue(of: v, name: name)
            else { continue }
            trial.distributions[name] = d
            trial.params[name] = internalValue
        }
        trial.values = json["values"]?.arrayValue?.compactMap(\.doubleValue)
        for (k, v) in json["intermediate_values"]?.objectValue ?? [:] {
            if let step = Int(k), let d = v.doubleValue { trial.intermediateValues[step] = d }
        }
        trial.userAttrs = json["user_attrs"]?.objectValue ?? [:]
        trial.systemAttrs = json["system_attrs"]?.objectValue ?? [:]
        trial.datetimeStart = json["datetime_start"]?.stringValue.flatMap(Timestamp.parse)
        trial.datetimeComplete = json["datetime_complete"]?.stringValue.flatMap(Timestamp.parse)
        return trial
    }
}
