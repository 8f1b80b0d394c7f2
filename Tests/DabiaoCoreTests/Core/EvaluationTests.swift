import XCTest
@testable import DabiaoCore

/// Outcomes of rules on records: graded levels, match, if, functions,
/// missing and undefined values, ref, prev, waivers, messages.
final class EvaluationTests: XCTestCase {
    // MARK: graded levels

    func testGradedRequiresGiveWarningErrorAndPass() throws {
        let rules = Core.schoolRules("""
          rule G-1 "生师比" {
            measure 生师比 = students / teachers
            require 生师比 <= 18 else warning "未达合格标准"
            require 生师比 <= 22 else error "限制招生"
          }
        """)
        let csv = Core.schoolHeader
            + Core.schoolRow("A", students: "1500", teachers: "100")
            + Core.schoolRow("B", students: "2000", teachers: "100")
            + Core.schoolRow("C", students: "2500", teachers: "100")
            + Core.schoolRow("D", students: "1800", teachers: "100")
        let r = try Core.check(rules, csv: csv)
        XCTAssertEqual(Core.outcome(r, "G-1", "A"), "pass")
        XCTAssertEqual(Core.outcome(r, "G-1", "B"), "fail warning")
        XCTAssertEqual(Core.outcome(r, "G-1", "C"), "fail error")
        XCTAssertEqual(Core.outcome(r, "G-1", "D"), "pass", "both ends of <= are included")
        XCTAssertEqual(Core.measure(r, "G-1", "B", "生师比"), 20)
        XCTAssertEqual(Core.result(r, "G-1", "C")?.failedRequires, ["限制招生", "未达合格标准"], "most severe first")
        XCTAssertEqual(Core.result(r, "G-1", "B")?.failedRequires, ["未达合格标准"])
        XCTAssertEqual(r.summary.results, 4)
        XCTAssertEqual(r.summary.pass, 2)
        XCTAssertEqual(r.summary.fail, 2)
        XCTAssertEqual(r.summary.error, 1)
        XCTAssertEqual(r.summary.warning, 1)
        XCTAssertEqual(r.summary.info, 0)
    }

    func testRuleSeverityIsTheLevelOfAPlainRequire() throws {
        let rules = Core.schoolRules("""
          rule S-1 "x" {
            severity info
            require students <= 100
          }
        """)
        let r = try Core.check(rules, csv: Core.schoolHeader + Core.schoolRow("A", students: "101"))
        XCTAssertEqual(Core.outcome(r, "S-1", "A"), "fail info")
        XCTAssertEqual(r.summary.info, 1)
        XCTAssertEqual(r.summary.error, 0)
    }

    // MARK: match and if

    func testMatchPicksFirstEqualArmOrElse() throws {
        let rules = Core.schoolRules("""
          rule M-1 "设备" {
            let 标准 = match category {
              "工科类", "医药类" => 3000 元/人
              "财经类" => 2000 元/人
              else => 2500 元/人
            }
            measure 标准值 = 标准 in 元/人
            measure 生均 = equipment_value / students in 元/人
            require 生均 >= 标准
          }
        """)
        // equipment in 万元: 250 万元 / 1000 人 = 2500 元/人.
        let csv = Core.schoolHeader
            + Core.schoolRow("A", category: "工科类", students: "1000", equipment: "250")
            + Core.schoolRow("B", category: "医药类", students: "1000", equipment: "300")
            + Core.schoolRow("C", category: "财经类", students: "1000", equipment: "250")
            + Core.schoolRow("D", category: "农林类", students: "1000", equipment: "250")
        let r = try Core.check(rules, csv: csv)
        XCTAssertEqual(Core.measure(r, "M-1", "A", "标准值"), 3000)
        XCTAssertEqual(Core.measure(r, "M-1", "B", "标准值"), 3000)
        XCTAssertEqual(Core.measure(r, "M-1", "C", "标准值"), 2000)
        XCTAssertEqual(Core.measure(r, "M-1", "D", "标准值"), 2500)
        XCTAssertEqual(Core.measure(r, "M-1", "A", "生均"), 2500)
        XCTAssertEqual(Core.outcome(r, "M-1", "A"), "fail error")
        XCTAssertEqual(Core.outcome(r, "M-1", "B"), "pass")
        XCTAssertEqual(Core.outcome(r, "M-1", "C"), "pass")
        XCTAssertEqual(Core.outcome(r, "M-1", "D"), "pass")
    }

