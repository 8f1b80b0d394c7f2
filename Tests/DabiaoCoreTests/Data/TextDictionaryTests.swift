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

    /// One column's codes in another's terms, looked up by bytes on every
    /// core, against looking each text up as a String: texts in both, in
    /// one only, empty, non-ASCII; the other dictionary sorted or hashed.
    func testTranslatedCodesAreTheCodesOfTheSameTexts() {
        var g = SeededRNG(seed: 5)
        let pool = (0..<4000).map { i -> String in
            switch i % 4 {
            case 0: return String(format: "E%05d", i)
            case 1: return "企业\(i)"
            case 2: return i % 8 == 2 ? "" : "e\u{301}\(i)"
            default: return String(repeating: "x", count: i % 40)
            }
        }
        for sortedOther in [true, false] {
            var mine = TextDictionary()
            var other = TextDictionary()
            for t in pool.shuffled(using: &g).prefix(3000) { _ = mine.insert(t) }
            let theirs = sortedOther ? Set(pool.shuffled(using: &g).prefix(2500)).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
                                     : Array(pool.shuffled(using: &g).prefix(2500))
            for t in theirs { _ = other.insert(t) }
            // Distinct texts in byte order keep `other` in its sorted mode: lookups by binary search.
            let expected = mine.strings.map { other.code(of: $0) ?? -1 }
            XCTAssertEqual(mine.translated(into: other), expected, "sorted other: \(sortedOther)")
            XCTAssertTrue(expected.contains(-1) && expected.contains { $0 >= 0 }, "texts in both and in one only")
        }
        XCTAssertEqual(TextDictionary().translated(into: TextDictionary()), [])
    }

    /// Past the limit of four-byte starts (4 GiB of text, lowered here) the
    /// dictionary keeps eight-byte ones: every text keeps its code and bytes,
    /// in sorted and in hashed mode.
    func testTextsPastTheNarrowLimitKeepTheirCodesAndBytes() {
        for sortedFirst in [true, false] {
            var d = TextDictionary(narrowLimit: 40)
            var reference: [String] = []
            let texts = (0..<300).map { i in sortedFirst && i < 150 ? String(format: "K%05d", i) : "文本\((i * 7919) % 211)" }
            for t in texts {
                let (code, inserted) = d.insert(t)
                if let known = reference.firstIndex(of: t) {
                    XCTAssertFalse(inserted, t)
                    XCTAssertEqual(Int(code), known, t)
                } else {
                    XCTAssertTrue(inserted, t)
                    XCTAssertEqual(Int(code), reference.count, t)
                    reference.append(t)
                }
            }
            XCTAssertTrue(d.hasWideStarts)
            XCTAssertEqual(d.count, reference.count)
            for (c, t) in reference.enumerated() {
                XCTAssertEqual(d.text(c), t)
                XCTAssertEqual(d.code(of: t), Int32(c), t)
            }
            XCTAssertNil(d.code(of: "文本211"))
            var narrow = TextDictionary()
            for t in reference.reversed() { _ = narrow.insert(t) }
            XCTAssertFalse(narrow.hasWideStarts)
            XCTAssertEqual(d.translated(into: narrow).map(Int.init), reference.indices.map { reference.count - 1 - $0 })
        }
    }

    /// A dictionary that gave its hash table up after loading still finds
    /// every text (by a scan), translates into and out of it as before, and
    /// takes new texts under the codes an indexed one would give them.
    func testADictionaryWithoutItsTableFindsAndAddsAsBefore() {
        var g = SeededRNG(seed: 5)
        let texts = (0..<3000).map { _ in "t\(g.int(0...1999))" } + ["", "甲", "e\u{301}"]
        var d = TextDictionary()
        for t in texts { _ = d.insert(t) }
        XCTAssertTrue(d.isIndexed)
        let indexed = d
        d.releaseIndex()
        XCTAssertFalse(d.isIndexed, "out-of-order texts have a table to give up")
        for t in Set(texts).union(["t2000", "t-1", "乙", "e"]) {
            XCTAssertEqual(d.code(of: t), indexed.code(of: t), t)
        }
        let other = (0..<500).map { "t\($0 * 3)" } + ["乙", ""]
        var o = TextDictionary()
        for t in other.shuffled(using: &g) { _ = o.insert(t) }
        o.releaseIndex()
        XCTAssertEqual(d.translated(into: o), indexed.translated(into: o))
        XCTAssertEqual(o.translated(into: d), o.translated(into: indexed))
        var added = indexed
        for t in ["new", "t5", "甲", "newer", "new"] {
            let a = d.insert(t), b = added.insert(t)
            XCTAssertEqual(a.code, b.code, t)
            XCTAssertEqual(a.inserted, b.inserted, t)
        }
        XCTAssertTrue(d.isIndexed, "adding a text builds the table again")
        // A sorted dictionary has no table to give up: its lookups stay binary searches.
        var sorted = TextDictionary()
        for i in 0..<100 { _ = sorted.insert(String(format: "K%03d", i)) }
        sorted.releaseIndex()
        XCTAssertTrue(sorted.isIndexed)
        XCTAssertEqual(sorted.code(of: "K042"), 42)
    }
}
