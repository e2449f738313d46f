import FoundationEssentials
import OptunaCore
import OptunaStorage

extension StudyActor {
    /// The key of the system attribute holding an enqueued trial's fixed parameters (external values).
    static let fixedParamsKey = "fixed_params"

    /// Starts a trial: the oldest WAITING (enqueued) trial if there is one, else a new one; samples
    /// `searchSpace` (sorted by name) and writes trial and parameters in one storage call.
    ///
    /// Each parameter is, in order of precedence: the enqueued fixed value; the only value of a single-valued
    /// distribution; the sampler's relative (joint) value; an independent sample.
    func ask(searchSpace: [String: Distribution], systemAttrs extra: [String: JSONValue] = [:]) async throws -> FrozenTrial {
        try await refreshIfNeeded()
        return try await askRefreshed(searchSpace: searchSpace, systemAttrs: extra)
    }

    /// ``ask(searchSpace:systemAttrs:)`` once the cache is known to be current.
    func askRefreshed(searchSpace: [String: Distribution], systemAttrs extra: [String: JSONValue] = [:]) async throws
        -> FrozenTrial
    {
        // Whether the study has seen every parameter name already (the new trial then records no new name).
        var namesRecorded = true
        for (name, d) in searchSpace where try !checkCompatible(name: name, d) { namesRecorded = false }
        let now = clock()
        if waitingCount > 0, let waitingIndex = trials.firstIndex(where: { $0.state == .waiting }) {
            var trial = trials[waitingIndex]
            trial.state = .running
            trial.datetimeStart = now
            // Samplers that keep generations or positions in trial attributes see queued trials start too.
            let (attrs, params) = try measuredSampling { () throws -> ([String: JSONValue], [SampledParam]) in
                var attrs = sampler.beforeTrial(study: snapshot, trial: trial)
                for (k, v) in extra { attrs[k] = v }
                for (k, v) in attrs { trial.systemAttrs[k] = v }
                return (attrs, try sampleParams(for: trial, space: searchSpace))
            }
            var allAttrs = attrs
            for (k, v) in relative[trial.id]?.attributes ?? [:] { allAttrs[k] = v }
            var update = TrialUpdate(state: .running, systemAttrs: allAttrs, datetimeStart: now)
            for p in params {
                update.params[p.name] = ParamAssignment(value: p.value, distribution: p.distribution)
            }
            let result: Result<FrozenTrial, StorageError>
            do {
                result = .success(try await storage.updateTrial(trial.id, update, expecting: .waiting))
            } catch {
                result = .failure(error)
            }
            switch result {
            case .success(let written):
                cache(written)
                return written
            case .failure(.trialStateMismatch):
                // Another writer took this queued trial first: see what it did, then try again.
                try await reload()
                return try await ask(searchSpace: searchSpace, systemAttrs: extra)
            case .failure(let other):
                throw other
            }
        }
        relative[-1] = nil
        var template = FrozenTrial(id: -1, number: trials.count, state: .running, datetimeStart: now)
        let params = try measuredSampling { () throws -> [SampledParam] in
            let attrs = sampler.beforeTrial(study: snapshot, trial: template)
            if attrs.isEmpty {
                template.systemAttrs = extra
            } else {
                template.systemAttrs = attrs
                for (k, v) in extra { template.systemAttrs[k] = v }
            }
            return try sampleParams(for: template, space: searchSpace)
        }
        template.params.reserveCapacity(params.count)
        for p in params { template.params[p.name] = p.value }
        // Every parameter of the space was sampled with the space's own distribution: the trial shares the
        // space's dictionary (an ask repeated by a connection passes the same one each time).
        template.distributions = searchSpace
        for (k, v) in relative[-1]?.attributes ?? [:] { template.systemAttrs[k] = v }
        return try await createTrialPipelined(template, namesRecorded: namesRecorded)
    }

    /// Runs sampling work, records its duration in ``samplingCost`` and where it ran.
    func measuredSampling<T>(_ body: () throws -> T) rethrows -> T {
        let start = ContinuousClock.now
        defer {
            samplingCost.record(ContinuousClock.now - start)
            samplingCost.noteHistory(trials.count)
            if SamplingCost.onEventLoop {
                samplingPlacements.onEventLoop += 1
            } else {
                samplingPlacements.offEventLoop += 1
            }
        }
        return try body()
    }

