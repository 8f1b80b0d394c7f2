import Foundation
import XCTest
@testable import DabiaoCore

/// `dabiao lint --format json` (docs/diagnostics.md): the shape, positions
/// in 1-based Unicode scalar columns with an exclusive end, both languages,
/// labels, notes, help and fixes; and the command's output and exit codes.
final class DiagnosticJSONTests: XCTestCase {
    func json(_ text: String, lang: Lang = .en, path: String = "t.rules") throws -> [String: Any] {
        let files = [SourceFile(path: path, text: text)]
        let (p, diags) = compileProject(files)
        let out = DiagnosticJSON.render(diags, files: files, lang: lang, rules: p?.rules.count ?? 0)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
    }

    func position(_ r: Any?, _ end: String) -> [Int]? {
        guard let p = (r as? [String: Any])?[end] as? [String: Any], let l = p["line"] as? Int, let c = p["column"] as? Int else { return nil }
        return [l, c]
    }

    func testUnitMismatchWithLabelsHelpAndFix() throws {
        let text = Core.schoolRules("""
          rule R-1 "x" {
            require building_area / students >= 20
          }
        """)
        let doc = try json(text)
        XCTAssertEqual(doc["tool"] as? String, "dabiao")
        XCTAssertEqual(doc["errors"] as? Int, 1)
        XCTAssertEqual(doc["warnings"] as? Int, 0)
        XCTAssertEqual(doc["files"] as? Int, 1)
        let d = try XCTUnwrap((doc["diagnostics"] as? [[String: Any]])?.first)
        XCTAssertEqual(d["code"] as? String, "E0510")
        XCTAssertEqual(d["severity"] as? String, "error")
        XCTAssertEqual(d["message"] as? String, "unit mismatch: 平方米/人 against 无量纲数")
        XCTAssertEqual((d["messages"] as? [String: String])?["zh"], "单位不一致：平方米/人 与 无量纲数")
        XCTAssertEqual(d["file"] as? String, "t.rules")
        let line = try XCTUnwrap(text.components(separatedBy: "\n").firstIndex { $0.contains(">= 20") }) + 1
        XCTAssertEqual(position(d["range"], "start"), [line, 41])
        XCTAssertEqual(position(d["range"], "end"), [line, 43], "end is exclusive")
        let labels = try XCTUnwrap(d["labels"] as? [[String: Any]])
        XCTAssertEqual(labels.map { $0["primary"] as? Bool }, [true, false])
        XCTAssertEqual(labels.map { $0["message"] as? String }, ["no unit", "in 平方米/人"])
        XCTAssertEqual(position(labels[1]["range"], "start"), [line, 13])
        XCTAssertEqual(position(labels[1]["range"], "end"), [line, 37])
        XCTAssertEqual((d["help"] as? [String: Any])?["message"] as? String, "write 20 平方米/人")
        XCTAssertEqual((d["notes"] as? [Any])?.count, 0)
        let fix = try XCTUnwrap((d["fixes"] as? [[String: Any]])?.first)
        XCTAssertEqual(fix["replacement"] as? String, " 平方米/人")
        XCTAssertEqual(position(fix["range"], "start"), [line, 43])
        XCTAssertEqual(position(fix["range"], "end"), [line, 43], "an insertion")
    }

    func testColumnsCountScalarsAndChineseIsChosenByLang() throws {
        let text = Core.schoolRules("""
          rule R-1 "x" {
            require 生均面 >= 1 and studnets > 0
          }
        """)
        let doc = try json(text, lang: .zh)
        let ds = try XCTUnwrap(doc["diagnostics"] as? [[String: Any]])
        XCTAssertEqual(ds.map { $0["code"] as? String }, ["E0503", "E0503"])
        let line = try XCTUnwrap(text.components(separatedBy: "\n").firstIndex { $0.contains("生均面") }) + 1
        // `    require ` is 12 scalars; 生均面 is three (six screen columns).
        XCTAssertEqual(position(ds[0]["range"], "start"), [line, 13])
        XCTAssertEqual(position(ds[0]["range"], "end"), [line, 16])
        // After the wide characters the column still counts scalars.
        XCTAssertEqual(position(ds[1]["range"], "start"), [line, 26])
        XCTAssertEqual(ds[0]["message"] as? String, "未知的名称 “生均面”（不是 school 的字段，也不是 let 或 measure）")
        XCTAssertEqual((ds[1]["help"] as? [String: Any])?["message"] as? String, "是否想写 students？")
        XCTAssertEqual(((ds[1]["help"] as? [String: Any])?["messages"] as? [String: String])?["en"], "did you mean students?")
        XCTAssertEqual((ds[1]["fixes"] as? [[String: Any]])?.first?["replacement"] as? String, "students")
    }

