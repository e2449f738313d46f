import Testing

@testable import OptunaCore

/// A TPE sampler rebuilt for every call, so it never reuses its per-study cache.
struct ColdTPESampler: Sampler {
    let make: @Sendable () -> TPESampler

    func inferRelativeSearchSpace(study: StudySnapshot, trial: FrozenTrial) -> SearchSpace {
        make().inferRelativeSearchSpace(study: study, trial: trial)
    }

    func sampleRelative(
        study: StudySnapshot, trial: FrozenTrial, searchSpace: SearchSpace, using rng: inout SeededGenerator
    ) -> [String: Double] {
        make().sampleRelative(study: study, trial: trial, searchSpace: searchSpace, using: &rng)
    }

    func sampleIndependent(
        study: StudySnapshot, trial: FrozenTrial, name: String, distribution: Distribution,
        using rng: inout SeededGenerator
    ) -> Double {
        make().sampleIndependent(study: study, trial: trial, name: name, distribution: distribution, using: &rng)
    }
}

/// A sampler configuration and study shape exercised end to end.
struct TPEScenario: Sendable, CustomTestStringConvertible {
    let name: String
    let directions: [StudyDirection]
    let make: @Sendable () -> TPESampler
    let conditional: Bool
    var testDescription: String { name }

    static let mixedSpace: [String: Distribution] = [
        "x": float(-5, 5), "lr": float(1e-5, 1, log: true), "n": int(1, 64, log: true), "k": int(0, 20, step: 2),
        "q": float(0, 1, step: 0.125), "c": categorical(4),
    ]

    /// Runs 45 trials in batches of three concurrent asks, told out of order, with pruned, failed and
    /// infeasible trials mixed in; returns every trial's parameters.
    func run(_ sampler: any Sampler, seed: UInt64) -> [[String: Double]] {
        var study = TPETestStudy(directions: directions, seed: seed)
        for batch in 0..<15 {
            var numbers: [Int] = []
            for j in 0..<3 {
                var space = Self.mixedSpace
                if conditional {
                    space =
                        (batch + j) % 2 == 0
                        ? ["c": categorical(4), "x": float(-5, 5)] : ["c": categorical(4), "y": int(0, 9)]
                }
                numbers.append(study.ask(sampler, space))
            }
            for (j, n) in numbers.reversed().enumerated() {
                let p = study.params(n)
                let f = p.values.reduce(0) { $0 + ($1 - 0.5) * ($1 - 0.5) }
                let values = directions.indices.map { f + Double($0) * (p["x"] ?? p["y"] ?? 0) }
                switch (batch * 3 + j) % 7 {
                case 3: study.tell(n, nil, state: .pruned, intermediate: [1: f, 2: f / 2])
                case 5: study.tell(n, nil, state: .fail)
                case 6: study.tell(n, values, constraints: [f - 2, -1])
                default: study.tell(n, values)
                }
            }
            if batch % 4 == 1 { study.ask(sampler, Self.mixedSpace) }  // left RUNNING for the liar
        }
        return study.snapshot.trials.map(\.params)
    }

    static let all: [TPEScenario] = [
        .init(name: "multivariate", directions: [.minimize], make: { try! TPESampler(seed: 1) }, conditional: false),
        .init(
            name: "independent", directions: [.maximize],
            make: { try! TPESampler(seed: 1, multivariate: false) }, conditional: false),
        .init(
            name: "group, conditional", directions: [.minimize],
            make: { try! TPESampler(seed: 1, group: true) }, conditional: true),
        .init(
            name: "multivariate, conditional", directions: [.minimize], make: { try! TPESampler(seed: 1) },
            conditional: true),
        .init(
            name: "two objectives", directions: [.minimize, .maximize], make: { try! TPESampler(seed: 1) },
            conditional: false),
        .init(
            name: "three objectives, multivariate", directions: [.minimize, .minimize, .minimize],
            make: { try! TPESampler(nStartupTrials: 5, seed: 1, multivariate: true) }, conditional: false),
        .init(
            name: "no liar, endpoints, no clip", directions: [.minimize],
            make: {
                try! TPESampler(
                    nStartupTrials: 4, seed: 1, constantLiar: false, priorWeight: 0.5, considerMagicClip: false,
                    considerEndpoints: true)
            }, conditional: false),
    ]
}

@Suite("TPE sampler")
struct TPESamplerTests {
    @Test("a long-lived sampler samples exactly as one rebuilt for every call", arguments: TPEScenario.all)
    func cacheNeverChangesResults(_ scenario: TPEScenario) {
        let warm = scenario.run(scenario.make(), seed: 42)
        let cold = scenario.run(ColdTPESampler(make: scenario.make), seed: 42)
        #expect(warm == cold)
    }

    @Test("fixed seeds give identical studies; other seeds differ", arguments: TPEScenario.all)
    func deterministic(_ scenario: TPEScenario) {
        let a = scenario.run(scenario.make(), seed: 3)
        let b = scenario.run(scenario.make(), seed: 3)
        let c = scenario.run(scenario.make(), seed: 4)
        #expect(a == b)
        #expect(a != c)
    }

