import NIOPosix
import OptunaCore
import Synchronization

/// Where a study's sampling runs: inline on the connection's event loop while it is cheap, on Swift's global
/// concurrent executor when it is not.
///
/// A request's task prefers its connection's event loop (``EventLoopTaskExecutor``), so a cheap request is
/// answered without a thread hand-off. Sampling must not hold that loop for long: every other connection on
/// it would wait. Two hand-offs cost about 50 µs on a small VM, more than a random or quasi-random sample
/// takes, so cheap sampling stays inline. An ask or `suggest` runs off the loop when any of these holds:
///
/// - the sampler is a Gaussian process (``alwaysOffLoop(_:)``, also as a `partial_fixed` base): its asks after
///   the startup trials take milliseconds from the first one on;
/// - the study holds at least ``defaultHistoryLimit`` trials, its sampler's state depends on the history
///   (every sampler but `random` and `qmc`), and fewer than three of its samplings have been measured: the
///   first ask after such a study is loaded builds the sampler's state from the whole history (hundreds of
///   milliseconds at 100,000 trials), and nothing is known yet of what the asks after it cost;
/// - the median of the study's last three measured samplings is above ``defaultInlineLimit``: a persistent
///   cost (TPE after a few thousand trials) keeps the study off the loop, while a single slow sample (a
///   preempted thread, a cache rebuilt once) does not, and samplers whose asks stay cheap however long the
///   history (CMA-ES, NSGA-II) come back to the loop.
final class SamplingCost: Sendable {
    /// The measured cost above which sampling leaves the event loop, unless a registry says otherwise.
    static let defaultInlineLimit: Duration = .microseconds(250)
    /// The history size from which history-dependent samplers leave the event loop.
    static let defaultHistoryLimit = 2_000

    /// When sampling leaves the event loop (tests use extremes).
    struct Limits: Sendable {
        /// The measured cost above which sampling leaves the loop.
        var inline: Duration = SamplingCost.defaultInlineLimit
        /// The history size from which history-dependent samplers leave the loop.
        var history: Int = SamplingCost.defaultHistoryLimit
    }

    /// The last three measurements, oldest first, in nanoseconds.
    private let recent = Mutex<(Int64, Int64, Int64)>((0, 0, 0))
    private let trialCount = Atomic<Int>(0)
    private let measuredCount = Atomic<Int>(0)
    private let limitNanoseconds: Int64
    private let historyLimit: Int
    /// Whether this study's sampling runs off the loop whatever it costs.
    let pinnedOffLoop: Bool
    /// Whether the sampler's cost is independent of the history (random, QMC).
    let historyIndependent: Bool

    /// A study with no measurement yet.
    init(sampler spec: ComponentSpec, limits: Limits = Limits()) {
        pinnedOffLoop = Self.alwaysOffLoop(spec.json)
        historyIndependent = Self.costIndependentOfHistory(spec.json)
        limitNanoseconds = Self.nanoseconds(limits.inline)
        historyLimit = limits.history
    }

    /// Whether the next ask or `suggest` should run off the event loop.
    var runsOffLoop: Bool {
        if pinnedOffLoop { return true }
        if !historyIndependent, measuredCount.load(ordering: .relaxed) < 3,
            trialCount.load(ordering: .relaxed) >= historyLimit
        {
            return true
        }
        return Self.nanoseconds(typicalCost) > limitNanoseconds
    }

    /// The median of the last three measurements (zero for those not taken yet).
    var typicalCost: Duration {
        let (a, b, c) = recent.withLock { $0 }
        return .nanoseconds(max(min(a, b), min(max(a, b), c)))
    }

    /// Adds one measured sampling time, forgetting the oldest of the three.
    func record(_ measured: Duration) {
        let m = Self.nanoseconds(measured)
        recent.withLock { $0 = ($0.1, $0.2, m) }
        measuredCount.add(1, ordering: .relaxed)
    }

    /// Notes how many trials the study holds now.
    func noteHistory(_ count: Int) {
        trialCount.store(count, ordering: .relaxed)
    }

    /// Whether a sampler spec (or the base of a `partial_fixed` spec) is Gaussian-process sampling.
    static func alwaysOffLoop(_ spec: JSONValue) -> Bool {
        baseType(spec) == "gp"
    }

    /// Whether a sampler spec's (or its base's) cost per ask does not depend on the number of trials.
    static func costIndependentOfHistory(_ spec: JSONValue) -> Bool {
        guard let type = baseType(spec) else { return false }
        return type == "random" || type == "qmc"
    }

    /// The spec's type, or its base sampler's for `partial_fixed`.
    private static func baseType(_ spec: JSONValue) -> String? {
        guard let type = spec["type"]?.stringValue else { return nil }
        if let base = spec["base_sampler"], base != .null { return baseType(base) }
        return type
    }

    /// Whether the calling thread is one of NIO's event loop threads.
    static var onEventLoop: Bool { MultiThreadedEventLoopGroup.currentEventLoop != nil }

    private static func nanoseconds(_ d: Duration) -> Int64 {
        let (s, atto) = d.components
        return s &* 1_000_000_000 &+ atto / 1_000_000_000
    }
}
