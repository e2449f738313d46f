/// The q-batch log expected improvement with RUNNING trials (Optuna's `qLogEI`, and `qLogCEI` when
/// constraints are given).
///
/// In each sample `s`, the batch is the running trials' fantasies plus the candidate; its utility is the
/// largest, over the batch, of `log max(y - threshold, ε)` plus, per constraint, `log σ((y_c - t_c)/τ)`
/// (τ = 0.01). The value is the log mean over samples of the exponentiated utilities. A candidate close
/// to a running trial adds little beyond that trial's fantasy, so parallel workers spread out.
struct GPQLogEI: GPAcquisition {
    let objective: GPConditional
    /// Each constraint's conditional GP and the threshold of feasibility in its standardized units.
    let constraints: [(GPConditional, Double)]
    /// The best feasible standardized value; `-∞` drops the improvement term.
    let threshold: Double
    /// The per-sample utility of the running trials (the batch without the candidate).
    private let runningBest: [Double]
    static let tau = 0.01

    init(objective: GPConditional, constraints: [(GPConditional, Double)], threshold: Double) {
        self.objective = objective
        self.constraints = constraints
        self.threshold = threshold
        let nr = objective.runningCount
        var best = [Double](repeating: -.infinity, count: objective.samples)
        for s in 0..<objective.samples {
            for r in 0..<nr {
                var u = Self.improvement(objective.fantasies[s * nr + r], threshold)
                for (c, t) in constraints { u += GPNormalMath.logSigmoid((c.fantasies[s * nr + r] - t) / Self.tau) }
                best[s] = max(best[s], u)
            }
        }
        runningBest = best
    }

    private static func improvement(_ y: Double, _ threshold: Double) -> Double {
        threshold > -.infinity ? CoreMath.log(max(y - threshold, GPImprovementBoxes.epsilon)) : 0
    }

    func value(_ x: [Double]) -> Double { evaluate(x, wantGradient: false).value }

    func valueAndGradient(_ x: [Double]) -> (value: Double, gradient: [Double]) { evaluate(x, wantGradient: true) }

    private func evaluate(_ x: [Double], wantGradient: Bool) -> (value: Double, gradient: [Double]) {
        x.withUnsafeBufferPointer { xb -> (Double, [Double]) in
            let p = xb.baseAddress!
            let samples = objective.samples
            let draw = objective.draw(p, needsGradient: wantGradient)
            let constraintDraws = constraints.map { $0.0.draw(p, needsGradient: wantGradient) }
            var utility = [Double](repeating: 0, count: samples)
            var candidateWins = [Bool](repeating: false, count: samples)
            for s in 0..<samples {
                var u = Self.improvement(draw.values[s], threshold)
                for (k, (_, t)) in constraints.enumerated() {
                    u += GPNormalMath.logSigmoid((constraintDraws[k].values[s] - t) / Self.tau)
                }
                candidateWins[s] = u >= runningBest[s]
                utility[s] = max(u, runningBest[s])
            }
            let logTotal = GPMath.logSumExp(utility)
            let value = logTotal - CoreMath.log(Double(samples))
            var gradient = [Double](repeating: 0, count: wantGradient ? x.count : 0)
            guard wantGradient else { return (value, gradient) }
            var dObjective = [Double](repeating: 0, count: samples)
            var dConstraints = [[Double]](repeating: [Double](repeating: 0, count: samples), count: constraints.count)
            for s in 0..<samples where candidateWins[s] {
                let w = CoreMath.exp(utility[s] - logTotal)
                let gap = draw.values[s] - threshold
                if threshold > -.infinity, gap > GPImprovementBoxes.epsilon { dObjective[s] = w / gap }
                for (k, (_, t)) in constraints.enumerated() {
                    dConstraints[k][s] =
                        w * GPNormalMath.logSigmoidDerivative((constraintDraws[k].values[s] - t) / Self.tau) / Self.tau
                }
            }
            objective.addGradient(p, draw, dValues: dObjective, into: &gradient)
            for (k, (c, _)) in constraints.enumerated() {
                c.addGradient(p, constraintDraws[k], dValues: dConstraints[k], into: &gradient)
            }
            return (value, gradient)
        }
    }
}

