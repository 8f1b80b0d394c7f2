import XCTest
@testable import DabiaoCore

/// The merged 整改清单 says one thing per rule: it passes after the plan, or
/// it still fails with the require it still does not meet. Info results stay
/// out of it, and a rule with no remedy of its own that the other changes
/// mend is counted as passing.
final class CoherentRectificationTests: XCTestCase {
    func item(_ r: Report, _ key: String, file: StaticString = #filePath, line: UInt = #line) throws -> RectificationItem {
        try XCTUnwrap(r.rectification.first { $0.key == key }, "no rectification item for \(key)", file: file, line: line)
    }

    func testEveryFailedRuleIsEitherPassingAfterOrStillFailingWithAReason() throws {
        let report = try SampleReports.full.get()
        XCTAssertFalse(report.rectification.isEmpty)
        var infoFailures = Set<String>()
        for x in report.results where x.outcome == .fail && x.level == .info { infoFailures.insert(x.entity + "/" + x.key + "/" + x.rule) }
        XCTAssertFalse(infoFailures.isEmpty, "the samples have info-level failures (ZZ-08, ZZ-09)")
        for item in report.rectification {
            let passes = Set(item.passesAfter)
            let still = Set(item.stillFailing)
            XCTAssertTrue(passes.isDisjoint(with: still), "\(item.key): \(passes) and \(still)")
            XCTAssertEqual(Set(item.unresolved.map(\.rule)), still, "\(item.key): unresolved is exactly what still fails")
            XCTAssertTrue(passes.isDisjoint(with: Set(item.unresolved.map(\.rule))), "\(item.key)")
            for u in item.unresolved { XCTAssertFalse(u.reason(.zh).isEmpty) }
            for rule in item.changes.flatMap(\.rules) + item.passesAfter + item.stillFailing {
                XCTAssertFalse(infoFailures.contains(item.entity + "/" + item.key + "/" + rule), "an info result is in the 整改清单: \(item.key) \(rule)")
            }
        }
    }

    func testACompositeRuleWithNoAdjustThatTheOtherChangesMendPassesAfter() throws {
        // ZZ-20 of 6262100161 has no adjust; ZZ-01/02/03/12/13's changes make it pass.
        let report = try SampleReports.full.get()
        let it = try item(report, "6262100161")
        XCTAssertTrue(it.passesAfter.contains("ZZ-20"), "\(it.passesAfter)")
        XCTAssertFalse(it.unresolved.contains { $0.rule == "ZZ-20" }, "\(it.unresolved.map(\.rule))")
        let text = RectificationReport.text(report, lang: .zh)
        let block = text.components(separatedBy: "（6262100161）").dropFirst().first?.components(separatedBy: "\n    [").first ?? ""
        XCTAssertFalse(block.contains("无法整改") || block.contains("仍不达标 ZZ-20"), block)
    }

    static let rules = Core.schoolRules("""
      rule A-1 "教师" {
        require teachers >= 60
        adjust teachers up "补充教师"
      }
      rule A-3 "学生与教师" {
        require students >= 20 * teachers - 100
        adjust students up "扩大招生"
      }
      rule A-4 "提示" {
        severity info
        require equipment_value >= 1000 万元
        adjust equipment_value up "购置设备"
      }
      rule A-5 "总体" {
        require teachers >= 60 and students >= 1100
      }
    """)

