/// The distinct texts of a column, each with a code (its position), looked
/// up by UTF-8 bytes. Reading millions of cells then creates one String per
/// distinct value, not one per cell, and a key column doubles as the
/// key → record index (codes of accepted keys are record numbers).
///
/// The bytes of every text are kept in one arena and each slot packs the
/// hash beside the code, so a lookup touches one slot and one run of bytes
/// and no String at all.
struct TextDictionary: Sendable {
    /// Each text is held once, as bytes; a String is made only when read.
    private var arena: [UInt8] = []
    /// Start of each text in `arena`; text c ends where c + 1 starts. Four
    /// bytes each while the arena stays within 4 GiB, which one input file
    /// (at most 4 GiB) cannot pass; several files of one entity could, and
    /// then `wideStarts` takes over.
    private var starts: [UInt32] = [0]
    private var wideStarts: [Int] = []
    /// The largest start kept in four bytes (lowered by tests).
    private let narrowLimit: Int

    @inline(__always) private func start(_ c: Int) -> Int { wideStarts.isEmpty ? Int(starts[c]) : wideStarts[c] }

    private mutating func appendStart(_ s: Int) {
        if wideStarts.isEmpty {
            if s <= narrowLimit, let narrow = UInt32(exactly: s) {
                starts.append(narrow)
                return
            }
            wideStarts = starts.map(Int.init)
            starts = []
        }
        wideStarts.append(s)
    }
    /// Open addressing: hash (high 32 bits) and code + 1 (low 32); 0 is empty.
    /// Empty when sorted, and when released (`releaseIndex`).
    private var slots: [UInt64] = []
    private var mask = 0
    /// While every text arrived in strictly increasing byte order (record
    /// numbers, codes exported sorted) no table is needed: a new text is
    /// unique because it is greater than the last, and a lookup is a binary
    /// search. The first text out of order builds the table.
    private var sorted = true
    /// No text has a byte above 0x7F.
    private var asciiOnly = true

    /// Whether codes compare as their texts do with String's `<`: every
    /// text arrived in increasing byte order, and byte order is String order
    /// for ASCII (not always beyond it: String compares canonical forms).
    var ordersLikeStrings: Bool { sorted && asciiOnly }

    private mutating func noteASCII(_ p: UnsafeBufferPointer<UInt8>) {
        if asciiOnly, p.contains(where: { $0 >= 0x80 }) { asciiOnly = false }
    }

    init() { narrowLimit = Int(UInt32.max) }

    init(narrowLimit: Int) { self.narrowLimit = narrowLimit }

    /// Whether the starts of the texts take eight bytes each.
    var hasWideStarts: Bool { !wideStarts.isEmpty }

    var count: Int { (wideStarts.isEmpty ? starts.count : wideStarts.count) - 1 }

    /// Text number `c`.
    func text(_ c: Int) -> String {
        guard c >= 0, c < count else { return "" }
        return arena.withUnsafeBufferPointer { a in
            String(decoding: UnsafeBufferPointer(rebasing: a[start(c)..<start(c + 1)]), as: UTF8.self)
        }
    }

    /// All texts in code order.
    var strings: TextView { TextView(dictionary: self) }

