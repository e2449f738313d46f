import Testing

@testable import OptunaCore

@Suite struct GPHypervolumeTests {
    // optuna._hypervolume.get_non_dominated_box_bounds on the same points (as acqf.py calls it) gives,
    // in maximization space, lower [[-5e-324, 1], [0, 0.6], [0.6, 0], [1, -5e-324]] and upper
    // [[inf, inf], [inf, 1], [inf, 0.6], [inf, 0]].
    @Test func boxesOfAKnownTwoDimensionalFront() {
        let y: [[Double]] = [[1, 0], [0, 1], [0.6, 0.6], [0.2, 0.1]]
        let reference = GPBoxDecomposition.referencePoint(y)
        #expect(reference == [5e-324, 5e-324])
        let boxes = GPBoxDecomposition.nonDominatedBoxes(y, referencePoint: reference)
        #expect(boxes.lower == [[-5e-324, 1], [0, 0.6], [0.6, 0], [1, -5e-324]])
        #expect(boxes.upper == [[.infinity, .infinity], [.infinity, 1], [.infinity, 0.6], [.infinity, 0]])
        // (0.8, 0.8) adds the square [0, 0.8]² minus the front's [0, 0.6]²: 0.64 - 0.36.
        let packed = GPImprovementBoxes(boxes, objectives: 2)
        let hvi = [0.8, 0.8].withUnsafeBufferPointer { CoreMath.exp(packed.logImprovement($0.baseAddress!)) }
        #expect(abs(hvi - 0.28) < 1e-12)
    }

    // Optuna (same call) finds 10 boxes and a hypervolume improvement of 0.1532 for (0.7, 0.8, 0.6).
    @Test func boxesOfAThreeDimensionalFront() {
        let y: [[Double]] = [[1, 0, 0.2], [0, 1, 0.3], [0.5, 0.5, 0.5], [0.1, 0.2, 1]]
        let boxes = GPBoxDecomposition.nonDominatedBoxes(y, referencePoint: GPBoxDecomposition.referencePoint(y))
        #expect(boxes.lower.count == 10)
        let packed = GPImprovementBoxes(boxes, objectives: 3)
        let hvi = [0.7, 0.8, 0.6].withUnsafeBufferPointer { CoreMath.exp(packed.logImprovement($0.baseAddress!)) }
        #expect(abs(hvi - 0.1532) < 1e-12)
    }
}

@Suite struct GPAcquisitionGradientTests {
    static func model(seed: UInt64, shift: Double = 0) -> GPRegressor {
        var rng = SeededGenerator(seed: seed)
        let xs = (0..<30).map { i in i % 2 == 1 ? Double(rng.index(below: 2)) : rng.nextUnit() }
        let ys = (0..<15).map { i in CoreMath.sin(5 * xs[2 * i] + shift) + 0.3 * xs[2 * i + 1] }
        let p = GPKernelParameters(inverseSquaredLengthscales: [4, 1], kernelScale: 1.2, noiseVariance: 0.01)
        // Finite data and positive parameters always factorize.
        return GPRegressor(x: xs, y: ys, isCategorical: [false, true], parameters: p)!
    }

    static func checkGradient(_ a: any GPAcquisition, at x: [Double]) {
        let (v, g) = a.valueAndGradient(x)
        #expect(abs(v - a.value(x)) < 1e-12)
        #expect(abs(a.values(x + x, count: 2, dimension: x.count)[1] - v) < 1e-9)
        let fd = gpFiniteDifference({ a.value($0) }, at: x, 0)
        #expect(abs(g[0] - fd) < 1e-4 * max(1, abs(fd)), "\(type(of: a)): \(g[0]) vs \(fd)")
    }

    @Test func singlePointAcquisitionGradients() {
        let gp = Self.model(seed: 1)
        for x in [[0.37, 1.0], [0.9, 0.0]] {
            Self.checkGradient(GPLogEI(gp: gp, threshold: 0.8), at: x)
            Self.checkGradient(GPLogEI(gp: gp, threshold: 30), at: x)
            Self.checkGradient(GPLogPI(gp: gp, threshold: 0.2), at: x)
        }
        let boxes = GPBoxDecomposition.nonDominatedBoxes(
            [[0.5, 0.1], [0.1, 0.6], [-0.2, -0.3]], referencePoint: [0.5, 0.5])
        var rng = SeededGenerator(seed: 9)
        let normals = GPSobol.normal(count: 16, dimension: 2, using: &rng)
        let ehvi = GPLogEHVI(
            gps: [gp, Self.model(seed: 2, shift: 1)], boxes: GPImprovementBoxes(boxes, objectives: 2), normals: normals,
            samples: 16)
        Self.checkGradient(ehvi, at: [0.42, 1.0])
    }

