import OptunaCore

/// Printing results as tables, JSON or shell assignments.
enum Output {
    /// Compact JSON for scripts.
    static func json(_ v: JSONValue) {
        print(JSONWriter.string(v))
    }

    /// A plain-text cell for a JSON value.
    static func cell(_ v: JSONValue?) -> String {
        guard let v else { return "" }
        switch v {
        case .null: return "-"
        case .string(let s): return s
        case .double(let d): return d.isNaN ? "NaN" : (d.isInfinite ? (d > 0 ? "inf" : "-inf") : "\(d)")
        case .int(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .array(let a): return a.map { cell($0) }.joined(separator: ",")
        case .object: return JSONWriter.string(v)
        }
    }

    /// Left-aligned columns with a header row.
    static func table(_ header: [String], _ rows: [[String]]) {
        var widths = header.map(\.count)
        for r in rows {
            for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                i == cells.count - 1 ? c : c + String(repeating: " ", count: max(0, widths[i] - c.count))
            }.joined(separator: "  ")
        }
        print(line(header))
        for r in rows { print(line(r)) }
    }

    /// `key: value` lines for one object.
    static func fields(_ pairs: [(String, String)]) {
        let w = pairs.map(\.0.count).max() ?? 0
        for (k, v) in pairs { print(k + ":" + String(repeating: " ", count: w - k.count + 1) + v) }
    }

    /// One trial as `key: value` lines.
    static func trial(_ t: JSONValue) {
        var pairs: [(String, String)] = [
            ("trial_id", cell(t["trial_id"])), ("number", cell(t["number"])), ("study", cell(t["study_name"])),
            ("state", cell(t["state"])), ("values", cell(t["values"])),
        ]
        for (k, v) in (t["params"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            pairs.append(("param " + k, cell(v)))
        }
        if let c = t["constraints"], !c.isNull { pairs.append(("constraints", cell(c))) }
        pairs.append(("started", cell(t["datetime_start"])))
        pairs.append(("completed", cell(t["datetime_complete"])))
        fields(pairs)
    }

    /// Trials as a table with one column per parameter.
    static func trials(_ list: [JSONValue]) {
        let paramNames = Set(list.flatMap { $0["params"]?.objectValue?.keys.map { $0 } ?? [] }).sorted()
        let rows = list.map { t in
            [cell(t["number"]), cell(t["trial_id"]), cell(t["state"]), cell(t["values"])]
                + paramNames.map { cell(t["params"]?[$0]) }
        }
        table(["number", "trial_id", "state", "values"] + paramNames.map { "params." + $0 }, rows)
    }

    /// A word quoted for POSIX shells.
    static func shellQuoted(_ s: String) -> String {
        "'" + s.replacingAll("'", with: "'\\''") + "'"
    }

    /// An environment variable name for a parameter: upper case, other characters as `_`.
    static func envName(_ param: String) -> String {
        String(param.uppercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
