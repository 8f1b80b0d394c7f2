import XCTest
@testable import DabiaoCore

/// language.md §3.4 and §6, case by case: steps, directions, graded
/// requires, impossible remedies, measures, the merged plan, waivers and
/// deadlines. RectificationTests covers the first examples; these go further.
final class RectifySpecificTests: XCTestCase {
    func fix(_ r: Report, _ rule: String, _ key: String, _ field: String, file: StaticString = #filePath, line: UInt = #line) -> Fix? {
        Core.result(r, rule, key, file: file, line: line)?.fixes.first { $0.field == field }
    }

    func item(_ r: Report, _ key: String, file: StaticString = #filePath, line: UInt = #line) throws -> RectificationItem {
        try XCTUnwrap(r.rectification.first { $0.key == key }, "no rectification item for \(key): \(r.rectification.map(\.key))", file: file, line: line)
    }

    // MARK: steps

    func testDecimalFieldStepsByAHundredthOfItsUnitFromItsOwnValue() throws {
        let rules = Core.schoolRules("""
          rule A-1 "生均校舍" {
            when students > 0
            require building_area / students >= 20 平方米/人
            adjust building_area up "新建校舍"
          }
        """)
        let r = try Core.check(rules, csv: Core.schoolHeader + Core.schoolRow("A", students: "2000", area: "30400.5"))
        let a = try XCTUnwrap(fix(r, "A-1", "A", "building_area"))
        XCTAssertEqual(a.from, 30400.5)
        XCTAssertEqual(a.to, 40000)
        XCTAssertEqual(a.delta, 9599.5)
        XCTAssertEqual(a.unit, "平方米")
    }

    /// A value with three decimals keeps whole 0.01 steps from itself: the
    /// fix lands on 40000.003, not a rounded 40000.00 (which once made
    /// `to − from` no whole number of steps).
    func testThreeDecimalValueKeepsWholeStepsFromItsOwnValue() throws {
        let rules = Core.schoolRules("""
          rule A-1 "生均校舍" {
            when students > 0
            require building_area / students >= 20 平方米/人
            adjust building_area up "新建校舍"
          }
        """)
        let r = try Core.check(rules, csv: Core.schoolHeader + Core.schoolRow("B", students: "2000", area: "30400.123"))
        // 30400.123 + k × 0.01 never lands on 40000: the first value at or above it is 40000.003.
        let b = try XCTUnwrap(fix(r, "A-1", "B", "building_area"))
        XCTAssertEqual(b.from, 30400.123)
        XCTAssertEqual(try XCTUnwrap(b.to), 40000.003, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(b.delta), 9599.88, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(b.to) - 30400.123, try XCTUnwrap(b.delta), accuracy: 1e-6, "delta is to − from")
    }

    /// Going down past a `when` boundary: with `when students > 0` the rule
    /// is not applicable at 0, so the search must not jump from 128 steps
    /// straight to the last (zero) and miss the remedy; 150 → 20 passes.
    func testGoingDownPastAWhenBoundaryStillFindsTheRemedy() throws {
        let rules = Core.schoolRules("""
          rule B-1 "生师比" {
            when students > 0 and teachers > 0
            require students / teachers <= 20
            adjust students down "核减招生"
          }
          rule B-2 "生师比（10人一档）" {
            when students > 0 and teachers > 0
            require students / teachers <= 20
            adjust students down by 10 人 "核减招生"
          }
        """)
        let r = try Core.check(rules, csv: Core.schoolHeader + Core.schoolRow("A", students: "150", teachers: "1"))
        let f = try XCTUnwrap(fix(r, "B-1", "A", "students"))
        XCTAssertEqual(f.to, 20, "reason given instead: \(f.reason?(.zh) ?? "none")")
        XCTAssertEqual(f.delta, -130)
        XCTAssertEqual(fix(r, "B-2", "A", "students")?.to, 20)
    }