    /// One sampled parameter: its name, internal value and distribution.
    typealias SampledParam = (name: String, value: Double, distribution: Distribution)

    /// Samples the parameters of `space` for `trial` (not yet written), in name order.
    private func sampleParams(for trial: FrozenTrial, space: [String: Distribution]) throws -> [SampledParam] {
        guard !space.isEmpty else { return [] }
        var out: [SampledParam] = []
        out.reserveCapacity(space.count)
        let fixed = trial.systemAttrs[Self.fixedParamsKey]
        try withSamplingView(of: trial) { view in
            // Known once the first parameter that may be sampled jointly has inferred the relative space.
            var jointly: Bool?
            for (name, d) in space.sorted(by: { $0.key < $1.key }) {
                let v = try sampleOne(trial: trial, name: name, distribution: d, view: view, fixed: fixed, jointly: jointly)
                out.append((name, v, d))
                if jointly == nil, let known = relative[trial.id] { jointly = !known.space.isEmpty }
            }
        }
        return out
    }

    /// Infers the relative search space of `trial` (as the study is now) unless that was done already; returns
    /// whether it has any parameter (only then can a parameter be sampled jointly).
    private func prepareRelative(for trial: FrozenTrial, view: StudySnapshot) -> Bool {
        if let known = relative[trial.id] { return !known.space.isEmpty }
        let space = sampler.inferRelativeSearchSpace(study: view, trial: trial)
        relative[trial.id] = RelativeSample(space: space, params: nil)
        return !space.isEmpty
    }

    /// Runs `body` with a snapshot in which `trial` stands at its number (appended when it is new).
    ///
    /// The trial is put into the cached array in place and taken out again afterwards, so building the view
    /// costs O(1) instead of copying the history; `body` must not keep the snapshot.
    func withSamplingView<T>(of trial: FrozenTrial, _ body: (StudySnapshot) throws -> T) rethrows -> T {
        let index = indexByID[trial.id]
        var saved: FrozenTrial?
        if let index {
            saved = trials[index]
            trials[index] = trial
        } else {
            trials.append(trial)
        }
        defer {
            if let index, let saved { trials[index] = saved } else { trials.removeLast() }
        }
        return try body(sampler.readsHistory ? pruner.samplerView(of: snapshot, for: trial) : snapshot)
    }

    /// One parameter's value for a trial (see ``ask(searchSpace:)`` for the precedence).
    ///
    /// - Parameters:
    ///   - fixed: the trial's enqueued parameters, its ``fixedParamsKey`` system attribute (an ask over many
    ///     parameters looks it up once).
    ///   - jointly: whether the trial's relative search space has parameters, when the caller knows it
    ///     already (see ``prepareRelative(for:view:)``); nil finds out, inferring the space on first use.
    func sampleOne(
        trial: FrozenTrial, name: String, distribution d: Distribution, view: StudySnapshot, fixed: JSONValue?,
        jointly: Bool? = nil
    ) throws -> Double {
        if let fixed = fixed?[name] {
            let v = try d.internalValue(of: fixed, name: name)
            return v
        }
        if !trial.params.isEmpty, let existing = trial.params[name], let old = trial.distributions[name] {
            // A retried trial keeps the parameters of the trial it repeats.
            try old.checkCompatible(with: d, name: name)
            if d.contains(existing) { return existing }
        }
        if d.isSingle { return singleValue(d) }
        if jointly ?? prepareRelative(for: trial, view: view), var pending = relative[trial.id],
            let relD = pending.space[name], relD == d
        {
            if pending.params == nil {
                var rng = SeededGenerator(seed: samplerSeed, trialNumber: trial.number)
                let sample = sampler.sampleRelativeRecording(
                    study: view, trial: trial, searchSpace: pending.space, using: &rng)
                pending.params = sample.values
                pending.attributes = sample.attributes
                relative[trial.id] = pending
            }
            if let v = pending.params?[name], d.contains(v) { return v }
        }
        var rng = SeededGenerator(seed: samplerSeed, trialNumber: trial.number, salt: name)
        let v = sampler.sampleIndependent(study: view, trial: trial, name: name, distribution: d, using: &rng)
        return d.contains(v) ? v : RandomSampler.uniformSample(d, using: &rng)
    }

