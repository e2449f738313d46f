import OptunaCore
import OptunaProtocol

/// The result of a method that answers with trials, kept as trials until it is rendered.
///
/// A request alone on its line gets its text appended by ``write(into:)``; a request in a batch (and
/// ``Dispatcher/execute(_:)``) gets ``json``. Both give the same bytes once written: ``WireFormat``'s
/// direct writers match ``JSONWriter`` member for member.
enum TrialAnswer: Sendable {
    /// An `ask` result: `{trial_id, number, params}` (external values).
    case started(FrozenTrial)
    /// One trial object.
    case trial(FrozenTrial, studyName: String)
    /// An array of trial objects.
    case trials([FrozenTrial], studyName: String)

    /// The result as a JSON value.
    var json: JSONValue {
        switch self {
        case .started(let t):
            ["trial_id": .int(t.id), "number": .int(Int64(t.number)), "params": .object(t.externalParams)]
        case .trial(let t, let study):
            WireFormat.trial(t, studyName: study)
        case .trials(let ts, let study):
            .array(ts.map { WireFormat.trial($0, studyName: study) })
        }
    }

    /// About how many bytes ``write(into:)`` appends.
    var estimatedSize: Int {
        switch self {
        case .started(let t): 64 + 48 * t.params.count
        case .trial: 768
        case .trials(let ts, _): ts.count * 640 + 2
        }
    }

    /// Appends the result's JSON text to `out`, without building ``json``; a single trial writes `parts` when they
    /// are its own (``RenderedTrialParts``).
    func write(into out: inout [UInt8], parts: RenderedTrialParts? = nil) {
        switch self {
        case .started(let t): WireFormat.writeAskResult(t, into: &out)
        case .trial(let t, let study): WireFormat.writeTrial(t, studyName: study, parts: parts, into: &out)
        case .trials(let ts, let study): WireFormat.writeTrials(ts, studyName: study, into: &out)
        }
    }
}
