public import OptunaCore

/// The parts of a trial's JSON text that stay the same while it runs, rendered ahead of its next answer: its
/// `distributions` and `params` objects (a trial's parameters are only ever added to, never changed).
///
/// Between a client's `ask` and its `tell` the daemon is idle, waiting for the client's training step; rendering
/// these parts then, instead of in the answer to the `tell`, takes that work off the client's wait.
/// ``WireFormat/writeTrial(_:studyName:parts:into:)`` writes them as they are when they are this trial's.
public struct RenderedTrialParts: Sendable {
    /// The trial rendered.
    public let trialID: Int64
    let params: [String: Double]
    let distributions: [String: Distribution]
    /// The `params` object's text (external values, names sorted).
    let paramsText: [UInt8]
    /// The `distributions` object's text (names sorted).
    let distributionsText: [UInt8]

    /// Renders the parts of `trial`; nil when a number among them is `-0.0`, which `==` does not tell from
    /// `0.0` although it is written apart (``fits(_:)`` relies on `==`).
    public init?(_ trial: FrozenTrial) {
        guard !trial.params.values.contains(where: Self.isNegativeZero),
            !trial.distributions.values.contains(where: Self.hasNegativeZero)
        else { return nil }
        trialID = trial.id
        params = trial.params
        distributions = trial.distributions
        let sorted = trial.distributions.sorted { $0.key < $1.key }
        var distributionsText: [UInt8] = []
        distributionsText.reserveCapacity(2 + 72 * sorted.count)
        WireFormat.writeDistributions(sorted, into: &distributionsText)
        self.distributionsText = distributionsText
        var paramsText: [UInt8] = []
        paramsText.reserveCapacity(2 + 32 * sorted.count)
        WireFormat.writeExternalParams(trial, sorted, &paramsText)
        self.paramsText = paramsText
    }

    /// Whether these are the parts of `trial` as it is now: the same trial, with the same parameters and
    /// distributions (at once when it still shares the dictionaries rendered: `==` compares their storage first).
    public func fits(_ trial: FrozenTrial) -> Bool {
        trial.id == trialID && trial.params == params && trial.distributions == distributions
    }

    private static func isNegativeZero(_ x: Double) -> Bool { x == 0 && x.sign == .minus }

    private static func hasNegativeZero(_ d: Distribution) -> Bool {
        switch d {
        case .float(let f): isNegativeZero(f.low) || isNegativeZero(f.high) || f.step.map(isNegativeZero) == true
        case .int: false
        case .categorical(let c):
            c.choices.contains { if case .double(let x) = $0 { isNegativeZero(x) } else { false } }
        }
    }
}