    func testMatchWithoutMatchingArmAndNoElseIsNotAPass() throws {
        let rules = Core.schoolRules("""
          rule M-2 "x" {
            let 上限 = match category {
              "工科类" => 20
              "财经类" => 25
            }
            require students / teachers <= 上限
          }
        """)
        let csv = Core.schoolHeader
            + Core.schoolRow("A", category: "工科类", students: "1000", teachers: "100")
            + Core.schoolRow("B", category: "农林类", students: "1000", teachers: "100")
        let r = try Core.check(rules, csv: csv)
        XCTAssertEqual(Core.outcome(r, "M-2", "A"), "pass")
        let b = try XCTUnwrap(Core.result(r, "M-2", "B"))
        XCTAssertNotEqual(b.outcome, .pass)
        XCTAssertNotEqual(b.outcome, .fail)
        XCTAssertTrue(b.outcome == .undefined || b.outcome == .missing, "\(b.outcome)")
    }

    func testIfThenElse() throws {
        let rules = Core.schoolRules("""
          rule I-1 "x" {
            measure 上限 = if students > 1000 then 18 else 20
            require students / teachers <= 上限
          }
        """)
        let csv = Core.schoolHeader
            + Core.schoolRow("A", students: "1900", teachers: "100")
            + Core.schoolRow("B", students: "1000", teachers: "50")
        let r = try Core.check(rules, csv: csv)
        XCTAssertEqual(Core.measure(r, "I-1", "A", "上限"), 18)
        XCTAssertEqual(Core.outcome(r, "I-1", "A"), "fail error")
        XCTAssertEqual(Core.measure(r, "I-1", "B", "上限"), 20)
        XCTAssertEqual(Core.outcome(r, "I-1", "B"), "pass")
    }

    func testInListAndBetweenIncludeBothEnds() throws {
        let rules = Core.schoolRules("""
          rule B-1 "x" {
            require students between 100 and 2000
          }
          rule B-2 "y" {
            require category in ("工科类", "医药类")
          }
          rule B-3 "z" {
            require not (category in ("工科类")) and students > 0
          }
        """)
        let csv = Core.schoolHeader
            + Core.schoolRow("A", category: "工科类", students: "100")
            + Core.schoolRow("B", category: "医药类", students: "2000")
            + Core.schoolRow("C", category: "财经类", students: "99")
            + Core.schoolRow("D", category: "财经类", students: "2001")
        let r = try Core.check(rules, csv: csv)
        XCTAssertEqual(Core.outcome(r, "B-1", "A"), "pass")
        XCTAssertEqual(Core.outcome(r, "B-1", "B"), "pass")
        XCTAssertEqual(Core.outcome(r, "B-1", "C"), "fail error")
        XCTAssertEqual(Core.outcome(r, "B-1", "D"), "fail error")
        XCTAssertEqual(Core.outcome(r, "B-2", "A"), "pass")
        XCTAssertEqual(Core.outcome(r, "B-2", "B"), "pass")
        XCTAssertEqual(Core.outcome(r, "B-2", "C"), "fail error")
        XCTAssertEqual(Core.outcome(r, "B-3", "A"), "fail error")
        XCTAssertEqual(Core.outcome(r, "B-3", "C"), "pass")
    }

    // MARK: functions

    static let functionRules = """
    unit 元
    entity item "项目" {
      key id : text "编号"
      a : number 元 "甲"
      b : number "乙"
      optional c : number "丙"
      d1 : date "开始"
      d2 : date "结束"
      s : text "名称"
    }
    ruleset f "函数" {
      for item
      rule F-1 "数值函数" {
        measure mn = min(a, 5 元)
        measure mx = max(a, 5 元, 6 元)
        measure ab = abs(b)
        measure r1 = round(a, 1)
        measure r0 = round(b)
        measure ce = ceil(a)
        measure fl = floor(a)
        measure co = coalesce(c, 9)
        measure yr = year(d1)
        measure ln = len(s)
        require ab > 0
      }
      rule F-2 "文本函数" {
        require contains(s, "职业")
        require starts_with(s, "甘肃")
      }
      rule F-3 "present" {
        require present(c)
      }
    }
    """

