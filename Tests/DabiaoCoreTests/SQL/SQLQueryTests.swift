import Foundation
import XCTest
@testable import DabiaoCore

/// `dabiao sql --dialect D` (docs/sql.md): the generated query, run in DuckDB
/// on the exported data, gives exactly the outcomes, levels and measures of
/// the engine (`scripts/sql_diff.py` compares; any difference fails). The
/// PostgreSQL half runs in `.ci/run` (scripts/sql_postgres_check.sh) on the
/// samples and on the projects this file writes when `DABIAO_SQL_KEEP` names
/// a folder.
final class SQLQueryTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("dabiao-sql-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let dir { try? FileManager.default.removeItem(at: dir) }
    }

    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    func python(_ args: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3"] + args
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        do { try p.run() } catch { throw XCTSkip("python3 cannot be started: \(error)") }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    func requireDuckDB() throws {
        let probe = try python(["-c", "import duckdb"])
        guard probe.status == 0 else {
            throw XCTSkip("python3 with duckdb is not available (python3 -m pip install duckdb; .ci/run installs it): \(probe.stderr.suffix(200))")
        }
    }

    /// Export, schema, query and the engine's JSON report into `sub`, then
    /// DuckDB and the comparison. Returns the comparison's summary line.
    @discardableResult
    func differential(_ program: Program, _ data: Dataset, _ baseline: Dataset?, _ report: Report, _ sub: String,
                      file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let base = dir.appendingPathComponent(sub)
        let export = base.appendingPathComponent("export")
        _ = try DataExport.write(DataExport.files(program: program, data: data, baseline: baseline, lang: .zh), to: export.path)
        let schema = base.appendingPathComponent("schema.sql")
        let query = base.appendingPathComponent("query.sql")
        let check = base.appendingPathComponent("check.json")
        try Data(SQLSchema.render(program, dialect: .duckdb).utf8).write(to: schema)
        try Data(SQLQuery.render(program, dialect: .duckdb, asOf: Core.asOf).utf8).write(to: query)
        try Data(JSONReport.render(report).utf8).write(to: check)
        let script = Self.repo.appendingPathComponent("scripts/sql_diff.py").path
        let r = try python([script, "duckdb", schema.path, export.path, query.path, check.path])
        XCTAssertEqual(r.status, 0, "\(sub): SQL and engine differ:\n\(r.stdout.prefix(4000))\(r.stderr.suffix(2000))", file: file, line: line)
        XCTAssertTrue(r.stdout.contains(", 0 differences"), r.stdout, file: file, line: line)
        return r.stdout
    }

    // MARK: the samples

    func testSamplesAgreeInDuckDB() throws {
        try requireDuckDB()
        let (program, diags) = compileProject(try Pipeline.ruleSources([]))
        guard let program else { return XCTFail("the built-in rulebooks do not compile: \(diags.count) diagnostics") }
        let (data, baseline) = try Pipeline.loadDatasets(program, Pipeline.DataRequest())
        let report = Engine(program: program, data: data, baseline: baseline)
            .run(RunOptions(asOf: Core.asOf, showAll: true, workers: 1))
        // Not vacuous: many results, and failures, missing data, not-applicable among them.
        XCTAssertGreaterThan(report.results.count, 5000)
        XCTAssertGreaterThan(report.summary.fail, 100)
        XCTAssertGreaterThan(report.summary.missing, 0)
        XCTAssertGreaterThan(report.summary.notApplicable, 0)
        XCTAssertNotNil(baseline, "the samples' prev reads the exported prev_ tables")
        let summary = try differential(program, data, baseline, report, "samples")
        XCTAssertTrue(summary.contains("\(report.results.count) results compared"), summary)
    }

    // MARK: generated projects

    /// The block-path generator's requires, and the constructs it does not
    /// reach: match without an arm, empty aggregates, any/all, in-lists with
    /// a blank, prev, functions, values near thresholds.
    static let extraRequires = [
        "require match kind { \"甲\" => a  \"乙\" => b } >= 25",
        "require avg(item.amount where unit_code == unit_.code) >= 40",
        "require min(item.amount where unit_code == unit_.code) <= a",
        "require max(item.amount where unit_code == unit_.code and tag == \"丙\") >= b",
        "require any(item where unit_code == unit_.code and amount > 90) or a > 50",
        "require all(item where unit_code == unit_.code and amount >= 10)",
        "require kind in (\"甲\", \"乙\")",
        "require a in (10, 20, b)",
        "require not (a in (30, b))",
        "require coalesce(a, b, 0) >= 30",
        "require round(money, 1) >= 3 万元",
        "require round(a / 7, 2) * 7 >= 30",
        "require ceil(a / 3) <= floor(b / 3) + 1",
        "require days(day, 2024-10-31) <= 200",
        "require year(day) == 2024 and max(a, b) >= 50",
        "require contains(coalesce(parent, \"\"), \"P\") or starts_with(code, \"U00\")",
        "require prev.a <= a",
        "require coalesce(prev.money, 0 万元) <= money",
        "require a * 0.1 >= 3",
        "require money * 3 >= 1.5 万元 * 4",
        "require a / b * 100 >= 50",
        "require sum(item: amount / 10 where unit_code == unit_.code) >= 5",
        "require count(item where unit_code == unit_.code and amount >= max(item.amount where tag == \"甲\")) <= 1",
        "require a >= 30 else info",
        "require b >= 30 else warning",
    ]

    static func project(_ picks: [Int], when: String?, scope: String, waive: Bool) -> String {
        let all = BlockPathTests.requires + extraRequires
        var s = BlockPathTests.schema + "ruleset r \"生成\" {\n  for unit_\(scope)\n"
        for (i, p) in picks.enumerated() {
            s += "  rule R-\(i) \"规则\(i)\" {\n"
            if let when { s += "    \(when)\n" }
            s += "    let half = a / 2\n"
            s += "    measure 值 = half + b\n"
            s += "    measure 比 = money / n in 元/人\n"
            if i % 2 == 0 { s += "    measure 均额 = avg(item.amount where unit_code == unit_.code)\n" }
            if i % 2 == 1 { s += "    measure 整 = round(money, 1)\n" }
            s += "    \(all[p % all.count])\n"
            if i % 3 == 0 { s += "    require 值 >= 40 else warning\n" }
            if i % 4 == 1 { s += "    require 值 >= 20 else info\n" }
            s += "  }\n"
        }
        s += "}\n"
        // A rule over the referencing entity: ref lookups, blank refs, refs to no record.
        s += """
        ruleset m "明细" {
          for item where tag != "丙"
          rule M-1 "引用" {
            measure 上级值 = unit_code.a
            require unit_code.a >= amount / 2
            require unit_code.kind != "丙" or amount > 30 else warning
          }
        }

        """
        if waive {
            s += "waive R-0 for unit_ \"U0003\" until 2025-06-30 because \"在建\"\n"
            s += "waive R-0 for unit_ \"U0004\" until 2024-01-31 because \"已过期\"\n"
            s += "waive R-1 for unit_ \"U0005\" until 2024-10-31 because \"当天到期\"\n"
        }
        return s
    }

    func testGeneratedProjectsAgreeInDuckDB() throws {
        try requireDuckDB()
        let keep = ProcessInfo.processInfo.environment["DABIAO_SQL_KEEP"].flatMap { $0.isEmpty ? nil : $0 }
        var g = SeededRNG(seed: 16_2024)
        var totals = Summary()
        var undefined = 0
        let count = BlockPathTests.requires.count + Self.extraRequires.count
        for round in 0..<6 {
            // Every require at least once over the rounds, the rest at random.
            var picks = Array(stride(from: round, to: count, by: 6))
            while picks.count < 8 { picks.append(g.int(0...(count - 1))) }
            let when: String? = round % 3 == 0 ? "when n > 0" : round % 3 == 1 ? nil : "when flag"
            let scopes = ["", " where n > 20", " where kind != \"丙\"", " where a >= 0"]
            let rules = Self.project(picks, when: when, scope: scopes[round % scopes.count], waive: round % 2 == 0)
            let program = try Core.program(rules)
            let d = BlockPathTests.data(150 + g.int(0...100), &g)
            // A baseline with the same keys and other values: prev reads it.
            let b = BlockPathTests.data(120, &g)
            let data = try Core.load(program, [("unit_", "unit_.csv", d.units), ("item", "item.csv", d.items)])
            let baseline = try Core.load(program, [("unit_", "unit_.csv", b.units)])
            let report = Core.run(program, data, baseline: baseline)
            totals.pass += report.summary.pass
            totals.fail += report.summary.fail
            totals.missing += report.summary.missing
            totals.notApplicable += report.summary.notApplicable
            totals.waived += report.summary.waived
            undefined += report.summary.undefined
            try differential(program, data, baseline, report, "round\(round)")
            if let keep {
                let base = URL(fileURLWithPath: keep).appendingPathComponent("generated\(round)")
                for (path, text) in [("rules/t.rules", rules), ("data/unit_.csv", d.units), ("data/item.csv", d.items),
                                     ("baseline/unit_.csv", b.units)] {
                    let url = base.appendingPathComponent(path)
                    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try Data(text.utf8).write(to: url)
                }
            }
        }
        // Every outcome occurs, so none of them is compared vacuously.
        XCTAssertGreaterThan(totals.pass, 100)
        XCTAssertGreaterThan(totals.fail, 100)
        XCTAssertGreaterThan(totals.missing, 100)
        XCTAssertGreaterThan(totals.notApplicable, 10)
        XCTAssertGreaterThan(totals.waived, 0)
        XCTAssertGreaterThan(undefined, 10)
    }

    // MARK: the pitfalls, each on data made to hit it

    /// One small project whose records each hit one pitfall of rule-to-SQL
    /// compilers (issue 16), with the engine's answer written out by hand.
    func testPitfallsGiveTheEnginesAnswer() throws {
        try requireDuckDB()
        let rules = """
        unit 人 = 1
        unit 元
        unit 万元 = 10000 元
        entity s "学校" {
          key code : text "代码"
          students : integer 人 "学生数"
          teachers : integer 人 "教师数"
          funds    : number 万元 "经费"
          kind     : text "类别"
        }
        entity c "班级" {
          key id : text "班级"
          school : ref s "学校"
          size   : integer 人 "人数"
        }
        ruleset p "陷阱" {
          for s
          rule RATIO "整数除法" {
            measure 生师比 = students / teachers
            require 生师比 <= 0.5
          }
          rule INLIST "值列表" {
            require kind in ("甲", "乙")
          }
          rule NOTIN "不在列表" {
            require not (kind in ("丙"))
          }
          rule NEAR "阈值附近" {
            measure 生均经费 = funds / students in 元/人
            require 生均经费 >= 1000 元/人
          }
          rule EMPTY "空聚合" {
            measure 平均班额 = avg(c.size where school == s.code)
            measure 班级数 = count(c where school == s.code)
            require 平均班额 <= 44
          }
          rule NOREF "无班级" {
            require not any(c where school == s.code and size > 50)
          }
        }
        """
        let program = try Core.program(rules)
        let schools = """
        code,students,teachers,funds,kind
        S1,3,4,0.3,甲
        S2,10,0,1,
        S3,3,,0.3,丙
        S4,0,1,0,乙
        """
        let classes = """
        id,school,size
        C1,S1,40
        C2,S1,50
        C3,S3,
        C4,,60
        """
        let data = try Core.load(program, [("s", "s.csv", schools), ("c", "c.csv", classes)])
        let report = Core.run(program, data)
        func outcome(_ rule: String, _ key: String) -> String? {
            report.results.first { $0.rule == rule && $0.key == key }?.outcome.rawValue
        }
        // Integer division: 3 / 4 is 0.75 (fails ≤ 0.5), never 0; 10 / 0 is undefined, never 0 % or a pass.
        XCTAssertEqual(outcome("RATIO", "S1"), "fail")
        XCTAssertEqual(outcome("RATIO", "S2"), "undefined")
        XCTAssertEqual(outcome("RATIO", "S3"), "missing")
        // A blank in a value list is missing, not a silent pass or fail.
        XCTAssertEqual(outcome("INLIST", "S2"), "missing")
        XCTAssertEqual(outcome("NOTIN", "S2"), "missing")
        XCTAssertEqual(outcome("NOTIN", "S1"), "pass")
        // 0.3 万元 / 3 人 = 1000 元/人 exactly only within the tolerance.
        XCTAssertEqual(outcome("NEAR", "S1"), "pass")
        XCTAssertEqual(outcome("NEAR", "S4"), "undefined")
        // No class: avg is missing, count 0; a class with a blank size makes avg missing.
        XCTAssertEqual(outcome("EMPTY", "S2"), "missing")
        XCTAssertEqual(outcome("EMPTY", "S3"), "missing")
        XCTAssertEqual(outcome("EMPTY", "S1"), "fail")
        XCTAssertEqual(report.results.first { $0.rule == "EMPTY" && $0.key == "S2" }?.measures.last?.value, 0)
        XCTAssertEqual(outcome("NOREF", "S4"), "pass")
        try differential(program, data, nil, report, "pitfalls")

        let sql = try SQLQuery.render(program, dialect: .postgres, asOf: Core.asOf)
        XCTAssertFalse(sql.contains("NOT IN"), "NOT IN with a NULL in the set matches nothing")
        XCTAssertTrue(sql.contains("CAST(q.\"students\" AS DOUBLE PRECISION) / NULLIF(q.\"teachers\", CAST(0.0 AS DOUBLE PRECISION))"),
                      "a division casts to double and turns a zero denominator into NULL (undefined)")
    }

    // MARK: refusals

    func testLenIsRefusedWhereTheDialectCountsCodePoints() throws {
        let program = try Core.program("""
        entity s "学校" {
          key code : text "代码"
          name : text "名称"
        }
        ruleset p "x" {
          for s
          rule LEN-1 "名称长度" { require len(name) <= 20 }
        }
        """)
        XCTAssertNoThrow(try SQLQuery.render(program, dialect: .duckdb, asOf: Core.asOf))
        for dialect in [SQLDialect.postgres, .spark] {
            XCTAssertThrowsError(try SQLQuery.render(program, dialect: dialect, asOf: Core.asOf)) { error in
                guard let e = error as? SQLQueryError else { return XCTFail("\(error)") }
                XCTAssertEqual(e.rule, "LEN-1")
                XCTAssertTrue(e.message(.en).contains("rule LEN-1 cannot be compiled to SQL"), e.message(.en))
                XCTAssertTrue(e.message(.zh).contains("规则 LEN-1"), e.message(.zh))
            }
        }
    }

    /// Spark SQL rejects an aggregate function over an expression that mixes
    /// the aggregated and the enclosing record; `where` is kept out of the
    /// aggregate functions for Spark, a value cannot be.
    func testSparkRefusesAnAggregatedValueReadingTheOuterRecord() throws {
        let schema = """
        entity s "学校" {
          key code : text "代码"
          rate : number "比例"
        }
        entity c "班级" {
          key id : text "班级"
          school : ref s "学校"
          size : number "人数"
        }

        """
        let mixedWhere = try Core.program(schema + """
        ruleset p "x" {
          for s
          rule W-1 "条件" { require count(c where school == s.code and size > s.rate) <= 3 }
        }
        """)
        let spark = try SQLQuery.render(mixedWhere, dialect: .spark, asOf: Core.asOf)
        XCTAssertTrue(spark.contains("EXISTS (SELECT 1 FROM `c` a1, `s` o1 WHERE o1.`code` = q.`code` AND a1.`school` = q.`code`"), spark)
        let mixedValue = try Core.program(schema + """
        ruleset p "x" {
          for s
          rule V-1 "取值" { require sum(c: size * s.rate where school == s.code) <= 100 }
        }
        """)
        XCTAssertNoThrow(try SQLQuery.render(mixedValue, dialect: .duckdb, asOf: Core.asOf))
        XCTAssertThrowsError(try SQLQuery.render(mixedValue, dialect: .spark, asOf: Core.asOf)) { error in
            XCTAssertEqual((error as? SQLQueryError)?.rule, "V-1")
        }
    }

    // MARK: Spark's planner

    /// Spark substitutes each column a `WHERE` reads by its expression while
    /// it moves the filter down through the layers; a `WHERE` on the outcome
    /// (which reads every require, which read the locals…) grew exponentially
    /// and the samples' query never finished planning. For Spark the `WHERE`
    /// reads the filter columns only, and a rule without `for … where` has none.
    func testSparkSelectsTheRowsByTheFilterColumnsOnly() throws {
        let program = try Core.program("""
        entity s "学校" {
          key code : text "代码"
          kind : text "类型"
          n : number "人数"
        }
        ruleset p "x" {
          for s where kind == "甲" and n > 0
          let a = n * 2
          let b = a + a
          rule F-1 "筛选" { require b >= 4 }
        }
        ruleset r "y" {
          for s
          rule N-1 "不筛选" { require n >= 1 }
        }
        """)
        let spark = try SQLQuery.render(program, dialect: .spark, asOf: Core.asOf)
        let parts = spark.components(separatedBy: "\nUNION ALL\n")
        XCTAssertEqual(parts.count, 2)
        let filtered = try XCTUnwrap(parts.first { $0.contains("'F-1' AS `rule`") })
        let unfiltered = try XCTUnwrap(parts.first { $0.contains("'N-1' AS `rule`") })
        XCTAssertFalse(spark.contains("<> 'excluded'"), spark)
        XCTAssertTrue(filtered.hasSuffix("\nWHERE CASE WHEN q.`dabiao_f0_s` <> 0 THEN TRUE WHEN NOT q.`dabiao_f0_v` THEN FALSE ELSE TRUE END"), filtered)
        XCTAssertFalse(unfiltered.contains("\nWHERE"), unfiltered)
        // The outcome still names the excluded rows; only the WHERE is different.
        XCTAssertTrue(filtered.contains("WHEN NOT q.`dabiao_f0_v` THEN 'excluded'"), filtered)
        // DuckDB and PostgreSQL keep the WHERE on the outcome.
        for dialect in [SQLDialect.duckdb, .postgres] {
            let text = try SQLQuery.render(program, dialect: dialect, asOf: Core.asOf)
            XCTAssertEqual(text.components(separatedBy: "\nWHERE q.\"dabiao_o\" <> 'excluded'").count - 1, 2, dialect.rawValue)
        }
        // The built-in rules: no Spark WHERE reads the outcome.
        let (builtin, _) = compileProject(try Pipeline.ruleSources([]))
        guard let builtin else { return XCTFail("the built-in rulebooks do not compile") }
        let all = try SQLQuery.render(builtin, dialect: .spark, asOf: Core.asOf)
        XCTAssertFalse(all.contains("WHERE q.`dabiao_o`"))
        XCTAssertGreaterThan(all.components(separatedBy: "\nWHERE CASE WHEN q.`dabiao_f0_s` <> 0 THEN TRUE").count - 1, 10)
    }

    /// Spark decorrelates a subquery whose correlation is not an equality
    /// with a domain join built from the whole plan below it, earlier
    /// subqueries included, so each one doubled the plan (DQ-06: twelve
    /// aggregates whose `where` reads `region.tier`). For Spark an
    /// aggregate's `where` that reads the rule's record reads it from a second
    /// scan of the table matched by key, so the only correlation is an
    /// equality; a `where` reading a local cannot, and keeps the outer reference.
    func testSparkReadsTheRecordAgainByKeyInAnAggregatesWhere() throws {
        let program = try Core.program("""
        entity s "学校" {
          key code : text "代码"
          rate : number "比例"
        }
        entity c "班级" {
          key id : text "班级"
          school : ref s "学校"
          size : number "人数"
        }
        ruleset p "x" {
          for s
          let limit = rate * 2
          rule W-1 "读本记录" { require count(c where school == s.code and size > s.rate) <= 3 }
          rule W-2 "读局部量" { require count(c where school == s.code and size > limit) <= 3 }
          rule W-3 "嵌套" { require count(c where size > s.rate and count(c where school == s.code) > 1) <= 3 }
          rule W-4 "只有连接" { require count(c where school == s.code) <= 3 }
        }
        """)
        let spark = try SQLQuery.render(program, dialect: .spark, asOf: Core.asOf)
        func part(_ code: String) throws -> String {
            try XCTUnwrap(spark.components(separatedBy: "\nUNION ALL\n").first { $0.contains("'\(code)' AS `rule`") })
        }
        let w1 = try part("W-1")
        XCTAssertTrue(w1.contains("(SELECT COUNT(*) FROM `c` a1, `s` o1 WHERE o1.`code` = q.`code` AND a1.`school` = q.`code` AND (a1.`size` > o1.`rate`"), w1)
        XCTAssertFalse(w1.contains("q.`rate`"), w1)
        let w2 = try part("W-2")
        XCTAssertFalse(w2.contains("`s` o"), w2)
        XCTAssertTrue(w2.contains("(SELECT COUNT(*) FROM `c` a1 WHERE a1.`school` = q.`code` AND (a1.`size` > q.`dabiao_l0_v`"), w2)
        // Nested: the inner aggregate's join reads the record through the outer one's scan.
        let w3 = try part("W-3")
        XCTAssertTrue(w3.contains("FROM `c` a1, `s` o"), w3)
        XCTAssertTrue(w3.range(of: "\\(SELECT COUNT\\(\\*\\) FROM `c` a2 WHERE a2.`school` = o[0-9]+.`code`\\)", options: .regularExpression) != nil, w3)
        XCTAssertFalse(w3.contains("q.`rate`"), w3)
        // No `where`: the join is the only correlation, nothing to read again.
        XCTAssertFalse(try part("W-4").contains("`s` o"))
        // DuckDB and PostgreSQL are untouched.
        for dialect in [SQLDialect.duckdb, .postgres] {
            let text = try SQLQuery.render(program, dialect: dialect, asOf: Core.asOf)
            XCTAssertFalse(text.contains("\"s\" o"), dialect.rawValue)
            XCTAssertTrue(text.contains("q.\"rate\""), dialect.rawValue)
        }
    }

    func testAnotherIRVersionIsRefused() throws {
        let program = try Core.program("""
        entity s "学校" {
          key code : text "代码"
        }
        """)
        let ir = IR.render(program)
        XCTAssertNoThrow(try SQLModel(json: ir))
        let other = ir.replacingOccurrences(of: "\"irVersion\": 1", with: "\"irVersion\": 2")
        XCTAssertNotEqual(other, ir)
        XCTAssertThrowsError(try SQLModel(json: other))
    }

    func testTheQueryIsDeterministicAndCastsEveryNumber() throws {
        let (program, _) = compileProject(try Pipeline.ruleSources([]))
        guard let program else { return XCTFail("the built-in rulebooks do not compile") }
        for dialect in SQLDialect.allCases {
            let a = try SQLQuery.render(program, dialect: dialect, asOf: Core.asOf)
            let b = try SQLQuery.render(program, dialect: dialect, asOf: Core.asOf)
            XCTAssertEqual(a, b)
            XCTAssertFalse(a.contains("NOT IN"))
            // Every division is in floating point: its dividend is cast, its divisor NULLIF'd.
            let double = dialect == .postgres ? "DOUBLE PRECISION" : "DOUBLE"
            let divisions = a.components(separatedBy: " / ").count - 1
            let guarded = a.components(separatedBy: " AS \(double)) / NULLIF(").count - 1
            let constant = a.components(separatedBy: " / CAST(").count - 1
            XCTAssertGreaterThan(guarded, 50, dialect.rawValue)
            XCTAssertEqual(divisions, guarded + constant, "\(dialect.rawValue): a division neither cast nor by a double constant")
            // 76 rules, one SELECT each.
            XCTAssertEqual(a.components(separatedBy: "\nUNION ALL\n").count, program.rules.count)
        }
    }
}
