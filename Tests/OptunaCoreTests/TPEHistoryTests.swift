import Testing

@testable import OptunaCore

/// A finished or running trial for history tests.
func tpeTrial(
    _ number: Int, _ state: TrialState, value: Double? = nil, params: [String: Double] = ["x": 0.5],
    distributions: [String: Distribution]? = nil, intermediate: [Int: Double] = [:], constraints: [Double]? = nil
) -> FrozenTrial {
    var t = FrozenTrial(
        id: Int64(number) + 1, number: number, state: state, params: params,
        distributions: distributions ?? params.mapValues { _ in float(0, 1) }, values: value.map { [$0] },
        intermediateValues: intermediate)
    if let constraints { t.systemAttrs[FrozenTrial.constraintsKey] = .array(constraints.map(JSONValue.double)) }
    return t
}

func history(_ trials: [FrozenTrial], directions: [StudyDirection] = [.minimize], groups: Bool = false) -> TPEHistory {
    let h = TPEHistory(studyID: 1, studyName: "s", directions: directions, tracksGroups: groups)
    let ok = h.sync(with: StudySnapshot(studyID: 1, name: "s", directions: directions, trials: trials))
    #expect(ok)
    return h
}

@Suite("TPE history and split")
struct TPEHistoryTests {
    @Test("pruned trials rank by latest step, then best last value, as Optuna")
    func prunedRanking() {
        var trials = [tpeTrial(0, .complete, value: 5)]
        for n in 1..<20 {
            var reported: [Int: Double] = [0: 100]
            reported[n % 4] = Double(20 - n)
            trials.append(tpeTrial(n, .pruned, intermediate: reported))
        }
        trials.append(tpeTrial(20, .pruned))  // no intermediate values: ranked last
        let h = history(trials)
        // gamma(21) = 3: the complete trial, then pruned 19 (step 3, value 1), then 15 (step 3, value 5).
        #expect(h.markBelow(nBelow: TPEWeighting.gamma(21, multiObjective: false)) == [0, 15, 19])
        let maximizing = history(trials, directions: [.maximize])
        #expect(maximizing.markBelow(nBelow: 3) == [0, 3, 7])
    }

    @Test("a NaN last value ranks after every other value at the same step")
    func prunedNaN() {
        let trials = [
            tpeTrial(0, .pruned, intermediate: [2: .nan]), tpeTrial(1, .pruned, intermediate: [2: 9]),
            tpeTrial(2, .pruned, intermediate: [1: 0]),
        ]
        #expect(history(trials).markBelow(nBelow: 1) == [1])
        #expect(history(trials).markBelow(nBelow: 2) == [0, 1])
    }

    @Test("infeasible trials join below only after every feasible one, least violation first")
    func constraints() {
        var trials: [FrozenTrial] = []
        for n in 0..<10 {
            // Trials 0–4 have the best values but violate a constraint by 5 - n.
            let violation = n < 5 ? [Double(5 - n), -1] : [-1, 0]
            trials.append(tpeTrial(n, .complete, value: Double(n), constraints: violation))
        }
        let h = history(trials)
        #expect(h.markBelow(nBelow: 2) == [5, 6])
        h.clearBelow([5, 6])
        #expect(h.markBelow(nBelow: 7) == [3, 4, 5, 6, 7, 8, 9])
    }

    @Test("the relative spaces: intersection of equal distributions, groups of co-occurring parameters")
    func spaces() {
        let a = float(0, 1)
        let trials = [
            tpeTrial(0, .complete, value: 1, params: ["a": 0.1, "x": 0.2], distributions: ["a": a, "x": a]),
            tpeTrial(1, .complete, value: 1, params: ["a": 0.1, "y": 0.2], distributions: ["a": a, "y": int(0, 3)]),
            tpeTrial(2, .running, params: ["z": 0.3], distributions: ["z": a]),
            tpeTrial(3, .fail, params: ["w": 0.3], distributions: ["w": a]),
            tpeTrial(
                4, .pruned, params: ["a": 0.1, "x": 0.2, "s": 3], distributions: ["a": a, "x": a, "s": int(3, 3)]),
        ]
        let h = history(trials, groups: true)
        #expect(h.spaces.intersectionSpace == ["a": a])
        let groups = h.spaces.groupSpaces.map { $0.map(\.name) }
        // "s" is single-valued and left out, which empties its group.
        #expect(groups == [["a"], ["x"], ["y"]])

        var changed = trials
        changed.append(
            tpeTrial(5, .complete, value: 2, params: ["a": 0.5, "x": 0.1], distributions: ["a": float(0, 2), "x": a]))
        #expect(history(changed).spaces.intersectionSpace.isEmpty)
    }

    @Test("the above density holds every non-below trial and, with the constant liar, the running ones")
    func constantLiar() throws {
        var trials = (0..<20).map { tpeTrial($0, .complete, value: Double($0), params: ["x": Double($0) / 20]) }
        trials.append(tpeTrial(20, .running, params: ["x": 0.33]))
        trials.append(tpeTrial(21, .running, params: [:], distributions: [:]))  // nothing sampled yet
        trials.append(tpeTrial(22, .running, params: ["x": 0.66]))  // the trial being sampled
        let study = StudySnapshot(studyID: 1, name: "s", directions: [.minimize], trials: trials)
        for liar in [true, false] {
            let sampler = try TPESampler(seed: 1, constantLiar: liar)
            let estimators = sampler.store.withHistory(for: study) { h -> [Int] in
                let p = TPEParameter(
                    name: "x", dimension: ParzenDimension(float(0, 1)),
                    column: h.column("x", isLog: false, snapshot: study))
                let below = h.markBelow(nBelow: 2)
                defer { h.clearBelow(below) }
                let running = liar ? sampler.runningRows(h, study: study, current: 22, [p]) : []
                let above = h.aboveEstimator([p], running: running, options: sampler.parzenParameters)
                return [above.observationCount, Int((above.mu[above.observationCount - 1] * 100).rounded())]
            }
            // 18 finished trials above; the liar adds trial 20 (at 0.33), the newest, so last in number order.
            #expect(estimators == (liar ? [19, 33] : [18, 95]))
        }
    }

