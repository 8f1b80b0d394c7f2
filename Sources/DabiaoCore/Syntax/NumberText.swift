import Foundation

/// Numbers as every output writes them. Upstream of the engine because a
/// rule's message and the 整改清单's reasons are still worded when a record
/// is evaluated; reports format with the same two functions.

/// Reports show at most 6 decimals: enough for any indicator, and free of
/// binary noise such as 20000.000000000004.
func roundForReport(_ d: Double) -> Double {
    // From about 9·10⁹ a Double holds no sixth decimal, and d · 10⁶ passes
    // 2⁵³: rounding there would invent digits (33465311433824 became …824.004).
    guard d.isFinite, abs(d) < 9.0e9 else { return d }
    let f = 1e6
    let r = (d * f).rounded() / f
    return r == 0 ? 0 : r
}

/// A fixed, locale-independent rendering: integers without a point, others
/// with at most `decimals` (default 2) places, trailing zeros dropped.
func formatNumber(_ d: Double, decimals: Int? = nil) -> String {
    guard d.isFinite else { return "—" }
    if let decimals {
        // Foundation's formatter costs more than the rest of a result.
        if let fixed = fixedPoint(d, decimals: decimals) { return fixed }
        return String(format: "%.\(decimals)f", d)
    }
    // Under 1, two decimals can mislead: a share of 0.397 must not read as
    // 0.4 beside a 40 % threshold. Such values keep three significant digits.
    var places = 2
    if d != 0, abs(d) < 1 {
        places = min(6, max(2, 2 - Int(Foundation.log10(abs(d)).rounded(.down))))
    }
    let f = Foundation.pow(10, Double(places))
    let r = (d * f).rounded() / f
    if r == r.rounded(), abs(r) < 1e15 {
        return String(Int64(r))
    }
    var s = String(format: "%.\(places)f", r)
    while s.hasSuffix("0") { s.removeLast() }
    if s.hasSuffix(".") { s.removeLast() }
    return s
}

/// `%.Nf` for 0 ≤ N ≤ 6 without Foundation's formatter, or nil where it
/// could differ. C rounds the exact binary value, ties to even, and keeps
/// the sign of a negative value that rounds to zero. For N = 0 the value
/// itself is rounded, exactly (|d| < 10¹⁵); for N ≥ 1, d · 10ᴺ (|d| < 10⁹)
/// is off by far less than 10⁻⁶, so only a product that close to a half (a
/// tie, or nearly one) is left to `String(format:)`.
func fixedPoint(_ d: Double, decimals: Int) -> String? {
    guard (0...6).contains(decimals), d.isFinite, abs(d) < (decimals == 0 ? 1e15 : 1e9) else { return nil }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = abs(d) * scale
    let r = scaled.rounded(.toNearestOrEven)
    guard decimals == 0 || abs(abs(scaled - r) - 0.5) > 1e-6 else { return nil }
    var digits = String(Int64(r))
    guard decimals > 0 else { return d.sign == .minus ? "-" + digits : digits }
    if digits.count <= decimals { digits = String(repeating: "0", count: decimals + 1 - digits.count) + digits }
    digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -decimals))
    return d.sign == .minus ? "-" + digits : digits
}
