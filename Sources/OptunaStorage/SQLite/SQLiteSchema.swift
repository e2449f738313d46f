/// Optuna's RDB schema at alembic revision `v3.2.0.a`, frozen.
///
/// The statements reproduce, byte for byte, what Optuna 5.0 with SQLAlchemy 2 stores in `sqlite_master`
/// when it creates a database, so a file created here is indistinguishable from one Optuna created
/// (the fixture `tests/interop/fixtures/optuna-5.0.0-schema.jsonl`, dumped from a file Optuna made, pins this).
/// `v3.2.0.a` is the alembic head of every Optuna from 3.2 through 5.0.
///
/// - Important: Never edit these strings. A later change of optunad's own goes into a new, numbered
///   migration that only adds tables prefixed `optunad_` or nullable columns, so Optuna keeps opening the file.
enum SQLiteSchema {
    /// The alembic revision this build reads and writes.
    static let alembicHead = "v3.2.0.a"

    /// Optuna's frozen `SCHEMA_VERSION`, stored in `version_info.schema_version`.
    static let schemaVersion: Int64 = 12

    /// Earlier alembic revisions: databases Optuna can upgrade with `optuna storage upgrade`.
    static let olderRevisions: Set<String> = [
        "v0.9.0.a", "v1.2.0.a", "v1.3.0.a", "v2.4.0.a", "v2.6.0.a", "v3.0.0.a", "v3.0.0.b", "v3.0.0.c", "v3.0.0.d",
    ]

    /// One table or index, in Optuna's creation order.
    struct Object {
        /// `table` or `index`.
        let type: String
        /// The table or index name.
        let name: String
        /// The table (for an index, the table it indexes).
        let table: String
        /// The exact `CREATE` statement.
        let sql: String
    }

    /// Every table and explicit index, in the order SQLAlchemy creates them.
    static let objects: [Object] = [
        table("studies", ["study_id INTEGER NOT NULL", "study_name VARCHAR(512) NOT NULL", "PRIMARY KEY (study_id)"]),
        index("ix_studies_study_name", unique: true, on: "studies", "study_name"),
        table(
            "version_info",
            [
                "version_info_id INTEGER NOT NULL", "schema_version INTEGER", "library_version VARCHAR(256)",
                "PRIMARY KEY (version_info_id)", "CHECK (version_info_id=1)",
            ]),
        table(
            "study_directions",
            [
                "study_direction_id INTEGER NOT NULL", "direction VARCHAR(8) NOT NULL", "study_id INTEGER NOT NULL",
                "objective INTEGER NOT NULL", "PRIMARY KEY (study_direction_id)", "UNIQUE (study_id, objective)",
                "FOREIGN KEY(study_id) REFERENCES studies (study_id)",
            ]),
        attributeTable("study_user_attributes", id: "study_user_attribute_id", owner: "study_id", parent: "studies"),
        attributeTable(
            "study_system_attributes", id: "study_system_attribute_id", owner: "study_id", parent: "studies"),
        table(
            "trials",
            [
                "trial_id INTEGER NOT NULL", "number INTEGER", "study_id INTEGER", "state VARCHAR(8) NOT NULL",
                "datetime_start DATETIME", "datetime_complete DATETIME", "PRIMARY KEY (trial_id)",
                "FOREIGN KEY(study_id) REFERENCES studies (study_id)",
            ]),
        index("ix_trials_study_id", unique: false, on: "trials", "study_id"),
        attributeTable("trial_user_attributes", id: "trial_user_attribute_id", owner: "trial_id", parent: "trials"),
        attributeTable(
            "trial_system_attributes", id: "trial_system_attribute_id", owner: "trial_id", parent: "trials"),
        table(
            "trial_params",
            [
                "param_id INTEGER NOT NULL", "trial_id INTEGER", "param_name VARCHAR(512)", "param_value FLOAT",
                "distribution_json TEXT", "PRIMARY KEY (param_id)", "UNIQUE (trial_id, param_name)",
                "FOREIGN KEY(trial_id) REFERENCES trials (trial_id)",
            ]),
        table(
            "trial_values",
            [
                "trial_value_id INTEGER NOT NULL", "trial_id INTEGER NOT NULL", "objective INTEGER NOT NULL",
                "value FLOAT", "value_type VARCHAR(7) NOT NULL", "PRIMARY KEY (trial_value_id)",
                "UNIQUE (trial_id, objective)", "FOREIGN KEY(trial_id) REFERENCES trials (trial_id)",
            ]),
        table(
            "trial_intermediate_values",
            [
                "trial_intermediate_value_id INTEGER NOT NULL", "trial_id INTEGER NOT NULL", "step INTEGER NOT NULL",
                "intermediate_value FLOAT", "intermediate_value_type VARCHAR(7) NOT NULL",
                "PRIMARY KEY (trial_intermediate_value_id)", "UNIQUE (trial_id, step)",
                "FOREIGN KEY(trial_id) REFERENCES trials (trial_id)",
            ]),
        table(
            "trial_heartbeats",
            [
                "trial_heartbeat_id INTEGER NOT NULL", "trial_id INTEGER NOT NULL", "heartbeat DATETIME NOT NULL",
                "PRIMARY KEY (trial_heartbeat_id)", "UNIQUE (trial_id)",
                "FOREIGN KEY(trial_id) REFERENCES trials (trial_id)",
            ]),
        table(
            "alembic_version",
            ["version_num VARCHAR(32) NOT NULL", "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)"]),
    ]

    /// The names of the 13 tables.
    static var tableNames: [String] { objects.filter { $0.type == "table" }.map(\.name) }

    /// Tables whose rows hang off a trial through `trial_id`, deleted before their trials.
    static let trialChildTables = [
        "trial_params", "trial_values", "trial_intermediate_values", "trial_user_attributes",
        "trial_system_attributes", "trial_heartbeats",
    ]

    /// Tables whose rows hang off a study through `study_id`, deleted before their study.
    static let studyChildTables = ["study_directions", "study_user_attributes", "study_system_attributes"]

    private static func table(_ name: String, _ lines: [String]) -> Object {
        Object(
            type: "table", name: name, table: name,
            sql: "CREATE TABLE \(name) (\n\t" + lines.joined(separator: ", \n\t") + "\n)")
    }

    private static func index(_ name: String, unique: Bool, on table: String, _ columns: String) -> Object {
        Object(
            type: "index", name: name, table: table,
            sql: "CREATE \(unique ? "UNIQUE " : "")INDEX \(name) ON \(table) (\(columns))")
    }

    private static func attributeTable(_ name: String, id: String, owner: String, parent: String) -> Object {
        table(
            name,
            [
                "\(id) INTEGER NOT NULL", "\(owner) INTEGER", "\"key\" VARCHAR(512)", "value_json TEXT",
                "PRIMARY KEY (\(id))", "UNIQUE (\(owner), \"key\")",
                "FOREIGN KEY(\(owner)) REFERENCES \(parent) (\(owner))",
            ])
    }
}