    func testTheMergedPlanIsSolvedAgainUntilNothingChanges() throws {
        // A-1 needs 60 teachers; A-3, from the record alone, 20 × 46 − 100 = 820 students. With the
        // 60 teachers in place A-3 needs 20 × 60 − 100 = 1100: it is solved again from the changed record.
        let r = try Core.check(Self.rules, csv: Core.schoolHeader + Core.schoolRow("A", students: "800", teachers: "46", equipment: "10"))
        let it = try item(r, "A")
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: it.changes.map { ($0.field, $0.to) }), ["teachers": 60, "students": 1100])
        XCTAssertEqual(it.changes.first { $0.field == "students" }?.delta, 300)
        XCTAssertEqual(it.changes.first { $0.field == "students" }?.rules, ["A-3"])
        XCTAssertEqual(it.passesAfter, ["A-1", "A-3", "A-5"], "A-5 has no adjust but the merged changes meet it")
        XCTAssertEqual(it.stillFailing, [])
        XCTAssertEqual(it.unresolved.count, 0)
        XCTAssertFalse(it.changes.contains { $0.field == "equipment_value" }, "A-4 is info: a hint, not a duty")
        XCTAssertEqual(Core.outcome(r, "A-4", "A"), "fail info")
        XCTAssertNotNil(Core.result(r, "A-4", "A")?.fixes.first?.to, "the info result still shows its fix")
    }

    func testWhatStillFailsNamesTheRequireInWords() throws {
        let rules = Core.schoolRules("""
          let 设备标准 = 600 万元
          rule B-1 "设备" {
            require equipment_value >= 设备标准
          }
          rule B-2 "两项" {
            require teachers >= 80
            require building_area >= 30000 平方米
            adjust building_area up "扩建"
          }
        """)
        let r = try Core.check(rules, csv: Core.schoolHeader + Core.schoolRow("A", teachers: "50", area: "20000", equipment: "500"))
        let it = try item(r, "A")
        let reasons = Dictionary(uniqueKeysWithValues: it.unresolved.map { ($0.rule, $0.reason) })
        XCTAssertEqual(reasons["B-1"]?(.zh), "规则没有可调整的项（adjust），仍不满足：教学仪器设备总值 ≥ 600 万元",
                       "the threshold is the let's value at this record, in the field's unit")
        XCTAssertEqual(reasons["B-1"]?(.en), "the rule has no adjust; still not met: 教学仪器设备总值 ≥ 600 万元")
        XCTAssertEqual(reasons["B-2"]?(.zh), "只调整校舍建筑面积无法使规则达标，另需 专任教师数 ≥ 80",
                       "found at the search bound: the area met, the teachers not")
        XCTAssertEqual(it.stillFailing, ["B-1", "B-2"])
        XCTAssertEqual(it.passesAfter, [])
    }

    func testExplainHeadsOnlyTheRemediesItFound() throws {
        let rules = Core.schoolRules("""
          rule C-1 "两项" {
            require teachers >= 80
            require building_area >= 30000 平方米
            adjust building_area up "扩建"
            adjust teachers up "补充教师"
          }
        """)
        let p = try Core.program(rules)
        let data = try Core.load(p, Core.schoolHeader + Core.schoolRow("A", teachers: "50", area: "40000"))
        let text = try XCTUnwrap(Engine(program: p, data: data).explain(rule: "C-1", key: "A", asOf: Core.asOf, lang: .zh))
        let found = try XCTUnwrap(text.components(separatedBy: "整改方案（每项单独即可达标，已逐一验证）：\n").dropFirst().first)
        let foundItems = found.components(separatedBy: "\n\n").first ?? ""
        XCTAssertTrue(foundItems.contains("专任教师数 50 → 80 人"), foundItems)
        XCTAssertFalse(foundItems.contains("无法"), "every item under the heading is a remedy: \(foundItems)")
        XCTAssertTrue(text.contains("单独调整无法达标的项：\n  · 校舍建筑面积：只调整校舍建筑面积无法使规则达标，另需 专任教师数 ≥ 80"), text)
    }

    func testARequireThroughAReferenceIsNamedByLabels() throws {
        let rules = AggregateTests.schema + """
        ruleset i "i" {
          for internship
          rule R-1 "单位规模" {
            require enterprise_code.staff >= 50
          }
          rule R-2 "学生" {
            require this.students >= 2
            require students <= 10
          }
        }
        """
        let p = try Core.program(rules)
        let data = try Core.load(p, [("enterprise", "e.csv", "代码,企业名称,职工人数\nE1,甲,10\n"),
                                     ("internship", "i.csv", "编号,企业代码,学生数,时长,夜班\nX1,E1,1,1,否\n")])
        let r = Rect.run(p, data)
        let it = try XCTUnwrap(r.rectification.first { $0.key == "X1" })
        let reasons = Dictionary(uniqueKeysWithValues: it.unresolved.map { ($0.rule, $0.reason(.zh)) })
        XCTAssertEqual(reasons["R-1"], "规则没有可调整的项（adjust），仍不满足：企业代码·职工人数 ≥ 50", "no field name leaks through a reference")
        XCTAssertEqual(reasons["R-2"], "规则没有可调整的项（adjust），仍不满足：学生数 ≥ 2", "`this.` is the record's own field")
    }
}
