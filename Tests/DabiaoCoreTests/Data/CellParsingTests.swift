import XCTest
@testable import DabiaoCore

final class CellParsingTests: XCTestCase {
    private func number(_ s: String) -> Double? { parseNumber(s).value?.value }

    func testPlainNumbers() {
        XCTAssertEqual(number("1234"), 1234)
        XCTAssertEqual(number("-3.5"), -3.5)
        XCTAssertEqual(number("+7"), 7)
        XCTAssertEqual(number("0.1"), 0.1)
        XCTAssertEqual(number("19999.99"), 19999.99)
        XCTAssertEqual(number(".5"), 0.5)
        XCTAssertEqual(number("1e3"), 1000)
        XCTAssertEqual(number("2.5E-2"), 0.025)
        XCTAssertEqual(number("-0"), 0)
        XCTAssertEqual(number("12345678901234567890"), 12345678901234567890.0)
        XCTAssertEqual(number("3.14159265358979323846"), 3.14159265358979323846)
        XCTAssertEqual(number("0.000000000000000000000001234"), 1.234e-24)
    }

    func testThousandsSeparators() {
        XCTAssertEqual(number("1,234.5"), 1234.5)
        XCTAssertEqual(number("12,345,678"), 12345678)
        XCTAssertEqual(number("１，２３４"), 1234)
        XCTAssertNil(number("12,34"))
        XCTAssertNil(number("1,2345"))
        XCTAssertNil(number(",123"))
        XCTAssertNil(number("1,,234"))
    }

    func testFullWidthAndWhitespace() {
        XCTAssertEqual(number("１２３"), 123)
        XCTAssertEqual(number("－５"), -5)
        XCTAssertEqual(number("３．５"), 3.5)
        XCTAssertEqual(number("\u{3000}42\u{3000}"), 42)
        XCTAssertEqual(number("  42\t"), 42)
        XCTAssertEqual(number("\u{2212}8"), -8)
    }

    func testPercent() {
        XCTAssertEqual(parseNumber("45%"), .value(ParsedNumber(value: 0.45, isPercent: true)))
        XCTAssertEqual(parseNumber("４５％"), .value(ParsedNumber(value: 0.45, isPercent: true)))
        XCTAssertEqual(parseNumber("12.5 %"), .value(ParsedNumber(value: 0.125, isPercent: true)))
        XCTAssertEqual(parseNumber("45"), .value(ParsedNumber(value: 45, isPercent: false)))
        XCTAssertNil(number("%"))
        XCTAssertNil(number("45%%"))
    }

    func testRejectedNumbers() {
        for text in ["约100", "100人", "abc", "1.2.3", "--5", "1e", "e5", "0x10", "inf", "nan", "+", "1 000", "100万"] {
            XCTAssertEqual(parseNumber(text).error?.kind, .notANumber, text)
            XCTAssertEqual(parseNumber(text).error?.reason, "不是数字", text)
        }
        XCTAssertEqual(parseNumber("1e400").error?.kind, .outOfRange)
        XCTAssertEqual(parseNumber("abc").error?.reasonEN, "not a number")
    }

    func testEmptyAndMarkers() {
        XCTAssertEqual(parseNumber(""), .empty(marker: nil))
        XCTAssertEqual(parseNumber("  \u{3000}"), .empty(marker: nil))
        for marker in ["—", "－", "-", "/", "无", "N/A", "NA", "n/a", "--", "——", "#N/A", "／"] {
            XCTAssertTrue(parseNumber(marker).isEmpty, marker)
            XCTAssertTrue(parseBool(marker).isEmpty, marker)
            XCTAssertTrue(parseDate(marker).isEmpty, marker)
            XCTAssertNotNil(emptyCell(marker), marker)
        }
        XCTAssertEqual(parseNumber(" — "), .empty(marker: "—"))
        XCTAssertEqual(parseNumber("－"), .empty(marker: "-"))
        XCTAssertEqual(emptyCell(" "), .blank)
        XCTAssertEqual(emptyCell("N/A"), .marker("N/A"))
        XCTAssertNil(emptyCell("0"))
        XCTAssertNil(emptyCell("否"))
    }

    func testUTF8FastPathMatchesStringPath() {
        for text in ["1234", " -3.5 ", "1,234.5", "45%", "１２３", "—", "", "abc", "N/A", "1e3", "约100"] {
            let viaBytes = Array(text.utf8).withUnsafeBufferPointer { parseNumber(utf8: $0) }
            XCTAssertEqual(viaBytes, parseNumber(text), text)
        }
    }

