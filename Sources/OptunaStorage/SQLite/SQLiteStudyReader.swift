import OptunaCore

/// Reads studies (without their trials) from `studies`, `study_directions` and the two attribute tables.
enum SQLiteStudyReader {
    /// The study with this name. - Throws: ``StorageError/studyNotFound(name:)``.
    static func study(_ connection: SQLiteConnection, named name: String) throws(StorageError) -> StudyRecord {
        guard
            let id = try connection.scalarInt("SELECT study_id FROM studies WHERE study_name = ?", { $0.bind(1, name) })
        else { throw .studyNotFound(name: name) }
        return try study(connection, id: id)
    }

    /// The study with this id. - Throws: ``StorageError/studyIDNotFound(_:)``.
    static func study(_ connection: SQLiteConnection, id: Int64) throws(StorageError) -> StudyRecord {
        guard let record = try read(connection, where: "study_id = ?1", id: id).first else {
            throw .studyIDNotFound(id)
        }
        return record
    }

    /// Every study, ordered by id.
    static func all(_ connection: SQLiteConnection) throws(StorageError) -> [StudyRecord] {
        try read(connection, where: "1", id: nil)
    }

    /// Whether a study with this id exists.
    static func exists(_ connection: SQLiteConnection, id: Int64) throws(StorageError) -> Bool {
        try connection.scalarInt("SELECT 1 FROM studies WHERE study_id = ?", { $0.bind(1, id) }) != nil
    }

    private static func read(_ connection: SQLiteConnection, where condition: String, id: Int64?)
        throws(StorageError) -> [StudyRecord]
    {
        let bind: (SQLiteStatement) -> Void = { s in if let id { s.bind(1, id) } }
        var records: [StudyRecord] = []
        var indexByID: [Int64: Int] = [:]
        try connection.query(
            "SELECT study_id, study_name FROM studies WHERE \(condition) ORDER BY study_id", bind
        ) { row in
            indexByID[row.int64(0)] = records.count
            records.append(StudyRecord(id: row.int64(0), name: row.text(1) ?? "", directions: []))
        }
        if records.isEmpty { return [] }
        try connection.query(
            "SELECT study_id, direction FROM study_directions WHERE \(condition) ORDER BY study_id, objective", bind
        ) { (row) throws(StorageError) in
            guard let i = indexByID[row.int64(0)] else { return }
            records[i].directions.append(try SQLiteRecordCoding.direction(row.text(1), studyID: row.int64(0)))
        }
        for table in ["study_user_attributes", "study_system_attributes"] {
            try connection.query("SELECT study_id, \"key\", value_json FROM \(table) WHERE \(condition)", bind) {
                (row) throws(StorageError) in
                guard let i = indexByID[row.int64(0)] else { return }
                let key = row.text(1) ?? ""
                let studyName = records[i].name
                let value = try row.withBytes(2) { (bytes) throws(StorageError) in
                    try SQLiteRecordCoding.attribute(bytes, owner: "attribute '\(key)' of study '\(studyName)'")
                }
                if table == "study_user_attributes" {
                    records[i].userAttrs[key] = value
                } else {
                    records[i].systemAttrs[key] = value
                }
            }
        }
        return records
    }
}
