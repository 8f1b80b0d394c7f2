import XCTest
@testable import DabiaoCore

final class DiffTests: XCTestCase {
    func json(_ r: Report) -> Data { Data(JSONReport.render(r, lang: .zh).utf8) }

    /// The fixture half a year later: one record fixed, one newly failing,
    /// one still failing with a better indicator, missing data supplied.
    func laterResults() -> [RuleResult] {
        var rs = ReportFixtures.results
        for i in rs.indices {
            switch (rs[i].rule, rs[i].key) {
            case ("ZZ-02", "6262000001"):
                rs[i].outcome = .pass; rs[i].level = nil; rs[i].fixes = []
                rs[i].measures[0].value = 21
            case ("ZZ-02", "6262000002"):
                rs[i].outcome = .fail; rs[i].level = .error
                rs[i].measures[0].value = 18
            case ("ZZ-03", "6262000001"):
                rs[i].measures[0].value = 2800
            case ("GZ-01", "G002"):
                rs[i].outcome = .pass; rs[i].missingFields = []
            default: break
            }
        }
        return rs
    }

    func ids(_ es: [DiffEntry]) -> [String] { es.map { "\($0.rule)/\($0.key)" } }

    func testFindsNewlyFailingFixedAndStillFailing() throws {
        var later = ReportFixtures.report(results: laterResults())
        later.asOf += 182
        let d = try ReportDiff.diff(old: json(ReportFixtures.report()), new: json(later))
        XCTAssertEqual(d.oldAsOf, "2024-10-31")
        XCTAssertEqual(d.newAsOf, "2025-05-01")
        XCTAssertEqual(ids(d.newlyFailing), ["ZZ-02/6262000002"])
        XCTAssertEqual(ids(d.fixed), ["ZZ-02/6262000001"])
        XCTAssertEqual(ids(d.stillFailing), ["ZZ-03/6262000001"])
        XCTAssertEqual(ids(d.otherChanges), ["GZ-01/G002"])
        XCTAssertEqual(ids(d.indicatorChanges), ["ZZ-02/6262000001", "ZZ-02/6262000002", "ZZ-03/6262000001"])
        let m = try XCTUnwrap(d.fixed.first?.measures.first)
        XCTAssertEqual(m.name, "生均校舍建筑面积")
        XCTAssertEqual(m.old, 15.2)
        XCTAssertEqual(m.new, 21)
        XCTAssertEqual(m.delta, 5.8)
        XCTAssertEqual(d.oldSummary.fail, 2)
        XCTAssertEqual(d.newSummary.fail, 2)
        XCTAssertFalse(d.oldPartial || d.newPartial)

        let text = ReportDiff.renderText(d, lang: .zh)
        XCTAssertTrue(text.contains("新增不达标 1 · 已整改 1 · 仍不达标 1 · 其他结果变化 1 · 指标变化 3"))
        XCTAssertTrue(text.contains("生均校舍建筑面积 15.2 → 21 平方米/人（+5.8）"))
        XCTAssertTrue(text.contains("不达标·错误 → 达标"))
        let en = ReportDiff.renderText(d, lang: .en)
        XCTAssertTrue(en.contains("\nNewly failing (1)\n"))

        let md = ReportDiff.renderMarkdown(d, lang: .zh)
        XCTAssertTrue(md.contains("\n## 新增不达标（1）\n"))
        XCTAssertTrue(md.contains("| 1 | 1 | 1 | 1 | 3 | 2 → 2 |"))

        let parsed = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(ReportDiff.renderJSON(d).utf8)) as? [String: Any])
        XCTAssertEqual((parsed["newlyFailing"] as? [Any])?.count, 1)
        XCTAssertEqual((parsed["indicatorChanges"] as? [Any])?.count, 3)
    }

    func testAbsentFromAFailuresOnlyReportMeansNoLongerFailing() throws {
        let later = ReportFixtures.report(showsAll: false, results: laterResults())
        let d = try ReportDiff.diff(old: Array(json(ReportFixtures.report())), new: Array(json(later)))
        XCTAssertTrue(d.newPartial)
        XCTAssertEqual(ids(d.fixed), ["ZZ-02/6262000001"])
        XCTAssertEqual(d.fixed.first?.newOutcome, nil)
        XCTAssertTrue(ReportDiff.renderText(d, lang: .zh).contains("不达标·错误 → 未列出"))
        // A passing result simply not listed is no change at all.
        XCTAssertEqual(ids(d.otherChanges), [])
        XCTAssertEqual(ids(d.newlyFailing), ["ZZ-02/6262000002"])
    }

    func testIdenticalReportsHaveNoChanges() throws {
        let a = json(ReportFixtures.report())
        let d = try ReportDiff.diff(old: a, new: a)
        XCTAssertEqual(d.newlyFailing.count + d.fixed.count + d.otherChanges.count + d.indicatorChanges.count, 0)
        XCTAssertEqual(ids(d.stillFailing), ["ZZ-02/6262000001", "ZZ-03/6262000001"])
    }

    func testBadInputIsAnErrorNotACrash() {
        let good = json(ReportFixtures.report())
        XCTAssertThrowsError(try ReportDiff.diff(old: Data("{".utf8), new: good)) { e in
            XCTAssertEqual((e as? DiffError)?.message.en, "the old report is not valid JSON")
        }
        XCTAssertThrowsError(try ReportDiff.diff(old: good, new: Data("[1,2]".utf8))) { e in
            XCTAssertEqual((e as? DiffError)?.message.zh, "新报告不是 dabiao 的 JSON 报告（缺少 results）")
        }
        XCTAssertThrowsError(try ReportDiff.diff(old: good, new: Data(#"{"results":[{"rule":"X"}]}"#.utf8))) { e in
            XCTAssertNotNil(e as? DiffError)
        }
    }
}
