import Foundation
import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import DabiaoCore

/// The machine-read formats on the whole real sample report (every rulebook,
/// every result): what a CI panel or a spreadsheet reads back must add up to
/// the report's own summary and per-rule tallies.
final class SampleStructureTests: XCTestCase {
    func full() throws -> Report { try SampleReports.full.get() }

    func testTheSampleReportIsTheOneTheREADMEDescribes() throws {
        let r = try full()
        XCTAssertTrue(r.showsAll)
        XCTAssertEqual(r.results.count, r.summary.results)
        XCTAssertGreaterThan(r.summary.fail, 0)
        XCTAssertGreaterThan(r.summary.missing, 0)
        XCTAssertGreaterThan(r.summary.notApplicable, 0)
        var fromTallies = Summary()
        for t in r.tallies { fromTallies.add(t.summary) }
        XCTAssertEqual(fromTallies, r.summary)
    }

    // MARK: JUnit

    func testJUnitCountsMatchTheSummaryAndTallies() throws {
        let r = try full()
        let xml = JUnitReport.render(r, lang: .zh)
        guard let doc = XMLCollector.parse(xml) else { return XCTFail("JUnit output is not well-formed XML") }
        let s = r.summary
        guard let top = doc.all("testsuites").first else { return XCTFail("no <testsuites>") }
        let problems = r.dataErrors.count
        XCTAssertGreaterThan(problems, 0, "the samples hold data errors")
        XCTAssertEqual(top["tests"], String(s.results + problems))
        XCTAssertEqual(top["failures"], String(s.fail))
        XCTAssertEqual(top["errors"], String(s.missing + s.undefined + problems))
        // junit-10.xsd has no `skipped` on <testsuites>.
        XCTAssertNil(top["skipped"])

        XCTAssertEqual(doc.all("testcase").count, s.results + problems)
        let failures = doc.all("failure")
        XCTAssertEqual(failures.count, s.fail)
        XCTAssertEqual(failures.filter { $0["type"] == "error" }.count, s.error)
        XCTAssertEqual(failures.filter { $0["type"] == "warning" }.count, s.warning)
        XCTAssertEqual(failures.filter { $0["type"] == "info" }.count, s.info)
        XCTAssertEqual(doc.all("error").filter { $0["type"] == "missing" }.count, s.missing)
        XCTAssertEqual(doc.all("error").filter { $0["type"] == "undefined" }.count, s.undefined)
        XCTAssertEqual(doc.all("error").filter { $0["type"] == "rejected-record" }.count, r.dataErrors.filter(\.rejectsRecord).count)
        XCTAssertEqual(doc.all("error").filter { $0["type"] == "data-error" }.count, r.dataErrors.filter { !$0.rejectsRecord }.count)
        XCTAssertEqual(doc.all("skipped").count, s.waived + s.notApplicable)

        // One suite per ruleset that has results, each adding up to its rules' tallies,
        // and one suite `data` holding one error per data problem.
        let suites = doc.all("testsuite")
        var perRuleset: [String: Summary] = [:]
        for t in r.tallies { perRuleset[t.ruleset, default: Summary()].add(t.summary) }
        XCTAssertEqual(Set(suites.compactMap { $0["name"] }), Set(perRuleset.keys).union(["data"]))
        for suite in suites {
            guard let name = suite["name"] else { continue }
            guard let want = perRuleset[name] else {
                XCTAssertEqual(suite["tests"], String(problems))
                XCTAssertEqual(suite["errors"], String(problems))
                continue
            }
            XCTAssertEqual(suite["tests"], String(want.results), name)
            XCTAssertEqual(suite["failures"], String(want.fail), name)
            XCTAssertEqual(suite["errors"], String(want.missing + want.undefined), name)
            XCTAssertEqual(suite["skipped"], String(want.waived + want.notApplicable), name)
        }
        // Attributes junit-10.xsd does not allow are gone; each data problem is named by its file and line.
        XCTAssertTrue(doc.all("testcase").allSatisfy { $0["file"] == nil && $0["line"] == nil })
        let dataCases = doc.all("testcase").filter { $0["classname"] == "data" }
        XCTAssertEqual(dataCases.compactMap { $0["name"] }, r.dataErrors.map { e in
            RenderSupport.location(e.path, e.line) + (e.column.map { " " + $0 } ?? "")
        })
    }

