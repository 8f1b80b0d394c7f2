import Foundation

/// The builtin functions, each defined once, here: its name (the case's raw
/// value), the arguments it takes, the type of its result and its value. The
/// checker types a call from `signature`, the engine evaluates it with
/// `apply`, the IR writes the name, and the list of functions a diagnostic
/// offers is `allCases`. The block path has no column-wise form of any of
/// them: it runs a call's per-record closure for each record of a block.
enum Builtin: String, Sendable, CaseIterable {
    case min, max, abs, round, ceil, floor, coalesce, present, year, days, len, contains, startsWith = "starts_with"

    /// What an argument must be.
    enum Argument {
        case number, date, text
        /// A number, or a date (`min`, `max` of dates).
        case numberOrDate
        /// A whole, dimensionless number of decimals (`round(x, 2)`).
        case decimals
        case any
    }

    /// The type of a call's result, from its arguments' types.
    enum Result {
        /// The one type all arguments are unified to.
        case unified
        case firstArgument
        /// A number in the first argument's unit, whole unless decimals are given (`round`).
        case rounded
        /// A whole number in the first argument's unit (`ceil`, `floor`).
        case wholeInUnit
        case bool
        /// A whole, dimensionless number (`year`, `days`, `len`).
        case count
    }

    struct Signature {
        let arity: ClosedRange<Int>
        /// The kind of each argument; the last one stands for any further arguments.
        let arguments: [Argument]
        let result: Result

        func argument(_ i: Int) -> Argument {
            arguments.isEmpty ? .any : arguments[Swift.min(i, arguments.count - 1)]
        }
    }

    var signature: Signature {
        switch self {
        case .min, .max: return Signature(arity: 2...Int.max, arguments: [.numberOrDate, .any], result: .unified)
        case .abs: return Signature(arity: 1...1, arguments: [.number], result: .firstArgument)
        case .round: return Signature(arity: 1...2, arguments: [.number, .decimals], result: .rounded)
        case .ceil, .floor: return Signature(arity: 1...1, arguments: [.number], result: .wholeInUnit)
        case .coalesce: return Signature(arity: 1...Int.max, arguments: [.any], result: .unified)
        case .present: return Signature(arity: 1...1, arguments: [.any], result: .bool)
        case .year: return Signature(arity: 1...1, arguments: [.date], result: .count)
        case .days: return Signature(arity: 2...2, arguments: [.date, .date], result: .count)
        case .len: return Signature(arity: 1...1, arguments: [.text], result: .count)
        case .contains, .startsWith: return Signature(arity: 2...2, arguments: [.text, .text], result: .bool)
        }
    }

    /// Whether the call works in the unit its first argument is shown in
    /// (the checker passes that unit's scale to `apply`).
    var usesScale: Bool {
        switch signature.result {
        case .rounded, .wholeInUnit: return true
        case .unified, .firstArgument, .bool, .count: return false
        }
    }

    /// The value of a call on `args`, evaluated; `scale` is the display
    /// scale of the first argument's unit (see `usesScale`). Unknown
    /// arguments give unknown results, except where the function is about
    /// them (`present`, `coalesce`).
    func apply(_ args: [Value], scale: Double) -> Value {
        guard let first = args.first else { return .undefined(.internalError) }
        func number(_ f: (Double) -> Double) -> Value {
            guard case .number(let d) = first else { return first }
            return finiteNumber(f(d))
        }
        switch self {
        case .min, .max:
            var best: Value?
            var unknown: Value?
            for v in args {
                if isUnknown(v) { unknown = unknown.map { mergeUnknown($0, v) ?? $0 } ?? v; continue }
                if let cur = best, let c = compareValues(v, cur) {
                    if self == .max ? c > 0 : c < 0 { best = v }
                } else if best == nil {
                    best = v
                }
            }
            return unknown ?? best ?? .undefined(.internalError)
        case .abs: return number { Swift.abs($0) }
        // Nudged towards the other direction first, so 30.000000001 does not ceil to 31.
        case .ceil: return number { (($0 / scale) - 1e-9).rounded(.up) * scale }
        case .floor: return number { (($0 / scale) + 1e-9).rounded(.down) * scale }
        case .round:
            guard case .number(let d) = first else { return first }
            var places = 0.0
            if args.count > 1 {
                guard case .number(let k) = args[1] else { return args[1] }
                places = Swift.max(0, Swift.min(12, k))
            }
            let f = Foundation.pow(10, places)
            return finiteNumber(((d / scale) * f).rounded(.toNearestOrAwayFromZero) / f * scale)
        case .coalesce:
            var last: Value = .missing([])
            for v in args {
                if !isUnknown(v) { return v }
                last = mergeUnknown(last, v) ?? v
            }
            return last
        case .present:
            return .bool(!isUnknown(first))
        case .year:
            guard case .date(let d) = first else { return first }
            return .number(Double(CivilDate.components(d).year))
        case .days:
            guard args.count == 2 else { return .undefined(.internalError) }
            if let u = mergeUnknown(first, args[1]) { return u }
            guard case .date(let p) = first, case .date(let q) = args[1] else { return .undefined(.internalError) }
            return .number(Double(q - p))
        case .len:
            guard case .text(let s) = first else { return first }
            return .number(Double(s.count))
        case .contains, .startsWith:
            guard args.count == 2 else { return .undefined(.internalError) }
            if let u = mergeUnknown(first, args[1]) { return u }
            guard case .text(let s) = first, case .text(let t) = args[1] else { return .undefined(.internalError) }
            return .bool(self == .startsWith ? s.hasPrefix(t) : (t.isEmpty || s.contains(t)))
        }
    }
}
