/// Writes JSON straight into UTF-8 bytes, pretty-printed with two spaces,
/// without building a tree first: a report of a million results costs one
/// buffer, not millions of small values.
struct JSONStream {
    private(set) var bytes: [UInt8] = []
    /// Per open container: whether it has a member yet.
    private var hasMember = OpenContainers()
    private var afterKey = false

    init(capacity: Int = 1 << 16) {
        bytes.reserveCapacity(capacity)
    }

    /// A stream that writes elements of a container open `depth` levels deep
    /// in another stream, for writing parts of one long array on several
    /// threads; `first` says whether its first element opens the array.
    init(elementsAt depth: Int, first: Bool, capacity: Int, buffer: [UInt8] = []) {
        bytes = buffer
        bytes.removeAll(keepingCapacity: true)
        bytes.reserveCapacity(capacity)
        for _ in 0..<max(0, depth - 1) { hasMember.append(true) }
        hasMember.append(!first)
    }

    /// The bytes written so far, leaving the stream empty but still inside
    /// its open containers.
    mutating func takeBytes() -> [UInt8] {
        defer { bytes = [] }
        return bytes
    }

    /// The innermost open container has members written by other streams.
    mutating func markHasMember() {
        if !hasMember.isEmpty { hasMember.innermost = true }
    }

    var depth: Int { hasMember.count }

    private mutating func newline() {
        let width = 2 * hasMember.count
        if width < JSONStream.indentation.utf8CodeUnitCount {
            // A StaticString: no reference count to touch per line, as a static array would.
            JSONStream.indentation.withUTF8Buffer { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[0...width])) }
        } else {
            bytes.append(0x0A)
            for _ in 0..<width { bytes.append(0x20) }
        }
    }

    /// A line break and the indentation of the deepest containers a report has, appended in one piece.
    static let indentation: StaticString = "\n                                "

    /// Comma and indentation before a value that is an array element.
    private mutating func beforeValue() {
        if afterKey {
            afterKey = false
            return
        }
        guard !hasMember.isEmpty else { return }
        if hasMember.innermost { bytes.append(UInt8(ascii: ",")) }
        hasMember.innermost = true
        newline()
    }

    /// A member name that comes from data or a tree, escaped as any string.
    mutating func key(named k: String) {
        if hasMember.innermost { bytes.append(UInt8(ascii: ",")) }
        hasMember.innermost = true
        newline()
        writeString(k)
        bytes.append(UInt8(ascii: ":"))
        bytes.append(0x20)
        afterKey = true
    }

    /// A member name written in the source, copied as it is: the names of
    /// the report's schema need no escaping, and millions of results each
    /// write a dozen of them.
    mutating func key(_ k: StaticString) {
        assert(k.withUTF8Buffer { $0.allSatisfy { $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") } })
        if hasMember.innermost { bytes.append(UInt8(ascii: ",")) }
        hasMember.innermost = true
        newline()
        bytes.append(UInt8(ascii: "\""))
        k.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        bytes.append(0x20)
        afterKey = true
    }

    mutating func beginObject() {
        beforeValue()
        bytes.append(UInt8(ascii: "{"))
        hasMember.append(false)
    }

    mutating func endObject() {
        let had = hasMember.removeLast()
        if had { newline() }
        bytes.append(UInt8(ascii: "}"))
    }

    mutating func beginArray() {
        beforeValue()
        bytes.append(UInt8(ascii: "["))
        hasMember.append(false)
    }

    mutating func endArray() {
        let had = hasMember.removeLast()
        if had { newline() }
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func string(_ s: String?) {
        beforeValue()
        guard let s else { append(JSONStream.null); return }
        writeString(s)
    }

    mutating func number(_ d: Double?) {
        beforeValue()
        guard let d, d.isFinite else { append(JSONStream.null); return }
        if d == d.rounded(), abs(d) < 1e15 {
            writeInt(Int64(d))
        } else {
            bytes.append(contentsOf: "\(d)".utf8)
        }
    }

    mutating func int(_ i: Int) {
        beforeValue()
        writeInt(Int64(i))
    }

    mutating func bool(_ b: Bool) {
        beforeValue()
        append(b ? JSONStream.trueBytes : JSONStream.falseBytes)
    }

    mutating func null() {
        beforeValue()
        append(JSONStream.null)
    }

    /// `key: "value"` in one call.
    mutating func field(_ k: StaticString, _ s: String?) { key(k); string(s) }
    mutating func field(_ k: StaticString, number d: Double?) { key(k); number(d) }
    mutating func field(_ k: StaticString, int i: Int) { key(k); int(i) }

    mutating func value(_ j: JSON) {
        switch j {
        case .null: null()
        case .bool(let b): bool(b)
        case .number(let d): number(d)
        case .string(let s): string(s)
        case .array(let xs):
            beginArray()
            for x in xs { value(x) }
            endArray()
        case .object(let ms):
            beginObject()
            for (k, v) in ms { key(named: k); value(v) }
            endObject()
        }
    }

    static let null: StaticString = "null"
    static let trueBytes: StaticString = "true"
    static let falseBytes: StaticString = "false"

    private mutating func append(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }
    static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func writeInt(_ v: Int64) {
        if v == 0 { bytes.append(UInt8(ascii: "0")); return }
        var x = v.magnitude
        if v < 0 { bytes.append(UInt8(ascii: "-")) }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            while x > 0 {
                d[n] = UInt8(x % 10) + 48
                x /= 10
                n += 1
            }
            for i in stride(from: n - 1, through: 0, by: -1) { bytes.append(d[i]) }
        }
    }

    private mutating func writeString(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        var t = s
        t.withUTF8 { p in
            var start = 0
            for (i, b) in p.enumerated() where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
                if start < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: p[start..<i])) }
                start = i + 1
                bytes.append(UInt8(ascii: "\\"))
                switch b {
                case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                default:
                    bytes.append(contentsOf: [UInt8(ascii: "u"), 48, 48, JSONStream.hex[Int(b >> 4)], JSONStream.hex[Int(b & 15)]])
                }
            }
            if start < p.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: p[start..<p.count])) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// The document, with a final newline.
    mutating func finish() -> [UInt8] {
        bytes.append(0x0A)
        return bytes
    }
}

/// Per open container of a `JSONStream`, whether it has a member yet: a
/// stack of bits, held in one word for the first 64 levels, so writing a
/// member touches no array.
struct OpenContainers {
    private var bits: UInt64 = 0
    private(set) var count = 0
    private var deeper: [Bool] = []

    var isEmpty: Bool { count == 0 }

    /// The innermost container's bit; false when none is open.
    var innermost: Bool {
        get {
            guard count > 0 else { return false }
            return count <= 64 ? bits & (1 << UInt64(count - 1)) != 0 : deeper[count - 65]
        }
        set {
            guard count > 0 else { return }
            if count <= 64 {
                if newValue { bits |= 1 << UInt64(count - 1) } else { bits &= ~(1 << UInt64(count - 1)) }
            } else {
                deeper[count - 65] = newValue
            }
        }
    }

    mutating func append(_ has: Bool) {
        count += 1
        if count > 64 { deeper.append(false) }
        innermost = has
    }

    mutating func removeLast() -> Bool {
        guard count > 0 else { return false }
        let had = innermost
        if count > 64 { deeper.removeLast() }
        if count <= 64 { bits &= ~(1 << UInt64(count - 1)) }
        count -= 1
        return had
    }
}
