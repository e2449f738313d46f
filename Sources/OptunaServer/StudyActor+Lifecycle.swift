import FoundationEssentials
import OptunaCore
import OptunaStorage

/// Who asked, and how the trial is tied to its asker.
struct AskContext: Sendable {
    /// An idempotency key: a RUNNING trial held by the same id is returned instead of a new one.
    var clientID: String?
    /// `"connection"` ties the trial to the asking connection; `"heartbeat"` to heartbeats.
    var lease: String?
    /// The asking process and user, as the system attributes recorded on the trial (``RequestOrigin/clientAttributes``).
    var clientAttributes: [String: JSONValue] = [:]
}

extension StudyActor {
    static let clientIDKey = "optunad:client_id"
    static let leaseKey = "optunad:lease"
    static let failReasonKey = "optunad:fail_reason"
    static let clientPIDKey = "optunad:client_pid"
    static let clientUIDKey = "optunad:client_uid"

    /// Trials found RUNNING when the study loads get a fresh grace period from now (the daemon cannot know
    /// how long they were without it).
    func adoptRunningTrials() {
        let now = clock()
        for i in trials.indices where trials[i].state == .running { lastSeen[trials[i].id] = now }
    }

    /// Starts a trial under the study's budgets, or returns the RUNNING trial an idempotent client already holds.
    ///
    /// - Throws: ``StudyError/budgetExhausted(_:)`` when `max_trials` is used up, ``StudyError/retryAfter(milliseconds:reason:)``
    ///   when `max_running` trials are running.
    func admittedAsk(searchSpace: [String: Distribution], context: AskContext) async throws -> FrozenTrial {
        // The trial a client holds may still be committing; it is returned only once it has its stored id.
        if context.clientID != nil { await awaitPendingWrites() }
        try await refreshIfNeeded()
        if context.lease == "heartbeat", options.heartbeatInterval == nil {
            throw StudyError.invalidConfiguration(
                "lease \"heartbeat\" needs the study's heartbeat_interval (set it in create_study)")
        }
        if let clientID = context.clientID,
            let held = trials.last(where: { $0.state == .running && $0.systemAttrs[Self.clientIDKey] == .string(clientID) })
        {
            lastSeen[held.id] = clock()
            return try await complete(held, space: searchSpace)
        }
        if options.maxTrials != nil || options.maxRunning != nil {
            // Counted only for studies with budgets: an ask without them stays independent of the history's length.
            var running = 0
            var used = 0
            // Read through the array: `for t in trials` would copy every trial.
            for i in trials.indices {
                let state = trials[i].state
                if state == .running { running += 1 }
                if state == .running || state == .complete || state == .pruned { used += 1 }
            }
            if let max = options.maxTrials, used >= max {
                throw StudyError.budgetExhausted("study '\(record.name)' has used its budget of \(max) trials")
            }
            if let max = options.maxRunning, running >= max {
                throw StudyError.retryAfter(
                    milliseconds: 100, reason: "study '\(record.name)' has \(running) running trials (max_running \(max))")
            }
        }
        // A connection's trials share its attributes' dictionary until one adds to it.
        var attrs = context.clientAttributes
        if let c = context.clientID { attrs[Self.clientIDKey] = .string(c) }
        if let l = context.lease { attrs[Self.leaseKey] = .string(l) }
        let trial = try await askRefreshed(searchSpace: searchSpace, systemAttrs: attrs)
        lastSeen[trial.id] = clock()
        return trial
    }

    /// Samples the parameters of `space` a held trial does not have yet (idempotent re-ask).
    private func complete(_ trial: FrozenTrial, space: [String: Distribution]) async throws -> FrozenTrial {
        var update = TrialUpdate()
        let fixed = trial.systemAttrs[Self.fixedParamsKey]
        for name in space.keys.sorted() where trial.params[name] == nil {
            guard let d = space[name] else { continue }
            try checkCompatible(name: name, d)
            let v = try withSamplingView(of: trial) {
                try sampleOne(trial: trial, name: name, distribution: d, view: $0, fixed: fixed)
            }
            update.params[name] = ParamAssignment(value: v, distribution: d)
        }
        guard !update.params.isEmpty else { return trial }
        let written = try await storage.updateTrial(trial.id, update, expecting: .running)
        cache(written)
        return written
    }

    /// Marks a RUNNING trial alive now; with `persist`, also records the heartbeat in storage.
    func touch(trialID: Int64, persist: Bool) async throws {
        guard let i = indexByID[trialID], trials[i].state == .running else { return }
        let now = clock()
        lastSeen[trialID] = now
        if persist { try await storage.recordHeartbeat(trialID: trialID, at: now) }
    }

    /// Fails every RUNNING trial whose last sign of life is older than the grace period; returns them.
    func failStaleTrials() async throws -> [FrozenTrial] {
        guard let grace = options.effectiveGracePeriod, !deleted else { return [] }
        let now = clock()
        var failed: [FrozenTrial] = []
        // A trial still being created (provisional negative id, see StudyActor+Pipeline.swift) is skipped. The
        // history is read through the array (copying every trial each second would cost milliseconds on the
        // actor in a large study), and only the RUNNING trials are copied, before any of them is failed.
        let running = trials.indices.compactMap { i in
            trials[i].state == .running && trials[i].id >= 0 ? trials[i] : nil
        }
        for t in running {
            let seen = lastSeen[t.id] ?? t.datetimeStart ?? now
            let silent = now.timeIntervalSince(seen)
            guard silent > grace else { continue }
            let reason = "no heartbeat for \(Int(silent)) s (grace period \(grace) s)"
            if let f = try await fail(trialID: t.id, reason: reason) { failed.append(f) }
        }
        return failed
    }

    /// Fails a RUNNING trial for a reason recorded in its `optunad:fail_reason` system attribute, and queues a
    /// retry when the study's retry policy allows one. Returns nil when the trial had finished meanwhile.
    func fail(trialID: Int64, reason: String) async throws -> FrozenTrial? {
        guard let i = indexByID[trialID], trials[i].state == .running else { return nil }
        let update = TrialUpdate(
            state: .fail, systemAttrs: [Self.failReasonKey: .string(reason)], datetimeComplete: clock())
        let written: FrozenTrial
        do {
            written = try await storage.updateTrial(trialID, update, expecting: .running)
        } catch {
            if case .trialStateMismatch = error { try await reload() }
            return nil
        }
        cache(written)
        lastSeen[trialID] = nil
        if let policy = options.retry { try await retry(written, policy: policy) }
        return written
    }

    /// Queues a WAITING copy of a failed trial, as Optuna's `RetryFailedTrialCallback`.
    private func retry(_ failed: FrozenTrial, policy: RetryPolicy) async throws {
        var history = failed.systemAttrs["retry_history"]?.arrayValue ?? []
        history.append(.int(Int64(failed.number)))
        if let max = policy.maxRetry, history.count > max { return }
        var attrs: [String: JSONValue] = [:]
        for (k, v) in failed.systemAttrs where !k.hasPrefix("optunad:") { attrs[k] = v }
        attrs["failed_trial"] = failed.systemAttrs["failed_trial"] ?? .int(Int64(failed.number))
        attrs["retry_history"] = .array(history)
        var template = FrozenTrial(
            id: -1, number: trials.count, state: .waiting, params: failed.params,
            distributions: failed.distributions, userAttrs: failed.userAttrs, systemAttrs: attrs)
        if policy.inheritIntermediateValues { template.intermediateValues = failed.intermediateValues }
        let created = try await storage.createTrial(studyID: record.id, template: template)
        cache(created)
    }
}
