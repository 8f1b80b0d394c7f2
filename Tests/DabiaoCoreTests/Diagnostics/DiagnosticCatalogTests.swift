import Foundation
import XCTest
@testable import DabiaoCore

/// Every code of `DiagnosticCode` has a golden case in
/// Fixtures/diagnostics (`CODE.rules`, the rendered `CODE.en.txt`, for some
/// `CODE.zh.txt`) and its section in docs/diagnostics.md, generated from
/// the same files. Regenerate after an intended change with
/// `DABIAO_UPDATE_GOLDEN=1 swift test --filter DiagnosticCatalogTests` and
/// review the diff like code.
final class DiagnosticCatalogTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = root.appendingPathComponent("Fixtures").appendingPathComponent("diagnostics")
    static let docs = root.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs").appendingPathComponent("diagnostics.md")
    /// The codes whose Chinese rendering is golden too.
    static let chinese: Set<DiagnosticCode> = [.unexpectedCharacter, .expected, .duplicateDeclaration, .unknownName, .unitMismatch, .notOneOfValues]
    static let marker = "<!-- Everything below is generated from Tests/DabiaoCoreTests/Fixtures/diagnostics by DiagnosticCatalogTests (DABIAO_UPDATE_GOLDEN=1); edit the fixtures and the catalog, not this part. -->"

    static var updating: Bool { ProcessInfo.processInfo.environment["DABIAO_UPDATE_GOLDEN"] == "1" }

    static func source(_ code: DiagnosticCode) -> SourceFile? {
        let url = fixtures.appendingPathComponent(code.rawValue + ".rules")
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        return SourceFile(path: code.rawValue + ".rules", bytes: Array(data))
    }

    static func rendered(_ file: SourceFile, _ lang: Lang) -> (diagnostics: [Diagnostic], text: String) {
        let (_, diags) = compileProject([file])
        return (diags, diags.map { DiagnosticRenderer.render($0, files: [file], lang: lang) }.joined())
    }

    func check(_ name: String, _ actual: String, file: StaticString = #filePath, line: UInt = #line) {
        let url = Self.fixtures.appendingPathComponent(name)
        if Self.updating {
            XCTAssertNoThrow(try Data(actual.utf8).write(to: url), file: file, line: line)
            return
        }
        guard let expected = FileManager.default.contents(atPath: url.path) else {
            XCTFail("no golden \(name); create it with DABIAO_UPDATE_GOLDEN=1 swift test --filter DiagnosticCatalogTests", file: file, line: line)
            return
        }
        XCTAssertEqual(String(decoding: expected, as: UTF8.self), actual, name, file: file, line: line)
    }

    func testEveryCodeHasAGoldenCaseThatReportsIt() throws {
        for code in DiagnosticCode.allCases {
            guard let file = Self.source(code) else {
                XCTFail("\(code.rawValue) (\(code)) has no golden case: add Fixtures/diagnostics/\(code.rawValue).rules")
                continue
            }
            let (diags, en) = Self.rendered(file, .en)
            XCTAssertTrue(diags.contains { $0.code == code }, "\(code.rawValue).rules does not report \(code.rawValue):\n\(en)")
            check(code.rawValue + ".en.txt", en)
            let zh = Self.rendered(file, .zh).text
            if Self.chinese.contains(code) {
                check(code.rawValue + ".zh.txt", zh)
            }
            // The same source lines in both languages: only the words differ.
            func sourceLines(_ s: String) -> [Substring] {
                s.split(separator: "\n").filter { $0.range(of: #"^ *\d+ \| "#, options: .regularExpression) != nil }
            }
            XCTAssertEqual(sourceLines(en), sourceLines(zh), code.rawValue)
        }
    }

    func testNoGoldenFileForAnUnknownCode() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.fixtures.path)
        let known = Set(DiagnosticCode.allCases.map(\.rawValue))
        for n in names {
            let code = String(n.prefix { $0 != "." })
            XCTAssertTrue(known.contains(code), "Fixtures/diagnostics/\(n) is for no code of DiagnosticCode")
        }
    }

    func testCodesAreUniqueAndWellFormed() {
        let raw = DiagnosticCode.allCases.map(\.rawValue)
        XCTAssertEqual(Set(raw).count, raw.count)
        for r in raw {
            XCTAssertTrue(r.range(of: #"^[EW]\d{4}$"#, options: .regularExpression) != nil, r)
        }
        XCTAssertEqual(DiagnosticCode.notOneOfValues.severity, .warning)
        XCTAssertEqual(DiagnosticCode.unknownName.severity, .error)
    }

    /// A fix-it is only given where the fix is certain: applied, the
    /// diagnostic it repairs is gone.
    func testFixItsRepairWhatTheyAreFor() throws {
        var fixed = 0
        for code in DiagnosticCode.allCases {
            guard let file = Self.source(code) else { continue }
            let (_, diags) = compileProject([file])
            let fixes = diags.filter { $0.code == code }.flatMap(\.fixes)
            guard !fixes.isEmpty else { continue }
            var scalars = file.scalars
            for f in fixes.sorted(by: { $0.range.start > $1.range.start }) {
                XCTAssertTrue(f.range.start <= f.range.end && f.range.end <= scalars.count, code.rawValue)
                scalars.replaceSubrange(f.range.start..<f.range.end, with: Array(f.replacement.unicodeScalars))
            }
            var text = String.UnicodeScalarView()
            text.append(contentsOf: scalars)
            let repaired = SourceFile(path: file.path, text: String(text))
            let after = compileProject([repaired]).diagnostics
            XCTAssertFalse(after.contains { $0.code == code }, "\(code.rawValue): the fix-its leave\n" + after.map { DiagnosticRenderer.render($0, files: [repaired], lang: .en) }.joined())
            fixed += 1
        }
        XCTAssertGreaterThanOrEqual(fixed, 8, "the golden cases exercise the fix-its")
    }

    // MARK: docs

    func testEveryCodeIsDocumented() throws {
        var text = try String(contentsOf: Self.docs, encoding: .utf8)
        guard let m = text.range(of: Self.marker) else {
            XCTFail("docs/diagnostics.md lacks the generated part's marker")
            return
        }
        let generated = Self.marker + "\n" + Self.documentation()
        if Self.updating {
            text = String(text[..<m.lowerBound]) + generated
            try Data(text.utf8).write(to: Self.docs)
        }
        for code in DiagnosticCode.allCases {
            XCTAssertTrue(text.contains("\n### \(code.rawValue) "), "docs/diagnostics.md has no section for \(code.rawValue)")
        }
        XCTAssertEqual(String(text[m.lowerBound...]), generated,
                       "docs/diagnostics.md is out of date; regenerate with DABIAO_UPDATE_GOLDEN=1 swift test --filter DiagnosticCatalogTests")
    }

    /// Each code: what it means, its example and what `dabiao lint` prints.
    /// Lines past 150 characters are cut with `…` here (not in the goldens).
    static func documentation() -> String {
        func cut(_ s: String) -> String {
            s.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
                line.unicodeScalars.count > 150 ? String(String.UnicodeScalarView(line.unicodeScalars.prefix(150))) + " …" : String(line)
            }.joined(separator: "\n")
        }
        var out = ""
        var group = ""
        let groups = ["E01": "字符、数字与字符串 / Characters, numbers and strings", "E02": "语法 / Syntax", "E03": "url",
                      "E04": "声明：规则集、实体、字段、单位 / Declarations: rulesets, entities, fields, units",
                      "E05": "表达式中的名称、类型与单位 / Names, types and units in expressions", "E06": "函数与聚合 / Functions and aggregates",
                      "E07": "规则：let、measure、adjust / Rules: lets, measures, adjusts", "E08": "测试 / Tests", "W00": "警告 / Warnings"]
        for code in DiagnosticCode.allCases {
            let g = String(code.rawValue.prefix(3))
            if g != group {
                group = g
                out += "\n## \(groups[g] ?? g)\n"
            }
            out += "\n### \(code.rawValue) `\(code)`\n\n\(code.explanation)\n"
            guard let file = source(code) else { continue }
            let snippet = file.lineStarts.indices.map { file.lineText($0 + 1) }.joined(separator: "\n")
            out += "\n```\n" + cut(snippet.hasSuffix("\n") ? String(snippet.dropLast()) : snippet) + "\n```\n"
            let en = rendered(file, .en).text
            out += "\n```\n" + cut(String(en.dropLast())) + "\n```\n"
            if chinese.contains(code) {
                out += "\n```\n" + cut(String(rendered(file, .zh).text.dropLast())) + "\n```\n"
            }
        }
        return out
    }
}
