import XCTest
@testable import DabiaoCore

/// count/sum/avg/min/max/any/all over another entity, joins, empty sets,
/// missing inner values, and aggregates over the rule's own entity.
final class AggregateTests: XCTestCase {
    static let schema = """
    unit 人 = 1
    unit 小时
    entity enterprise "企业" {
      key code : text "代码"
      name : text "企业名称"
      staff : integer 人 "职工人数"
    }
    entity internship "实习" {
      key id : text "编号"
      enterprise_code : ref enterprise "企业代码"
      students : integer 人 "学生数"
      optional hours : number 小时 "时长"
      night : bool "夜班"
    }

    """

    static let rules = schema + """
    ruleset agg "汇总" {
      for enterprise
      rule A-1 "计数" {
        measure n = count(internship where enterprise_code == code)
        measure n_all = count(internship)
        measure n_big = count(internship where students > 5)
        measure total = sum(internship.students where enterprise_code == code)
        measure total2 = sum(internship: students * 2 where enterprise_code == code)
        measure mean = avg(internship.students where enterprise_code == code)
        measure lo = min(internship.students where enterprise_code == code)
        measure hi = max(internship.students where enterprise_code == code)
        measure h = sum(internship.hours where enterprise_code == code)
        measure h0 = sum(internship: coalesce(hours, 0 小时) where enterprise_code == code)
        require n <= staff
      }
      rule A-2 "无夜班" {
        require not any(internship where enterprise_code == code and night)
      }
      rule A-3 "每个实习不超过10人" {
        require all(internship where enterprise_code != code or students <= 10)
      }
      rule A-4 "总时长" {
        require sum(internship.hours where enterprise_code == code) <= 100 小时
      }
      rule A-5 "平均" {
        require avg(internship.students where enterprise_code == code) <= 10
      }
    }
    """

    static let enterprises = "代码,企业名称,职工人数\nE1,甲,3\nE2,乙,10\nE3,丙,5\n"
    static let internships = """
    编号,企业代码,学生数,时长,夜班
    I1,E1,4,6,否
    I2,E1,6,,是
    I3,E2,12,8,否
    I4,E1,2,5,否

    """

    func report() throws -> Report {
        let p = try Core.program(Self.rules)
        let data = try Core.load(p, [("enterprise", "enterprise.csv", Self.enterprises), ("internship", "internship.csv", Self.internships)])
        XCTAssertEqual(data.errors, [])
        return Core.run(p, data)
    }

    func testAggregatesWithAndWithoutWhere() throws {
        let r = try report()
        let m = { (key: String, name: String) in Core.measure(r, "A-1", key, name) }
        XCTAssertEqual(m("E1", "n"), 3)
        XCTAssertEqual(m("E2", "n"), 1)
        XCTAssertEqual(m("E1", "n_all"), 4, "count without where counts every record")
        XCTAssertEqual(m("E3", "n_all"), 4)
        XCTAssertEqual(m("E1", "n_big"), 2, "a where that reads only the inner record")
        XCTAssertEqual(m("E1", "total"), 12)
        XCTAssertEqual(m("E1", "total2"), 24, "sum(E: expr …) aggregates an expression of the inner record")
        XCTAssertEqual(m("E1", "mean"), 4)
        XCTAssertEqual(m("E1", "lo"), 2)
        XCTAssertEqual(m("E1", "hi"), 6)
        XCTAssertEqual(m("E2", "mean"), 12)
        XCTAssertEqual(m("E2", "h"), 8)
        XCTAssertEqual(Core.outcome(r, "A-1", "E1"), "pass")
        XCTAssertEqual(Core.outcome(r, "A-1", "E2"), "pass")
    }

    func testAggregatesOverNoRecords() throws {
        let r = try report()
        let m = { (name: String) in Core.measure(r, "A-1", "E3", name) }
        XCTAssertEqual(m("n"), 0, "count over no records is 0")
        XCTAssertEqual(m("total"), 0, "sum over no records is 0")
        XCTAssertEqual(m("h"), 0)
        XCTAssertNil(m("mean"), "avg over no records is missing")
        XCTAssertNil(m("lo"), "min over no records is missing")
        XCTAssertNil(m("hi"), "max over no records is missing")
        XCTAssertEqual(Core.outcome(r, "A-2", "E3"), "pass", "any over no records is false")
        XCTAssertEqual(Core.outcome(r, "A-3", "E3"), "pass", "all over no records is true")
        XCTAssertEqual(Core.outcome(r, "A-5", "E3"), "missing", "a require on avg over no records is missing, not pass")
    }

