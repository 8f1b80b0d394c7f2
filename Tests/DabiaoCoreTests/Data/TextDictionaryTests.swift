@testable import DabiaoCore
import XCTest

final class TextDictionaryTests: XCTestCase {
    /// Codes stay stable and lookups agree with a Swift dictionary whether the
    /// texts arrive sorted (no table), then out of order (table built), or mixed.
    func testCodesAgreeWithADictionaryAcrossTheSortedToHashedSwitch() {
        var d = TextDictionary()
        var reference: [String: Int32] = [:]
        var texts: [String] = (0..<500).map { String(format: "P%06d", $0) }   // sorted first
        texts += ["甲", "P000010", "B", "乙", "P000499", "", "P000250", "甲"]      // then out of order and repeats
        texts += (0..<2000).map { "x\(($0 * 7919) % 1500)" }
        for t in texts {
            let (code, inserted) = d.insert(t)
            if let known = reference[t] {
                XCTAssertFalse(inserted, t)
                XCTAssertEqual(code, known, t)
            } else {
                XCTAssertTrue(inserted, t)
                XCTAssertEqual(Int(code), reference.count, t)
                reference[t] = code
            }
        }
        XCTAssertEqual(d.count, reference.count)
        for (t, c) in reference {
            XCTAssertEqual(d.code(of: t), c, t)
            XCTAssertEqual(d.strings[Int(c)], t)
        }
        XCTAssertNil(d.code(of: "P000500"))
        XCTAssertNil(d.code(of: "x1500"))
    }

    func testSortedLookupFindsEveryTextAndNothingElse() {
        var d = TextDictionary()
        for i in stride(from: 0, to: 1000, by: 2) { _ = d.insert(String(format: "K%04d", i)) }
        for i in 0..<1000 {
            let found = d.code(of: String(format: "K%04d", i))
            if i % 2 == 0 { XCTAssertEqual(found, Int32(i / 2)) } else { XCTAssertNil(found) }
        }
        // A prefix of a stored text is a different text.
        XCTAssertNil(d.code(of: "K000"))
    }
}
