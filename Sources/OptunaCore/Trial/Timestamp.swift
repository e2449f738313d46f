public import FoundationEssentials

/// Formats and parses the two timestamp spellings optunad uses, without calendars or locales.
///
/// - ``Style/iso8601``: `2026-11-29T05:06:07.123456Z` (UTC), the wire protocol's form.
/// - ``Style/optuna``: `2026-11-29 05:06:07.123456` (naive UTC), the form Optuna 5 writes to its database.
public enum Timestamp {
    /// A spelling.
    public enum Style: Sendable {
        /// ISO 8601 in UTC with microseconds and a `Z`.
        case iso8601
        /// Naive UTC with a space and microseconds, as Optuna's database stores it.
        case optuna
    }

    /// The text of `date` in `style`, with microsecond precision (truncated toward the past).
    public static func format(_ date: Date, _ style: Style) -> String {
        let parts = Parts(date)
        guard parts.hasFourDigitYear else {
            let text = "\(pad(parts.year, 4))-\(pad(parts.month, 2))-\(pad(parts.day, 2))\(style == .iso8601 ? "T" : " ")"
                + "\(pad(parts.seconds / 3600, 2)):\(pad(parts.seconds / 60 % 60, 2)):\(pad(parts.seconds % 60, 2))"
                + ".\(pad(parts.micros, 6))"
            return style == .iso8601 ? text + "Z" : text
        }
        // Four-digit years (all of them in practice): the digits go straight into the string's storage.
        return String(unsafeUninitializedCapacity: 27) { parts.fill($0, style) }
    }

    /// Appends the text of ``format(_:_:)`` to `out`, without an intermediate string.
    public static func write(_ date: Date, _ style: Style, into out: inout [UInt8]) {
        let parts = Parts(date)
        guard parts.hasFourDigitYear else {
            out.append(contentsOf: format(date, style).utf8)
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 27) { buffer in
            let count = parts.fill(buffer, style)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<count]))
        }
    }

    /// A date's calendar fields in UTC, to the microsecond (truncated toward the past).
    private struct Parts {
        var year: Int64
        var month: Int64
        var day: Int64
        /// Seconds since midnight.
        var seconds: Int64
        var micros: Int64

        init(_ date: Date) {
            let totalMicros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.down))
            var days = totalMicros / 86_400_000_000
            var micros = totalMicros % 86_400_000_000
            if micros < 0 {
                micros += 86_400_000_000
                days -= 1
            }
            (year, month, day) = Timestamp.civil(fromDays: days)
            seconds = micros / 1_000_000
            self.micros = micros % 1_000_000
        }

        var hasFourDigitYear: Bool { (0...9999).contains(year) }

        /// Writes the text (four-digit years only) into `buffer`, which holds at least 27 bytes; returns its length.
        func fill(_ buffer: UnsafeMutableBufferPointer<UInt8>, _ style: Style) -> Int {
            var i = 0
            func digits(_ value: Int64, _ width: Int) {
                var v = value
                for k in stride(from: width - 1, through: 0, by: -1) {
                    buffer[i + k] = 0x30 + UInt8(v % 10)
                    v /= 10
                }
                i += width
            }
            func byte(_ c: UInt8) {
                buffer[i] = c
                i += 1
            }
            digits(year, 4)
            byte(UInt8(ascii: "-"))
            digits(month, 2)
            byte(UInt8(ascii: "-"))
            digits(day, 2)
            byte(style == .iso8601 ? UInt8(ascii: "T") : UInt8(ascii: " "))
            digits(seconds / 3600, 2)
            byte(UInt8(ascii: ":"))
            digits(seconds / 60 % 60, 2)
            byte(UInt8(ascii: ":"))
            digits(seconds % 60, 2)
            byte(UInt8(ascii: "."))
            digits(micros, 6)
            if style == .iso8601 { byte(UInt8(ascii: "Z")) }
            return i
        }
    }

    /// Parses `YYYY-MM-DD[ T]HH:MM:SS[.ffffff][Z]` as UTC; nil when it is not of that shape.
    public static func parse(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count >= 19 else { return nil }
        func num(_ r: Range<Int>) -> Int64? {
            var v: Int64 = 0
            for i in r {
                guard i < b.count, b[i] >= 48, b[i] <= 57 else { return nil }
                v = v * 10 + Int64(b[i] - 48)
            }
            return v
        }
        guard let y = num(0..<4), b[4] == 45, let mo = num(5..<7), b[7] == 45, let d = num(8..<10),
            b[10] == 32 || b[10] == 84, let h = num(11..<13), b[13] == 58, let mi = num(14..<16), b[16] == 58,
            let s = num(17..<19), (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61
        else { return nil }
        var micros: Int64 = 0
        var i = 19
        if i < b.count, b[i] == 46 {
            i += 1
            var digits = 0
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                if digits < 6 {
                    micros = micros * 10 + Int64(b[i] - 48)
                    digits += 1
                }
                i += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<6 { micros *= 10 }
        }
        if i < b.count, b[i] == 90 { i += 1 }
        if i < b.count, b[i] == 43, b.count - i == 6, let oh = num(i + 1..<i + 3), let om = num(i + 4..<i + 6) {
            micros -= (oh * 3600 + om * 60) * 1_000_000
            i = b.count
        }
        guard i == b.count else { return nil }
        let days = daysFromCivil(y, mo, d)
        let total = Double(days * 86_400 + h * 3600 + mi * 60 + s) + Double(micros) / 1_000_000
        return Date(timeIntervalSince1970: total)
    }

    private static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    // Howard Hinnant's days-from-civil algorithms (proleptic Gregorian calendar).
    private static func daysFromCivil(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
