/// One self-contained HTML file: no network, no fonts or scripts from
/// anywhere else, so it can be mailed, archived and opened offline years
/// later. Charts are inline SVG drawn here; the small inline script only adds
/// filtering and sorting, and with scripting off the full table is shown.
public enum HTMLReport {
    public static func render(_ r: Report, lang: Lang = .zh) -> String {
        let z = lang == .zh
        var out = "<!DOCTYPE html>\n<html lang=\"\(z ? "zh-CN" : "en")\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<meta name=\"generator\" content=\"\(esc(r.tool)) \(esc(r.version))\">\n"
        out += "<title>\(esc(RenderSupport.title(lang))) · \(CivilDate.format(r.asOf))</title>\n"
        out += "<style>\n" + css + "</style>\n</head>\n<body>\n"
        out += "<header>\n<h1>\(esc(RenderSupport.title(lang)))</h1>\n"
        out += "<p class=\"meta\">\(esc(r.tool)) \(esc(r.version)) · " + (z ? "审计日期 " : "as of ") + CivilDate.format(r.asOf)
        // A few rulesets are named here; the full sample's fourteen would fill
        // the header, so beyond three only their number is, with the table at
        // the end of the page naming them all.
        if r.rulesets.count > 3 {
            out += " · " + (z ? "\(r.rulesets.count) 个规则集（见文末）" : "\(r.rulesets.count) rulesets (listed at the end)")
        } else if !r.rulesets.isEmpty {
            out += " · " + r.rulesets.map { rs in esc(rs.title) + (rs.version.map { lang.aside(esc($0)) } ?? "") }.joined(separator: z ? "、" : ", ")
        }
        out += "</p>\n</header>\n<main>\n"
        out += summarySection(r, lang)
        out += byRuleSection(r, lang)
        out += byCitySection(r, lang)
        out += resultsSection(r, lang)
        out += rectificationSection(r, lang)
        out += issuesSection(r, lang)
        out += sourcesSection(r, lang)
        out += "</main>\n<script>\n" + script + "</script>\n</body>\n</html>\n"
        return out
    }

    // MARK: Sections

    static func summarySection(_ r: Report, _ lang: Lang) -> String {
        let z = lang == .zh
        let s = r.summary
        var out = "<section id=\"summary\">\n<h2>\(z ? "汇总" : "Summary")</h2>\n<div class=\"cards\">\n"
        let cards: [(String, String, String)] = [
            (z ? "结果" : "results", String(s.results), "total"),
            (z ? "达标率" : "pass rate", RenderSupport.percentText(s), "rate"),
            (Outcome.pass.label(lang), String(s.pass), "pass"),
            (Outcome.fail.label(lang), String(s.fail), "fail"),
            (Outcome.waived.label(lang), String(s.waived), "waived"),
            (Outcome.notApplicable.label(lang), String(s.notApplicable), "not-applicable"),
            (Outcome.missing.label(lang), String(s.missing), "missing"),
            (Outcome.undefined.label(lang), String(s.undefined), "undefined"),
        ]
        for (label, value, cls) in cards {
            out += "<div class=\"card c-\(cls)\"><div class=\"num\">\(esc(value))</div><div class=\"lbl\">\(esc(label))</div></div>\n"
        }
        out += "</div>\n"
        out += "<p class=\"levels\">" + (z ? "不达标按级别：" : "failures by level: ")
        out += [Level.error, .warning, .info].map { l in
            let n: Int
            switch l {
            case .error: n = s.error
            case .warning: n = s.warning
            case .info: n = s.info
            }
            return "\(esc(l.label(lang))) \(n)"
        }.joined(separator: " · ")
        out += "</p>\n"
        if !r.inputs.isEmpty {
            let read = r.inputs.reduce(0) { $0 + $1.records }
            let rejected = r.inputs.reduce(0) { $0 + $1.rejected }
            out += "<p class=\"levels\">" + (z ? "读入 \(read) 条记录 = 评估 \(read - rejected) + 拒收 \(rejected)"
                                                : "\(read) records read = \(read - rejected) evaluated + \(rejected) rejected") + "</p>\n"
        }
        return out + "</section>\n"
    }

