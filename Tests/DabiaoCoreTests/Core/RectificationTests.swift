import XCTest
@testable import DabiaoCore

/// language.md §6: fixes of failed results and the merged rectification list.
final class RectificationTests: XCTestCase {
    static let rules = Core.schoolRules("""
      deadline within 180 days
      owner "学校"
      rule ZZ-01 "生师比" {
        when students > 0 and teachers > 0
        measure 生师比 = students / teachers
        require 生师比 <= 20
        adjust teachers up "补充专任教师"
        adjust students down "核减招生规模"
      }
      rule ZZ-02 "生均校舍" {
        when students > 0
        measure 生均 = building_area / students
        require 生均 >= 20 平方米/人
        adjust building_area up "新建校舍"
      }
      rule ZZ-03 "设备总值" {
        require equipment_value >= 300 万元
        adjust equipment_value up by 1 万元 "购置设备"
      }
      rule ZZ-05 "校舍总量" {
        require building_area >= 50000 平方米
        adjust building_area up "新建校舍"
      }
    """)

    func fix(_ r: Report, _ rule: String, _ key: String, _ field: String, file: StaticString = #filePath, line: UInt = #line) -> Fix? {
        Core.result(r, rule, key, file: file, line: line)?.fixes.first { $0.field == field }
    }

    func testSmallestWholeStepChanges() throws {
        let r = try Core.check(Self.rules, csv: Core.schoolHeader
            + Core.schoolRow("A", students: "2400", teachers: "100", area: "40000", equipment: "299.99"))
        let t = try XCTUnwrap(fix(r, "ZZ-01", "A", "teachers"))
        XCTAssertEqual(t.from, 100)
        XCTAssertEqual(t.to, 120)
        XCTAssertEqual(t.delta, 20)
        XCTAssertEqual(t.unit, "人")
        XCTAssertEqual(t.action, "补充专任教师")
        let s = try XCTUnwrap(fix(r, "ZZ-01", "A", "students"), "the alternative remedy is reported too")
        XCTAssertEqual(s.to, 2000)
        XCTAssertEqual(s.delta, -400, "delta is to − from, negative for down")
        XCTAssertEqual(Core.result(r, "ZZ-01", "A")?.fixes.first?.field, "teachers", "the first adjust is the primary remedy")
        let a = try XCTUnwrap(fix(r, "ZZ-02", "A", "building_area"))
        XCTAssertEqual(a.to, 48000)
        XCTAssertEqual(a.delta, 8000)
        let e = try XCTUnwrap(fix(r, "ZZ-03", "A", "equipment_value"))
        XCTAssertEqual(e.from, 299.99)
        XCTAssertEqual(e.to, 300.99, "the change is a whole multiple of the step, not a round target")
        XCTAssertEqual(try XCTUnwrap(e.delta), 1, accuracy: 1e-9)
        XCTAssertEqual(e.unit, "万元")
    }

