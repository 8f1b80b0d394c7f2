import Foundation
import XCTest
@testable import DabiaoCore

/// `--lang en`: the tool's own words switch in every format. What may stay
/// Chinese is what the rulebook and the data say (rule titles, messages,
/// citations, field labels, units, record names, file paths, cell values):
/// those strings are taken from the report model, removed from the output in
/// each format's escaped forms, and nothing Chinese may be left.
final class EnglishOutputTests: XCTestCase {
    /// Ideographs, CJK punctuation (`，。：（）【】、` …) and full-width forms.
    static func isChinese(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x3000...0x303F, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFFEF,
             0x20000...0x2FFFF:
            return true
        default:
            return false
        }
    }

    /// The built-in rulebooks' field labels, let and measure names, and units.
    static let rulebookWords: [String] = {
        guard let files = try? Pipeline.ruleSources([]), let program = compileProject(files).0 else { return [] }
        var s: [String] = []
        for e in program.entities {
            s.append(e.label)
            for f in e.fields { s += [f.label, f.unit.symbol] }
        }
        for r in program.rules {
            s += r.locals.map(\.name) + r.measures.map(\.unit.symbol)
            for l in r.locals { if case .number(let n) = l.type { s.append(n.unit.symbol) } }
        }
        return s
    }()

    /// Every string in the report that comes from the rulebook or the data.
    static func corpus(_ r: Report) -> [String] {
        var s: [String] = []
        for rs in r.rulesets { s += [rs.id, rs.title, rs.version ?? "", rs.source ?? "", rs.owner ?? ""] }
        for i in r.inputs { s += [i.entity, i.path] }
        for f in r.rulesFiles { s.append(f.path) }
        for t in r.tallies {
            s += [t.rule, t.title, t.cite ?? ""]
            // SARIF's help quotes the rule's requires as written.
            for q in t.requires { s += [q.source, q.label ?? "", "\(t.rule) \(t.title)"] }
            // The HTML chart shortens long labels to fit.
            s.append(HTMLReport.truncate("\(t.rule) \(t.title)", HTMLReport.chartLabelColumns))
        }
        for c in RenderSupport.byCity(r.results) { s.append(HTMLReport.truncate(c.city ?? "", HTMLReport.chartLabelColumns)) }
        // Per-city counts name every city of the data, failing or not.
        for c in r.cities { s += [c.city ?? "", HTMLReport.truncate(c.city ?? "", HTMLReport.chartLabelColumns)] }
        // The empty-cell markers a data note quotes are cell values.
        s.append("无")
        for x in r.results {
            s += [x.ruleset, x.rule, x.title, x.entity, x.key, x.name ?? "", x.city ?? "", x.message ?? "", x.cite ?? "",
                  x.sourcePath ?? "", x.waiverReason ?? "", x.owner ?? ""]
            s += x.missingFields + x.failedRequires
            for l in x.missingLabels { s += [l.label, l.entity ?? "", l.text(.en)] }
            for m in x.measures { s += [m.name, m.unit] }
            for f in x.fixes { s += [f.field, f.label, f.unit, f.action ?? ""] }
        }
        for item in r.rectification {
            s += [item.entity, item.key, item.name ?? "", item.city ?? "", item.owner ?? ""]
            for c in item.changes { s += [c.field, c.label, c.unit, c.action ?? ""] + c.rules }
        }
        for e in r.dataErrors + r.notes { s += [e.path, e.column ?? "", e.value ?? ""] }
        for w in r.waivers { s += [w.rule, w.entity, w.key, w.reason] }
        // A require the 整改清单 says is still unmet is written with the
        // rulebook's own words: field labels, let names, units and titles.
        s += rulebookWords
        // Multi-line messages are split by some formats: each line stands alone too.
        var out = Set<String>()
        for x in s where x.unicodeScalars.contains(where: isChinese) {
            out.insert(x)
            for line in x.split(whereSeparator: \.isNewline) { out.insert(String(line)) }
        }
        return out.sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
    }

    /// The forms a data string takes in the outputs.
    static func forms(_ s: String) -> [String] {
        var json = ""
        JSON.escape(s, into: &json)
        if json.hasPrefix("\"") && json.hasSuffix("\"") && json.count >= 2 { json = String(json.dropFirst().dropLast()) }
        var md = ""
        JSON.escape(SARIFReport.markdownEscape(s), into: &md)
        if md.hasPrefix("\"") && md.hasSuffix("\"") && md.count >= 2 { md = String(md.dropFirst().dropLast()) }
        // The HTML's data block escapes `<`, `>` and `&` besides.
        let htmlData = String(HTMLData.str(s).dropFirst().dropLast())
        let forms = [s, HTMLReport.esc(s), MarkdownReport.escape(s), JUnitReport.attr(s), JUnitReport.text(s), json, md, htmlData,
                     s.replacingOccurrences(of: "\"", with: "\"\"")]
        return Array(Set(forms)).sorted { $0.count > $1.count }
    }

    /// The Chinese left in `output` once every data string is taken out, with
    /// context. Only lines with Chinese are looked at, and on each only the
    /// data strings whose first character occurs in it: a plain replace of
    /// every string over the whole output takes minutes.
    static func leftovers(_ output: String, corpus: [String]) -> [String] {
        var byFirst: [Unicode.Scalar: [String]] = [:]
        var order = 0
        var rank: [String: Int] = [:]
        for s in corpus {
            for f in forms(s) where !f.isEmpty && rank[f] == nil {
                rank[f] = order
                order += 1
                if let u = f.unicodeScalars.first { byFirst[u, default: []].append(f) }
            }
        }
        var found: [String] = []
        var seen = Set<String>()
        for line in output.split(whereSeparator: \.isNewline) where line.unicodeScalars.contains(where: isChinese) {
            let present = Set(line.unicodeScalars)
            // Longest first, so a string is not broken up by a shorter one inside it.
            let candidates = present.flatMap { byFirst[$0] ?? [] }.sorted { (rank[$0] ?? 0) < (rank[$1] ?? 0) }
            var text = String(line)
            for f in candidates where text.contains(f) { text = text.replacingOccurrences(of: f, with: "\u{2400}") }
            if text.unicodeScalars.contains(where: isChinese), seen.insert(text).inserted { found.append(text) }
        }
        return found
    }

    func check(_ name: String, _ output: String, _ r: Report, file: StaticString = #filePath, line: UInt = #line) {
        let left = Self.leftovers(output, corpus: Self.corpus(r))
        XCTAssertTrue(left.isEmpty, "\(name) --lang en still has Chinese tool words (␀ marks removed rulebook/data text):\n"
                      + left.prefix(8).map { "  " + $0.prefix(200) }.joined(separator: "\n"), file: file, line: line)
    }

    func reports() throws -> [Report] {
        [try SampleReports.failures.get(), try SampleReports.slice.get()]
    }

    func testTheCheckItselfFindsChineseToolWords() throws {
        let r = try SampleReports.slice.get()
        let zh = Self.leftovers(MarkdownReport.render(r, lang: .zh), corpus: Self.corpus(r))
        XCTAssertTrue(zh.contains { $0.contains("汇总") }, "the zh report's own headings are not data")
        let en = Self.leftovers(MarkdownReport.render(r, lang: .en), corpus: Self.corpus(r))
        XCTAssertFalse(en.contains { $0.contains("汇总") })
    }

    func testMarkdown() throws {
        for r in try reports() {
            check("md", MarkdownReport.render(r, lang: .en), r)
            check("md rectify", MarkdownReport.renderRectification(r, lang: .en), r)
        }
    }

    func testHTML() throws {
        for r in try reports() { check("html", HTMLReport.render(r, lang: .en), r) }
    }

    func testCSV() throws {
        for r in try reports() {
            check("csv", CSVReport.render(r, lang: .en), r)
            check("csv rectify", CSVReport.renderRectification(r, lang: .en), r)
        }
    }

    func testJUnit() throws {
        for r in try reports() { check("junit", JUnitReport.render(r, lang: .en), r) }
    }

    func testSARIF() throws {
        for r in try reports() { check("sarif", SARIFReport.render(r, lang: .en), r) }
    }

    func testJSON() throws {
        for r in try reports() { check("json", String(decoding: JSONReport.renderBytes(r, lang: .en), as: UTF8.self), r) }
    }

    func testText() throws {
        for r in try reports() {
            check("text", TextReport.render(r, lang: .en, style: .init(color: false)), r)
            check("text rectify", RectificationReport.text(r, lang: .en), r)
        }
    }

    func testTemplate() throws {
        // The template's headers are the rulebook's labels; its own words must switch.
        let files = try Pipeline.ruleSources([])
        guard let program = compileProject(files).0 else { return XCTFail("built-in rules do not compile") }
        for e in program.entities {
            let csv = Template.csv(for: e, entities: program.entities, lang: .en)
            // 是/否 are the cell values a yes/no column accepts, not words of the tool.
            var corpus = [e.label, "是/否"]
            for f in e.fields {
                corpus += [f.label, f.name, Template.headerCell(f)]
                if case .text(let values?) = f.kind { corpus += values }
            }
            corpus += program.entities.flatMap { $0.fields.map(\.label) }
            let sorted = Set(corpus).filter { !$0.isEmpty }.sorted { $0.count > $1.count }
            let left = Self.leftovers(csv, corpus: sorted)
            XCTAssertTrue(left.isEmpty, "template \(e.name): \(left.prefix(5))")
        }
    }
}
