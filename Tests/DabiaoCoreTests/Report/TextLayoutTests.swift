import Foundation
import XCTest
@testable import DabiaoCore

/// The terminal report on the real samples: its tables line up on a
/// terminal whatever mix of Chinese and Latin the cells hold, and it carries
/// no escape codes unless colour was asked for.
final class TextLayoutTests: XCTestCase {
    /// Terminal columns of a character, written out here rather than taken
    /// from the code under test: East Asian Wide and Fullwidth characters
    /// take two, box drawing and the other ambiguous ones one.
    static func columns(_ u: Unicode.Scalar) -> Int {
        switch u.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }

    /// The line as screen cells: a wide character fills its first cell and
    /// leaves `nil` in the second.
    static func cells(_ line: Substring) -> [Character?] {
        var out: [Character?] = []
        for ch in line {
            let w = ch.unicodeScalars.first.map(columns) ?? 1
            out.append(ch)
            if w == 2 { out.append(nil) }
        }
        return out
    }

    /// The table under the heading `title`: its separator row and its other rows.
    static func table(_ text: String, after title: String) -> (rule: String, rows: [Substring])? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let h = lines.firstIndex(where: { $0 == title }) else { return nil }
        var rows: [Substring] = []
        var rule: String?
        for line in lines[(h + 1)...] {
            if line.isEmpty { break }
            if line.trimmingCharacters(in: .whitespaces).allSatisfy({ $0 == "─" || $0 == " " }) { rule = String(line); continue }
            rows.append(line)
        }
        return rule.map { ($0, rows) }
    }

    /// Column spans (start, end) in screen cells, read off the `───` row.
    static func spans(_ rule: String) -> [(start: Int, end: Int)] {
        var out: [(Int, Int)] = []
        var start: Int?
        for (i, ch) in Array(rule).enumerated() {
            if ch == "─" { if start == nil { start = i } } else if let s = start { out.append((s, i)); start = nil }
        }
        if let s = start { out.append((s, rule.count)) }
        return out
    }

    /// Every row has a blank in each gap between columns (so no cell spills
    /// into the next and no wide character straddles a gap), each
    /// left-aligned cell starts at its column, and each right-aligned cell
    /// ends at its column's right edge. Returns what is wrong, if anything.
    static func misalignments(_ text: String, title: String, rightAligned: Set<Int>) -> [String] {
        guard let (rule, rows) = table(text, after: title) else { return ["no table under \(title)"] }
        let cols = spans(rule)
        guard cols.count >= 2, !rows.isEmpty else { return ["table \(title) has \(cols.count) columns, \(rows.count) rows"] }
        var problems: [String] = []
        for row in rows {
            let screen = cells(row)
            func at(_ i: Int) -> Character? { screen.indices.contains(i) ? screen[i] : " " }
            for (c, span) in cols.enumerated() {
                if c > 0, (cols[c - 1].end..<span.start).contains(where: { at($0) != " " }) {
                    problems.append("text in the gap before column \(c + 1): \(row)")
                }
                if rightAligned.contains(c) {
                    if at(span.end - 1) == " " || (c < cols.count - 1 && at(span.end) != " ") {
                        problems.append("column \(c + 1) does not end at its edge: \(row)")
                    }
                } else if at(span.start) == " " || at(span.start) == nil {
                    problems.append("column \(c + 1) does not start at its edge: \(row)")
                }
            }
            if let last = cols.last, rightAligned.contains(cols.count - 1), screen.count != last.end {
                problems.append("the row is \(screen.count) cells wide, the table \(last.end): \(row)")
            }
        }
        return problems
    }

    func assertAligned(_ text: String, title: String, rightAligned: Set<Int>, file: StaticString = #filePath, line: UInt = #line) {
        let problems = Self.misalignments(text, title: title, rightAligned: rightAligned)
        XCTAssertTrue(problems.isEmpty, "\(title):\n" + problems.prefix(5).joined(separator: "\n"), file: file, line: line)
    }

    func testByRuleTableLinesUpInBothLanguages() throws {
        let r = try SampleReports.full.get()
        // Titles mix Chinese, digits, Latin and full-width punctuation.
        XCTAssertTrue(r.tallies.contains { $0.title.unicodeScalars.contains { $0.isASCII && $0.properties.numericType != nil } })
        let zh = TextReport.render(r, lang: .zh, style: .init(color: false))
        assertAligned(zh, title: "各规则达标情况", rightAligned: [2, 3, 4, 5, 6, 7])
        let en = TextReport.render(r, lang: .en, style: .init(color: false))
        assertAligned(en, title: "By rule", rightAligned: [2, 3, 4, 5, 6, 7])
        // One row per rule.
        XCTAssertEqual(Self.table(zh, after: "各规则达标情况")?.rows.count, r.tallies.count + 1)
    }

    func testInputsTableLinesUp() throws {
        let r = try SampleReports.full.get()
        for (lang, title) in [(Lang.zh, "输入数据"), (.en, "Inputs")] {
            assertAligned(TextReport.render(r, lang: lang, style: .init(color: false)), title: title, rightAligned: [2, 3, 4])
        }
    }

    func testTheCheckCatchesAMisalignedTable() {
        // Sized by counting characters instead of screen cells: the rule is
        // two cells wide, 学校 four, so it runs into the gap.
        let bad = "T\n  编号  名称\n  ──  ───\n  A1  学校甲\n  学校  x\n"
        XCTAssertFalse(Self.misalignments(bad, title: "T", rightAligned: []).isEmpty)
        let badRight = "T\n  名称  数\n  ────  ──\n  学校   1\n  A    12\n"
        XCTAssertFalse(Self.misalignments(badRight, title: "T", rightAligned: [1]).isEmpty)
        let good = "T\n" + TextReport.table(["编号", "名称", "数"], [["A1", "学校甲", "1"], ["学校", "x", "12"]], rightAligned: [2])
        XCTAssertEqual(Self.misalignments(good, title: "T", rightAligned: [2]), [])
    }

    func testNoEscapeCodesWithoutColour() throws {
        for r in [try SampleReports.full.get(), try SampleReports.slice.get()] {
            for lang in Lang.allCases {
                let plain = TextReport.render(r, lang: lang, style: .init(color: false))
                XCTAssertFalse(plain.unicodeScalars.contains { $0.value == 0x1B }, "escape code with colour off")
                XCTAssertFalse(plain.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "control character with colour off")
                for x in r.results.prefix(50) {
                    let block = TextReport.resultBlock(x, lang: lang, style: .init(color: false))
                    XCTAssertFalse(block.contains("\u{1B}"))
                }
            }
        }
        // With colour on they are there, and taking them out gives the plain report.
        let r = try SampleReports.slice.get()
        let coloured = TextReport.render(r, lang: .zh, style: .init(color: true))
        XCTAssertTrue(coloured.contains("\u{1B}[31m") || coloured.contains("\u{1B}[33m"))
        XCTAssertEqual(Self.stripANSI(coloured), TextReport.render(r, lang: .zh, style: .init(color: false)))
    }

    static func stripANSI(_ s: String) -> String {
        var out = ""
        var scalars = s.unicodeScalars.makeIterator()
        while let u = scalars.next() {
            guard u.value == 0x1B else { out.unicodeScalars.append(u); continue }
            // CSI: ESC [ parameters final-byte
            while let v = scalars.next(), !(v.value >= 0x40 && v.value <= 0x7E && v != "[") {}
        }
        return out
    }
}