    func testRectificationMergesPrimaryRemediesAndReEvaluates() throws {
        let r = try Core.check(Self.rules, csv: Core.schoolHeader
            + Core.schoolRow("A", students: "2400", teachers: "100", area: "40000", equipment: "299.99")
            + Core.schoolRow("B", students: "100", teachers: "10", area: "60000", equipment: "500"))
        XCTAssertEqual(r.rectification.map(\.key), ["A"], "only records with failures are listed")
        let item = try XCTUnwrap(r.rectification.first)
        XCTAssertEqual(item.owner, "学校")
        XCTAssertEqual(item.deadline, CivilDate.days(year: 2025, month: 4, day: 29))
        let byField = Dictionary(item.changes.map { ($0.field, $0) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(Set(byField.keys), ["teachers", "building_area", "equipment_value"], "students is an alternative, not merged")
        XCTAssertEqual(byField["building_area"]?.to, 50000, "the largest change any rule asks")
        XCTAssertEqual(Set(byField["building_area"]?.rules ?? []), ["ZZ-02", "ZZ-05"])
        XCTAssertEqual(byField["teachers"]?.delta, 20)
        XCTAssertEqual(Set(item.passesAfter), ["ZZ-01", "ZZ-02", "ZZ-03", "ZZ-05"])
        XCTAssertEqual(item.stillFailing, [])
        XCTAssertEqual(item.conflicts, [])
    }

    func testNoRemedyIsReportedNotInvented() throws {
        let rules = Core.schoolRules("""
          rule N-1 "教师不少于10人" {
            require teachers >= 10
            adjust students down "核减招生"
          }
          rule N-2 "面积" {
            require building_area >= 10 平方米
            adjust building_area down "拆除"
          }
        """)
        let r = try Core.check(rules, csv: Core.schoolHeader + Core.schoolRow("A", students: "100", teachers: "5", area: "0"))
        let s = try XCTUnwrap(fix(r, "N-1", "A", "students"))
        XCTAssertNil(s.to, "no change of students makes teachers >= 10")
        XCTAssertNil(s.delta)
        XCTAssertNotNil(s.reason)
        let a = try XCTUnwrap(fix(r, "N-2", "A", "building_area"))
        XCTAssertNil(a.to)
        XCTAssertNotNil(a.reason)
        let item = try XCTUnwrap(r.rectification.first)
        XCTAssertEqual(Set(item.stillFailing), ["N-1", "N-2"])
        XCTAssertEqual(Set(item.unresolved.map(\.rule)), ["N-1", "N-2"])
        let json = Core.json(JSONReport.render(r))
        let results = try XCTUnwrap(json["results"] as? [[String: Any]])
        let jf = try XCTUnwrap((results.first { $0["rule"] as? String == "N-1" }?["fixes"] as? [[String: Any]])?.first)
        XCTAssertTrue(jf["to"] is NSNull)
        XCTAssertTrue(jf["delta"] is NSNull)
        XCTAssertNotNil(jf["reason"] as? String)
    }

    func testOppositeDirectionsOnOneFieldAreAConflict() throws {
        let rules = Core.schoolRules("""
          rule C-1 "至少" {
            require building_area >= 50000 平方米
            adjust building_area up "扩建"
          }
          rule C-2 "至多" {
            require building_area <= students * 100 平方米
            adjust building_area down "腾退"
          }
        """)
        let r = try Core.check(rules, csv: Core.schoolHeader + Core.schoolRow("A", students: "100", area: "40000"))
        XCTAssertEqual(Core.outcome(r, "C-1", "A"), "fail error")
        XCTAssertEqual(Core.outcome(r, "C-2", "A"), "fail error")
        let item = try XCTUnwrap(r.rectification.first)
        XCTAssertFalse(item.conflicts.isEmpty, "\(item.changes)")
    }

    func testWaivedResultsShowFixesButAreNotRectified() throws {
        let rules = Self.rules + """
        waive ZZ-03 for school "A" until 2025-06-30 because "已立项"

        """
        let r = try Core.check(rules, csv: Core.schoolHeader
            + Core.schoolRow("A", students: "1000", teachers: "100", area: "60000", equipment: "299.99"))
        XCTAssertEqual(Core.result(r, "ZZ-03", "A")?.outcome, .waived)
        XCTAssertEqual(fix(r, "ZZ-03", "A", "equipment_value")?.to, 300.99, "waived results still show their fixes")
        XCTAssertTrue(r.rectification.allSatisfy { $0.changes.allSatisfy { $0.field != "equipment_value" } }, "\(r.rectification)")
    }

    func testAdjustingAMeasure() throws {
        let rules = AggregateTests.schema + """
        ruleset c "c" {
          for enterprise
          rule R-1 "接收实习生不少于3人" {
            measure 接收 = count(internship where enterprise_code == code)
            require 接收 >= 3
            adjust 接收 up "接收实习生"
          }
        }
        """
        let p = try Core.program(rules)
        let data = try Core.load(p, [("enterprise", "e.csv", "代码,企业名称,职工人数\nE1,甲,100\n"),
                                     ("internship", "i.csv", "编号,企业代码,学生数,时长,夜班\nI1,E1,1,1,否\n")])
        let r = Core.run(p, data)
        let f = try XCTUnwrap(fix(r, "R-1", "E1", "接收"))
        XCTAssertEqual(f.from, 1)
        XCTAssertEqual(f.to, 3)
        XCTAssertEqual(f.delta, 2, "a count steps by whole records")
    }
}
