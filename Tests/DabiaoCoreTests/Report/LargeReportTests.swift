import XCTest
@testable import DabiaoCore

/// Long result lists are written in parts on several threads; the bytes
/// must be those of the one-piece tree renderer.
final class LargeReportTests: XCTestCase {
    func testReportWrittenInPartsEqualsTheTreeRendering() throws {
        var g = SeededRNG(seed: 7)
        let rules = BlockPathTests.rules([0, 7, 11, 13, 19, 20], when: nil)
        let d = BlockPathTests.data(6000, &g)
        let p = try Core.program(rules)
        let data = try Core.load(p, [("unit_", "unit.csv", d.units), ("item", "item.csv", d.items)])
        let r = Engine(program: p, data: data).run(RunOptions(asOf: Core.asOf, showAll: true, workers: 2))
        XCTAssertGreaterThan(r.results.count, 3 * 4096, "enough results for several parts")
        XCTAssertGreaterThan(r.rectification.count, 4096, "enough rectification items for several parts")
        for lang in [Lang.zh, .en] {
            let streamed = JSONReport.renderBytes(r, lang: lang)
            let tree = Array(JSONReport.value(r, lang: lang).render().utf8)
            XCTAssertEqual(streamed.count, tree.count)
            XCTAssertTrue(streamed == tree, "streamed and tree renderings differ")
            XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(streamed)))
        }
    }
}
