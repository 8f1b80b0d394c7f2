import Foundation
import XCTest
@testable import DabiaoCore

/// The page's JavaScript evaluator (Resources/page/evaluator.js) against the
/// engine, through node (scripts/js/run.js): the rulebooks' test blocks, the
/// samples and generated rule projects must give the same report, field by
/// field. A difference is a bug in one of the two, never an exception.
final class EvaluatorTests: XCTestCase {
    static let asOf = CivilDate.days(year: 2024, month: 10, day: 31) ?? 0
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// node from PATH; the tests skip, saying why, where it is absent.
    static func node() throws -> URL {
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/usr/local/bin").split(separator: ":")
        for d in dirs {
            let url = URL(fileURLWithPath: String(d)).appendingPathComponent("node")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw XCTSkip("node is not on PATH: the page evaluator's differential tests run the JavaScript evaluator under node")
    }

    /// Runs scripts/js/run.js on `request` and returns its parsed answer.
    static func evaluate(_ request: [String: Any]) throws -> Any {
        let node = try Self.node()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dabiao-eval-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("request.json")
        try JSONSerialization.data(withJSONObject: request).write(to: input)
        let errPath = dir.appendingPathComponent("stderr.txt")
        FileManager.default.createFile(atPath: errPath.path, contents: nil)
        let p = Process()
        p.executableURL = node
        p.arguments = [Self.root.appendingPathComponent("scripts/js/run.js").path, input.path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = try FileHandle(forWritingTo: errPath)
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            let err = (try? String(contentsOf: errPath, encoding: .utf8)) ?? ""
            XCTFail("node exited with \(p.terminationStatus): \(err.prefix(2000))")
            throw CoreTestError.doesNotCompile
        }
        return try JSONSerialization.jsonObject(with: data)
    }

    static func irObject(_ program: Program) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(IR.render(program).utf8))
    }

    static func report(_ r: Report, lang: Lang) throws -> [String: Any] {
        let any = try JSONSerialization.jsonObject(with: Data(JSONReport.render(r, lang: lang).utf8))
        return any as? [String: Any] ?? [:]
    }

    /// Compares the members the evaluator owes the report, element by element, so a failure names the result.
    static func assertSameReport(_ swift: [String: Any], _ js: [String: Any], _ context: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(swift["summary"] as? NSDictionary, js["summary"] as? NSDictionary, "\(context): summary", file: file, line: line)
        for member in ["results", "rectification", "dataErrors", "notes"] {
            let a = swift[member] as? [NSDictionary] ?? [], b = js[member] as? [NSDictionary] ?? []
            XCTAssertEqual(a.count, b.count, "\(context): number of \(member)", file: file, line: line)
            var shown = 0
            for (x, y) in zip(a, b) where x != y && shown < 5 {
                shown += 1
                XCTFail("\(context): \(member) differ\n swift: \(x)\n js:    \(y)", file: file, line: line)
            }
        }
    }

    func builtinProgram() throws -> Program {
        let (program, diags) = compileProject(try Pipeline.ruleSources([]))
        guard let program else { throw XCTSkip("the built-in rulebooks do not compile: \(diags.count) diagnostics") }
        return program
    }

    /// The built-in CSVs of a dataset's inputs, as `{entity: {path, csv}}`.
    static func tables(_ data: Dataset) -> [String: Any] {
        var out: [String: Any] = [:]
        for input in data.inputs {
            guard let file = BuiltinFiles.all.first(where: { $0.path == input.path }) else { continue }
            out[input.entity] = ["path": input.path, "csv": String(decoding: file.bytes, as: UTF8.self)]
        }
        return out
    }

    // (b) The samples, as `dabiao check --as-of 2024-10-31 --format json --show all` reports them.
    func testSamplesGiveTheEnginesReport() throws {
        let program = try builtinProgram()
        let (data, baseline) = try Pipeline.loadDatasets(program, Pipeline.DataRequest())
        XCTAssertNotNil(baseline, "the samples come with last year's data")
        let report = Engine(program: program, data: data, baseline: baseline).run(RunOptions(asOf: Self.asOf, showAll: true, workers: 1))
        let ir = try Self.irObject(program)
        for lang in [Lang.zh, .en] {
            let swift = try Self.report(report, lang: lang)
            let js = try Self.evaluate(["ir": ir, "asOf": "2024-10-31", "lang": lang == .zh ? "zh" : "en", "mode": "check",
                                   "tables": Self.tables(data), "order": data.inputs.map(\.entity), "baseline": baseline.map(Self.tables) ?? NSNull()])
            let got = js as? [String: Any] ?? [:]
            Self.assertSameReport(swift, got, "samples (\(lang))")
            // Not vacuous: the sample fails, is missing, mends and has bad cells.
            let results = got["results"] as? [[String: Any]] ?? []
            XCTAssertGreaterThan(results.count, 5000)
            XCTAssertTrue(results.contains { $0["outcome"] as? String == "missing" })
            XCTAssertGreaterThan((got["rectification"] as? [Any])?.count ?? 0, 100)
            XCTAssertGreaterThan((got["dataErrors"] as? [Any])?.count ?? 0, 0)
        }
    }

    // (a) Every test block of the built-in rulebooks, outcome and adjust by adjust.
    func testRulebookTestsGiveTheEnginesOutcomes() throws {
        let program = try builtinProgram()
        XCTAssertGreaterThan(program.tests.count, 10)
        let js = try Self.evaluate(["ir": try Self.irObject(program), "asOf": "2024-10-31", "mode": "tests"]) as? [[String: Any]] ?? []
        let swift = TestRunner.run(program, asOf: Self.asOf)
        XCTAssertEqual(js.count, swift.count)
        var i = 0
        for test in program.tests {
            var loader = DataLoader(program: program)
            for g in test.givens { loader.add(g, line: 0) }
            var p = program
            p.waivers = test.waivers
            let report = Engine(program: p, data: loader.dataset).run(RunOptions(asOf: Self.asOf, showAll: true, workers: 1))
            for x in test.expects {
                defer { i += 1 }
                guard i < js.count, i < swift.count else { return }
                let mine = js[i]
                XCTAssertEqual(mine["expect"] as? String, swift[i].expectation, test.title)
                XCTAssertEqual(mine["failure"] is NSNull, swift[i].failure == nil,
                               "\(test.title) \(swift[i].expectation): js \(mine["failure"] ?? "") swift \(swift[i].failure?.en ?? "held")")
                let expected: [NSDictionary] = report.results.filter { $0.rule == x.rule }.map { r in
                    ["key": r.key, "outcome": r.outcome.rawValue, "level": r.level?.rawValue ?? NSNull(),
                     "fixes": r.fixes.map { ["field": $0.field, "delta": $0.delta ?? NSNull()] as NSDictionary }] as NSDictionary
                }
                XCTAssertEqual(mine["results"] as? [NSDictionary], expected, "\(test.title) \(swift[i].expectation)")
            }
        }
    }

    /// Rules over BlockPathTests' schema, with lets, measures, messages, `when`
    /// and adjusts of fields and of a measure, so the solver is compared too.
    static func generatedRules(_ picks: [Int], when: String?, scope: String) -> String {
        let adjusts = ["adjust a up", "adjust b down", "adjust money up by 0.5 万元 \"购置\"", "adjust 值 up", "adjust n down \"核减\"", "adjust a down"]
        var s = BlockPathTests.schema + "ruleset r \"生成\" {\n  for unit_\(scope)\n  deadline within 90 days\n"
        for (i, p) in picks.enumerated() {
            s += "  rule R-\(i) \"规则\(i)\" {\n"
            if let when { s += "    \(when)\n" }
            s += "    let half = a / 2\n"
            s += "    measure 值 = half + b\n"
            s += "    measure 人均 = money / n in 元/人\n"
            s += "    \(BlockPathTests.requires[p])\n"
            if i % 3 == 0 { s += "    require 值 >= 40 else warning\n" }
            if i % 2 == 1 { s += "    require round(a / 3, 1) != 10 else info \"不为十\"\n" }
            // No `else`: 丙 has no arm, which is undefined (noMatchingArm), not a failure.
            if i == 4 { s += "    require match kind { \"甲\" => a  \"乙\" => b } >= 20\n" }
            s += "    message \"值 {值:.1}，人均 {人均}，类别 {kind}\"\n"
            // Two rules of six have adjusts (one of them two); the others fail without a remedy.
            // Fewer would compare less of the solver; more makes a debug build of the engine slow,
            // since an `up` that no amount mends is searched by doubling up to the largest Double.
            if i % 3 == 0 { s += "    \(adjusts[(p + i) % adjusts.count])\n" }
            if i == 0 { s += "    \(adjusts[(p + 1) % adjusts.count])\n" }
            s += "  }\n"
        }
        return s + "}\n"
    }

    // (c) Generated rule projects over generated records: blanks, markers, bad cells, zero denominators,
    // `match` without an arm, values on thresholds.
    func testGeneratedProjectsAgree() throws {
        _ = try Self.node()
        var g = SeededRNG(seed: 20261207)
        var records = 0
        var outcomes = Set<String>()
        var fixesFound = 0
        for round in 0..<8 {
            let picks = (0..<6).map { _ in g.int(0...(BlockPathTests.requires.count - 1)) }
            let when: String? = round % 3 == 0 ? "when n > 0" : round % 3 == 1 ? nil : "when flag"
            let scopes = ["", " where n > 20", " where kind != \"丙\"", " where a >= 0"]
            let rules = Self.generatedRules(picks, when: when, scope: scopes[round % scopes.count])
            let program = try Core.program(rules)
            let d = BlockPathTests.data(1290 + g.int(0...40), &g)
            let data = try Core.load(program, [("unit_", "unit.csv", d.units), ("item", "item.csv", d.items)])
            records += data.tables[try Core.entity(program, "unit_")].count
            let report = Engine(program: program, data: data).run(RunOptions(asOf: Self.asOf, showAll: true, workers: 1))
            let lang: Lang = round % 2 == 0 ? .zh : .en
            let swift = try Self.report(report, lang: lang)
            let js = try Self.evaluate(["ir": try Self.irObject(program), "asOf": "2024-10-31", "lang": lang == .zh ? "zh" : "en", "mode": "check",
                                   "order": ["unit_", "item"],
                                   "tables": ["unit_": ["path": "unit.csv", "csv": d.units], "item": ["path": "item.csv", "csv": d.items]]])
            Self.assertSameReport(swift, js as? [String: Any] ?? [:], "round \(round) rules \(picks)")
            for r in report.results {
                outcomes.insert(r.outcome.rawValue + (r.undefinedReason.map { " " + $0.rawValue } ?? ""))
                fixesFound += r.fixes.filter { $0.to != nil }.count
            }
        }
        // Not vacuous: enough records, every kind of outcome, and the solver answered.
        XCTAssertGreaterThanOrEqual(records, 10_000)
        for o in ["pass", "fail", "missing", "not-applicable", "undefined divisionByZero", "undefined noMatchingArm"] {
            XCTAssertTrue(outcomes.contains(o), "no \(o) among \(outcomes.sorted())")
        }
        XCTAssertGreaterThan(fixesFound, 500)
    }

    /// Aggregates whose where holds an equality the checker made no join of (`region.tier == "省"
    /// or city == region.name`, the built-in regional sums): the evaluator skips the records it
    /// rules out (docs/page-evaluator.md, Speed). Empty cities and flags (visited: their equality
    /// is missing, not false), an unknown tier or alias (nothing skipped), the guard on either
    /// side, after a join, and every kind of aggregate must give the engine's answer.
    func testAggregatesSkipTheRecordsTheirWhereRulesOut() throws {
        let rules = """
        unit 人 = 1
        entity region "地区" {
          key name : text "地区"
          tier : text "层级"
          optional other : text "别名"
          flag : bool "标志"
        }
        entity school "学校" {
          key code : text "学校标识码"
          city : text "所属市州"
          level : text "办学层次"
          students : integer 人 "在校生数"
          area : number "面积"
          flag : bool "标志"
        }
        ruleset t "汇总" {
          for region
          rule A-1 "高职" {
            measure 学校数 = count(school where level == "高职" and (region.tier == "省" or city == region.name))
            measure 面积 = sum(school.area where level == "高职" and (region.tier == "省" or city == region.name) and present(students))
            measure 平均 = avg(school.students where level == "高职" and (city == region.name or region.tier == "省"))
            measure 最大 = max(school.area where level == "高职" and (city == region.name or region.tier == "省"))
            measure 最小 = min(school.students where level == "高职" and (region.tier == "省" or region.name == city))
            measure 同标 = count(school where level == "高职" and (region.tier == "省" or flag == region.flag))
            require 学校数 >= 3
            require 面积 >= 1000 else warning
            require 平均 >= 700 else info
            require any(school where level == "高职" and (region.tier == "省" or city == region.name) and students > 1400) or 最小 >= 10
            require all(school where level != "高职" or city != region.name or students > 0)
            require 同标 >= 1 and 最大 >= 0
          }
          rule A-2 "全部" {
            measure 学校数 = count(school where region.tier == "省" or city == region.name)
            measure 面积 = sum(school.area where region.tier == "省" or city == region.name)
            measure 别名数 = count(school where region.tier == "省" or city == region.other)
            require 学校数 >= 3 and 面积 >= 0 and 别名数 >= 0
            require any(school where city == region.name and students > 1400)
          }
        }

        """
        let program = try Core.program(rules)
        var g = SeededRNG(seed: 15)
        let names = ["甲市", "乙市", "丙市", "丁市", "戊市", "己市", "庚市", "全省"]
        var region = "地区,层级,别名,标志\n"
        for (i, n) in names.enumerated() {
            let tier = n == "全省" ? "省" : i == 5 ? "" : "市州"
            let alias = i % 3 == 0 ? "" : names[(i + 1) % names.count]
            region += "\(n),\(tier),\(alias),\(i % 4 == 1 ? "" : i % 2 == 0 ? "是" : "否")\n"
        }
        var school = "学校标识码,所属市州,办学层次,在校生数,面积,标志\n"
        for i in 0..<600 {
            // Blank cells only in 中职 schools (A-2 sees them, A-1 does not), and in 甲市 also among 高职.
            let level = g.pick(["中职", "中职", "高职"]) ?? ""
            let city = level == "中职" && g.chance(0.05) ? "" : g.chance(0.05) ? "外地" : names[g.int(0...6)]
            let blanks = level == "中职" || city == "甲市"
            let students = blanks && g.chance(0.2) ? "" : String(g.int(0...1500))
            let area = blanks && g.chance(0.2) ? "" : String(format: "%.1f", g.double(0...5000))
            let flag = blanks && g.chance(0.3) ? "" : g.pick(["是", "否"]) ?? ""
            school += "S\(i),\(city),\(level),\(students),\(area),\(flag)\n"
        }
        let data = try Core.load(program, [("region", "region.csv", region), ("school", "school.csv", school)])
        let report = Engine(program: program, data: data).run(RunOptions(asOf: Self.asOf, showAll: true, workers: 1))
        let js = try Self.evaluate(["ir": try Self.irObject(program), "asOf": "2024-10-31", "lang": "zh", "mode": "check",
                                    "order": ["region", "school"],
                                    "tables": ["region": ["path": "region.csv", "csv": region], "school": ["path": "school.csv", "csv": school]]])
        Self.assertSameReport(try Self.report(report, lang: .zh), js as? [String: Any] ?? [:], "aggregates over records a where rules out")
        // Not vacuous: one region is the province, one has no tier, the others pass or fail on their schools.
        let outcomes = Set(report.results.map(\.outcome.rawValue))
        XCTAssertTrue(outcomes.contains("missing") && outcomes.count >= 2, "outcomes \(outcomes.sorted())")
    }

    // Numbers are written as JSON.numberText writes them, exponents and all.
    func testNumbersAreWrittenAsSwiftWritesThem() throws {
        var g = SeededRNG(seed: 7)
        var numbers: [Double] = [0, -0.0, 1, -1, 0.1, 1e-4, 9.99e-5, 1e-5, 1.5e-7, 123456.789, 1e15, 1e15 + 0.5, 4503599627370496.5,
                                 9007199254740992, 9007199254740994, 1e16, 1.5e16, 1e21, 1e100, 5e-324, .greatestFiniteMagnitude, 37328.39]
        for _ in 0..<2000 {
            let m = g.double(-10...10)
            numbers.append(m * Foundation.pow(10, Double(g.int(-12...20))))
            numbers.append((m * 1e6).rounded() / 1e6)
        }
        let js = try Self.evaluate(["ir": ["irVersion": 1], "mode": "numbers", "numbers": numbers]) as? [String] ?? []
        XCTAssertEqual(js.count, numbers.count)
        for (d, text) in zip(numbers, js) where text != JSON.numberText(d) {
            XCTFail("\(d): js \(text), swift \(JSON.numberText(d))")
        }
    }
}