    static func countCells(_ s: Summary) -> String {
        [s.results, s.pass, s.fail, s.waived, s.missing + s.undefined, s.notApplicable]
            .map { "<td class=\"n\">\($0)</td>" }.joined() + "<td class=\"n\">\(RenderSupport.percentText(s))</td>"
    }

    static func countHeader(_ first: [String], _ lang: Lang) -> String {
        let z = lang == .zh
        let rest = z ? ["结果", "达标", "不达标", "已豁免", "缺失/无法计算", "不适用", "达标率"]
                     : ["results", "pass", "fail", "waived", "missing/undef.", "n/a", "pass rate"]
        return "<thead><tr>" + first.map { "<th>\(esc($0))</th>" }.joined() + rest.map { "<th class=\"n\">\(esc($0))</th>" }.joined()
            + "</tr></thead>\n"
    }

    static func byRuleSection(_ r: Report, _ lang: Lang) -> String {
        guard !r.tallies.isEmpty else { return "" }
        let z = lang == .zh
        var out = "<section id=\"by-rule\">\n<h2>\(z ? "各规则达标率" : "Pass rate by rule")</h2>\n"
        out += chart(r.tallies.map { ("\($0.rule) \($0.title)", $0.summary) }, title: z ? "各规则达标率" : "Pass rate by rule", lang: lang)
        out += "<table class=\"counts\">\n" + countHeader(z ? ["规则集", "编号", "规则", "级别"] : ["ruleset", "code", "rule", "level"], lang) + "<tbody>\n"
        for t in r.tallies {
            out += "<tr><td>\(esc(t.ruleset))</td><td class=\"code\">\(esc(t.rule))</td><td>\(esc(t.title))</td>"
            out += "<td>\(esc(t.level.label(lang)))</td>" + countCells(t.summary) + "</tr>\n"
        }
        return out + "</tbody>\n</table>\n</section>\n"
    }

    static func byCitySection(_ r: Report, _ lang: Lang) -> String {
        let cities = RenderSupport.byCity(r.results)
        guard !cities.isEmpty else { return "" }
        let z = lang == .zh
        var out = "<section id=\"by-city\">\n<h2>\(z ? "各市州达标率" : "Pass rate by city")</h2>\n"
        if !r.showsAll {
            out += "<p class=\"note\">" + (z ? "本报告只列出需关注的结果，以下只统计列出的结果，不计算达标率。"
                                              : "This report lists only the results needing attention; the counts below cover those alone, without a pass rate.") + "</p>\n"
        } else {
            out += chart(cities.map { ($0.city ?? RenderSupport.noCity(lang), $0.summary) }, title: z ? "各市州达标率" : "Pass rate by city", lang: lang)
        }
        out += "<table class=\"counts\">\n" + countHeader([z ? "市州" : "city"], lang) + "<tbody>\n"
        for c in cities {
            var cells = countCells(c.summary)
            if !r.showsAll {
                cells = [c.summary.results, c.summary.pass, c.summary.fail, c.summary.waived, c.summary.missing + c.summary.undefined,
                         c.summary.notApplicable].map { "<td class=\"n\">\($0)</td>" }.joined() + "<td class=\"n\">—</td>"
            }
            out += "<tr><td>\(esc(c.city ?? RenderSupport.noCity(lang)))</td>" + cells + "</tr>\n"
        }
        return out + "</tbody>\n</table>\n</section>\n"
    }

