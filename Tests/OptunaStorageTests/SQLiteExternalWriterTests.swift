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

    /// A refresh reads again exactly the trials that are not finished in the state the caller holds them in,
    /// and lists every trial in number order.
    @Test(arguments: [false, true])
    func refreshReadsOnlyWhatMayHaveChanged(manyStale: Bool) async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("refresh.db")
        let ours = try await SQLiteStorage(path: path)
        let theirs = try await SQLiteStorage(path: path)
        let study = try await ours.createStudy(name: "r", directions: [.minimize], userAttrs: [:], systemAttrs: [:])
        var held: [FrozenTrial] = []
        // A quarter of the trials running, or (many stale) three quarters.
        for k in 0..<(manyStale ? 100 : 8) {
            let state: TrialState = (k % 4 == 0) != manyStale ? .running : .complete
            held.append(try await ours.createTrial(
                studyID: study.id,
                template: FrozenTrial(id: 0, number: 0, state: state, values: state == .complete ? [Double(k)] : nil)))
        }
        // Held as FAIL, stored otherwise: read again (a cache may show a write that later failed).
        held[2].state = .fail
        let reported = try #require(held.first { $0.state == .running })
        _ = try await theirs.updateTrial(reported.id, TrialUpdate(intermediateValues: [1: 2]), expecting: .running)
        let added = try await theirs.createTrial(
            studyID: study.id, template: FrozenTrial(id: 0, number: 0, state: .complete, values: [9]))

        let refresh = try await ours.refreshTrials(
            studyID: study.id, known: KnownTrials(held.map { (id: $0.id, state: $0.state) }))
        let stored = try await ours.trials(studyID: study.id, states: nil)
        #expect(refresh.ids == stored.map(\.id))
        let stale = Set(held.filter { $0.state == .running }.map(\.id) + [held[2].id, added.id])
        if manyStale {
            // More than a few to read: the whole study is read at once.
            #expect(refresh.read == stored)
        } else {
            #expect(Set(refresh.read.map(\.id)) == stale)
            #expect(refresh.read == stored.filter { stale.contains($0.id) })
        }
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
