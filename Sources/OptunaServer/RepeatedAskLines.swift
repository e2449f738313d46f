import OptunaCore
import OptunaProtocol
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One connection's last successful `ask` line, so that the same ask sent again with another id (a client asking
/// in a loop) is answered without parsing and checking its parameters again.
///
/// A line matches when it is byte for byte the remembered line except for the value of its `"id"` member: the
/// same bytes before that value and after it, and in between a single JSON string, number or null. Such a line is
/// valid JSON exactly when the remembered line was, with the same members and the same parameters, so the
/// parameters decoded then are this line's too. Any other line (another search space, a batch, an id of another
/// type) takes the full path, which answers it as before. Requests of one connection run one at a time; the lock
/// only makes sharing the cache between copies of a ``Dispatcher`` safe.
final class RepeatedAskLines: Sendable {
    /// A remembered line: the bytes around its id's value, and what its parameters decoded to.
    struct Entry: Sendable {
        let prefix: [UInt8]
        let suffix: [UInt8]
        let params: [String: JSONValue]
        let arguments: Dispatcher.AskArguments
    }

    /// The longest id text a match accepts (longer ids take the full path).
    static let maximumIDBytes = 256

    private let state = Mutex<(entry: Entry?, hits: Int)>((nil, 0))

    /// How many lines matched so far.
    var hits: Int { state.withLock { $0.hits } }

    /// The id and the remembered parameters when `line` repeats the remembered line but for its id.
    func match(_ line: [UInt8]) -> (id: JSONValue, entry: Entry)? {
        guard let entry = state.withLock({ $0.entry }) else { return nil }
        let fixed = entry.prefix.count + entry.suffix.count
        guard line.count > fixed, line.count - fixed <= Self.maximumIDBytes else { return nil }
        let idEnd = line.count - entry.suffix.count
        let same = line.withUnsafeBytes { bytes in
            entry.prefix.withUnsafeBytes { prefix in
                entry.suffix.withUnsafeBytes { suffix in
                    Self.equal(UnsafeRawBufferPointer(rebasing: bytes[..<prefix.count]), prefix)
                        && Self.equal(UnsafeRawBufferPointer(rebasing: bytes[idEnd...]), suffix)
                }
            }
        }
        guard same, let id = try? JSONParser.parse(line[entry.prefix.count..<idEnd]) else { return nil }
        switch id {
        case .string, .int, .double, .null: break
        default: return nil
        }
        state.withLock { $0.hits += 1 }
        return (id, entry)
    }

    private static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        guard let pa = a.baseAddress, let pb = b.baseAddress else { return true }
        return memcmp(pa, pb, a.count) == 0
    }

    /// Remembers a line that was answered as a successful `ask`, whose id's value lies at `idRange`.
    func remember(_ line: [UInt8], idRange: Range<Int>, params: [String: JSONValue], arguments: Dispatcher.AskArguments) {
        let entry = Entry(
            prefix: Array(line[..<idRange.lowerBound]), suffix: Array(line[idRange.upperBound...]), params: params,
            arguments: arguments)
        state.withLock { $0.entry = entry }
    }
}