    func testBuiltinFunctions() throws {
        let csv = """
        编号,甲,乙,丙,开始,结束,名称
        1,7.25,-3.5,,2024-01-01,2024-03-01,甘肃职业学院
        2,4.75,2.5,2,2023-12-31,2024-01-01,兰州职业学院

        """
        let p = try Core.program(Self.functionRules)
        let r = Core.run(p, try Core.load(p, entity: "item", path: "item.csv", csv))
        let m = { (key: String, name: String) in Core.measure(r, "F-1", key, name) }
        XCTAssertEqual(m("1", "mn"), 5)
        XCTAssertEqual(m("2", "mn"), 4.75)
        XCTAssertEqual(m("1", "mx"), 7.25)
        XCTAssertEqual(m("2", "mx"), 6)
        XCTAssertEqual(m("1", "ab"), 3.5)
        XCTAssertEqual(m("1", "r1"), 7.3)
        XCTAssertEqual(m("2", "r1"), 4.8)
        XCTAssertEqual(m("1", "r0"), -4, "round(-3.5) rounds half away from zero")
        XCTAssertEqual(m("2", "r0"), 3)
        XCTAssertEqual(m("1", "ce"), 8)
        XCTAssertEqual(m("1", "fl"), 7)
        XCTAssertEqual(m("2", "ce"), 5)
        XCTAssertEqual(m("2", "fl"), 4)
        XCTAssertEqual(m("1", "co"), 9, "coalesce replaces a missing value")
        XCTAssertEqual(m("2", "co"), 2)
        XCTAssertEqual(m("1", "yr"), 2024)
        XCTAssertEqual(m("2", "yr"), 2023)
        XCTAssertEqual(m("1", "ln"), 6, "len counts characters, not bytes")
        XCTAssertEqual(Core.outcome(r, "F-2", "1"), "pass")
        XCTAssertEqual(Core.outcome(r, "F-2", "2"), "fail error")
        XCTAssertEqual(Core.result(r, "F-2", "2")?.failedRequires.count, 1, "only starts_with fails")
        XCTAssertEqual(Core.outcome(r, "F-3", "1"), "fail error", "present(missing) is false, not missing")
        XCTAssertEqual(Core.outcome(r, "F-3", "2"), "pass")
    }

    /// `days` is both a keyword (`within N days`) and a function (language.md §4).
    func testDaysFunctionCountsDaysBetweenDates() throws {
        let rules = """
        entity item "项目" {
          key id : text "编号"
          d1 : date "开始"
          d2 : date "结束"
        }
        ruleset f "函数" {
          for item
          deadline within 30 days
          rule F-4 "days" {
            measure dy = days(d1, d2)
            require days(d1, d2) <= 31
          }
        }
        """
        let p = try Core.program(rules)
        let r = Core.run(p, try Core.load(p, entity: "item", path: "item.csv",
                                          "编号,开始,结束\n1,2024-01-01,2024-03-01\n2,2023-12-31,2024-01-01\n"))
        XCTAssertEqual(Core.measure(r, "F-4", "1", "dy"), 60, "2024 is a leap year")
        XCTAssertEqual(Core.outcome(r, "F-4", "1"), "fail error")
        XCTAssertEqual(Core.measure(r, "F-4", "2", "dy"), 1)
        XCTAssertEqual(Core.outcome(r, "F-4", "2"), "pass")
    }

    func testFunctionNameIsAFieldWhenNotCalled() throws {
        let rules = """
        entity e "E" {
          key id : text "编号"
          floor : integer "楼层"
        }
        ruleset r "r" {
          for e
          rule E-1 "x" {
            measure f = floor(floor / 2)
            require floor <= 10
          }
        }
        """
        let p = try Core.program(rules)
        let r = Core.run(p, try Core.load(p, entity: "e", path: "e.csv", "编号,楼层\n1,7\n2,12\n"))
        XCTAssertEqual(Core.measure(r, "E-1", "1", "f"), 3)
        XCTAssertEqual(Core.outcome(r, "E-1", "1"), "pass")
        XCTAssertEqual(Core.outcome(r, "E-1", "2"), "fail error")
    }

