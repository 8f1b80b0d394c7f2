/// JUnit XML for CI test panels (GitLab `artifacts:reports:junit`, Jenkins
/// `junit`): one `<testsuite>` per ruleset, one `<testcase>` per result.
///
/// Mapping of outcomes:
/// - fail → `<failure type="error|warning|info">`: the record broke the rule.
/// - missing, undefined → `<error>`: the check could not run on this record.
///   JUnit's own meaning of an error ("the test could not complete") fits, and
///   both GitLab and Jenkins show errors as red, next to failures, so they are
///   not lost; the `type` attribute says which of the two it was.
/// - not applicable, waived → `<skipped>`, with the waiver reason when any.
/// - pass → an empty test case.
/// - a data error or a rejected record → a test case of the suite `data`
///   with `<error type="data-error|rejected-record">`, one per problem, named
///   by file and line: a CI panel that shows only rule results would hide
///   that 199,999 rows were never checked.
/// `time` is always 0 and `timestamp` is the audit date, so the same report
/// gives the same bytes. The file is valid against Jenkins' xunit schema
/// (`junit-10.xsd`, committed under Tests), which has no `file` or `line` on a
/// test case and no `skipped` on `testsuites`: the source location is in the
/// failure's text instead.
enum JUnitReport {
    static func render(_ r: Report, lang: Lang = .zh) -> String {
        var suites: [(id: String, results: [RuleResult])] = RenderSupport.rulesetIDs(r).map { ($0, []) }
        var index: [String: Int] = [:]
        for (i, s) in suites.enumerated() { index[s.id] = i }
        for x in r.results {
            if let i = index[x.ruleset], suites.indices.contains(i) { suites[i].results.append(x) }
        }
        let titles = Dictionary(r.rulesets.map { ($0.id, $0.title) }, uniquingKeysWith: { a, _ in a })
        let stamp = CivilDate.format(r.asOf) + "T00:00:00"

        var total = Counts()
        var body = ""
        for suite in suites {
            var c = Counts()
            var cases = ""
            for x in suite.results {
                c.add(x.outcome)
                cases += testcase(x, lang)
            }
            total.tests += c.tests; total.failures += c.failures; total.errors += c.errors; total.skipped += c.skipped
            body += "  <testsuite name=\"\(attr(suite.id))\" tests=\"\(c.tests)\" failures=\"\(c.failures)\" errors=\"\(c.errors)\""
            body += " skipped=\"\(c.skipped)\" time=\"0\" timestamp=\"\(stamp)\">\n"
            body += "    <properties>\n"
            if let t = titles[suite.id] { body += property("title", t) }
            body += property("asOf", CivilDate.format(r.asOf))
            body += property("tool", "\(r.tool) \(r.version)")
            body += "    </properties>\n"
            body += cases
            body += "  </testsuite>\n"
        }
        if !r.dataErrors.isEmpty {
            let zh = lang == .zh
            body += "  <testsuite name=\"data\" tests=\"\(r.dataErrors.count)\" failures=\"0\" errors=\"\(r.dataErrors.count)\""
            body += " skipped=\"0\" time=\"0\" timestamp=\"\(stamp)\">\n"
            body += "    <properties>\n"
            body += property("title", zh ? "数据问题" : "data problems")
            body += property("asOf", CivilDate.format(r.asOf))
            body += property("tool", "\(r.tool) \(r.version)")
            body += "    </properties>\n"
            for e in r.dataErrors { body += dataCase(e, lang) }
            body += "  </testsuite>\n"
            total.tests += r.dataErrors.count
            total.errors += r.dataErrors.count
        }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"\(attr(r.tool))\" tests=\"\(total.tests)\" failures=\"\(total.failures)\" errors=\"\(total.errors)\""
        out += " time=\"0\">\n"
        out += body
        out += "</testsuites>\n"
        return out
    }

    struct Counts {
        var tests = 0, failures = 0, errors = 0, skipped = 0
        mutating func add(_ o: Outcome) {
            tests += 1
            switch o {
            case .pass: break
            case .fail: failures += 1
            case .missing, .undefined: errors += 1
            case .notApplicable, .waived: skipped += 1
            }
        }
    }

    static func property(_ name: String, _ value: String) -> String {
        "      <property name=\"\(attr(name))\" value=\"\(attr(value))\"/>\n"
    }

