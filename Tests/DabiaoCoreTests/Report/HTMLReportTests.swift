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

    /// The JSON of the page's data block.
    static func data(_ html: String) throws -> [String: Any] {
        let open = "<script type=\"application/json\" id=\"dabiao-data\">"
        guard let a = html.range(of: open), let b = html.range(of: "</script>", range: a.upperBound..<html.endIndex) else {
            throw XCTSkip("no data block")
        }
        let obj = try JSONSerialization.jsonObject(with: Data(html[a.upperBound..<b.lowerBound].utf8))
        return try XCTUnwrap(obj as? [String: Any])
    }

    /// The `<tr>`s of the rows written as HTML.
    static func staticRows(_ html: String) -> Int {
        guard let a = html.range(of: "<tbody class=\"static\">"), let b = html.range(of: "</tbody>", range: a.upperBound..<html.endIndex) else { return -1 }
        return html[a.upperBound..<b.lowerBound].components(separatedBy: "<tr>").count - 1
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
        // Every result is a row of HTML (fewer than the cap) and of data.
        XCTAssertEqual(Self.staticRows(html), r.results.count)
        let data = try Self.data(html)
        let rows = try XCTUnwrap(data["rows"] as? [[Any]])
        XCTAssertEqual(rows.count, r.results.count)
        // Failures first: categories never go down, and count what the results hold.
        let cats = rows.compactMap { $0[2] as? Int }
        XCTAssertEqual(cats, cats.sorted())
        XCTAssertEqual(cats.filter { $0 == 0 }.count, r.results.filter { $0.outcome == .fail && $0.level == .error }.count)
        XCTAssertEqual(cats.filter { $0 == 6 }.count, r.results.filter { $0.outcome == .pass }.count)
        XCTAssertEqual(cats.first, 0)
        // Strings once: the rule title is in the table, not per row.
        let strings = try XCTUnwrap(data["s"] as? [String])
        XCTAssertEqual(strings.filter { $0 == "生均校舍建筑面积" }.count, 1)
        XCTAssertEqual(Set(strings).count, strings.count)
        // Filters: level, rule, city, search; owner only when a rule names one.
        for name in ["select name=\"level\"", "select name=\"rule\"", "select name=\"city\"", "input type=\"search\""] {
            XCTAssertTrue(html.contains(name), name)
        }
        XCTAssertFalse(html.contains("select name=\"owner\""))
        // Nothing is fetched from anywhere, and the page says so to the browser.
        for banned in ["http://", "https://", "src=", "@import", "url(", "<link"] {
            XCTAssertFalse(html.contains(banned), banned)
        }
        XCTAssertTrue(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"))
        XCTAssertTrue(html.contains("\"Noto Sans CJK SC\""))
        XCTAssertTrue(html.contains("@page { size: A4"))
        XCTAssertTrue(html.contains("<div id=\"filters\" class=\"filters\" hidden>"))
    }

    func testOwnersAndRowsCappedWithAnHonestNote() throws {
        var many: [RuleResult] = []
        for i in 0..<1_050 {
            let owned = i % 4 == 0
            var x = ReportFixtures.result("zz_basic", owned ? "ZZ-02" : "ZZ-03", "生均校舍建筑面积", key: String(format: "K%05d", i), name: "学校\(i)",
                                          city: i % 3 == 0 ? nil : "兰州市", i % 2 == 0 ? .fail : .missing, line: i + 2)
            x.owner = owned ? "学校举办者" : "学校"
            many.append(x)
        }
        let html = HTMLReport.render(ReportFixtures.report(results: many), lang: .zh)
        XCTAssertNil(Self.balance(html).problem)
        XCTAssertEqual(Self.staticRows(html), HTMLReport.staticRows)
        XCTAssertTrue(html.contains("前 1000 条，共 1050 条；其余 50 条"))
        let data = try Self.data(html)
        XCTAssertEqual((data["rows"] as? [[Any]])?.count, 1_050)
        // The failures (even keys) come first, then the missing ones.
        let first = try XCTUnwrap((data["rows"] as? [[Any]])?.first)
        let recs = try XCTUnwrap(data["recs"] as? [[Any]])
        XCTAssertEqual(recs[try XCTUnwrap(first[1] as? Int)][0] as? String, "K00000")
        XCTAssertTrue(html.contains("<select name=\"owner\"><option value=\"\">全部</option><option value=\"0\">学校举办者</option><option value=\"1\">学校</option></select>"))
        XCTAssertEqual((data["owners"] as? [Int])?.count, 2)
    }

    func testNumbersInTheDataReadBackAsTheyPrint() {
        XCTAssertEqual(HTMLData.value(15.2), "15.2")
        XCTAssertEqual(HTMLData.value(30400), "30400")
        XCTAssertEqual(HTMLData.value(-0.5), "-0.5")
        XCTAssertEqual(HTMLData.value(0.000123), "0.000123")
        XCTAssertEqual(HTMLData.value(nil), "null")
        XCTAssertEqual(HTMLData.value(.infinity), "\"—\"")
        XCTAssertEqual(HTMLData.value(1234567890123456.5), "\"\(formatNumber(1234567890123456.5))\"")
        XCTAssertFalse(HTMLData.isPlainNumber("01"))
        XCTAssertFalse(HTMLData.isPlainNumber("1."))
        XCTAssertFalse(HTMLData.isPlainNumber("1.50"))
        XCTAssertTrue(HTMLData.isPlainNumber("0.5"))
    }

    func testScriptEndInDataCannotCloseTheBlock() throws {
        var x = ReportFixtures.results[4]
        x.message = "</script><script>alert(1)</script>\r\n第二行"
        let html = HTMLReport.render(ReportFixtures.report(results: [x]), lang: .zh)
        XCTAssertEqual(html.components(separatedBy: "</script>").count - 1, 2, "the data block and the page script")
        let data = try Self.data(html)
        let strings = try XCTUnwrap(data["s"] as? [String])
        XCTAssertTrue(strings.contains("</script><script>alert(1)</script>\n第二行"))
        XCTAssertTrue(html.contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;<br>第二行"))
    }

    func testRectificationIsCappedWithTotals() {
        var r = ReportFixtures.report()
        let item = r.rectification[0]
        r.rectification = (0..<(HTMLReport.rectificationItems + 5)).map { i in
            var it = item
            it.key = "R\(i)"
            it.city = i.isMultiple(of: 2) ? "天水市" : nil
            return it
        }
        let html = HTMLReport.render(r, lang: .zh)
        XCTAssertEqual(Self.balance(html).counts["article"], HTMLReport.rectificationItems)
        XCTAssertTrue(html.contains("共 \(HTMLReport.rectificationItems + 5) 个"))
        // Per city: 天水市 has the even ones, the rest have no city.
        XCTAssertTrue(html.contains("<tr><td>天水市</td><td class=\"n\">103</td><td class=\"n\">206</td><td class=\"n\">0</td></tr>"))
        XCTAssertTrue(html.contains("<tr><td>未注明市州</td><td class=\"n\">102</td>"))
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
    func testFilterOptionsCoverLevelsCitiesAndRules() {
        let html = HTMLReport.render(ReportFixtures.report(), lang: .zh)
        XCTAssertTrue(html.contains("<option value=\"0\">不达标·错误</option><option value=\"1\">不达标·警告</option><option value=\"3\">数据缺失</option>"))
        XCTAssertTrue(html.contains("<option value=\"0\">兰州市</option><option value=\"1\">天水市</option><option value=\"-1\">未注明市州</option>"))
        XCTAssertTrue(html.contains("<option value=\"3\">ZZ-03 实训设备值</option>"))
    }

    /// Cities as the region data lists them, those without one apart and
    /// never a bar; with failures only, rates still come from every result.
    func testCitiesInRegionOrderApartFromNoCity() throws {
        var r = ReportFixtures.report(showsAll: false)
        var a = Summary(), b = Summary(), none = Summary()
        for _ in 0..<3 { a.count(.pass, nil) }
        a.count(.fail, .error)
        b.count(.pass, nil)
        none.count(.pass, nil)
        r.cities = [CityTally(city: "天水市", summary: b), CityTally(city: "兰州市", summary: a), CityTally(city: nil, summary: none)]
        let html = HTMLReport.render(r, lang: .zh)
        let section = try XCTUnwrap(html.components(separatedBy: "<section id=\"by-city\">").dropFirst().first?.components(separatedBy: "</section>").first)
        let svg = try XCTUnwrap(section.components(separatedBy: "</svg>").first)
        XCTAssertLessThan(try XCTUnwrap(svg.range(of: ">天水市<")).lowerBound, try XCTUnwrap(svg.range(of: ">兰州市<")).lowerBound)
        XCTAssertFalse(svg.contains("未注明"))
        XCTAssertTrue(section.contains("<tr><td>兰州市</td><td class=\"n\">4</td><td class=\"n\">3</td><td class=\"n\">1</td><td class=\"n\">0</td><td class=\"n\">0</td><td class=\"n\">0</td><td class=\"n\">75.0%</td></tr>"))
        XCTAssertTrue(section.contains("<tfoot><tr class=\"nocity\"><td>未注明市州</td>"))
        XCTAssertFalse(section.contains(">—<"))
        // The city filter follows the same order.
        XCTAssertTrue(html.contains("<option value=\"0\">天水市</option><option value=\"1\">兰州市</option>"))
    }

    func testSampleCitiesFollowTheRegionRows() throws {
        let r = try SampleReports.slice.get()
        let names = r.cities.compactMap(\.city)
        XCTAssertEqual(Array(names.prefix(4)), ["兰州市", "嘉峪关市", "金昌市", "白银市"])
        XCTAssertEqual(r.cities.last?.city, nil, "the records without a city last")
        // Every result is counted once, passes included.
        let total = r.cities.reduce(Summary()) { var s = $0; s.add($1.summary); return s }
        XCTAssertEqual(total, r.summary)
        let html = HTMLReport.render(r, lang: .zh)
        let data = try HTMLReportTests.data(html)
        let cats = (data["rows"] as? [[Any]] ?? []).compactMap { $0[2] as? Int }
        XCTAssertEqual(cats.filter { $0 == 0 }.count, r.summary.error)
        XCTAssertEqual(cats.filter { $0 == 1 }.count, r.summary.warning)
        XCTAssertEqual(cats.filter { $0 == 2 }.count, r.summary.info)
        XCTAssertEqual(cats.filter { $0 == 3 }.count, r.summary.missing)
        XCTAssertEqual(cats.count, r.summary.fail + r.summary.waived + r.summary.missing + r.summary.undefined)
    }
}
