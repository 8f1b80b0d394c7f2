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
        XCTAssertEqual(rules.map { $0["id"] as? String ?? "" }, ["GZ-01", "ZZ-01", "ZZ-02", "ZZ-03"])
        XCTAssertEqual((rules[2]["shortDescription"] as? [String: Any])?["text"] as? String, "生均校舍建筑面积")
        XCTAssertEqual((rules[2]["help"] as? [String: Any])?["text"] as? String, ReportFixtures.areaCite)

        // fail ×2, waived (suppressed), missing and undefined (open).
        let results = try XCTUnwrap(run["results"] as? [[String: Any]])
        XCTAssertEqual(results.count, 5)
        XCTAssertEqual(results.map { $0["ruleId"] as? String ?? "" }, ["GZ-01", "ZZ-01", "ZZ-02", "ZZ-03", "ZZ-03"])
        XCTAssertEqual(results.map { $0["level"] as? String ?? "" }, ["none", "error", "error", "warning", "none"])
        XCTAssertEqual(results.map { $0["kind"] as? String ?? "" }, ["open", "fail", "fail", "fail", "open"])
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
        XCTAssertEqual(rules.map { $0["id"] as? String ?? "" }, ["zz_basic/ZZ-02", "other/ZZ-02"])
        let results = try XCTUnwrap(run["results"] as? [[String: Any]])
        XCTAssertEqual(results.map { $0["ruleId"] as? String ?? "" }, ["zz_basic/ZZ-02", "other/ZZ-02"])
        // No source path: a logical location only.
        let first = try XCTUnwrap((results.first?["locations"] as? [[String: Any]])?.first)
        XCTAssertNil(first["physicalLocation"])
        XCTAssertNotNil(first["logicalLocations"])
    }

    func testURIs() {
        XCTAssertEqual(SARIFReport.uri("data/a b.csv"), "data/a%20b.csv")
        XCTAssertEqual(SARIFReport.uri("/abs/x.csv"), "file:///abs/x.csv")
        XCTAssertEqual(SARIFReport.uri("C:\\d\\x.csv"), "file:///C:/d/x.csv")
        XCTAssertEqual(SARIFReport.uri("a#b?.csv"), "a%23b%3F.csv")
    }
}
