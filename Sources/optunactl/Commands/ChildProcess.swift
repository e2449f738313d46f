#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A command started by `optunactl run`, in a process group of its own, with its standard output on a pipe
/// that is read line by line.
///
/// The child's standard input is `/dev/null` and its standard error is optunactl's. Its own process group
/// means a terminal's Ctrl-C reaches only optunactl, which then ends the whole group (the command and
/// anything it started) and fails the trial; ``terminate(grace:)`` does the same for pruning.
final class ChildProcess {
    /// How a child ended.
    enum Termination: Equatable {
        /// `exit(code)`.
        case exited(Int32)
        /// Killed by a signal.
        case signaled(Int32)
    }

    /// What ``nextLine(timeoutMilliseconds:)`` found.
    enum Event {
        /// One line of standard output, without its newline.
        case line(String)
        /// Nothing within the timeout.
        case timeout
        /// The output was closed (the child and its group are done writing).
        case endOfOutput
    }

    /// The child's process id (also its process group id).
    let pid: pid_t
    private let output: Int32
    private var buffer: [UInt8] = []
    private var outputClosed = false
    private var termination: Termination?

    /// Starts `arguments[0]` (looked up in `PATH`) with `environment`.
    ///
    /// - Throws: a message when the pipe cannot be made or the program cannot be started.
    init(arguments: [String], environment: [String: String]) throws(RunFailure) {
        guard !arguments.isEmpty else { throw RunFailure("no command given after --") }
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw RunFailure("pipe: \(Self.errnoText())") }
        // Neither end may leak into other children (jobs run in parallel); the child gets its copy by dup2.
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A new process group, and default dispositions for the signals optunactl handles itself.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGINT, SIGTERM, SIGPIPE] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in argv + envp { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, envp)
        close(fds[1])
        guard rc == 0 else {
            close(fds[0])
            throw RunFailure("cannot run \(arguments[0]): \(String(cString: strerror(rc)))")
        }
        self.pid = pid
        self.output = fds[0]
    }

    deinit {
        close(output)
        if termination == nil {
            // Never leave a zombie or a stray group behind, whatever path the caller took.
            kill(-pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
    }

    /// The next line of output, waiting at most `timeoutMilliseconds`.
    ///
    /// A final line without a newline is returned at the end of the output.
    func nextLine(timeoutMilliseconds: Int32) -> Event {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return .line(line)
            }
            if outputClosed {
                if buffer.isEmpty { return .endOfOutput }
                let line = String(decoding: buffer, as: UTF8.self)
                buffer.removeAll()
                return .line(line)
            }
            var poller = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, timeoutMilliseconds)
            if ready == 0 { return .timeout }
            if ready < 0 {
                if errno == EINTR { return .timeout }
                outputClosed = true
                continue
            }
            var chunk = [UInt8](repeating: 0, count: 16384)
            let n = chunk.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
            if n > 0 {
                buffer.append(contentsOf: chunk[..<n])
            } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                outputClosed = true
            }
        }
    }

    /// Whether the child has exited (without waiting); reaps it when it has.
    var hasExited: Bool {
        if termination != nil { return true }
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return false }
        termination = Self.decode(status)
        return true
    }

    /// Asks the child's process group to stop (SIGTERM), and kills it (SIGKILL) after `grace` seconds.
    func terminate(grace: Double) {
        kill(-pid, SIGTERM)
        let deadline = Self.now() + grace
        while Self.now() < deadline {
            if hasExited { break }
            usleep(20_000)
        }
        // The group may outlive its leader; nothing of it may keep running once the trial is over.
        kill(-pid, SIGKILL)
    }

    /// Waits for the child to end.
    func wait() -> Termination {
        if let termination { return termination }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let t = Self.decode(status)
        termination = t
        return t
    }

    private static func decode(_ status: Int32) -> Termination {
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as macros.
        let signal = status & 0x7F
        return signal == 0 ? .exited((status >> 8) & 0xFF) : .signaled(signal)
    }

    /// Seconds on the monotonic clock.
    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
