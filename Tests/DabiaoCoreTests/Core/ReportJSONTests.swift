import XCTest
@testable import DabiaoCore

/// The JSON report of cli.md: field names, nulls, order, determinism; and `TestRunner`.
final class ReportJSONTests: XCTestCase {
    static let rules = Core.schoolRules("""
      deadline within 180 days
      owner "学校"
      rule ZZ-01 "生师比不高于20:1" {
        when students > 0 and teachers > 0
        measure 生师比 = students / teachers
        require 生师比 <= 20
        adjust teachers up "补充专任教师"
        adjust students down "核减招生规模"
        cite "教职成〔2010〕12号 第五条"
        message "生师比 {生师比}:1，高于 20:1"
      }
      rule ZZ-02 "生均校舍建筑面积不低于20平方米" {
        when students > 0
        measure 生均校舍建筑面积 = building_area / students
        require 生均校舍建筑面积 >= 20 平方米/人
        adjust building_area up "新建、改扩建或租用校舍"
      }
    """) + """
    waive ZZ-02 for school "6262000001" until 2025-06-30 because "新校区在建"

    """

    func report(showAll: Bool = true, workers: Int = 1) throws -> (Report, String) {
        let p = try Core.program(Self.rules)
        let data = try Core.load(p, DataLoadingTests.exampleCSV)
        var r = Engine(program: p, data: data).run(RunOptions(asOf: Core.asOf, showAll: showAll, workers: workers))
        r.rulesFiles = Pipeline.rulesFiles(p.files)
        return (r, JSONReport.render(r, lang: .zh))
    }

    func keys(_ o: Any?) -> Set<String> {
        Set((o as? [String: Any])?.keys.map { $0 } ?? [])
    }

    func assertHasKeys(_ o: Any?, _ expected: [String], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let got = keys(o)
        let missing = Set(expected).subtracting(got)
        XCTAssertTrue(missing.isEmpty, "\(what) lacks \(missing.sorted()); has \(got.sorted())", file: file, line: line)
    }

    func testTopLevelAndNestedFieldNamesOfCliMd() throws {
        let (_, text) = try report()
        let top = Core.json(text)
        assertHasKeys(top, ["tool", "version", "asOf", "rulesets", "inputs", "rulesFiles", "summary", "results",
                            "rectification", "dataErrors", "waivers"], "report")
        XCTAssertEqual(top["tool"] as? String, "dabiao")
        XCTAssertEqual(top["version"] as? String, dabiaoVersion)
        XCTAssertEqual(top["asOf"] as? String, "2024-10-31")

        let rulesets = try XCTUnwrap(top["rulesets"] as? [[String: Any]])
        assertHasKeys(rulesets.first, ["id", "title", "version", "source"], "rulesets[0]")
        XCTAssertEqual(rulesets.first?["id"] as? String, "t")

        let inputs = try XCTUnwrap(top["inputs"] as? [[String: Any]])
        assertHasKeys(inputs.first, ["entity", "path", "records", "rejected", "sha256"], "inputs[0]")
        XCTAssertEqual(inputs.first?["records"] as? Int, 4)
        XCTAssertEqual((inputs.first?["sha256"] as? String)?.count, 64)

        let rulesFiles = try XCTUnwrap(top["rulesFiles"] as? [[String: Any]])
        assertHasKeys(rulesFiles.first, ["path", "sha256"], "rulesFiles[0]")

        let summary = try XCTUnwrap(top["summary"] as? [String: Any])
        XCTAssertEqual(keys(summary), ["results", "pass", "fail", "waived", "notApplicable", "missing", "undefined", "byLevel"])
        XCTAssertEqual(keys(summary["byLevel"]), ["error", "warning", "info"])

        let results = try XCTUnwrap(top["results"] as? [[String: Any]])
        let resultKeys = ["ruleset", "rule", "title", "entity", "key", "name", "outcome", "level", "measures", "message",
                          "cite", "missingFields", "fixes", "source"]
        for r in results { assertHasKeys(r, resultKeys, "result \(r["rule"] ?? "?")/\(r["key"] ?? "?")") }
        let measures = try XCTUnwrap(results.first?["measures"] as? [[String: Any]])
        XCTAssertEqual(keys(measures.first), ["name", "value", "unit"])
        XCTAssertEqual(keys(results.first?["source"]), ["path", "line"])

        let dataErrors = try XCTUnwrap(top["dataErrors"] as? [[String: Any]])
        XCTAssertEqual(dataErrors.count, 1)
        XCTAssertEqual(keys(dataErrors.first), ["path", "line", "column", "value", "reason"])
        XCTAssertEqual(dataErrors.first?["line"] as? Int, 5)
        XCTAssertEqual(dataErrors.first?["column"] as? String, "全日制在校生数")
        XCTAssertEqual(dataErrors.first?["value"] as? String, "约100")

        let waivers = try XCTUnwrap(top["waivers"] as? [[String: Any]])
        XCTAssertEqual(keys(waivers.first), ["rule", "entity", "key", "until", "reason", "status"])
        XCTAssertEqual(waivers.first?["until"] as? String, "2025-06-30")
    }

