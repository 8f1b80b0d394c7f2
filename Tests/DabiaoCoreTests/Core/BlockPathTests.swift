import XCTest
@testable import DabiaoCore

/// The block path only decides that records certainly pass; these tests
/// check it never decides anything the per-record path would not, on data
/// full of missing cells, zeros and boundary values.
final class BlockPathTests: XCTestCase {
    static let schema = """
    unit 人 = 1
    unit 元
    unit 万元 = 10000 元

    entity unit_ "单位" {
      key code   : text "编号"
      kind       : text one of ("甲", "乙", "丙") "类别"
      a          : number "甲值"
      b          : number "乙值"
      n          : integer 人 "人数"
      money      : number 万元 "金额"
      flag       : bool "标记"
      day        : date "日期"
      optional parent : text "上级"
    }

    entity item "明细" {
      key id     : text "明细编号"
      unit_code  : ref unit_ "所属单位"
      amount     : number "数额"
      tag        : text "标签"
    }

    """

    /// Requires of every shape the block path mirrors, and of some it hands
    /// back to the per-record path (text, `if`, `match`, calls, aggregates).
    static let requires = [
        "require a <= b",
        "require a / b >= 0.5",
        "require a + b * 2 - n > 10",
        "require -a < b",
        "require a == b",
        "require a != b",
        "require a between 10 and b",
        "require not flag",
        "require flag or a > 50",
        "require flag and a > 20",
        "require not (a > 90) or not flag",
        "require day >= 2024-06-01",
        "require day between 2024-01-01 and 2024-12-31",
        "require money >= 2 万元",
        "require money / n >= 300 元/人",
        "require kind == \"甲\" or a >= 40",
        "require (if kind == \"乙\" then a else b) >= 30",
        "require match kind { \"甲\" => a  \"乙\" => b  else => n } >= 25",
        "require abs(a - b) <= 30",
        "require count(item where unit_code == unit_.code) >= n / 20",
        "require sum(item.amount where unit_code == unit_.code) <= a * 3",
        "require present(parent) or a >= 10",
        "require count(item where unit_code == unit_.code and tag == \"甲\") <= 2",
        "require sum(item.amount where unit_code == unit_.code and tag != \"乙\") >= a / 4",
    ]

    static func rules(_ picks: [Int], when: String?, scope: String = "") -> String {
        var s = schema + "ruleset r \"生成\" {\n  for unit_\(scope)\n"
        for (i, p) in picks.enumerated() {
            s += "  rule R-\(i) \"规则\(i)\" {\n"
            if let when { s += "    \(when)\n" }
            s += "    let half = a / 2\n"
            s += "    measure 值 = half + b\n"
            s += "    \(requires[p])\n"
            if i % 3 == 0 { s += "    require 值 >= 40 else warning\n" }
            s += "  }\n"
        }
        return s + "}\n"
    }

    static func cell(_ g: inout SeededRNG, _ make: (inout SeededRNG) -> String) -> String {
        // Empty, an empty marker, or a value that does not parse: all must end up not passing.
        if g.chance(0.06) { return "" }
        if g.chance(0.02) { return "—" }
        if g.chance(0.01) { return "约100" }
        return make(&g)
    }

