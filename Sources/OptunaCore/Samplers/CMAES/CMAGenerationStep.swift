/// The work ``CmaEsSampler/beforeTrial(study:trial:)`` does for one new trial: find the current CMA state,
/// update it when its generation is complete (restarting under IPOP/BIPOP when it has converged), and draw
/// the trial's point.
struct CMAGenerationStep {
    let sampler: CmaEsSampler
    let study: StudySnapshot
    let trial: FrozenTrial

    var prefix: String { sampler.attributePrefix }
    var stateKey: String { prefix + "state" }
    var stateTrialKey: String { prefix + "state_trial" }

    /// The new trial's attributes, or nil when the trial is sampled independently.
    func attributes() -> [String: JSONValue]? {
        guard study.directions.count == 1 else { return nil }
        let summary = sampler.tracker.summary(of: study)
        let space = CmaEsSampler.numericalSpace(summary.intersection ?? [:])
        guard !space.isEmpty else { return nil }
        let finished = summary.completeCount + (sampler.considerPrunedTrials ? summary.prunedWithValueCount : 0)
        guard finished >= sampler.nStartupTrials else { return nil }
        let dims = CMASpace(space, transformStep: !sampler.withMargin)
        var rng = SeededGenerator(
            seed: UInt64(bitPattern: sampler.seed ?? 0), trialNumber: trial.number, salt: prefix + "ask")
        var attrs: [String: JSONValue] = [:]
        var state: CMAState
        var holder: Int
        if let (number, current) = latestState() {
            guard current.n == dims.names.count else { return nil }
            state = current
            holder = number
            let solutions = collectSolutions(holder: number, dims: dims)
            if solutions.count >= current.popsize {
                state.tell(Array(solutions.prefix(current.popsize)))
                state = restartIfNeeded(state, dims: dims, using: &rng)
                holder = trial.number
                attrs[stateKey] = state.json
            }
        } else {
            state = initialState(
                dims: dims, popsize: sampler.popsize ?? CMAParameters.defaultPopsize(n: dims.names.count),
                randomMean: false, using: &rng)
            holder = trial.number
            attrs[stateKey] = state.json
        }
        let (point, raw) = state.ask(using: &rng)
        var params: [String: JSONValue] = [:]
        for (i, name) in dims.names.enumerated() { params[name] = .double(dims.fromUnit(point[i], at: i)) }
        attrs[prefix + "generation"] = .int(Int64(state.generation))
        attrs[stateTrialKey] = .int(Int64(holder))
        attrs[prefix + "params"] = .object(params)
        if state.variant == .margin { attrs["x_for_tell"] = .array(raw.map { .double($0) }) }
        return attrs
    }

    /// The newest recorded state and the number of the trial holding it.
    func latestState() -> (Int, CMAState)? {
        for t in study.trials.reversed() {
            guard let holder = t.systemAttrs[stateTrialKey]?.intValue else { continue }
            guard let json = study.trial(number: holder)?.systemAttrs[stateKey], let state = CMAState(json: json)
            else { return nil }
            return (holder, state)
        }
        return nil
    }

    /// The finished trials sampled from the holder's state, in number order, as (raw point, loss).
    func collectSolutions(holder: Int, dims: CMASpace) -> [(x: [Double], loss: Double)] {
        var out: [(x: [Double], loss: Double)] = []
        let sign: Double = study.direction == .minimize ? 1 : -1
        for t in study.trials[study.index(ofNumber: holder)...] {
            guard t.systemAttrs[stateTrialKey]?.intValue == holder else { continue }
            let value: Double
            if t.state == .complete, let v = t.value {
                value = v
            } else if t.state == .pruned, sampler.considerPrunedTrials, let step = t.lastStep,
                let v = t.intermediateValues[step]
            {
                value = v
            } else {
                continue
            }
            let x: [Double]?
            if sampler.withMargin {
                x = t.systemAttrs["x_for_tell"]?.arrayValue?.compactMap(\.doubleValue)
            } else {
                x = dims.toUnit(t.params)
            }
            guard let x, x.count == dims.names.count else { continue }
            out.append((x, sign * value))
        }
        return out
    }

    /// A new run: mean at `x0`, the centre, or (restarts) a uniform point; step size `sigma0` or 1/6.
    func initialState(dims: CMASpace, popsize: Int, randomMean: Bool, using rng: inout SeededGenerator) -> CMAState {
        let n = dims.names.count
        var mean = [Double](repeating: 0.5, count: n)
        if randomMean {
            mean = (0..<n).map { _ in rng.nextUnit() }
        } else if let x0 = sampler.x0 {
            for (i, name) in dims.names.enumerated() {
                guard let value = x0[name], let v = try? dims.distributions[i].internalValue(of: value, name: name)
                else { continue }
                let u = dims.unit(of: v, at: i)
                mean[i] = min(max(u, 0), 1)
            }
        }
        let variant: CMAState.Variant =
            sampler.withMargin ? .margin : (sampler.useSeparableCMA && n > 1 ? .separable : .full)
        return CMAState(
            variant: variant, names: dims.names, mean: mean, sigma: max(sampler.sigma0 ?? 1.0 / 6, 1e-8),
            popsize: popsize, lrAdapt: sampler.lrAdapt, steps: variant == .margin ? dims.marginSteps : [])
    }

    /// The state itself, or under IPOP/BIPOP a fresh run with a new population size once it should stop.
    func restartIfNeeded(_ state: CMAState, dims: CMASpace, using rng: inout SeededGenerator) -> CMAState {
        guard let strategy = sampler.restartStrategy, state.shouldStop else { return state }
        let inc = sampler.incPopsize == -1 ? 2 : sampler.incPopsize
        let initial = sampler.popsize ?? CMAParameters.defaultPopsize(n: state.n)
        var next = state
        next.restarts += 1
        var popsize = state.popsize * inc
        if strategy == "bipop" {
            let evaluations = state.popsize * state.generation
            if next.poptypeLarge { next.largeEvaluations += evaluations } else { next.smallEvaluations += evaluations }
            if next.smallEvaluations < next.largeEvaluations {
                next.poptypeLarge = false
                let multiplier = CoreMath.pow(Double(inc), Double(next.restartsWithLarge))
                let u = rng.nextUnit()
                popsize = Int((Double(initial) * CoreMath.pow(multiplier, u * u)).rounded(.down))
            } else {
                next.poptypeLarge = true
                next.restartsWithLarge += 1
                popsize = initial * Int(CoreMath.pow(Double(inc), Double(next.restartsWithLarge)))
            }
        }
        var fresh = initialState(dims: dims, popsize: max(popsize, 2), randomMean: true, using: &rng)
        fresh.restarts = next.restarts
        fresh.restartsWithLarge = next.restartsWithLarge
        fresh.poptypeLarge = next.poptypeLarge
        fresh.smallEvaluations = next.smallEvaluations
        fresh.largeEvaluations = next.largeEvaluations
        return fresh
    }
}
