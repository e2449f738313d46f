import FoundationEssentials
import OptunaCore
import Testing

@Suite struct TimestampTests {
    @Test func formatsBothStyles() {
        let d = Date(timeIntervalSince1970: 1_796_015_167.123456)
        #expect(Timestamp.format(d, .iso8601) == "2026-11-30T05:06:07.123456Z")
        #expect(Timestamp.format(d, .optuna) == "2026-11-30 05:06:07.123456")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 0), .optuna) == "1970-01-01 00:00:00.000000")
    }

    /// Expected texts computed independently (Python's `datetime`), for instants exact in binary.
    @Test(arguments: [
        (-1.5, "1969-12-31T23:59:58.500000Z"),
        (-3_155_760_000.0, "1869-12-31T00:00:00.000000Z"),
        (951_782_400.0, "2000-02-29T00:00:00.000000Z"),
        (951_868_799.5, "2000-02-29T23:59:59.500000Z"),
        (1_234_567_890.25, "2009-02-13T23:31:30.250000Z"),
        (4_102_444_799.75, "2099-12-31T23:59:59.750000Z"),
        (253_402_300_799.0, "9999-12-31T23:59:59.000000Z"),
        (-62_135_596_800.0, "0001-01-01T00:00:00.000000Z"),
        (253_402_300_800.0, "10000-01-01T00:00:00.000000Z"),
    ])
    func formatsAcrossTheCalendar(seconds: Double, expected: String) throws {
        let d = Date(timeIntervalSince1970: seconds)
        #expect(Timestamp.format(d, .iso8601) == expected)
        let naive = String(expected.dropLast().map { $0 == "T" ? " " : $0 })
        #expect(Timestamp.format(d, .optuna) == naive)
        // Parsing reads four-digit years only.
        if expected.count == 27 { #expect(Timestamp.parse(expected).map { Timestamp.format($0, .iso8601) } == expected) }
    }

    @Test(arguments: ["2026-11-30 05:06:07.123456", "2026-11-30T05:06:07.123456Z", "2026-11-30 05:06:07.123456789"])
    func parsesWhatItWritesAndOptunaForms(_ text: String) throws {
        let d = try #require(Timestamp.parse(text))
        #expect(Timestamp.format(d, .optuna) == "2026-11-30 05:06:07.123456")
    }

    @Test func parsesWithoutFraction() throws {
        let d = try #require(Timestamp.parse("2026-01-02 03:04:05"))
        #expect(Timestamp.format(d, .iso8601) == "2026-01-02T03:04:05.000000Z")
        #expect(Timestamp.parse("2026-13-02 03:04:05") == nil)
        #expect(Timestamp.parse("yesterday") == nil)
    }
}
