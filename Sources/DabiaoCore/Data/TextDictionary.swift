/// The distinct texts of a column, each with a code (its position), looked
/// up by UTF-8 bytes. Reading millions of cells then creates one String per
/// distinct value, not one per cell, and a key column doubles as the
/// key → record index (codes of accepted keys are record numbers).
///
/// The bytes of every text are kept in one arena and each slot packs the
/// hash beside the code, so a lookup touches one slot and one run of bytes
/// and no String at all.
public struct TextDictionary: Sendable {
    public private(set) var strings: [String] = []
    private var arena: [UInt8] = []
    /// Start of each text in `arena`; text c ends where c + 1 starts.
    private var starts: [Int] = [0]
    /// Open addressing: hash (high 32 bits) and code + 1 (low 32); 0 is empty.
    private var slots: [UInt64] = []
    private var mask = 0

    public init() {}

    public var count: Int { strings.count }

    @inline(__always)
    static func hash(_ p: UnsafeBufferPointer<UInt8>) -> UInt32 {
        // 8 bytes at a time, multiply-xorshift mixing.
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(p.count)
        var i = 0
        let n = p.count
        if let base = p.baseAddress {
            let raw = UnsafeRawPointer(base)
            while i + 8 <= n {
                let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                h = (h ^ w) &* 0xBF58_476D_1CE4_E5B9
                h ^= h >> 31
                i += 8
            }
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                tail |= UInt64(base[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
            h ^= h >> 29
        }
        return UInt32(truncatingIfNeeded: h ^ (h >> 32)) | 1
    }

    @inline(__always)
    func equal(_ c: Int, _ p: UnsafeBufferPointer<UInt8>) -> Bool {
        let s = starts[c]
        let len = starts[c + 1] - s
        guard len == p.count else { return false }
        if len == 0 { return true }
        return arena.withUnsafeBufferPointer { a in
            guard let x = a.baseAddress, let y = p.baseAddress else { return false }
            return memcmp(x + s, y, len) == 0
        }
    }

    public func code(bytes p: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard !slots.isEmpty else { return nil }
        let h = TextDictionary.hash(p)
        var i = Int(h) & mask
        while true {
            let s = slots[i]
            if s == 0 { return nil }
            if UInt32(truncatingIfNeeded: s >> 32) == h {
                let c = Int(UInt32(truncatingIfNeeded: s)) - 1
                if equal(c, p) { return Int32(c) }
            }
            i = (i + 1) & mask
        }
    }

    public func code(of text: String) -> Int32? {
        var t = text
        return t.withUTF8 { code(bytes: $0) }
    }

    /// The code of these bytes, adding them when new.
    public mutating func insert(bytes p: UnsafeBufferPointer<UInt8>) -> (code: Int32, inserted: Bool) {
        if (strings.count + 1) * 4 >= slots.count * 3 { grow() }
        let h = TextDictionary.hash(p)
        var i = Int(h) & mask
        while true {
            let s = slots[i]
            if s == 0 { break }
            if UInt32(truncatingIfNeeded: s >> 32) == h {
                let c = Int(UInt32(truncatingIfNeeded: s)) - 1
                if equal(c, p) { return (Int32(c), false) }
            }
            i = (i + 1) & mask
        }
        let c = strings.count
        strings.append(String(decoding: p, as: UTF8.self))
        arena.append(contentsOf: p)
        starts.append(arena.count)
        slots[i] = UInt64(h) << 32 | UInt64(c + 1)
        return (Int32(c), true)
    }

    public mutating func insert(_ text: String) -> (code: Int32, inserted: Bool) {
        var t = text
        return t.withUTF8 { insert(bytes: $0) }
    }

    private mutating func grow() {
        let capacity = max(16, slots.count * 2)
        var fresh = [UInt64](repeating: 0, count: capacity)
        let m = capacity - 1
        for s in slots where s != 0 {
            var i = Int(UInt32(truncatingIfNeeded: s >> 32)) & m
            while fresh[i] != 0 { i = (i + 1) & m }
            fresh[i] = s
        }
        slots = fresh
        mask = m
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
