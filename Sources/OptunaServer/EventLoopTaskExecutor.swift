import NIOCore

/// Runs a task's jobs on one NIO event loop: the executor preference of a connection's request task.
///
/// The task runs on its connection's loop and, since study actors have no executor of their own, their code
/// runs there too (Swift's task executor preference). A request whose study is free therefore completes on
/// the thread that read it, with no hand-off to another thread and back; each hand-off costs a thread wake-up,
/// which is most of a small request's latency. Each switch into or out of an actor still passes through the
/// loop's task queue (the runtime switches inline only for tasks without a preference), which is why `ask`
/// and `tell` write their answer from inside the actor (``EarlyAnswer``). Work that must not block the loop does not
/// run here: SQLite statements run on the storage's own threads, and a task suspended on them resumes on this
/// loop afterwards.
///
/// Sampling stays on the loop only while it is cheap (see ``SamplingCost``): costly sampling (measured, or
/// foreseen from the sampler and the history's size) runs on Swift's global concurrent executor, so no costly
/// sampler holds a loop that other connections are waiting on. Requests whose answers grow with
/// the history (`get_trials`, `best_trials`, `get_all_studies`, `export_sqlite`) run there too.
final class EventLoopTaskExecutor: TaskExecutor {
    /// The loop the jobs run on.
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