/// The q-batch log expected hypervolume improvement with RUNNING trials (Optuna's `qLogEHVI`, and the
/// feasible branch of `qLogCEHVI` when constraints are given).
///
/// Each sample's baseline front is the observed (feasible) values plus that sample's fantasies at the
/// running trials (only those whose constraint fantasies are all feasible); the candidate's sampled
/// values improve on it by a hypervolume, weighted by `Π_c σ((y_c - t_c)/τ)`. The value is the log mean.
struct GPQLogEHVI: GPAcquisition {
    let objectives: [GPConditional]
    let constraints: [(GPConditional, Double)]
    /// One box decomposition per sample.
    let boxes: [GPImprovementBoxes]

    /// Builds the per-sample baselines from `observed` (maximized, standardized rows).
    init(objectives: [GPConditional], constraints: [(GPConditional, Double)], observed: [[Double]]) {
        self.objectives = objectives
        self.constraints = constraints
        let reference = GPBoxDecomposition.referencePoint(observed)
        let m = objectives.count
        guard let first = objectives.first else {
            boxes = []
            return
        }
        let nr = first.runningCount
        boxes = (0..<first.samples).map { s in
            var rows = observed
            for r in 0..<nr {
                let feasible = constraints.allSatisfy { c, t in c.fantasies[s * nr + r] >= t }
                if feasible { rows.append(objectives.map { $0.fantasies[s * nr + r] }) }
            }
            return GPImprovementBoxes(GPBoxDecomposition.nonDominatedBoxes(rows, referencePoint: reference), objectives: m)
        }
    }

    func value(_ x: [Double]) -> Double { evaluate(x, wantGradient: false).value }

    func valueAndGradient(_ x: [Double]) -> (value: Double, gradient: [Double]) { evaluate(x, wantGradient: true) }

    private func evaluate(_ x: [Double], wantGradient: Bool) -> (value: Double, gradient: [Double]) {
        x.withUnsafeBufferPointer { xb -> (Double, [Double]) in
            let p = xb.baseAddress!
            let m = objectives.count
            let samples = boxes.count
            let draws = objectives.map { $0.draw(p, needsGradient: wantGradient) }
            let constraintDraws = constraints.map { $0.0.draw(p, needsGradient: wantGradient) }
            var utility = [Double](repeating: 0, count: samples)
            var y = [Double](repeating: 0, count: m)
            for s in 0..<samples {
                for j in 0..<m { y[j] = draws[j].values[s] }
                var u = y.withUnsafeBufferPointer { boxes[s].logImprovement($0.baseAddress!) }
                for (k, (_, t)) in constraints.enumerated() {
                    u += GPNormalMath.logSigmoid((constraintDraws[k].values[s] - t) / GPQLogEI.tau)
                }
                utility[s] = u
            }
            let logTotal = GPMath.logSumExp(utility)
            let value = logTotal - CoreMath.log(Double(max(samples, 1)))
            var gradient = [Double](repeating: 0, count: wantGradient ? x.count : 0)
            guard wantGradient else { return (value, gradient) }
            var dObjectives = [[Double]](repeating: [Double](repeating: 0, count: samples), count: m)
            var dConstraints = [[Double]](repeating: [Double](repeating: 0, count: samples), count: constraints.count)
            var dy = [Double](repeating: 0, count: m)
            for s in 0..<samples {
                let w = CoreMath.exp(utility[s] - logTotal)
                guard w > 0 else { continue }
                for j in 0..<m {
                    y[j] = draws[j].values[s]
                    dy[j] = 0
                }
                y.withUnsafeBufferPointer { yb in
                    dy.withUnsafeMutableBufferPointer {
                        _ = boxes[s].logImprovement(yb.baseAddress!, gradient: $0.baseAddress!, weight: w)
                    }
                }
                for j in 0..<m { dObjectives[j][s] = dy[j] }
                for (k, (_, t)) in constraints.enumerated() {
                    dConstraints[k][s] =
                        w * GPNormalMath.logSigmoidDerivative((constraintDraws[k].values[s] - t) / GPQLogEI.tau)
                        / GPQLogEI.tau
                }
            }
            for j in 0..<m { objectives[j].addGradient(p, draws[j], dValues: dObjectives[j], into: &gradient) }
            for (k, (c, _)) in constraints.enumerated() {
                c.addGradient(p, constraintDraws[k], dValues: dConstraints[k], into: &gradient)
            }
            return (value, gradient)
        }
    }
}
