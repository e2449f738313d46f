import Synchronization

/// Keeps, per ladder and set-up, the rung table that replaying a study's leading finished trials gives, so that
/// a successive halving or Hyperband decision replays only the trials after them instead of the whole history.
///
/// A finished trial never changes, and a trial's replay depends only on the trials replayed before it
/// (``SuccessiveHalvingLadder``), so the table after the longest run of finished trials at the head of the
/// replay order stays valid for later decisions while that run is still at their head.
///
/// The entry remembers that run's trials, in order, by id and number of reports. It is used only when the run
/// a decision replays starts with exactly them. A trial shown finished while its write was still committing,
/// and reported to again after that write failed, no longer matches. Anything else (another ladder, set-up,
/// direction or patience, a different history) replays from the start, so the decision is always the one a
/// full replay gives.
///
/// A pruner keeps one cache for the study it serves: trial ids are unique within a study's storage, which is
/// what makes an id (with its number of reports) a sound stand-in for a finished trial's reports.
final class RungTableCache: Sendable {
    /// What a table depends on besides the trials.
    struct Key: Hashable {
        let ladder: SuccessiveHalvingLadder
        let setup: SetupPoint
        let direction: StudyDirection
        let rules: [PatienceRule]
    }

    /// A replayed trial as the cache recognizes it.
    struct Mark: Equatable {
        let id: Int64
        let reports: Int
    }

    private struct Entry {
        let key: Key
        let marks: [Mark]
        let table: RungTable
    }

    /// Entries kept at once (Hyperband keeps one per bracket).
    static let capacity = 8
    private let entries = Mutex<[Entry]>([])

    /// An empty cache.
    init() {}

    /// The longest cached replay of `key` whose trials are the first ones of a run of `count` trials, the one
    /// at position `i` recognized by `mark(i)`: how many trials it covers and the table after them; nil when
    /// none applies.
    func lookup(_ key: Key, count: Int, mark: (Int) -> Mark) -> (count: Int, table: RungTable)? {
        let candidates = entries.withLock { entries in entries.filter { $0.key == key && $0.marks.count <= count } }
        for entry in candidates.sorted(by: { $0.marks.count > $1.marks.count })
        where entry.marks.indices.allSatisfy({ entry.marks[$0] == mark($0) }) {
            return (entry.marks.count, entry.table)
        }
        return nil
    }

    /// Remembers the table after replaying the trials `marks` under `key`, replacing the entry for that key.
    func store(_ key: Key, marks: [Mark], table: RungTable) {
        entries.withLock { entries in
            entries.removeAll { $0.key == key }
            if entries.count >= Self.capacity { entries.removeFirst() }
            entries.append(Entry(key: key, marks: marks, table: table))
        }
    }
}