    static func resultsSection(_ r: Report, _ lang: Lang) -> String {
        guard !r.results.isEmpty else { return "" }
        let z = lang == .zh
        var out = "<section id=\"results\">\n<h2>"
        out += r.showsAll ? (z ? "全部结果" : "All results") : (z ? "需关注的结果" : "Results needing attention")
        out += RenderSupport.countSuffix(r.results.count, lang) + "</h2>\n"

        // Controls stay hidden until the script shows them: without scripting
        // they could do nothing, and the whole table is visible anyway.
        out += "<div id=\"filters\" class=\"filters\" hidden>\n"
        let outcomes = Outcome.allCases.filter { o in r.results.contains { $0.outcome == o } }
        out += select("outcome", z ? "结果" : "Outcome", outcomes.map { ($0.rawValue, $0.label(lang)) }, lang)
        var cities: [String] = []
        var seenCity = Set<String>()
        for x in r.results { let c = x.city ?? ""; if seenCity.insert(c).inserted { cities.append(c) } }
        cities.sort { a, b in a.isEmpty != b.isEmpty ? !a.isEmpty : a < b }
        // The "all" option has the empty value, so records without a city
        // are matched by `-` (the script reads an empty data-city as `-`).
        out += select("city", z ? "市州" : "City", cities.map { ($0.isEmpty ? "-" : $0, $0.isEmpty ? RenderSupport.noCity(lang) : $0) }, lang)
        var rules: [(String, String)] = []
        var seenRule = Set<String>()
        for x in r.results where seenRule.insert(x.rule).inserted { rules.append((x.rule, "\(x.rule) \(x.title)")) }
        out += select("rule", z ? "规则" : "Rule", rules, lang)
        out += "<span class=\"shown\">" + (z ? "显示 " : "showing ") + "<output id=\"shown\">\(r.results.count)</output> / \(r.results.count)</span>\n"
        out += "</div>\n"

        let heads = z ? ["结果", "规则", "记录", "名称", "市州", "指标", "说明", "整改", "来源"]
                      : ["outcome", "rule", "record", "name", "city", "measures", "message", "fix", "source"]
        out += "<div class=\"scroll\"><table id=\"results-table\" class=\"results\">\n<thead><tr>"
        out += heads.map { "<th scope=\"col\">\(esc($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for (i, x) in r.results.enumerated() {
            out += "<tr data-outcome=\"\(x.outcome.rawValue)\" data-city=\"\(esc(x.city ?? ""))\" data-rule=\"\(esc(x.rule))\" data-i=\"\(i)\">"
            let cls = x.outcome == .fail ? "fail-\((x.level ?? .error).rawValue)" : x.outcome.rawValue
            out += "<td data-k=\"\(rank(x))\"><span class=\"badge b-\(cls)\">\(esc(RenderSupport.outcomeText(x.outcome, x.level, lang)))</span></td>"
            out += "<td><span class=\"code\">\(esc(x.rule))</span> \(esc(x.title))</td>"
            out += "<td class=\"code\">\(esc(x.key))</td><td>\(esc(x.name ?? ""))</td><td class=\"nw\">\(esc(x.city ?? ""))</td>"
            out += "<td>" + x.measures.map { esc(RenderSupport.measureText($0)) }.joined(separator: "<br>") + "</td>"
            var notes: [String] = []
            if let m = x.message, !m.isEmpty { notes.append(escLines(m)) }
            if !x.missingFields.isEmpty {
                notes.append("<span class=\"missing\">" + esc((z ? "缺失：" : "missing: ") + RenderSupport.missingNames(x, lang).joined(separator: z ? "、" : ", ")) + "</span>")
            }
            if let u = RenderSupport.undefinedText(x, lang) { notes.append("<span class=\"missing\">" + esc(u) + "</span>") }
            if let w = x.waiverReason { notes.append(esc((z ? "豁免理由：" : "waived because: ") + w)) }
            if let c = x.cite, !c.isEmpty { notes.append("<span class=\"cite\">" + esc((z ? "依据：" : "cite: ") + c) + "</span>") }
            out += "<td>" + notes.joined(separator: "<br>") + "</td>"
            out += "<td>" + x.fixes.map { esc(RenderSupport.fixText($0, lang)) }.joined(separator: "<br>") + "</td>"
            out += "<td class=\"src\">\(esc(RenderSupport.location(x.sourcePath, x.sourceLine)))</td></tr>\n"
        }
        return out + "</tbody>\n</table></div>\n</section>\n"
    }