/// Reading data as §7 does, through the evaluator: headers by name, label and
/// label with a unit in either parentheses, unit conversion, and cells as
/// people type them. The engine's data errors, notes and results are the reference.
final class EvaluatorDataTests: XCTestCase {
    static let rules = """
    unit 人 = 1
    unit 平方米 alias m2, ㎡
    unit 元
    unit 万元 = 10000 元

    entity school "学校" {
      key code        : text          "学校标识码"
      name            : text          "学校名称"
      level           : text one of ("中职", "高职")  "办学层次"
      students        : integer 人     "全日制在校生数"
      area            : number 平方米  "校舍建筑面积"
      funds           : number 万元    "教学仪器设备总值"
      share           : number        "双师型教师占比"
      public_         : bool          "是否公办"
      opened          : date          "建校日期"
      optional host   : ref enterprise "合作企业"
    }

    entity enterprise "企业" {
      key code        : text "统一社会信用代码"
      employees       : integer 人 "职工人数"
    }

    ruleset t "读取" {
      for school
      deadline 2025-06-30
      rule R-1 "生均面积" {
        measure 生均面积 = area / students in 平方米/人
        require 生均面积 >= 20 平方米/人
        adjust area up "扩建"
      }
      rule R-2 "经费" {
        when public_
        require funds >= 50 万元
        require share >= 0.3 else warning
        adjust funds up by 1 万元
        message "经费 {funds} 万元，占比 {share:.2}"
      }
      rule R-3 "建校" {
        require opened <= 2020-01-01 and year(opened) >= 1950
        require level in ("中职", "高职")
      }
      rule R-4 "企业" {
        when present(host)
        require host.employees >= 50
      }
    }

    """

