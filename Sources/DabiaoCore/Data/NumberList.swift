/// Doubles held as Int32 while every one is a whole number an Int32 holds,
/// else as Doubles: counts of people, minutes, yuan, the solver's steps are
/// whole numbers, and four bytes each instead of eight is tens of megabytes
/// for millions of records. The first value that is not one (a fraction,
/// beyond Int32, −0) moves them all to Doubles. Every value reads back as
/// the very Double appended; NaN (missing, none) reads back as NaN.
struct NumberList: Sendable {
    /// While `whole`: the values, `Int32.min` for NaN.
    private var narrow: [Int32] = []
    private var wide: [Double] = []
    private var whole = true

    init() {}

    var count: Int { whole ? narrow.count : wide.count }

    /// Value `i`, which must be below `count`.
    @inline(__always) subscript(i: Int) -> Double {
        whole ? narrow[i].storedValue : wide[i]
    }

    /// The values at `range` (clamped to the list).
    func values(in range: Range<Int>) -> [Double] {
        let r = range.clamped(to: 0..<count)
        guard whole else { return Array(wide[r]) }
        return narrow[r].map(\.storedValue)
    }

    mutating func reserveCapacity(_ n: Int) {
        if whole { narrow.reserveCapacity(n) } else { wide.reserveCapacity(n) }
    }

    mutating func append(_ v: Double) {
        if whole {
            if v.isNaN { narrow.append(Int32.min); return }
            if let n = Int32(exactly: v), n != Int32.min, !(n == 0 && v.sign == .minus) { narrow.append(n); return }
            whole = false
            wide.reserveCapacity(max(narrow.capacity, narrow.count + 1))
            wide.append(contentsOf: narrow.lazy.map(\.storedValue))
            narrow = []
        }
        wide.append(v)
    }

    mutating func append(contentsOf other: NumberList) {
        if whole && other.whole {
            narrow += other.narrow
        } else {
            for i in 0..<other.count { append(other[i]) }
        }
    }
}

extension Int32 {
    /// A value stored as an Int32 (a number in a `NumberList`, a code in a
    /// `Column`), as the Double every reader gets: `Int32.min`, the mark of
    /// a missing one in both, as NaN.
    @inline(__always) var storedValue: Double { self == .min ? .nan : Double(self) }
}