    @Test func qBatchAcquisitionGradients() throws {
        let gp = Self.model(seed: 1)
        let other = Self.model(seed: 2, shift: 1)
        let running: [Double] = [0.2, 1, 0.55, 0]
        var rng = SeededGenerator(seed: 4)
        let objective = try #require(GPConditional(gp: gp, running: running, runningCount: 2, samples: 32, using: &rng))
        let constraint = try #require(GPConditional(gp: other, running: running, runningCount: 2, samples: 32, using: &rng))
        Self.checkGradient(GPQLogEI(objective: objective, constraints: [], threshold: 0.5), at: [0.31, 1.0])
        Self.checkGradient(GPQLogEI(objective: objective, constraints: [(constraint, -0.2)], threshold: 0.5), at: [0.71, 0])
        let ehvi = GPQLogEHVI(objectives: [objective, constraint], constraints: [], observed: [[0.5, 0.1], [0.1, 0.6]])
        Self.checkGradient(ehvi, at: [0.63, 1.0])
    }

    @Test func qBatchValueIsLowestAtARunningPoint() throws {
        let gp = Self.model(seed: 1)
        var rng = SeededGenerator(seed: 4)
        let plain = GPLogEI(gp: gp, threshold: 0.5)
        let running: [Double] = [0.4, 1]
        let cond = try #require(GPConditional(gp: gp, running: running, runningCount: 1, samples: 128, using: &rng))
        let q = GPQLogEI(objective: cond, constraints: [], threshold: 0.5)
        // At the running point the candidate's draws repeat the fantasy's, so the batch gains nothing over
        // the running trial alone: the value there is the floor (plain EI of that point, up to
        // quasi-Monte Carlo error), and points elsewhere can add to it.
        let atRunning = q.value([0.4, 1])
        #expect(abs(atRunning - plain.value([0.4, 1])) < 0.2)
        let grid = (0...20).flatMap { i in [[Double(i) / 20, 0], [Double(i) / 20, 1]] }.map { q.value($0) }
        #expect(atRunning - (grid.min() ?? 0) < 1e-5)
        #expect((grid.max() ?? 0) > atRunning + 1e-3)
    }
}

@Suite struct GPSamplerTests {
    static let mixedSpace: SearchSpace = [
        "a": GPTestStudy.float(-3, 2),
        "b": GPTestStudy.float(1e-3, 10, log: true),
        "c": GPTestStudy.float(0, 1, step: 0.25),
        "d": .int(try! IntDistribution(low: -4, high: 40)),
        "e": .int(try! IntDistribution(low: 1, high: 1000, log: true)),
        "f": .int(try! IntDistribution(low: 0, high: 9, step: 3)),
        "g": .categorical(try! CategoricalDistribution(choices: [.string("x"), .int(3), .null, .bool(true)])),
    ]

    static func mixedObjective(_ v: [Double]) -> Double {
        v[0] * v[0] + CoreMath.log(v[1]) + v[2] + 0.01 * v[3] + CoreMath.log(v[4]) + v[5] + (v[6] == 2 ? -1 : 0)
    }

    @Test func everySampleLiesInItsDistribution() throws {
        let sampler = try GPSampler(nStartupTrials: 4)
        var study = GPTestStudy(space: Self.mixedSpace, seed: 11)
        for i in 0..<12 {
            let p = study.ask(sampler)
            for (name, d) in Self.mixedSpace {
                let v = try #require(p[name])
                #expect(d.contains(v), "trial \(i): \(name) = \(v) not in \(d)")
            }
            study.tell(p, values: [Self.mixedObjective(Self.mixedSpace.keys.sorted().map { p[$0] ?? 0 })])
        }
        // After startup the relative space covers every parameter.
        let trial = FrozenTrial(id: 99, number: 12, state: .running)
        #expect(sampler.inferRelativeSearchSpace(study: study.snapshot, trial: trial).count == Self.mixedSpace.count)
    }

