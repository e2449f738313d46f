/// What a caller holds of a study's trials (a cache), handed to ``Storage/refreshTrials(studyID:known:)`` so
/// that only the trials that can have changed since are read again.
///
/// Finished trials never change (in Optuna as here), trials are never deleted but with their study, and a new
/// trial's id is larger than every id already stored. So beside the trials the caller holds as RUNNING or
/// WAITING, only trials with ids above the largest it holds can differ from what it holds.
public struct KnownTrials: Sendable {
    /// How many trials the caller holds.
    public var count: Int
    /// The largest id among them (-1 for none).
    public var lastID: Int64
    /// The ids of those it holds as RUNNING or WAITING.
    public var unfinished: [Int64]

    /// What a caller holds: `count` trials with ids up to `lastID`, of which `unfinished` are not finished.
    public init(count: Int, lastID: Int64, unfinished: [Int64]) {
        self.count = count
        self.lastID = lastID
        self.unfinished = unfinished
    }
}
