#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A POSIX thread running one closure: `optunactl run --jobs J` runs J trial loops at once, each blocking
/// in its own command's output, which Swift's cooperative thread pool (one thread per core) is not for.
struct WorkerThread {
    private final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    private let thread: pthread_t

    /// Starts `body` on a new thread. - Throws: ``RunFailure`` when the system refuses the thread.
    init(_ body: @escaping @Sendable () -> Void) throws(RunFailure) {
        var thread = pthread_t()
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        let rc = pthread_create(&thread, nil, { raw in
            guard let raw else { return nil }
            Unmanaged<Body>.fromOpaque(raw).takeRetainedValue().run()
            return nil
        }, context)
        guard rc == 0 else {
            Unmanaged<Body>.fromOpaque(context).release()
            throw RunFailure("cannot start a worker thread: \(String(cString: strerror(rc)))")
        }
        self.thread = thread
    }

    /// Waits for the closure to return.
    func join() {
        pthread_join(thread, nil)
    }
}
