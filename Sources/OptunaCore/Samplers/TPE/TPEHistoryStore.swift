import Synchronization

/// The ``TPEHistory`` of each study a ``TPESampler`` value has sampled, behind a lock.
///
/// The sampler stays a `Sendable` value whose results depend only on the snapshot and the generator:
/// the store only spares it the work of re-reading finished trials (see ``TPEHistory``). Copies of a
/// sampler share one store. The lock is held for a whole sampling call, which the study's actor already
/// serializes, so it is uncontended in practice.
final class TPEHistoryStore: Sendable {
    /// Studies kept at once; beyond this an entry is dropped (and rebuilt when next needed).
    static let capacity = 8

    private let histories = Mutex<[Int64: TPEHistory]>([:])
    /// Whether histories track group-decomposed spaces.
    let tracksGroups: Bool

    /// An empty store.
    init(tracksGroups: Bool) {
        self.tracksGroups = tracksGroups
    }

    /// Runs `body` with the study's history brought up to date with `study`.
    ///
    /// - Returns: nil when the snapshot cannot be indexed (its trials are not numbered `0..<count`).
    func withHistory<Result: Sendable>(
        for study: StudySnapshot, _ body: (TPEHistory) -> Result
    ) -> Result? {
        histories.withLock { table -> Result? in
            var history: TPEHistory
            if let existing = table[study.studyID], existing.matches(study), existing.sync(with: study) {
                history = existing
            } else {
                history = TPEHistory(
                    studyID: study.studyID, studyName: study.name, directions: study.directions,
                    tracksGroups: tracksGroups)
                guard history.sync(with: study) else {
                    table[study.studyID] = nil
                    return nil
                }
            }
            if table[study.studyID] !== history {
                if table.count >= Self.capacity, let victim = table.keys.first(where: { $0 != study.studyID }) {
                    table[victim] = nil
                }
                table[study.studyID] = history
            }
            return body(history)
        }
    }
}
