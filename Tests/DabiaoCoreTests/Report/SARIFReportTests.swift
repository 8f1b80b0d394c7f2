import XCTest
@testable import DabiaoCore

final class SARIFReportTests: XCTestCase {
    func parse(_ s: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(s.utf8)) as? [String: Any])
    }

    func testStructureAndCounts() throws {
        let r = ReportFixtures.report()
        let doc = try parse(SARIFReport.render(r, lang: .zh))
        XCTAssertEqual(doc["version"] as? String, "2.1.0")
        XCTAssertEqual(doc["$schema"] as? String, SARIFReport.schemaURI)
        let runs = try XCTUnwrap(doc["runs"] as? [[String: Any]])
        XCTAssertEqual(runs.count, 1)
        let run = try XCTUnwrap(runs.first)
        let driver = try XCTUnwrap((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        XCTAssertEqual(driver["name"] as? String, "dabiao")
        XCTAssertEqual(driver["version"] as? String, dabiaoVersion)
        let rules = try XCTUnwrap(driver["rules"] as? [[String: Any]])
        // The fixture's rules, then the two rules of data problems.
        XCTAssertEqual(rules.map { $0["id"] as? String ?? "" }, ["GZ-01", "ZZ-01", "ZZ-02", "ZZ-03", "DATA-CELL", "DATA-REJECTED"])
        XCTAssertEqual((rules[2]["shortDescription"] as? [String: Any])?["text"] as? String, "生均校舍建筑面积")
        let help = try XCTUnwrap(rules[2]["help"] as? [String: Any])
        XCTAssertEqual(help["text"] as? String, ReportFixtures.areaCite)
        let markdown = try XCTUnwrap(help["markdown"] as? String)
        XCTAssertTrue(markdown.hasPrefix("**ZZ-02 生均校舍建筑面积**\n\n依据："), markdown)

        // fail ×2, waived (suppressed), missing and undefined (warnings), the data error.
        let results = try XCTUnwrap(run["results"] as? [[String: Any]])
        XCTAssertEqual(results.count, 6)
        XCTAssertEqual(results.map { $0["ruleId"] as? String ?? "" }, ["GZ-01", "ZZ-01", "ZZ-02", "ZZ-03", "ZZ-03", "DATA-CELL"])
        XCTAssertEqual(results.map { $0["level"] as? String ?? "" }, ["warning", "error", "error", "warning", "warning", "warning"])
        XCTAssertEqual(results.map { $0["kind"] as? String ?? "" }, Array(repeating: "fail", count: 6))
        XCTAssertEqual(results.map { ($0["properties"] as? [String: Any])?["outcome"] as? String ?? "data" },
                       ["missing", "waived", "fail", "fail", "undefined", "data"])
        let data = try XCTUnwrap(results.last)
        XCTAssertEqual(((data["message"] as? [String: Any])?["text"] as? String), "samples/学校 data.csv:6 列「专任教师数」的值“约100”：不是数字")
        let dataLoc = try XCTUnwrap((data["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        XCTAssertEqual((dataLoc["region"] as? [String: Any])?["startLine"] as? Int, 6)
        for res in results {
            let idx = try XCTUnwrap(res["ruleIndex"] as? Int)
            XCTAssertEqual(rules[idx]["id"] as? String, res["ruleId"] as? String)
        }
        let suppressed = results.filter { $0["suppressions"] != nil }
        XCTAssertEqual(suppressed.count, 1)
        let fail = results[2]
        let text = try XCTUnwrap((fail["message"] as? [String: Any])?["text"] as? String)
        XCTAssertTrue(text.hasPrefix("ZZ-02 生均校舍建筑面积（6262000001 兰州市第一中等职业学校）：生均校舍建筑面积 15.2"))
        let loc = try XCTUnwrap((fail["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        XCTAssertEqual((loc["artifactLocation"] as? [String: Any])?["uri"] as? String, "samples/%E5%AD%A6%E6%A0%A1%20data.csv")
        XCTAssertEqual((loc["region"] as? [String: Any])?["startLine"] as? Int, 2)
    }

    func testDuplicateCodesAcrossRulesetsGetQualifiedIDs() throws {
        var a = ReportFixtures.results[4]
        var b = a
        b.ruleset = "other"
        a.sourcePath = nil
        let doc = try parse(SARIFReport.render(ReportFixtures.report(results: [a, b]), lang: .en))
        let run = try XCTUnwrap((doc["runs"] as? [[String: Any]])?.first)
        let rules = try XCTUnwrap(((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        XCTAssertEqual(rules.map { $0["id"] as? String ?? "" }, ["zz_basic/ZZ-02", "other/ZZ-02", "DATA-CELL", "DATA-REJECTED"])
        let results = try XCTUnwrap(run["results"] as? [[String: Any]])
        XCTAssertEqual(results.map { $0["ruleId"] as? String ?? "" }, ["zz_basic/ZZ-02", "other/ZZ-02", "DATA-CELL"])
        // No source path: a logical location only.
        let first = try XCTUnwrap((results.first?["locations"] as? [[String: Any]])?.first)
        XCTAssertNil(first["physicalLocation"])
        XCTAssertNotNil(first["logicalLocations"])
    }

    /// Past `maxResults` the most severe results stay (errors first, in their
    /// order), and the run says how many of each kind were left out.
    func testMaxResultsKeepsTheMostSevereAndSaysWhatWasLeftOut() throws {
        let doc = try parse(SARIFReport.render(ReportFixtures.report(), lang: .en, maxResults: 3))
        let run = try XCTUnwrap((doc["runs"] as? [[String: Any]])?.first)
        let results = try XCTUnwrap(run["results"] as? [[String: Any]])
        // The failing error ZZ-02, then the first two warnings (GZ-01 missing, ZZ-03), in report order;
        // the undefined ZZ-03, the data error and the waived ZZ-01 are left out.
        XCTAssertEqual(results.map { $0["ruleId"] as? String ?? "" }, ["GZ-01", "ZZ-02", "ZZ-03"])
        let omitted = try XCTUnwrap((run["properties"] as? [String: Any])?["omittedResults"] as? [String: Any])
        XCTAssertEqual(omitted["total"] as? Int, 3)
        XCTAssertEqual(omitted["warning"] as? Int, 2)
        XCTAssertEqual(omitted["waived"] as? Int, 1)
        let note = try XCTUnwrap(((run["invocations"] as? [[String: Any]])?.first?["toolExecutionNotifications"] as? [[String: Any]])?.first)
        XCTAssertTrue(((note["message"] as? [String: Any])?["text"] as? String ?? "").contains("6 results exceed the limit of 3"))
        // Under the limit nothing is said.
        let all = try parse(SARIFReport.render(ReportFixtures.report(), lang: .en, maxResults: 6))
        let allRun = try XCTUnwrap((all["runs"] as? [[String: Any]])?.first)
        XCTAssertNil(allRun["invocations"])
        XCTAssertNil((allRun["properties"] as? [String: Any])?["omittedResults"])
    }

    /// A finding keeps its fingerprint when its row moves.
    func testFingerprintsDoNotDependOnTheLine() throws {
        var moved = ReportFixtures.report()
        moved.results = moved.results.map { var x = $0; x.sourceLine = (x.sourceLine ?? 0) + 10; return x }
        moved.dataErrors = moved.dataErrors.map { var e = $0; e.line = (e.line ?? 0) + 10; return e }
        func prints(_ r: Report) throws -> [String] {
            let run = try XCTUnwrap((try parse(SARIFReport.render(r, lang: .zh))["runs"] as? [[String: Any]])?.first)
            return try XCTUnwrap(run["results"] as? [[String: Any]]).map { "\($0["partialFingerprints"] ?? "")" }
        }
        XCTAssertEqual(try prints(ReportFixtures.report()), try prints(moved))
    }

    func testURIs() {
        XCTAssertEqual(SARIFReport.uri("data/a b.csv"), "data/a%20b.csv")
        XCTAssertEqual(SARIFReport.uri("/abs/x.csv"), "file:///abs/x.csv")
        XCTAssertEqual(SARIFReport.uri("C:\\d\\x.csv"), "file:///C:/d/x.csv")
        XCTAssertEqual(SARIFReport.uri("a#b?.csv"), "a%23b%3F.csv")
    }
}
