import Glibc
import Testing

@testable import OptunaSystemd

/// The notifier runs against a socket bound by the test. Every test that sets `NOTIFY_SOCKET` or `WATCHDOG_*` runs
/// in an exit test (a child process), so the variables never leak into tests running in parallel.
@Suite struct NotifierTests {
    /// Where the stand-in notify socket lives.
    enum SocketKind: String, Codable, Sendable, CaseIterable {
        case path
        case abstract
    }

    @Test("messages arrive in order, from the daemon's own pid", arguments: SocketKind.allCases)
    func sendsStateChangesInOrder(kind: SocketKind) async {
        await #expect(processExitsWith: .success) { [kind] in
            let listener = try NotifyListener(abstract: kind == .abstract)
            setenv("NOTIFY_SOCKET", listener.address, 1)
            let notifier = Notifier()
            #expect(notifier.isEnabled)

            notifier.ready(status: "0 studies open")
            notifier.status("2 studies open, 3 trials running")
            notifier.watchdog()
            notifier.stopping()
            #expect(notifier.flush(timeout: .seconds(5)))

            let expected = [
                "READY=1\nSTATUS=0 studies open",
                "STATUS=2 studies open, 3 trials running",
                "WATCHDOG=1",
                "STOPPING=1",
            ]
            for text in expected {
                #expect(listener.receive() == NotifyListener.Message(text: text, pid: getpid()))
            }
            #expect(notifier.droppedCount == 0)
        }
    }

    @Test("reloading carries the monotonic time systemd 253+ asks for")
    func reloadingCarriesMonotonicTime() async {
        await #expect(processExitsWith: .success) {
            let listener = try NotifyListener(abstract: true)
            setenv("NOTIFY_SOCKET", listener.address, 1)
            var before = timespec()
            clock_gettime(CLOCK_MONOTONIC, &before)
            let notifier = Notifier()
            notifier.reloading()
            notifier.flush(timeout: .seconds(5))

            let message = try #require(listener.receive())
            let lines = message.text.split(separator: "\n")
            #expect(lines.first == "RELOADING=1")
            let stamp = try #require(lines.last?.split(separator: "=").last.flatMap { Int($0) })
            #expect(lines.last?.hasPrefix("MONOTONIC_USEC=") == true)
            #expect(stamp >= Int(before.tv_sec) * 1_000_000)
        }
    }

    @Test("without NOTIFY_SOCKET the notifier does nothing, and ignores the watchdog variables")
    func disabledWithoutSocket() async {
        await #expect(processExitsWith: .success) {
            unsetenv("NOTIFY_SOCKET")
            setenv("WATCHDOG_USEC", "2000000", 1)
            setenv("WATCHDOG_PID", String(getpid()), 1)
            let notifier = Notifier()
            #expect(!notifier.isEnabled)
            #expect(notifier.watchdogInterval == nil)
            notifier.ready()
            notifier.watchdog()
            notifier.stopping()
            #expect(notifier.flush(timeout: .zero))
            #expect(notifier.droppedCount == 0)
        }
    }

    /// One environment for `sd_watchdog_enabled` and the interval the notifier should derive from it.
    struct WatchdogCase: Codable, Sendable, CustomTestStringConvertible {
        /// `WATCHDOG_USEC`, or `nil` to leave it unset.
        var microseconds: String?
        /// Whom `WATCHDOG_PID` names.
        var pid: PIDChoice
        /// The expected interval in microseconds, or `nil` for no watchdog.
        var expectedMicroseconds: Int64?

        enum PIDChoice: String, Codable, Sendable {
            case unset, own, other
        }

        var testDescription: String { "WATCHDOG_USEC=\(microseconds ?? "unset") WATCHDOG_PID=\(pid.rawValue)" }
    }

    @Test(
        "the watchdog interval is half of WATCHDOG_USEC, for this process only",
        arguments: [
            WatchdogCase(microseconds: "30000000", pid: .own, expectedMicroseconds: 15_000_000),
            WatchdogCase(microseconds: "2000000", pid: .unset, expectedMicroseconds: 1_000_000),
            WatchdogCase(microseconds: "3", pid: .own, expectedMicroseconds: 1),
            WatchdogCase(microseconds: "2000000", pid: .other, expectedMicroseconds: nil),
            WatchdogCase(microseconds: "0", pid: .own, expectedMicroseconds: nil),
            WatchdogCase(microseconds: "soon", pid: .own, expectedMicroseconds: nil),
            WatchdogCase(microseconds: nil, pid: .own, expectedMicroseconds: nil),
        ]
    )
    func watchdogInterval(_ watchdog: WatchdogCase) async {
        await #expect(processExitsWith: .success) { [watchdog] in
            let listener = try NotifyListener(abstract: true)
            setenv("NOTIFY_SOCKET", listener.address, 1)
            if let microseconds = watchdog.microseconds {
                setenv("WATCHDOG_USEC", microseconds, 1)
            } else {
                unsetenv("WATCHDOG_USEC")
            }
            switch watchdog.pid {
            case .unset: unsetenv("WATCHDOG_PID")
            case .own: setenv("WATCHDOG_PID", String(getpid()), 1)
            // pid 1 is never the test process.
            case .other: setenv("WATCHDOG_PID", "1", 1)
            }
            #expect(Notifier().watchdogInterval == watchdog.expectedMicroseconds.map { .microseconds($0) })
        }
    }

    @Test("a status line cannot smuggle in another assignment")
    func statusIsOneLine() {
        #expect(Notifier.statusAssignment("ok\nREADY=1\r\nmore") == ["STATUS=ok READY=1 more"])
        #expect(Notifier.statusAssignment(nil) == [])
    }
}
