public import OptunaCore
public import OptunaProtocol
import Synchronization

/// The parts of the trial a connection asked for last, rendered for the answer to its `tell`
/// (``RenderedTrialParts``).
///
/// A connection's requests run one at a time; the lock only makes sharing it between copies of the connection's
/// dispatcher safe.
public final class TrialPartsMemo: Sendable {
    private let parts = Mutex<RenderedTrialParts?>(nil)

    public init() {}

    /// Renders the parts of `trial`, which the connection was just answered with.
    public func prepare(_ trial: FrozenTrial) {
        let rendered = RenderedTrialParts(trial)
        parts.withLock { $0 = rendered }
    }

    /// The parts rendered last.
    public var current: RenderedTrialParts? { parts.withLock { $0 } }
}
