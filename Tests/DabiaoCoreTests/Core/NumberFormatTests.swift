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
}
