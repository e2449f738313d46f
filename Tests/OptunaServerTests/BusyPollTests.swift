import Foundation
import Glibc
import NIOCore
import NIOPosix
@testable import OptunaServer
import Testing

/// Busy polling ends at the first event of the loop's epoll instance, never outlasts its budget, steps aside
/// after a long sleep, and finds the selector of a real NIO loop.
@Suite struct BusyPollTests {
    /// A descriptor that becomes readable when woken, as an event loop's epoll instance does on an event (a pipe:
    /// `poll(2)` treats both alike).
    final class Selector: Sendable {
        let epoll: CInt
        let wakeup: CInt

        init() throws {
            var ends: [CInt] = [0, 0]
            try #require(pipe(&ends) == 0)
            epoll = ends[0]
            wakeup = ends[1]
        }

        func wake() {
            var one: UInt8 = 1
            _ = write(wakeup, &one, 1)
        }

        deinit {
            close(wakeup)
            close(epoll)
        }
    }

    static let millisecond: Int64 = 1_000_000

    @Test func aPendingEventEndsThePollAtOnce() throws {
        let selector = try Selector()
        selector.wake()
        let loop = BusyPoll.LoopState(selector: selector.epoll)
        let start = BusyPoll.LoopState.now(CLOCK_MONOTONIC)
        #expect(loop.poll(budget: 5_000 * Self.millisecond) == .event)
        #expect(BusyPoll.LoopState.now(CLOCK_MONOTONIC) - start < 1_000 * Self.millisecond)
        #expect(loop.polls == 1 && loop.events == 1)
    }

    @Test func withoutEventsThePollLastsItsBudget() throws {
        let selector = try Selector()
        let loop = BusyPoll.LoopState(selector: selector.epoll)
        let start = BusyPoll.LoopState.now(CLOCK_MONOTONIC)
        #expect(loop.poll(budget: 3 * Self.millisecond) == .timeout)
        #expect(BusyPoll.LoopState.now(CLOCK_MONOTONIC) - start >= 3 * Self.millisecond)
        #expect(loop.events == 0)
    }

    @Test func anEventFromAnotherThreadEndsThePoll() async throws {
        let selector = try Selector()
        let loop = BusyPoll.LoopState(selector: selector.epoll)
        let waker = Thread { usleep(20_000); selector.wake() }
        waker.start()
        let start = BusyPoll.LoopState.now(CLOCK_MONOTONIC)
        #expect(loop.poll(budget: 20_000 * Self.millisecond) == .event)
        #expect(BusyPoll.LoopState.now(CLOCK_MONOTONIC) - start < 10_000 * Self.millisecond)
    }

    @Test func aClosedSelectorStopsPollingForGood() throws {
        var pipe: [CInt] = [0, 0]
        try #require(Glibc.pipe(&pipe) == 0)
        close(pipe[0])
        close(pipe[1])
        let loop = BusyPoll.LoopState(selector: pipe[0])
        #expect(loop.poll(budget: Self.millisecond) == .failed)
        #expect(loop.poll(budget: Self.millisecond) == .skipped)
        #expect(loop.polls == 1)
    }

    /// The delegate polls after a turn that followed a short sleep, and not after a long one.
    @Test(arguments: [(Int64(10), true), (Int64(200_000_000), false)])
    func onlyAShortSleepLeadsToAPoll(sleptNanoseconds: Int64, polls: Bool) throws {
        let selector = try Selector()
        let busyPoll = BusyPoll(microseconds: 500)
        busyPoll.adopt(selector: selector.epoll)
        busyPoll.turnEnded(slept: sleptNanoseconds)
        #expect(busyPoll.currentLoop?.polls == (polls ? 1 : 0))
    }

    @Test func zeroMicrosecondsNeverPolls() throws {
        let selector = try Selector()
        let busyPoll = BusyPoll(microseconds: 0)
        #expect(!busyPoll.enabled)
        busyPoll.adopt(selector: selector.epoll)
        busyPoll.turnEnded(slept: 0)
        #expect(busyPoll.currentLoop?.polls == 0)
    }

    @Test(arguments: [
        ("232 0xb 0x7f3a1c000b70 0x40 0xffffffffffffffff 0x0 0x0 0x7ffd 0x7f3a", CInt?(11)),
        ("281 0x7 0x7f3a1c000b70 0x40 0x3e8 0x0 0x8 0x7ffd 0x7f3a\n", CInt?(7)),
        ("0 0x3 0x7f3a1c000b70 0x40 0x0 0x0 0x0 0x7ffd 0x7f3a", nil),
        ("running", nil),
        ("-1 0x7ffd4000 0x7f3a1c", nil),
        ("232 0xzz", nil),
    ])
    func theSelectorIsTheFirstArgumentOfAnEpollWait(line: String, selector: CInt?) {
        #if arch(x86_64)
            #expect(EventLoopSelector.parse(syscallLine: line) == selector)
        #endif
    }

    /// Where `/proc` cannot tell (no such thread here), the search gives up at once instead of retrying.
    @Test func anUnreadableThreadIsGivenUpAtOnce() async {
        #expect(EventLoopSelector.probe(threadID: Int(Int32.max)) == .unavailable)
        let start = BusyPoll.LoopState.now(CLOCK_MONOTONIC)
        let found = await EventLoopSelector.find(threadID: Int(Int32.max), attempts: 10_000)
        #expect(found == nil)
        #expect(BusyPoll.LoopState.now(CLOCK_MONOTONIC) - start < 1_000 * Self.millisecond)
    }

    /// A running thread is not blocked in an epoll wait: asked about itself, a thread is elsewhere.
    @Test func aRunningThreadIsElsewhere() throws {
        let tid = try #require(EventLoopSelector.currentThreadID())
        #expect(EventLoopSelector.probe(threadID: tid) == .elsewhere)
    }

    /// A real event loop's selector is found, and a task handed to the loop from another thread ends its poll:
    /// with a budget of 20 s, every poll ends with an event.
    @Test func aRealLoopsSelectorIsFoundAndWakesThePoll() async throws {
        let busyPoll = BusyPoll(microseconds: 20_000_000)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1, metricsDelegate: busyPoll)
        let loop = group.next()
        let found = await EventLoopSelector.find(on: loop)
        let selector = try #require(found)
        #expect(EventLoopSelector.isEpoll(selector))
        try await loop.submit { busyPoll.adopt(selector: selector) }.get()
        // Each turn follows a short sleep, so the loop polls after it until the next task arrives. The pause
        // between tasks lets each arrive during a poll rather than in the turn that ran the previous one.
        for _ in 0..<5 {
            try await loop.submit {}.get()
            try await Task.sleep(for: .milliseconds(2))
        }
        let counts = try await loop.submit {
            let state = busyPoll.currentLoop
            busyPoll.stopPolling()
            return (state?.polls ?? 0, state?.events ?? 0)
        }.get()
        try await group.shutdownGracefully()
        #expect(counts.0 >= 4)
        #expect(counts.1 == counts.0)
    }
}
