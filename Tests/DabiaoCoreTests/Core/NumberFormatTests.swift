import XCTest
@testable import DabiaoCore

final class NumberFormatTests: XCTestCase {
    func testTwoDecimalsFromOneUpAndThreeSignificantDigitsBelow() {
        XCTAssertEqual(formatNumber(17), "17")
        XCTAssertEqual(formatNumber(18.537), "18.54")
        XCTAssertEqual(formatNumber(12852.1), "12852.1")
        XCTAssertEqual(formatNumber(-2.5), "-2.5")
        // Below 1 two decimals would put 0.397 at 0.4, on a 40 % threshold it does not meet.
        XCTAssertEqual(formatNumber(0.397), "0.397")
        XCTAssertEqual(formatNumber(0.3971), "0.397")
        XCTAssertEqual(formatNumber(0.4), "0.4")
        XCTAssertEqual(formatNumber(0.05123), "0.0512")
        XCTAssertEqual(formatNumber(0.004), "0.004", "a small value is not shown as 0")
        XCTAssertEqual(formatNumber(-0.0123), "-0.0123")
        XCTAssertEqual(formatNumber(0.0000001), "0", "beyond six decimals it is zero")
        XCTAssertEqual(formatNumber(0), "0")
        XCTAssertEqual(formatNumber(.nan), "—")
        XCTAssertEqual(formatNumber(0.397, decimals: 1), "0.4", "an explicit {x:.N} is kept")
    }

    /// `{x:.0}` is printed without Foundation's formatter; it must give C's
    /// `%.0f` for every value: ties to even, negative values that round to
    /// zero, integers, large values and fractions just around .5.
    func testNoDecimalsIsCsPercentPointZeroF() {
        var g = SeededRNG(seed: 31)
        var values: [Double] = [0, -0.0, 0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999999999999994, -0.3, 1e15 - 1, -(1e15 - 1),
                                4503599627370495.5, 0.5000000000000001, 166692.22, 9.5, 10.5]
        for _ in 0..<20_000 {
            let magnitude = Foundation.pow(10, g.double(-3...14))
            let v = g.double(-1...1) * magnitude
            values += [v, v.rounded(.down) + 0.5, -(v.rounded(.down) + 0.5)]
        }
        for v in values {
            XCTAssertEqual(formatNumber(v, decimals: 0), String(format: "%.0f", v), "\(v)")
        }
    }

    /// `{x:.N}` for N from 1 to 6, likewise: C's `%.Nf` on every value,
    /// ties and near-ties (0.25, 0.35, 1.005) included, negative values
    /// that round to zero keeping their sign.
    func testDecimalsAreCsPercentPointNF() {
        var g = SeededRNG(seed: 32)
        var values: [Double] = [0, -0.0, 0.25, 0.35, 1.005, -0.04, -0.00000049, 2.675, 166692.22, 999_999_999.95, 0.125, 1e-7]
        for _ in 0..<20_000 {
            let v = g.double(-1...1) * Foundation.pow(10, g.double(-7...9))
            let places = Double(g.int(1...6))
            let tie = ((v * Foundation.pow(10, places)).rounded(.down) + 0.5) / Foundation.pow(10, places)
            values += [v, tie, -tie]
        }
        var fast = 0
        for v in values {
            for n in 1...6 {
                XCTAssertEqual(formatNumber(v, decimals: n), String(format: "%.\(n)f", v), "\(v) .\(n)")
                if fixedPoint(v, decimals: n) != nil { fast += 1 }
            }
        }
        XCTAssertGreaterThan(fast, values.count * 5, "most values take the fast path")
    }
}
