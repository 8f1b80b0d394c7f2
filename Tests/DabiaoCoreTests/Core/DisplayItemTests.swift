import XCTest
@testable import DabiaoCore

/// `display name FIELD` / `display region FIELD`: which fields a report shows
/// as a record's name and 市州 (docs/language-notes.md).
final class DisplayItemTests: XCTestCase {
    static let rules = """
    unit 人 = 1
    entity school "学校" {
      key code : text "学校标识码"
      title    : text "学校全称"
      district : text "所在地区"
      name     : text "曾用名"
      city     : text "注册地"
      display  : integer 人 "展板数"
      students : integer 人 "在校生数"
      display name title
      display region district
    }
    ruleset t "测试" {
      for school
      rule T-1 "在校生" { require students >= 100 }
    }

    """
    static let csv = "学校标识码,学校全称,所在地区,曾用名,注册地,展板数,在校生数\nA,甲校,兰州市,旧名,武威市,3,50\nB,乙校,兰州市,旧名二,武威市,3,500\n"

    func testTheDeclaredFieldsNameTheRecordAndItsRegionNotTheConventionalOnes() throws {
        let r = try Core.check(Self.rules, csv: Self.csv)
        let a = try XCTUnwrap(Core.result(r, "T-1", "A"))
        XCTAssertEqual(a.name, "甲校")
        XCTAssertEqual(a.city, "兰州市")
        XCTAssertEqual(r.cities.map(\.city), ["兰州市"])
        XCTAssertEqual(r.rectification.first?.city, "兰州市")
        // A field may still be called display.
        let p = try Core.program(Self.rules)
        XCTAssertNotNil(p.entities[0].fieldIndex("display"))
    }

    func testWithoutTheItemsTheConventionalFieldsAreUsed() throws {
        let rules = Self.rules.replacingOccurrences(of: "  display name title\n  display region district\n", with: "")
        let r = try Core.check(rules, csv: Self.csv)
        let a = try XCTUnwrap(Core.result(r, "T-1", "A"))
        XCTAssertEqual(a.name, "旧名")
        XCTAssertEqual(a.city, "武威市")
    }

    func testTheBuiltInRulebooksDeclareBoth() throws {
        let (program, diags) = compileProject(try Pipeline.ruleSources([]))
        XCTAssertTrue(diags.isEmpty)
        let p = try XCTUnwrap(program)
        for name in ["school", "enterprise"] {
            let e = try XCTUnwrap(p.entities.first { $0.name == name })
            XCTAssertEqual(e.nameField.map { e.fields[$0].name }, "name", name)
            XCTAssertEqual(e.regionField.map { e.fields[$0].name }, "city", name)
        }
        let text = try Pipeline.ruleSources([]).map(\.text).joined()
        XCTAssertEqual(text.components(separatedBy: "\n  display name ").count - 1, 5)
        XCTAssertEqual(text.components(separatedBy: "\n  display region ").count - 1, 2)
    }

    func codes(_ text: String) -> [String] { Core.compile(text).diagnostics.map(\.code.rawValue) }

    func testMistakesAreDiagnosed() {
        XCTAssertEqual(codes(Self.rules.replacingOccurrences(of: "display name title", with: "display label title")), ["E0201"])
        XCTAssertEqual(codes(Self.rules.replacingOccurrences(of: "display name title", with: "display name titl")), ["E0504"])
        XCTAssertEqual(codes(Self.rules.replacingOccurrences(of: "display name title", with: "display name students")), ["E0412"])
        XCTAssertEqual(codes(Self.rules.replacingOccurrences(of: "display region district", with: "display name district")), ["E0401"])
        let suggestion = Core.compile(Self.rules.replacingOccurrences(of: "display name title", with: "display name titl")).diagnostics.first
        XCTAssertEqual(suggestion?.help?.en, "did you mean title?")
    }
}

/// A rule's `let` shadows a ruleset `let` inside the ruleset's other lets too
/// (docs/language-notes.md), which is why ruleset lets are typed per rule.
final class LetShadowingTests: XCTestCase {
    func testARulesLetChangesARulesetLetThatReadsIt() throws {
        let rules = Core.schoolRules("""
          let y = 1
          let x = y + 1
          rule S-1 "不遮蔽" {
            measure x
            require x == 2
          }
          rule S-2 "遮蔽" {
            let y = 2
            measure x
            require x == 3
          }
        """)
        let r = try Core.check(rules, csv: Core.schoolHeader + Core.schoolRow("A"))
        XCTAssertEqual(Core.measure(r, "S-1", "A", "x"), 2)
        XCTAssertEqual(Core.measure(r, "S-2", "A", "x"), 3)
        XCTAssertEqual(Core.outcome(r, "S-1", "A"), "pass")
        XCTAssertEqual(Core.outcome(r, "S-2", "A"), "pass")
    }
}