    static func testcase(_ x: RuleResult, _ lang: Lang) -> String {
        var name = "\(x.rule) \(x.key)"
        if let n = x.name, !n.isEmpty { name += " \(n)" }
        let open = "    <testcase classname=\"\(attr(x.ruleset))\" name=\"\(attr(name))\" time=\"0\""
        let headline = x.message.flatMap { $0.isEmpty ? nil : $0 } ?? x.title
        switch x.outcome {
        case .pass:
            return open + "/>\n"
        case .fail:
            let type = (x.level ?? .error).rawValue
            return open + ">\n      <failure message=\"\(attr(headline))\" type=\"\(type)\">\(text(details(x, lang)))</failure>\n    </testcase>\n"
        case .missing, .undefined:
            var msg = RenderSupport.undefinedText(x, lang) ?? x.outcome.label(lang)
            if !x.missingFields.isEmpty { msg += (lang == .zh ? "：" : ": ") + RenderSupport.missingNames(x, lang).joined(separator: lang == .zh ? "、" : ", ") }
            return open + ">\n      <error message=\"\(attr(msg))\" type=\"\(x.outcome.rawValue)\">\(text(details(x, lang)))</error>\n    </testcase>\n"
        case .notApplicable, .waived:
            var msg = x.outcome.label(lang)
            if let w = x.waiverReason { msg += (lang == .zh ? "：" : ": ") + w }
            return open + ">\n      <skipped message=\"\(attr(msg))\"/>\n    </testcase>\n"
        }
    }

    /// One data problem: where it is, the raw value, and why.
    static func dataCase(_ e: DataError, _ lang: Lang) -> String {
        let zh = lang == .zh
        let place = RenderSupport.location(e.path, e.line)
        var name = place
        if let c = e.column { name += " " + c }
        var lines = [(zh ? "来源：" : "source: ") + place]
        if let c = e.column { lines.append((zh ? "列：" : "column: ") + c) }
        if let v = e.value { lines.append((zh ? "原值：" : "value: ") + v) }
        lines.append((zh ? "问题：" : "problem: ") + e.reason(lang))
        let type = e.rejectsRecord ? "rejected-record" : "data-error"
        return "    <testcase classname=\"data\" name=\"\(attr(name))\" time=\"0\">\n"
            + "      <error message=\"\(attr(e.reason(lang)))\" type=\"\(type)\">\(text(lines.joined(separator: "\n")))</error>\n    </testcase>\n"
    }

    /// The body of a failure or error: what a reviewer needs to act on it.
    static func details(_ x: RuleResult, _ lang: Lang) -> String {
        let zh = lang == .zh
        var lines = ["\(x.rule) \(x.title)", (zh ? "记录：" : "record: ") + "\(x.entity) \(x.key)" + (x.name.map { " \($0)" } ?? "")]
        if let c = x.city { lines.append((zh ? "市州：" : "city: ") + c) }
        lines.append((zh ? "结果：" : "outcome: ") + RenderSupport.outcomeText(x.outcome, x.level, lang))
        for m in x.measures { lines.append((zh ? "指标：" : "measure: ") + RenderSupport.measureText(m)) }
        if let m = x.message, !m.isEmpty { lines.append((zh ? "说明：" : "message: ") + m) }
        if !x.missingFields.isEmpty { lines.append((zh ? "缺失：" : "missing: ") + RenderSupport.missingNames(x, lang).joined(separator: zh ? "、" : ", ")) }
        if let u = RenderSupport.undefinedText(x, lang) { lines.append(u) }
        for f in x.fixes { lines.append((zh ? "整改：" : "fix: ") + RenderSupport.fixText(f, lang)) }
        if let c = x.cite { lines.append((zh ? "依据：" : "cite: ") + c) }
        if let p = x.sourcePath { lines.append((zh ? "来源：" : "source: ") + RenderSupport.location(p, x.sourceLine)) }
        return lines.joined(separator: "\n")
    }

    /// Attribute value: markup characters as entities, and line ends and tabs
    /// as character references so a parser keeps them (it would fold them
    /// to spaces otherwise).
    static func attr(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars where isXMLChar(u) {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            case "\t": out += "&#9;"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// Element text: markup characters as entities; `\r` as a reference so
    /// it survives line-end normalisation.
    static func text(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars where isXMLChar(u) {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\r": out += "&#13;"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// XML 1.0 `Char`: other control characters and U+FFFE/U+FFFF cannot
    /// appear in a document at all, not even as references, so they are
    /// dropped. (Surrogates never occur in a Swift scalar.)
    static func isXMLChar(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        if v == 0x9 || v == 0xA || v == 0xD { return true }
        if v < 0x20 { return false }
        return v != 0xFFFE && v != 0xFFFF
    }
}