    struct TextView: RandomAccessCollection, Sendable {
        let dictionary: TextDictionary
        var startIndex: Int { 0 }
        var endIndex: Int { dictionary.count }
        subscript(i: Int) -> String { dictionary.text(i) }
    }

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
        let s = start(c)
        let len = start(c + 1) - s
        guard len == p.count else { return false }
        if len == 0 { return true }
        return arena.withUnsafeBufferPointer { a in
            guard let x = a.baseAddress, let y = p.baseAddress else { return false }
            // Codes and keys are short: compare a word at a time, no call.
            let rx = UnsafeRawPointer(x + s), ry = UnsafeRawPointer(y)
            var i = 0
            while i + 8 <= len {
                if rx.loadUnaligned(fromByteOffset: i, as: UInt64.self) != ry.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
                i += 8
            }
            while i < len {
                if x[s + i] != y[i] { return false }
                i += 1
            }
            return true
        }
    }

    /// −1, 0, 1: text c against the bytes.
    @inline(__always)
    func compare(_ c: Int, _ p: UnsafeBufferPointer<UInt8>) -> Int {
        let s = start(c)
        let len = start(c + 1) - s
        let n = min(len, p.count)
        let r: Int32 = n == 0 ? 0 : arena.withUnsafeBufferPointer { a in
            guard let x = a.baseAddress, let y = p.baseAddress else { return 0 }
            return memcmp(x + s, y, n)
        }
        if r != 0 { return r < 0 ? -1 : 1 }
        return len == p.count ? 0 : (len < p.count ? -1 : 1)
    }

    /// Whether no text has a byte above 0x7F: then byte order is String order.
    var isASCII: Bool { asciiOnly }

    /// −1, 0, 1: text a against text b, byte by byte.
    func compare(_ a: Int, _ b: Int) -> Int {
        guard a >= 0, a < count, b >= 0, b < count else { return a < b ? -1 : (a == b ? 0 : 1) }
        return arena.withUnsafeBufferPointer { buf in compare(a, UnsafeBufferPointer(rebasing: buf[start(b)..<start(b + 1)])) }
    }

    func code(bytes p: UnsafeBufferPointer<UInt8>) -> Int32? {
        if sorted {
            var lo = 0
            var hi = count - 1
            while lo <= hi {
                let mid = (lo + hi) / 2
                let c = compare(mid, p)
                if c == 0 { return Int32(mid) }
                if c < 0 { lo = mid + 1 } else { hi = mid - 1 }
            }
            return nil
        }
        guard !slots.isEmpty else { return scan(for: p) }
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

    /// A lookup without the table (released): every text compared, in code order.
    private func scan(for p: UnsafeBufferPointer<UInt8>) -> Int32? {
        for c in 0..<count where equal(c, p) { return Int32(c) }
        return nil
    }

    /// Whether a lookup takes a binary search or a hash probe; false once
    /// the table is released, when only a scan finds a text.
    var isIndexed: Bool { sorted || !slots.isEmpty }

    /// Drops the hash table (eight bytes a slot, some 16 MB for a million
    /// distinct names) once loading is over and no step will look texts up
    /// here; `restoreIndex` builds it again for one that does.
    mutating func releaseIndex() {
        guard !sorted else { return }
        slots = []
        mask = 0
    }

    mutating func restoreIndex() {
        if !isIndexed { buildTable() }
    }

    func code(of text: String) -> Int32? {
        var t = text
        return t.withUTF8 { code(bytes: $0) }
    }

    /// For each text of this dictionary, in code order, its code in `other`
    /// (−1 when `other` lacks it): how one column's codes become another's,
    /// a reference's codes rows of the table it names. No String is made,
    /// and the lookups are shared by every core.
    func translated(into other: TextDictionary) -> [Int32] {
        // When `other` gave its table up, a table held only while translating
        // (looking other's texts up in a sorted key instead, and turning the
        // answer around, took twice as long: a binary search per text).
        let other = { var o = other; o.restoreIndex(); return o }()
        let texts = self
        return concurrentParts(count: count, parts: 4 * ProcessInfo.processInfo.activeProcessorCount) { range in
            texts.arena.withUnsafeBufferPointer { a in
                range.map { c in other.code(bytes: UnsafeBufferPointer(rebasing: a[texts.start(c)..<texts.start(c + 1)])) ?? -1 }
            }
        }
    }

    /// The code of these bytes, adding them when new.
    mutating func insert(bytes p: UnsafeBufferPointer<UInt8>) -> (code: Int32, inserted: Bool) {
        if sorted {
            if count == 0 || compare(count - 1, p) < 0 {
                let c = count
                noteASCII(p)
                arena.append(contentsOf: p)
                appendStart(arena.count)
                return (Int32(c), true)
            }
            // A repeated text means the column is not a run of unique codes:
            // from here on a hash lookup beats a binary search per cell.
            let found = code(bytes: p)
            buildTable()
            if let found { return (found, false) }
        }
        if (count + 1) * 4 >= slots.count * 3 { grow() }
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
        let c = count
        noteASCII(p)
        arena.append(contentsOf: p)
        appendStart(arena.count)
        slots[i] = UInt64(h) << 32 | UInt64(c + 1)
        return (Int32(c), true)
    }

    mutating func insert(_ text: String) -> (code: Int32, inserted: Bool) {
        var t = text
        return t.withUTF8 { insert(bytes: $0) }
    }

    /// Leaves sorted mode: hashes every text so far into a table.
    private mutating func buildTable() {
        sorted = false
        var capacity = 16
        while capacity * 3 <= (count + 1) * 4 { capacity *= 2 }
        slots = [UInt64](repeating: 0, count: capacity)
        mask = capacity - 1
        arena.withUnsafeBufferPointer { a in
            for c in 0..<count {
                let p = UnsafeBufferPointer(rebasing: a[start(c)..<start(c + 1)])
                let h = TextDictionary.hash(p)
                var i = Int(h) & mask
                while slots[i] != 0 { i = (i + 1) & mask }
                slots[i] = UInt64(h) << 32 | UInt64(c + 1)
            }
        }
    }

    /// Room for `n` more texts without growing.
    mutating func reserve(_ n: Int) {
        if wideStarts.isEmpty { starts.reserveCapacity(starts.count + n) } else { wideStarts.reserveCapacity(wideStarts.count + n) }
    }

    private mutating func grow() {
        // A table given up (`releaseIndex`) is built again from the texts.
        guard !slots.isEmpty else {
            buildTable()
            return
        }
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

import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
