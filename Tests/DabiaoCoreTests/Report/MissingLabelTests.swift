import XCTest
@testable import DabiaoCore

/// Reports for people name a missing field by its label; the JSON keeps the
/// field name and adds the label beside it.
final class MissingLabelTests: XCTestCase {
    func testMissingFieldsAreNamedByLabel() throws {
        let rules = Core.schoolRules("""
          rule L-1 "面积" {
            require building_area / students >= 20 平方米/人
          }
        """)
        let csv = Core.schoolHeader + Core.schoolRow("A", area: "")
        let r = try Core.check(rules, csv: csv)
        let x = try XCTUnwrap(Core.result(r, "L-1", "A"))
        XCTAssertEqual(x.missingFields, ["building_area"])
        XCTAssertEqual(x.missingLabels.map { $0.text(.zh) }, ["校舍建筑面积"])
        let text = TextReport.render(r, lang: .zh)
        XCTAssertTrue(text.contains("缺失：校舍建筑面积"), text)
        XCTAssertFalse(text.contains("building_area"), text)
        XCTAssertTrue(CSVReport.render(r, lang: .zh).contains("校舍建筑面积"))
        XCTAssertFalse(JUnitReport.render(r, lang: .zh).contains("building_area"))
        let json = Core.json(String(decoding: JSONReport.renderBytes(r, lang: .zh), as: UTF8.self))
        let result = try XCTUnwrap((json["results"] as? [[String: Any]])?.first { ($0["key"] as? String) == "A" })
        XCTAssertEqual(result["missingFields"] as? [String], ["building_area"])
        XCTAssertEqual(result["missingLabels"] as? [String], ["校舍建筑面积"])
    }

    func testLabelsOfReferencedAndPreviousFields() throws {
        let p = try Core.program(Core.schoolRules("rule L-2 \"x\" {\n  require students > 0\n}"))
        let engine = Engine(program: p, data: try Core.load(p, Core.schoolHeader + Core.schoolRow("A")))
        XCTAssertEqual(engine.fieldLabel("prev.students", entity: 0).text(.zh), "上期全日制在校生数")
        XCTAssertEqual(engine.fieldLabel("prev.students", entity: 0).text(.en), "last period's 全日制在校生数")
        XCTAssertEqual(engine.fieldLabel("school.teachers", entity: 0).text(.zh), "学校·专任教师数")
        XCTAssertEqual(engine.fieldLabel("avg(school)", entity: 0).text(.zh), "avg(学校)")
        XCTAssertEqual(engine.fieldLabel("no_such", entity: 0).text(.zh), "no_such")
    }
}
