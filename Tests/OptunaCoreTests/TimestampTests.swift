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
