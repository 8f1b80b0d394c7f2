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

    // MARK: 4. cost

    static let nestedRules = Core.schoolRules("""
      rule N-1 "两层" {
        measure 两层 = count(school where count(school where students > this.students) > 0)
        require 两层 == 0
      }
      rule N-2 "三层" {
        measure 三层 = count(school where count(school where count(school where students > this.students) > 0) > 0)
        require 三层 == 0
      }
      rule N-3 "高于平均" {
        measure 高于平均 = count(school where students > avg(school.students))
        require 高于平均 >= 0
      }
    """)

    static func students(_ i: Int) -> Int { (i * 7919) % 997 + 1 }

    static func csv(rows: Int) -> String {
        (0..<rows).reduce(Core.schoolHeader) { $0 + Core.schoolRow("S\($1)", students: String(students($1))) }
    }

    /// 800 rows: hoisted, the inner aggregates run once per record (N-1, N-2)
    /// or once per run (N-3) instead of once per outer row; the counts are
    /// those of a direct computation of the definitions.
    func testNestedAggregatesOverEightHundredRowsGiveTheBruteForceCounts() throws {
        let n = 800
        let p = try Core.program(Self.nestedRules)
        let data = try Core.load(p, Self.csv(rows: n))
        let s = (0..<n).map { Double(Self.students($0)) }
        // count(school where students > this.students), per record.
        let larger = s.map { x in s.filter { $0 > x && !approxEqual($0, x) }.count }
        let avg = s.reduce(0, +) / Double(n)
        let aboveAverage = Double(s.filter { $0 > avg && !approxEqual($0, avg) }.count)
        for workers in [1, 2] {
            let r = Core.run(p, data, workers: workers)
            XCTAssertEqual(r.results.count, 3 * n)
            var measured: [String: Double] = [:]
            for x in r.results {
                for m in x.measures { measured["\(x.rule)/\(x.key)"] = m.value }
            }
            for i in 0..<n {
                let key = "S\(i)"
                // The where of the outer count does not depend on its row: all rows or none.
                let outer = Double((0..<n).filter { _ in larger[i] > 0 }.count)
                XCTAssertEqual(measured["N-1/" + key], outer, "\(key) workers=\(workers)")
                XCTAssertEqual(measured["N-2/" + key], outer, "\(key) workers=\(workers)")
                XCTAssertEqual(measured["N-3/" + key], aboveAverage, "\(key) workers=\(workers)")
            }
        }
        // The estimate follows the hoisting: far below the N³ of a naive plan.
        let costs = Dictionary(uniqueKeysWithValues: Engine(program: p, data: data).estimatedCosts().map { ($0.rule, $0.estimate) })
        let nd = Double(n)
        XCTAssertEqual(costs["N-1"], nd * (1 + nd * 2 + nd))
        XCTAssertEqual(costs["N-3"], nd * 2 + nd * (1 + 1) + nd)
        XCTAssertLessThan(try XCTUnwrap(costs["N-2"]), nd * nd * 10)
    }

    /// A correlated aggregate that no index or hoisting serves costs N² and
    /// is refused above the limit, before evaluation, with the rule's code and place.
    func testARuleAboveTheCostLimitIsRefusedByName() throws {
        let rules = Core.schoolRules("""
          rule C-1 "便宜" {
            require students > 0 人
          }
          rule C-2 "昂贵" {
            measure 更多 = count(school where students > this.students)
            require 更多 >= 0
          }
        """)
        let p = try Core.program(rules)
        let data = try Core.load(p, Self.csv(rows: 20))
        let engine = Engine(program: p, data: data)
        let costs = Dictionary(uniqueKeysWithValues: engine.estimatedCosts().map { ($0.rule, $0.estimate) })
        XCTAssertEqual(costs["C-1"], 20)
        XCTAssertEqual(costs["C-2"], 20 * (1 + 20))
        XCTAssertNoThrow(try engine.refuseCostly(maxCost: 420))
        do {
            try engine.refuseCostly(maxCost: 100)
            XCTFail("a rule of estimated cost 420 passed a limit of 100")
        } catch let e as CostRefusal {
            XCTAssertEqual(e.rules.map(\.code), ["C-2"])
            XCTAssertEqual(e.rules.first?.estimate, 420)
            let location = try XCTUnwrap(e.rules.first?.location)
            XCTAssertTrue(location.hasPrefix("t.rules:"), location)
            let line = try XCTUnwrap(rules.components(separatedBy: "\n").firstIndex { $0.contains("rule C-2") }) + 1
            XCTAssertTrue(location.hasPrefix("t.rules:\(line):"), "\(location), expected line \(line)")
            XCTAssertTrue(e.message(.en).contains("C-2"), e.message(.en))
            XCTAssertTrue(e.message(.zh).contains("420"), e.message(.zh))
        }
    }

    /// The command line: `--max-cost` refuses the rule and exits 2 with its name.
    func testCheckRefusesACostlyRuleWithExitTwo() throws {
        guard let exe = CLITests.executable() else {
            throw XCTSkip("the dabiao executable was not found next to the test bundle")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dabiao-cost-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let rules = dir.appendingPathComponent("cost.rules")
        let csv = dir.appendingPathComponent("school.csv")
        try Data(Core.schoolRules("""
          rule C-2 "昂贵" {
            measure 更多 = count(school where students > this.students)
            require 更多 >= 0
          }
        """).utf8).write(to: rules)
        try Data(Self.csv(rows: 20).utf8).write(to: csv)
        func run(_ extra: [String]) throws -> (Int32, String) {
            let p = Process()
            p.executableURL = exe
            p.arguments = ["check", "--rules", rules.path, "--data", "school=\(csv.path)", "--as-of", "2024-10-31", "--quiet", "--lang", "en"] + extra
            let err = Pipe()
            p.standardError = err
            p.standardOutput = Pipe()
            try p.run()
            let e = err.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return (p.terminationStatus, String(decoding: e, as: UTF8.self))
        }
        let (status, stderr) = try run(["--max-cost", "100"])
        XCTAssertEqual(status, 2, stderr)
        XCTAssertTrue(stderr.contains("C-2") && stderr.contains("cost.rules:"), stderr)
        XCTAssertEqual(try run([]).0, 0, "the default limit admits 420 row visits")
    }
}
