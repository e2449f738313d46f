#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// SIGINT and SIGTERM for `optunactl run`: the handler only records the signal; the trial loops poll it,
/// end their commands and fail their trials, then optunactl exits 128 + the signal.
enum Interruption {
    private static let received = Atomic<Int32>(0)

    /// Installs the handlers (call once, before any trial starts).
    static func install() {
        _ = received.load(ordering: .relaxed)  // initialise the global before a handler can touch it
        signal(SIGINT, Interruption.handler)
        signal(SIGTERM, Interruption.handler)
    }

    /// The signal received, or nil.
    static var signalReceived: Int32? {
        let s = received.load(ordering: .relaxed)
        return s == 0 ? nil : s
    }

    private static let handler: @convention(c) (Int32) -> Void = { signo in
        Interruption.received.store(signo, ordering: .relaxed)
    }
}