    struct PatchCase: Sendable, CustomTestStringConvertible {
        let trials: Int
        let running: Int
        let nBelow: Int
        let considerEndpoints: Bool
        let magicClip: Bool
        let seed: UInt64
        var testDescription: String {
            "\(trials) trials, \(running) running, \(nBelow) below, endpoints \(considerEndpoints), clip \(magicClip)"
        }
    }

    @Test(
        "patched above bandwidths equal the full walk's bit for bit",
        arguments: [
            PatchCase(trials: 1, running: 0, nBelow: 0, considerEndpoints: false, magicClip: true, seed: 1),
            PatchCase(trials: 2, running: 0, nBelow: 1, considerEndpoints: false, magicClip: true, seed: 2),
            PatchCase(trials: 3, running: 2, nBelow: 1, considerEndpoints: true, magicClip: false, seed: 3),
            PatchCase(trials: 12, running: 0, nBelow: 2, considerEndpoints: false, magicClip: false, seed: 4),
            PatchCase(trials: 40, running: 5, nBelow: 4, considerEndpoints: false, magicClip: true, seed: 5),
            PatchCase(trials: 40, running: 5, nBelow: 4, considerEndpoints: true, magicClip: false, seed: 6),
            PatchCase(trials: 300, running: 12, nBelow: 25, considerEndpoints: false, magicClip: false, seed: 7),
            PatchCase(trials: 300, running: 3, nBelow: 25, considerEndpoints: true, magicClip: true, seed: 8),
            PatchCase(trials: 60, running: 30, nBelow: 6, considerEndpoints: false, magicClip: false, seed: 9),
        ])
    func patchedBandwidths(_ c: PatchCase) throws {
        var rng = SeededGenerator(seed: c.seed)
        // Values on a coarse grid too, so that ties (broken by trial number) and zero gaps occur.
        func value(_ i: Int) -> Double { i % 3 == 0 ? Double(Int(rng.nextUnit() * 8)) / 8 : rng.nextUnit() }
        var trials: [FrozenTrial] = []
        for n in 0..<c.trials {
            let params = ["x": value(n), "y": value(n), "z": value(n)]
            trials.append(tpeTrial(n, .complete, value: rng.nextUnit(), params: params))
        }
        for n in c.trials..<(c.trials + c.running) {
            trials.append(tpeTrial(n, .running, params: ["x": value(n), "y": value(n), "z": value(n)]))
        }
        let current = trials.count
        trials.append(tpeTrial(current, .running, params: [:], distributions: [:]))
        let study = StudySnapshot(studyID: 1, name: "s", directions: [.minimize], trials: trials)
        let sampler = try TPESampler(seed: 1, considerMagicClip: c.magicClip, considerEndpoints: c.considerEndpoints)
        // Columns made from the first half, then grown trial by trial (the interior gaps kept up to date
        // on insertion), as in a long-lived history.
        let firstHalf = StudySnapshot(
            studyID: 1, name: "s", directions: [.minimize], trials: Array(trials.prefix(c.trials / 2)))
        _ = sampler.store.withHistory(for: firstHalf) { h in
            for name in ["x", "y", "z"] { _ = h.column(name, isLog: false, snapshot: firstHalf) }
        }
        let (patched, walked) =
            sampler.store.withHistory(for: study) { h -> ([Double], [Double]) in
                let parameters = ["x", "y", "z"].map { name in
                    TPEParameter(
                        name: name, dimension: ParzenDimension(float(0, 1)),
                        column: h.column(name, isLog: false, snapshot: study))
                }
                let below = h.markBelow(nBelow: c.nBelow)
                defer { h.clearBelow(below) }
                let running = sampler.runningRows(h, study: study, current: current, parameters)
                #expect(running.count == c.running)
                h.patchesBandwidths = true
                let patched = h.aboveEstimator(parameters, running: running, options: sampler.parzenParameters).sigma
                    .elements
                h.patchesBandwidths = false
                let walked = h.aboveEstimator(parameters, running: running, options: sampler.parzenParameters).sigma
                    .elements
                return (patched, walked)
            } ?? ([], [])
        #expect(!patched.isEmpty)
        #expect(patched.map(\.bitPattern) == walked.map(\.bitPattern))
    }

    @Test("a snapshot that contradicts the history is refused, so the store starts over")
    func contradiction() {
        let trials = (0..<3).map { tpeTrial($0, .complete, value: 1) }
        let h = history(trials)
        #expect(!h.sync(with: StudySnapshot(studyID: 1, name: "s", directions: [.minimize], trials: [])))
        var other = trials
        other[2].id = 99
        #expect(!h.sync(with: StudySnapshot(studyID: 1, name: "s", directions: [.minimize], trials: other)))
    }
}