    /// Sort key of the outcome column: the most urgent first.
    static func rank(_ x: RuleResult) -> Int {
        switch x.outcome {
        case .fail:
            switch x.level ?? .error {
            case .error: return 0
            case .warning: return 1
            case .info: return 2
            }
        case .missing: return 3
        case .undefined: return 4
        case .waived: return 5
        case .pass: return 6
        case .notApplicable: return 7
        }
    }

    static func select(_ name: String, _ label: String, _ options: [(value: String, text: String)], _ lang: Lang) -> String {
        var out = "<label>\(esc(label)) <select name=\"\(name)\"><option value=\"\">\(lang == .zh ? "全部" : "all")</option>"
        for o in options { out += "<option value=\"\(esc(o.value))\">\(esc(o.text))</option>" }
        return out + "</select></label>\n"
    }

    static func rectificationSection(_ r: Report, _ lang: Lang) -> String {
        guard !r.rectification.isEmpty else { return "" }
        let z = lang == .zh
        var out = "<section id=\"rectification\">\n<h2>\(z ? "整改清单" : "Rectification list")\(RenderSupport.countSuffix(r.rectification.count, lang))</h2>\n"
        for item in r.rectification {
            out += "<article class=\"fix\">\n<h3><span class=\"code\">\(esc(item.key))</span> \(esc(item.name ?? ""))"
            if let c = item.city { out += " <small>\(esc(c))</small>" }
            out += "</h3>\n"
            var facts: [String] = []
            facts.append((z ? "实体：" : "entity: ") + item.entity)
            if let o = item.owner { facts.append((z ? "责任主体：" : "owner: ") + o) }
            if let d = item.deadline { facts.append((z ? "整改期限：" : "deadline: ") + CivilDate.format(d)) }
            out += "<p class=\"meta\">" + facts.map(esc).joined(separator: " · ") + "</p>\n"
            if !item.changes.isEmpty {
                out += "<table>\n<thead><tr>"
                out += (z ? ["字段", "现值", "目标值", "变化", "单位", "措施", "涉及规则"] : ["field", "from", "to", "change", "unit", "action", "rules"])
                    .enumerated().map { i, h in "<th\((1...3).contains(i) ? " class=\"n\"" : "")>\(esc(h))</th>" }.joined()
                out += "</tr></thead>\n<tbody>\n"
                for c in item.changes {
                    out += "<tr><td>\(esc(c.label.isEmpty ? c.field : c.label))</td><td class=\"n\">\(esc(RenderSupport.human(c.from)))</td>"
                    out += "<td class=\"n\">\(esc(RenderSupport.human(c.to)))</td>"
                    out += "<td class=\"n\">\(esc(c.delta.map { RenderSupport.signed($0, exact: false) } ?? "—"))</td>"
                    out += "<td>\(esc(c.unit))</td><td>\(esc(c.action ?? ""))</td><td class=\"code\">\(esc(c.rules.joined(separator: ", ")))</td></tr>\n"
                }
                out += "</tbody>\n</table>\n"
            }
            var lines: [String] = []
            if !item.passesAfter.isEmpty { lines.append("<li class=\"ok\">" + esc((z ? "整改后达标：" : "passes after: ") + item.passesAfter.joined(separator: ", ")) + "</li>") }
            if !item.stillFailing.isEmpty { lines.append("<li class=\"bad\">" + esc((z ? "整改后仍不达标：" : "still failing: ") + item.stillFailing.joined(separator: ", ")) + "</li>") }
            for c in item.conflicts { lines.append("<li class=\"bad\">" + esc((z ? "方向冲突：" : "conflict: ") + c(lang)) + "</li>") }
            for u in item.unresolved { lines.append("<li class=\"bad\">" + esc((z ? "无法整改 " : "unresolved ") + u.rule + (z ? "：" : ": ") + u.reason(lang)) + "</li>") }
            if !lines.isEmpty { out += "<ul>\n" + lines.joined(separator: "\n") + "\n</ul>\n" }
            out += "</article>\n"
        }
        return out + "</section>\n"
    }