    // MARK: SARIF

    func testSARIFCountsMatchTheSummary() throws {
        let r = try full()
        let text = SARIFReport.render(r, lang: .zh)
        let any = try JSONSerialization.jsonObject(with: Data(text.utf8))
        guard let top = any as? [String: Any], let runs = top["runs"] as? [[String: Any]], let run = runs.first,
              let results = run["results"] as? [[String: Any]],
              let tool = run["tool"] as? [String: Any], let driver = tool["driver"] as? [String: Any],
              let rules = driver["rules"] as? [[String: Any]] else {
            return XCTFail("SARIF output lacks runs[0].results or tool.driver.rules")
        }
        XCTAssertEqual(top["version"] as? String, "2.1.0")
        XCTAssertEqual(runs.count, 1)
        let s = r.summary
        let problems = r.dataErrors.count
        let rejected = r.dataErrors.filter(\.rejectsRecord).count
        XCTAssertGreaterThan(problems, 0)
        XCTAssertEqual(results.count, s.fail + s.waived + s.missing + s.undefined + problems)
        func outcome(_ x: [String: Any]) -> String? { (x["properties"] as? [String: Any])?["outcome"] as? String }
        XCTAssertEqual(results.filter { outcome($0) == "fail" && $0["suppressions"] == nil }.count, s.fail)
        XCTAssertEqual(results.filter { $0["suppressions"] != nil }.count, s.waived)
        XCTAssertEqual(results.filter { outcome($0) == "missing" || outcome($0) == "undefined" }.count, s.missing + s.undefined)
        XCTAssertTrue(results.allSatisfy { $0["kind"] as? String == "fail" })
        let unsuppressed = results.filter { $0["suppressions"] == nil }
        XCTAssertEqual(unsuppressed.filter { $0["level"] as? String == "error" }.count, s.error + rejected)
        XCTAssertEqual(unsuppressed.filter { $0["level"] as? String == "warning" }.count, s.warning + s.missing + s.undefined + problems - rejected)
        XCTAssertEqual(unsuppressed.filter { $0["level"] as? String == "note" }.count, s.info)
        XCTAssertEqual(results.filter { ($0["ruleId"] as? String)?.hasPrefix("DATA-") == true }.count, problems)

        // One descriptor per rule and the two of data problems; every result points at its own descriptor.
        XCTAssertEqual(rules.count, r.tallies.count + 2)
        XCTAssertEqual(Set(rules.compactMap { $0["id"] as? String }).count, rules.count, "rule ids are unique")
        for item in results {
            guard let id = item["ruleId"] as? String, let index = (item["ruleIndex"] as? NSNumber)?.intValue,
                  rules.indices.contains(index) else { return XCTFail("result without a valid ruleIndex: \(item)") }
            XCTAssertEqual(rules[index]["id"] as? String, id)
        }
        let fingerprints = results.compactMap { ($0["partialFingerprints"] as? [String: String])?["dabiaoRecord/v1"] }
        XCTAssertEqual(Set(fingerprints).count, results.count - problems, "one fingerprint per rule and record")
        // Every rule has help in Markdown that quotes its requires.
        for (rule, t) in zip(rules, r.tallies) {
            let md = (rule["help"] as? [String: Any])?["markdown"] as? String ?? ""
            XCTAssertTrue(md.hasPrefix("**"), t.rule)
            for q in t.requires { XCTAssertTrue(md.contains(q.source.replacingOccurrences(of: "`", with: "'")), "\(t.rule): \(q.source)") }
        }

        guard let props = run["properties"] as? [String: Any], let summary = props["summary"] as? [String: Any] else {
            return XCTFail("no run.properties.summary")
        }
        XCTAssertEqual((summary["results"] as? NSNumber)?.intValue, s.results)
        XCTAssertEqual((summary["pass"] as? NSNumber)?.intValue, s.pass)
        XCTAssertEqual(props["asOf"] as? String, SampleReports.asOfText)
    }

