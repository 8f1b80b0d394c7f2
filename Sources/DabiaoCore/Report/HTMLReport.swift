/// One self-contained HTML file: no network, no fonts or scripts from
/// anywhere else, so it can be mailed, archived and opened offline years
/// later (a Content-Security-Policy forbids any fetch). Charts are inline SVG
/// drawn here. The results are data (`HTMLData`) that the inline script
/// (`HTMLReport.script`) shows a page at a time with filters, search and
/// sorting; the first `staticRows` of them, failures first, are also written
/// as HTML, for readers without scripting and for print (docs/reports.md).
enum HTMLReport {
    static func render(_ r: Report, lang: Lang = .zh) -> String {
        let zh = lang == .zh
        var out = "<!DOCTYPE html>\n<html lang=\"\(zh ? "zh-CN" : "en")\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        // Nothing may be fetched: the page works the same offline, archived or mailed.
        out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
        out += "<meta name=\"generator\" content=\"\(esc(r.tool)) \(esc(r.version))\">\n"
        out += "<title>\(esc(RenderSupport.title(lang))) · \(CivilDate.format(r.asOf))</title>\n"
        out += "<style>\n" + css + "</style>\n</head>\n<body>\n"
        out += "<header>\n<h1>\(esc(RenderSupport.title(lang)))</h1>\n"
        out += "<p class=\"meta\">\(esc(r.tool)) \(esc(r.version)) · " + (zh ? "审计日期 " : "as of ") + CivilDate.format(r.asOf)
        // A few rulesets are named here; the full sample's fourteen would fill
        // the header, so beyond three only their number is, with the table at
        // the end of the page naming them all.
        if r.rulesets.count > 3 {
            out += " · " + (zh ? "\(r.rulesets.count) 个规则集（见文末）" : "\(r.rulesets.count) rulesets (listed at the end)")
        } else if !r.rulesets.isEmpty {
            out += " · " + r.rulesets.map { rs in esc(rs.title) + (rs.version.map { lang.aside(esc($0)) } ?? "") }.joined(separator: zh ? "、" : ", ")
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
        let zh = lang == .zh
        let s = r.summary
        var out = "<section id=\"summary\">\n<h2>\(zh ? "汇总" : "Summary")</h2>\n<div class=\"cards\">\n"
        let cards: [(String, String, String)] = [
            (zh ? "结果" : "results", String(s.results), "total"),
            (zh ? "达标率" : "pass rate", RenderSupport.percentText(s), "rate"),
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
        out += "<p class=\"levels\">" + (zh ? "不达标按级别：" : "failures by level: ")
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
            out += "<p class=\"levels\">" + (zh ? "读入 \(read) 条记录 = 评估 \(read - rejected) + 拒收 \(rejected)"
                                                : "\(read) records read = \(read - rejected) evaluated + \(rejected) rejected") + "</p>\n"
        }
        return out + "</section>\n"
    }

    static func countCells(_ s: Summary) -> String {
        [s.results, s.pass, s.fail, s.waived, s.missing + s.undefined, s.notApplicable]
            .map { "<td class=\"n\">\($0)</td>" }.joined() + "<td class=\"n\">\(RenderSupport.percentText(s))</td>"
    }

    static func countHeader(_ first: [String], _ lang: Lang) -> String {
        let zh = lang == .zh
        let rest = zh ? ["结果", "达标", "不达标", "已豁免", "缺失/无法计算", "不适用", "达标率"]
                     : ["results", "pass", "fail", "waived", "missing/undef.", "n/a", "pass rate"]
        return "<thead><tr>" + first.map { "<th>\(esc($0))</th>" }.joined() + rest.map { "<th class=\"n\">\(esc($0))</th>" }.joined()
            + "</tr></thead>\n"
    }

    static func byRuleSection(_ r: Report, _ lang: Lang) -> String {
        guard !r.tallies.isEmpty else { return "" }
        let zh = lang == .zh
        let title = zh ? "各规则达标率" : "Pass rate by rule"
        // Charts of at most `chartRows` bars, each fitting a printed page:
        // the first one with the heading, so a heading never ends a page alone.
        let bars = r.tallies.map { ("\($0.rule) \($0.title)", $0.summary) }
        var out = "<section id=\"by-rule\">\n"
        for start in stride(from: 0, to: bars.count, by: chartRows) {
            let part = Array(bars[start..<min(bars.count, start + chartRows)])
            out += start == 0 ? "<div class=\"keep\">\n<h2>\(title)</h2>\n" + chart(part, title: title, lang: lang) + "</div>\n"
                              : chart(part, title: title + lang.aside("\(start + 1)–\(start + part.count)"), lang: lang)
        }
        out += "<table class=\"counts\">\n" + countHeader(zh ? ["规则集", "编号", "规则", "级别"] : ["ruleset", "code", "rule", "level"], lang) + "<tbody>\n"
        for t in r.tallies {
            out += "<tr><td>\(esc(t.ruleset))</td><td class=\"code\">\(esc(t.rule))</td><td>\(esc(t.title))</td>"
            out += "<td>\(esc(t.level.label(lang)))</td>" + countCells(t.summary) + "</tr>\n"
        }
        return out + "</tbody>\n</table>\n</section>\n"
    }

    static func noCity(_ lang: Lang) -> String { Bilingual("未注明市州", "no city given")(lang) }

    /// The cities in report order (the region data's), then any a listed
    /// result names that the tallies do not.
    static func cityOrder(_ r: Report) -> [String] {
        var out: [String] = []
        var seen = Set<String>()
        for c in RenderSupport.cityTallies(r).tallies { if let n = c.city, seen.insert(n).inserted { out.append(n) } }
        for x in r.results { if let c = x.city, !c.isEmpty, seen.insert(c).inserted { out.append(c) } }
        return out
    }

    static func byCitySection(_ r: Report, _ lang: Lang) -> String {
        let (all, complete) = RenderSupport.cityTallies(r)
        guard !all.isEmpty else { return "" }
        let zh = lang == .zh
        let cities = all.filter { $0.city != nil }
        let none = all.first { $0.city == nil }
        var out = "<section id=\"by-city\">\n<div class=\"keep\">\n<h2>\(zh ? "各市州达标率" : "Pass rate by city")</h2>\n"
        if !complete {
            out += "<p class=\"note\">" + (zh ? "本报告只列出需关注的结果，以下只统计列出的结果，不计算达标率。"
                                              : "This report lists only the results needing attention; the counts below cover those alone, without a pass rate.") + "</p>\n"
        } else if !cities.isEmpty {
            out += chart(cities.map { ($0.city ?? "", $0.summary) }, title: zh ? "各市州达标率" : "Pass rate by city", lang: lang)
        }
        out += "</div>\n"
        // Teachers, placements and the region rows have no 市州 of their
        // own: they are counted on a line of their own, never as a city.
        if let none {
            out += "<p class=\"note nocity\">" + esc(noCity(lang)) + (zh ? "（教师、实习安排等本身不含市州的记录）：" : " (teachers, placements and other records without a city): ")
            out += (zh ? "\(none.summary.results) 条结果，达标 \(none.summary.pass)，不达标 \(none.summary.fail)，达标率 "
                      : "\(none.summary.results) results, \(none.summary.pass) pass, \(none.summary.fail) fail, pass rate ")
            out += (complete ? RenderSupport.percentText(none.summary) : "—") + (zh ? "；不计入上图。" : "; not in the chart above.") + "</p>\n"
        }
        out += "<table class=\"counts\">\n" + countHeader([zh ? "市州" : "city"], lang) + "<tbody>\n"
        func cells(_ s: Summary) -> String {
            complete ? countCells(s)
                : [s.results, s.pass, s.fail, s.waived, s.missing + s.undefined, s.notApplicable].map { "<td class=\"n\">\($0)</td>" }.joined()
                    + "<td class=\"n\">—</td>"
        }
        for c in cities { out += "<tr><td>\(esc(c.city ?? ""))</td>" + cells(c.summary) + "</tr>\n" }
        out += "</tbody>\n"
        if let none { out += "<tfoot><tr class=\"nocity\"><td>\(esc(noCity(lang)))</td>" + cells(none.summary) + "</tr></tfoot>\n" }
        return out + "</table>\n</section>\n"
    }

    /// Rows written into the page as HTML, in failures-first order: what a
    /// reader without scripting sees, and what prints. The rest are in the
    /// data block only.
    static let staticRows = 1000
    /// Rows per page of the scripted table.
    static let pageRows = 100

    static func resultsSection(_ r: Report, _ lang: Lang) -> String {
        guard !r.results.isEmpty else { return "" }
        let zh = lang == .zh
        let data = HTMLData(r, lang: lang)
        let total = r.results.count
        var out = "<section id=\"results\">\n<h2>"
        out += r.showsAll ? (zh ? "全部结果" : "All results") : (zh ? "需关注的结果" : "Results needing attention")
        out += RenderSupport.countSuffix(total, lang) + "</h2>\n"

        // The controls stay hidden until the script shows them: without
        // scripting they could do nothing.
        out += "<div id=\"filters\" class=\"filters\" hidden>\n"
        out += select("level", zh ? "级别" : "Level", data.categories.map { (String($0), data.categoryLabel($0)) }, lang)
        out += select("rule", zh ? "规则" : "Rule", data.rules.indices.map { (String($0), data.ruleOptionText($0)) }, lang)
        out += select("city", zh ? "市州" : "City", data.cities.indices.map { (String($0), data.cities[$0]) } + (data.hasNoCity ? [("-1", noCity(lang))] : []), lang)
        if !data.owners.isEmpty {
            out += select("owner", zh ? "责任主体" : "Owner", data.owners.indices.map { (String($0), data.owners[$0]) }, lang)
        }
        out += "<label>\(zh ? "搜索" : "Search") <input type=\"search\" name=\"q\" id=\"search\" placeholder=\""
        out += esc(zh ? "记录标识、名称或说明" : "record key, name or message") + "\" autocomplete=\"off\"></label>\n"
        out += "<output id=\"shown\" class=\"shown\"></output>\n</div>\n"

        let shown = min(total, staticRows)
        out += "<p class=\"note\" id=\"static-note\">"
        if shown < total {
            out += zh ? "以下按不达标在前列出前 \(shown) 条，共 \(total) 条；其余 \(total - shown) 条已内嵌在本页数据中，需在浏览器中启用脚本后查看（可筛选、搜索、排序、翻页），或使用 dabiao check --format csv 或 json 得到全部结果。"
                     : "The first \(shown) of \(total) results are listed below, failures first; the other \(total - shown) are in this page's data and need scripting to be shown (filters, search, sorting, pages), or use dabiao check --format csv or json for all of them."
        } else {
            out += zh ? "共 \(total) 条，不达标在前。" : "\(total) results, failures first."
        }
        out += "</p>\n"

        let heads = zh ? ["结果", "规则", "记录", "名称", "市州", "指标", "说明", "整改", "来源"]
                      : ["outcome", "rule", "record", "name", "city", "measures", "message", "fix", "source"]
        out += "<div class=\"scroll\"><table id=\"results-table\" class=\"results\">\n<thead><tr>"
        out += heads.map { "<th scope=\"col\">\(esc($0))</th>" }.joined() + "</tr></thead>\n<tbody class=\"static\">\n"
        for i in data.order.prefix(shown) { out += data.rowHTML(i) + "\n" }
        out += "</tbody>\n<tbody class=\"live\"></tbody>\n</table></div>\n"
        out += "<nav id=\"pager\" class=\"pager\" hidden></nav>\n"
        out += "<script type=\"application/json\" id=\"dabiao-data\">" + data.json() + "</script>\n"
        return out + "</section>\n"
    }

    static func select(_ name: String, _ label: String, _ options: [(value: String, text: String)], _ lang: Lang) -> String {
        var out = "<label>\(esc(label)) <select name=\"\(name)\"><option value=\"\">\(lang == .zh ? "全部" : "all")</option>"
        for o in options { out += "<option value=\"\(esc(o.value))\">\(esc(o.text))</option>" }
        return out + "</select></label>\n"
    }

    static func rectificationSection(_ r: Report, _ lang: Lang) -> String {
        guard !r.rectification.isEmpty else { return "" }
        let zh = lang == .zh
        var out = "<section id=\"rectification\">\n<h2>\(zh ? "整改清单" : "Rectification list")\(RenderSupport.countSuffix(r.rectification.count, lang))</h2>\n"
        out += rectificationTotals(r, lang)
        let listed = min(r.rectification.count, rectificationItems)
        out += "<div class=\"no-print\">\n"
        if listed < r.rectification.count {
            out += "<p class=\"note\">" + (zh ? "以下列出前 \(listed) 个记录的整改项，共 \(r.rectification.count) 个；完整清单用 dabiao rectify（可加 --format csv）。"
                                              : "The first \(listed) of \(r.rectification.count) records are listed; dabiao rectify (with --format csv if you like) gives the whole list.") + "</p>\n"
        }
        for item in r.rectification.prefix(listed) {
            out += "<article class=\"fix\">\n<h3><span class=\"code\">\(esc(item.key))</span> \(esc(item.name ?? ""))"
            if let c = item.city { out += " <small>\(esc(c))</small>" }
            out += "</h3>\n"
            var facts: [String] = []
            facts.append((zh ? "实体：" : "entity: ") + (item.entityLabel ?? item.entity))
            if let o = item.owner { facts.append((zh ? "责任主体：" : "owner: ") + o) }
            if let d = item.deadline { facts.append((zh ? "整改期限：" : "deadline: ") + CivilDate.format(d)) }
            out += "<p class=\"meta\">" + facts.map(esc).joined(separator: " · ") + "</p>\n"
            if !item.changes.isEmpty {
                out += "<table>\n<thead><tr>"
                out += (zh ? ["字段", "现值", "目标值", "变化", "单位", "措施", "涉及规则"] : ["field", "from", "to", "change", "unit", "action", "rules"])
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
            if !item.passesAfter.isEmpty { lines.append("<li class=\"ok\">" + esc((zh ? "整改后达标：" : "passes after: ") + item.passesAfter.joined(separator: ", ")) + "</li>") }
            if !item.stillFailing.isEmpty { lines.append("<li class=\"bad\">" + esc((zh ? "整改后仍不达标：" : "still failing: ") + item.stillFailing.joined(separator: ", ")) + "</li>") }
            for c in item.conflicts { lines.append("<li class=\"bad\">" + esc((zh ? "方向冲突：" : "conflict: ") + c(lang)) + "</li>") }
            for u in item.unresolved { lines.append("<li class=\"bad\">" + esc((zh ? "无法整改 " : "unresolved ") + u.rule + (zh ? "：" : ": ") + u.reason(lang)) + "</li>") }
            if !lines.isEmpty { out += "<ul>\n" + lines.joined(separator: "\n") + "\n</ul>\n" }
            out += "</article>\n"
        }
        out += "</div>\n<p class=\"note print-only\">" + (zh ? "打印件不含各记录的整改明细，见 dabiao rectify。" : "Each record's changes are not printed; see dabiao rectify.") + "</p>\n"
        return out + "</section>\n"
    }

    /// Records listed in the page's rectification section; `dabiao rectify`
    /// has them all, and the totals above the list count every one.
    static let rectificationItems = 200

    /// Records to rectify, changes and records with a rule no change can
    /// meet, per 市州 (region order, those without one last) and per owner.
    static func rectificationTotals(_ r: Report, _ lang: Lang) -> String {
        let zh = lang == .zh
        struct Count { var records = 0, changes = 0, unresolved = 0 }
        func add(_ c: inout Count, _ item: RectificationItem) {
            c.records += 1
            c.changes += item.changes.count
            if !item.unresolved.isEmpty { c.unresolved += 1 }
        }
        var byCity: [String: Count] = [:], none = Count(), byOwner: [String: Count] = [:], owners: [String] = []
        for item in r.rectification {
            if let c = item.city, !c.isEmpty { add(&byCity[c, default: Count()], item) } else { add(&none, item) }
            let o = item.owner ?? ""
            if byOwner[o] == nil { owners.append(o) }
            add(&byOwner[o, default: Count()], item)
        }
        var cities = cityOrder(r).filter { byCity[$0] != nil }
        cities += byCity.keys.filter { !cities.contains($0) }.sorted()
        let head = zh ? ["记录数", "调整项", "含无法整改的规则"] : ["records", "changes", "with a rule no change meets"]
        func table(_ first: String, _ rows: [(String, Count)]) -> String {
            var t = "<table class=\"counts\">\n<thead><tr><th>\(esc(first))</th>" + head.map { "<th class=\"n\">\(esc($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
            for (name, c) in rows {
                t += "<tr><td>\(esc(name))</td><td class=\"n\">\(c.records)</td><td class=\"n\">\(c.changes)</td><td class=\"n\">\(c.unresolved)</td></tr>\n"
            }
            return t + "</tbody>\n</table>\n"
        }
        var cityRows = cities.compactMap { c in byCity[c].map { (c, $0) } }
        if none.records > 0 { cityRows.append((noCity(lang), none)) }
        var out = "<div class=\"totals\">\n" + table(zh ? "市州" : "city", cityRows)
        out += table(zh ? "责任主体" : "owner", owners.compactMap { o in byOwner[o].map { (o.isEmpty ? (zh ? "未注明" : "none given") : o, $0) } })
        return out + "</div>\n"
    }

    static func issuesSection(_ r: Report, _ lang: Lang) -> String {
        guard !r.dataErrors.isEmpty || !r.notes.isEmpty || !r.waivers.isEmpty else { return "" }
        let zh = lang == .zh
        var out = "<section id=\"issues\">\n"
        func errors(_ list: [DataError]) -> String {
            var t = "<table>\n<thead><tr>" + (zh ? ["文件", "行", "列", "值", "原因"] : ["file", "line", "column", "value", "reason"])
                .map { "<th>\(esc($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
            for e in list {
                t += "<tr><td class=\"src\">\(esc(e.path))</td><td class=\"n\">\(e.line.map(String.init) ?? "")</td>"
                t += "<td>\(esc(e.column ?? ""))</td><td>\(esc(e.value ?? ""))</td><td>\(esc(e.reason(lang)))</td></tr>\n"
            }
            return t + "</tbody>\n</table>\n"
        }
        if !r.dataErrors.isEmpty {
            out += "<h2 id=\"data-errors\">\(zh ? "数据问题" : "Data errors")\(RenderSupport.countSuffix(r.dataErrors.count, lang))</h2>\n" + errors(r.dataErrors)
        }
        if !r.notes.isEmpty {
            out += "<h2 id=\"notes\">\(zh ? "说明" : "Notes")</h2>\n" + errors(r.notes)
        }
        if !r.waivers.isEmpty {
            out += "<h2 id=\"waivers\">\(zh ? "豁免" : "Waivers")</h2>\n<table>\n<thead><tr>"
            out += (zh ? ["规则", "实体", "记录", "有效期至", "状态", "理由"] : ["rule", "entity", "record", "until", "status", "reason"])
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
        let zh = lang == .zh
        var out = "<section id=\"citations\">\n"
        if !cites.isEmpty {
            out += "<h2>\(zh ? "依据" : "Citations")</h2>\n<table>\n<thead><tr>"
            out += (zh ? ["规则集", "编号", "规则", "依据"] : ["ruleset", "code", "rule", "citation"]).map { "<th>\(esc($0))</th>" }.joined()
            out += "</tr></thead>\n<tbody>\n"
            for c in cites {
                out += "<tr><td>\(esc(c.ruleset))</td><td class=\"code\">\(esc(c.rule))</td><td>\(esc(c.title))</td><td>\(esc(c.cite))</td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
        }
        if !r.rulesets.isEmpty {
            out += "<h2>\(zh ? "规则集" : "Rulesets")</h2>\n<table>\n<thead><tr>"
            out += (zh ? ["编号", "名称", "版本", "依据"] : ["id", "title", "version", "source"]).map { "<th>\(esc($0))</th>" }.joined()
            out += "</tr></thead>\n<tbody>\n"
            for rs in r.rulesets {
                out += "<tr><td class=\"code\">\(esc(rs.id))</td><td>\(esc(rs.title))</td><td>\(esc(rs.version ?? ""))</td><td>\(esc(rs.source ?? ""))</td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
        }
        if !r.inputs.isEmpty || !r.rulesFiles.isEmpty {
            out += "<h2>\(zh ? "输入与校验和" : "Inputs and checksums")</h2>\n<table>\n<thead><tr>"
            out += (zh ? ["实体", "文件", "读入", "拒收", "SHA-256"] : ["entity", "file", "read", "rejected", "SHA-256"]).map { "<th>\(esc($0))</th>" }.joined()
            out += "</tr></thead>\n<tbody>\n"
            for i in r.inputs {
                out += "<tr><td>\(esc(i.entity))</td><td class=\"src\">\(esc(i.path))</td><td class=\"n\">\(i.records)</td>"
                out += "<td class=\"n\">\(i.rejected)</td><td class=\"hash\">\(esc(i.sha256))</td></tr>\n"
            }
            for f in r.rulesFiles {
                out += "<tr><td>\(zh ? "规则" : "rules")</td><td class=\"src\">\(esc(f.path))</td><td></td><td></td><td class=\"hash\">\(esc(f.sha256))</td></tr>\n"
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
    /// Bars per chart: about half an A4 page once printed.
    static let chartRows = 30

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
    .pager { display: flex; gap: 8px; align-items: center; margin: 4px 0 16px; }
    .pager[hidden] { display: none; }
    .pager button { font: inherit; padding: 2px 10px; }
    .shown { color: var(--muted); }
    td.empty { color: var(--muted); text-align: center; }
    .js tbody.static, .js #static-note, .print-only { display: none; }
    .totals { display: flex; flex-wrap: wrap; gap: 16px; } .totals table { width: auto; min-width: 320px; }
    tfoot tr.nocity td { background: #fafafa; font-style: italic; }
    @page { size: A4; margin: 12mm 10mm; }
    @page wide { size: A4 landscape; margin: 10mm; }
    @media print {
      body { font-size: 8pt; line-height: 1.3; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
      header, main { max-width: none; padding: 0; }
      h1 { font-size: 16pt; } h2 { font-size: 12pt; margin: 14px 0 6px; } h3 { font-size: 10pt; }
      .filters, .pager, .no-print, .js tbody.live { display: none !important; }
      .js tbody.static { display: table-row-group; } .js #static-note, .print-only { display: block; }
      .scroll { overflow: visible; }
      .card { padding: 4px 8px; min-width: 80px; } .card .num { font-size: 14pt; }
      th, td { padding: 1px 4px; }
      .code, .src, .hash, .cite, .badge { font-size: 7pt; }
      section#results { page: wide; }
      table.results { font-size: 7pt; }
      table.results td:nth-child(n) { min-width: 0; }
      table.results td.src, table.results th:last-child, table.results .cite, table.results .rt { display: none; }
      table.results th, table.results td:nth-child(-n+3) { white-space: nowrap; }
      table.results td:nth-child(4) { min-width: 10em; } table.results td:nth-child(6) { min-width: 12em; }
      table.results td:nth-child(8) { min-width: 26em; }
      section#citations td, section#citations th { font-size: 7pt; }
      table.counts td.code, table.counts th { white-space: nowrap; }
      thead { display: table-header-group; }
      tr, .card, figure.chart, .keep { break-inside: avoid; }
      h2, h3 { break-after: avoid; }
    }

    """


}
