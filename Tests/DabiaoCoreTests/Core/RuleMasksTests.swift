import XCTest
@testable import DabiaoCore

/// The evaluation keeps one mask of an entity's rules per record to
/// rectify, in as few bytes as the entity's rules need; every mask must
/// read back as appended, merged from chunks and put in report order.
final class RuleMasksTests: XCTestCase {
    func testMasksReadBackAsAppendedAtEveryWidth() {
        var g = SeededRNG(seed: 13)
        for rules in [1, 7, 8, 9, 16, 17, 40, 64, 65, 200] {
            let width = min(8, (rules + 7) / 8)
            // Bits beyond the rules an entity has cannot be set; past 64 rules no mask is kept (0).
            let keep: UInt64 = rules >= 64 ? .max : (1 << UInt64(rules)) - 1
            let masks = (0..<g.int(0...300)).map { _ in rules > 64 ? 0 : UInt64.random(in: 0...UInt64.max, using: &g) & keep }
            var chunks = [RuleMasks(rules: rules), RuleMasks(rules: rules)]
            let cut = g.int(0...masks.count)
            for (i, m) in masks.enumerated() { chunks[i < cut ? 0 : 1].append(m) }
            var merged = RuleMasks(rules: rules)
            merged.reserveCapacity(masks.count)
            merged.append(contentsOf: chunks[0])
            merged.append(contentsOf: chunks[1])
            XCTAssertEqual(merged.width, width, "\(rules) rules")
            XCTAssertEqual(merged.count, masks.count, "\(rules) rules")
            XCTAssertEqual((0..<merged.count).map { merged[$0] }, masks, "\(rules) rules")
            XCTAssertEqual(merged[masks.count], 0, "past the end")
            XCTAssertEqual(merged[-1], 0, "before the start")

            let order = (0..<Int32(masks.count)).shuffled(using: &g)
            merged.permute(by: order)
            XCTAssertEqual((0..<merged.count).map { merged[$0] }, order.map { masks[Int($0)] }, "\(rules) rules, permuted")
            if merged.count != 1 {
                merged.permute(by: [0])
                XCTAssertEqual((0..<merged.count).map { merged[$0] }, order.map { masks[Int($0)] }, "an order of the wrong length changes nothing")
            }
        }
    }

    func testMasksOfAnotherWidthAreMergedMaskByMask() {
        var narrow = RuleMasks(rules: 3)
        narrow.append(0b101)
        var wide = RuleMasks(rules: 20)
        wide.append(1 << 19)
        wide.append(contentsOf: narrow)
        XCTAssertEqual(wide.count, 2)
        XCTAssertEqual(wide[0], 1 << 19)
        XCTAssertEqual(wide[1], 0b101)
        narrow.append(contentsOf: wide)
        XCTAssertEqual((0..<narrow.count).map { narrow[$0] }, [0b101, 0, 0b101], "bits a narrower mask cannot hold are dropped")
    }
}
