import FoundationEssentials
public import OptunaCore

extension WireFormat {
    /// Appends the JSON text of ``trial(_:studyName:)`` to `out`, byte for byte what ``JSONWriter`` writes for
    /// it, without building the intermediate ``JSONValue`` objects (`get_trials` answers with thousands).
    ///
    /// Members come in sorted key order, as ``JSONWriter`` sorts them; nested objects whose keys are
    /// parameter names or steps are sorted the same way.
    ///
    /// - Parameter parts: the trial's distributions and parameters rendered ahead; written as they are when they
    ///   fit the trial (``RenderedTrialParts/fits(_:)``).
    public static func writeTrial(
        _ t: FrozenTrial, studyName: String, parts: RenderedTrialParts? = nil, into out: inout [UInt8]
    ) {
        let parts = parts.flatMap { $0.fits(t) ? $0 : nil }
        JSONWriter.writeRaw(#"{"constraints":"#, into: &out)
        writeDoubles(t.constraints, &out)
        JSONWriter.writeRaw(#","datetime_complete":"#, into: &out)
        writeDate(t.datetimeComplete, &out)
        JSONWriter.writeRaw(#","datetime_start":"#, into: &out)
        writeDate(t.datetimeStart, &out)

        JSONWriter.writeRaw(#","distributions":"#, into: &out)
        var distributions: [(key: String, value: Distribution)] = []
        if let parts {
            out.append(contentsOf: parts.distributionsText)
        } else {
            distributions = sortedDistributions(t)
            writeDistributions(distributions, into: &out)
        }

        JSONWriter.writeRaw(#","intermediate_values":{"#, into: &out)
        // Keyed by the step's decimal text, so sorted as text ("10" before "9"), as the writer sorts keys.
        let steps = t.intermediateValues.map { (key: String($0.key), value: $0.value) }.sorted { $0.key < $1.key }
        for (i, step) in steps.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            JSONWriter.writeString(step.key, into: &out)
            out.append(UInt8(ascii: ":"))
            JSONWriter.writeDouble(step.value, into: &out)
        }
        out.append(UInt8(ascii: "}"))

        JSONWriter.writeRaw(#","number":"#, into: &out)
        JSONWriter.writeInt(Int64(t.number), into: &out)

        JSONWriter.writeRaw(#","params":"#, into: &out)
        if let parts {
            out.append(contentsOf: parts.paramsText)
        } else {
            writeExternalParams(t, distributions, &out)
        }

        JSONWriter.writeRaw(#","state":"#, into: &out)
        JSONWriter.writeString(t.state.rawValue, into: &out)
        JSONWriter.writeRaw(#","study_name":"#, into: &out)
        JSONWriter.writeString(studyName, into: &out)
        JSONWriter.writeRaw(#","system_attrs":"#, into: &out)
        JSONWriter.write(.object(t.systemAttrs), into: &out)
        JSONWriter.writeRaw(#","trial_id":"#, into: &out)
        JSONWriter.writeInt(t.id, into: &out)
        JSONWriter.writeRaw(#","user_attrs":"#, into: &out)
        JSONWriter.write(.object(t.userAttrs), into: &out)
        JSONWriter.writeRaw(#","value":"#, into: &out)
        if let values = t.values, values.count == 1 {
            JSONWriter.writeDouble(values[0], into: &out)
        } else {
            out.append(contentsOf: "null".utf8)
        }
        JSONWriter.writeRaw(#","values":"#, into: &out)
        writeDoubles(t.values, &out)
        out.append(UInt8(ascii: "}"))
    }

    /// Appends an `ask` result, `{"number": …, "params": {…}, "trial_id": …}` (external values), byte for byte
    /// what ``JSONWriter`` writes for it.
    public static func writeAskResult(_ t: FrozenTrial, into out: inout [UInt8]) {
        JSONWriter.writeRaw(#"{"number":"#, into: &out)
        JSONWriter.writeInt(Int64(t.number), into: &out)
        JSONWriter.writeRaw(#","params":"#, into: &out)
        writeExternalParams(t, sortedDistributions(t), &out)
        JSONWriter.writeRaw(#","trial_id":"#, into: &out)
        JSONWriter.writeInt(t.id, into: &out)
        out.append(UInt8(ascii: "}"))
    }

    /// A trial's distributions, sorted by parameter name.
    private static func sortedDistributions(_ t: FrozenTrial) -> [(key: String, value: Distribution)] {
        t.distributions.sorted { $0.key < $1.key }
    }

    /// ``FrozenTrial/externalParams`` as an object, names sorted: the parameters among `distributions` (the
    /// trial's, sorted) that have a value.
    static func writeExternalParams(
        _ t: FrozenTrial, _ distributions: [(key: String, value: Distribution)], _ out: inout [UInt8]
    ) {
        out.append(UInt8(ascii: "{"))
        var first = true
        for (name, d) in distributions {
            guard let v = t.params[name] else { continue }
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            JSONWriter.writeString(name, into: &out)
            out.append(UInt8(ascii: ":"))
            if case .float = d {
                JSONWriter.writeDouble(v, into: &out)
            } else {
                JSONWriter.write(d.externalValue(v), into: &out)
            }
        }
        out.append(UInt8(ascii: "}"))
    }

    /// Appends `[trial, …]` (see ``writeTrial(_:studyName:into:)``).
    public static func writeTrials(_ trials: [FrozenTrial], studyName: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (i, t) in trials.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            writeTrial(t, studyName: studyName, into: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    private static func writeDoubles(_ values: [Double]?, _ out: inout [UInt8]) {
        guard let values else {
            out.append(contentsOf: "null".utf8)
            return
        }
        out.append(UInt8(ascii: "["))
        for (i, v) in values.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            JSONWriter.writeDouble(v, into: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    private static func writeDate(_ d: Date?, _ out: inout [UInt8]) {
        guard let d else {
            out.append(contentsOf: "null".utf8)
            return
        }
        // Digits and separators only: nothing to escape.
        out.append(UInt8(ascii: "\""))
        Timestamp.write(d, .iso8601, into: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// A distributions object, `{"name": distribution, …}`, from distributions sorted by name.
    static func writeDistributions(_ sorted: [(key: String, value: Distribution)], into out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        for (i, (name, d)) in sorted.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            JSONWriter.writeString(name, into: &out)
            out.append(UInt8(ascii: ":"))
            writeDistribution(d, &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// ``Distribution/wireJSON``'s text, keys sorted: choices/high/log/low/step/type.
    private static func writeDistribution(_ d: Distribution, _ out: inout [UInt8]) {
        switch d {
        case .float(let f):
            JSONWriter.writeRaw(#"{"high":"#, into: &out)
            JSONWriter.writeDouble(f.high, into: &out)
            JSONWriter.writeRaw(f.log ? #","log":true,"low":"# : #","log":false,"low":"#, into: &out)
            JSONWriter.writeDouble(f.low, into: &out)
            if let step = f.step {
                JSONWriter.writeRaw(#","step":"#, into: &out)
                JSONWriter.writeDouble(step, into: &out)
                JSONWriter.writeRaw(#","type":"float"}"#, into: &out)
            } else {
                JSONWriter.writeRaw(#","step":null,"type":"float"}"#, into: &out)
            }
        case .int(let i):
            JSONWriter.writeRaw(#"{"high":"#, into: &out)
            JSONWriter.writeInt(i.high, into: &out)
            JSONWriter.writeRaw(i.log ? #","log":true,"low":"# : #","log":false,"low":"#, into: &out)
            JSONWriter.writeInt(i.low, into: &out)
            JSONWriter.writeRaw(#","step":"#, into: &out)
            JSONWriter.writeInt(i.step, into: &out)
            JSONWriter.writeRaw(#","type":"int"}"#, into: &out)
        case .categorical(let c):
            JSONWriter.writeRaw(#"{"choices":"#, into: &out)
            JSONWriter.write(.array(c.choices), into: &out)
            JSONWriter.writeRaw(#","type":"categorical"}"#, into: &out)
        }
    }
}