    func testCustomStepInAScaledUnitAndInTheFieldsUnit() throws {
        let rules = Core.schoolRules("""
          rule E-1 "设备（5000元一档）" {
            require equipment_value >= 300 万元
            adjust equipment_value up by 5000 元 "购置设备"
          }
          rule E-2 "设备（10万元一档）" {
            require equipment_value >= 300 万元
            adjust equipment_value up by 10 万元 "购置设备"
          }
          rule T-1 "教师（2人一档）" {
            require teachers >= 120
            adjust teachers up by 2 人 "补充教师"
          }
          rule S-1 "规模（50人一档）" {
            require students <= 2000
            adjust students down by 50 人 "核减招生"
          }
        """)
        let r = try Core.check(rules, csv: Core.schoolHeader
            + Core.schoolRow("A", students: "2410", teachers: "101", equipment: "299.99")
            + Core.schoolRow("B", students: "2400", teachers: "100", equipment: "281"))
        let e1 = try XCTUnwrap(fix(r, "E-1", "A", "equipment_value"))
        XCTAssertEqual(e1.to, 300.49, "5000 元 is 0.5 万元: 299.99 + 0.5")
        XCTAssertEqual(try XCTUnwrap(e1.delta), 0.5, accuracy: 1e-9)
        XCTAssertEqual(e1.unit, "万元", "shown in the field's unit, whatever unit the step was written in")
        XCTAssertEqual(fix(r, "E-2", "B", "equipment_value")?.to, 301)
        XCTAssertEqual(fix(r, "E-2", "B", "equipment_value")?.delta, 20)
        XCTAssertEqual(fix(r, "T-1", "A", "teachers")?.to, 121, "101 + 10 × 2; 120 is not reachable in steps of 2")
        XCTAssertEqual(fix(r, "T-1", "B", "teachers")?.to, 120)
        XCTAssertEqual(fix(r, "S-1", "A", "students")?.to, 1960, "2410 − 9 × 50")
        XCTAssertEqual(fix(r, "S-1", "A", "students")?.delta, -450)
        XCTAssertEqual(fix(r, "S-1", "B", "students")?.to, 2000)
        XCTAssertEqual(fix(r, "S-1", "B", "students")?.delta, -400)
    }

    func testUpAndDownAreBothSolvedAndTheFirstIsPrimary() throws {
        let rules = Core.schoolRules("""
          rule D-1 "生师比" {
            when students > 0 and teachers > 0
            require students / teachers <= 20
            adjust students down "核减招生"
            adjust teachers up "补充教师"
          }
        """)
        let r = try Core.check(rules, csv: Core.schoolHeader + Core.schoolRow("A", students: "2400", teachers: "100"))
        let res = try XCTUnwrap(Core.result(r, "D-1", "A"))
        XCTAssertEqual(res.fixes.map(\.field), ["students", "teachers"])
        XCTAssertEqual(res.fixes.first?.to, 2000)
        XCTAssertEqual(res.fixes.first?.delta, -400)
        XCTAssertEqual(res.fixes.last?.to, 120)
        let it = try item(r, "A")
        XCTAssertEqual(it.changes.map(\.field), ["students"], "the first adjust is the primary remedy the plan uses")
        XCTAssertEqual(it.changes.first?.action, "核减招生")
    }

    // MARK: graded requires

    func testGradedRequiresTheFixClearsEveryRequire() throws {
        let rules = Core.schoolRules("""
          rule G-1 "生师比分级" {
            when students > 0 and teachers > 0
            measure 生师比 = students / teachers
            require 生师比 <= 18 else warning "未达合格标准"
            require 生师比 <= 20 else error "限制招生"
            adjust teachers up "补充专任教师"
          }
        """)
        let r = try Core.check(rules, csv: Core.schoolHeader
            + Core.schoolRow("A", students: "2400", teachers: "100")
            + Core.schoolRow("B", students: "1900", teachers: "100"))
        XCTAssertEqual(Core.outcome(r, "G-1", "A"), "fail error")
        XCTAssertEqual(Core.outcome(r, "G-1", "B"), "fail warning")
        // 2400 / 133 = 18.05 still fails the warning; 2400 / 134 = 17.91 clears both.
        XCTAssertEqual(fix(r, "G-1", "A", "teachers")?.to, 134, "clearing only the error (120) is not a pass")
        XCTAssertEqual(fix(r, "G-1", "B", "teachers")?.to, 106, "1900 / 106 = 17.92; 1900 / 105 = 18.1")
        XCTAssertEqual(Core.result(r, "G-1", "A")?.failedRequires, ["限制招生", "未达合格标准"], "most severe first")
        XCTAssertEqual(try item(r, "A").passesAfter, ["G-1"])
    }

    // MARK: impossible remedies