    func testSecondarySpanInAnotherFileAndNotes() throws {
        let a = Core.schoolRules("""
          rule ZZ-01 "a" {
            require students > 0
          }
        """)
        let b = "ruleset other \"其他\" {\n  for school\n  rule ZZ-01 \"b\" {\n    require teachers > 0\n  }\n}\n"
        let files = [SourceFile(path: "a.rules", text: a), SourceFile(path: "b.rules", text: b)]
        let (_, diags) = compileProject(files)
        let out = DiagnosticJSON.render(diags, files: files, lang: .en, rules: 0)
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        let d = try XCTUnwrap((doc["diagnostics"] as? [[String: Any]])?.first)
        XCTAssertEqual(d["code"] as? String, "E0401")
        XCTAssertEqual(d["file"] as? String, "b.rules")
        let labels = try XCTUnwrap(d["labels"] as? [[String: Any]])
        XCTAssertEqual(labels.map { $0["file"] as? String }, ["b.rules", "a.rules"])
        XCTAssertEqual(labels[1]["message"] as? String, "first used here")
        XCTAssertEqual((d["notes"] as? [[String: Any]])?.first?["message"] as? String, "rule codes are unique across the project")
        XCTAssertTrue(d["help"] is NSNull)
    }

    func testCleanRulesGiveAnEmptyList() throws {
        let doc = try json(Core.schoolRules("""
          rule R-1 "x" {
            require students > 0
          }
        """))
        XCTAssertEqual((doc["diagnostics"] as? [Any])?.count, 0)
        XCTAssertEqual(doc["rules"] as? Int, 1)
    }

    // MARK: the command

    func run(_ args: [String]) throws -> CLITests.Run { try CLITests.launch(args) }

    func testLintFormatJSONOnStdoutWithTheUsualExitCodes() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dabiao-diag-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func file(_ name: String, _ text: String) throws -> String {
            let u = dir.appendingPathComponent(name)
            try Data(text.utf8).write(to: u)
            return u.path
        }
        let broken = try file("broken.rules", Core.schoolRules("  rule R-1 \"x\" {\n    require studnets > 0\n  }\n"))
        let warned = try file("warned.rules", Core.schoolRules("  rule R-1 \"x\" {\n    require students > 0\n  }\n", filter: "where level == \"中专\""))
        let r = try run(["lint", broken, "--format", "json", "--lang", "en"])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "")
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout)
        let d = try XCTUnwrap((doc["diagnostics"] as? [[String: Any]])?.first)
        XCTAssertEqual(d["code"] as? String, "E0503")
        XCTAssertEqual(d["file"] as? String, broken)
        let w = try run(["lint", warned, "--format", "json"])
        XCTAssertEqual(w.status, 0, "warnings alone are exit 0")
        let wdoc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(w.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(wdoc["warnings"] as? Int, 1)
        XCTAssertEqual(((wdoc["diagnostics"] as? [[String: Any]])?.first)?["severity"] as? String, "warning")
        // The text form: the same first line, greppable, on stderr.
        let t = try run(["lint", broken, "--lang", "en"])
        XCTAssertEqual(t.status, 2)
        XCTAssertTrue(t.stderr.contains("broken.rules:21:13: error[E0503]: unknown name 'studnets'"), t.stderr)
        // The built-in rulebooks are clean.
        let builtin = try run(["lint", "--format", "json"])
        XCTAssertEqual(builtin.status, 0, builtin.stdout)
    }
}
