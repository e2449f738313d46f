import FoundationEssentials
import OptunaCore

/// The write operations, each run by the group commit inside the shared transaction (and its own savepoint).
///
/// Rows are written as Optuna writes them (see ``SQLiteRecordCoding``); an operation checks everything it
/// can before its first statement, and touches the caches only after its last one.
extension SQLiteWriterContext {
    /// Inserts a study with its directions and attributes.
    func createStudy(
        name: String, directions: [StudyDirection], userAttrs: [String: JSONValue], systemAttrs: [String: JSONValue]
    ) throws(StorageError) -> StudyRecord {
        let existing = try connection.scalarInt("SELECT study_id FROM studies WHERE study_name = ?") {
            $0.bind(1, name)
        }
        if existing != nil { throw .duplicateStudyName(name) }
        try connection.run("INSERT INTO studies (study_name) VALUES (?)") { $0.bind(1, name) }
        let id = connection.lastInsertRowID
        for (objective, direction) in directions.enumerated() {
            try connection.run("INSERT INTO study_directions (direction, study_id, objective) VALUES (?, ?, ?)") { s in
                s.bind(1, direction.rawValue)
                s.bind(2, id)
                s.bind(3, objective)
            }
        }
        for (key, value) in userAttrs { try setStudyAttribute(table: "study_user_attributes", id, key, value) }
        for (key, value) in systemAttrs { try setStudyAttribute(table: "study_system_attributes", id, key, value) }
        trialCounts[id] = 0
        return StudyRecord(id: id, name: name, directions: directions, userAttrs: userAttrs, systemAttrs: systemAttrs)
    }

    /// Deletes a study's rows from every table, children first (SQLite does not cascade for Optuna's schema).
    func deleteStudy(id: Int64) throws(StorageError) {
        guard try SQLiteStudyReader.exists(connection, id: id) else { throw .studyIDNotFound(id) }
        let bind: (SQLiteStatement) -> Void = { $0.bind(1, id) }
        for table in SQLiteSchema.trialChildTables {
            try connection.run(
                "DELETE FROM \(table) WHERE trial_id IN (SELECT trial_id FROM trials WHERE study_id = ?)", bind)
        }
        try connection.run("DELETE FROM trials WHERE study_id = ?", bind)
        for table in SQLiteSchema.studyChildTables {
            try connection.run("DELETE FROM \(table) WHERE study_id = ?", bind)
        }
        try connection.run("DELETE FROM studies WHERE study_id = ?", bind)
        invalidateCaches()
    }

    /// Sets one study attribute in `table` (`study_user_attributes` or `study_system_attributes`).
    func setStudyAttr(table: String, studyID: Int64, key: String, value: JSONValue) throws(StorageError) {
        if trialCounts[studyID] == nil {
            guard try SQLiteStudyReader.exists(connection, id: studyID) else { throw .studyIDNotFound(studyID) }
        }
        try setStudyAttribute(table: table, studyID, key, value)
    }

    /// Inserts a trial built from `template`, numbered after the study's existing trials.
    func createTrial(studyID: Int64, template: FrozenTrial) throws(StorageError) -> FrozenTrial {
        let number = try trialCount(studyID)
        var trial = template
        trial.number = number
        SQLiteRecordCoding.asStored(&trial)
        let values = try (trial.values ?? []).map { (v) throws(StorageError) in try SQLiteRecordCoding.objective(v) }
        try connection.run(
            "INSERT INTO trials (number, study_id, state, datetime_start, datetime_complete) VALUES (?, ?, ?, ?, ?)"
        ) { s in
            s.bind(1, number)
            s.bind(2, studyID)
            s.bind(3, trial.state.rawValue)
            s.bind(4, trial.datetimeStart.map(SQLiteDate.format))
            s.bind(5, trial.datetimeComplete.map(SQLiteDate.format))
        }
        trial.id = connection.lastInsertRowID
        try writeValues(trial.id, values)
        for (name, value) in trial.params {
            guard let distribution = trial.distributions[name] else {
                throw .backend("parameter '\(name)' of the new trial has no distribution")
            }
            try writeParam(trial.id, name, value, distribution)
        }
        for (step, value) in trial.intermediateValues { try writeIntermediate(trial.id, step, value) }
        for (key, value) in trial.userAttrs { try writeTrialAttribute("trial_user_attributes", trial.id, key, value) }
        for (key, value) in trial.systemAttrs {
            try writeTrialAttribute("trial_system_attributes", trial.id, key, value)
        }
        trialCounts[studyID] = number + 1
        remember(trial)
        return trial
    }

