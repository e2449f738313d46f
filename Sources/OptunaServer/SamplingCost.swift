import NIOPosix
import OptunaCore
import Synchronization

/// Where a study's sampling runs: inline on the connection's event loop while it is cheap, on Swift's global
/// concurrent executor once it is not.
///
/// A request's task prefers its connection's event loop (``EventLoopTaskExecutor``), so a cheap request is
/// answered without a thread hand-off. Sampling must not hold that loop for long: every other connection on
/// it would wait. So each study keeps an estimate of what its sampling costs, measured on every ask and
/// `suggest`; an ask or `suggest` whose study's estimate exceeds the limit (``defaultInlineLimit``) runs on
/// the global executor, where it holds no event loop, and goes back to the loop only to write the answer.
/// Two hand-offs cost about 50 µs on a small VM, more than a random or quasi-random sample takes, which is
/// why cheap samplers stay inline.
///
/// The estimate rises at once to a costly measurement and falls back by a quarter of the difference per
/// cheaper one, so one slow ask moves the study off the loop and only a run of fast ones brings it back.
/// Samplers known to be costly from their first model-based ask on (``alwaysOffLoop(_:)``) never run on the
/// loop: their cheap startup trials would otherwise bring the estimate down just before the first costly ask.
final class SamplingCost: Sendable {
    /// The estimate above which sampling leaves the event loop, unless a registry says otherwise.
    static let defaultInlineLimit: Duration = .microseconds(250)

    private let estimateNanoseconds = Atomic<Int64>(0)
    private let limitNanoseconds: Int64
    /// Whether this study's sampling runs off the loop whatever it costs.
    let pinnedOffLoop: Bool

    /// A fresh estimate (zero), pinned off the loop for samplers whose spec is ``alwaysOffLoop(_:)``.
    init(sampler spec: ComponentSpec, inlineLimit: Duration = defaultInlineLimit) {
        pinnedOffLoop = Self.alwaysOffLoop(spec.json)
        limitNanoseconds = Self.nanoseconds(inlineLimit)
    }

    /// Whether the next ask or `suggest` should run off the event loop.
    var runsOffLoop: Bool {
        pinnedOffLoop || estimateNanoseconds.load(ordering: .relaxed) > limitNanoseconds
    }

    /// The current estimate.
    var estimate: Duration { .nanoseconds(estimateNanoseconds.load(ordering: .relaxed)) }

    /// Folds in one measured sampling time.
    func record(_ measured: Duration) {
        let m = Self.nanoseconds(measured)
        let old = estimateNanoseconds.load(ordering: .relaxed)
        let new = m >= old ? m : old - (old - m) / 4
        estimateNanoseconds.store(new, ordering: .relaxed)
    }

    /// Whether a sampler spec (or the base of a `partial_fixed` spec) is Gaussian-process sampling, whose
    /// asks after the startup trials take milliseconds from the first one on.
    static func alwaysOffLoop(_ spec: JSONValue) -> Bool {
        guard let type = spec["type"]?.stringValue else { return false }
        if type == "gp" { return true }
        if let base = spec["base_sampler"], base != .null { return alwaysOffLoop(base) }
        return false
    }

    /// Whether the calling thread is one of NIO's event loop threads.
    static var onEventLoop: Bool { MultiThreadedEventLoopGroup.currentEventLoop != nil }

    private static func nanoseconds(_ d: Duration) -> Int64 {
        let (s, atto) = d.components
        return s &* 1_000_000_000 &+ atto / 1_000_000_000
    }
}
