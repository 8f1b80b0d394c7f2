import XCTest
@testable import DabiaoCore

final class CSVReportTests: XCTestCase {
    func testResultsRoundTripThroughTheReader() throws {
        let r = ReportFixtures.report()
        let text = CSVReport.render(r, lang: .zh)
        XCTAssertTrue(text.hasPrefix("\u{FEFF}"))
        XCTAssertTrue(text.hasSuffix("\r\n"))
        let rows = try parseCSV(text)
        XCTAssertEqual(rows.count, 1 + r.results.count)
        XCTAssertEqual(rows.first?.fields.first, "规则集")
        XCTAssertTrue(rows.allSatisfy { $0.fields.count == 16 })
        for (row, x) in zip(rows.dropFirst(), r.results) {
            XCTAssertEqual(row.fields[4], x.key)
            XCTAssertEqual(row.fields[5], x.name ?? "")
            XCTAssertEqual(row.fields[7], x.outcome.label(.zh))
            XCTAssertEqual(row.fields[15], x.sourceLine.map(String.init) ?? "")
        }
        // Comma, pipe, quotes and an embedded line end survive quoting.
        let waived = try XCTUnwrap(rows.first { $0.fields[4] == "6262000002" && $0.fields[1] == "ZZ-01" })
        XCTAssertEqual(waived.fields[5], "A|B 学校, 分校")
        XCTAssertEqual(waived.fields[10], "规模不足\n豁免理由：新建学校过渡期")
        XCTAssertTrue(rows.contains { $0.fields[5] == "天水\"职业\"学院" })
        let fail = try XCTUnwrap(rows.first { $0.fields[1] == "ZZ-02" && $0.fields[4] == "6262000001" })
        XCTAssertEqual(fail.fields[8], "错误")
        XCTAssertEqual(fail.fields[9], "生均校舍建筑面积=15.2 平方米/人")
        XCTAssertEqual(fail.fields[13], "校舍建筑面积 30400→40000 (+9600 平方米) 新建、改扩建或租用校舍")
        XCTAssertEqual(fail.fields[10], "生均校舍建筑面积 15.2 平方米/人，低于 20 平方米/人\n请整改")
        let missing = try XCTUnwrap(rows.first { $0.fields[4] == "G002" })
        XCTAssertEqual(missing.fields[12], "专任教师数")
        XCTAssertEqual(missing.fields[13], "专任教师数 缺少现值", "a person reads the fix column: labels, not field names")
    }

    func testLinesEndInCRLFOutsideQuotedFields() {
        let text = CSVReport.render(ReportFixtures.report(), lang: .en)
        // The only bare LF is the one inside the quoted multi-line message.
        let bareLF = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            .filter { $0.last != "\r" }.count
        XCTAssertEqual(bareLF, 2)
        XCTAssertTrue(text.hasPrefix("\u{FEFF}ruleset,rule,title,"))
    }

    func testFormulaLikeCellsAreDefused() throws {
        var x = ReportFixtures.results[0]
        x.name = "=HYPERLINK(\"http://x\")"
        x.key = "-5"
        let text = CSVReport.render(ReportFixtures.report(results: [x]), lang: .zh)
        let rows = try parseCSV(text)
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(rows.last?.fields[5], "'=HYPERLINK(\"http://x\")")
        XCTAssertEqual(rows.last?.fields[4], "-5")
    }

    func testRectificationHasOneRowPerChange() throws {
        let r = ReportFixtures.report()
        let text = CSVReport.renderRectification(r, lang: .zh)
        XCTAssertTrue(text.hasPrefix("\u{FEFF}实体,记录编号"))
        let rows = try parseCSV(text)
        // Two changes for one record, one row for the record with none.
        XCTAssertEqual(rows.count, 1 + 2 + 1)
        XCTAssertTrue(rows.allSatisfy { $0.fields.count == 17 })
        let first = rows[1].fields
        XCTAssertEqual(Array(first[0...5]), ["school", "6262000001", "兰州市第一中等职业学校", "兰州市", "学校", "2025-04-29"])
        XCTAssertEqual(Array(first[6...13]), ["building_area", "校舍建筑面积", "30400", "40000", "9600", "平方米", "ZZ-02", "新建、改扩建或租用校舍"])
        XCTAssertEqual(first[14], "ZZ-02; ZZ-03")
        XCTAssertEqual(rows[2].fields[8], "5001000")
        let last = rows[3].fields
        XCTAssertEqual(last[1], "G002")
        XCTAssertEqual(last[6], "")
        XCTAssertEqual(last[15], "GZ-01")
        XCTAssertEqual(last[16], "整改后仍不达标 GZ-01：缺少现值")
    }

    func testOutputIsDeterministic() {
        let r = ReportFixtures.report()
        XCTAssertEqual(CSVReport.render(r, lang: .zh), CSVReport.render(r, lang: .zh))
        XCTAssertNotEqual(CSVReport.render(r, lang: .zh), CSVReport.render(r, lang: .en))
    }
}