    // MARK: missing and undefined

    static let missingRules = Core.schoolRules("""
      let 比 = students / teachers
      rule M-1 "生师比" {
        measure 生师比 = 比
        require 比 <= 20
      }
      rule M-2 "面积" {
        require building_area >= 1000 平方米
      }
      rule M-3 "when" {
        when category == "工科类"
        require students > 0
      }
    """)

    func testMissingAndUndefinedOutcomes() throws {
        let csv = Core.schoolHeader
            + Core.schoolRow("A", category: "工科类", students: "", teachers: "50")
            + Core.schoolRow("B", category: "财经类", students: "1000", teachers: "0")
            + Core.schoolRow("C", category: "财经类", students: "", teachers: "0")
            + Core.schoolRow("D", level: "高职", students: "", teachers: "0")
            + "E,学校E,兰州市,中职,,1000,50,,100\n"
            + Core.schoolRow("F", category: "工科类", students: "1000", teachers: "50")
        let r = try Core.check(Self.missingRules, csv: csv)

        let a = try XCTUnwrap(Core.result(r, "M-1", "A"))
        XCTAssertEqual(a.outcome, .missing)
        XCTAssertEqual(a.missingFields, ["students"], "the empty cell is named")
        XCTAssertNil(a.measures.first?.value, "an unknown measure is null, never a made-up number")
        XCTAssertNil(a.level)

        let b = try XCTUnwrap(Core.result(r, "M-1", "B"))
        XCTAssertEqual(b.outcome, .undefined, "division by zero")
        XCTAssertEqual(b.missingFields, [])
        XCTAssertEqual(Core.outcome(r, "M-2", "B"), "pass", "a division by zero in a let affects only the rules that read it")
        XCTAssertEqual(Core.outcome(r, "M-3", "B"), "not-applicable")

        let c = try XCTUnwrap(Core.result(r, "M-1", "C"))
        XCTAssertEqual(c.outcome, .missing, "missing and undefined in one expression is missing")
        XCTAssertEqual(c.missingFields, ["students"])

        XCTAssertTrue(r.results.allSatisfy { $0.key != "D" }, "records excluded by for … where get no result")

        let e2 = try XCTUnwrap(Core.result(r, "M-2", "E"))
        XCTAssertEqual(e2.outcome, .missing)
        XCTAssertEqual(e2.missingFields, ["building_area"])
        let e3 = try XCTUnwrap(Core.result(r, "M-3", "E"))
        XCTAssertEqual(e3.outcome, .missing, "a missing when makes the result missing")
        XCTAssertEqual(e3.missingFields, ["category"])

        XCTAssertEqual(Core.outcome(r, "M-1", "F"), "pass")
        XCTAssertEqual(Core.outcome(r, "M-3", "A"), "missing")

        XCTAssertEqual(r.summary.results, 15, "5 selected records × 3 rules")
        XCTAssertEqual(r.summary.missing, 5)
        XCTAssertEqual(r.summary.undefined, 1)
        XCTAssertEqual(r.summary.notApplicable, 2)
        XCTAssertEqual(r.summary.pass, 7)
        XCTAssertEqual(r.summary.fail, 0)
        XCTAssertEqual(r.summary.results, r.summary.pass + r.summary.fail + r.summary.waived + r.summary.notApplicable
                       + r.summary.missing + r.summary.undefined)
    }

    func testUnknownValuesNeverPass() throws {
        // Each require would hold for any number; an unknown must still not pass.
        let rules = Core.schoolRules("""
          rule U-1 "x" {
            require students / teachers >= 0 or students / teachers < 0
          }
          rule U-2 "y" {
            require not (students / teachers > 1000)
          }
          rule U-3 "z" {
            require students / teachers != -1
          }
        """)
        let csv = Core.schoolHeader
            + Core.schoolRow("A", students: "", teachers: "10")
            + Core.schoolRow("B", students: "100", teachers: "0")
        let r = try Core.check(rules, csv: csv)
        for rule in ["U-1", "U-2", "U-3"] {
            XCTAssertEqual(Core.outcome(r, rule, "A"), "missing", rule)
            XCTAssertEqual(Core.outcome(r, rule, "B"), "undefined", rule)
        }
        XCTAssertEqual(r.summary.pass, 0)
    }

