/// The CRC-32 checksum of zlib and Python's `binascii.crc32` (reflected polynomial `0xEDB88320`).
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// The register before any byte: ``checksum(_:)`` is `finish(update(start, bytes))`.
    static let start: UInt32 = 0xFFFF_FFFF

    /// The checksum of `bytes`.
    static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        finish(update(start, bytes))
    }

    /// The register after `bytes` follow the bytes that left it at `crc`.
    static func update(_ crc: UInt32, _ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc = crc
        for b in bytes { crc = update(crc, b) }
        return crc
    }

    /// The register after one more byte.
    @inline(__always)
    static func update(_ crc: UInt32, _ byte: UInt8) -> UInt32 {
        table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
    }

    /// The checksum of the bytes that left the register at `crc`.
    static func finish(_ crc: UInt32) -> UInt32 { crc ^ 0xFFFF_FFFF }
}
