import OptunaCore
import Testing

@testable import OptunaCore

@Suite struct HyperbandPrunerTests {
    @Test func checksumIsZlibs() {
        #expect(CRC32.checksum("123456789".utf8) == 0xCBF4_3926)
        #expect(CRC32.checksum("études_3".utf8) == 629_645_302)
    }

    @Test func bracketsMatchOptuna() throws {
        // Optuna 5.0.0: HyperbandPruner(min_resource=1, max_resource=81, reduction_factor=3), study "study-7".
        let brackets = try #require(HyperbandBrackets(minResource: 1, maxResource: 81, reductionFactor: 3))
        #expect(brackets.budgets == [81, 34, 15, 8, 5])
        #expect(brackets.total == 143)
        let ids = (0..<12).map { brackets.bracket(studyName: "study-7", trialNumber: $0) }
        #expect(ids == [0, 0, 2, 1, 0, 1, 0, 0, 1, 3, 0, 0])
        #expect(HyperbandBrackets(minResource: 10, maxResource: 5, reductionFactor: 3) == nil)
    }

    /// The lookup feeds the number's digits to the checksum of `"<name>_"`: the same brackets as the checksum
    /// of the whole `"<name>_<number>"` text, for every count of digits, negative numbers and non-ASCII names.
    @Test(arguments: ["study-7", "études", ""])
    func lookupMatchesTheChecksumOfTheText(name: String) throws {
        let brackets = try #require(HyperbandBrackets(minResource: 1, maxResource: 81, reductionFactor: 3))
        let lookup = brackets.lookup(studyName: name)
        let numbers = [0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 12_345, 987_654_321, Int.max, -1, -10, Int.min + 1]
        for number in numbers + Array(0..<500) {
            var share = Int(CRC32.checksum("\(name)_\(number)".utf8)) % brackets.total
            let expected = brackets.budgets.indices.first { share -= brackets.budgets[$0]; return share < 0 }
            #expect(lookup.bracket(ofTrial: number) == expected, "trial \(number)")
        }
    }

    @Test func theSamplerSeesOnlyTheBracketOnceSetUp() {
        let pruner = HyperbandPruner(minResource: 1, maxResource: .steps(81), reductionFactor: 3)
        var trials = (0..<12).map { PrunerStudy.trial($0, .running, [:]) }
        let study = { StudySnapshot(studyID: 1, name: "study-7", directions: [.minimize], trials: trials) }
        #expect(pruner.samplerView(of: study(), for: trials[11]).trials.count == 12, "no report yet: not set up")
        trials[0].intermediateValues = [0: 1]
        #expect(pruner.samplerView(of: study(), for: trials[11]).trials.map(\.number) == [0, 1, 4, 6, 7, 10, 11])
        #expect(pruner.samplerView(of: study(), for: trials[9]).trials.map(\.number) == [9])
    }

    @Test func autoMaxResourceWaitsForACompletedTrial() {
        let pruner = HyperbandPruner()
        let current = PrunerStudy.trial(1, .running, [0: 9, 1: 9, 2: 9])
        let failed = PrunerStudy.trial(0, .fail, PrunerStudy.steps([0, 0, 0]))
        let study = PrunerStudy.snapshot([failed], current: current)
        #expect(!pruner.prune(study: study, trial: current))
        #expect(pruner.bracket(of: current, in: study) == nil)
        #expect(pruner.samplerView(of: study, for: current).trials.count == 2)
    }

    @Test func withNoBracketsNothingIsPruned() {
        let pruner = HyperbandPruner(minResource: 10, maxResource: .steps(5))
        let done = PrunerStudy.completed([0, 0, 0], steps: 20)
        let current = PrunerStudy.trial(3, .running, PrunerStudy.steps(Array(repeating: 9, count: 20)))
        #expect(!pruner.prune(study: PrunerStudy.snapshot(done, current: current), trial: current))
    }
}
