import Foundation
import Testing

@testable import OptunaStorage

/// Optuna's naive-UTC `DATETIME` text.
@Suite struct SQLiteDateTests {
    @Test(arguments: [
        (0.0, "1970-01-01 00:00:00.000000"),
        (1_764_390_245.123456, "2025-11-29 04:24:05.123456"),
        (951_782_400.5, "2000-02-29 00:00:00.500000"),
        (-1.000001, "1969-12-31 23:59:58.999999"),
        (4_102_444_799.999999, "2099-12-31 23:59:59.999999"),
    ])
    func formatsAndParsesBack(seconds: Double, text: String) throws {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(SQLiteDate.format(date) == text)
        let parsed = try #require(SQLiteDate.parse(text))
        #expect(SQLiteDate.format(parsed) == text)
        #expect(parsed == SQLiteDate.normalized(date))
    }

    @Test(arguments: [
        ("2026-01-02 03:04:05", "2026-01-02 03:04:05.000000"),
        ("2026-01-02T03:04:05.000001", "2026-01-02 03:04:05.000001"),
        ("2026-01-02 03:04:05.5", "2026-01-02 03:04:05.500000"),
        ("2026-01-02 03:04:05.1234567", "2026-01-02 03:04:05.123456"),
    ])
    func acceptsOtherSpellingsOptunaAccepts(text: String, canonical: String) throws {
        #expect(SQLiteDate.format(try #require(SQLiteDate.parse(text))) == canonical)
    }

    @Test(arguments: ["", "2026-01-02", "2026-13-02 03:04:05", "2026-01-02 03:04:05+00:00", "2026-01-02 03:04:05."])
    func refusesOtherText(text: String) {
        #expect(SQLiteDate.parse(text) == nil)
    }

    @Test func normalizedDatesRoundTripExactly() {
        var seconds = 1_700_000_000.0
        for _ in 0..<1000 {
            seconds += 0.000_123_457_1
            let date = SQLiteDate.normalized(Date(timeIntervalSince1970: seconds))
            #expect(SQLiteDate.parse(SQLiteDate.format(date)) == date)
        }
    }
}
