import Foundation

/// The algebra of values every evaluator shares (the engine's closures,
/// its block path, the builtins): equality within the tolerance, unknowns
/// and how they merge, numbers that must stay finite, order.

/// Numbers within a relative 1e-9 compare equal, so a value converted from
/// 万元 to 元 is not pushed across a threshold by binary rounding.
@inline(__always) func approxEqual(_ a: Double, _ b: Double) -> Bool {
    if a == b { return true }
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b))
}

@inline(__always) func mergeUnknown(_ a: Value, _ b: Value) -> Value? {
    switch (a, b) {
    case (.missing(let x), .missing(let y)):
        var m = x
        for f in y where !m.contains(f) { m.append(f) }
        return .missing(m)
    case (.missing, _): return a
    case (_, .missing): return b
    case (.undefined, _): return a
    case (_, .undefined): return b
    default: return nil
    }
}

@inline(__always) func isUnknown(_ v: Value) -> Bool {
    switch v {
    case .missing, .undefined: return true
    default: return false
    }
}

/// A number, or undefined when it overflowed to ±∞ or is NaN: no rule may
/// pass or fail on a value that is not one.
@inline(__always) func finiteNumber(_ d: Double) -> Value {
    d.isFinite ? .number(d) : .undefined(.overflow)
}

/// −1, 0, 1, or nil when the values are of different kinds.
@inline(__always) func compareValues(_ a: Value, _ b: Value) -> Int? {
    switch (a, b) {
    case (.number(let x), .number(let y)):
        if approxEqual(x, y) { return 0 }
        return x < y ? -1 : 1
    case (.text(let x), .text(let y)): return x == y ? 0 : (x < y ? -1 : 1)
    case (.bool(let x), .bool(let y)): return x == y ? 0 : (!x ? -1 : 1)
    case (.date(let x), .date(let y)): return x == y ? 0 : (x < y ? -1 : 1)
    default: return nil
    }
}

/// A value as a message or `explain` writes it: numbers in the unit of
/// their type, booleans as 是/否, dates in ISO form, unknowns as a dash.
extension Value {
    func shown(_ ty: Ty, decimals: Int? = nil) -> String {
        switch self {
        case .number(let d):
            var scale = 1.0
            if case .number(let n) = ty { scale = n.unit.scale }
            return formatNumber(d / scale, decimals: decimals)
        case .text(let s): return s
        case .bool(let b): return b ? "是" : "否"
        case .date(let d): return CivilDate.format(d)
        case .missing: return "—"
        case .undefined: return "—"
        }
    }

    /// As `shown`, a number followed by its unit (`1000 万元`).
    func shownWithUnit(_ ty: Ty) -> String {
        var s = shown(ty)
        if case .number = self, case .number(let n) = ty, !n.unit.symbol.isEmpty { s += " " + n.unit.symbol }
        return s
    }
}
