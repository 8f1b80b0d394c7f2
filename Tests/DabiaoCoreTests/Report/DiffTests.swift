import XCTest
@testable import DabiaoCore

final class DiffTests: XCTestCase {
    func json(_ r: Report) -> Data { Data(JSONReport.render(r, lang: .zh).utf8) }

    /// The fixture half a year later: one record fixed, one newly failing,
    /// one still failing with a better indicator, missing data supplied.
    static func laterResults() -> [RuleResult] {
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
        var later = ReportFixtures.report(results: Self.laterResults())
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
        XCTAssertTrue(text.contains("新增记录 0 · 删除的记录 0 · 新增不达标 1 · 已整改 1 · 仍不达标 1 · 仅新报告列出的结果 0 · 仅旧报告列出的结果 0 · 其他结果变化 1 · 指标变化 3"))
        XCTAssertTrue(text.contains("生均校舍建筑面积 15.2 → 21 平方米/人（+5.8）"))
        XCTAssertTrue(text.contains("不达标·错误 → 达标"))
        let en = ReportDiff.renderText(d, lang: .en)
        XCTAssertTrue(en.contains("\nNewly failing (1)\n"))

        let md = ReportDiff.renderMarkdown(d, lang: .zh)
        XCTAssertTrue(md.contains("\n## 新增不达标（1）\n"))
        XCTAssertTrue(md.contains("| 0 | 0 | 1 | 1 | 1 | 0 | 0 | 1 | 3 | 2 → 2 |"))

        let parsed = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(ReportDiff.renderJSON(d).utf8)) as? [String: Any])
        XCTAssertEqual((parsed["newlyFailing"] as? [Any])?.count, 1)
        XCTAssertEqual((parsed["indicatorChanges"] as? [Any])?.count, 3)
    }

    func testAbsentFromAFailuresOnlyReportMeansNoLongerFailing() throws {
        let later = ReportFixtures.report(showsAll: false, results: Self.laterResults())
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

    /// A school that is new this year and whose data are all blank: every
    /// result is missing, none fails.
    static let newcomer = "6262000009"

    func newcomerResults() -> [RuleResult] {
        ["ZZ-02", "ZZ-03"].map { rule in
            var x = ReportFixtures.result("zz_basic", rule, rule == "ZZ-02" ? "生均校舍建筑面积" : "实训设备值", key: Self.newcomer,
                                          name: "新建学校", city: "兰州市", .missing, missing: ["books"])
            x.missingLabels = [FieldLabel(label: "纸质图书")]
            return x
        }
    }

    /// The later report: the newcomer added, school 6262000003 (its one
    /// result undefined) gone.
    func laterWithNewcomer(showsAll: Bool = true) -> Report {
        let rs = ReportFixtures.results.filter { $0.key != "6262000003" } + newcomerResults()
        return ReportFixtures.report(showsAll: showsAll, results: rs)
    }

    func testNewAndRemovedRecordsAreListedEvenWhenNothingFails() throws {
        let d = try ReportDiff.diff(old: json(ReportFixtures.report()), new: json(laterWithNewcomer()))
        XCTAssertEqual(d.newRecords?.map(\.key), [Self.newcomer])
        XCTAssertEqual(d.newRecords?.first?.outcomes, [.missing: 2])
        XCTAssertEqual(d.newRecords?.first?.name, "新建学校")
        XCTAssertEqual(d.removedRecords?.map(\.key), ["6262000003"])
        XCTAssertEqual(d.removedRecords?.first?.outcomes, [.undefined: 1])
        // Their results are told once, in the record's line, not again.
        XCTAssertEqual(ids(d.onlyNew) + ids(d.onlyOld) + ids(d.newlyFailing) + ids(d.otherChanges), [])

        let text = ReportDiff.renderText(d, lang: .zh)
        XCTAssertTrue(text.contains("\n新增记录（1）\n  school 6262000009 新建学校  数据缺失 2\n"), text)
        XCTAssertTrue(text.contains("\n删除的记录（1）\n  school 6262000003  无法计算 1\n"), text)
        XCTAssertTrue(text.contains("新增记录 1 · 删除的记录 1 · "))
        let en = ReportDiff.renderText(d, lang: .en)
        XCTAssertTrue(en.contains("\nNew records (1)\n  school 6262000009 新建学校  missing data 2\n"), en)
        let md = ReportDiff.renderMarkdown(d, lang: .zh)
        XCTAssertTrue(md.contains("\n## 新增记录（1）\n\n| 记录 | 名称 | 结果 |\n| --- | --- | --- |\n| school 6262000009 | 新建学校 | 数据缺失 2 |\n"), md)

        let top = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(ReportDiff.renderJSON(d).utf8)) as? [String: Any])
        let added = try XCTUnwrap((top["newRecords"] as? [[String: Any]])?.first)
        XCTAssertEqual(added["key"] as? String, Self.newcomer)
        XCTAssertEqual((added["results"] as? NSNumber)?.intValue, 2)
        let outcomes = try XCTUnwrap(added["outcomes"] as? [String: NSNumber])
        XCTAssertEqual(outcomes["missing"]?.intValue, 2)
        XCTAssertEqual(outcomes["notApplicable"]?.intValue, 0)
        XCTAssertEqual((top["removedRecords"] as? [[String: Any]])?.first?["key"] as? String, "6262000003")
    }

    func testAFailuresOnlyOldReportCannotTellNewRecordsButListsTheirProblems() throws {
        let d = try ReportDiff.diff(old: json(ReportFixtures.report(showsAll: false)), new: json(laterWithNewcomer()))
        XCTAssertTrue(d.oldPartial)
        XCTAssertNil(d.newRecords)
        // The newcomer may have passed everything last year for all this
        // report can say; its missing data are a change all the same.
        XCTAssertEqual(ids(d.onlyNew), ["ZZ-02/\(Self.newcomer)", "ZZ-03/\(Self.newcomer)"])
        XCTAssertEqual(d.onlyNew.first?.oldOutcome, nil)
        XCTAssertEqual(d.onlyNew.first?.newOutcome, .missing)
        XCTAssertEqual(d.onlyNew.first?.missingFields, ["books"])
        XCTAssertEqual(d.onlyNew.first?.missingLabels, ["纸质图书"])
        // Passing results the old report did not list are no change.
        XCTAssertFalse(ids(d.onlyNew).contains("GZ-01/G001"))
        // The new report is full: the school gone is gone.
        XCTAssertEqual(d.removedRecords?.map(\.key), ["6262000003"])

        let text = ReportDiff.renderText(d, lang: .zh)
        XCTAssertTrue(text.contains("新增记录 ? · 删除的记录 1 · "))
        XCTAssertTrue(text.contains("旧报告只列出问题（--show failures）：无法判断哪些记录是新增的"))
        XCTAssertTrue(text.contains("\n仅新报告列出的结果（2）\n  ZZ-02 school 6262000009 新建学校  生均校舍建筑面积\n      未列出 → 数据缺失\n      缺失：纸质图书\n"), text)
        XCTAssertFalse(text.contains("books"), "people read the label, not the field name")
        let md = ReportDiff.renderMarkdown(d, lang: .en)
        XCTAssertTrue(md.contains("| not listed | missing data | 纸质图书 |"), md)
        XCTAssertFalse(md.contains("books"))
        let top = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(ReportDiff.renderJSON(d).utf8)) as? [String: Any])
        XCTAssertTrue(top["newRecords"] is NSNull)
        let e = try XCTUnwrap((top["onlyNew"] as? [[String: Any]])?.first)
        XCTAssertEqual(e["missingFields"] as? [String], ["books"])
        XCTAssertEqual(e["missingLabels"] as? [String], ["纸质图书"])
    }

    func testAFailuresOnlyNewReportCannotTellRemovedRecords() throws {
        let d = try ReportDiff.diff(old: json(ReportFixtures.report()), new: json(laterWithNewcomer(showsAll: false)))
        XCTAssertTrue(d.newPartial)
        XCTAssertNil(d.removedRecords)
        XCTAssertEqual(d.newRecords?.map(\.key), [Self.newcomer])
        // Undefined before, not listed now: passes, does not apply, or the
        // school is gone; which, this report cannot say, so it is listed.
        XCTAssertEqual(ids(d.onlyOld), ["ZZ-03/6262000003"])
        XCTAssertTrue(ReportDiff.renderText(d, lang: .zh).contains("      无法计算 → 未列出\n"))
        XCTAssertTrue(ReportDiff.renderText(d, lang: .en).contains("removed records cannot be told"))
    }

    func testAResultThatAppearsOrDisappearsIsListed() throws {
        var rs = ReportFixtures.results.filter { !($0.rule == "ZZ-01" && $0.key == "6262000001") }
        rs.append(ReportFixtures.result("zz_basic", "ZZ-04", "专业设置", key: "6262000002", name: "A|B 学校, 分校", city: "天水市", .pass))
        let d = try ReportDiff.diff(old: json(ReportFixtures.report()), new: json(ReportFixtures.report(results: rs)))
        XCTAssertEqual(d.newRecords, [])
        XCTAssertEqual(d.removedRecords, [])
        XCTAssertEqual(ids(d.onlyNew), ["ZZ-04/6262000002"])
        XCTAssertEqual(ids(d.onlyOld), ["ZZ-01/6262000001"])
        XCTAssertEqual(d.onlyOld.first?.oldOutcome, .notApplicable)
        let text = ReportDiff.renderText(d, lang: .zh)
        XCTAssertTrue(text.contains("\n仅新报告列出的结果（1）\n  ZZ-04 school 6262000002 A|B 学校, 分校  专业设置\n      无 → 达标\n"), text)
        XCTAssertTrue(text.contains("\n仅旧报告列出的结果（1）\n  ZZ-01 school 6262000001 兰州市第一中等职业学校  在校生规模\n      不适用 → 无\n"), text)
        // Markdown escapes the cells as the Markdown report does.
        let md = ReportDiff.renderMarkdown(d, lang: .zh)
        XCTAssertTrue(md.contains("| ZZ-04 专业设置 | school 6262000002 | A\\|B 学校, 分校 | 无 | 达标 |   |   |"), md)
    }

    func testStillFailingIsCountedPerRuleUnlessAllIsAsked() throws {
        let a = json(ReportFixtures.report())
        let d = try ReportDiff.diff(old: a, new: a)
        XCTAssertEqual(d.stillFailingByRule.map { "\($0.rule) \($0.count)" }, ["ZZ-02 1", "ZZ-03 1"])
        let short = ReportDiff.renderText(d, lang: .zh)
        XCTAssertTrue(short.contains("\n仍不达标（2，按规则计数；--show all 逐条列出）\n  ZZ-02 生均校舍建筑面积  1\n  ZZ-03 实训设备值  1\n"), short)
        XCTAssertFalse(short.contains("6262000001"), "no record is listed one by one")
        let long = ReportDiff.renderText(d, lang: .zh, showAll: true)
        XCTAssertTrue(long.contains("\n仍不达标（2）\n  ZZ-02 school 6262000001 兰州市第一中等职业学校  生均校舍建筑面积\n      不达标·错误 → 不达标·错误\n"), long)
        let md = ReportDiff.renderMarkdown(d, lang: .en)
        XCTAssertTrue(md.contains("| rule | still failing |\n| --- | ---: |\n| ZZ-02 生均校舍建筑面积 | 1 |\n| ZZ-03 实训设备值 | 1 |\n"), md)
        XCTAssertFalse(md.contains("6262000001"))
        XCTAssertTrue(ReportDiff.renderMarkdown(d, lang: .en, showAll: true).contains("| school 6262000001 |"))
        // JSON, for programs, lists every result and the counts beside them.
        let top = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(ReportDiff.renderJSON(d).utf8)) as? [String: Any])
        XCTAssertEqual((top["stillFailing"] as? [Any])?.count, 2)
        let byRule = try XCTUnwrap(top["stillFailingByRule"] as? [[String: Any]])
        XCTAssertEqual(byRule.map { $0["rule"] as? String }, ["ZZ-02", "ZZ-03"])
        XCTAssertEqual(byRule.map { ($0["count"] as? NSNumber)?.intValue }, [1, 1])
    }

    func testJSONFieldNamesAreStable() throws {
        let d = try ReportDiff.diff(old: json(ReportFixtures.report()), new: json(laterWithNewcomer()))
        let text = ReportDiff.renderJSON(d)
        let top = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        XCTAssertEqual(Set(top.keys), ["old", "new", "newRecords", "removedRecords", "newlyFailing", "fixed", "stillFailing",
                                       "stillFailingByRule", "onlyNew", "onlyOld", "otherChanges", "indicatorChanges"])
        let e = try XCTUnwrap((top["stillFailing"] as? [[String: Any]])?.first)
        XCTAssertEqual(Set(e.keys), ["ruleset", "rule", "title", "entity", "key", "name", "old", "new", "missingFields",
                                     "missingLabels", "measures"])
        XCTAssertEqual(Set(((top["old"] as? [String: Any]) ?? [:]).keys), ["asOf", "partial", "summary"])
        // Key order is the documented order, whatever the dictionary says.
        let order = ["\"old\"", "\"new\"", "\"newRecords\"", "\"removedRecords\"", "\"newlyFailing\"", "\"fixed\"",
                     "\"stillFailing\"", "\"stillFailingByRule\"", "\"onlyNew\"", "\"onlyOld\"", "\"otherChanges\"",
                     "\"indicatorChanges\""]
        let at = order.compactMap { text.range(of: $0)?.lowerBound }
        XCTAssertEqual(at.count, order.count)
        XCTAssertEqual(at, at.sorted())
        // Same input, same bytes; the language changes nothing.
        XCTAssertEqual(text, ReportDiff.renderJSON(d, lang: .en))
    }

    func testUnknownOutcomeOrLevelIsAnError() {
        let good = json(ReportFixtures.report())
        func edit(_ from: String, _ to: String) -> Data {
            Data(String(decoding: good, as: UTF8.self).replacingOccurrences(of: from, with: to, options: .regularExpression).utf8)
        }
        let bad = edit(#""outcome": *"pass""#, #""outcome": "passed""#)
        XCTAssertThrowsError(try ReportDiff.diff(old: good, new: bad)) { e in
            XCTAssertEqual((e as? DiffError)?.message.en, "result 1 of the new report has an unknown outcome 'passed'")
        }
        let badLevel = edit(#""level": *"warning""#, #""level": "severe""#)
        XCTAssertThrowsError(try ReportDiff.diff(old: badLevel, new: good)) { e in
            XCTAssertEqual((e as? DiffError)?.message.zh, "旧报告第 7 条结果的 level “severe” 不是 dabiao 的级别")
        }
    }

    func testControlCharactersFromTheFilesAreEscapedInText() throws {
        var rs = ReportFixtures.results
        rs.append(ReportFixtures.result("zz_basic", "ZZ-04", "专业设置", key: "6262000002", name: "坏\u{1B}]0;x\u{7}名", city: nil, .missing))
        let d = try ReportDiff.diff(old: json(ReportFixtures.report()), new: json(ReportFixtures.report(results: rs)))
        let text = ReportDiff.renderText(d, lang: .zh)
        XCTAssertFalse(text.unicodeScalars.contains("\u{1B}"))
        XCTAssertTrue(text.contains("坏\\x1b]0;x\\x07名"), text)
    }
}

