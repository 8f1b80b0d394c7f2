import XCTest
@testable import DabiaoCore

/// Dimensions and scale factors: 万元 against 元, 平方米/人, counting units, percentages.
final class UnitsTests: XCTestCase {
    func testWanYuanFieldAgainstYuanPerPersonThreshold() throws {
        let rules = Core.schoolRules("""
          rule U-1 "生均仪器设备值" {
            measure 生均仪器设备值 = equipment_value / students in 元/人
            require 生均仪器设备值 >= 3000 元/人
          }
        """)
        // 60 万元 / 200 人 = 3000 元/人 exactly; 59.99 万元 is 2999.5 元/人.
        let csv = Core.schoolHeader
            + Core.schoolRow("A", students: "200", equipment: "60")
            + Core.schoolRow("B", students: "200", equipment: "59.99")
            + Core.schoolRow("C", students: "3", equipment: "0.9")
        let r = try Core.check(rules, csv: csv)
        XCTAssertEqual(Core.measure(r, "U-1", "A", "生均仪器设备值"), 3000)
        XCTAssertEqual(Core.result(r, "U-1", "A")?.measures.first?.unit, "元/人")
        XCTAssertEqual(Core.outcome(r, "U-1", "A"), "pass", "the boundary is included despite 万元→元 conversion")
        XCTAssertEqual(Core.measure(r, "U-1", "B", "生均仪器设备值"), 2999.5)
        XCTAssertEqual(Core.outcome(r, "U-1", "B"), "fail error")
        // 0.9 万元 / 3 = 3000 元/人; 0.9 is not exact in binary.
        XCTAssertEqual(Core.outcome(r, "U-1", "C"), "pass")
    }

    func testMeasureWithoutInIsShownInTheUnitOfItsExpression() throws {
        let rules = Core.schoolRules("""
          rule U-2 "x" {
            measure 生均 = equipment_value / students
            measure 总值 = equipment_value in 元
            require 生均 >= 0.3 万元/人
          }
        """)
        let r = try Core.check(rules, csv: Core.schoolHeader + Core.schoolRow("A", students: "200", equipment: "60"))
        let res = try XCTUnwrap(Core.result(r, "U-2", "A"))
        XCTAssertEqual(res.measures.map(\.unit), ["万元/人", "元"])
        XCTAssertEqual(res.measures.first?.value, 0.3)
        XCTAssertEqual(res.measures.last?.value, 600_000)
        XCTAssertEqual(res.outcome, .pass)
    }

    func testScaledLiteralsAreEqual() throws {
        let rules = Core.schoolRules("""
          rule U-3 "x" {
            require 120 万元 == 1_200_000 元
            require 1 万元 > 9999 元
            require building_area >= 100 m2
          }
        """)
        let r = try Core.check(rules, csv: Core.schoolHeader + Core.schoolRow("A", area: "100"))
        XCTAssertEqual(Core.outcome(r, "U-3", "A"), "pass")
    }

    func testHeaderUnitInWanYuanIsConvertedIntoAFieldInYuan() throws {
        let rules = Core.schoolSchema.replacingOccurrences(of: "equipment_value : number 万元", with: "equipment_value : number 元") + """
        ruleset t "t" {
          for school
          rule U-4 "x" {
            measure 总值 = equipment_value
            measure 生均 = equipment_value / students
            require equipment_value >= 1 元
          }
        }
        """
        let p = try Core.program(rules)
        let full = "学校标识码,学校名称,所属市州,办学层次,专业大类,全日制在校生数,专任教师数,校舍建筑面积（平方米）,教学仪器设备总值（万元）\n"
            + "A,甲,兰州市,中职,工科类,2400,100,40000,900\n"
        let half = "学校标识码,学校名称,所属市州,办学层次,专业大类,全日制在校生数,专任教师数,校舍建筑面积(平方米),教学仪器设备总值(万元)\n"
            + "A,甲,兰州市,中职,工科类,2400,100,40000,900\n"
        for csv in [full, half] {
            let data = try Core.load(p, csv)
            XCTAssertEqual(data.errors.count, 0, "\(data.errors)")
            XCTAssertEqual(data.notes.count, 0, "\(data.notes)")
            let r = Core.run(p, data)
            XCTAssertEqual(Core.measure(r, "U-4", "A", "总值"), 9_000_000, "900 万元 is 9 000 000 元")
            XCTAssertEqual(Core.measure(r, "U-4", "A", "生均"), 3750)
            XCTAssertEqual(Core.result(r, "U-4", "A")?.measures.first?.unit, "元")
        }
    }