    func testCellsAndHeadersAreReadAsTheLoaderReadsThem() throws {
        let program = try Core.program(Self.rules)
        // Headers: a label with its unit in full-width parentheses, a field name, 元 for a 万元 field,
        // a percent column, a header with stray spaces, an unknown column and a repeated one.
        let header = "学校标识码,name,办学层次,全日制在校生数（人）,校舍建筑面积(m2),教学仪器设备总值（元）,双师型教师占比(%),是否 公办,建校日期,合作企业,备注,学校名称\n"
        let rows = [
            "S01,甲校,中职,\"1,200\",\"30,000\",\"600,000\",35,是,2001-09-01,E1,x,重复",
            "S02,乙校,高职,１２００,２０000,１００００００,45%,否,2001/9/1,E2,,",
            "S03,丙校,中职,800,—,无,0.5,√,2001年9月1日,E3,,",
            "S04,丁校,初中,800.5,1e4,abc,N/A,有,20010901,,,",
            "S05,戊校,高职,0,100,50,30,Y,2001.9.1 0:00:00,E1,,",
            "S01,重复校,中职,1,1,1,1,是,2001-09-01,,,",
            ",无标识,中职,1,1,1,1,是,2001-09-01,,,",
            "S06,己校,高职,500,12000.5,80,29.9999999999,是,2024-02-30,9.16201E+17,,",
            "S07,庚校,中职,-,-5,1.5e3,1,false,1949-12-31,E2,,",
            "S08,辛校,中职,1000,20000,50,30,true,2001-09-01 08:00,E1,,",
            "  S09  ,　壬校　,中职,１，０００,20000,50,30,是,2019-12-31T00:00:00Z,E1,,",
            "S10,癸校,高职,1000,19999.99999999,49.9999999999,30,是,2020-01-01,E4,,",
        ]
        let school = header + rows.joined(separator: "\n") + "\n"
        let enterprise = "统一社会信用代码,职工人数\nE1,60\nE2,49\nE3,\nE1,70\n"
        let data = try Core.load(program, [("enterprise", "enterprise.csv", enterprise), ("school", "school.csv", school)])
        let report = Engine(program: program, data: data).run(RunOptions(asOf: EvaluatorTests.asOf, showAll: true, workers: 1))
        XCTAssertGreaterThan(report.dataErrors.count, 8, "the data is meant to hold many bad cells")
        let ir = try EvaluatorTests.irObject(program)
        for lang in [Lang.zh, .en] {
            let swift = try EvaluatorTests.report(report, lang: lang)
            let js = try EvaluatorTests.evaluate(["ir": ir, "asOf": "2024-10-31", "lang": lang == .zh ? "zh" : "en", "mode": "check",
                                                   "order": ["enterprise", "school"],
                                                   "tables": ["enterprise": ["path": "enterprise.csv", "csv": enterprise],
                                                              "school": ["path": "school.csv", "csv": school]]])
            EvaluatorTests.assertSameReport(swift, js as? [String: Any] ?? [:], "data (\(lang))")
        }
    }

