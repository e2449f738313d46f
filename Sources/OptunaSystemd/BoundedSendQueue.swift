import CSystemd
import Glibc

/// A bounded first-in first-out queue drained by one dedicated POSIX thread that hands each item to a blocking sink.
///
/// libsystemd's notify and journal sockets are blocking datagram sockets: a reader that stops reading (a SIGSTOPped
/// journald, a wedged service manager) blocks the sender forever once the socket's queue is full. Callers on an event
/// loop or a request path must never wait for that, so they only ``enqueue(_:)`` here, which takes a lock for a few
/// instructions and never waits for the sink. When the queue is full the item is dropped and counted; if the queue
/// was built with a `dropReport`, the next accepted item is preceded by one report item carrying the number dropped
/// since the previous report, so the gap is visible in order in the output.
///
/// The thread is a plain POSIX thread rather than a Dispatch or Swift concurrency worker: it may block forever inside
/// the sink, which would starve a shared pool. It blocks every signal so that signal handling stays with the rest of
/// the process.
///
/// - Important: ``close()`` (called from `deinit`) lets the thread finish the items already queued and exit. A thread
///   blocked forever in the sink is never joined; it ends with the process.
final class BoundedSendQueue<Item: Sendable>: @unchecked Sendable {
    // @unchecked Sendable: the mutable state lives in `Shared`, whose every field is guarded by `Shared.mutex`.

    /// What the queue holds: a caller's item, or a report of items dropped before it.
    private enum Element {
        case item(Item)
        case dropped(Int)
    }

    /// The state shared by producers and the drain thread; `mutex` guards every stored property.
    private final class Shared {
        let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        /// Signalled when an element is queued or the queue is closed.
        let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
        /// Broadcast whenever the queue becomes empty with nothing in flight.
        let idle = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
        let capacity: Int
        let sink: @Sendable (Item) -> Void
        let dropReport: (@Sendable (Int) -> Item)?
        var ring: [Element?]
        var head = 0
        var count = 0
        var inFlight = false
        var closed = false
        var droppedSinceReport = 0
        var droppedTotal = 0

        init(capacity: Int, sink: @escaping @Sendable (Item) -> Void, dropReport: (@Sendable (Int) -> Item)?) {
            self.capacity = capacity
            self.sink = sink
            self.dropReport = dropReport
            self.ring = Array(repeating: nil, count: capacity)
            pthread_mutex_init(mutex, nil)
            var attributes = pthread_condattr_t()
            pthread_condattr_init(&attributes)
            // Timed waits in `waitUntilIdle` measure against the monotonic clock, immune to wall-clock jumps.
            pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
            pthread_cond_init(wake, &attributes)
            pthread_cond_init(idle, &attributes)
            pthread_condattr_destroy(&attributes)
        }

        deinit {
            pthread_cond_destroy(idle)
            pthread_cond_destroy(wake)
            pthread_mutex_destroy(mutex)
            idle.deallocate()
            wake.deallocate()
            mutex.deallocate()
        }

        func withLock<T>(_ body: () -> T) -> T {
            pthread_mutex_lock(mutex)
            defer { pthread_mutex_unlock(mutex) }
            return body()
        }

        /// Appends under the lock; the caller holds `mutex` and has checked there is room.
        func append(_ element: Element) {
            ring[(head + count) % capacity] = element
            count += 1
        }

        /// The drain loop: runs on the dedicated thread until the queue is closed and empty.
        func drain() {
            while true {
                pthread_mutex_lock(mutex)
                while count == 0 && !closed {
                    pthread_cond_wait(wake, mutex)
                }
                if count == 0 {
                    pthread_mutex_unlock(mutex)
                    return
                }
                let element = ring[head]
                ring[head] = nil
                head = (head + 1) % capacity
                count -= 1
                inFlight = true
                pthread_mutex_unlock(mutex)

                switch element {
                case .item(let item): sink(item)
                case .dropped(let number): if let dropReport { sink(dropReport(number)) }
                case nil: break
                }

                pthread_mutex_lock(mutex)
                inFlight = false
                if count == 0 { pthread_cond_broadcast(idle) }
                pthread_mutex_unlock(mutex)
            }
        }
    }

