/// The distinct texts of a column, each with a code (its position), looked
/// up by UTF-8 bytes. Reading millions of cells then creates one String per
/// distinct value, not one per cell, and a key column doubles as the
/// key → record index (codes of accepted keys are record numbers).
public struct TextDictionary: Sendable {
    public private(set) var strings: [String] = []
    private var hashes: [UInt32] = []
    /// Open addressing: code + 1, 0 for an empty slot.
    private var slots: [Int32] = []
    private var mask = 0

    public init() {}

    public var count: Int { strings.count }

    @inline(__always)
    static func hash(_ p: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in p {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return UInt32(truncatingIfNeeded: h ^ (h >> 32))
    }

    @inline(__always)
    static func equal(_ s: String, _ p: UnsafeBufferPointer<UInt8>) -> Bool {
        var s = s
        return s.withUTF8 { q in
            q.count == p.count && (q.count == 0 || memcmpEqual(q, p))
        }
    }

    @inline(__always)
    static func memcmpEqual(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let x = a.baseAddress, let y = b.baseAddress else { return a.count == b.count }
        return memcmp(x, y, a.count) == 0
    }

    public func code(bytes p: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard !slots.isEmpty else { return nil }
        let h = TextDictionary.hash(p)
        var i = Int(h) & mask
        while true {
            let s = slots[i]
            if s == 0 { return nil }
            let c = Int(s - 1)
            if hashes[c] == h, TextDictionary.equal(strings[c], p) { return Int32(c) }
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
            let c = Int(s - 1)
            if hashes[c] == h, TextDictionary.equal(strings[c], p) { return (Int32(c), false) }
            i = (i + 1) & mask
        }
        let c = strings.count
        strings.append(String(decoding: p, as: UTF8.self))
        hashes.append(h)
        slots[i] = Int32(c + 1)
        return (Int32(c), true)
    }

    public mutating func insert(_ text: String) -> (code: Int32, inserted: Bool) {
        var t = text
        return t.withUTF8 { insert(bytes: $0) }
    }

    private mutating func grow() {
        let capacity = max(16, slots.count * 2)
        slots = [Int32](repeating: 0, count: capacity)
        mask = capacity - 1
        for (c, h) in hashes.enumerated() {
            var i = Int(h) & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = Int32(c + 1)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
