import XCTest
@testable import DabiaoCore

/// A report lists records by key. Keys whose dictionary codes sort as the
/// texts do are ranked by code; the ranks must be those of comparing the
/// keys as Strings, whichever way a table's keys arrived.
final class KeyRankTests: XCTestCase {
    func testRanksByCodeAreRanksByText() throws {
        let p = try Core.program(BlockPathTests.schema + "ruleset r \"x\" {\n  for item\n  rule R \"r\" { require amount >= 0 }\n}\n")
        let header = "id,unit_code,amount,tag\n"
        func rows(_ ids: [String]) -> String { header + ids.map { "\($0),U1,1,t\n" }.joined() }
        var g = SeededRNG(seed: 11)
        let sortedIDs = (0..<3000).map { String(format: "P%06d", $0 * 3) }
        let shuffled = sortedIDs.shuffled(using: &g)
        let cases: [(name: String, files: [String], byCode: Bool)] = [
            ("sorted, two files", [rows(Array(sortedIDs[..<1500])), rows(Array(sortedIDs[1500...]))], true),
            ("second file before the first", [rows(Array(sortedIDs[1500...])), rows(Array(sortedIDs[..<1500]))], false),
            ("shuffled", [rows(shuffled)], false),
            ("non-ASCII in byte order", [rows(["A", "Z", "a", "é", "甲", "乙"])], false),
            // "e" + combining acute sorts after "f" by bytes, before it as a String.
            ("decomposed accent", [rows(["e", "e\u{301}x", "f"])], false),
            ("a blank key", [rows(["A", "B"]) + ",U1,1,t\n" + "C,U1,1,t\n"], true),
        ]
        var tookCodes = 0
        for c in cases {
            let data = try Core.load(p, c.files.enumerated().map { ("item", "item\($0.offset).csv", $0.element) })
            let engine = Engine(program: p, data: data)
            let e = try XCTUnwrap(p.entities.firstIndex { $0.name == "item" })
            let keyField = try XCTUnwrap(p.entities[e].keyField)
            XCTAssertEqual(data.tables[e].columns[keyField].dict.ordersLikeStrings, c.byCode, c.name)
            if c.byCode { tookCodes += 1 }
            XCTAssertEqual(engine.keyRanks(e), engine.keyRanks(e, byCodes: false), c.name)
        }
        XCTAssertGreaterThan(tookCodes, 0)
    }
}