    func testDefiniteFailureDecidesOverAMissingRequire() throws {
        let rules = Core.schoolRules("""
          rule D-1 "x" {
            require building_area >= 100 平方米
            require students <= 10
          }
        """)
        let csv = Core.schoolHeader + "A,学校A,兰州市,中职,工科类,1000,50,,100\n"
        let r = try Core.check(rules, csv: csv)
        XCTAssertEqual(Core.outcome(r, "D-1", "A"), "fail error")
    }

    func testRuleForClauseAddsItsFilterToTheRulesets() throws {
        let rules = Core.schoolRules("""
          rule F-1 "大校" {
            for school where students > 1000
            require teachers >= 100
          }
        """)
        let csv = Core.schoolHeader
            + Core.schoolRow("A", students: "500", teachers: "10")
            + Core.schoolRow("B", students: "1500", teachers: "10")
            + Core.schoolRow("C", level: "高职", students: "1500", teachers: "10")
        let r = try Core.check(rules, csv: csv)
        XCTAssertEqual(r.results.map(\.key), ["B"])
        XCTAssertEqual(Core.outcome(r, "F-1", "B"), "fail error")
    }

    // MARK: ref and prev

    static let refRules = """
    unit 人 = 1
    entity enterprise "企业" {
      key code : text "统一社会信用代码"
      name : text "企业名称"
      staff : integer 人 "职工人数"
    }
    entity internship "实习安排" {
      key id : text "实习编号"
      enterprise_code : ref enterprise "实习单位统一社会信用代码"
      students : integer 人 "实习学生数"
    }
    ruleset r "实习" {
      for internship
      rule P-1 "实习生不超过职工数的10%" {
        measure 上限 = enterprise_code.staff * 10%
        require students <= 上限
      }
      rule P-2 "ref 与文本比较" {
        require enterprise_code != "E2"
      }
    }
    """

    func testRefFollowsToTheReferencedRecord() throws {
        let p = try Core.program(Self.refRules)
        let data = try Core.load(p, [
            ("enterprise", "enterprise.csv", "统一社会信用代码,企业名称,职工人数\nE1,甲公司,100\nE2,乙公司,30\n"),
            ("internship", "internship.csv", "实习编号,实习单位统一社会信用代码,实习学生数\nI1,E1,8\nI2,E2,5\nI3,E9,1\nI4,,1\n"),
        ])
        let r = Core.run(p, data)
        XCTAssertEqual(Core.measure(r, "P-1", "I1", "上限"), 10)
        XCTAssertEqual(Core.outcome(r, "P-1", "I1"), "pass")
        XCTAssertEqual(Core.measure(r, "P-1", "I2", "上限"), 3)
        XCTAssertEqual(Core.outcome(r, "P-1", "I2"), "fail error")
        let i3 = try XCTUnwrap(Core.result(r, "P-1", "I3"))
        XCTAssertEqual(i3.outcome, .missing, "a ref to an unknown key is missing")
        XCTAssertFalse(i3.missingFields.isEmpty)
        let i4 = try XCTUnwrap(Core.result(r, "P-1", "I4"))
        XCTAssertEqual(i4.outcome, .missing)
        XCTAssertEqual(i4.missingFields, ["enterprise_code"])
        XCTAssertEqual(Core.outcome(r, "P-2", "I1"), "pass")
        XCTAssertEqual(Core.outcome(r, "P-2", "I2"), "fail error", "a ref compares equal to its key text")
    }