    @Test func sameSeedSameSamplesDifferentSeedDifferentSamples() throws {
        let sampler = try GPSampler(nStartupTrials: 5)
        let space: SearchSpace = ["x": GPTestStudy.float(-5, 10), "y": GPTestStudy.float(0, 15)]
        func run(_ seed: UInt64) -> [[String: Double]] {
            var study = GPTestStudy(space: space, seed: seed)
            var out: [[String: Double]] = []
            for _ in 0..<9 {
                let p = study.ask(sampler)
                out.append(p)
                study.tell(p, values: [GPTestStudy.branin([p["x"] ?? 0, p["y"] ?? 0])])
            }
            return out
        }
        let a = run(1)
        #expect(a == run(1))
        #expect(a.suffix(4) != run(2).suffix(4))
    }

    @Test func beatsRandomSearchOnBraninAtFortyTrials() throws {
        let space: SearchSpace = ["x": GPTestStudy.float(-5, 10), "y": GPTestStudy.float(0, 15)]
        var gpStudy = GPTestStudy(space: space, seed: 0)
        var randomStudy = GPTestStudy(space: space, seed: 0)
        let gp = gpStudy.optimize(try GPSampler(), count: 40, GPTestStudy.branin)
        let random = randomStudy.optimize(RandomSampler(), count: 40, GPTestStudy.branin)
        // Branin's minimum is 0.397887.
        #expect(gp < 0.40)
        #expect(gp < random)
    }

    @Test func startupTrialsAreUniformAndDeterministicObjectiveIsAccepted() throws {
        let sampler = try GPSampler(nStartupTrials: 3, deterministicObjective: true)
        let space: SearchSpace = ["x": GPTestStudy.float(0, 1)]
        var study = GPTestStudy(space: space, seed: 2)
        let trial = FrozenTrial(id: 0, number: 0, state: .running)
        var rng = SeededGenerator(seed: 0)
        #expect(sampler.sampleRelative(study: study.snapshot, trial: trial, searchSpace: space, using: &rng) == [:])
        let best = study.optimize(sampler, count: 12) { ($0[0] - 0.3) * ($0[0] - 0.3) }
        #expect(best < 1e-3)
    }

    @Test func runningTrialsPushTheNextSampleAway() throws {
        let sampler = try GPSampler(nStartupTrials: 5)
        let space: SearchSpace = ["x": GPTestStudy.float(-5, 10), "y": GPTestStudy.float(0, 15)]
        var study = GPTestStudy(space: space, seed: 3)
        _ = study.optimize(sampler, count: 15, GPTestStudy.branin)
        let first = study.ask(sampler)
        study.tell(first, values: nil)
        let second = study.ask(sampler)
        let dx = (first["x"] ?? 0) - (second["x"] ?? 0)
        let dy = (first["y"] ?? 0) - (second["y"] ?? 0)
        #expect(dx * dx + dy * dy > 1e-4)
        for (name, d) in space { #expect(d.contains(second[name] ?? .nan)) }
    }

    @Test(arguments: [1, 2])
    func constrainedAndMultiObjectiveStudiesSampleValidPoints(objectives: Int) throws {
        let sampler = try GPSampler(nStartupTrials: 5)
        let space: SearchSpace = ["x": GPTestStudy.float(0, 1), "n": .int(try IntDistribution(low: 0, high: 30))]
        var study = GPTestStudy(directions: Array(repeating: .minimize, count: objectives), space: space, seed: 4)
        for i in 0..<12 {
            let p = study.ask(sampler)
            for (name, d) in space { #expect(d.contains(p[name] ?? .nan)) }
            let x = p["x"] ?? 0
            let n = p["n"] ?? 0
            let values = objectives == 1 ? [x + n / 30] : [x, 1 - x + n / 30]
            if i == 9 {
                study.tell(p, values: nil)
            } else {
                study.tell(p, values: values, constraints: [x - 0.6])
            }
        }
    }

    @Test func catalogSpecFillsOptunaDefaults() throws {
        let spec = try SamplerCatalog.shared.normalize(.object(["type": .string("GPSampler"), "seed": .int(3)]))
        #expect(spec.type == "gp")
        #expect(spec.options["n_startup_trials"] == .int(10))
        #expect(spec.options["deterministic_objective"] == .bool(false))
        let sampler = try #require(try SamplerCatalog.shared.make(spec) as? GPSampler)
        #expect(sampler.seed == 3)
        #expect(throws: StudyError.self) { try SamplerCatalog.shared.normalize(.object(["type": .string("gp"), "beta": 1])) }
    }
}