    func testHeaderUnitOfAnotherDimensionIsADataError() throws {
        let p = try Core.program(Core.schoolRules("""
          rule U-5 "x" {
            require building_area >= 1 平方米
          }
        """))
        let csv = "学校标识码,学校名称,所属市州,办学层次,专业大类,全日制在校生数,专任教师数,校舍建筑面积（元）,教学仪器设备总值\n"
            + "A,甲,兰州市,中职,工科类,2400,100,40000,900\n"
        let data = try Core.load(p, csv)
        XCTAssertTrue(data.errors.contains { $0.column == "校舍建筑面积（元）" && $0.value == "元" }, "\(data.errors)")
        let r = Core.run(p, data)
        XCTAssertEqual(Core.outcome(r, "U-5", "A"), "missing", "a column that could not be read leaves the field missing")
    }

    func testAreaPerPersonMeasure() throws {
        let rules = Core.schoolRules("""
          let 生均校舍建筑面积 = building_area / students
          rule U-6 "生均校舍建筑面积不低于20平方米" {
            when students > 0
            measure 生均校舍建筑面积
            require 生均校舍建筑面积 >= 20 平方米/人
          }
        """)
        let csv = Core.schoolHeader
            + Core.schoolRow("A", students: "2400", area: "40000")
            + Core.schoolRow("B", students: "2000", area: "40000")
            + Core.schoolRow("C", students: "0", area: "40000")
        let r = try Core.check(rules, csv: csv)
        let a = try XCTUnwrap(Core.result(r, "U-6", "A"))
        XCTAssertEqual(a.measures.first?.unit, "平方米/人")
        XCTAssertEqual(try XCTUnwrap(a.measures.first?.value), 16.666667, accuracy: 1e-6)
        XCTAssertEqual(a.outcome, .fail)
        XCTAssertEqual(Core.outcome(r, "U-6", "B"), "pass")
        XCTAssertEqual(Core.outcome(r, "U-6", "C"), "not-applicable")
    }

    func testCountingUnitsAreDimensionless() throws {
        let rules = Core.schoolRules("""
          rule U-7 "生师比" {
            measure 生师比 = students / teachers
            require students / teachers <= 20
            require students >= 1
            require students * 2% <= teachers
          }
        """)
        let r = try Core.check(rules, csv: Core.schoolHeader + Core.schoolRow("A", students: "1000", teachers: "50"))
        let a = try XCTUnwrap(Core.result(r, "U-7", "A"))
        XCTAssertEqual(a.measures.first?.unit, "", "人/人 cancels")
        XCTAssertEqual(a.measures.first?.value, 20)
        XCTAssertEqual(a.outcome, .pass)
    }

    func testCountingUnitIsNotMoney() throws {
        let rules = Core.schoolRules("""
          rule U-8 "x" {
            require students >= 3000 元
          }
        """)
        let (errors, out) = Core.rendered(rules)
        XCTAssertEqual(errors.count, 1, out)
        XCTAssertTrue(out.contains("unit mismatch"), out)
    }

    func testPercentLiteralAndPercentColumn() throws {
        let rules = """
        entity s "学校" {
          key code : text "代码"
          rate : number "就业率"
          total : integer "毕业生数"
        }
        ruleset t "t" {
          for s
          rule P-1 "就业率不低于95%" {
            measure 就业率 = rate
            require rate >= 95%
          }
          rule P-2 "x" {
            measure 百分之二 = total * 2%
            require total * 2% <= 10
          }
        }
        """
        let p = try Core.program(rules)
        let percentCells = try Core.load(p, entity: "s", path: "s.csv", "代码,就业率,毕业生数\nA,95%,500\nB,94.5%,501\nC,0.97,100\n")
        XCTAssertEqual(percentCells.errors, [])
        let r = Core.run(p, percentCells)
        XCTAssertEqual(Core.measure(r, "P-1", "A", "就业率"), 0.95)
        XCTAssertEqual(Core.outcome(r, "P-1", "A"), "pass")
        XCTAssertEqual(Core.outcome(r, "P-1", "B"), "fail error")
        XCTAssertEqual(Core.outcome(r, "P-1", "C"), "pass")
        XCTAssertEqual(Core.measure(r, "P-2", "A", "百分之二"), 10)
        XCTAssertEqual(Core.outcome(r, "P-2", "A"), "pass")
        XCTAssertEqual(Core.outcome(r, "P-2", "B"), "fail error")

        // A `（%）` header scales plain numbers by 1/100.
        let percentHeader = try Core.load(p, entity: "s", path: "s.csv", "代码,就业率（%）,毕业生数\nA,96,1\n")
        XCTAssertEqual(percentHeader.errors, [])
        XCTAssertEqual(Core.measure(Core.run(p, percentHeader), "P-1", "A", "就业率"), 0.96)
    }