    func testNoRemedyBelowZeroSaysWhy() throws {
        let rules = Core.schoolRules("""
          rule Z-1 "教师多于学生" {
            require teachers - students >= 5
            adjust students down "核减招生"
          }
        """)
        let r = try Core.check(rules, csv: Core.schoolHeader
            + Core.schoolRow("A", students: "100", teachers: "3")
            + Core.schoolRow("B", students: "0", teachers: "3"))
        let a = try XCTUnwrap(fix(r, "Z-1", "A", "students"))
        XCTAssertNil(a.to)
        XCTAssertNil(a.delta)
        XCTAssertEqual(a.from, 100)
        XCTAssertEqual(a.reason?(.zh), "即使把全日制在校生数减到 0 也无法使规则达标，另需 专任教师数 - 全日制在校生数 ≥ 5",
                       "the require still failing at the search bound is named, fields by label")
        XCTAssertEqual(a.reason?(.en), "even 全日制在校生数 at zero does not make the rule pass; it also needs 专任教师数 - 全日制在校生数 ≥ 5")
        let b = try XCTUnwrap(fix(r, "Z-1", "B", "students"))
        XCTAssertNil(b.to)
        XCTAssertEqual(b.reason?(.zh), "全日制在校生数已为 0，不能再减少")
        let it = try item(r, "A")
        XCTAssertEqual(it.changes, [])
        XCTAssertEqual(it.stillFailing, ["Z-1"])
        XCTAssertEqual(it.passesAfter, [])
        XCTAssertEqual(it.unresolved.map(\.rule), ["Z-1"])
        XCTAssertEqual(it.unresolved.first?.reason(.zh), "即使把全日制在校生数减到 0 也无法使规则达标，另需 专任教师数 - 全日制在校生数 ≥ 5")
    }

    func testNoRemedyWhenAnotherInputDominates() throws {
        let rules = Core.schoolRules("""
          rule O-1 "设备与教师" {
            require equipment_value >= 300 万元
            require teachers >= 80
            adjust equipment_value up "购置设备"
            adjust teachers up "补充教师"
          }
        """)
        let r = try Core.check(rules, csv: Core.schoolHeader + Core.schoolRow("A", teachers: "50", equipment: "200"))
        let e = try XCTUnwrap(fix(r, "O-1", "A", "equipment_value"))
        XCTAssertNil(e.to, "no amount of equipment makes teachers >= 80 hold")
        XCTAssertEqual(e.reason?(.zh), "只调整教学仪器设备总值无法使规则达标，另需 专任教师数 ≥ 80", "the other input that decides is named")
        XCTAssertEqual(e.reason?(.en), "changing 教学仪器设备总值 alone cannot make the rule pass; it also needs 专任教师数 ≥ 80")
        let t = try XCTUnwrap(fix(r, "O-1", "A", "teachers"))
        XCTAssertNil(t.to, "nor any number of teachers makes the equipment enough")
        let it = try item(r, "A")
        XCTAssertEqual(it.stillFailing, ["O-1"])
        XCTAssertEqual(it.unresolved.first?.rule, "O-1")
        XCTAssertNotNil(it.unresolved.first?.reason(.zh).range(of: "教学仪器设备总值"), "the first adjust's reason is kept")
    }

    func testWhenTheFirstAdjustHasNoRemedyTheNextIsPrimary() throws {
        let rules = Core.schoolRules("""
          rule N-1 "教师不少于80人" {
            require teachers >= 80
            adjust students down "核减招生"
            adjust teachers up "补充教师"
          }
        """)
        let r = try Core.check(rules, csv: Core.schoolHeader + Core.schoolRow("A", teachers: "50"))
        XCTAssertNil(fix(r, "N-1", "A", "students")?.to)
        let it = try item(r, "A")
        XCTAssertEqual(it.changes.map(\.field), ["teachers"])
        XCTAssertEqual(it.changes.first?.to, 80)
        XCTAssertEqual(it.unresolved.count, 0)
        XCTAssertEqual(it.passesAfter, ["N-1"])
    }

    // MARK: measures

    func testAdjustingACountMeasureAddsWholeRecords() throws {
        let rules = AggregateTests.schema + """
        ruleset c "c" {
          for enterprise
          owner "企业"
          rule R-2 "接收实习生不少于职工总数的2%" {
            measure 接收实习生 = count(internship where enterprise_code == code) in 人
            require 接收实习生 >= staff * 2%
            adjust 接收实习生 up "接收实习生"
          }
        }
        """
        let p = try Core.program(rules)
        let data = try Core.load(p, [("enterprise", "e.csv", "代码,企业名称,职工人数\nE1,甲,120\nE2,乙,1000\n"),
                                     ("internship", "i.csv", "编号,企业代码,学生数,时长,夜班\nI1,E2,1,1,否\n")])
        let r = Core.run(p, data)
        let f = try XCTUnwrap(fix(r, "R-2", "E1", "接收实习生"))
        XCTAssertEqual(f.from, 0)
        XCTAssertEqual(f.to, 3, "120 × 2% = 2.4: three interns, not 2.4")
        XCTAssertEqual(f.delta, 3)
        XCTAssertEqual(f.unit, "人")
        XCTAssertEqual(f.label, "接收实习生")
        XCTAssertEqual(TextReport.fixText(f, lang: .zh), "接收实习生 0 → 3 人（+3） 接收实习生")
        XCTAssertEqual(fix(r, "R-2", "E2", "接收实习生")?.delta, 19)
        let it = try item(r, "E1")
        XCTAssertEqual(it.changes.first?.field, "接收实习生")
        XCTAssertEqual(it.changes.first?.delta, 3)
        XCTAssertEqual(it.passesAfter, ["R-2"], "the merged plan re-evaluates with the measure overridden")
    }

