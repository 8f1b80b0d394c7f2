import XCTest
@testable import DabiaoCore

final class TemplateTests: XCTestCase {
    func unit(_ name: String) -> DisplayUnit {
        DisplayUnit(factors: [.init(name: name, exponent: 1)], scale: 1, dimension: Dimension([name: 1]))
    }

    func field(_ name: String, _ label: String, _ kind: FieldKind, unit: DisplayUnit = .none, optional: Bool = false, key: Bool = false) -> Field {
        Field(name: name, label: label, kind: kind, unit: unit, isOptional: optional, isKey: key)
    }

    var entities: [Entity] {
        let school = Entity(name: "school", label: "学校", fields: [
            field("code", "学校代码", .text(oneOf: nil), key: true),
            field("name", "学校名称", .text(oneOf: nil)),
            field("city", "市州", .text(oneOf: ["兰州市", "天水市"])),
            field("building_area", "校舍建筑面积", .number(integer: false), unit: unit("平方米")),
            field("students", "在校生数", .number(integer: true), unit: unit("人")),
            field("is_public", "是否公办", .bool, optional: true),
            field("founded", "建校日期", .date, optional: true),
            field("sponsor", "举办方", .ref(entity: 1), optional: true),
        ], keyField: 0, nameField: 1)
        let sponsor = Entity(name: "sponsor", label: "举办方", fields: [field("id", "举办方代码", .text(oneOf: nil), key: true)],
                             keyField: 0, nameField: nil)
        return [school, sponsor]
    }

    func testHeaderAndHintLine() throws {
        let es = entities
        let text = Template.csv(for: es[0], entities: es, lang: .zh)
        XCTAssertTrue(text.hasPrefix("\u{FEFF}学校代码,"))
        XCTAssertTrue(text.hasSuffix("\r\n"))
        XCTAssertEqual(text.components(separatedBy: "\r\n").count, 3)
        let rows = try parseCSV(text)
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(rows[0].fields, ["学校代码", "学校名称", "市州", "校舍建筑面积（平方米）", "在校生数（人）", "是否公办", "建校日期", "举办方"])
        XCTAssertEqual(rows[1].fields, ["# 文本；必填，唯一", "文本；必填", "可选值：兰州市、天水市；必填", "数值；必填", "整数；必填",
                                        "是/否；选填", "日期（YYYY-MM-DD）；选填", "引用举办方的举办方代码；选填"])
        // The header the template writes is one the reader maps back.
        let split = splitHeaderUnit(rows[0].fields[3])
        XCTAssertEqual(split.label, "校舍建筑面积")
        XCTAssertEqual(split.unit, "平方米")
    }

    func testEnglishHintsKeepTheLabels() throws {
        let rows = try parseCSV(Template.csv(for: entities[0], lang: .en))
        XCTAssertEqual(rows[0].fields[3], "校舍建筑面积（平方米）")
        XCTAssertEqual(rows[1].fields[0], "# text; required, unique")
        XCTAssertEqual(rows[1].fields[2], "one of: 兰州市 | 天水市; required")
        XCTAssertEqual(rows[1].fields[7], "reference (key of another table); optional")
    }
}
