public import OptunaCore
import Synchronization

/// A storage that lives in the daemon's memory and is gone when it stops (`--storage memory:`).
///
/// All state sits behind one mutex; every method is a short critical section with no suspension, so it is
/// cheaper than an actor hop. It has no other writers, so ``externalChangeCount()`` is always 0.
public final class InMemoryStorage: Storage {
    private struct State {
        var studies: [Int64: StudyRecord] = [:]
        var studyIDsByName: [String: Int64] = [:]
        var trialIDsByStudy: [Int64: [Int64]] = [:]
        var trials: [Int64: FrozenTrial] = [:]
        var trialStudy: [Int64: Int64] = [:]
        var nextStudyID: Int64 = 1
        var nextTrialID: Int64 = 1
    }

    private let state = Mutex(State())

    /// Creates an empty storage.
    public init() {}

    public var descriptionForClients: String { "memory" }

    public func createStudy(
        name: String, directions: [StudyDirection], userAttrs: [String: JSONValue], systemAttrs: [String: JSONValue]
    ) async throws(StorageError) -> StudyRecord {
        try state.withLock { (s) throws(StorageError) -> StudyRecord in
            guard s.studyIDsByName[name] == nil else { throw .duplicateStudyName(name) }
            let record = StudyRecord(
                id: s.nextStudyID, name: name, directions: directions, userAttrs: userAttrs, systemAttrs: systemAttrs)
            s.nextStudyID += 1
            s.studies[record.id] = record
            s.studyIDsByName[name] = record.id
            s.trialIDsByStudy[record.id] = []
            return record
        }
    }

    public func deleteStudy(id: Int64) async throws(StorageError) {
        try state.withLock { (s) throws(StorageError) in
            guard let record = s.studies.removeValue(forKey: id) else { throw .studyIDNotFound(id) }
            s.studyIDsByName[record.name] = nil
            for t in s.trialIDsByStudy.removeValue(forKey: id) ?? [] {
                s.trials[t] = nil
                s.trialStudy[t] = nil
            }
        }
    }

    public func study(named name: String) async throws(StorageError) -> StudyRecord {
        try state.withLock { (s) throws(StorageError) -> StudyRecord in
            guard let id = s.studyIDsByName[name], let r = s.studies[id] else { throw .studyNotFound(name: name) }
            return r
        }
    }

    public func study(id: Int64) async throws(StorageError) -> StudyRecord {
        try state.withLock { (s) throws(StorageError) -> StudyRecord in
            guard let r = s.studies[id] else { throw .studyIDNotFound(id) }
            return r
        }
    }

    public func allStudies() async throws(StorageError) -> [StudyRecord] {
        state.withLock { s in s.studies.values.sorted { $0.id < $1.id } }
    }

    public func setStudyUserAttr(studyID: Int64, key: String, value: JSONValue) async throws(StorageError) {
        try state.withLock { (s) throws(StorageError) in
            guard s.studies[studyID] != nil else { throw .studyIDNotFound(studyID) }
            s.studies[studyID]?.userAttrs[key] = value
        }
    }

    public func setStudySystemAttr(studyID: Int64, key: String, value: JSONValue) async throws(StorageError) {
        try state.withLock { (s) throws(StorageError) in
            guard s.studies[studyID] != nil else { throw .studyIDNotFound(studyID) }
            s.studies[studyID]?.systemAttrs[key] = value
        }
    }

    /// Creates the trial at once: the pending write is already finished (there is no commit to share).
    public func beginCreateTrial(studyID: Int64, template: FrozenTrial, shareCommit: Bool) -> PendingWrite<FrozenTrial> {
        PendingWrite(state.withLock { (s) -> Result<FrozenTrial, StorageError> in
            guard let count = s.trialIDsByStudy[studyID]?.count else { return .failure(.studyIDNotFound(studyID)) }
            var trial = template
            trial.id = s.nextTrialID
            trial.number = count
            s.nextTrialID += 1
            // Appended in place: a copy of the id list would make each new trial cost O(trials).
            s.trialIDsByStudy[studyID]?.append(trial.id)
            s.trials[trial.id] = trial
            s.trialStudy[trial.id] = studyID
            return .success(trial)
        })
    }

    /// Updates the trial at once: the pending write is already finished (there is no commit to share).
    public func beginUpdateTrial(_ trialID: Int64, _ update: TrialUpdate, expecting: TrialState, shareCommit: Bool)
        -> PendingWrite<FrozenTrial>
    {
        PendingWrite(state.withLock { (s) -> Result<FrozenTrial, StorageError> in
            guard var trial = s.trials[trialID] else { return .failure(.trialNotFound(trialID)) }
            guard trial.state == expecting else {
                return .failure(
                    .trialStateMismatch(trialID: trialID, number: trial.number, expected: expecting, actual: trial.state))
            }
            update.apply(to: &trial)
            s.trials[trialID] = trial
            return .success(trial)
        })
    }

    public func trial(id: Int64) async throws(StorageError) -> FrozenTrial {
        try state.withLock { (s) throws(StorageError) -> FrozenTrial in
            guard let t = s.trials[id] else { throw .trialNotFound(id) }
            return t
        }
    }

    public func studyID(ofTrial trialID: Int64) async throws(StorageError) -> Int64 {
        try state.withLock { (s) throws(StorageError) -> Int64 in
            guard let id = s.trialStudy[trialID] else { throw .trialNotFound(trialID) }
            return id
        }
    }

    public func trials(studyID: Int64, states: Set<TrialState>?) async throws(StorageError) -> [FrozenTrial] {
        try state.withLock { (s) throws(StorageError) -> [FrozenTrial] in
            guard let ids = s.trialIDsByStudy[studyID] else { throw .studyIDNotFound(studyID) }
            let all = ids.compactMap { s.trials[$0] }
            guard let states else { return all }
            return all.filter { states.contains($0.state) }
        }
    }

    public func externalChangeCount() async throws(StorageError) -> UInt64 { 0 }

    public func externalChangeCountWithoutWaiting() -> UInt64? { 0 }

    public func close() async {}
}
