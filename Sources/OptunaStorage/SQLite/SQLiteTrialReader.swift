import FoundationEssentials
import OptunaCore

/// Reads trials from Optuna's tables: one query per table, whatever the number of trials.
///
/// The six queries run on the caller's connection; callers wrap them in one transaction so the result
/// is one consistent snapshot. Each child query drives from `trials` through `ix_trials_study_id`
/// (`CROSS JOIN` fixes that order), so a study's load costs its own rows, not the whole database's.
enum SQLiteTrialReader {
    /// Which trials to read.
    enum Scope {
        /// One trial by id.
        case trial(Int64)
        /// A study's trials, optionally only some states.
        case study(Int64, states: Set<TrialState>?)
        /// A study's trials with ids above a given one (a range of the study's index).
        case studyAfter(Int64, id: Int64)

        /// The SQL condition on `t` (the trials table) with `?1` as the id (and `?2` as the lower id bound).
        var condition: String {
            switch self {
            case .trial: return "t.trial_id = ?1"
            case .study(_, nil): return "t.study_id = ?1"
            case .study(_, let states?):
                let names = states.map { "'\($0.rawValue)'" }.sorted().joined(separator: ", ")
                return "t.study_id = ?1 AND t.state IN (\(names))"
            case .studyAfter: return "t.study_id = ?1 AND t.trial_id > ?2"
            }
        }

        var id: Int64 {
            switch self {
            case .trial(let id): return id
            case .study(let id, _): return id
            case .studyAfter(let id, _): return id
            }
        }

        /// Binds the condition's parameters.
        func bind(_ statement: SQLiteStatement) {
            statement.bind(1, id)
            if case .studyAfter(_, let after) = self { statement.bind(2, after) }
        }
    }

    /// One trial. - Throws: ``StorageError/trialNotFound(_:)``.
    static func trial(_ connection: SQLiteConnection, id: Int64) throws(StorageError) -> FrozenTrial {
        guard let trial = try read(connection, .trial(id)).first else { throw .trialNotFound(id) }
        return trial
    }

    /// The trials in `scope`, ordered by number.
    static func read(_ connection: SQLiteConnection, _ scope: Scope) throws(StorageError) -> [FrozenTrial] {
        let condition = scope.condition
        let bindID: (SQLiteStatement) -> Void = { scope.bind($0) }
        var trials: [FrozenTrial] = []
        var ids: [Int64] = []
        try connection.query(
            "SELECT t.trial_id, t.number, t.state, t.datetime_start, t.datetime_complete FROM trials t "
                + "WHERE \(condition) ORDER BY t.trial_id", bindID
        ) { (row) throws(StorageError) in
            let id = row.int64(0)
            let trial = FrozenTrial(
                id: id, number: Int(row.int64(1)), state: try SQLiteRecordCoding.state(row.text(2), trialID: id),
                datetimeStart: try date(row, 3, trialID: id), datetimeComplete: try date(row, 4, trialID: id))
            ids.append(id)
            trials.append(trial)
        }
        if trials.isEmpty { return [] }

        var index = TrialIndex(ids: ids)
        func children(_ select: String, _ table: String, _ body: (Int, SQLiteStatement) throws(StorageError) -> Void)
            throws(StorageError)
        {
            try connection.query(
                "SELECT \(select) FROM trials t CROSS JOIN \(table) c ON c.trial_id = t.trial_id WHERE \(condition) "
                    + "ORDER BY t.trial_id",
                bindID
            ) { (row) throws(StorageError) in
                if let i = index.position(of: row.int64(0)) { try body(i, row) }
            }
        }

        var distributions = DistributionDecoder()
        try children("c.trial_id, c.param_name, c.param_value, c.distribution_json", "trial_params") {
            (i, row) throws(StorageError) in
            let name = row.text(1) ?? ""
            let id = trials[i].id
            let distribution = try row.withBytes(3) { (bytes) throws(StorageError) in
                try distributions.decode(bytes, name: name, trialID: id)
            }
            trials[i].params[name] = row.double(2)
            trials[i].distributions[name] = distribution
        }
        try children("c.trial_id, c.objective, c.value, c.value_type", "trial_values") {
            (i, row) throws(StorageError) in
            let objective = Int(row.int64(1))
            guard objective >= 0, objective < 4096 else {
                throw .backend("trial \(trials[i].id) has objective index \(objective)")
            }
            let value = try SQLiteRecordCoding.value(row.optionalDouble(2), type: row.text(3), trialID: trials[i].id)
            var values = trials[i].values ?? []
            while values.count <= objective { values.append(.nan) }
            values[objective] = value
            trials[i].values = values
        }
        try children("c.trial_id, c.step, c.intermediate_value, c.intermediate_value_type", "trial_intermediate_values")
        {
            (i, row) throws(StorageError) in
            let value = try SQLiteRecordCoding.value(row.optionalDouble(2), type: row.text(3), trialID: trials[i].id)
            trials[i].intermediateValues[Int(row.int64(1))] = value
        }
        try children("c.trial_id, c.\"key\", c.value_json", "trial_user_attributes") { (i, row) throws(StorageError) in
            let key = row.text(1) ?? ""
            let id = trials[i].id
            let value = try row.withBytes(2) { (bytes) throws(StorageError) in
                try SQLiteRecordCoding.attribute(bytes, owner: "user attribute '\(key)' of trial \(id)")
            }
            trials[i].userAttrs[key] = value
        }
        try children("c.trial_id, c.\"key\", c.value_json", "trial_system_attributes") {
            (i, row) throws(StorageError) in
            let key = row.text(1) ?? ""
            let id = trials[i].id
            let value = try row.withBytes(2) { (bytes) throws(StorageError) in
                try SQLiteRecordCoding.attribute(bytes, owner: "system attribute '\(key)' of trial \(id)")
            }
            trials[i].systemAttrs[key] = value
        }
        // Numbers follow trial ids in every file Optuna or optunad wrote; sort only if one did not.
        if !zip(trials, trials.dropFirst()).allSatisfy({ $0.number <= $1.number }) {
            trials.sort { ($0.number, $0.id) < ($1.number, $1.id) }
        }
        return trials
    }

    /// Finds a trial's position among ids sorted ascending; child rows arrive in the same order, so the
    /// answer is almost always the current or the next position, and otherwise a binary search.
    private struct TrialIndex {
        let ids: [Int64]
        var cursor = 0

        mutating func position(of id: Int64) -> Int? {
            if cursor < ids.count, ids[cursor] == id { return cursor }
            if cursor + 1 < ids.count, ids[cursor + 1] == id {
                cursor += 1
                return cursor
            }
            var low = 0
            var high = ids.count
            while low < high {
                let mid = (low + high) / 2
                if ids[mid] < id { low = mid + 1 } else { high = mid }
            }
            guard low < ids.count, ids[low] == id else { return nil }
            cursor = low
            return low
        }
    }

    private static func date(_ row: SQLiteStatement, _ column: Int32, trialID: Int64) throws(StorageError) -> Date? {
        if row.isNull(column) { return nil }
        return try row.withBytes(column) { (bytes) throws(StorageError) -> Date? in
            guard let date = SQLiteDate.parse(bytes) else {
                throw .backend(
                    "trial \(trialID) has an unreadable datetime '\(String(decoding: bytes, as: UTF8.self))'")
            }
            return date
        }
    }
}
