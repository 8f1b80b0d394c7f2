import XCTest
@testable import DabiaoCore

/// Small helpers the rectification tests share.
enum Rect {
    /// A value as it is written into a CSV cell: whole numbers without a
    /// point, others with up to six decimals and no binary noise.
    static func cell(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        var s = String(format: "%.6f", d)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    static func round6(_ d: Double) -> Double { (d * 1e6).rounded() / 1e6 }

    /// Whether `x` is a whole multiple of `step` (up to decimal noise).
    static func isWholeMultiple(_ x: Double, of step: Double) -> Bool {
        let k = x / step
        return abs(k - k.rounded()) <= 1e-6 * max(1, abs(k))
    }

    static func date(_ y: Int, _ m: Int, _ d: Int) -> Int { CivilDate.days(year: y, month: m, day: d) ?? 0 }

    static func run(_ p: Program, _ data: Dataset, asOf: Int = Core.asOf) -> Report {
        Engine(program: p, data: data).run(RunOptions(asOf: asOf, showAll: true, workers: 1))
    }

    /// Positions of `keys` in `text` after `start`, each searched after the previous one;
    /// nil when one is missing, so the caller can assert the order.
    static func keyOrder(_ text: String, keys: [String], after start: String.Index) -> [String]? {
        var at = start
        var found: [String] = []
        for k in keys {
            guard let r = text.range(of: "\"\(k)\"", range: at..<text.endIndex) else { return nil }
            found.append(k)
            at = r.upperBound
        }
        return found
    }
}
