import Foundation
import XCTest
@testable import DabiaoCore

/// `dabiao page` (docs/page.md): one self-contained, offline HTML file. The
/// browser test (scripts/page_browser_check.py) checks what it does; these
/// check what it is made of.
final class PageTests: XCTestCase {
    static let builtin: Program? = compileProject(Discovery.builtinRuleFiles()).program

    func builtinPage() throws -> String {
        Page.render(try XCTUnwrap(Self.builtin, "the built-in rulebooks compile"))
    }

    /// The inline `<script>` elements: (attributes, body), JSON data blocks included.
    func scripts(_ html: String) -> [(attributes: String, body: String)] {
        var out: [(String, String)] = []
        var rest = html[...]
        while let open = rest.range(of: "<script") {
            guard let endOfTag = rest[open.upperBound...].range(of: ">"),
                  let close = rest[endOfTag.upperBound...].range(of: "</script>") else { break }
            out.append((String(rest[open.upperBound..<endOfTag.lowerBound]), String(rest[endOfTag.upperBound..<close.lowerBound])))
            rest = rest[close.upperBound...]
        }
        return out
    }

    func csp(_ html: String) throws -> [String: [String]] {
        let marker = #"<meta http-equiv="Content-Security-Policy" content=""#
        let start = try XCTUnwrap(html.range(of: marker), "a CSP meta element")
        let end = try XCTUnwrap(html[start.upperBound...].range(of: "\""))
        var directives: [String: [String]] = [:]
        for part in html[start.upperBound..<end.lowerBound].split(separator: ";") {
            let words = part.split(separator: " ").map(String.init)
            guard let name = words.first else { continue }
            directives[name] = Array(words.dropFirst())
        }
        return directives
    }

    func testBuiltinPageIsAtMost500KB() throws {
        let size = try builtinPage().utf8.count
        XCTAssertLessThanOrEqual(size, 500_000, "the page for the built-in rulebooks is \(size) bytes; the limit is 500 KB (issue 15)")
        XCTAssertGreaterThan(size, 100_000, "the page carries the rulebooks")
    }

    func testContentSecurityPolicyForbidsTheNetworkAndAllowsOnlyThePagesScripts() throws {
        let html = try builtinPage()
        let policy = try csp(html)
        XCTAssertEqual(policy["default-src"], ["'none'"])
        XCTAssertEqual(policy["style-src"], ["'unsafe-inline'"])
        XCTAssertEqual(policy["base-uri"], ["'none'"])
        XCTAssertEqual(policy["form-action"], ["'none'"])
        // No directive re-opens what default-src closed: no connect-src, img-src, frame-src …
        XCTAssertEqual(Set(policy.keys), ["default-src", "script-src", "style-src", "base-uri", "form-action"])
        // The CSP must come before any script, or it would not cover it.
        let cspAt = try XCTUnwrap(html.range(of: "Content-Security-Policy")).lowerBound
        let scriptAt = try XCTUnwrap(html.range(of: "<script")).lowerBound
        XCTAssertLessThan(cspAt, scriptAt)

        // Exactly the executable inline scripts are allowed, by their hash.
        let executable = scripts(html).filter { !$0.attributes.contains("application/json") }
        XCTAssertGreaterThanOrEqual(executable.count, 2, "the boot script and the interface at least")
        let hashes = Set(executable.map { "'sha256-\(Page.sha256Base64($0.body))'" })
        XCTAssertEqual(Set(policy["script-src"] ?? []), hashes)
        XCTAssertFalse(html.contains("unsafe-eval"))
    }

    func testSHA256Base64IsTheStandardDigest() {
        // printf 'abc' | openssl dgst -sha256 -binary | base64
        XCTAssertEqual(Page.sha256Base64("abc"), "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=")
    }

    func testNoExternalResource() throws {
        let html = try builtinPage()
        let lower = html.lowercased()
        for pattern in [#"(src|href|action|srcset|poster|data)\s*=\s*["']?\s*(https?:|ftp:|//)"#, #"url\(\s*["']?\s*(https?:|//)"#, #"@import"#] {
            let re = try NSRegularExpression(pattern: pattern)
            let hit = re.firstMatch(in: lower, range: NSRange(lower.startIndex..., in: lower))
            XCTAssertNil(hit, "no external reference: \(pattern) matched \(hit.flatMap { Range($0.range, in: lower) }.map { String(lower[$0]) } ?? "")")
        }
        for word in ["fetch(", "xmlhttprequest", "websocket", "eventsource", "sendbeacon", "importscripts", "import(", "<link", "<iframe", "<img"] {
            XCTAssertFalse(lower.contains(word), "the page has no \(word)")
        }
    }