    private func singleValue(_ d: Distribution) -> Double {
        switch d {
        case .float(let f): return f.low
        case .int(let i): return Double(i.low)
        case .categorical: return 0
        }
    }

    /// Throws `incompatible_distribution` when `d` conflicts with the distribution the study uses for `name`.
    ///
    /// - Returns: whether the study knows the name already.
    @discardableResult
    func checkCompatible(name: String, _ d: Distribution) throws(StudyError) -> Bool {
        guard !name.isEmpty else { throw .invalidParameterValue(name: name, reason: "parameter names must not be empty") }
        guard let known = knownDistributions[name] else { return false }
        try known.checkCompatible(with: d, name: name)
        return true
    }

    /// Define-by-run: the value of parameter `name` in a RUNNING trial, sampled and stored on first use;
    /// asking again with the same distribution returns the same value.
    func suggest(trialID: Int64, name: String, distribution d: Distribution) async throws -> JSONValue {
        try await refreshIfNeeded()
        let trial = try cachedTrial(trialID)
        if let existing = trial.distributions[name], let v = trial.params[name] {
            if existing != d {
                try existing.checkCompatible(with: d, name: name)
                guard d.contains(v) else {
                    throw StudyError.incompatibleDistribution(
                        name: name, reason: "already set to \(existing.externalValue(v)) from \(existing), not in \(d)")
                }
            }
            return d.externalValue(v)
        }
        guard trial.state == .running else { throw StudyError.trialFinished(number: trial.number, state: trial.state) }
        try checkCompatible(name: name, d)
        let v = try measuredSampling {
            try withSamplingView(of: trial) { view in
                try sampleOne(
                    trial: trial, name: name, distribution: d, view: view, fixed: trial.systemAttrs[Self.fixedParamsKey])
            }
        }
        var update = TrialUpdate(params: [name: ParamAssignment(value: v, distribution: d)])
        for (k, value) in relative[trialID]?.attributes ?? [:] where trial.systemAttrs[k] != value {
            update.systemAttrs[k] = value
        }
        let written = try await storage.updateTrial(trialID, update, expecting: .running)
        cache(written)
        return d.externalValue(v)
    }

    /// Queues a trial with fixed parameters (external values) as WAITING, as Optuna's `enqueue_trial`.
    ///
    /// With `skipIfExists`, nothing is queued when a WAITING, RUNNING or COMPLETE trial already has exactly
    /// these parameters (Optuna's rule), and that trial is returned instead.
    func enqueue(params: [String: JSONValue], userAttrs: [String: JSONValue], skipIfExists: Bool) async throws
        -> FrozenTrial
    {
        // A matching trial may still be committing; it is returned only once it has its stored id.
        if skipIfExists { await awaitPendingWrites() }
        try await refreshIfNeeded()
        if skipIfExists {
            // Read through the array: `for t in trials` would copy every trial of the history.
            for i in trials.indices where [.waiting, .running, .complete].contains(trials[i].state) {
                let fixed = trials[i].systemAttrs[Self.fixedParamsKey]?.objectValue
                // A trial with fewer parameters cannot match (its external parameters are fewer still).
                if fixed == nil, trials[i].params.count < params.count { continue }
                let existing = fixed ?? trials[i].externalParams
                if existing.count == params.count, params.allSatisfy({ k, v in Self.sameParam(existing[k], v) }) {
                    return trials[i]
                }
            }
        }
        let template = FrozenTrial(
            id: -1, number: trials.count, state: .waiting, userAttrs: userAttrs,
            systemAttrs: [Self.fixedParamsKey: .object(params)])
        let created = try await storage.createTrial(studyID: record.id, template: template)
        cache(created)
        return created
    }

    private static func sameParam(_ a: JSONValue?, _ b: JSONValue) -> Bool {
        guard let a else { return false }
        if a == b { return true }
        if let x = a.doubleValue, let y = b.doubleValue, a.stringValue == nil, b.stringValue == nil { return x == y }
        return false
    }
}