    func testMissingInnerValueMakesSumMissingUnlessCoalesced() throws {
        let r = try report()
        XCTAssertNil(Core.measure(r, "A-1", "E1", "h"), "I2 has no hours: a blank cell is not a zero")
        XCTAssertEqual(Core.measure(r, "A-1", "E1", "h0"), 11)
        let a4 = try XCTUnwrap(Core.result(r, "A-4", "E1"))
        XCTAssertEqual(a4.outcome, .missing)
        XCTAssertTrue(a4.missingFields.contains { $0.contains("hours") }, "\(a4.missingFields)")
        XCTAssertEqual(Core.outcome(r, "A-4", "E2"), "pass")
    }

    func testAnyAndAll() throws {
        let r = try report()
        XCTAssertEqual(Core.outcome(r, "A-2", "E1"), "fail error", "I2 is a night shift of E1")
        XCTAssertEqual(Core.outcome(r, "A-2", "E2"), "pass")
        XCTAssertEqual(Core.outcome(r, "A-3", "E1"), "pass")
        XCTAssertEqual(Core.outcome(r, "A-3", "E2"), "fail error", "I3 has 12 students")
    }

    /// A join aggregate must count exactly what a scan of every record counts.
    func testJoinAggregateMatchesBruteForce() throws {
        let rules = Self.schema + """
        ruleset j "join" {
          for enterprise
          rule J-1 "x" {
            measure n = count(internship where enterprise_code == code)
            measure big = count(internship where enterprise_code == code and students > 5)
            measure s = sum(internship.students where code == enterprise_code)
            measure nights = count(internship where night and enterprise_code == this.code)
            require n <= staff
          }
        }
        """
        var rng = SeededRNG(seed: 42)
        var ecsv = "代码,企业名称,职工人数\n"
        var staff: [String: Int] = [:]
        for i in 0..<40 {
            let code = "E\(i)"
            let s = Int(rng.next() % 200)
            staff[code] = s
            ecsv += "\(code),企业\(i),\(s)\n"
        }
        var icsv = "编号,企业代码,学生数,时长,夜班\n"
        var rows: [(code: String, students: Int, night: Bool)] = []
        for i in 0..<3000 {
            let pick = Int(rng.next() % 45)
            let code = pick < 40 ? "E\(pick)" : (pick < 43 ? "E99" : "")
            let students = Int(rng.next() % 12)
            let night = rng.next() % 5 == 0
            rows.append((code, students, night))
            icsv += "I\(i),\(code),\(students),1,\(night ? "是" : "否")\n"
        }
        let p = try Core.program(rules)
        let data = try Core.load(p, [("enterprise", "e.csv", ecsv), ("internship", "i.csv", icsv)])
        let r = Core.run(p, data)
        XCTAssertEqual(r.summary.results, 40)
        for i in 0..<40 {
            let code = "E\(i)"
            let mine = rows.filter { $0.code == code }
            XCTAssertEqual(Core.measure(r, "J-1", code, "n"), Double(mine.count), code)
            XCTAssertEqual(Core.measure(r, "J-1", code, "big"), Double(mine.filter { $0.students > 5 }.count), code)
            XCTAssertEqual(Core.measure(r, "J-1", code, "s"), Double(mine.reduce(0) { $0 + $1.students }), code)
            XCTAssertEqual(Core.measure(r, "J-1", code, "nights"), Double(mine.filter(\.night).count), code)
            let expected = mine.count <= (staff[code] ?? -1) ? "pass" : "fail error"
            XCTAssertEqual(Core.outcome(r, "J-1", code), expected, code)
        }
    }