    func testFailedResultCarriesLevelMeasuresMessageCiteAndSource() throws {
        let (_, text) = try report()
        let results = try XCTUnwrap(Core.json(text)["results"] as? [[String: Any]])
        let r = try XCTUnwrap(results.first { $0["rule"] as? String == "ZZ-01" && $0["key"] as? String == "6262000001" })
        XCTAssertEqual(r["outcome"] as? String, "fail")
        XCTAssertEqual(r["level"] as? String, "error")
        XCTAssertEqual(r["entity"] as? String, "school")
        XCTAssertEqual(r["name"] as? String, "甲职业中专")
        XCTAssertEqual(r["title"] as? String, "生师比不高于20:1")
        XCTAssertEqual(r["message"] as? String, "生师比 24:1，高于 20:1")
        XCTAssertEqual(r["cite"] as? String, "教职成〔2010〕12号 第五条")
        let m = try XCTUnwrap((r["measures"] as? [[String: Any]])?.first)
        XCTAssertEqual(m["name"] as? String, "生师比")
        XCTAssertEqual(m["value"] as? Double, 24)
        XCTAssertEqual(m["unit"] as? String, "")
        let source = try XCTUnwrap(r["source"] as? [String: Any])
        XCTAssertEqual(source["path"] as? String, "school.csv")
        XCTAssertEqual(source["line"] as? Int, 2)
    }

    func testUnknownValuesAreNullNotZero() throws {
        let (_, text) = try report()
        let results = try XCTUnwrap(Core.json(text)["results"] as? [[String: Any]])
        let r = try XCTUnwrap(results.first { $0["rule"] as? String == "ZZ-02" && $0["key"] as? String == "6262000004" })
        XCTAssertEqual(r["outcome"] as? String, "missing")
        XCTAssertTrue(r["level"] is NSNull, "\(String(describing: r["level"]))")
        XCTAssertEqual(r["missingFields"] as? [String], ["students"])
        // The when is missing, so the measure is unknown: null.
        if let m = (r["measures"] as? [[String: Any]])?.first {
            XCTAssertTrue(m["value"] is NSNull, "\(String(describing: m["value"]))")
        }
        let passing = try XCTUnwrap(results.first { $0["rule"] as? String == "ZZ-02" && $0["key"] as? String == "6262000002" })
        XCTAssertTrue(passing["message"] is NSNull)
    }

    func testResultsAreSortedByRulesetRuleKey() throws {
        let (r, _) = try report()
        let order = r.results.map { "\($0.ruleset)|\($0.rule)|\($0.key)" }
        XCTAssertEqual(order, order.sorted())
        XCTAssertEqual(r.results.count, 6, "3 中职 schools × 2 rules; the 高职 school is not selected")
    }

    func testWaivedResultAndSummaryInJSON() throws {
        let (_, text) = try report()
        let top = Core.json(text)
        let results = try XCTUnwrap(top["results"] as? [[String: Any]])
        let w = try XCTUnwrap(results.first { $0["rule"] as? String == "ZZ-02" && $0["key"] as? String == "6262000001" })
        XCTAssertEqual(w["outcome"] as? String, "waived")
        let summary = try XCTUnwrap(top["summary"] as? [String: Any])
        XCTAssertEqual(summary["results"] as? Int, 6)
        XCTAssertEqual(summary["pass"] as? Int, 2)
        XCTAssertEqual(summary["fail"] as? Int, 1)
        XCTAssertEqual(summary["missing"] as? Int, 2)
        XCTAssertEqual(summary["waived"] as? Int, 1)
        let byLevel = try XCTUnwrap(summary["byLevel"] as? [String: Any])
        XCTAssertEqual(byLevel["error"] as? Int, summary["fail"] as? Int)
        let total = ["pass", "fail", "waived", "notApplicable", "missing", "undefined"].compactMap { summary[$0] as? Int }.reduce(0, +)
        XCTAssertEqual(total, 6)
    }

    func testShowFailuresKeepsSummaryButDropsPassingResults() throws {
        let (all, _) = try report(showAll: true)
        let (failures, _) = try report(showAll: false)
        XCTAssertEqual(failures.summary, all.summary)
        XCTAssertTrue(failures.results.allSatisfy { $0.outcome != .pass && $0.outcome != .notApplicable })
        XCTAssertEqual(failures.results.count, all.results.filter { $0.outcome != .pass && $0.outcome != .notApplicable }.count)
    }