    static func data(_ rows: Int, _ g: inout SeededRNG) -> (units: String, items: String) {
        var u = "code,kind,a,b,n,money,flag,day,parent\n"
        var it = "id,unit_code,amount,tag\n"
        var item = 0
        for r in 0..<rows {
            let code = String(format: "U%04d", r)
            // Small integers make ties (a == b, boundaries) common.
            let a = cell(&g) { g in String(g.int(0...10) * 10) }
            let b = cell(&g) { g in g.chance(0.1) ? "0" : String(g.int(0...12) * 10) }
            let n = cell(&g) { g in g.chance(0.05) ? "0" : String(g.int(1...200)) }
            let money = cell(&g) { g in String(format: "%.2f", g.double(0...6)) }
            let flag = cell(&g) { g in g.chance(0.5) ? "是" : "否" }
            let day = cell(&g) { g in String(format: "2024-%02d-%02d", g.int(1...12), g.int(1...28)) }
            let kind = cell(&g) { g in g.pick(["甲", "乙", "丙"]) ?? "甲" }
            let parent = g.chance(0.5) ? "P" : ""
            u += "\(code),\(kind),\(a),\(b),\(n),\(money),\(flag),\(day),\(parent)\n"
            for _ in 0..<g.int(0...4) {
                it += String(format: "I%05d", item) + ",\(code)," + cell(&g) { g in String(g.int(0...100)) }
                    + "," + cell(&g) { g in g.pick(["甲", "乙", "丙"]) ?? "甲" } + "\n"
                item += 1
            }
        }
        return (u, it)
    }

    func run(_ rules: String, _ d: (units: String, items: String), showAll: Bool, workers: Int, blockPath: Bool = true) throws -> Report {
        let p = try Core.program(rules)
        let data = try Core.load(p, [("unit_", "unit.csv", d.units), ("item", "item.csv", d.items)])
        var options = RunOptions(asOf: Core.asOf, showAll: showAll, workers: workers)
        options.blockPath = blockPath
        return Engine(program: p, data: data).run(options)
    }

    func testBlockPathAgreesWithThePerRecordPath() throws {
        var g = SeededRNG(seed: 20241031)
        var compared = 0
        var fastPasses = 0
        for round in 0..<12 {
            let picks = (0..<6).map { _ in g.int(0...(Self.requires.count - 1)) }
            let when: String? = round % 3 == 0 ? "when n > 0" : round % 3 == 1 ? nil : "when flag"
            // Scopes that drop records (a number, a text) and one that is itself unknown when n is blank.
            let scopes = ["", " where n > 20", " where kind != \"丙\"", " where a >= 0"]
            let rules = Self.rules(picks, when: when, scope: scopes[round % scopes.count])
            // More rows than a block, so blocks end inside chunks and at the end of the data.
            let d = Self.data(2600 + g.int(0...500), &g)
            // The per-record path alone is the reference; the block path
            // runs in both --show modes.
            let exact = try run(rules, d, showAll: true, workers: 1, blockPath: false)
            for workers in [1, 2] {
                let all = try run(rules, d, showAll: true, workers: workers)
                XCTAssertEqual(all.summary, exact.summary, "round \(round) rules \(picks)")
                XCTAssertEqual(all.results, exact.results, "round \(round) rules \(picks): --show all")
                XCTAssertEqual(all.rectification, exact.rectification)
                let fast = try run(rules, d, showAll: false, workers: workers)
                XCTAssertEqual(fast.summary, exact.summary, "round \(round) rules \(picks)")
                XCTAssertEqual(fast.tallies.map(\.summary), exact.tallies.map(\.summary), "round \(round) rules \(picks)")
                let shown = exact.results.filter { $0.outcome != .pass && $0.outcome != .notApplicable }
                XCTAssertEqual(fast.results.count, shown.count, "round \(round) rules \(picks)")
                for (x, y) in zip(fast.results, shown) {
                    XCTAssertEqual(x, y, "round \(round): \(y.rule) \(y.key)")
                }
                XCTAssertEqual(fast.rectification, exact.rectification)
                compared += fast.results.count
            }
            fastPasses += exact.summary.pass
        }
        // Not vacuous: many results of every kind were compared.
        XCTAssertGreaterThan(compared, 10_000)
        XCTAssertGreaterThan(fastPasses, 10_000)
    }

