import FoundationEssentials
public import OptunaCore

extension WireFormat {
    /// Appends the JSON text of ``trial(_:studyName:)`` to `out`, byte for byte what ``JSONWriter`` writes for
    /// it, without building the intermediate ``JSONValue`` objects (`get_trials` answers with thousands).
    ///
    /// Members come in sorted key order, as ``JSONWriter`` sorts them; nested objects whose keys are
    /// parameter names or steps are sorted the same way.
    public static func writeTrial(_ t: FrozenTrial, studyName: String, into out: inout [UInt8]) {
        fragment(#"{"constraints":"#, &out)
        writeDoubles(t.constraints, &out)
        fragment(#","datetime_complete":"#, &out)
        writeDate(t.datetimeComplete, &out)
        fragment(#","datetime_start":"#, &out)
        writeDate(t.datetimeStart, &out)

        fragment(#","distributions":{"#, &out)
        let distributions = sortedDistributions(t)
        for (i, (name, d)) in distributions.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            JSONWriter.writeString(name, into: &out)
            out.append(UInt8(ascii: ":"))
            writeDistribution(d, &out)
        }
        out.append(UInt8(ascii: "}"))

        fragment(#","intermediate_values":{"#, &out)
        // Keyed by the step's decimal text, so sorted as text ("10" before "9"), as the writer sorts keys.
        let steps = t.intermediateValues.map { (key: String($0.key), value: $0.value) }.sorted { $0.key < $1.key }
        for (i, step) in steps.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            JSONWriter.writeString(step.key, into: &out)
            out.append(UInt8(ascii: ":"))
            JSONWriter.writeDouble(step.value, into: &out)
        }
        out.append(UInt8(ascii: "}"))

        fragment(#","number":"#, &out)
        JSONWriter.writeInt(Int64(t.number), into: &out)

        fragment(#","params":"#, &out)
        writeExternalParams(t, distributions, &out)

        fragment(#","state":"#, &out)
        JSONWriter.writeString(t.state.rawValue, into: &out)
        fragment(#","study_name":"#, &out)
        JSONWriter.writeString(studyName, into: &out)
        fragment(#","system_attrs":"#, &out)
        JSONWriter.write(.object(t.systemAttrs), into: &out)
        fragment(#","trial_id":"#, &out)
        JSONWriter.writeInt(t.id, into: &out)
        fragment(#","user_attrs":"#, &out)
        JSONWriter.write(.object(t.userAttrs), into: &out)
        fragment(#","value":"#, &out)
        if let values = t.values, values.count == 1 {
            JSONWriter.writeDouble(values[0], into: &out)
        } else {
            out.append(contentsOf: "null".utf8)
        }
        fragment(#","values":"#, &out)
        writeDoubles(t.values, &out)
        out.append(UInt8(ascii: "}"))
    }

    /// Appends an `ask` result, `{"number": …, "params": {…}, "trial_id": …}` (external values), byte for byte
    /// what ``JSONWriter`` writes for it.
    public static func writeAskResult(_ t: FrozenTrial, into out: inout [UInt8]) {
        fragment(#"{"number":"#, &out)
        JSONWriter.writeInt(Int64(t.number), into: &out)
        fragment(#","params":"#, &out)
        writeExternalParams(t, sortedDistributions(t), &out)
        fragment(#","trial_id":"#, &out)
        JSONWriter.writeInt(t.id, into: &out)
        out.append(UInt8(ascii: "}"))
    }

    /// A trial's distributions, sorted by parameter name.
    private static func sortedDistributions(_ t: FrozenTrial) -> [(key: String, value: Distribution)] {
        t.distributions.sorted { $0.key < $1.key }
    }

    /// ``FrozenTrial/externalParams`` as an object, names sorted: the parameters among `distributions` (the
    /// trial's, sorted) that have a value.
    private static func writeExternalParams(
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

    /// Appends a fixed piece of JSON text (a member's name with its quotes, colon and leading comma) in one copy.
    private static func fragment(_ text: StaticString, _ out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
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

    /// ``Distribution/wireJSON``'s text, keys sorted: choices/high/log/low/step/type.
    private static func writeDistribution(_ d: Distribution, _ out: inout [UInt8]) {
        switch d {
        case .float(let f):
            fragment(#"{"high":"#, &out)
            JSONWriter.writeDouble(f.high, into: &out)
            fragment(f.log ? #","log":true,"low":"# : #","log":false,"low":"#, &out)
            JSONWriter.writeDouble(f.low, into: &out)
            if let step = f.step {
                fragment(#","step":"#, &out)
                JSONWriter.writeDouble(step, into: &out)
                fragment(#","type":"float"}"#, &out)
            } else {
                fragment(#","step":null,"type":"float"}"#, &out)
            }
        case .int(let i):
            fragment(#"{"high":"#, &out)
            JSONWriter.writeInt(i.high, into: &out)
            fragment(i.log ? #","log":true,"low":"# : #","log":false,"low":"#, &out)
            JSONWriter.writeInt(i.low, into: &out)
            fragment(#","step":"#, &out)
            JSONWriter.writeInt(i.step, into: &out)
            fragment(#","type":"int"}"#, &out)
        case .categorical(let c):
            fragment(#"{"choices":"#, &out)
            JSONWriter.write(.array(c.choices), into: &out)
            fragment(#","type":"categorical"}"#, &out)
        }
    }
}