    func testRectificationAndFixFieldNames() throws {
        let (_, text) = try report()
        let top = Core.json(text)
        let rect = try XCTUnwrap(top["rectification"] as? [[String: Any]])
        let item = try XCTUnwrap(rect.first { $0["key"] as? String == "6262000001" }, "no rectification for the failing school: \(rect)")
        assertHasKeys(item, ["entity", "key", "name", "owner", "deadline", "changes", "passesAfter", "stillFailing"], "rectification[0]")
        XCTAssertEqual(item["deadline"] as? String, "2025-04-29", "2024-10-31 within 180 days")
        XCTAssertEqual(item["owner"] as? String, "学校")
        let change = try XCTUnwrap((item["changes"] as? [[String: Any]])?.first)
        assertHasKeys(change, ["field", "from", "to", "delta", "unit", "rules", "action"], "changes[0]")
        let results = try XCTUnwrap(top["results"] as? [[String: Any]])
        let failed = try XCTUnwrap(results.first { $0["rule"] as? String == "ZZ-01" && $0["key"] as? String == "6262000001" })
        let fix = try XCTUnwrap((failed["fixes"] as? [[String: Any]])?.first, "a failed result lists its fixes")
        assertHasKeys(fix, ["field", "from", "to", "delta", "unit", "action"], "fixes[0]")
        // 2400 students need 120 teachers for 20:1; the school has 100.
        XCTAssertEqual(fix["field"] as? String, "teachers")
        XCTAssertEqual(fix["from"] as? Double, 100)
        XCTAssertEqual(fix["to"] as? Double, 120)
        XCTAssertEqual(fix["delta"] as? Double, 20)
    }

    // MARK: determinism

    func testTwoRunsGiveByteIdenticalJSON() throws {
        let (_, a) = try report()
        let (_, b) = try report()
        XCTAssertEqual(a, b)
    }

    func testWorkerCountDoesNotChangeTheReport() throws {
        let p = try Core.program(Self.rules)
        var rng = SeededRNG(seed: 7)
        var csv = Core.schoolHeader
        for i in 0..<5000 {
            let students = rng.next() % 5 == 0 ? "" : String(rng.next() % 3000)
            let teachers = String(rng.next() % 150)
            let area = String(rng.next() % 80000)
            // Keys in an order unlike their sort order, so sorting is exercised.
            csv += Core.schoolRow(String(format: "K%05d", (i * 7919) % 5000), students: students, teachers: teachers, area: area)
        }
        let data = try Core.load(p, csv)
        XCTAssertEqual(data.tables[0].count, 5000)
        let engine = Engine(program: p, data: data)
        let one = JSONReport.render(engine.run(RunOptions(asOf: Core.asOf, showAll: true, workers: 1)))
        let two = JSONReport.render(engine.run(RunOptions(asOf: Core.asOf, showAll: true, workers: 2)))
        let four = JSONReport.render(engine.run(RunOptions(asOf: Core.asOf, showAll: true, workers: 4)))
        XCTAssertEqual(one.count, two.count)
        XCTAssertTrue(one == two, "workers 1 and 2 differ")
        XCTAssertTrue(one == four, "workers 1 and 4 differ")
        let summary = try XCTUnwrap(Core.json(one)["summary"] as? [String: Any])
        XCTAssertEqual(summary["results"] as? Int, 10_000)
    }

    // MARK: TestRunner

    func testTestRunnerReportsPassingAndFailingExpectations() throws {
        let rules = Self.rules + """
        test "生师比超标的学校不合格" {
          given school { code "T1" name "测试" city "兰州市" level "中职" category "工科类" students 2400 teachers 100
                         building_area 60000 equipment_value 900 }
          expect ZZ-01 fail error
          expect ZZ-02 pass
          expect ZZ-01 pass
          expect ZZ-02 fail warning
        }
        test "教师缺失" {
          given school { code "T2" name "测试" city "兰州市" level "中职" category "工科类" students 2400
                         building_area 60000 equipment_value 900 }
          expect ZZ-01 missing
          expect ZZ-02 pass
        }
        """
        let p = try Core.program(rules)
        let outcomes = TestRunner.run(p, asOf: Core.asOf)
        XCTAssertEqual(outcomes.count, 6)
        let failed = outcomes.filter { $0.failure != nil }
        XCTAssertEqual(failed.map(\.expectation), ["ZZ-01 pass", "ZZ-02 fail warning"])
        XCTAssertTrue(failed.first?.failure?.en.contains("got fail error") == true, "\(failed.first?.failure?.en ?? "")")
        XCTAssertEqual(outcomes.filter { $0.failure == nil }.map(\.expectation), ["ZZ-01 fail error", "ZZ-02 pass", "ZZ-01 missing", "ZZ-02 pass"])
        // The failing expectation points at its own line.
        let file = p.files[0]
        let line = try XCTUnwrap(failed.first.map { file.location(of: $0.range.start).line })
        XCTAssertTrue(file.lineText(line).contains("expect ZZ-01 pass"), file.lineText(line))
    }

    func testTestRunnerChecksAdjustExpectations() throws {
        let rules = Self.rules + """
        test "补充教师" {
          given school { code "T1" name "测试" city "兰州市" level "中职" category "工科类" students 2400 teachers 100
                         building_area 60000 equipment_value 900 }
          expect ZZ-01 adjust teachers +20
          expect ZZ-01 adjust teachers +19
        }
        """
        let p = try Core.program(rules)
        let outcomes = TestRunner.run(p, asOf: Core.asOf)
        XCTAssertEqual(outcomes.map { $0.failure == nil }, [true, false], "\(outcomes.map { $0.failure?.en ?? "ok" })")
    }
}