    static func issuesSection(_ r: Report, _ lang: Lang) -> String {
        guard !r.dataErrors.isEmpty || !r.notes.isEmpty || !r.waivers.isEmpty else { return "" }
        let z = lang == .zh
        var out = "<section id=\"issues\">\n"
        func errors(_ list: [DataError]) -> String {
            var t = "<table>\n<thead><tr>" + (z ? ["文件", "行", "列", "值", "原因"] : ["file", "line", "column", "value", "reason"])
                .map { "<th>\(esc($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
            for e in list {
                t += "<tr><td class=\"src\">\(esc(e.path))</td><td class=\"n\">\(e.line.map(String.init) ?? "")</td>"
                t += "<td>\(esc(e.column ?? ""))</td><td>\(esc(e.value ?? ""))</td><td>\(esc(e.reason(lang)))</td></tr>\n"
            }
            return t + "</tbody>\n</table>\n"
        }
        if !r.dataErrors.isEmpty {
            out += "<h2 id=\"data-errors\">\(z ? "数据问题" : "Data errors")\(RenderSupport.countSuffix(r.dataErrors.count, lang))</h2>\n" + errors(r.dataErrors)
        }
        if !r.notes.isEmpty {
            out += "<h2 id=\"notes\">\(z ? "说明" : "Notes")</h2>\n" + errors(r.notes)
        }
        if !r.waivers.isEmpty {
            out += "<h2 id=\"waivers\">\(z ? "豁免" : "Waivers")</h2>\n<table>\n<thead><tr>"
            out += (z ? ["规则", "实体", "记录", "有效期至", "状态", "理由"] : ["rule", "entity", "record", "until", "status", "reason"])
                .map { "<th>\(esc($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
            for w in r.waivers {
                out += "<tr><td class=\"code\">\(esc(w.rule))</td><td>\(esc(w.entity))</td><td class=\"code\">\(esc(w.key))</td>"
                out += "<td>\(CivilDate.format(w.until))</td><td>\(esc(RenderSupport.waiverStatus(w.status, lang)))</td><td>\(esc(w.reason))</td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
        }
        return out + "</section>\n"
    }

    static func sourcesSection(_ r: Report, _ lang: Lang) -> String {
        let cites = RenderSupport.citations(r)
        guard !cites.isEmpty || !r.inputs.isEmpty || !r.rulesFiles.isEmpty || !r.rulesets.isEmpty else { return "" }
        let z = lang == .zh
        var out = "<section id=\"citations\">\n"
        if !cites.isEmpty {
            out += "<h2>\(z ? "依据" : "Citations")</h2>\n<table>\n<thead><tr>"
            out += (z ? ["规则集", "编号", "规则", "依据"] : ["ruleset", "code", "rule", "citation"]).map { "<th>\(esc($0))</th>" }.joined()
            out += "</tr></thead>\n<tbody>\n"
            for c in cites {
                out += "<tr><td>\(esc(c.ruleset))</td><td class=\"code\">\(esc(c.rule))</td><td>\(esc(c.title))</td><td>\(esc(c.cite))</td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
        }
        if !r.rulesets.isEmpty {
            out += "<h2>\(z ? "规则集" : "Rulesets")</h2>\n<table>\n<thead><tr>"
            out += (z ? ["编号", "名称", "版本", "依据"] : ["id", "title", "version", "source"]).map { "<th>\(esc($0))</th>" }.joined()
            out += "</tr></thead>\n<tbody>\n"
            for rs in r.rulesets {
                out += "<tr><td class=\"code\">\(esc(rs.id))</td><td>\(esc(rs.title))</td><td>\(esc(rs.version ?? ""))</td><td>\(esc(rs.source ?? ""))</td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
        }
        if !r.inputs.isEmpty || !r.rulesFiles.isEmpty {
            out += "<h2>\(z ? "输入与校验和" : "Inputs and checksums")</h2>\n<table>\n<thead><tr>"
            out += (z ? ["实体", "文件", "读入", "拒收", "SHA-256"] : ["entity", "file", "read", "rejected", "SHA-256"]).map { "<th>\(esc($0))</th>" }.joined()
            out += "</tr></thead>\n<tbody>\n"
            for i in r.inputs {
                out += "<tr><td>\(esc(i.entity))</td><td class=\"src\">\(esc(i.path))</td><td class=\"n\">\(i.records)</td>"
                out += "<td class=\"n\">\(i.rejected)</td><td class=\"hash\">\(esc(i.sha256))</td></tr>\n"
            }
            for f in r.rulesFiles {
                out += "<tr><td>\(z ? "规则" : "rules")</td><td class=\"src\">\(esc(f.path))</td><td></td><td></td><td class=\"hash\">\(esc(f.sha256))</td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
        }
        return out + "</section>\n"
    }

    // MARK: Chart

    /// Horizontal stacked bars, one per row: pass, fail, waived and
    /// missing/undefined as shares of the decided results (the pass-rate
    /// denominator), with the pass rate printed at the end. The same numbers
    /// are in the table below it, so the chart is `aria-hidden` apart from
    /// its title.
    static func chart(_ rows: [(label: String, summary: Summary)], title: String, lang: Lang) -> String {
        let rowH = 24
        let barW = 480
        let labelMax = chartLabelColumns
        let labels = rows.map { truncate($0.label, labelMax) }
        let labelW = min(labelMax, labels.map(displayWidth).max() ?? 0) * 7 + 12
        let width = labelW + barW + 70
        let height = rows.count * rowH + 34
        var out = "<figure class=\"chart\">\n"
        out += "<svg role=\"img\" aria-label=\"\(esc(title))\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\">\n"
        out += "<title>\(esc(title))</title>\n"
        for (i, (row, label)) in zip(rows, labels).enumerated() {
            let y = i * rowH + 4
            let s = row.summary
            let decided = s.pass + s.fail + s.waived + s.missing + s.undefined
            out += "<text x=\"\(labelW - 8)\" y=\"\(y + 15)\" text-anchor=\"end\" class=\"lbl\">\(esc(label))</text>\n"
            out += "<rect x=\"\(labelW)\" y=\"\(y + 2)\" width=\"\(barW)\" height=\"16\" class=\"track\"/>\n"
            if decided > 0 {
                var x = Double(labelW)
                for (n, cls) in [(s.pass, "pass"), (s.fail, "fail"), (s.waived, "waived"), (s.missing + s.undefined, "missing")] where n > 0 {
                    let w = Double(barW) * Double(n) / Double(decided)
                    out += "<rect x=\"\(fmt(x))\" y=\"\(y + 2)\" width=\"\(fmt(w))\" height=\"16\" class=\"s-\(cls)\"><title>\(esc(row.label)): \(n)</title></rect>\n"
                    x += w
                }
            }
            out += "<text x=\"\(labelW + barW + 6)\" y=\"\(y + 15)\" class=\"pct\">\(RenderSupport.percentText(s))</text>\n"
        }
        let ly = rows.count * rowH + 14
        var lx = labelW
        for (cls, name) in [("pass", Outcome.pass.label(lang)), ("fail", Outcome.fail.label(lang)), ("waived", Outcome.waived.label(lang)),
                            ("missing", lang == .zh ? "缺失/无法计算" : "missing/undefined")] {
            out += "<rect x=\"\(lx)\" y=\"\(ly)\" width=\"10\" height=\"10\" class=\"s-\(cls)\"/>"
            out += "<text x=\"\(lx + 14)\" y=\"\(ly + 9)\" class=\"lg\">\(esc(name))</text>\n"
            lx += 24 + displayWidth(name) * 6
        }
        return out + "</svg>\n</figure>\n"
    }

    /// Display columns of a chart label before it is cut with `…`: enough
    /// for most rule titles while the chart still fits a 1200 px page.
    static let chartLabelColumns = 44

    static func fmt(_ d: Double) -> String {
        let r = (d * 100).rounded() / 100
        return JSON.numberText(r)
    }

    static func truncate(_ s: String, _ columns: Int) -> String {
        guard displayWidth(s) > columns else { return s }
        var out = ""
        var w = 0
        for u in s.unicodeScalars {
            let cw = displayWidth(u)
            if w + cw > columns - 1 { break }
            out.unicodeScalars.append(u)
            w += cw
        }
        return out + "…"
    }

    // MARK: Escaping

    /// Text and attribute values: the five markup characters as entities, and
    /// control characters (which HTML forbids) dropped, line ends kept.
    static func esc(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n", "\t": out.unicodeScalars.append(u)
            default:
                if u.value < 0x20 || (u.value >= 0x7F && u.value < 0xA0) || u.value == 0xFFFE || u.value == 0xFFFF { continue }
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// Escaped, with line ends as `<br>`.
    static func escLines(_ s: String) -> String {
        s.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .map { esc(String($0)) }.joined(separator: "<br>")
    }

    // MARK: Style and script

    static let css = """
    :root { --pass:#2e7d32; --fail:#c62828; --warn:#ef6c00; --info:#0277bd; --waived:#6a1b9a; --missing:#f9a825; --muted:#5f6368; --line:#dadce0; }
    * { box-sizing: border-box; }
    body { margin: 0; color: #202124; background: #fff; line-height: 1.5;
      font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC",
        "Source Han Sans SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; font-size: 14px; }
    header, main { max-width: 1200px; margin: 0 auto; padding: 0 24px; }
    header { padding-top: 24px; }
    h1 { font-size: 24px; margin: 0 0 4px; }
    h2 { font-size: 18px; margin: 28px 0 12px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
    h3 { font-size: 15px; margin: 16px 0 4px; }
    .meta, .levels, .note { color: var(--muted); margin: 4px 0; }
    .cards { display: flex; flex-wrap: wrap; gap: 10px; }
    .card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; min-width: 110px; border-top: 4px solid var(--muted); }
    .card .num { font-size: 24px; font-weight: 600; font-variant-numeric: tabular-nums; }
    .card .lbl { color: var(--muted); font-size: 12px; }
    .c-pass { border-top-color: var(--pass); } .c-fail { border-top-color: var(--fail); } .c-waived { border-top-color: var(--waived); }
    .c-missing, .c-undefined { border-top-color: var(--missing); } .c-rate { border-top-color: var(--info); }
    table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; }
    th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
    th { background: #f1f3f4; font-weight: 600; }
    td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    .code, .src, .hash { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Noto Sans Mono CJK SC", monospace; font-size: 12px; }
    .hash { word-break: break-all; }
    .nw { white-space: nowrap; }
    .scroll { overflow-x: auto; }
    table.results td:nth-child(2) { min-width: 11em; } table.results td:nth-child(4) { min-width: 8em; }
    table.results td:nth-child(6), table.results td:nth-child(8) { min-width: 9em; }
    table.results td.src { word-break: break-all; min-width: 9em; font-size: 11px; }
    .badge { display: inline-block; padding: 0 6px; border-radius: 3px; color: #fff; white-space: nowrap; font-size: 12px; }
    .b-pass { background: var(--pass); } .b-fail-error { background: var(--fail); } .b-fail-warning { background: var(--warn); }
    .b-fail-info { background: var(--info); } .b-waived { background: var(--waived); } .b-not-applicable { background: #9aa0a6; }
    .b-missing, .b-undefined { background: var(--missing); color: #202124; }
    .missing { color: #8d6e00; } .cite { color: var(--muted); font-size: 12px; }
    .filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; margin: 8px 0; }
    .filters[hidden] { display: none; }
    .filters select { font: inherit; padding: 2px 4px; }
    th.sortable { cursor: pointer; user-select: none; }
    th[aria-sort="ascending"]::after { content: " ▲"; } th[aria-sort="descending"]::after { content: " ▼"; }
    figure.chart { margin: 8px 0; overflow-x: auto; }
    figure.chart svg { max-width: 100%; height: auto; font-family: inherit; }
    svg .lbl { font-size: 12px; fill: #202124; } svg .pct { font-size: 12px; fill: #202124; font-variant-numeric: tabular-nums; }
    svg .lg { font-size: 11px; fill: var(--muted); } svg .track { fill: #f1f3f4; }
    svg .s-pass { fill: var(--pass); } svg .s-fail { fill: var(--fail); } svg .s-waived { fill: var(--waived); } svg .s-missing { fill: var(--missing); }
    article.fix { border-left: 4px solid var(--warn); padding: 2px 0 2px 12px; margin: 12px 0; break-inside: avoid; }
    article.fix ul { margin: 4px 0; padding-left: 20px; } li.ok { color: var(--pass); } li.bad { color: var(--fail); }
    @page { size: A4; margin: 15mm 12mm; }
    @media print {
      body { font-size: 10pt; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
      header, main { max-width: none; padding: 0; }
      section { break-before: page; } section#summary { break-before: auto; }
      .filters { display: none !important; }
      .scroll { overflow: visible; }
      thead { display: table-header-group; }
      tr, .card, figure.chart { break-inside: avoid; }
      h2, h3 { break-after: avoid; }
    }

    """

    /// Filtering by outcome, city and rule; sorting by any column (click or
    /// Enter on the header). Only shows/hides and reorders existing rows.
    static let script = """
    (function () {
      var table = document.getElementById('results-table');
      var bar = document.getElementById('filters');
      if (!table || !bar || !table.tBodies.length) return;
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      var selects = Array.prototype.slice.call(bar.querySelectorAll('select'));
      var shown = document.getElementById('shown');
      function apply() {
        var n = 0;
        rows.forEach(function (r) {
          var ok = selects.every(function (s) { return !s.value || (r.getAttribute('data-' + s.name) || '-') === s.value; });
          r.hidden = !ok;
          if (ok) n++;
        });
        if (shown) shown.textContent = String(n);
      }
      selects.forEach(function (s) { s.addEventListener('change', apply); });
      var collator = window.Intl ? new Intl.Collator(document.documentElement.lang, { numeric: true }) : null;
      function key(r, i) {
        var c = r.cells[i];
        if (!c) return '';
        var k = c.getAttribute('data-k');
        return k !== null ? k : c.textContent;
      }
      var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
      heads.forEach(function (th, i) {
        th.classList.add('sortable');
        th.tabIndex = 0;
        function sort() {
          var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
          heads.forEach(function (h) { h.removeAttribute('aria-sort'); });
          th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
          rows.sort(function (a, b) {
            var x = key(a, i), y = key(b, i);
            var c = collator ? collator.compare(x, y) : (x < y ? -1 : x > y ? 1 : 0);
            return dir * c || (+a.getAttribute('data-i') - +b.getAttribute('data-i'));
          });
          rows.forEach(function (r) { body.appendChild(r); });
        }
        th.addEventListener('click', sort);
        th.addEventListener('keydown', function (e) {
          if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(); }
        });
      });
      bar.hidden = false;
      apply();
    })();

    """
}
