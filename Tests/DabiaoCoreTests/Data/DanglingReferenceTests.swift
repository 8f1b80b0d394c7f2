import XCTest
@testable import DabiaoCore

/// A `ref` value that names no record of its entity is said once per file
/// and field, with the count, the first line and its value; the results that
/// read through it are missing, never passes.
final class DanglingReferenceTests: XCTestCase {
    static let rules = """
    unit 人 = 1
    entity enterprise "企业" {
      key code : text "统一社会信用代码"
      staff    : integer 人 "在岗职工总数"
    }
    entity internship "实习安排" {
      key id   : text "实习编号"
      host     : ref enterprise "实习单位统一社会信用代码"
    }
    ruleset r "r" {
      for internship
      rule R-1 "实习单位规模" {
        require host.staff >= 10 人
      }
    }
    """

    func testUnknownReferencesAreNotedAndNeverPass() throws {
        let program = try Core.program(Self.rules)
        let enterprises = "统一社会信用代码,在岗职工总数\nE1,50\nE2,5\n"
        let placements = "实习编号,实习单位统一社会信用代码\nP1,E1\nP2,E9\nP3,E2\nP4,E9\nP5,E8\nP6,\n"
        let specs = [
            InputSpec(entity: 0, path: "enterprise.csv", contents: Array(enterprises.utf8)),
            InputSpec(entity: 1, path: "internship.csv", contents: Array(placements.utf8)),
        ]
        let data = try Audit.loadConcurrently(program, specs, encoding: nil, delimiter: nil)
        let notes = data.notes.filter { $0.column == "实习单位统一社会信用代码" }
        XCTAssertEqual(notes.count, 1)
        let note = try XCTUnwrap(notes.first)
        XCTAssertEqual(note.path, "internship.csv")
        XCTAssertEqual(note.line, 3)
        XCTAssertEqual(note.value, "E9")
        // P2, P4 (E9) and P5 (E8); the blank P6 is missing, not a dangling reference.
        XCTAssertTrue(note.reason(.zh).hasPrefix("3 条记录的“实习单位统一社会信用代码”在企业（enterprise）数据中找不到对应记录"), note.reason(.zh))

        let r = Engine(program: program, data: data).run(RunOptions(asOf: Core.asOf, workers: 1))
        XCTAssertEqual(Core.outcome(r, "R-1", "P1"), "pass")
        XCTAssertEqual(Core.outcome(r, "R-1", "P3"), "fail error")
        for k in ["P2", "P4", "P5", "P6"] { XCTAssertEqual(Core.outcome(r, "R-1", k), "missing", k) }
    }

    func testNoNoteWhenEveryReferenceResolves() throws {
        let program = try Core.program(Self.rules)
        let specs = [
            InputSpec(entity: 0, path: "enterprise.csv", contents: Array("统一社会信用代码,在岗职工总数\nE1,50\n".utf8)),
            InputSpec(entity: 1, path: "internship.csv", contents: Array("实习编号,实习单位统一社会信用代码\nP1,E1\n".utf8)),
        ]
        let data = try Audit.loadConcurrently(program, specs, encoding: nil, delimiter: nil)
        XCTAssertTrue(data.notes.isEmpty, "\(data.notes)")
    }
}
