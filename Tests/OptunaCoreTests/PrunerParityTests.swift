import Foundation
import OptunaCore
import Testing

/// Replays studies recorded from Python Optuna 5.0.0 (`tests/parity/pruner_parity.py`) through optunad's
/// pruners and requires every decision, and every Hyperband sampler view, to be Optuna's.
@Suite struct PrunerParityTests {
    static let kinds = [
        "median", "percentile", "successive_halving", "hyperband", "threshold", "patient", "wilcoxon", "nop",
    ]

    @Test(arguments: kinds)
    func decisionsMatchOptuna(kind: String) throws {
        let fixture = try #require(ParityFixture.shared, "the parity fixture did not load")
        let studies = fixture.studies.filter { $0.pruner["type"]?.stringValue == kind }
        #expect(!studies.isEmpty)
        var decisions = 0
        var views = 0
        var mismatches: [String] = []
        for (index, study) in studies.enumerated() {
            let result = try ParityReplay.run(study)
            decisions += result.decisions
            views += result.views
            mismatches += result.mismatches.map { "\(kind) study \(index) (\(study.name)): \($0)" }
        }
        #expect(decisions > 0)
        if kind == "hyperband" { #expect(views > 0) }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(decisions) differ: \(mismatches.prefix(8))")
    }

    @Test func fixtureSpecsNormalizeToThemselves() throws {
        let fixture = try #require(ParityFixture.shared)
        for study in fixture.studies {
            let spec = try PrunerCatalog.shared.normalize(study.pruner)
            #expect(spec.json == study.pruner, "\(study.pruner)")
        }
    }
}

/// One recorded study (see `Recorder` in `tests/parity/pruner_parity.py` for the format).
struct ParityStudy {
    /// One trial: its reports in reporting order, and how it ended.
    struct Trial {
        var reports: [(step: Int, value: Double)]
        var end: [JSONValue]
    }

    let pruner: JSONValue
    let direction: StudyDirection
    let name: String
    let trials: [Trial]
    let schedule: [Substring]
    let decisions: [Bool]
    let views: [[Int]]?

    init?(_ s: JSONValue) {
        guard let pruner = s["pruner"], let direction = s["direction"]?.stringValue.flatMap(StudyDirection.init(name:)),
            let name = s["name"]?.stringValue, let trials = s["trials"]?.arrayValue,
            let schedule = s["schedule"]?.stringValue, let decisions = s["decisions"]?.stringValue
        else { return nil }
        self.pruner = pruner
        self.direction = direction
        self.name = name
        self.schedule = schedule.split(separator: " ")
        self.decisions = decisions.map { $0 == "1" }
        self.views = s["views"]?.arrayValue?.map { $0.arrayValue?.compactMap(\.intValue) ?? [] }
        var parsed: [Trial] = []
        for t in trials {
            guard let parts = t.arrayValue, parts.count == 3, let values = parts[1].arrayValue?.map(\.doubleValue),
                let steps = Self.steps(parts[0]), steps.count == values.count
            else { return nil }
            parsed.append(Trial(reports: zip(steps, values).map { ($0, $1 ?? .nan) }, end: parts[2].arrayValue ?? []))
        }
        self.trials = parsed
    }

    /// A list of steps, or `"start:stride:count"`.
    private static func steps(_ json: JSONValue) -> [Int]? {
        if let list = json.arrayValue { return list.compactMap(\.intValue) }
        let p = json.stringValue?.split(separator: ":").compactMap { Int($0) } ?? []
        guard p.count == 3 else { return nil }
        return (0..<p[2]).map { p[0] + $0 * p[1] }
    }
}

/// The parsed fixture file.
struct ParityFixture {
    let studies: [ParityStudy]

    static let shared: ParityFixture? = {
        guard
            let url = Bundle.module.url(forResource: "pruner_parity", withExtension: "json", subdirectory: "Fixtures"),
            let data = try? Data(contentsOf: url),
            let json = try? JSONParser.parse(Array(data)),
            let list = json["studies"]?.arrayValue
        else { return nil }
        let studies = list.compactMap(ParityStudy.init)
        return studies.count == list.count ? ParityFixture(studies: studies) : nil
    }()
}

/// Replays one study's schedule: asks, reports (each followed by a decision) and tells.
enum ParityReplay {
    struct Result {
        var decisions = 0
        var views = 0
        var mismatches: [String] = []
    }

    static func run(_ study: ParityStudy) throws -> Result {
        let pruner = try PrunerCatalog.shared.make(PrunerCatalog.shared.normalize(study.pruner))
        var trials: [FrozenTrial] = []
        var nextReport = [Int](repeating: 0, count: study.trials.count)
        var result = Result()
        var clock = 0.0
        func snapshot() -> StudySnapshot {
            StudySnapshot(studyID: 1, name: study.name, directions: [study.direction], trials: trials)
        }
        for token in study.schedule {
            clock += 1
            if token == "a" {
                let trial = FrozenTrial(id: Int64(trials.count), number: trials.count, state: .running)
                if let views = study.views {
                    let expected = try #require(views.dropFirst(result.views).first)
                    let got = pruner.samplerView(
                        of: StudySnapshot(
                            studyID: 1, name: study.name, directions: [study.direction], trials: trials + [trial]),
                        for: trial
                    ).trials.map(\.number)
                    if got != expected {
                        result.mismatches.append("view of trial \(trial.number): \(got), Optuna \(expected)")
                    }
                    result.views += 1
                }
                trials.append(trial)
            } else if token.hasPrefix("t") {
                let n = try #require(Int(token.dropFirst()))
                let end = study.trials[n].end
                let state = try #require(end.first?.stringValue.flatMap(TrialState.init(name:)))
                trials[n].state = state
                if state == .complete { trials[n].values = [try #require(end.last?.doubleValue)] }
                trials[n].datetimeComplete = Date(timeIntervalSince1970: clock)
            } else {
                let parts = token.split(separator: "*").compactMap { Int($0) }
                let n = try #require(parts.first)
                for _ in 0..<(parts.count > 1 ? parts[1] : 1) {
                    let report = study.trials[n].reports[nextReport[n]]
                    nextReport[n] += 1
                    if trials[n].intermediateValues[report.step] == nil {
                        trials[n].intermediateValues[report.step] = report.value
                    }
                    let expected = study.decisions[result.decisions]
                    result.decisions += 1
                    let got = pruner.prune(study: snapshot(), trial: trials[n])
                    if got != expected {
                        result.mismatches.append(
                            "report \(result.decisions - 1): trial \(n) step \(report.step) pruned \(got), Optuna \(expected)"
                        )
                    }
                }
            }
        }
        return result
    }
}