    // MARK: the merged plan

    func testMergedPlanTakesTheLargestChangeAndListsEveryRule() throws {
        // The largest request sits between the others: neither the first nor the last rule wins by position.
        let rules = Core.schoolRules("""
          deadline within 180 days
          rule M-1 "规模（宽）" {
            require students <= 2200
            adjust students down "核减招生（宽）"
          }
          rule M-2 "规模（严）" {
            require students <= 1800
            adjust students down "核减招生（严）"
          }
          rule M-3 "规模（中）" {
            require students <= 2000
            adjust students down "核减招生（中）"
          }
        """)
        let r = try Core.check(rules, csv: Core.schoolHeader + Core.schoolRow("A", students: "2400"))
        let it = try item(r, "A")
        XCTAssertEqual(it.changes.count, 1, "\(it.changes)")
        let c = try XCTUnwrap(it.changes.first)
        XCTAssertEqual(c.field, "students")
        XCTAssertEqual(c.from, 2400)
        XCTAssertEqual(c.to, 1800, "the largest change any rule asks")
        XCTAssertEqual(c.delta, -600)
        XCTAssertEqual(c.action, "核减招生（严）", "the action of the rule that asks the most")
        XCTAssertEqual(Set(c.rules), ["M-1", "M-2", "M-3"])
        XCTAssertEqual(it.passesAfter, ["M-1", "M-2", "M-3"])
        XCTAssertEqual(it.stillFailing, [])
    }

    func testOppositeDirectionsAreAConflictAndTheFieldIsLeftAlone() throws {
        let rules = Core.schoolRules("""
          rule C-1 "至少" {
            require building_area >= 50000 平方米
            adjust building_area up "扩建"
          }
          rule C-2 "至多" {
            require building_area <= students * 30 平方米
            adjust building_area down "腾退"
          }
          rule C-3 "教师" {
            require teachers >= 60
            adjust teachers up "补充教师"
          }
        """)
        let r = try Core.check(rules, csv: Core.schoolHeader + Core.schoolRow("A", students: "1000", teachers: "50", area: "40000"))
        let it = try item(r, "A")
        XCTAssertEqual(it.conflicts.count, 1, "\(it.conflicts)")
        let text = try XCTUnwrap(it.conflicts.first).zh
        XCTAssertTrue(text.contains("校舍建筑面积") && !text.contains("building_area") && text.contains("C-1") && text.contains("C-2"), text)
        XCTAssertTrue(text.contains("↑") && text.contains("↓"), text)
        XCTAssertEqual(it.changes.map(\.field), ["teachers"], "no single direction serves both rules")
        XCTAssertEqual(it.passesAfter, ["C-3"])
        XCTAssertEqual(it.stillFailing, ["C-1", "C-2"])
        let json = JSONReport.rectification(it, lang: .zh).render(pretty: false)
        XCTAssertTrue(json.contains("\"conflicts\":["), json)
    }

