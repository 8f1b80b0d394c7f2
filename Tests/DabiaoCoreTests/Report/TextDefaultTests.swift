import XCTest
@testable import DabiaoCore

/// The text report a person reads at a terminal: the summary and per-rule
/// table first, then one line per result that needs attention, grouped by
/// rule, then the 整改清单's totals, the data problems, and the reconciliation
/// line last. Passes only with `--show all`.
final class TextDefaultTests: XCTestCase {
    func lines(_ s: String) -> [String] { s.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    func testSectionsComeInTheOrderAPersonReadsThem() throws {
        let r = try SampleReports.failures.get()
        let text = TextReport.render(r, lang: .zh)
        let heads = ["\n汇总\n", "\n各规则达标情况\n", "\n需关注的结果（", "\n整改清单汇总\n", "\n数据问题（", "\n读入 "]
        let at = try heads.map { h in try XCTUnwrap(text.range(of: h)?.lowerBound, "no “\(h)”") }
        XCTAssertEqual(at, at.sorted(), "sections in order: \(heads)")
        let read = r.inputs.reduce(0) { $0 + $1.records }
        let rejected = r.inputs.reduce(0) { $0 + $1.rejected }
        XCTAssertGreaterThan(rejected, 0, "the samples have a rejected record")
        XCTAssertEqual(lines(text).dropLast(1).last, "读入 \(read) 条记录 = 评估 \(read - rejected) + 拒收 \(rejected)", "the reconciliation line ends the report")
        XCTAssertLessThan(lines(text).count, 1200, "the samples fit a terminal's scrollback, not 11,187 lines")
    }

    func testOneLinePerResultNeedingAttentionGroupedByRule() throws {
        let r = try SampleReports.failures.get()
        let text = TextReport.render(r, lang: .zh)
        let attention = r.results.filter { $0.outcome != .pass && $0.outcome != .notApplicable }
        let resultLines = lines(text).filter { $0.hasPrefix("    [") }
        XCTAssertEqual(resultLines.count, attention.count)
        XCTAssertFalse(resultLines.contains { $0.hasPrefix("    [达标]") || $0.hasPrefix("    [不适用]") })
        XCTAssertTrue(text.contains("需关注的结果（\(attention.count)，按规则）"))
        // Each rule is one group, its heading naming the rule and counting its results.
        let zz20 = attention.filter { $0.rule == "ZZ-20" }
        let failed = zz20.filter { $0.outcome == .fail }.count
        let missing = zz20.filter { $0.outcome == .missing }.count
        XCTAssertTrue(text.contains("\n  ZZ-20 重点监测指标全部达标  不达标 \(failed) · 数据缺失 \(missing)\n"), text)
        XCTAssertEqual(lines(text).filter { $0.hasPrefix("  ZZ-20 重点") }.count, 1)
        // A failure carries its message (value against threshold) and the primary remedy.
        let line = try XCTUnwrap(resultLines.first { $0.contains("[不达标·错误] 6262100161 ") && $0.contains("专任教师 48 人") })
        XCTAssertTrue(line.contains("少于 60 人") && line.contains("→ 专任教师数 +12 人"), line)
        // A missing result names the field by its label.
        XCTAssertTrue(resultLines.contains { $0.contains("[数据缺失] 6262100084 ") && $0.contains("缺失：纸质图书") })
        // In a group the failures come first, the most severe first.
        let group = lines(text).drop { !$0.hasPrefix("  ZZ-20 重点") }.dropFirst().prefix { $0.hasPrefix("    [") }
        XCTAssertEqual(group.count, zz20.count)
        XCTAssertEqual(Array(group.suffix(missing)).allSatisfy { $0.hasPrefix("    [数据缺失]") }, true, "\(group)")
    }

    func testTheRectificationShowsTotalsPerOwnerAndCityNotTheWholeList() throws {
        let r = try SampleReports.failures.get()
        let text = TextReport.render(r, lang: .zh)
        let changes = r.rectification.reduce(0) { $0 + $1.changes.count }
        XCTAssertTrue(text.contains("合计 \(r.rectification.count) 条记录、\(changes) 项整改；完整清单：dabiao rectify"), text)
        let section = try XCTUnwrap(text.components(separatedBy: "\n整改清单汇总\n").dropFirst().first?.components(separatedBy: "\n\n").first)
        let rows = lines(section).dropFirst(2).filter { !$0.contains("合计") && !$0.isEmpty }
        let counted = rows.compactMap { row -> Int? in
            let cells = row.split(separator: " ", omittingEmptySubsequences: true)
            return cells.count >= 3 ? Int(cells[cells.count - 3]) : nil
        }.reduce(0, +)
        XCTAssertEqual(counted, r.rectification.count, "the rows add up to every record of the list")
        XCTAssertFalse(text.contains("整改后达标："), "the per-record list is `dabiao rectify`'s")
    }

    func testShowAllListsEveryResultWithItsDetails() throws {
        let r = try SampleReports.full.get()
        let text = TextReport.render(r, lang: .zh)
        XCTAssertTrue(text.contains("\n全部结果\n"))
        XCTAssertEqual(lines(text).filter { $0.hasPrefix("  [达标]") }.count, r.summary.pass)
        XCTAssertTrue(text.contains("      依据："), "details: citations")
        XCTAssertTrue(text.contains("\n整改清单汇总\n"))
    }

    func testEnglish() throws {
        let r = try SampleReports.failures.get()
        let text = TextReport.render(r, lang: .en)
        XCTAssertTrue(text.contains("\nResults needing attention ("), text)
        XCTAssertTrue(text.contains("\nRectification totals\n"))
        XCTAssertTrue(text.contains("the full list: dabiao rectify"))
    }
}

extension CLITests {
    func testTheCommandLineDefaultsToFailuresForPeopleAndAllForFiles() throws {
        let cli = self
        let text = try cli.run(["check", "--as-of", "2024-10-31"])
        XCTAssertEqual(text.status, 1)
        XCTAssertTrue(text.stdout.contains("需关注的结果（"), String(text.stdout.prefix(300)))
        XCTAssertFalse(text.stdout.contains("  [达标]"))
        let all = try cli.run(["check", "--as-of", "2024-10-31", "--show", "all"])
        XCTAssertTrue(all.stdout.contains("  [达标]"))
        let json = try cli.run(["check", "--as-of", "2024-10-31", "--format", "json"])
        XCTAssertTrue(json.stdout.contains("\"outcome\": \"pass\""), "json keeps every result by default")
        let md = try cli.run(["check", "--as-of", "2024-10-31", "--format", "md"])
        let mdAll = try cli.run(["check", "--as-of", "2024-10-31", "--format", "md", "--show", "all"])
        XCTAssertTrue(md.stdout.contains("需关注的结果") && !md.stdout.contains("全部结果"), "md lists what needs attention by default")
        XCTAssertTrue(mdAll.stdout.contains("全部结果"))
    }
}
