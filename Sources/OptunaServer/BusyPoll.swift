import NIOCore
public import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// Busy polling: an event loop that has run out of work polls for new work for a short while before it sleeps
/// in the kernel.
///
/// A client that asks and tells in a loop sends its next request a few tens of microseconds after its answer.
/// A loop that went to sleep in the meantime must be woken for it, and on a virtual machine waking an idle CPU
/// costs more than answering the request. Polling through that gap keeps the CPU awake (2 cores, one client's
/// ask+tell pair: memory storage p50 225 -> 134 µs, SQLite 356 -> 294 µs).
///
/// A loop polls only while polling pays:
/// - after a turn whose preceding sleep was shorter than the budget: a loop whose clients come back slowly (a
///   training step between `ask` and `tell`) goes to sleep at once, and a burst of requests starts polling from
///   its second turn;
/// - while it has its CPU to itself: between two polls it yields the CPU (`sched_yield(2)`), so a thread
///   queued on the same CPU runs at once (on 2 busy cores, a client woken by an answer is often queued there:
///   without yielding, one of four clients waited out the budget, `hello` p50 155 µs instead of 51); and when
///   a poll loses the CPU to other threads for more than half the budget, the machine has no CPU to spare,
///   and the loop stops polling for ``pauseAfterContention``.
///
/// The poll asks the loop's own epoll instance (found at start by ``EventLoopSelector``) whether it has an
/// event, with `poll(2)` and a zero timeout, which consumes nothing: a socket event, a task handed to the loop
/// from another thread (NIO then writes the loop's eventfd) or a due timer ends it, and the loop's next
/// `epoll_wait` returns at once.
///
/// Installed as the event loop group's `NIOEventLoopMetricsDelegate`: `processedTick` runs on each loop's thread
/// after the loop has run every task it had, just before it waits again. A loop that has not adopted a selector
/// never polls: ``adopt(loopsOf:)`` finds every loop's selector and adopts it on the loop's thread.
public final class BusyPoll: NIOEventLoopMetricsDelegate, Sendable {
    /// How long a loop polls before it sleeps, in nanoseconds; 0 disables polling.
    let budgetNanoseconds: Int64
    /// How long a loop does not poll after a poll lost the CPU to other threads (50 ms).
    static let pauseAfterContention: Int64 = 50_000_000

    /// Each polling loop thread's state.
    private let state = ThreadSpecificVariable<LoopState>()

    /// Creates a delegate whose loops poll for up to `microseconds` (0: never).
    public init(microseconds: Int) {
        budgetNanoseconds = Int64(max(0, microseconds)) * 1_000
    }

    /// Whether loops poll at all.
    public var enabled: Bool { budgetNanoseconds > 0 }

    /// Lets every loop of `group` (created with this delegate) poll its selector.
    ///
    /// - Returns: How many loops poll: all of them, unless a selector was not found (or polling is disabled).
    @discardableResult
    public func adopt(loopsOf group: MultiThreadedEventLoopGroup) async -> Int {
        guard enabled else { return 0 }
        var adopted = 0
        for loop in group.makeIterator() {
            guard let selector = await EventLoopSelector.find(on: loop),
                (try? await loop.submit({ self.adopt(selector: selector) }).get()) != nil
            else { continue }
            adopted += 1
        }
        return adopted
    }

    /// Stops polling on every loop of `group`, before the group shuts down (see ``stopPolling()``).
    public func stopPolling(loopsOf group: MultiThreadedEventLoopGroup) async {
        for loop in group.makeIterator() { try? await loop.submit { self.stopPolling() }.get() }
    }

    /// Lets the calling loop thread poll `selector`, its epoll instance. Call on the loop's thread.
    func adopt(selector: CInt) {
        state.currentValue = LoopState(selector: selector)
    }

    /// Stops the calling loop thread's polling (before the loop shuts down: its last turns would otherwise poll a
    /// selector nothing writes to any more, for the whole budget).
    func stopPolling() {
        state.currentValue = nil
    }

    /// The calling loop thread's polling state, if it adopted a selector.
    var currentLoop: LoopState? { state.currentValue }

    public func processedTick(info: NIOEventLoopTickInfo) {
        turnEnded(slept: info.sleepTime.nanoseconds)
    }

    /// The end of a loop's turn that began after the loop slept `slept` nanoseconds: polls if the calling
    /// thread adopted a selector and the sleep was shorter than the budget.
    func turnEnded(slept: Int64) {
        guard let loop = state.currentValue, slept < budgetNanoseconds else { return }
        loop.poll(budget: budgetNanoseconds)
    }

    /// How a poll ended.
    enum Outcome: Equatable {
        /// The selector had an event.
        case event
        /// The budget ran out.
        case timeout
        /// The loop is pausing after contention, or stopped polling after an error.
        case skipped
        /// `poll(2)` failed or the selector is gone; this loop never polls again.
        case failed
    }

    /// One loop's selector and pause. Only its own thread touches it: it lives in thread-specific storage,
    /// which is what makes the unchecked conformance sound.
    final class LoopState: @unchecked Sendable {
        let selector: CInt
        /// Monotonic nanoseconds before which the loop does not poll.
        private(set) var pausedUntil: Int64 = 0
        /// Polls made, and how many ended with an event or lost the CPU.
        private(set) var polls = 0
        private(set) var events = 0
        private(set) var contended = 0

        init(selector: CInt) {
            self.selector = selector
        }

        /// Polls the selector until it has an event or `budget` nanoseconds have passed.
        @discardableResult
        func poll(budget: Int64) -> Outcome {
            let start = Self.now(CLOCK_MONOTONIC)
            guard start >= pausedUntil else { return .skipped }
            polls += 1
            let cpuStart = Self.now(CLOCK_THREAD_CPUTIME_ID)
            var descriptor = pollfd(fd: selector, events: Int16(POLLIN), revents: 0)
            var end = start
            var outcome = Outcome.timeout
            repeat {
                let ready = Glibc.poll(&descriptor, 1, 0)
                end = Self.now(CLOCK_MONOTONIC)
                if ready < 0 && errno != EINTR || descriptor.revents & Int16(POLLNVAL | POLLERR) != 0 {
                    pausedUntil = .max
                    return .failed
                }
                if ready > 0 {
                    events += 1
                    outcome = .event
                    break
                }
                // A thread the scheduler queued on this CPU (often the client this answer just woke) runs now,
                // not when the budget runs out.
                sched_yield()
            } while end - start < budget
            let offCPU = (end - start) - (Self.now(CLOCK_THREAD_CPUTIME_ID) - cpuStart)
            if offCPU > budget / 2 {
                contended += 1
                pausedUntil = end + BusyPoll.pauseAfterContention
            }
            return outcome
        }

        static func now(_ clock: clockid_t) -> Int64 {
            var time = timespec()
            clock_gettime(clock, &time)
            return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
        }
    }
}