    func testPassesAfterReEvaluatesWithEveryMergedChange() throws {
        // Each remedy alone passes its rule, but the enrolment rise makes the area short again.
        let rules = Core.schoolRules("""
          rule I-1 "生均校舍" {
            when students > 0
            require building_area / students >= 20 平方米/人
            adjust building_area up "新建校舍"
          }
          rule I-2 "最低规模" {
            require students >= 2500
            adjust students up "扩大招生"
          }
          rule I-3 "设备" {
            require equipment_value >= 1000 万元
          }
        """)
        let r = try Core.check(rules, csv: Core.schoolHeader + Core.schoolRow("A", students: "2400", area: "40000", equipment: "500"))
        let it = try item(r, "A")
        // Alone, I-1 needs 48000 m²; with the 2500 students I-2 needs, 48000 / 2500 = 19.2 < 20, so
        // I-1 is solved again from the changed record: 2500 × 20 = 50000 m².
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: it.changes.map { ($0.field, $0.to) }), ["building_area": 50000, "students": 2500])
        XCTAssertEqual(it.changes.first { $0.field == "building_area" }?.delta, 10000)
        XCTAssertEqual(it.passesAfter, ["I-1", "I-2"])
        XCTAssertEqual(it.stillFailing, ["I-3"], "I-3 has no adjust")
        XCTAssertEqual(it.unresolved.map(\.rule), ["I-3"], "unresolved is exactly what still fails")
        XCTAssertEqual(it.unresolved.first?.reason(.zh), "规则没有可调整的项（adjust），仍不满足：教学仪器设备总值 ≥ 1000 万元")
    }

    // MARK: waivers

    static let waiverRules = Core.schoolRules("""
      rule W-1 "设备" {
        require equipment_value >= 300 万元
        adjust equipment_value up by 1 万元 "购置设备"
      }
      rule W-2 "教师" {
        require teachers >= 10
        adjust teachers up "补充教师"
      }
    """) + """
    waive W-1 for school "A" until 2025-06-30 because "设备采购已立项"
    waive W-9 for school "A" until 2025-06-30 because "规则已删除"
    waive W-1 for school "Z" until 2025-06-30 because "学校已撤并"
    waive W-2 for school "A" until 2025-06-30 because "教师已招聘"

    """

    func waiverRun(asOf: Int) throws -> Report {
        let p = try Core.program(Self.waiverRules)
        return Rect.run(p, try Core.load(p, Core.schoolHeader + Core.schoolRow("A", teachers: "50", equipment: "299.99")), asOf: asOf)
    }

    func status(_ r: Report, _ rule: String, _ key: String) -> WaiverStatus? {
        r.waivers.first { $0.rule == rule && $0.key == key }?.status
    }

    func testWaiverBeforeAndOnItsDateIsActive() throws {
        for asOf in [Rect.date(2025, 6, 29), Rect.date(2025, 6, 30)] {
            let r = try waiverRun(asOf: asOf)
            let when = CivilDate.format(asOf)
            XCTAssertEqual(Core.result(r, "W-1", "A")?.outcome, .waived, "as of \(when): `until` is the last day the waiver covers")
            XCTAssertEqual(Core.result(r, "W-1", "A")?.waiverReason, "设备采购已立项")
            XCTAssertEqual(Core.result(r, "W-1", "A")?.fixes.first?.to, 300.99, "waived results still show their fixes")
            XCTAssertEqual(status(r, "W-1", "A"), .active, when)
            XCTAssertEqual(r.summary.waived, 1)
            XCTAssertEqual(r.summary.fail, 0)
            XCTAssertEqual(r.rectification, [], "a waived result is not rectified: \(when)")
        }
    }

    func testWaiverAfterItsDateHasExpired() throws {
        let r = try waiverRun(asOf: Rect.date(2025, 7, 1))
        XCTAssertEqual(Core.outcome(r, "W-1", "A"), "fail error")
        XCTAssertNil(Core.result(r, "W-1", "A")?.waiverReason)
        XCTAssertEqual(status(r, "W-1", "A"), .expired)
        let it = try item(r, "A")
        XCTAssertEqual(it.changes.map(\.field), ["equipment_value"])
        XCTAssertEqual(it.changes.first?.to, 300.99)
    }

    func testWaiverStatusesUnknownRuleUnknownKeyUnused() throws {
        let r = try waiverRun(asOf: Core.asOf)
        XCTAssertEqual(status(r, "W-9", "A"), .unknownRule)
        XCTAssertEqual(status(r, "W-1", "Z"), .unknownKey)
        XCTAssertEqual(status(r, "W-2", "A"), .unused, "W-2 passes for A: the waiver covers nothing")
        XCTAssertEqual(r.waivers.count, 4, "every waiver is reported, none ignored")
        let json = Core.json(JSONReport.render(r))
        let ws = try XCTUnwrap(json["waivers"] as? [[String: Any]])
        XCTAssertEqual(Set(ws.compactMap { $0["status"] as? String }), ["active", "unknown-rule", "unknown-key", "unused"])
        let first = try XCTUnwrap(ws.first { $0["rule"] as? String == "W-1" && $0["key"] as? String == "A" })
        XCTAssertEqual(Set(first.keys), ["rule", "entity", "key", "until", "reason", "status"])
        XCTAssertEqual(first["until"] as? String, "2025-06-30")
        XCTAssertEqual(first["entity"] as? String, "school")
    }

    // MARK: deadlines and owners

    func testDeadlineWithinDaysIsCountedFromTheAuditDate() throws {
        let rules = Core.schoolRules("""
          deadline within 180 days
          owner "学校"
          rule L-1 "教师" {
            require teachers >= 60
            adjust teachers up "补充教师"
          }
        """)
        let p = try Core.program(rules)
        let data = try Core.load(p, Core.schoolHeader + Core.schoolRow("A"))
        let r1 = Rect.run(p, data, asOf: Rect.date(2024, 10, 31))
        XCTAssertEqual(try item(r1, "A").deadline, Rect.date(2025, 4, 29))
        XCTAssertEqual(Core.result(r1, "L-1", "A")?.deadline, Rect.date(2025, 4, 29))
        XCTAssertEqual(JSONReport.rectification(try item(r1, "A"), lang: .zh).render(pretty: false).contains("\"deadline\":\"2025-04-29\""), true)
        let r2 = Rect.run(p, data, asOf: Rect.date(2024, 1, 1))
        XCTAssertEqual(try item(r2, "A").deadline, Rect.date(2024, 6, 29), "2024 is a leap year")
    }

    func testEarliestDeadlineOfTheFailedRulesWins() throws {
        let rules = Core.schoolRules("""
          deadline within 180 days
          owner "学校"
          rule L-1 "教师" {
            require teachers >= 60
            adjust teachers up "补充教师"
          }
          rule L-2 "校舍" {
            deadline 2024-12-31
            require building_area >= 50000 平方米
            adjust building_area up "新建校舍"
          }
          rule L-3 "设备" {
            deadline within 30 days
            require equipment_value >= 300 万元
            adjust equipment_value up "购置设备"
          }
          rule L-4 "规模" {
            deadline 2024-11-05
            require students <= 5000
            adjust students down "核减"
          }
        """)
        let r = try Core.check(rules, csv: Core.schoolHeader
            + Core.schoolRow("A", area: "40000", equipment: "200")
            + Core.schoolRow("B", area: "40000", equipment: "500"))
        XCTAssertEqual(try item(r, "A").deadline, Rect.date(2024, 11, 30), "2024-10-31 + 30 days beats 2024-12-31 and +180 days")
        XCTAssertEqual(try item(r, "B").deadline, Rect.date(2024, 12, 31), "L-4 passes, so its earlier date does not count")
        XCTAssertEqual(try item(r, "A").owner, "学校")
    }

    func testWaivedRuleDoesNotSetTheDeadline() throws {
        let rules = Core.schoolRules("""
          deadline within 180 days
          rule L-1 "教师" {
            require teachers >= 60
            adjust teachers up "补充教师"
          }
          rule L-3 "设备" {
            deadline within 30 days
            require equipment_value >= 300 万元
            adjust equipment_value up "购置设备"
          }
        """) + """
        waive L-3 for school "A" until 2025-12-31 because "已立项"

        """
        let r = try Core.check(rules, csv: Core.schoolHeader + Core.schoolRow("A", equipment: "200"))
        let it = try item(r, "A")
        XCTAssertEqual(it.deadline, Rect.date(2025, 4, 29))
        XCTAssertEqual(it.changes.map(\.field), ["teachers"])
        XCTAssertEqual(it.passesAfter, ["L-1"], "only the failed (not waived) rules are re-evaluated")
    }

    // MARK: JSON

    static let jsonRules = Core.schoolRules("""
      deadline within 180 days
      owner "学校"
      rule ZZ-02 "生均校舍建筑面积不低于20平方米" {
        when students > 0
        measure 生均校舍建筑面积 = building_area / students
        require 生均校舍建筑面积 >= 20 平方米/人
        adjust building_area up "新建、改扩建或租用校舍"
      }
      rule ZZ-09 "教师不少于10人" {
        require teachers >= 10
        adjust students down "核减招生"
      }
    """)

    func testJSONFieldNamesOrderAndNulls() throws {
        let r = try Core.check(Self.jsonRules, csv: Core.schoolHeader
            + "6262000001,甲职业中专,兰州市,中职,工科类,2000,5,30400,500\n")
        let res = try XCTUnwrap(Core.result(r, "ZZ-02", "6262000001"))
        XCTAssertEqual(JSONReport.fix(try XCTUnwrap(res.fixes.first), lang: .zh).render(pretty: false),
                       #"{"field":"building_area","from":30400,"to":40000,"delta":9600,"unit":"平方米","action":"新建、改扩建或租用校舍"}"#)
        let none = try XCTUnwrap(Core.result(r, "ZZ-09", "6262000001")?.fixes.first)
        XCTAssertEqual(JSONReport.fix(none, lang: .zh).render(pretty: false),
                       #"{"field":"students","from":2000,"to":null,"delta":null,"unit":"人","action":"核减招生","reason":"即使把全日制在校生数减到 0 也无法使规则达标，另需 专任教师数 ≥ 10"}"#)
        let it = try item(r, "6262000001")
        XCTAssertEqual(JSONReport.rectification(it, lang: .zh).render(pretty: false),
                       #"{"entity":"school","key":"6262000001","name":"甲职业中专","owner":"学校","deadline":"2025-04-29","#
                           + #""changes":[{"field":"building_area","from":30400,"to":40000,"delta":9600,"unit":"平方米","rules":["ZZ-02"],"action":"新建、改扩建或租用校舍"}],"#
                           + #""passesAfter":["ZZ-02"],"stillFailing":["ZZ-09"],"#
                           + #""unresolved":[{"rule":"ZZ-09","reason":"即使把全日制在校生数减到 0 也无法使规则达标，另需 专任教师数 ≥ 10"}]}"#)
        // The streamed document (what `--format json` writes) carries the same names.
        let text = JSONReport.render(r, lang: .zh)
        let doc = Core.json(text)
        let results = try XCTUnwrap(doc["results"] as? [[String: Any]])
        let jfix = try XCTUnwrap((results.first { $0["rule"] as? String == "ZZ-02" }?["fixes"] as? [[String: Any]])?.first)
        XCTAssertEqual(Set(jfix.keys), ["field", "from", "to", "delta", "unit", "action"])
        XCTAssertEqual(jfix["delta"] as? Double, 9600)
        let jnone = try XCTUnwrap((results.first { $0["rule"] as? String == "ZZ-09" }?["fixes"] as? [[String: Any]])?.first)
        XCTAssertTrue(jnone["to"] is NSNull)
        XCTAssertTrue(jnone["delta"] is NSNull)
        XCTAssertEqual(jnone["from"] as? Double, 2000)
        XCTAssertEqual(jnone["reason"] as? String, "即使把全日制在校生数减到 0 也无法使规则达标，另需 专任教师数 ≥ 10")
        let rect = try XCTUnwrap((doc["rectification"] as? [[String: Any]])?.first)
        XCTAssertEqual(Set(rect.keys), ["entity", "key", "name", "owner", "deadline", "changes", "passesAfter", "stillFailing", "unresolved"])
        let change = try XCTUnwrap((rect["changes"] as? [[String: Any]])?.first)
        XCTAssertEqual(Set(change.keys), ["field", "from", "to", "delta", "unit", "rules", "action"])
        let start = try XCTUnwrap(text.range(of: "\"rectification\""))
        XCTAssertEqual(Rect.keyOrder(text, keys: ["entity", "key", "name", "owner", "deadline", "changes", "field", "from", "to", "delta",
                                                  "unit", "rules", "action", "passesAfter", "stillFailing"], after: start.upperBound)?.count, 15,
                       "the streamed rectification keeps cli.md's order")
        let en = Core.json(JSONReport.render(r, lang: .en))
        let enFix = ((en["results"] as? [[String: Any]])?.first { $0["rule"] as? String == "ZZ-09" }?["fixes"] as? [[String: Any]])?.first
        XCTAssertEqual(enFix?["reason"] as? String, "even 全日制在校生数 at zero does not make the rule pass; it also needs 专任教师数 ≥ 10")
    }

    func testJSONDeltaIsNegativeForDown() throws {
        let rules = Core.schoolRules("""
          rule S-1 "规模" {
            require students <= 2000
            adjust students down "核减招生"
          }
        """)
        let r = try Core.check(rules, csv: Core.schoolHeader + Core.schoolRow("A", students: "2400"))
        let doc = Core.json(JSONReport.render(r))
        let change = try XCTUnwrap(((doc["rectification"] as? [[String: Any]])?.first?["changes"] as? [[String: Any]])?.first)
        XCTAssertEqual(change["delta"] as? Double, -400)
        XCTAssertEqual(change["to"] as? Double, 2000)
        XCTAssertTrue(rectOwnerIsNull(doc), "no owner declared: null, not a made-up text")
    }

    func rectOwnerIsNull(_ doc: [String: Any]) -> Bool {
        (doc["rectification"] as? [[String: Any]])?.first?["owner"] is NSNull
    }

    // MARK: explain

    func testExplainShowsValuesRequiresOutcomeAndFixes() throws {
        let rules = Core.schoolRules("""
          rule ZZ-01 "生师比不高于20:1" {
            when students > 0 and teachers > 0
            measure 生师比 = students / teachers
            require 生师比 <= 18 else warning "未达合格标准"
            require 生师比 <= 20 else error "限制招生"
            adjust teachers up "补充专任教师"
            adjust students down "核减招生规模"
            cite "教职成〔2010〕12号 第七条"
          }
          rule ZZ-02 "生均校舍" {
            when students > 0
            measure 生均校舍建筑面积 = building_area / students
            require 生均校舍建筑面积 >= 20 平方米/人
            adjust building_area up "新建校舍"
          }
        """)
        let p = try Core.program(rules)
        let data = try Core.load(p, Core.schoolHeader + Core.schoolRow("A", students: "2400", teachers: "100", area: "40000"))
        let engine = Engine(program: p, data: data)
        let zz1 = try XCTUnwrap(engine.explain(rule: "ZZ-01", key: "A", asOf: Core.asOf, lang: .zh))
        for piece in ["全日制在校生数（students）= 2400 人", "专任教师数（teachers）= 100 人", "生师比 = 24",
                      "require 生师比 <= 18：24 <= 18 → 不成立（警告：未达合格标准）",
                      "require 生师比 <= 20：24 <= 20 → 不成立（错误：限制招生）",
                      "结果：不达标（错误）", "专任教师数 100 → 134 人（+34） 补充专任教师",
                      "全日制在校生数 2400 → 1800 人（−600） 核减招生规模", "教职成〔2010〕12号 第七条",
                      "办学层次（level）= 中职"] {
            XCTAssertTrue(zz1.contains(piece), "explain lacks “\(piece)”:\n\(zz1)")
        }
        let zz2 = try XCTUnwrap(engine.explain(rule: "ZZ-02", key: "A", asOf: Core.asOf, lang: .zh))
        for piece in ["校舍建筑面积（building_area）= 40000 平方米", "生均校舍建筑面积 = 16.67 平方米/人",
                      "16.67 平方米/人 >= 20 平方米/人 → 不成立", "结果：不达标（错误）",
                      "校舍建筑面积 40000 → 48000 平方米（+8000） 新建校舍"] {
            XCTAssertTrue(zz2.contains(piece), "explain lacks “\(piece)”:\n\(zz2)")
        }
        let en = try XCTUnwrap(engine.explain(rule: "ZZ-02", key: "A", asOf: Core.asOf, lang: .en))
        XCTAssertTrue(en.contains("16.67 平方米/人 >= 20 平方米/人 → does not hold"), en)
        XCTAssertTrue(en.contains("building_area 40000 → 48000 平方米") || en.contains("校舍建筑面积 40000 → 48000 平方米"), en)
        XCTAssertNil(engine.explain(rule: "ZZ-02", key: "nobody", asOf: Core.asOf, lang: .zh))
        XCTAssertNil(engine.explain(rule: "NO-SUCH", key: "A", asOf: Core.asOf, lang: .zh))
    }

    /// cli.md: `--lang en` switches the tool's own words; its English should
    /// not carry Chinese full-width brackets around English words.
    func testExplainInEnglishUsesEnglishPunctuation() throws {
        let rules = Core.schoolRules("""
          rule ZZ-02 "生均校舍" {
            when students > 0
            require building_area / students >= 20 平方米/人
            adjust building_area up "新建校舍"
          }
        """)
        let p = try Core.program(rules)
        let data = try Core.load(p, Core.schoolHeader + Core.schoolRow("A", students: "2400", area: "40000"))
        let en = try XCTUnwrap(Engine(program: p, data: data).explain(rule: "ZZ-02", key: "A", asOf: Core.asOf, lang: .en))
        XCTAssertTrue(en.contains("outcome: fail (error)"), en)
        XCTAssertTrue(en.contains("→ does not hold (error)"), en)
    }

    func testExplainOfAWaivedResultOnItsLastDay() throws {
        let p = try Core.program(Self.waiverRules)
        let data = try Core.load(p, Core.schoolHeader + Core.schoolRow("A", teachers: "50", equipment: "299.99"))
        let engine = Engine(program: p, data: data)
        let on = try XCTUnwrap(engine.explain(rule: "W-1", key: "A", asOf: Rect.date(2025, 6, 30), lang: .zh))
        XCTAssertTrue(on.contains("结果：已豁免"), on)
        XCTAssertTrue(on.contains("设备采购已立项（2025-06-30）"), on)
        XCTAssertTrue(on.contains("教学仪器设备总值 299.99 → 300.99 万元（+1） 购置设备"), on)
        let after = try XCTUnwrap(engine.explain(rule: "W-1", key: "A", asOf: Rect.date(2025, 7, 1), lang: .zh))
        XCTAssertTrue(after.contains("结果：不达标（错误）"), after)
    }
}