    /// The language's `==` treats numbers within 1e-9 (relative) as equal, so
    /// that unit conversion does not push a value across a threshold; a join
    /// must match the same records as the equality it replaces.
    func testNumericJoinAgreesWithEqualityAfterUnitConversion() throws {
        let rules = """
        unit 元
        unit 百元 = 100 元
        entity a "A" {
          key id : text "编号"
          x : number 百元 "金额"
        }
        entity b "B" {
          key id : text "编号"
          y : number 元 "金额"
        }
        ruleset r "r" {
          for a
          rule J-2 "x" {
            measure joined = count(b where y == this.x)
            measure scanned = count(b where y == this.x or false)
            require x == 115 元
          }
        }
        """
        let p = try Core.program(rules)
        // 1.15 百元 is 114.99999999999999 元 in binary; the language calls it equal to 115 元.
        let data = try Core.load(p, [("a", "a.csv", "编号,金额\n1,1.15\n"), ("b", "b.csv", "编号,金额\n1,115\n2,116\n")])
        let r = Core.run(p, data)
        XCTAssertEqual(Core.outcome(r, "J-2", "1"), "pass", "x == 115 元 holds")
        XCTAssertEqual(Core.measure(r, "J-2", "1", "scanned"), 1)
        XCTAssertEqual(Core.measure(r, "J-2", "1", "joined"), Core.measure(r, "J-2", "1", "scanned"),
                       "the hash join must find the record the equality finds")
    }

    /// A total row checked against the sum of the other rows of the same entity.
    func testAggregateOverOwnEntityWithThis() throws {
        let rules = """
        unit 人 = 1
        entity region "地区" {
          key id : text "编号"
          province : text "省"
          kind : text "类型"
          students : integer 人 "学生数"
        }
        ruleset reg "合计" {
          for region where kind == "合计"
          rule T-1 "合计等于各市之和" {
            measure 各市之和 = sum(region.students where kind != "合计" and province == this.province)
            measure 记录数 = count(region where province == this.province)
            measure 本省合计 = sum(region: students where this.id == id)
            require students == 各市之和
          }
        }
        """
        let csv = """
        编号,省,类型,学生数
        R0,甘肃,合计,300
        R1,甘肃,市,100
        R2,甘肃,市,200
        Q0,青海,合计,50
        Q1,青海,市,40

        """
        let p = try Core.program(rules)
        let r = Core.run(p, try Core.load(p, entity: "region", path: "region.csv", csv))
        XCTAssertEqual(r.results.map(\.key), ["Q0", "R0"])
        XCTAssertEqual(Core.measure(r, "T-1", "R0", "各市之和"), 300)
        XCTAssertEqual(Core.measure(r, "T-1", "R0", "记录数"), 3, "the current record is included unless where excludes it")
        XCTAssertEqual(Core.measure(r, "T-1", "R0", "本省合计"), 300, "this.id is the outer record, id the inner")
        XCTAssertEqual(Core.outcome(r, "T-1", "R0"), "pass")
        XCTAssertEqual(Core.measure(r, "T-1", "Q0", "各市之和"), 40)
        XCTAssertEqual(Core.measure(r, "T-1", "Q0", "记录数"), 2)
        XCTAssertEqual(Core.outcome(r, "T-1", "Q0"), "fail error")
    }

    func testCountIsAWholeNumberThatMixesWithCounts() throws {
        let rules = Self.schema + """
        ruleset c "c" {
          for enterprise
          rule C-1 "接收实习生不超过职工数的10%" {
            measure 实习生 = sum(internship.students where enterprise_code == code)
            require 实习生 <= staff * 10%
            require count(internship where enterprise_code == code) <= staff
          }
        }
        """
        let (p, diags, _) = Core.compile(rules)
        XCTAssertNotNil(p, "\(diags.map(\.message.en))")
    }

    func testAggregateArgumentErrors() throws {
        let cases: [(String, String)] = [
            ("count(internship.students)", "ranges over records"),
            ("sum(internship) > 0", "needs a value to aggregate"),
            ("count(internshp where night) > 0", "unknown entity 'internshp'"),
            ("sum(internship.id) > 0", "aggregates numbers"),
        ]
        for (expr, message) in cases {
            let rules = Self.schema + """
            ruleset c "c" {
              for enterprise
              rule C-1 "x" {
                require \(expr)
              }
            }
            """
            let (errors, out) = Core.rendered(rules)
            XCTAssertFalse(errors.isEmpty, expr)
            XCTAssertTrue(out.contains(message), "\(expr):\n\(out)")
        }
    }
}