    func testAMissingRequiredColumnIsNamedWithAHint() throws {
        let program = try Core.program(Self.rules)
        let school = "学校标识码,学校名称,办学层次,全日制在校生数,校舍建筑面积,教学仪器设备总值,双师型教师占比,是否公办,建校日其\nS1,甲,中职,1,1,1,1,是,2001-01-01\n"
        let data = try Core.load(program, [("school", "school.csv", school)])
        let report = Engine(program: program, data: data).run(RunOptions(asOf: EvaluatorTests.asOf, showAll: true, workers: 1))
        XCTAssertTrue(report.dataErrors.contains { $0.reason.zh.contains("建校日其") }, "the hint names the near column")
        let js = try EvaluatorTests.evaluate(["ir": try EvaluatorTests.irObject(program), "asOf": "2024-10-31", "lang": "zh", "mode": "check",
                                               "tables": ["school": ["path": "school.csv", "csv": school]]])
        EvaluatorTests.assertSameReport(try EvaluatorTests.report(report, lang: .zh), js as? [String: Any] ?? [:], "missing column")
    }

    /// Text as Swift compares it: canonical equivalence, code-point order (not UTF-16's, which puts
    /// U+1xxxx before U+Exxx), and characters as grapheme clusters. `field == "literal"`, keys and
    /// joins are left out: the engine matches those by UTF-8 bytes (docs/page-evaluator.md).
    func testTextComparesAsSwiftStringsDo() throws {
        let rules = """
        entity p "人" {
          key code : text "编号"
          name     : text "名称"
        }
        ruleset t "文本" {
          for p
          rule T-1 "非空" { require name != "" }
          rule T-2 "长度" { require len(name) <= 2 }
          rule T-3 "包含" { require contains(name, "é") or starts_with(name, "𠀀") }
          rule T-4 "相等" { require name in ("café", "e\u{301}", "한") }
        }

        """
        let program = try Core.program(rules)
        // Keys too: results are sorted by key as Swift sorts strings.
        let csv = "编号,名称\n\u{E001},café\n𠀀,cafe\u{301}\nb,𠀀\nca\u{308},\u{E001}\ncä1,e\u{301}\ncz,한\n\u{FB01},\u{1112}\u{1161}\u{11AB}\nfi,👍🏽x\n"
        let data = try Core.load(program, [("p", "p.csv", csv)])
        let report = Engine(program: program, data: data).run(RunOptions(asOf: EvaluatorTests.asOf, showAll: true, workers: 1))
        XCTAssertEqual(report.results.filter { $0.rule == "T-1" }.map(\.key), ["b", "cz", "ca\u{308}", "cä1", "fi", "\u{E001}", "\u{FB01}", "𠀀"],
                       "code points after canonical equivalence: U+E001 before U+FB01 before U+20000")
        let js = try EvaluatorTests.evaluate(["ir": try EvaluatorTests.irObject(program), "asOf": "2024-10-31", "lang": "zh", "mode": "check",
                                             "tables": ["p": ["path": "p.csv", "csv": csv]]])
        EvaluatorTests.assertSameReport(try EvaluatorTests.report(report, lang: .zh), js as? [String: Any] ?? [:], "text")
    }

