import XCTest
@testable import DabiaoCore

/// An undefined result says why: division by zero, overflow, or a `match`
/// with no arm, in every report and in `explain`.
final class UndefinedReasonTests: XCTestCase {
    static let rules = Core.schoolRules("""
      rule U-1 "生师比" {
        measure 生师比 = students / teachers
        require 生师比 <= 20
      }
      rule U-2 "面积" {
        require building_area * building_area >= 0 m2 * m2
      }
      rule U-3 "分类上限" {
        let 上限 = match category {
          "工科类" => 20
          "财经类" => 25
        }
        require students / teachers <= 上限
      }
    """)

    /// A: no teachers; B: an area of 10²⁰⁰ m², whose square overflows; C: a
    /// category the match does not list; D: computes.
    static let csv = Core.schoolHeader
        + Core.schoolRow("A", category: "工科类", teachers: "0")
        + Core.schoolRow("B", category: "工科类", area: "1" + String(repeating: "0", count: 200))
        + Core.schoolRow("C", category: "农林类")
        + Core.schoolRow("D", category: "财经类")

    func report() throws -> Report { try Core.check(Self.rules, csv: Self.csv) }

    func testEachUndefinedResultCarriesItsCause() throws {
        let r = try report()
        func reason(_ rule: String, _ key: String) -> UndefinedReason? {
            guard let x = Core.result(r, rule, key) else { return nil }
            XCTAssertEqual(x.outcome, .undefined, "\(rule) \(key)")
            return x.undefinedReason
        }
        XCTAssertEqual(reason("U-1", "A"), .divisionByZero)
        XCTAssertEqual(reason("U-3", "A"), .divisionByZero)
        XCTAssertEqual(reason("U-2", "B"), .overflow)
        XCTAssertEqual(reason("U-3", "C"), .noMatchingArm)
        for x in r.results where x.key == "D" {
            XCTAssertNotEqual(x.outcome, .undefined, x.rule)
            XCTAssertNil(x.undefinedReason, x.rule)
        }
        XCTAssertEqual(r.summary.undefined, 4)
    }

    func testReportsNameTheCause() throws {
        let r = try report()
        let text = TextReport.render(r, lang: .zh)
        XCTAssertTrue(text.contains("无法计算：除以零"), text)
        XCTAssertTrue(text.contains("无法计算：数值溢出"), text)
        XCTAssertTrue(text.contains("无法计算：match 没有与该值对应的分支，也没有 else"), text)
        XCTAssertTrue(TextReport.render(r, lang: .en).contains("undefined: division by zero"))

        let json = Core.json(String(decoding: JSONReport.renderBytes(r, lang: .en), as: UTF8.self))
        let results = try XCTUnwrap(json["results"] as? [[String: Any]])
        let reasons = results.compactMap { x -> String? in
            guard let why = x["undefinedReason"] as? String else { return nil }
            return "\(x["rule"] ?? "")/\(x["key"] ?? "")=\(why)"
        }.sorted()
        XCTAssertEqual(reasons, ["U-1/A=divisionByZero", "U-2/B=overflow", "U-3/A=divisionByZero", "U-3/C=noMatchingArm"])
        // A result that is not undefined has no such key.
        XCTAssertTrue(results.filter { ($0["key"] as? String) == "D" }.allSatisfy { $0["undefinedReason"] == nil })

        XCTAssertTrue(JUnitReport.render(r, lang: .zh).contains("无法计算：数值溢出"))
        XCTAssertTrue(SARIFReport.render(r, lang: .zh).contains("\"undefinedReason\""))
        XCTAssertTrue(CSVReport.render(r, lang: .zh).contains("无法计算：match 没有与该值对应的分支"))
    }

    func testExplainSaysWhichCause() throws {
        let p = try Core.program(Self.rules)
        let engine = Engine(program: p, data: try Core.load(p, Self.csv))
        let a = try XCTUnwrap(engine.explain(rule: "U-1", key: "A", asOf: Core.asOf, lang: .zh))
        XCTAssertTrue(a.contains("结果：无法计算（除以零）"), a)
        XCTAssertFalse(a.contains("数值溢出"), a)
        let c = try XCTUnwrap(engine.explain(rule: "U-3", key: "C", asOf: Core.asOf, lang: .en))
        XCTAssertTrue(c.contains("the match has no arm for the value and no else"), c)
        XCTAssertFalse(c.contains("division by zero"), c)
    }
}
