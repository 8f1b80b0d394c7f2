import XCTest
@testable import DabiaoCore

/// `url "…"` in rulesets and rules: inherited and overridden, validated with
/// a diagnostic at the offending character, and SARIF `helpUri` only where
/// a rulebook gives one.
final class URLItemTests: XCTestCase {
    func rules(rulesetURL: String?, ruleURL: String?) -> String {
        Core.schoolSchema + """
        ruleset t "测试" {
          for school where level == "中职"
        \(rulesetURL.map { "  url \"\($0)\"" } ?? "")
          rule R-1 "在校生" {
            require students >= 100
            \(ruleURL.map { "url \"\($0)\"" } ?? "")
          }
          rule R-2 "教师" {
            require teachers >= 10
          }
        }

        """
    }

    func urls(_ p: Program) -> [String: String?] {
        Dictionary(uniqueKeysWithValues: p.rules.map { ($0.code, $0.url) })
    }

    func testARuleInheritsItsRulesetsURLAndMayOverrideIt() throws {
        let both = try Core.program(rules(rulesetURL: "https://www.moe.gov.cn/srcsite/A07/", ruleURL: "http://example.org/r1?a=1&b=%E6%A0%87#x"))
        XCTAssertEqual(urls(both)["R-1"], "http://example.org/r1?a=1&b=%E6%A0%87#x")
        XCTAssertEqual(urls(both)["R-2"], "https://www.moe.gov.cn/srcsite/A07/")
        let ruleOnly = try Core.program(rules(rulesetURL: nil, ruleURL: "https://example.org/r1"))
        XCTAssertEqual(urls(ruleOnly)["R-1"], "https://example.org/r1")
        XCTAssertEqual(urls(ruleOnly)["R-2"], .some(nil))
        let none = try Core.program(rules(rulesetURL: nil, ruleURL: nil))
        XCTAssertEqual(none.rules.compactMap(\.url), [])
    }

    func testURLIsNoKeyword() throws {
        // A field may still be called `url`: the word only means the item at
        // the start of a ruleset or rule line.
        let text = Core.schoolSchema.replacingOccurrences(of: "optional remarks: text          \"备注\"",
                                                          with: "optional remarks: text          \"备注\"\n  optional url : text \"网址\"") + """
        ruleset t "测试" {
          for school
          url "https://example.org/"
          rule R-1 "网址" {
            let url2 = url
            require url2 != ""
          }
        }

        """
        let p = try Core.program(text)
        XCTAssertEqual(p.rules.first?.url, "https://example.org/")
    }

    /// Each bad URL, where its caret goes (the first occurrence of `at` in
    /// the rule's url line), how wide, and words of the message and the help.
    struct Bad {
        var url: String
        var at: String
        var width: Int
        var message: String
        var help: String
    }

    static let bad: [Bad] = [
        Bad(url: "https://example.org/a b", at: " b\"", width: 1, message: "a URL cannot contain a space", help: "%20"),
        Bad(url: "https://example.org/\u{3000}x", at: "\u{3000}", width: 1, message: "a URL cannot contain a space", help: "%20"),
        Bad(url: "ftp://example.org/", at: "\"ftp", width: 20, message: "starting with http:// or https://", help: "https://www.moe.gov.cn/"),
        Bad(url: "www.moe.gov.cn", at: "\"www", width: 16, message: "absolute URL", help: "e.g. url"),
        Bad(url: "", at: "\"\"", width: 2, message: "absolute URL", help: "e.g. url"),
        Bad(url: "https:///path", at: "\"https:///", width: 15, message: "the URL has no host", help: "e.g. url"),
        Bad(url: "https://example.org/标准", at: "标", width: 1, message: "'标' must be percent-encoded (UTF-8)", help: "write %E6%A0%87"),
        Bad(url: "https://例子.cn/", at: "例", width: 1, message: "'例' in a host name must be written in Punycode", help: "xn--"),
        Bad(url: "https://example.org/\\t", at: "\\t", width: 2, message: "backslash or an escape sequence", help: "paths use /"),
        Bad(url: "https://example.org/%zz", at: "%zz", width: 1, message: "'%' must be followed by two hex digits", help: "%25"),
        Bad(url: "https://example.org/<a>", at: "<a>", width: 1, message: "the character '<' cannot appear", help: "write %3C"),
        Bad(url: "https://example.org/\u{1}", at: "\u{1}", width: 1, message: "control character U+0001", help: "remove"),
    ]

    func testABadURLIsALocatedDiagnosticWithCaretAndHint() throws {
        let d = Located()
        for (i, b) in Self.bad.enumerated() {
            // Once in the ruleset, once in a rule: both are checked.
            for inRule in [false, true] {
                let text = inRule ? rules(rulesetURL: nil, ruleURL: b.url) : rules(rulesetURL: b.url, ruleURL: nil)
                let (errors, out) = Core.rendered(text)
                XCTAssertEqual(errors.count, 1, "\(i): \(out)")
                let loc = try XCTUnwrap(d.locate(text, b.at, after: "url "), "\(i)")
                let block = try XCTUnwrap(d.block(out, loc), "\(i) \(b.url): no diagnostic at \(loc) in:\n\(out)")
                XCTAssertTrue(block.contains("error[E030"), block)
                XCTAssertTrue(block.contains(b.message), "\(i): \(block)")
                XCTAssertTrue(block.contains("= help: ") && block.contains(b.help), "\(i): \(block)")
                let c = try XCTUnwrap(d.caret(block), "\(i): \(block)")
                // Columns count scalars; the caret line counts screen columns,
                // which differ only after wide characters, and there are none
                // before a url on its line.
                XCTAssertEqual(c.lead, loc.column - 1, "\(i): \(block)")
                XCTAssertEqual(c.width, b.width == 1 && b.at.unicodeScalars.first.map { $0.value >= 0x3000 } == true ? 2 : b.width,
                               "\(i): \(block)")
            }
        }
    }