    /// `Engine.decide` (outcome and level, for counting and the solver)
    /// against `Engine.verdict` (everything a report shows), record by
    /// record, over generated rules with scopes, `when` and every kind of
    /// require: the two must never disagree.
    func testDecideGivesTheVerdictsOutcomeAndLevel() throws {
        var g = SeededRNG(seed: 7_2024)
        var seen = Set<String>()
        for round in 0..<9 {
            let picks = (0..<6).map { _ in g.int(0...(Self.requires.count - 1)) }
            let when: String? = round % 3 == 0 ? "when n > 0" : round % 3 == 1 ? nil : "when flag"
            let scopes = ["", " where n > 20", " where kind != \"丙\"", " where a >= 0"]
            let p = try Core.program(Self.rules(picks, when: when, scope: scopes[round % scopes.count]))
            let d = Self.data(800, &g)
            let data = try Core.load(p, [("unit_", "unit.csv", d.units), ("item", "item.csv", d.items)])
            let engine = Engine(program: p, data: data)
            for plan in engine.plans {
                var ctx = EvalContext(slots: plan.slots, fields: p.entities[plan.rule.entity].fields.count)
                for row in 0..<data.tables[plan.rule.entity].count {
                    ctx.reset(row: row)
                    let full = engine.verdict(plan, &ctx)
                    ctx.reset(row: row)
                    let lean = engine.decide(plan, &ctx)
                    XCTAssertEqual(lean?.outcome, full?.outcome, "round \(round) \(plan.rule.code) row \(row)")
                    XCTAssertEqual(lean?.level, full?.level, "round \(round) \(plan.rule.code) row \(row)")
                    seen.insert(full.map { "\($0.outcome)-\(String(describing: $0.level))" } ?? "excluded")
                }
            }
        }
        // Not vacuous: every outcome the generated rules can give was compared.
        for kind in ["excluded", "pass-nil", "missing-nil", "undefined-nil", "notApplicable-nil"] {
            XCTAssertTrue(seen.contains(kind), "\(kind) among \(seen.sorted())")
        }
        XCTAssertTrue(seen.contains { $0.hasPrefix("fail-") }, "\(seen.sorted())")
    }

    /// `where tag == "甲"` inside an aggregate compares dictionary codes; a
    /// count by hand over the same rows must agree, blanks never matching.
    func testAggregateWhereWithATextLiteralCountsLikeByHand() throws {
        var g = SeededRNG(seed: 99)
        let d = Self.data(400, &g)
        let rules = Self.schema + """
        ruleset r "x" {
          for unit_
          rule C "计数" {
            measure 甲 = count(item where unit_code == unit_.code and tag == "甲")
            measure 丁 = count(item where unit_code == unit_.code and tag == "丁")
            require 甲 < 0
          }
        }
        """
        let r = try run(rules, d, showAll: true, workers: 2)
        var expected: [String: Int] = [:]
        for line in d.items.split(separator: "\n").dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let unit = cells[1], tag = cells[3]
            if tag == "甲" { expected[unit, default: 0] += 1 }
        }
        var checked = 0
        for x in r.results where x.rule == "C" {
            let m = Dictionary(uniqueKeysWithValues: x.measures.map { ($0.name, $0.value) })
            XCTAssertEqual(m["甲"] ?? nil, Double(expected[x.key] ?? 0), x.key)
            XCTAssertEqual(m["丁"] ?? nil, 0, "a literal no row holds matches nothing: \(x.key)")
            checked += 1
        }
        XCTAssertEqual(checked, 400)
    }

    func testSimpleRulesRunColumnWiseAndOpaqueOnesDoNot() throws {
        let p = try Core.program(Self.schema + """
        ruleset r "x" {
          for unit_
          rule A "数值" { require a <= b }
          rule B "文本" { require kind == "甲" }
        }
        """)
        let data = try Core.load(p, [("unit_", "unit.csv", "code,kind,a,b,n,money,flag,day,parent\nU1,甲,1,2,3,4,是,2024-01-01,\n")])
        let engine = Engine(program: p, data: data)
        XCTAssertNotNil(engine.plans.first { $0.rule.code == "A" }?.certainPass, "a numeric comparison runs column-wise")
        XCTAssertNil(engine.plans.first { $0.rule.code == "B" }?.certainPass, "a text comparison alone gains nothing column-wise")
    }
}
