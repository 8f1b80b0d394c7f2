import XCTest
@testable import DabiaoCore

final class HTMLReportTests: XCTestCase {
    static let void: Set<String> = ["meta", "br", "input", "img", "hr", "link", "wbr", "col", "source"]

    /// Checks that every element is closed in order (void elements and
    /// `<x/>` excepted), skipping the bodies of script and style. Returns the
    /// problem, or nil when balanced; also counts elements by name.
    static func balance(_ html: String) -> (problem: String?, counts: [String: Int]) {
        var stack: [String] = []
        var counts: [String: Int] = [:]
        let s = Array(html.unicodeScalars)
        var i = 0
        while i < s.count {
            guard s[i] == "<" else { i += 1; continue }
            var j = i + 1
            while j < s.count, s[j] != ">" { j += 1 }
            guard j < s.count else { return ("unterminated tag", counts) }
            var tag = String(String.UnicodeScalarView(s[(i + 1)..<j]))
            i = j + 1
            if tag.hasPrefix("!") { continue }
            let selfClosing = tag.hasSuffix("/")
            if selfClosing { tag.removeLast() }
            let closing = tag.hasPrefix("/")
            if closing { tag.removeFirst() }
            let name = String(tag.prefix { $0 != " " && $0 != "\n" }).lowercased()
            if closing {
                guard stack.last == name else { return ("</\(name)> closes <\(stack.last ?? "nothing")>", counts) }
                stack.removeLast()
                continue
            }
            counts[name, default: 0] += 1
            if selfClosing || void.contains(name) { continue }
            if name == "script" || name == "style" {
                let end = Array("</\(name)>".unicodeScalars)
                var k = i
                while k + end.count <= s.count, Array(s[k..<(k + end.count)]) != end { k += 1 }
                guard k + end.count <= s.count else { return ("unclosed \(name)", counts) }
                i = k + end.count
                continue
            }
            stack.append(name)
        }
        return (stack.isEmpty ? nil : "unclosed: \(stack)", counts)
    }

    func testSelfContainedBalancedAndComplete() throws {
        let r = ReportFixtures.report()
        let html = HTMLReport.render(r, lang: .zh)
        if let out = ProcessInfo.processInfo.environment["DABIAO_HTML_OUT"] {
            try html.write(toFile: out, atomically: true, encoding: .utf8)
        }
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"zh-CN\">"))
        let (problem, counts) = Self.balance(html)
        XCTAssertNil(problem)
        XCTAssertEqual(counts["html"], 1)
        XCTAssertEqual(counts["main"], 1)
        XCTAssertEqual(counts["svg"], 2, "one chart per rule, one per city")
        XCTAssertEqual(counts["article"], r.rectification.count)
        for x in r.results { XCTAssertTrue(html.contains(">\(HTMLReport.esc(x.key))<"), x.key) }
        // Results table: one row per result with its filter attributes.
        XCTAssertEqual(html.components(separatedBy: "<tr data-outcome=").count - 1, r.results.count)
        XCTAssertTrue(html.contains("data-outcome=\"fail\" data-city=\"兰州市\" data-rule=\"ZZ-02\""))
        // Nothing is fetched from anywhere.
        for banned in ["http://", "https://", "src=", "@import", "url(", "<link"] {
            XCTAssertFalse(html.contains(banned), banned)
        }
        XCTAssertTrue(html.contains("\"Noto Sans CJK SC\""))
        XCTAssertTrue(html.contains("@page { size: A4"))
        // Filters start hidden so that, without scripting, only the full table shows.
        XCTAssertTrue(html.contains("<div id=\"filters\" class=\"filters\" hidden>"))
    }

    func testEscaping() {
        let html = HTMLReport.render(ReportFixtures.report(), lang: .zh)
        XCTAssertTrue(html.contains("&lt;低于&gt; 3000 元 &amp; 更多"))
        XCTAssertFalse(html.contains("<低于>"))
        XCTAssertTrue(html.contains("天水&quot;职业&quot;学院"))
        XCTAssertFalse(html.unicodeScalars.contains("\u{1}"))
        XCTAssertTrue(html.contains("低于 20 平方米/人<br>请整改"))
        XCTAssertEqual(HTMLReport.esc("<a href='x'>&\u{0}"), "&lt;a href=&#39;x&#39;&gt;&amp;")
    }

    func testSummaryNumbersAndEnglish() {
        let zh = HTMLReport.render(ReportFixtures.report(), lang: .zh)
        XCTAssertTrue(zh.contains("<div class=\"num\">28.6%</div><div class=\"lbl\">达标率</div>"))
        XCTAssertTrue(zh.contains("<div class=\"num\">8</div><div class=\"lbl\">结果</div>"))
        let en = HTMLReport.render(ReportFixtures.report(), lang: .en)
        XCTAssertTrue(en.contains("<h2>Pass rate by rule</h2>"))
        XCTAssertTrue(en.contains("<html lang=\"en\">"))
        XCTAssertNil(Self.balance(en).problem)
        XCTAssertEqual(HTMLReport.render(ReportFixtures.report(), lang: .zh), zh)
    }

    func testEmptyReportIsStillAPage() {
        let html = HTMLReport.render(ReportFixtures.report(results: []), lang: .zh)
        XCTAssertNil(Self.balance(html).problem)
        XCTAssertFalse(html.contains("results-table\" class"))
    }
}

final class HTMLFilterTests: XCTestCase {
    func testFilterOptionsCoverOutcomesCitiesAndRules() {
        let html = HTMLReport.render(ReportFixtures.report(), lang: .zh)
        XCTAssertTrue(html.contains("<option value=\"fail\">不达标</option>"))
        XCTAssertTrue(html.contains("<option value=\"兰州市\">兰州市</option><option value=\"天水市\">天水市</option><option value=\"-\">（未注明）</option>"))
        XCTAssertTrue(html.contains("<option value=\"ZZ-03\">ZZ-03 实训设备值</option>"))
        XCTAssertFalse(html.contains("<option value=\"pass-x\""))
    }
}