    func testChineseDiagnostic() throws {
        let (errors, out) = Core.rendered(rules(rulesetURL: "https://example.org/a b", ruleURL: nil), lang: .zh)
        XCTAssertEqual(errors.count, 1)
        XCTAssertTrue(out.contains("网址中不能有空格"), out)
        XCTAssertTrue(out.contains("空格写作 %20"), out)
    }

    func testURLNeedsAString() throws {
        let text = rules(rulesetURL: nil, ruleURL: nil).replacingOccurrences(of: "require teachers >= 10", with: "require teachers >= 10\n    url https")
        let (errors, out) = Core.rendered(text)
        XCTAssertEqual(errors.count, 1, out)
        XCTAssertTrue(out.contains("expected a URL (a quoted string)"), out)
    }

    // MARK: SARIF

    func testSARIFHelpUriOnlyWhereTheRulebookGivesOne() throws {
        let text = rules(rulesetURL: nil, ruleURL: "https://example.org/r1")
        let report = try Core.check(text, csv: Core.schoolHeader + Core.schoolRow("S1", students: "50") + Core.schoolRow("S2"))
        XCTAssertEqual(report.tallies.map(\.url), ["https://example.org/r1", nil])
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(SARIFReport.render(report, lang: .zh).utf8)) as? [String: Any])
        let run = try XCTUnwrap((doc["runs"] as? [[String: Any]])?.first)
        let descriptors = try XCTUnwrap(((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        let byID = Dictionary(uniqueKeysWithValues: descriptors.compactMap { r in (r["id"] as? String).map { ($0, r) } })
        XCTAssertEqual(byID["R-1"]?["helpUri"] as? String, "https://example.org/r1")
        XCTAssertNil(byID["R-2"]?["helpUri"], "no url, no helpUri")
        XCTAssertNil(byID["DATA-CELL"]?["helpUri"])
        let md = ((byID["R-1"]?["help"] as? [String: Any])?["markdown"] as? String) ?? ""
        XCTAssertTrue(md.hasSuffix("详见：<https://example.org/r1>\n"), md)
        XCTAssertFalse((((byID["R-2"]?["help"] as? [String: Any])?["markdown"] as? String) ?? "").contains("详见"))

        // From the ruleset, for every rule.
        let inherited = try Core.check(rules(rulesetURL: "https://example.org/rs", ruleURL: nil), csv: Core.schoolHeader + Core.schoolRow("S1"))
        XCTAssertEqual(inherited.tallies.map(\.url), ["https://example.org/rs", "https://example.org/rs"])
        XCTAssertEqual(SARIFReport.render(inherited, lang: .en).components(separatedBy: "\"helpUri\"").count - 1, 2)
    }
}

/// Where a diagnostic is, computed apart from the library (as
/// `DiagnosticsTests` does; that class cannot be instantiated here).
struct Located {
    func locate(_ text: String, _ needle: String, after: String? = nil) -> (line: Int, column: Int)? {
        let scalars = Array(text.unicodeScalars)
        let n = Array(needle.unicodeScalars)
        var from = 0
        if let after, let a = firstIndex(of: Array(after.unicodeScalars), in: scalars, from: 0) {
            from = a + after.unicodeScalars.count
        }
        guard let at = firstIndex(of: n, in: scalars, from: from) else { return nil }
        var line = 1
        var col = 1
        for s in scalars[0..<at] {
            if s == "\n" { line += 1; col = 1 } else { col += 1 }
        }
        return (line, col)
    }

    func firstIndex(of n: [Unicode.Scalar], in s: [Unicode.Scalar], from: Int) -> Int? {
        guard !n.isEmpty, s.count >= n.count, from <= s.count - n.count else { return nil }
        for i in from...(s.count - n.count) where Array(s[i..<i + n.count]) == n { return i }
        return nil
    }

    func block(_ rendered: String, path: String = "t.rules", _ loc: (line: Int, column: Int)) -> String? {
        let head = "\(path):\(loc.line):\(loc.column): "
        guard let r = rendered.range(of: head) else { return nil }
        let rest = rendered[r.lowerBound...]
        if let next = rest.dropFirst(head.count).range(of: "\n\(path):") { return String(rest[..<next.lowerBound]) }
        return String(rest)
    }

    func caret(_ block: String) -> (lead: Int, width: Int)? {
        for line in block.split(separator: "\n", omittingEmptySubsequences: false) where line.contains("^") {
            guard let bar = line.range(of: "| ") else { return nil }
            let after = line[bar.upperBound...]
            let lead = after.prefix { $0 == " " }.count
            let width = after.dropFirst(lead).prefix { $0 == "^" }.count
            return (lead, width)
        }
        return nil
    }
}