    // MARK: CSV

    func testCSVRoundTripsWithOneRowPerResult() throws {
        let r = try full()
        for lang in Lang.allCases {
            var text = CSVReport.render(r, lang: lang)
            XCTAssertTrue(text.hasPrefix("\u{FEFF}"), "Excel needs the byte-order mark")
            text.removeFirst()
            let rows = try parseCSV(text)
            XCTAssertEqual(rows.count, r.results.count + 1, lang.rawValue)
            guard let header = rows.first else { return XCTFail("empty CSV") }
            XCTAssertEqual(header.fields.count, 16)
            XCTAssertEqual(header.fields.first, lang == .zh ? "规则集" : "ruleset")
            for (row, x) in zip(rows.dropFirst(), r.results) {
                XCTAssertEqual(row.fields.count, 16, "line \(row.line)")
                guard row.fields.count == 16 else { continue }
                XCTAssertEqual(row.fields[0], x.ruleset)
                XCTAssertEqual(row.fields[1], x.rule)
                XCTAssertEqual(row.fields[2], x.title)
                XCTAssertEqual(row.fields[3], x.entity)
                XCTAssertEqual(row.fields[4], x.key)
                XCTAssertEqual(row.fields[5], x.name ?? "")
                XCTAssertEqual(row.fields[6], x.city ?? "")
                XCTAssertEqual(row.fields[7], x.outcome.label(lang))
                XCTAssertEqual(row.fields[8], x.level?.label(lang) ?? "")
                XCTAssertEqual(row.fields[11], x.cite ?? "")
                XCTAssertEqual(row.fields[14], x.sourcePath ?? "")
                XCTAssertEqual(row.fields[15], x.sourceLine.map(String.init) ?? "")
            }
        }
    }

    func testRectificationCSVHasOneRowPerChange() throws {
        let r = try full()
        var text = CSVReport.renderRectification(r, lang: .zh)
        text.removeFirst()
        let rows = try parseCSV(text)
        let expected = r.rectification.reduce(0) { $0 + max(1, $1.changes.count) }
        XCTAssertEqual(rows.count, expected + 1)
        XCTAssertEqual(Set(rows.dropFirst().map { $0.fields.count }), [17])
        XCTAssertEqual(Set(rows.dropFirst().compactMap { $0.fields.dropFirst().first }), Set(r.rectification.map(\.key)))
    }

    // MARK: HTML

    func testHTMLHasEveryResultAndRule() throws {
        let r = try full()
        let html = HTMLReport.render(r, lang: .zh)
        // Every result is a row of the page's data; the first ones, failures
        // first, are HTML rows as well.
        let data = try HTMLReportTests.data(html)
        let rows = try XCTUnwrap(data["rows"] as? [[Any]])
        XCTAssertEqual(rows.count, r.results.count)
        XCTAssertEqual(HTMLReportTests.staticRows(html), min(r.results.count, HTMLReport.staticRows))
        let recs = try XCTUnwrap(data["recs"] as? [[Any]])
        var rowsByKey: [String: Int] = [:]
        for row in rows {
            if let i = row[1] as? Int, i < recs.count, let key = recs[i][0] as? String { rowsByKey[key, default: 0] += 1 }
        }
        var want: [String: Int] = [:]
        for x in r.results { want[x.key, default: 0] += 1 }
        XCTAssertEqual(rowsByKey, want)
        for t in r.tallies {
            XCTAssertTrue(html.contains("<td class=\"code\">\(HTMLReport.esc(t.rule))</td><td>\(HTMLReport.esc(t.title))</td>"), t.rule)
        }
        let cats = rows.compactMap { $0[2] as? Int }
        XCTAssertEqual(cats, cats.sorted(), "failures first")
        for o in Outcome.allCases {
            let inData = r.results.indices.filter { i in
                let c = cats[i]
                switch o {
                case .fail: return c <= 2
                case .missing: return c == 3
                case .undefined: return c == 4
                case .waived: return c == 5
                case .pass: return c == 6
                case .notApplicable: return c == 7
                }
            }.count
            XCTAssertEqual(inData, r.results.filter { $0.outcome == o }.count, o.rawValue)
        }
        // Self-contained: nothing is fetched when the file is opened.
        for bad in ["<link ", "src=\"http", "href=\"http", "@import", "url("] {
            XCTAssertFalse(html.contains(bad), bad)
        }
    }