    func testPrevReadsTheBaselineRecordWithTheSameKey() throws {
        let rules = Core.schoolRules("""
          rule V-1 "在校生增长不超过20%" {
            measure 增长 = students - prev.students
            require students <= prev.students * 1.2
          }
        """)
        let p = try Core.program(rules)
        let current = try Core.load(p, Core.schoolHeader
            + Core.schoolRow("A", students: "1100") + Core.schoolRow("B", students: "1300") + Core.schoolRow("C", students: "900"))
        let baseline = try Core.load(p, path: "base.csv", Core.schoolHeader
            + Core.schoolRow("B", students: "1000") + Core.schoolRow("A", students: "1000") + Core.schoolRow("X", students: "1"))
        let r = Core.run(p, current, baseline: baseline)
        XCTAssertEqual(Core.measure(r, "V-1", "A", "增长"), 100)
        XCTAssertEqual(Core.outcome(r, "V-1", "A"), "pass")
        XCTAssertEqual(Core.measure(r, "V-1", "B", "增长"), 300)
        XCTAssertEqual(Core.outcome(r, "V-1", "B"), "fail error")
        let c = try XCTUnwrap(Core.result(r, "V-1", "C"))
        XCTAssertEqual(c.outcome, .missing, "no baseline record: prev is missing")
        XCTAssertTrue(c.missingFields.contains { $0.contains("students") }, "\(c.missingFields)")
        XCTAssertNil(c.measures.first?.value)

        let noBaseline = Core.run(p, current)
        XCTAssertEqual(noBaseline.summary.missing, 3, "without --baseline every prev is missing")
    }

    // MARK: messages

    func testMessageInterpolatesValuesWithDecimals() throws {
        let rules = Core.schoolRules("""
          rule T-1 "x" {
            measure 生师比 = students / teachers
            let 生均 = building_area / students
            require 生师比 <= 20
            message "生师比 {生师比}:1，生均 {生均:.2} 平方米，学校 {name}"
          }
        """)
        let csv = Core.schoolHeader
            + Core.schoolRow("A", students: "2400", teachers: "100", area: "40000")
            + Core.schoolRow("B", students: "1000", teachers: "100", area: "40000")
        let r = try Core.check(rules, csv: csv)
        XCTAssertEqual(Core.result(r, "T-1", "A")?.message, "生师比 24:1，生均 16.67 平方米，学校 学校A")
        XCTAssertNil(Core.result(r, "T-1", "B")?.message, "a passing result has no failure message")
    }

    // MARK: waivers

    func testWaiversActiveExpiredUnusedAndUnknown() throws {
        let rules = Core.schoolRules("""
          rule W-1 "x" {
            require students <= 500
          }
        """) + """
        waive W-1 for school "A" until 2025-06-30 because "新校区在建"
        waive W-1 for school "B" until 2024-01-01 because "已过期"
        waive W-1 for school "C" until 2025-06-30 because "未用到"
        waive W-1 for school "Z" until 2025-06-30 because "无此校"
        waive W-9 for school "A" until 2025-06-30 because "无此规则"

        """
        let csv = Core.schoolHeader
            + Core.schoolRow("A", students: "600") + Core.schoolRow("B", students: "600") + Core.schoolRow("C", students: "100")
        let r = try Core.check(rules, csv: csv)
        let a = try XCTUnwrap(Core.result(r, "W-1", "A"))
        XCTAssertEqual(a.outcome, .waived)
        XCTAssertEqual(a.waiverReason, "新校区在建")
        XCTAssertEqual(Core.outcome(r, "W-1", "B"), "fail error", "an expired waiver no longer covers the failure")
        XCTAssertEqual(r.summary.waived, 1)
        XCTAssertEqual(r.summary.fail, 1)
        let statuses = Dictionary(r.waivers.map { ("\($0.rule)/\($0.key)", $0.status) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(statuses["W-1/A"], .active)
        XCTAssertEqual(statuses["W-1/B"], .expired)
        XCTAssertEqual(statuses["W-1/C"], .unused)
        XCTAssertEqual(statuses["W-1/Z"], .unknownKey)
        XCTAssertEqual(statuses["W-9/A"], .unknownRule)
    }

    func testMessageShowsNumbersInTheirDeclaredUnit() throws {
        let rules = Core.schoolRules("""
          rule T-2 "x" {
            require equipment_value >= 1000 万元
            message "设备总值 {equipment_value} 万元，生均 {equipment_value / students:.1}"
          }
        """)
        let r = try Core.check(rules, csv: Core.schoolHeader + Core.schoolRow("A", students: "2000", equipment: "900"))
        XCTAssertEqual(Core.result(r, "T-2", "A")?.message, "设备总值 900 万元，生均 0.5")
    }
}
