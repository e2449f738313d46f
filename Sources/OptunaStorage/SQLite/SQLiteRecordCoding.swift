import OptunaCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// How values travel between Swift and Optuna's columns.
///
/// - Objective values: `value` is NULL exactly when `value_type` is not `FINITE`; ±∞ are `INF_POS`/`INF_NEG`.
///   Optuna's `trial_values` has no NaN type (its `tell` turns a NaN into FAIL), so a NaN objective is refused.
/// - Intermediate values: the same, plus `NAN`.
/// - Attributes: `json.dumps` text (Python's `NaN`/`Infinity` tokens included) written with
///   `PythonRepr.json`, read with `JSONParser`, which accepts those tokens.
/// - Parameters: the internal `Double` plus `Distribution.optunaJSONString`; every form Optuna reads
///   (legacy classes, the short `{"type": …}` form) is read back.
enum SQLiteRecordCoding {
    /// `trial` as a read will return it: dates rounded to the microsecond and `-0.0` as `0.0` (SQLite keeps
    /// a zero REAL without its sign), so what a write returns equals what later reads return.
    static func asStored(_ trial: inout FrozenTrial) {
        trial.datetimeStart = trial.datetimeStart.map(SQLiteDate.normalized)
        trial.datetimeComplete = trial.datetimeComplete.map(SQLiteDate.normalized)
        if let values = trial.values, values.contains(where: isNegativeZero) {
            trial.values = values.map(unsignedZero)
        }
        if trial.params.values.contains(where: isNegativeZero) { trial.params = trial.params.mapValues(unsignedZero) }
        if trial.intermediateValues.values.contains(where: isNegativeZero) {
            trial.intermediateValues = trial.intermediateValues.mapValues(unsignedZero)
        }
    }

    private static func isNegativeZero(_ v: Double) -> Bool { v == 0 && v.sign == .minus }
    private static func unsignedZero(_ v: Double) -> Double { v == 0 ? 0 : v }

    /// The stored pair for an objective value. - Throws: ``StorageError/backend(_:)`` for NaN.
    static func objective(_ value: Double) throws(StorageError) -> (value: Double?, type: String) {
        if value.isNaN {
            throw .backend("a NaN objective value cannot be stored (Optuna records such a trial as FAIL)")
        }
        if value == .infinity { return (nil, "INF_POS") }
        if value == -.infinity { return (nil, "INF_NEG") }
        return (value, "FINITE")
    }

    /// The stored pair for an intermediate value.
    static func intermediate(_ value: Double) -> (value: Double?, type: String) {
        if value.isNaN { return (nil, "NAN") }
        if value == .infinity { return (nil, "INF_POS") }
        if value == -.infinity { return (nil, "INF_NEG") }
        return (value, "FINITE")
    }

    /// Reads a stored pair back. - Throws: ``StorageError/backend(_:)`` for a type Optuna does not write.
    static func value(_ stored: Double?, type: String?, trialID: Int64) throws(StorageError) -> Double {
        switch type {
        case "FINITE":
            guard let stored else { throw .backend("trial \(trialID) has a FINITE value that is NULL") }
            return stored
        case "INF_POS": return .infinity
        case "INF_NEG": return -.infinity
        case "NAN": return .nan
        default: throw .backend("trial \(trialID) has a value of unknown type '\(type ?? "NULL")'")
        }
    }

    /// The `value_json` text of an attribute, as Python's `json.dumps` writes it.
    static func attributeText(_ value: JSONValue) -> String { PythonRepr.json(value) }

    /// Parses a `value_json` column (`owner` names the row in the error).
    static func attribute(_ bytes: UnsafeBufferPointer<UInt8>, owner: @autoclosure () -> String)
        throws(StorageError) -> JSONValue
    {
        do {
            return try JSONParser.parse(bytes)
        } catch {
            throw .backend("\(owner()) holds invalid JSON: \(error)")
        }
    }

    /// A stored trial state.
    static func state(_ text: String?, trialID: Int64) throws(StorageError) -> TrialState {
        guard let text, let state = TrialState(rawValue: text) else {
            throw .backend("trial \(trialID) has unknown state '\(text ?? "NULL")'")
        }
        return state
    }

    /// A stored direction; `NOT_SET`, which only studies from old Optuna versions hold, reads as minimize
    /// (Optuna's default direction).
    static func direction(_ text: String?, studyID: Int64) throws(StorageError) -> StudyDirection {
        if text == "NOT_SET" { return .minimize }
        guard let text, let direction = StudyDirection(rawValue: text) else {
            throw .backend("study \(studyID) has unknown direction '\(text ?? "NULL")'")
        }
        return direction
    }
}

/// Parses `distribution_json` columns, reusing the result while a parameter's text repeats.
///
/// In a study every trial of a parameter usually carries the same distribution text, and a trial's
/// parameters come back in the same (name) order each time, so a load of many trials parses each distinct
/// text once and otherwise compares a name and the bytes with the entry at the same position in the
/// previous trial.
struct DistributionDecoder {
    private struct Entry {
        var name: String
        var bytes: [UInt8]
        var distribution: Distribution
    }

    private var byName: [String: Entry] = [:]
    private var previousTrial: [Entry] = []
    private var currentTrialID: Int64?
    private var position = 0

    /// The distribution of `bytes`, for parameter `name` of trial `trialID` (named in errors).
    mutating func decode(_ bytes: UnsafeBufferPointer<UInt8>, name: String, trialID: Int64)
        throws(StorageError) -> Distribution
    {
        if trialID != currentTrialID {
            currentTrialID = trialID
            position = 0
        } else {
            position += 1
        }
        if position < previousTrial.count, previousTrial[position].name == name,
            Self.equal(previousTrial[position].bytes, bytes)
        {
            return previousTrial[position].distribution
        }
        let entry: Entry
        if let known = byName[name], Self.equal(known.bytes, bytes) {
            entry = known
        } else {
            let distribution: Distribution
            do {
                distribution = try Distribution(json: JSONParser.parse(bytes))
            } catch let error as JSONParseError {
                throw .backend("parameter '\(name)' of trial \(trialID) has invalid distribution JSON: \(error)")
            } catch {
                throw .backend("parameter '\(name)' of trial \(trialID) has an unusable distribution: \(error)")
            }
            entry = Entry(name: name, bytes: Array(bytes), distribution: distribution)
            byName[name] = entry
        }
        if position < previousTrial.count {
            previousTrial[position] = entry
        } else if position < 256 {
            previousTrial.append(entry)
        }
        return entry.distribution
    }

    private static func equal(_ a: [UInt8], _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        guard let base = b.baseAddress else { return a.isEmpty }
        return a.withUnsafeBufferPointer { own in
            guard let ownBase = own.baseAddress else { return false }
            return memcmp(ownBase, base, a.count) == 0
        }
    }
}