    @Test(
        "every sample lies in its distribution",
        arguments: [
            float(-5, 5), float(1e-5, 1e3, log: true), float(0, 1, step: 0.1), float(2, 2.5), int(0, 10),
            int(-7, 13, step: 4), int(1, 1000, log: true), int(3, 4), categorical(5), categorical(2),
        ], [true, false])
    func samplesInDistribution(_ distribution: Distribution, multivariate: Bool) throws {
        let sampler = try TPESampler(nStartupTrials: 5, seed: 9, multivariate: multivariate)
        var study = TPETestStudy(seed: 9)
        let space = ["a": distribution, "b": float(0, 1)]
        study.optimize(sampler, space, count: 60) { p in [abs((p["a"] ?? 0) - 1.3) + (p["b"] ?? 0)] }
        for trial in study.snapshot.trials {
            let a = try #require(trial.params["a"])
            #expect(distribution.contains(a), "\(a) not in \(distribution)")
        }
    }

    @Test("during startup TPE samples exactly as the random sampler")
    func startupIsRandom() throws {
        let space = TPEScenario.mixedSpace
        var tpe = TPETestStudy(seed: 5)
        var random = TPETestStudy(seed: 5)
        let sampler = try TPESampler(seed: 5)
        let sphere: ([String: Double]) -> [Double] = { p in [p.values.reduce(0) { $0 + $1 * $1 }] }
        tpe.optimize(sampler, space, count: 10, sphere)
        random.optimize(RandomSampler(seed: 5), space, count: 10, sphere)
        #expect(tpe.snapshot.trials.map(\.params) == random.snapshot.trials.map(\.params))
        tpe.optimize(sampler, space, count: 1, sphere)
        random.optimize(RandomSampler(seed: 5), space, count: 1, sphere)
        #expect(tpe.snapshot.trials[10].params != random.snapshot.trials[10].params)
    }

    /// The best value of 80 trials on a 5-dimensional quadratic (minimum 0 at x = 1).
    static func bestOnQuadratic(_ sampler: any Sampler, seed: UInt64) -> Double {
        let space = Dictionary(uniqueKeysWithValues: (0..<5).map { ("x\($0)", float(-10, 10)) })
        var study = TPETestStudy(seed: seed)
        let values = study.optimize(sampler, space, count: 80) { p in [p.values.reduce(0) { $0 + ($1 - 1) * ($1 - 1) }]
        }
        return values.map { $0[0] }.min() ?? .infinity
    }

    @Test("multivariate TPE beats random search on a 5-dimensional quadratic", arguments: [1, 2, 3] as [UInt64])
    func beatsRandom(seed: UInt64) throws {
        let tpe = Self.bestOnQuadratic(try TPESampler(seed: Int64(seed)), seed: seed)
        let random = Self.bestOnQuadratic(RandomSampler(), seed: seed)
        #expect(tpe < random / 4, "TPE \(tpe) vs random \(random)")
    }

    @Test("independent TPE beats random search on a 5-dimensional quadratic over five seeds")
    func independentBeatsRandom() throws {
        var tpe = 0.0
        var random = 0.0
        for seed in 0..<5 as Range<UInt64> {
            tpe += Self.bestOnQuadratic(try TPESampler(seed: Int64(seed), multivariate: false), seed: seed)
            random += Self.bestOnQuadratic(RandomSampler(), seed: seed)
        }
        #expect(tpe < random, "TPE \(tpe) vs random \(random)")
    }

    @Test("with no startup trials the first samples come from the prior alone")
    func noStartup() throws {
        let sampler = try TPESampler(nStartupTrials: 0, seed: 3)
        var study = TPETestStudy(seed: 3)
        study.optimize(sampler, TPEScenario.mixedSpace, count: 3) { p in [p.values.reduce(0, +)] }
        for trial in study.snapshot.trials {
            for (name, d) in TPEScenario.mixedSpace { #expect(d.contains(trial.params[name] ?? .nan)) }
        }
    }

    @Test func multivariateDefaultFollowsObjectives() throws {
        let one = StudySnapshot(studyID: 1, name: "a", directions: [.minimize])
        let two = StudySnapshot(studyID: 2, name: "b", directions: [.minimize, .maximize])
        #expect(try TPESampler().isMultivariate(for: one))
        #expect(try !TPESampler().isMultivariate(for: two))
        #expect(try TPESampler(group: true).isMultivariate(for: two))
        #expect(try !TPESampler(multivariate: false).isMultivariate(for: one))
        #expect(throws: StudyError.self) { try TPESampler(multivariate: false, group: true) }
        #expect(throws: StudyError.self) { try TPESampler(priorWeight: -1) }
        #expect(throws: StudyError.self) { try TPESampler(nEICandidates: 0) }
    }
}
