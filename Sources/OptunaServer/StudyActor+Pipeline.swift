import OptunaCore
import OptunaStorage

/// Pipelined writes: an ask, a tell or a report shows its effect in the cache, queues its write, hands the
/// gate on and only then waits for the commit, so the operations queued behind it on the same study join the
/// same group commit instead of each waiting for its own.
///
/// Answers still go out only after the commit. What changes is what *later operations on this study* see:
/// the effect of a write that is still committing (an ask samples knowing the trial told just before it).
/// When such a write fails after all, the cache is marked suspect and the next operation reloads it from
/// storage, so nothing that failed stays visible. With a backend that writes synchronously (memory) nothing
/// is pipelined: the result is there at once. Nor when SQLite (`--sync normal`) commits a write at once on
/// the calling thread, which it does only while no other operation waits at the gate: with operations
/// waiting, the write is queued (`shareCommit`) so that theirs join its commit.
extension StudyActor {
    /// Creates a trial from `template` (number = the cached count) and returns it as stored, with its id.
    ///
    /// Until its commit the trial sits in the cache under a provisional negative id (clients cannot know
    /// it, so no request can name it); the relative sample taken for the trial being created (id -1) moves
    /// with it.
    func createTrialPipelined(_ template: FrozenTrial, namesRecorded: Bool = false) async throws -> FrozenTrial {
        let pending = storage.beginCreateTrial(studyID: record.id, template: template, shareCommit: gate.hasWaiters)
        if let done = pending.result {
            let created = try done.get()
            cache(created, namesRecorded: namesRecorded)
            moveTrialState(from: -1, to: created.id)
            return created
        }
        var provisional = template
        provisional.id = nextProvisionalID
        nextProvisionalID -= 1
        cache(provisional, namesRecorded: namesRecorded)
        moveTrialState(from: -1, to: provisional.id)
        unsettled.append((provisional.id, pending))
        let created = try await handOverAndAwait(pending)
        settleFinishedWrites()
        return created
    }

    /// Applies `update` to a cached trial in state `expecting`, runs `decide` on the updated cache while the
    /// gate is still held (a report's pruning decision), and once the write has committed returns the trial
    /// as stored and the decision.
    ///
    /// The stored form (normalized timestamps and values) replaces the one shown only when the update
    /// finished the trial: a RUNNING trial may already show later updates on top of this one.
    ///
    /// - Throws: the storage's error (for instance `trialStateMismatch` when another writer finished the
    ///   trial first); the cache is then reloaded before the next operation.
    func updateTrialPipelined<T>(
        _ trial: FrozenTrial, _ update: TrialUpdate, expecting: TrialState, decide: () throws -> T
    ) async throws -> (trial: FrozenTrial, decision: T) {
        let pending = storage.beginUpdateTrial(trial.id, update, expecting: expecting, shareCommit: gate.hasWaiters)
        if let done = pending.result {
            let written = try done.get()
            cache(written)
            return (written, try decide())
        }
        var shown = trial
        update.apply(to: &shown)
        cache(shown)
        let decision = Result(catching: decide)
        let written = try await handOverAndAwait(pending)
        if written.state.isFinished, let i = indexByID[written.id], trials[i].state == written.state {
            trials[i] = written
        }
        return (written, try decision.get())
    }

    /// Releases the gate and waits for `pending` to commit; a failure marks the cache for reloading.
    private func handOverAndAwait(_ pending: PendingWrite<FrozenTrial>) async throws -> FrozenTrial {
        writesInFlight.append(pending)
        releaseGate()
        defer { forget(pending) }
        return try await pending.value()
    }

    /// Waits until every pipelined write queued so far has finished, committed or not, and puts the trials
    /// they created into the cache under their stored ids.
    ///
    /// The caller may resume before the tasks that queued the writes do, so it takes each finished write off
    /// the list itself (see ``forget(_:)``), and never reads a cache that still shows a failed write's effect.
    func awaitPendingWrites() async {
        while let oldest = writesInFlight.first {
            _ = try? await oldest.value()
            forget(oldest)
        }
        settleFinishedWrites()
    }

    /// Takes a finished write off ``writesInFlight``; a failed one marks the cache for reloading. Whoever
    /// takes it off first (its own operation, or one that waited for it) does both.
    private func forget(_ write: PendingWrite<FrozenTrial>) {
        if case .failure = write.result { cacheSuspect = true }
        writesInFlight.removeAll { $0 === write }
    }

    /// What a query reads: nothing that is still committing (so no answer shows a write that may yet fail,
    /// and no provisional id), refreshed from storage when another writer committed.
    func refreshForQuery() async throws {
        await awaitPendingWrites()
        try await refreshIfNeeded()
    }

    /// Settles every pipelined trial creation that has finished: committed ones take their stored ids, and
    /// a failed one marks the cache for reloading (its provisional trial was never written).
    func settleFinishedWrites() {
        unsettled.removeAll { entry in
            guard let result = entry.write.result else { return false }
            switch result {
            case .success(let created): settle(provisional: entry.provisional, as: created)
            case .failure: cacheSuspect = true
            }
            return true
        }
    }

    /// Replaces a provisional trial by the trial as stored (a no-op when that was done already).
    private func settle(provisional: Int64, as created: FrozenTrial) {
        if let i = indexByID.removeValue(forKey: provisional) {
            trials[i] = created
            indexByID[created.id] = i
            // Another writer took this number meanwhile: the order in the cache is wrong, so reload it.
            if created.number != i { cacheSuspect = true }
        } else if indexByID[created.id] == nil {
            // A reload ran before the commit was visible to it.
            cache(created)
        }
        moveTrialState(from: provisional, to: created.id)
    }

    /// Moves what the actor keeps per RUNNING trial (its relative sample, when it last showed life) to a new id.
    private func moveTrialState(from old: Int64, to new: Int64) {
        if let sample = relative.removeValue(forKey: old) { relative[new] = sample }
        if let seen = lastSeen.removeValue(forKey: old) { lastSeen[new] = seen }
    }
}