    // MARK: Markdown

    /// The rows of the pipe table that follows `## heading`.
    func tableRows(_ md: String, after heading: String) -> [[String]] {
        let lines = md.components(separatedBy: "\n")
        guard let h = lines.firstIndex(of: "## " + heading) else { return [] }
        var out: [[String]] = []
        var seenSeparator = false
        for line in lines[(h + 1)...] {
            if line.hasPrefix("## ") { break }
            guard line.hasPrefix("|") else {
                if seenSeparator { break }
                continue
            }
            if line.hasPrefix("| ---") || line.hasPrefix("|---") || line.hasPrefix("| :--") { seenSeparator = true; continue }
            guard seenSeparator else { continue }
            // Cells split on unescaped pipes only.
            var cells: [String] = []
            var cell = ""
            var escaped = false
            for ch in line.dropFirst() {
                if escaped { cell.append(ch); escaped = false; continue }
                if ch == "\\" { cell.append(ch); escaped = true; continue }
                if ch == "|" { cells.append(cell.trimmingCharacters(in: .whitespaces)); cell = ""; continue }
                cell.append(ch)
            }
            out.append(cells)
        }
        return out
    }

    func testMarkdownHasOneRowPerRuleAndPerResult() throws {
        let r = try full()
        for lang in Lang.allCases {
            let md = MarkdownReport.render(r, lang: lang)
            let byRule = tableRows(md, after: lang == .zh ? "各规则达标情况" : "By rule")
            XCTAssertEqual(byRule.count, r.tallies.count, lang.rawValue)
            for (row, t) in zip(byRule, r.tallies) {
                XCTAssertEqual(row.count, 10)
                XCTAssertEqual(row.dropFirst().first, MarkdownReport.escape(t.rule))
                XCTAssertEqual(row.count > 4 ? row[4] : nil, String(t.summary.pass), t.rule)
                XCTAssertEqual(row.count > 5 ? row[5] : nil, String(t.summary.fail), t.rule)
            }
            let results = tableRows(md, after: lang == .zh ? "全部结果" : "All results")
            XCTAssertEqual(results.count, r.results.count, lang.rawValue)
            XCTAssertTrue(results.allSatisfy { $0.count == 9 })
            let summary = tableRows(md, after: lang == .zh ? "汇总" : "Summary")
            XCTAssertEqual(summary.first?.first, String(r.summary.results))
        }
    }

    func testFailuresOnlyReportsKeepTheFullCounts() throws {
        let r = try SampleReports.failures.get()
        XCTAssertEqual(r.summary, try full().summary)
        XCTAssertEqual(r.results.count, r.summary.fail + r.summary.waived + r.summary.missing + r.summary.undefined)
        let md = MarkdownReport.render(r, lang: .zh)
        XCTAssertEqual(tableRows(md, after: "需关注的结果").count, r.results.count)
        XCTAssertEqual(tableRows(md, after: "各规则达标情况").count, r.tallies.count)
        guard let doc = XMLCollector.parse(JUnitReport.render(r, lang: .zh)) else { return XCTFail("JUnit not XML") }
        XCTAssertEqual(doc.all("failure").count, r.summary.fail)
    }
}
