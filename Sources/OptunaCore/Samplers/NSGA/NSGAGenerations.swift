/// Where a genetic sampler keeps its generations: in the system attributes of the trials.
///
/// Every trial the sampler creates records its generation (Optuna's `<Class>:generation` key). The first
/// trial of generation `g >= 1` also records the trial numbers of that generation's parents (chosen from
/// generation `g - 1` and its parents), and every trial records which trial holds its generation's
/// parents. So an ask reads a few recent trials: the state survives restarts and costs nothing to rebuild.
///
/// Generation numbers never decrease with trial number (each is computed from the COMPLETE trials when
/// the trial is created, and that set only grows), which lets every lookup walk back from the newest
/// trial and stop at the first older generation.
struct NSGAGenerations: Sendable {
    /// Optuna's class name, the prefix of the keys (`NSGAIISampler`, `NSGAIIISampler`).
    let className: String
    /// Trials per generation.
    let populationSize: Int

    /// `<Class>:generation`, as Optuna names it.
    var generationKey: String { className + ":generation" }
    /// The parents of the generation, as trial numbers (on the generation's first trial).
    var parentsKey: String { className + ":parents" }
    /// The number of the trial holding the generation's parents.
    var parentsTrialKey: String { className + ":parents_trial" }

    /// The generation of a trial, if the sampler recorded one.
    func generation(of trial: FrozenTrial) -> Int? { trial.systemAttrs[generationKey]?.intValue }

    /// The generation a new trial joins (Optuna's `get_trial_generation`): the newest generation among
    /// COMPLETE trials, or the next one once it has `populationSize` COMPLETE trials.
    func nextGeneration(in study: StudySnapshot) -> Int {
        var best = -1
        var count = 0
        let trials = study.trials
        for i in trials.indices.reversed() {
            guard let g = trials[i].systemAttrs[generationKey]?.intValue else { continue }
            if best >= 0, g < best { break }
            guard trials[i].state == .complete else { continue }
            if g > best {
                best = g
                count = 1
            } else if g == best {
                count += 1
            }
        }
        if best < 0 { return 0 }
        return count < populationSize ? best : best + 1
    }

    /// The COMPLETE trials of generation `g`, in number order.
    func population(_ g: Int, in study: StudySnapshot) -> [FrozenTrial] {
        var out: [FrozenTrial] = []
        let trials = study.trials
        for i in trials.indices.reversed() {
            guard let tg = trials[i].systemAttrs[generationKey]?.intValue else { continue }
            if tg < g { break }
            if tg == g, trials[i].state == .complete { out.append(trials[i]) }
        }
        return out.reversed()
    }

    /// The recorded parents of generation `g`, as trial numbers; nil when none are recorded.
    func recordedParents(_ g: Int, in study: StudySnapshot) -> [Int]? {
        let trials = study.trials
        for i in trials.indices.reversed() {
            guard let tg = trials[i].systemAttrs[generationKey]?.intValue else { continue }
            if tg < g { break }
            if tg == g, let list = trials[i].systemAttrs[parentsKey]?.arrayValue { return list.compactMap(\.intValue) }
        }
        return nil
    }

    /// The attributes of a new trial: its generation, and for the first trial of a generation the parents
    /// chosen by `select` from the previous generation and its parents.
    func attributes(
        for trial: FrozenTrial, in study: StudySnapshot,
        select: (_ candidates: [FrozenTrial], _ generation: Int) -> [FrozenTrial]
    ) -> [String: JSONValue] {
        let g = nextGeneration(in: study)
        var attrs: [String: JSONValue] = [generationKey: .int(Int64(g))]
        guard g > 0 else { return attrs }
        if let holder = parentsHolder(g, in: study) {
            attrs[parentsTrialKey] = .int(Int64(holder))
            return attrs
        }
        let parents = resolvedParents(g, in: study, select: select)
        attrs[parentsKey] = .array(parents.map { .int(Int64($0.number)) })
        attrs[parentsTrialKey] = .int(Int64(trial.number))
        return attrs
    }

    /// The number of the trial that recorded generation `g`'s parents, if any.
    private func parentsHolder(_ g: Int, in study: StudySnapshot) -> Int? {
        let trials = study.trials
        for i in trials.indices.reversed() {
            guard let tg = trials[i].systemAttrs[generationKey]?.intValue else { continue }
            if tg < g { break }
            if tg == g, trials[i].systemAttrs[parentsKey] != nil { return trials[i].number }
        }
        return nil
    }

    /// Generation `g`'s parents: recorded ones, or (for a history written elsewhere) selected again from
    /// generation `g - 1` and its own parents.
    func resolvedParents(
        _ g: Int, in study: StudySnapshot, select: (_ candidates: [FrozenTrial], _ generation: Int) -> [FrozenTrial]
    ) -> [FrozenTrial] {
        if g <= 0 { return [] }
        if let numbers = recordedParents(g, in: study) { return numbers.compactMap { study.trial(number: $0) } }
        let previous = population(g - 1, in: study) + resolvedParents(g - 1, in: study, select: select)
        return select(previous, g)
    }
}
