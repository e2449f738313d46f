import Foundation
import OptunaCore
import Testing

@testable import OptunaStorage

/// The exact column values written, as Optuna 5.0.0 writes them (checked against Optuna by the interop tests).
@Suite struct SQLiteRowFormatTests {
    /// Runs `body` on a file holding one study with the rich trial, told COMPLETE with ±∞ values.
    private func withRows(_ body: (SQLiteConnection, FrozenTrial) throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("rows.db")
        let storage = try await SQLiteStorage(path: path)
        let study = try await storage.createStudy(
            name: "rows", directions: [.minimize, .maximize], userAttrs: ["u": ["a": [1, 2.5]]], systemAttrs: [:])
        let t = try await storage.createTrial(studyID: study.id, template: StorageFixtures.richTemplate())
        let done = try await storage.updateTrial(
            t.id, TrialUpdate(state: .complete, values: [.infinity, 0.25], datetimeComplete: StorageFixtures.end),
            expecting: .running)
        await storage.close()
        let connection = try SQLiteConnection(path: path, readOnly: true)
        defer { connection.close() }
        try body(connection, done)
    }

    @Test func trialAndStudyColumns() async throws {
        try await withRows { (c, trial) throws in
            #expect(try c.scalarText("SELECT state FROM trials") == "COMPLETE")
            #expect(try c.scalarInt("SELECT number FROM trials") == 0)
            #expect(try c.scalarText("SELECT datetime_start FROM trials") == "2025-11-29 04:24:05.123456")
            #expect(try c.scalarText("SELECT datetime_complete FROM trials") == "2025-11-29 04:25:00.000001")
            #expect(
                try c.scalarText("SELECT group_concat(direction || ':' || objective, ',') FROM study_directions")
                    == "MINIMIZE:0,MAXIMIZE:1")
            #expect(try c.scalarText("SELECT value_json FROM study_user_attributes") == "{\"a\": [1, 2.5]}")
        }
    }

    @Test func valuesUseOptunasTypeColumns() async throws {
        try await withRows { (c, _) throws in
            #expect(
                try c.scalarText(
                    "SELECT group_concat(objective || ':' || coalesce(value, 'NULL') || ':' || value_type, ',') "
                        + "FROM (SELECT * FROM trial_values ORDER BY objective)") == "0:NULL:INF_POS,1:0.25:FINITE")
            #expect(
                try c.scalarText(
                    "SELECT group_concat(step || ':' || coalesce(intermediate_value, 'NULL') || ':' "
                        + "|| intermediate_value_type, ',') FROM (SELECT * FROM trial_intermediate_values ORDER BY step)"
                )
                    == "0:1.0:FINITE,1:NULL:NAN,2:NULL:INF_POS,3:NULL:INF_NEG,100:-0.5:FINITE")
        }
    }

    @Test func paramsUseInternalValuesAndOptunasDistributionJSON() async throws {
        try await withRows { (c, _) throws in
            var params: [String: (Double, String)] = [:]
            try c.query("SELECT param_name, param_value, distribution_json FROM trial_params") { row in
                params[row.text(0) ?? ""] = (row.double(1), row.text(2) ?? "")
            }
            #expect(params["c"]?.0 == 7)
            #expect(
                params["c"]?.1 == "{\"name\": \"CategoricalDistribution\", \"attributes\": {\"choices\": "
                    + "[null, true, false, 1, -2.5, 1e+16, \"a\", \"\\u00e9 \\ud83d\\ude00 \\\"q\\\" \\\\ \\n\"]}}")
            #expect(
                params["lx"]?.1 == "{\"name\": \"FloatDistribution\", \"attributes\": "
                    + "{\"step\": null, \"low\": 1e-05, \"high\": 1e+20, \"log\": true}}")
            #expect(
                params["sx"]?.1 == "{\"name\": \"FloatDistribution\", \"attributes\": "
                    + "{\"step\": 0.25, \"low\": 0.0, \"high\": 1.0, \"log\": false}}")
            #expect(params["n"]?.0 == 6)
            #expect(
                params["n"]?.1 == "{\"name\": \"IntDistribution\", \"attributes\": "
                    + "{\"log\": false, \"step\": 3, \"low\": -3, \"high\": 9}}")
        }
    }

    @Test func attributesArePythonJSON() async throws {
        try await withRows { (c, _) throws in
            var user: [String: String] = [:]
            try c.query("SELECT \"key\", value_json FROM trial_user_attributes") { row in
                user[row.text(0) ?? ""] = row.text(1) ?? ""
            }
            #expect(user["nan"] == "NaN")
            #expect(user["s"] == "\"ok\"")
            #expect(
                user["nested"] == "{\"empty\": {}, \"int\": 9223372036854775807, \"list\": [1, 2.5, \"x\", null, "
                    + "true, {\"deep\": [NaN, Infinity, -Infinity]}], \"neg\": -0.0, \"unicode\": "
                    + "\"\\u00fcn\\u00efc\\u00f6d\\u00e9 \\u2713 \\ud83d\\ude80\"}")
            #expect(
                try c.scalarText("SELECT value_json FROM trial_system_attributes WHERE \"key\" = 'constraints'")
                    == "[0.5, -1.0]")
        }
    }

    @Test func heartbeatsAreOneUTCRowPerTrial() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("hb.db")
        let storage = try await SQLiteStorage(path: path)
        let s = try await storage.createStudy(name: "h", directions: [.minimize], userAttrs: [:], systemAttrs: [:])
        let t = try await storage.createTrial(studyID: s.id, template: FrozenTrial(id: 0, number: 0, state: .running))
        try await storage.recordHeartbeat(trialID: t.id, at: StorageFixtures.start)
        try await storage.recordHeartbeat(trialID: t.id, at: StorageFixtures.end)
        await #expect(throws: StorageError.trialNotFound(999)) {
            try await storage.recordHeartbeat(trialID: 999, at: StorageFixtures.end)
        }
        try await storage.deleteStudy(id: s.id)
        await storage.close()
        // delete_study removes the heartbeat rows too.
        let connection = try SQLiteConnection(path: path, readOnly: true)
        defer { connection.close() }
        #expect(try connection.scalarInt("SELECT COUNT(*) FROM trial_heartbeats") == 0)
    }

    @Test func heartbeatRowFormat() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("hb.db")
        let storage = try await SQLiteStorage(path: path)
        let s = try await storage.createStudy(name: "h", directions: [.minimize], userAttrs: [:], systemAttrs: [:])
        let t = try await storage.createTrial(studyID: s.id, template: FrozenTrial(id: 0, number: 0, state: .running))
        try await storage.recordHeartbeat(trialID: t.id, at: StorageFixtures.start)
        try await storage.recordHeartbeat(trialID: t.id, at: StorageFixtures.end)
        await storage.close()
        let connection = try SQLiteConnection(path: path, readOnly: true)
        defer { connection.close() }
        #expect(try connection.scalarInt("SELECT COUNT(*) FROM trial_heartbeats") == 1)
        #expect(try connection.scalarText("SELECT heartbeat FROM trial_heartbeats") == "2025-11-29 04:25:00.000001")
    }

    @Test func nanObjectiveIsRefusedAndNothingWritten() async throws {
        let directory = try TemporaryDirectory()
        let storage = try await SQLiteStorage(path: directory.path("nan.db"))
        let s = try await storage.createStudy(name: "n", directions: [.minimize], userAttrs: [:], systemAttrs: [:])
        let t = try await storage.createTrial(studyID: s.id, template: FrozenTrial(id: 0, number: 0, state: .running))
        await #expect(throws: StorageError.self) {
            try await storage.updateTrial(t.id, TrialUpdate(state: .complete, values: [.nan]), expecting: .running)
        }
        #expect(try await storage.trial(id: t.id).state == .running)
        await storage.close()
    }
}
