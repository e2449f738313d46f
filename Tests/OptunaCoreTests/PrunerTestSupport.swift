import Foundation
import OptunaCore

/// Builds small studies for pruner tests.
enum PrunerStudy {
    /// Values reported at consecutive steps from `start`.
    static func steps(_ values: [Double], from start: Int = 0) -> [Int: Double] {
        Dictionary(uniqueKeysWithValues: values.enumerated().map { (start + $0.offset, $0.element) })
    }

    /// A trial; COMPLETE trials get `value` (or their last reported value) and a completion time of `number`.
    static func trial(
        _ number: Int, _ state: TrialState, _ reports: [Int: Double], value: Double? = nil
    ) -> FrozenTrial {
        var t = FrozenTrial(id: Int64(number), number: number, state: state, intermediateValues: reports)
        if state == .complete {
            let last = reports.keys.max().flatMap { reports[$0] }
            t.values = [value ?? last ?? 0]
        }
        if state.isFinished { t.datetimeComplete = Date(timeIntervalSince1970: Double(number)) }
        return t
    }

    /// A study of `trials` (numbered 0, 1, … in order) plus a RUNNING `current` trial numbered after them.
    static func snapshot(
        _ trials: [FrozenTrial], current: FrozenTrial? = nil, direction: StudyDirection = .minimize,
        name: String = "study"
    ) -> StudySnapshot {
        StudySnapshot(studyID: 1, name: name, directions: [direction], trials: trials + (current.map { [$0] } ?? []))
    }

    /// COMPLETE trials 0..<count, each reporting `values[i]` at every step in `0..<steps`.
    static func completed(_ values: [Double], steps: Int = 1) -> [FrozenTrial] {
        values.enumerated().map { i, v in
            trial(i, .complete, Self.steps(Array(repeating: v, count: steps)))
        }
    }
}