    /// Cells a sheet gives typed: a number or a boolean goes to the evaluator as one, and is read
    /// as the engine reads an XLSX number cell (numbers scaled as they are, 1/0 as booleans, a
    /// number in a date field as a 1900-system serial, a code of 15 digits or more refused).
    func testTypedSheetCellsAreReadAsTheXLSXLoaderReadsThem() throws {
        let program = try Core.program(Self.rules)
        typealias C = XLSXWriter.Cell
        func t(_ s: String) -> C { C(s, .general) }
        func n(_ d: String) -> C { C(d, .general, number: true) }
        let header = ["学校标识码", "学校名称", "办学层次", "全日制在校生数（人）", "校舍建筑面积", "教学仪器设备总值（元）",
                      "双师型教师占比(%)", "是否公办", "建校日期", "合作企业"].map(t)
        let rows: [[C]] = [
            [n("6262100001"), t("甲"), t("中职"), n("1200"), n("30000.5"), n("600000"), n("35"), n("1"), n("37135"), n("12345")],
            [t("S02"), t("乙"), t("高职"), n("12.5"), t("2,000"), n("1000000"), n("0.45"), n("2"), n("60"), n("10000000000000000")],
            [n("1000000000000000"), t("丙"), t("中职"), n("1"), n("1"), n("1"), n("1"), n("1"), n("37135"), t("")],
            [t("S04"), t("丁"), t("中职"), n("0"), n("100"), n("50"), n("30"), n("0"), n("45000.5"), t("E1")],
            [t("S05"), t("戊"), t("高职"), n("500"), n("20000"), n("800000"), n("30"), t("是"), n("0"), t("12345")],
        ]
        var writer = XLSXWriter()
        writer.sheets = [.init(name: "school", rows: [header] + rows)]
        let bytes = try writer.write()
        let enterprise = "统一社会信用代码,职工人数\n12345,60\nE1,40\n"
        var loader = DataLoader(program: program)
        try loader.load(bytes: Array(enterprise.utf8), spec: InputSpec(entity: try Core.entity(program, "enterprise"), path: "enterprise.csv"))
        try loader.load(bytes: bytes, spec: InputSpec(entity: try Core.entity(program, "school"), path: "school.xlsx", sheet: "school"))
        let report = Engine(program: program, data: loader.dataset).run(RunOptions(asOf: EvaluatorTests.asOf, showAll: true, workers: 1))
        XCTAssertGreaterThanOrEqual(report.dataErrors.count, 6, "the sheet is meant to hold typed cells the loader refuses")
        // Cells by position: run.js makes the objects with the headers in sheet order, as the page does.
        let cells: [[Any]] = rows.map { row in row.map { c in c.isNumber ? (Double(c.text) ?? 0) as Any : c.text as Any } }
        let js = try EvaluatorTests.evaluate(["ir": try EvaluatorTests.irObject(program), "asOf": "2024-10-31", "lang": "zh", "mode": "check",
                                             "order": ["enterprise", "school"],
                                             "tables": ["enterprise": ["path": "enterprise.csv", "csv": enterprise]],
                                             "objects": ["school": ["path": "school.xlsx#school", "header": header.map(\.text), "rows": cells]]])
        EvaluatorTests.assertSameReport(try EvaluatorTests.report(report, lang: .zh), js as? [String: Any] ?? [:], "typed cells")
    }
}