    /// The page shows the contents of files it did not write: the interface
    /// sets text, never markup, and never turns text into code.
    func testInterfaceNeverTurnsTextIntoMarkupOrCode() throws {
        let ui = try XCTUnwrap(BuiltinFiles.all.first { $0.path == Page.uiScriptPath })
        let js = String(decoding: ui.bytes, as: UTF8.self)
        for word in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "setTimeout(\"", "?.", "??"] {
            XCTAssertFalse(js.contains(word), "ui.js uses \(word)")
        }
    }

    func testEmbeddedIREqualsTheIRWithoutTests() throws {
        let program = try XCTUnwrap(Self.builtin)
        let html = Page.render(program)
        let data = try XCTUnwrap(scripts(html).first { $0.attributes.contains(#"id="dabiao-ir""#) }, "the IR data block")
        XCTAssertTrue(data.attributes.contains(#"type="application/json""#), "the IR is data, not a script")
        XCTAssertFalse(data.body.contains("<"), "no < can end the data block early")
        XCTAssertFalse(data.body.contains("\n"), "compact")
        let embedded = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(data.body.utf8)) as? NSDictionary)
        var full = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(IR.render(program).utf8)) as? [String: Any])
        XCTAssertNotNil(full.removeValue(forKey: "tests"), "the IR has tests to leave out")
        XCTAssertNil(embedded["tests"])
        XCTAssertEqual(embedded, full as NSDictionary)
        XCTAssertEqual((embedded["rulesFiles"] as? [Any])?.count, Discovery.builtinRuleFiles().count, "the page says which rulebooks it carries")
    }

    func testDeterministicBytes() throws {
        let first = try builtinPage()
        // A second compilation, not only a second render.
        let again = try XCTUnwrap(compileProject(Discovery.builtinRuleFiles()).program)
        XCTAssertEqual(first, Page.render(again))
    }

    func testEvaluatorEmbeddedOnceWhenPresent() throws {
        let html = try builtinPage()
        let evaluator = BuiltinFiles.all.first { $0.path == Page.evaluatorPath }
        let found = scripts(html).filter { $0.attributes.contains(#"id="dabiao-evaluator""#) }
        if let evaluator {
            XCTAssertEqual(found.count, 1, "evaluator.js is embedded once")
            XCTAssertEqual(found.first?.body, Page.scriptSafe(String(decoding: evaluator.bytes, as: UTF8.self)))
        } else {
            // Before the evaluator is merged the page still builds; ui.js says it cannot check.
            XCTAssertEqual(found.count, 0)
        }
        let ui = try XCTUnwrap(BuiltinFiles.all.first { $0.path == Page.uiScriptPath }, "ui.js is a resource")
        XCTAssertEqual(scripts(html).filter { $0.attributes.contains(#"id="dabiao-ui""#) }.first?.body,
                       Page.scriptSafe(String(decoding: ui.bytes, as: UTF8.self)))
        // The evaluator must see the IR: the boot script runs before it, the interface after it.
        let order = scripts(html).compactMap { s in ["dabiao-ir", "dabiao-boot", "dabiao-evaluator", "dabiao-ui"].first { s.attributes.contains("id=\"\($0)\"") } }
        XCTAssertEqual(order, evaluator == nil ? ["dabiao-ir", "dabiao-boot", "dabiao-ui"] : ["dabiao-ir", "dabiao-boot", "dabiao-evaluator", "dabiao-ui"])
    }

    func testScriptTextCannotCloseItsElement() throws {
        let program = try XCTUnwrap(Self.builtin)
        let hostile = BuiltinFiles.File(path: Page.evaluatorPath, bytes: Array("var s = '</script><img src=x>'; /* <!-- */ globalThis.dabiao = {};".utf8))
        let style = BuiltinFiles.File(path: Page.stylePath, bytes: Array("p { color: red } </style><script>alert(1)</script>".utf8))
        let html = Page.render(program, resources: [hostile, style])
        let all = scripts(html)
        XCTAssertEqual(all.map { $0.attributes.contains("dabiao-evaluator") }.filter { $0 }.count, 1)
        XCTAssertEqual(html.components(separatedBy: "</script>").count - 1, all.count, "every </script> closes one of the page's own elements")
        XCTAssertEqual(html.components(separatedBy: "</style>").count - 1, 1)
        XCTAssertFalse(html.contains("<!--"))
        // The hash allows the escaped text, the one the browser runs.
        let policy = try csp(html)
        let body = try XCTUnwrap(all.first { $0.attributes.contains("dabiao-evaluator") }).body
        XCTAssertTrue(policy["script-src"]?.contains("'sha256-\(Page.sha256Base64(body))'") == true)
    }
}

// MARK: the command line

extension CLITests {
    func testPageCommandWritesTheFile() throws {
        let out = dir.appendingPathComponent("page.html")
        let r = try run(["page", "--output", out.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let html = try String(contentsOf: out, encoding: .utf8)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(html.contains(#"id="dabiao-ir""#))

        let small = try run(["page", "--rules", dir.appendingPathComponent("basic.rules").path])
        XCTAssertEqual(small.status, 0, small.stderr)
        XCTAssertTrue(small.stdout.contains(#""code":"ZZ-01""#), "the page carries the given rules")
        XCTAssertLessThan(small.stdout.utf8.count, html.utf8.count)

        let bad = dir.appendingPathComponent("bad.rules")
        try "rule X {\n".write(to: bad, atomically: true, encoding: .utf8)
        XCTAssertEqual(try run(["page", "--rules", bad.path]).status, 2, "broken rules give no page")
    }
}
