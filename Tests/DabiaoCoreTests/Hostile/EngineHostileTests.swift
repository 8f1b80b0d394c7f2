import XCTest
@testable import DabiaoCore

/// Hostile numbers and hostile costs for the engine: values near the edge
/// of Double, remedies beyond 2³² steps, overflow, and nested aggregates
/// whose naive cost is N² or worse.
final class EngineHostileTests: XCTestCase {
    func fix(_ r: Report, _ rule: String, _ key: String, _ field: String, file: StaticString = #filePath, line: UInt = #line) -> Fix? {
        Core.result(r, rule, key, file: file, line: line)?.fixes.first { $0.field == field }
    }

    // MARK: 1. no Double → Int trap

    func testHugeCellAdjustedDownGivesARemedyOrAReasonNotATrap() throws {
        let rules = Core.schoolRules("""
          rule B-1 "生师比" {
            when teachers > 0
            require students / teachers <= 20
            adjust students down "核减招生"
          }
          rule B-2 "面积上限" {
            require building_area <= 1000 平方米
            adjust building_area down "处置校舍"
          }
        """)
        let csv = Core.schoolHeader
            + Core.schoolRow("A", students: "1e300", teachers: "1")
            + Core.schoolRow("B", area: "1e17")
            + Core.schoolRow("C", area: "1e300")
        let r = try Core.check(rules, csv: csv)
        XCTAssertEqual(Core.outcome(r, "B-1", "A"), "fail error")
        // 1e300 − 20 is 1e300 in a Double: no verifiable change exists.
        let a = try XCTUnwrap(fix(r, "B-1", "A", "students"))
        XCTAssertNil(a.to)
        XCTAssertNotNil(a.reason)
        let b = try XCTUnwrap(fix(r, "B-2", "B", "building_area"))
        XCTAssertNil(b.to, "1e17 − k·0.01 cannot be told from its neighbour: \(String(describing: b.to))")
        XCTAssertNotNil(b.reason)
        let c = try XCTUnwrap(fix(r, "B-2", "C", "building_area"))
        XCTAssertNil(c.to)
        XCTAssertNotNil(c.reason)
    }

    // MARK: 2. the whole finite range, verified

    func testRemedyBeyondTwoToTheThirtyTwoStepsIsFoundExactly() throws {
        let rules = Core.schoolRules("""
          rule A-9 "巨型校舍" {
            require building_area >= 1000000000000000 平方米
            adjust building_area up by 1 平方米 "新建校舍"
          }
          rule A-10 "巨型校舍（默认步长）" {
            require building_area >= 1000000000000000 平方米
            adjust building_area up "新建校舍"
          }
          rule S-1 "百亿学生" {
            require students >= 10000000000 人
            adjust students up "扩招"
          }
        """)
        let r = try Core.check(rules, csv: Core.schoolHeader + Core.schoolRow("A", area: "30000"))
        // The smallest whole value that passes, by the language's comparison
        // (numbers within a relative 1e-9 are equal), found by brute force near the bound.
        func smallest(from start: Double, bound: Double) -> Double? {
            var x = (bound * (1 - 2e-9)).rounded(.down)
            while x <= bound {
                if x > start, x >= bound || approxEqual(x, bound) { return x }
                x += 1
            }
            return nil
        }
        let f = try XCTUnwrap(fix(r, "A-9", "A", "building_area"))
        let area = try XCTUnwrap(smallest(from: 30000, bound: 1e15))
        XCTAssertEqual(f.to, area, "reason: \(f.reason?(.en) ?? "none")")
        XCTAssertEqual(f.delta, area - 30000)
        let s = try XCTUnwrap(fix(r, "S-1", "A", "students"))
        let students = try XCTUnwrap(smallest(from: 1000, bound: 1e10))
        XCTAssertEqual(s.to, students, "reason: \(s.reason?(.en) ?? "none")")
        XCTAssertEqual(s.delta, students - 1000)
        // Near 10¹⁵ a Double cannot hold 0.01 steps: 10¹⁵ − 0.01 is 10¹⁵,
        // so no remedy can be verified, and none is claimed.
        let g = try XCTUnwrap(fix(r, "A-10", "A", "building_area"))
        XCTAssertNil(g.to)
        XCTAssertEqual(g.reason?(.en).contains("precision"), true, "reason: \(g.reason?(.en) ?? "none")")
    }

    func testRemedyOfAPeriodicRuleIsTheSmallestNotAFarOffOne() throws {
        let rules = Core.schoolRules("""
          rule P-1 "七人一班" {
            require round(students / 7, 0) * 7 == students + 3
            adjust students up "补足"
          }
        """)
        let r = try Core.check(rules, csv: Core.schoolHeader + Core.schoolRow("A", students: "1000"))
        let f = try XCTUnwrap(fix(r, "P-1", "A", "students"))
        // Brute force: the smallest k ≥ 1 for which the rule holds at 1000 + k.
        let smallest = (1...100).first { k in
            let s = Double(1000 + k)
            return ((s / 7).rounded(.toNearestOrAwayFromZero) * 7) == s + 3
        }
        XCTAssertEqual(f.delta, smallest.map(Double.init))
        XCTAssertEqual(f.delta, 5)
    }

    // MARK: 3. overflow is undefined on every path

    func testOverflowIsUndefinedOnBothPaths() throws {
        let rules = Core.schoolRules("""
          rule O-1 "乘法溢出" {
            require building_area * 10 > 0 平方米
          }
          rule O-2 "乘法溢出取反" {
            require not (building_area * 10 < 0 平方米)
          }
          rule O-3 "求和溢出" {
            require sum(school.building_area) > 0 平方米
          }
          rule O-4 "四舍五入溢出" {
            require round(building_area * 10, 12) > 0 平方米
          }
        """)
        let csv = Core.schoolHeader
            + Core.schoolRow("A", area: "1e308")
            + Core.schoolRow("B", area: "1e308")
        let p = try Core.program(rules)
        let data = try Core.load(p, csv)
        for showAll in [true, false] {
            let r = Engine(program: p, data: data).run(RunOptions(asOf: Core.asOf, showAll: showAll, workers: 1))
            for rule in ["O-1", "O-2", "O-3", "O-4"] {
                let t = try XCTUnwrap(r.tallies.first { $0.rule == rule })
                XCTAssertEqual(t.summary.pass, 0, "\(rule) showAll=\(showAll): an overflow passed")
                XCTAssertEqual(t.summary.fail, 0, "\(rule) showAll=\(showAll): an overflow failed")
                XCTAssertEqual(t.summary.undefined, 2, "\(rule) showAll=\(showAll)")
            }
        }
    }
}
