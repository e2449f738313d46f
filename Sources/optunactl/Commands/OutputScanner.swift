import OptunaCore

/// Reads a command's output for `optunactl run`: objective values and intermediate values.
///
/// The objective is the last match of the objective pattern (default: a word `objective=V`, with
/// `V1,V2,…` for several objectives). Intermediate values are matches of the report pattern (default:
/// `step=N value=V`); its first group is the step and its second the value. Values may be `nan`, `inf`
/// or `-inf`.
struct OutputScanner {
    /// The default objective pattern.
    static let defaultObjective = #"(?:^|\s)objective=(\S+)"#
    /// The default intermediate-value pattern.
    static let defaultReport = #"(?:^|\s)step=(\d+)\s+value=(\S+)"#

    private let objective: Regex<AnyRegexOutput>
    private let report: Regex<AnyRegexOutput>

    /// Compiles the patterns. - Throws: ``RunFailure`` naming the option whose pattern is invalid.
    init(objectivePattern: String?, reportPattern: String?) throws(RunFailure) {
        do {
            objective = try Regex(objectivePattern ?? Self.defaultObjective)
        } catch {
            throw RunFailure("--metric-regex: \(error)")
        }
        do {
            report = try Regex(reportPattern ?? Self.defaultReport)
        } catch {
            throw RunFailure("--report-regex: \(error)")
        }
    }

    /// The objective values on `line`, if it has them (the first group, or the whole match without groups).
    func objectiveValues(in line: String) -> [JSONValue]? {
        guard let match = try? objective.firstMatch(in: line) else { return nil }
        let text = match.output.count > 1 ? match.output[1].substring : match.output[0].substring
        guard let text else { return nil }
        let words = text.split(separator: ",").map(String.init)
        let numbers = words.compactMap(Self.number)
        return numbers.count == words.count && !numbers.isEmpty ? numbers : nil
    }

    /// The step and value reported on `line`, if any.
    func intermediate(in line: String) -> (step: Int64, value: JSONValue)? {
        guard let match = try? report.firstMatch(in: line), match.output.count > 2,
            let stepText = match.output[1].substring, let step = Int64(stepText), step >= 0,
            let valueText = match.output[2].substring, let value = Self.number(String(valueText))
        else { return nil }
        return (step, value)
    }

    /// The numbers in a metric file: separated by commas or white space.
    static func fileValues(_ text: String) -> [JSONValue]? {
        let words = text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" })
        let numbers = words.compactMap { number(String($0)) }
        return numbers.count == words.count && !numbers.isEmpty ? numbers : nil
    }

    /// A number, accepting `nan`, `inf` and `-inf` (as the protocol's strings).
    static func number(_ text: String) -> JSONValue? {
        switch text.lowercased() {
        case "nan": return "NaN"
        case "inf", "+inf", "infinity": return "Infinity"
        case "-inf", "-infinity": return "-Infinity"
        default: return Double(text).map(JSONValue.double)
        }
    }
}
