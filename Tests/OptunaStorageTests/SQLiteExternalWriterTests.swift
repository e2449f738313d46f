import Foundation
import OptunaCore
@testable import OptunaStorage
import Testing

/// Two storages on one file stand for optunad and another writer (a Python worker, the dashboard).
@Suite struct SQLiteExternalWriterTests {
    @Test func otherConnectionsCommitsAreCountedAndSeen() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("shared.db")
        let ours = try await SQLiteStorage(path: path)
        let theirs = try await SQLiteStorage(path: path)
        let study = try await ours.createStudy(name: "s", directions: [.minimize], userAttrs: [:], systemAttrs: [:])
        let start = try await ours.externalChangeCount()
        // An idle writer answers on the calling thread, with what the `async` call says.
        #expect(ours.externalChangeCountWithoutWaiting() == start)

        // Their commits move our count (once per check that notices them), never backwards. The answer
        // without waiting notices them by itself.
        let foreign = try await theirs.createTrial(
            studyID: study.id, template: FrozenTrial(id: 0, number: 0, state: .running))
        let afterOne = try #require(ours.externalChangeCountWithoutWaiting())
        #expect(afterOne > start)
        #expect(try await ours.externalChangeCount() == afterOne)
        #expect(try await ours.externalChangeCount() == afterOne)
        #expect(try await ours.trials(studyID: study.id, states: nil).map(\.id) == [foreign.id])

        // Our own commits do not move it, and our numbering continues after theirs.
        let mine = try await ours.createTrial(
            studyID: study.id, template: FrozenTrial(id: 0, number: 0, state: .running))
        #expect(mine.number == 1)
        #expect(try await ours.externalChangeCount() == afterOne)
        #expect(ours.externalChangeCountWithoutWaiting() == afterOne)

        // They create more and finish our trial; we must not reuse numbers or update the finished trial.
        _ = try await theirs.createTrial(studyID: study.id, template: FrozenTrial(id: 0, number: 0, state: .running))
        _ = try await theirs.updateTrial(mine.id, TrialUpdate(state: .fail), expecting: .running)
        let next = try await ours.createTrial(
            studyID: study.id, template: FrozenTrial(id: 0, number: 0, state: .running))
        #expect(next.number == 3)
        await #expect(
            throws: StorageError.trialStateMismatch(trialID: mine.id, number: 1, expected: .running, actual: .fail)
        ) {
            try await ours.updateTrial(mine.id, TrialUpdate(state: .complete, values: [1]), expecting: .running)
        }
        #expect(try await ours.externalChangeCount() > afterOne)
        #expect(try await ours.study(id: study.id).name == "s")

        await theirs.close()
        await ours.close()
    }

    /// A refresh reads exactly the trials the caller holds as unfinished and those stored after the ones it
    /// holds, as stored now, in number order; and declines when the caller's trials are not the stored ones.
    @Test func refreshReadsOnlyWhatCanHaveChanged() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("refresh.db")
        let ours = try await SQLiteStorage(path: path)
        let theirs = try await SQLiteStorage(path: path)
        let study = try await ours.createStudy(name: "r", directions: [.minimize], userAttrs: [:], systemAttrs: [:])
        let other = try await ours.createStudy(name: "o", directions: [.minimize], userAttrs: [:], systemAttrs: [:])
        var held: [FrozenTrial] = []
        for k in 0..<8 {
            let state: TrialState = k % 4 == 0 ? .running : .complete
            held.append(try await ours.createTrial(
                studyID: study.id,
                template: FrozenTrial(id: 0, number: 0, state: state, values: state == .complete ? [Double(k)] : nil)))
        }
        let known = KnownTrials(
            count: held.count, lastID: held.map(\.id).max() ?? -1,
            unfinished: held.filter { $0.state == .running }.map(\.id))
        // Nothing changed: the unfinished trials only.
        #expect(try await ours.refreshTrials(studyID: study.id, known: known)?.map(\.id) == [held[0].id, held[4].id])

        // Theirs: finish one, report on the other, add a trial to this study and one to another study.
        _ = try await theirs.updateTrial(held[0].id, TrialUpdate(state: .complete, values: [-1]), expecting: .running)
        _ = try await theirs.updateTrial(held[4].id, TrialUpdate(intermediateValues: [1: 2]), expecting: .running)
        _ = try await theirs.createTrial(studyID: other.id, template: FrozenTrial(id: 0, number: 0, state: .complete))
        let added = try await theirs.createTrial(studyID: study.id, template: FrozenTrial(id: 0, number: 0, state: .running))
        let stored = try await ours.trials(studyID: study.id, states: nil)
        let refreshed = try #require(try await ours.refreshTrials(studyID: study.id, known: known))
        #expect(refreshed == stored.filter { [held[0].id, held[4].id, added.id].contains($0.id) })
        #expect(refreshed.first?.state == .complete)
        #expect(refreshed.dropFirst().first?.intermediateValues == [1: 2])

        // Holding a trial fewer (or one more) than stored up to the largest id held: declined.
        var short = known
        short.count -= 1
        #expect(try await ours.refreshTrials(studyID: study.id, known: short) == nil)
        // Holding as unfinished a trial that is not stored: declined.
        var wrong = known
        wrong.unfinished.append(999_999)
        #expect(try await ours.refreshTrials(studyID: study.id, known: wrong) == nil)
        await theirs.close()
        await ours.close()
    }

    @Test func studyDeletedElsewhereIsNoLongerWritable() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("deleted.db")
        let ours = try await SQLiteStorage(path: path)
        let theirs = try await SQLiteStorage(path: path)
        let study = try await ours.createStudy(name: "gone", directions: [.minimize], userAttrs: [:], systemAttrs: [:])
        _ = try await ours.createTrial(studyID: study.id, template: FrozenTrial(id: 0, number: 0, state: .running))
        try await theirs.deleteStudy(id: study.id)
        await #expect(throws: StorageError.studyIDNotFound(study.id)) {
            try await ours.createTrial(studyID: study.id, template: FrozenTrial(id: 0, number: 0, state: .running))
        }
        await theirs.close()
        await ours.close()
    }

    /// A write that would run on the caller's thread never waits there for another process's lock: it goes
    /// to the writer thread, which waits, and later writes queue behind it in order.
    @Test func lockedDatabaseSendsInlineWritesToTheWriterThreadInOrder() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("locked.db")
        let ours = try await SQLiteStorage(path: path)
        let study = try await ours.createStudy(name: "l", directions: [.minimize], userAttrs: [:], systemAttrs: [:])
        let first = ours.beginCreateTrial(studyID: study.id, template: FrozenTrial(id: 0, number: 0, state: .running))
        // The writer was idle: the write committed before the call returned.
        #expect(try #require(first.result).get().number == 0)

        let other = try SQLiteConnection(path: path)
        try other.execute("BEGIN IMMEDIATE")
        let second = ours.beginCreateTrial(studyID: study.id, template: FrozenTrial(id: 0, number: 0, state: .running))
        let third = ours.beginCreateTrial(studyID: study.id, template: FrozenTrial(id: 0, number: 0, state: .running))
        // Returned without waiting for the lock (the busy timeout is five seconds).
        #expect(second.result == nil)
        #expect(third.result == nil)
        try other.execute("COMMIT")
        other.close()
        #expect(try await second.value().number == 1)
        #expect(try await third.value().number == 2)
        #expect(try await ours.trials(studyID: study.id, states: nil).map(\.number) == [0, 1, 2])
        await ours.close()
    }
}