    /// Applies `update` to a trial in state `expecting` and returns the trial as stored.
    func updateTrial(_ id: Int64, _ update: TrialUpdate, expecting: TrialState) throws(StorageError) -> FrozenTrial {
        let current: FrozenTrial
        if let cached = activeTrials[id] {
            current = cached
        } else {
            current = try SQLiteTrialReader.trial(connection, id: id)
        }
        guard current.state == expecting else {
            throw .trialStateMismatch(trialID: id, number: current.number, expected: expecting, actual: current.state)
        }
        let values = try update.values.map { (vs) throws(StorageError) in
            try vs.map { (v) throws(StorageError) in try SQLiteRecordCoding.objective(v) }
        }
        var trial = current
        update.apply(to: &trial)
        SQLiteRecordCoding.asStored(&trial)
        if update.state != nil || update.datetimeStart != nil || update.datetimeComplete != nil {
            try connection.run(
                "UPDATE trials SET state = ?, datetime_start = ?, datetime_complete = ? WHERE trial_id = ?"
            ) { s in
                s.bind(1, trial.state.rawValue)
                s.bind(2, trial.datetimeStart.map(SQLiteDate.format))
                s.bind(3, trial.datetimeComplete.map(SQLiteDate.format))
                s.bind(4, id)
            }
        }
        if let values {
            try connection.run("DELETE FROM trial_values WHERE trial_id = ?") { $0.bind(1, id) }
            try writeValues(id, values)
        }
        for (name, p) in update.params { try writeParam(id, name, p.value, p.distribution) }
        for (step, value) in update.intermediateValues { try writeIntermediate(id, step, value) }
        for (key, value) in update.userAttrs { try writeTrialAttribute("trial_user_attributes", id, key, value) }
        for (key, value) in update.systemAttrs { try writeTrialAttribute("trial_system_attributes", id, key, value) }
        remember(trial)
        return trial
    }

    /// Upserts the trial's row in `trial_heartbeats` (naive UTC, as Optuna compares it with SQLite's
    /// `CURRENT_TIMESTAMP`). - Throws: ``StorageError/trialNotFound(_:)``.
    func recordHeartbeat(trialID: Int64, at date: Date) throws(StorageError) {
        if activeTrials[trialID] == nil {
            let exists = try connection.scalarInt("SELECT 1 FROM trials WHERE trial_id = ?") { $0.bind(1, trialID) }
            guard exists != nil else { throw .trialNotFound(trialID) }
        }
        try connection.run(
            "INSERT INTO trial_heartbeats (trial_id, heartbeat) VALUES (?, ?) "
                + "ON CONFLICT (trial_id) DO UPDATE SET heartbeat = excluded.heartbeat"
        ) { s in
            s.bind(1, trialID)
            s.bind(2, SQLiteDate.format(date))
        }
    }

    // MARK: Rows

    /// The number of trials a study has (the next trial's number). - Throws: ``StorageError/studyIDNotFound(_:)``.
    private func trialCount(_ studyID: Int64) throws(StorageError) -> Int {
        if let count = trialCounts[studyID] { return count }
        guard try SQLiteStudyReader.exists(connection, id: studyID) else { throw .studyIDNotFound(studyID) }
        let count = Int(
            try connection.scalarInt("SELECT COUNT(*) FROM trials WHERE study_id = ?") { $0.bind(1, studyID) } ?? 0)
        trialCounts[studyID] = count
        return count
    }

    private func writeValues(_ trialID: Int64, _ values: [(value: Double?, type: String)]) throws(StorageError) {
        for (objective, stored) in values.enumerated() {
            try connection.run(
                "INSERT INTO trial_values (trial_id, objective, value, value_type) VALUES (?, ?, ?, ?)"
            ) { s in
                s.bind(1, trialID)
                s.bind(2, objective)
                if let v = stored.value { s.bind(3, v) } else { s.bindNull(3) }
                s.bind(4, stored.type)
            }
        }
    }

    private func writeParam(_ trialID: Int64, _ name: String, _ value: Double, _ distribution: Distribution)
        throws(StorageError)
    {
        try connection.run(
            "INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (trial_id, param_name) DO UPDATE SET param_value = excluded.param_value, "
                + "distribution_json = excluded.distribution_json"
        ) { s in
            s.bind(1, trialID)
            s.bind(2, name)
            s.bind(3, value)
            s.bind(4, distribution.optunaJSONString)
        }
    }

    private func writeIntermediate(_ trialID: Int64, _ step: Int, _ value: Double) throws(StorageError) {
        let stored = SQLiteRecordCoding.intermediate(value)
        try connection.run(
            "INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, intermediate_value_type) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT (trial_id, step) DO UPDATE SET "
                + "intermediate_value = excluded.intermediate_value, "
                + "intermediate_value_type = excluded.intermediate_value_type"
        ) { s in
            s.bind(1, trialID)
            s.bind(2, step)
            if let v = stored.value { s.bind(3, v) } else { s.bindNull(3) }
            s.bind(4, stored.type)
        }
    }

    private func writeTrialAttribute(_ table: String, _ trialID: Int64, _ key: String, _ value: JSONValue)
        throws(StorageError)
    {
        try connection.run(
            "INSERT INTO \(table) (trial_id, \"key\", value_json) VALUES (?, ?, ?) "
                + "ON CONFLICT (trial_id, \"key\") DO UPDATE SET value_json = excluded.value_json"
        ) { s in
            s.bind(1, trialID)
            s.bind(2, key)
            s.bind(3, SQLiteRecordCoding.attributeText(value))
        }
    }

    private func setStudyAttribute(table: String, _ studyID: Int64, _ key: String, _ value: JSONValue)
        throws(StorageError)
    {
        try connection.run(
            "INSERT INTO \(table) (study_id, \"key\", value_json) VALUES (?, ?, ?) "
                + "ON CONFLICT (study_id, \"key\") DO UPDATE SET value_json = excluded.value_json"
        ) { s in
            s.bind(1, studyID)
            s.bind(2, key)
            s.bind(3, SQLiteRecordCoding.attributeText(value))
        }
    }
}
