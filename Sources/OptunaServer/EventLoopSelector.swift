import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// Finds the epoll instance an event loop waits on, so ``BusyPoll`` can ask it for events.
///
/// NIO keeps the descriptor to itself. A loop with nothing to do is blocked in `epoll_wait` on it, and Linux
/// shows a blocked thread's system call and its arguments in `/proc/self/task/<tid>/syscall`: the first
/// argument of any epoll wait is the instance. The answer is checked to be an epoll instance
/// (`anon_inode:[eventpoll]`). Where `/proc` is missing or says something else, there is no answer and the loop
/// simply never busy-polls.
enum EventLoopSelector {
    /// The system call numbers of the epoll waits (`epoll_wait`, `epoll_pwait`, `epoll_pwait2`).
    #if arch(x86_64)
        static let waitCalls: Set<Int> = [232, 281, 441]
    #elseif arch(arm64)
        static let waitCalls: Set<Int> = [22, 441]
    #else
        static let waitCalls: Set<Int> = []
    #endif

    /// The calling thread's id, from `/proc/thread-self` (a link to `<pid>/task/<tid>`).
    static func currentThreadID() -> Int? {
        guard let target = readLink("/proc/thread-self"), let last = target.split(separator: "/").last else {
            return nil
        }
        return Int(last)
    }

    /// What `/proc` says of a thread of this process.
    enum Probe: Equatable {
        /// Blocked in an epoll wait on this epoll instance.
        case blocked(selector: CInt)
        /// Doing something else now (running, or in another system call): ask again later.
        case elsewhere
        /// `/proc/self/task/<tid>/syscall` cannot be read: asking again will not help.
        case unavailable
    }

    /// Where thread `tid` of this process is now.
    static func probe(threadID tid: Int) -> Probe {
        guard let text = readSmallFile("/proc/self/task/\(tid)/syscall") else { return .unavailable }
        guard let fd = parse(syscallLine: text), isEpoll(fd) else { return .elsewhere }
        return .blocked(selector: fd)
    }

    /// The first argument of an epoll wait in a `/proc/<pid>/task/<tid>/syscall` line
    /// (`"232 0xb 0x7f00 0x40 0xffffffffffffffff ..."`), or `nil` for any other line ("running", another call).
    static func parse(syscallLine: String) -> CInt? {
        let fields = syscallLine.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard fields.count >= 2, let number = Int(fields[0]), waitCalls.contains(number),
            fields[1].hasPrefix("0x"), let fd = CInt(fields[1].dropFirst(2), radix: 16), fd >= 0
        else { return nil }
        return fd
    }

    /// Whether `fd` is an epoll instance of this process.
    static func isEpoll(_ fd: CInt) -> Bool {
        readLink("/proc/self/fd/\(fd)") == "anon_inode:[eventpoll]"
    }

    /// Finds `loop`'s epoll instance: learns the loop's thread id on the loop, then waits until the idle loop
    /// shows it blocked in an epoll wait (see ``find(threadID:attempts:)``).
    static func find(on loop: any EventLoop, attempts: Int = 200) async -> CInt? {
        guard let tid = try? await loop.submit({ currentThreadID() }).get() else { return nil }
        return await find(threadID: tid, attempts: attempts)
    }

    /// Asks `/proc` up to `attempts` times, a millisecond apart, until thread `tid` is blocked in an epoll wait;
    /// gives up at once where `/proc` cannot tell.
    static func find(threadID tid: Int, attempts: Int) async -> CInt? {
        guard !waitCalls.isEmpty else { return nil }
        for _ in 0..<attempts {
            switch probe(threadID: tid) {
            case .blocked(let selector): return selector
            case .unavailable: return nil
            case .elsewhere: try? await Task.sleep(for: .milliseconds(1))
            }
        }
        return nil
    }

    private static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func readSmallFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = read(fd, &buffer, buffer.count)
        guard count > 0 else { return nil }
        return String(decoding: buffer.prefix(count), as: UTF8.self)
    }
}
