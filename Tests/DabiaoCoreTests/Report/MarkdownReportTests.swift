import XCTest
@testable import DabiaoCore

final class MarkdownReportTests: XCTestCase {
    /// The rows of the pipe table that follows `heading`.
    func tableRows(_ md: String, after heading: String) -> [String] {
        let lines = md.components(separatedBy: "\n")
        guard let h = lines.firstIndex(of: heading) else { return [] }
        var rows: [String] = []
        var i = h + 1
        while i < lines.count, !lines[i].hasPrefix("|") { i += 1 }
        while i < lines.count, lines[i].hasPrefix("|") { rows.append(lines[i]); i += 1 }
        return rows
    }

    /// Cells split on unescaped pipes, the way GFM splits a row.
    func cells(_ row: String) -> [String] {
        var out: [String] = []
        var cur = ""
        var escaped = false
        for ch in row {
            if escaped { cur.append(ch); escaped = false; continue }
            if ch == "\\" { cur.append(ch); escaped = true; continue }
            if ch == "|" { out.append(cur); cur = ""; continue }
            cur.append(ch)
        }
        out.append(cur)
        return Array(out.dropFirst().dropLast()).map { $0.trimmingCharacters(in: .whitespaces) }
    }

    func testTablesHaveTheExpectedRowsAndColumns() {
        let r = ReportFixtures.report()
        let md = MarkdownReport.render(r, lang: .zh)
        XCTAssertTrue(md.hasPrefix("# 达标检查报告\n"))
        XCTAssertTrue(md.contains("审计日期 2024-10-31"))

        let summary = tableRows(md, after: "## 汇总")
        XCTAssertEqual(summary.count, 3)
        XCTAssertEqual(cells(summary[2]), ["8", "2", "2", "1", "1", "0", "1", "1", "1", "1", "28.6%"])

        let byRule = tableRows(md, after: "## 各规则达标情况")
        XCTAssertEqual(byRule.count, 2 + 4)
        XCTAssertEqual(cells(byRule[0]).count, 10)
        XCTAssertEqual(cells(byRule[4]), ["zz\\_basic", "ZZ-02", "生均校舍建筑面积", "错误", "1", "1", "0", "0", "0", "50.0%"])

        let byCity = tableRows(md, after: "## 各市州达标情况")
        XCTAssertEqual(byCity.map { cells($0).first ?? "" }.dropFirst(2), ["兰州市", "天水市"], "no-city records are not a city")
        XCTAssertEqual(cells(byCity[2]), ["兰州市", "4", "1", "2", "0", "0", "1", "33.3%"])
        let noCity = r.results.filter { ($0.city ?? "").isEmpty }
        XCTAssertFalse(noCity.isEmpty)
        XCTAssertTrue(md.contains("\n\n未注明市州的记录（如教师、实习安排）另计：结果 \(noCity.count) 条，"), "counted apart, under the table")

        let results = tableRows(md, after: "## 全部结果")
        XCTAssertEqual(results.count, 2 + r.results.count)
        for row in results { XCTAssertEqual(cells(row).count, 9, row) }
        XCTAssertTrue(md.contains("A\\|B 学校, 分校"))
        XCTAssertTrue(md.contains("15.2 平方米/人，低于 20 平方米/人<br>请整改"))
        XCTAssertTrue(md.contains("\\<低于\\> 3000 元 \\& 更多"))
        XCTAssertFalse(md.contains("\u{1}"))

        XCTAssertEqual(tableRows(md, after: "### school 6262000001 兰州市第一中等职业学校（兰州市）").count, 2 + 2)
        XCTAssertEqual(tableRows(md, after: "## 数据问题（1）").count, 3)
        XCTAssertEqual(tableRows(md, after: "## 说明").count, 3)
        XCTAssertEqual(tableRows(md, after: "## 豁免").count, 3)
        XCTAssertEqual(tableRows(md, after: "## 依据").count, 2 + 4)
    }

    func testEnglishSwitchesOnlyTheToolsWords() {
        let md = MarkdownReport.render(ReportFixtures.report(), lang: .en)
        XCTAssertTrue(md.hasPrefix("# Compliance report\n"))
        XCTAssertTrue(md.contains("\n## By rule\n"))
        XCTAssertTrue(md.contains("\n## By city\n"))
        XCTAssertTrue(md.contains("| fail·warning |"))
        XCTAssertTrue(md.contains("生均校舍建筑面积"))
        XCTAssertFalse(md.contains("## 汇总"))
    }

    func testFailuresOnlyReportSaysTheCityTableIsPartial() {
        let md = MarkdownReport.render(ReportFixtures.report(showsAll: false), lang: .zh)
        XCTAssertTrue(md.contains("## 需关注的结果"))
        XCTAssertTrue(md.contains("> 本报告只列出需关注的结果"))
        XCTAssertEqual(tableRows(md, after: "## 需关注的结果").count, 2 + 5)
    }
}

final class MarkdownRectificationTests: XCTestCase {
    func testRectificationAlone() {
        let md = MarkdownReport.renderRectification(ReportFixtures.report(), lang: .zh)
        XCTAssertTrue(md.hasPrefix("# 整改清单\n"))
        XCTAssertEqual(md.components(separatedBy: "\n### ").count - 1, 2)
        XCTAssertTrue(md.contains("| 校舍建筑面积 | 30400 | 40000 | +9600 | 平方米 | 新建、改扩建或租用校舍 | ZZ-02 |"))
        XCTAssertFalse(md.contains("## 全部结果"))
        var empty = ReportFixtures.report()
        empty.rectification = []
        XCTAssertTrue(MarkdownReport.renderRectification(empty, lang: .en).contains("Nothing to rectify."))
    }
}