    private let shared: Shared

    /// Creates the queue and starts its drain thread.
    ///
    /// - Parameters:
    ///   - capacity: The most items held at once, not counting the one being sent; at least 2.
    ///   - threadName: The thread's name as shown by `ps -L` and in core dumps (15 bytes at most are kept).
    ///   - dropReport: Makes the item that reports a number of dropped items, or `nil` to drop silently.
    ///   - sink: Sends one item; it may block for as long as it likes, and runs only on the drain thread.
    init(
        capacity: Int,
        threadName: String,
        dropReport: (@Sendable (Int) -> Item)? = nil,
        sink: @escaping @Sendable (Item) -> Void
    ) {
        shared = Shared(capacity: max(capacity, 2), sink: sink, dropReport: dropReport)
        Self.startThread(named: threadName, running: shared)
    }

    deinit {
        close()
    }

    /// Queues `item` for the drain thread, or drops and counts it if the queue is full or closed.
    ///
    /// Never waits for the sink.
    ///
    /// - Returns: `true` if the item was queued.
    @discardableResult
    func enqueue(_ item: Item) -> Bool {
        let shared = self.shared
        return shared.withLock {
            // A pending drop report needs its own slot in front of the item.
            let needed = shared.droppedSinceReport > 0 && shared.dropReport != nil ? 2 : 1
            guard !shared.closed, shared.count + needed <= shared.capacity else {
                shared.droppedSinceReport += 1
                shared.droppedTotal += 1
                return false
            }
            if needed == 2 {
                shared.append(.dropped(shared.droppedSinceReport))
                shared.droppedSinceReport = 0
            }
            shared.append(.item(item))
            pthread_cond_signal(shared.wake)
            return true
        }
    }

    /// The number of items dropped since the queue was created.
    var droppedCount: Int {
        shared.withLock { shared.droppedTotal }
    }

    /// Blocks the calling thread until every queued item has been handed to the sink and the sink has returned, or
    /// until `timeout` has passed.
    ///
    /// - Returns: `true` if the queue drained in time.
    func waitUntilIdle(timeout: Duration) -> Bool {
        let shared = self.shared
        var deadline = timespec()
        clock_gettime(CLOCK_MONOTONIC, &deadline)
        let (seconds, attoseconds) = timeout.components
        let nanoseconds = Int(deadline.tv_nsec) + Int(attoseconds / 1_000_000_000)
        deadline.tv_sec += Int(seconds) + nanoseconds / 1_000_000_000
        deadline.tv_nsec = nanoseconds % 1_000_000_000
        return shared.withLock {
            while shared.count > 0 || shared.inFlight {
                if pthread_cond_timedwait(shared.idle, shared.mutex, &deadline) == ETIMEDOUT {
                    return shared.count == 0 && !shared.inFlight
                }
            }
            return true
        }
    }

    /// Stops accepting items; the drain thread sends what is already queued and then exits.
    func close() {
        let shared = self.shared
        shared.withLock {
            shared.closed = true
            pthread_cond_signal(shared.wake)
        }
    }

    private static func startThread(named name: String, running shared: Shared) {
        let context = Unmanaged.passRetained(DrainThreadContext(name: name, body: shared.drain)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(
            &thread,
            nil,
            { rawContext in
                guard let rawContext else { return nil }
                let context = Unmanaged<DrainThreadContext>.fromOpaque(rawContext).takeRetainedValue()
                var allSignals = sigset_t()
                sigfillset(&allSignals)
                pthread_sigmask(SIG_BLOCK, &allSignals, nil)
                _ = csystemd_set_thread_name(context.name)
                context.body()
                return nil
            },
            context
        )
        if result == 0 {
            pthread_detach(thread)
        } else {
            // No thread: nothing will ever drain, so refuse every item rather than fill up silently.
            Unmanaged<DrainThreadContext>.fromOpaque(context).release()
            shared.withLock { shared.closed = true }
        }
    }
}

/// What a new drain thread receives: its name and the loop to run (which keeps the queue state alive).
private final class DrainThreadContext {
    let name: String
    let body: () -> Void

    init(name: String, body: @escaping () -> Void) {
        self.name = name
        self.body = body
    }
}