    func testIntegers() {
        XCTAssertEqual(parseInteger("1,200"), .value(1200))
        XCTAssertEqual(parseInteger("12.0"), .value(12))
        XCTAssertEqual(parseInteger("-7"), .value(-7))
        XCTAssertEqual(parseInteger("12.5").error?.kind, .notWhole)
        XCTAssertEqual(parseInteger("12.5").error?.reason, "不是整数")
        XCTAssertEqual(parseInteger("1e30").error?.kind, .outOfRange)
        XCTAssertEqual(parseInteger("—"), .empty(marker: "—"))
        XCTAssertEqual(Array("３０".utf8).withUnsafeBufferPointer { parseInteger(utf8: $0) }, .value(30))
    }

    func testBooleans() {
        for t in ["是", "√", "✓", "Y", "y", "yes", "YES", "true", "True", "1", "Ｙ", " 是 "] {
            XCTAssertEqual(parseBool(t), .value(true), t)
        }
        for f in ["否", "×", "✗", "N", "n", "no", "No", "false", "FALSE", "0", "０"] {
            XCTAssertEqual(parseBool(f), .value(false), f)
        }
        XCTAssertEqual(parseBool("无"), .empty(marker: "无"))
        XCTAssertEqual(parseBool("有").error?.kind, .notABool)
        XCTAssertEqual(parseBool("2").error?.kind, .notABool)
        XCTAssertEqual(parseBool(""), .empty(marker: nil))
    }

    func testDates() {
        let d = daysSinceEpoch(year: 2024, month: 10, day: 31)
        XCTAssertEqual(d, 20027)
        for text in ["2024-10-31", "2024/10/31", "2024.10.31", "2024年10月31日", "2024年10月31", "2024 年 10 月 31 日",
                     "２０２４－１０－３１", "20241031", "2024/10/31 0:00:00", "2024-10-31T00:00:00Z", "2024-10-31 00:00"] {
            XCTAssertEqual(parseDate(text), .value(20027), text)
        }
        XCTAssertEqual(parseDate("2024-1-5").value, daysSinceEpoch(year: 2024, month: 1, day: 5))
        XCTAssertEqual(parseDate("1970-01-01"), .value(0))
        XCTAssertEqual(parseDate("1969-12-31"), .value(-1))
        XCTAssertEqual(parseDate("2024-02-29").value, daysSinceEpoch(year: 2024, month: 2, day: 29))
        XCTAssertEqual(parseDate("2024-02-30").error?.kind, .impossibleDate)
        XCTAssertEqual(parseDate("2023-02-29").error?.kind, .impossibleDate)
        XCTAssertEqual(parseDate("1900-02-29").error?.kind, .impossibleDate)
        XCTAssertEqual(parseDate("2024-13-01").error?.kind, .impossibleDate)
        XCTAssertEqual(parseDate("2024-10-31 08:30").error?.kind, .dateHasTime)
        for bad in ["10/31/2024", "2024-10", "2024/10-31", "24-10-31", "明天", "2024-10-31x", "45596"] {
            XCTAssertEqual(parseDate(bad).error?.kind, .notADate, bad)
        }
    }

    func testCivilRoundTrip() {
        for days in [-800_000, -1, 0, 1, 59, 60, 11_016, 20_027, 2_932_896] {
            let (y, m, d) = civilDate(fromDays: days)
            XCTAssertEqual(daysSinceEpoch(year: y, month: m, day: d), days)
        }
        XCTAssertEqual(formatISODate(days: 20027), "2024-10-31")
        XCTAssertEqual(formatISODate(days: 0), "1970-01-01")
        XCTAssertEqual(formatISODate(days: 20027 + 180), "2025-04-29")
    }

    func testExcelSerials() {
        XCTAssertEqual(excelSerialToDays(45596), .value(20027))           // 2024-10-31
        XCTAssertEqual(excelSerialToDays(45596.75), .value(20027))
        XCTAssertEqual(excelSerialToDays(25569), .value(0))
        XCTAssertEqual(excelSerialToDays(1).value.map { formatISODate(days: $0) }, "1900-01-01")
        XCTAssertEqual(excelSerialToDays(59).value.map { formatISODate(days: $0) }, "1900-02-28")
        XCTAssertEqual(excelSerialToDays(61).value.map { formatISODate(days: $0) }, "1900-03-01")
        XCTAssertEqual(excelSerialToDays(60).error?.kind, .impossibleDate)
        XCTAssertEqual(excelSerialToDays(0).error?.kind, .notAnExcelDate)
        XCTAssertEqual(excelSerialToDays(-3).error?.kind, .notAnExcelDate)
        XCTAssertEqual(excelSerialToDays(.nan).error?.kind, .notAnExcelDate)
        XCTAssertEqual(excelSerialToDays(0, system: .s1904).value.map { formatISODate(days: $0) }, "1904-01-01")
        XCTAssertEqual(excelSerialToDays(44134, system: .s1904), .value(20027))
    }
}