    func testRoundingFunctionsWorkInTheUnitTheAuthorSees() throws {
        let rules = Core.schoolRules("""
          rule U-9 "x" {
            measure 上取整 = ceil(equipment_value)
            measure 下取整 = floor(equipment_value)
            measure 一位 = round(equipment_value, 1)
            require equipment_value > 0 万元
          }
        """)
        let r = try Core.check(rules, csv: Core.schoolHeader + Core.schoolRow("A", equipment: "123.45"))
        XCTAssertEqual(Core.measure(r, "U-9", "A", "上取整"), 124, "ceil in 万元, not in 元")
        XCTAssertEqual(Core.measure(r, "U-9", "A", "下取整"), 123)
        XCTAssertEqual(Core.measure(r, "U-9", "A", "一位"), 123.5)
    }

    func testScaledUnitDefinedInTermsOfAnotherScaledUnit() throws {
        let rules = """
        unit 元
        unit 万元 = 10000 元
        unit 亿元 = 10000 万元
        unit 小时
        unit 周 = 168 小时
        entity e "E" {
          key id : text "编号"
          money : number 亿元 "金额"
          hours : number 小时 "时长"
        }
        ruleset r "r" {
          for e
          rule X-1 "x" {
            measure 万 = money in 万元
            measure 周数 = hours in 周
            require money == 100_000_000 元
          }
        }
        """
        let p = try Core.program(rules)
        let r = Core.run(p, try Core.load(p, entity: "e", path: "e.csv", "编号,金额,时长\n1,1,336\n"))
        XCTAssertEqual(Core.measure(r, "X-1", "1", "万"), 10000)
        XCTAssertEqual(Core.measure(r, "X-1", "1", "周数"), 2)
        XCTAssertEqual(Core.outcome(r, "X-1", "1"), "pass")
    }
}

/// `in %` shows a dimensionless measure a hundred times larger with the
/// unit `%`; `%` is a unit only there, after `in`.
final class PercentDisplayTests: XCTestCase {
    static let rules = """
    unit 人 = 1
    unit 元
    entity school "学校" {
      key code : text "学校标识码"
      a : integer 人 "甲"
      b : integer 人 "乙"
      money : number 元 "经费"
    }
    ruleset t "t" {
      for school
      rule T-1 "t" {
        measure 比例 = a / b in %
        measure 全角 = a / b in ％
        measure 原样 = a / b
        require 比例 >= 30%
      }
    }

    """

    func testAShareIsShownInPercentAndDecidedOnItsValue() throws {
        let r = try Core.check(Self.rules, csv: "学校标识码,甲,乙,经费\nA,27,100,5\n")
        let x = try XCTUnwrap(Core.result(r, "T-1", "A"))
        XCTAssertEqual(x.outcome, .fail, "0.27 < 30%: the display unit does not change the verdict")
        XCTAssertEqual(x.measures.map(\.value), [27, 27, 0.27])
        XCTAssertEqual(x.measures.map(\.unit), ["%", "%", ""])
        XCTAssertTrue(TextReport.resultBlock(x, lang: .zh, style: .init(color: false)).contains("比例 27 %"))
    }

    func testPercentIsNoUnitForMoneyNorAName() {
        let money = Core.rendered(Self.rules.replacingOccurrences(of: "measure 原样 = a / b", with: "measure 钱 = money in %"))
        XCTAssertFalse(money.errors.isEmpty, "元 cannot be shown in %")
        let bare = Core.rendered(Self.rules.replacingOccurrences(of: "require 比例 >= 30%", with: "require a % b > 0"))
        XCTAssertFalse(bare.errors.isEmpty, "% alone is not an operator")
    }
}
