/// The report as GitHub/GitLab-flavoured Markdown: for pasting into an issue,
/// a merge request or a wiki page. Tables only, no HTML, so it reads the same
/// on both hosts and as plain text.
enum MarkdownReport {
    static func render(_ r: Report, lang: Lang = .zh) -> String {
        let zh = lang == .zh
        var out = "# " + RenderSupport.title(lang) + "\n\n"
        out += "dabiao \(escape(r.version)) · " + (zh ? "审计日期 " : "as of ") + CivilDate.format(r.asOf) + "\n"

        if !r.rulesets.isEmpty {
            out += section(zh ? "规则集" : "Rulesets")
            out += table(zh ? ["编号", "名称", "版本", "依据"] : ["id", "title", "version", "source"],
                         r.rulesets.map { [$0.id, $0.title, $0.version ?? "", $0.source ?? ""] })
        }
        if !r.inputs.isEmpty || !r.rulesFiles.isEmpty {
            out += section(zh ? "输入数据" : "Inputs")
            if !r.inputs.isEmpty {
                out += table(zh ? ["实体", "文件", "读入", "拒收", "SHA-256"] : ["entity", "file", "read", "rejected", "SHA-256"],
                             r.inputs.map { [$0.entity, $0.path, String($0.records), String($0.rejected), $0.sha256] },
                             right: [2, 3])
            }
            if !r.rulesFiles.isEmpty {
                if !r.inputs.isEmpty { out += "\n" }
                out += table(zh ? ["规则文件", "SHA-256"] : ["rules file", "SHA-256"], r.rulesFiles.map { [$0.path, $0.sha256] })
            }
        }

        out += section(zh ? "汇总" : "Summary")
        out += table(RenderSupport.summaryHeader(lang), [RenderSupport.summaryCells(r.summary)], right: Set(0..<11))

        if !r.tallies.isEmpty {
            out += section(zh ? "各规则达标情况" : "By rule")
            out += table(zh ? ["规则集", "编号", "规则", "级别", "达标", "不达标", "已豁免", "缺失/无法计算", "不适用", "达标率"]
                           : ["ruleset", "code", "rule", "level", "pass", "fail", "waived", "missing/undef.", "n/a", "pass rate"],
                         r.tallies.map { t in
                             [t.ruleset, t.rule, t.title, t.level.label(lang), String(t.summary.pass), String(t.summary.fail),
                              String(t.summary.waived), String(t.summary.missing + t.summary.undefined),
                              String(t.summary.notApplicable), RenderSupport.percentText(t.summary)]
                         }, right: [4, 5, 6, 7, 8, 9])
        }

        // Cities in the region data's order; the results of records with no
        // city (teachers, placements) are counted apart, not as a city.
        let (tallies, complete) = RenderSupport.cityTallies(r)
        let cities = tallies.filter { ($0.city ?? "").isEmpty == false }
        let noCity = tallies.first { ($0.city ?? "").isEmpty }
        if !cities.isEmpty {
            out += section(zh ? "各市州达标情况" : "By city")
            if !complete {
                out += (zh ? "> 本报告只列出需关注的结果，下表只统计列出的结果，不计算达标率。\n\n"
                          : "> This report lists only the results needing attention; the table counts those alone and shows no pass rate.\n\n")
            }
            out += table(zh ? ["市州", "结果", "达标", "不达标", "已豁免", "缺失/无法计算", "不适用", "达标率"]
                           : ["city", "results", "pass", "fail", "waived", "missing/undef.", "n/a", "pass rate"],
                         cities.map { c in
                             [c.city ?? "", String(c.summary.results), String(c.summary.pass),
                              String(c.summary.fail), String(c.summary.waived), String(c.summary.missing + c.summary.undefined),
                              String(c.summary.notApplicable), complete ? RenderSupport.percentText(c.summary) : "—"]
                         }, right: [1, 2, 3, 4, 5, 6, 7])
            if let n = noCity {
                let s = n.summary
                // A blank line first: GitHub would read a line right under a table as one more row.
                out += "\n" + (zh ? "未注明市州的记录（如教师、实习安排）另计：结果 \(s.results) 条，达标 \(s.pass)，不达标 \(s.fail)"
                          : "Records with no city (such as teachers and placements), counted apart: \(s.results) results, \(s.pass) pass, \(s.fail) fail")
                    + (complete ? (zh ? "，达标率 " : ", pass rate ") + RenderSupport.percentText(s) : "") + (zh ? "。\n\n" : ".\n\n")
            }
        }

        if !r.results.isEmpty {
            out += section(r.showsAll ? (zh ? "全部结果" : "All results") : (zh ? "需关注的结果" : "Results needing attention"))
            out += table(zh ? ["结果", "规则", "记录", "名称", "市州", "指标", "说明", "整改", "来源"]
                           : ["outcome", "rule", "record", "name", "city", "measures", "message", "fix", "source"],
                         r.results.map { resultRow($0, lang) })
        }

        if !r.rectification.isEmpty {
            out += section(zh ? "整改清单" : "Rectification list")
            for item in r.rectification { out += rectification(item, lang) }
        }

        if !r.dataErrors.isEmpty {
            out += section(zh ? "数据问题（\(r.dataErrors.count)）" : "Data errors (\(r.dataErrors.count))")
            out += dataErrors(r.dataErrors, lang)
        }
        if !r.notes.isEmpty {
            out += section(zh ? "说明" : "Notes")
            out += dataErrors(r.notes, lang)
        }
        if !r.waivers.isEmpty {
            out += section(zh ? "豁免" : "Waivers")
            out += table(zh ? ["规则", "实体", "记录", "有效期至", "状态", "理由"] : ["rule", "entity", "record", "until", "status", "reason"],
                         r.waivers.map { [$0.rule, $0.entity, $0.key, CivilDate.format($0.until), RenderSupport.waiverStatus($0.status, lang), $0.reason] })
        }
        let cites = RenderSupport.citations(r)
        if !cites.isEmpty {
            out += section(zh ? "依据" : "Citations")
            out += table(zh ? ["规则集", "编号", "规则", "依据"] : ["ruleset", "code", "rule", "citation"],
                         cites.map { [$0.ruleset, $0.rule, $0.title, $0.cite] })
        }
        return out
    }

    /// The rectification list alone (`dabiao rectify --format md`).
    static func renderRectification(_ r: Report, lang: Lang = .zh) -> String {
        let zh = lang == .zh
        var out = "# " + (zh ? "整改清单" : "Rectification list") + "\n\n"
        out += "dabiao \(escape(r.version)) · " + (zh ? "审计日期 " : "as of ") + CivilDate.format(r.asOf) + "\n\n"
        if r.rectification.isEmpty {
            out += zh ? "没有需要整改的记录。\n" : "Nothing to rectify.\n"
        }
        for item in r.rectification { out += rectification(item, lang) }
        return out
    }

    static func section(_ title: String) -> String { "\n## " + escape(title) + "\n\n" }

    static func resultRow(_ x: RuleResult, _ lang: Lang) -> [String] {
        let zh = lang == .zh
        var notes: [String] = []
        if let m = x.message, !m.isEmpty { notes.append(m) }
        if !x.missingFields.isEmpty { notes.append((zh ? "缺失：" : "missing: ") + RenderSupport.missingNames(x, lang).joined(separator: zh ? "、" : ", ")) }
        if let u = RenderSupport.undefinedText(x, lang) { notes.append(u) }
        if let w = x.waiverReason { notes.append((zh ? "豁免理由：" : "waived because: ") + w) }
        return [RenderSupport.outcomeText(x.outcome, x.level, lang), x.rule + " " + x.title, x.key, x.name ?? "", x.city ?? "",
                x.measures.map(RenderSupport.measureText).joined(separator: "\n"), notes.joined(separator: "\n"),
                x.fixes.map { RenderSupport.fixText($0, lang) }.joined(separator: "\n"),
                RenderSupport.location(x.sourcePath, x.sourceLine)]
    }

    static func rectification(_ item: RectificationItem, _ lang: Lang) -> String {
        let zh = lang == .zh
        var head = "\(item.entityLabel ?? item.entity) \(item.key)"
        if let n = item.name { head += " " + n }
        if let c = item.city { head += lang.aside(c) }
        var out = "### " + escape(head) + "\n\n"
        var facts: [String] = []
        if let o = item.owner { facts.append((zh ? "责任主体：" : "owner: ") + o) }
        if let d = item.deadline { facts.append((zh ? "整改期限：" : "deadline: ") + CivilDate.format(d)) }
        if !item.passesAfter.isEmpty { facts.append((zh ? "整改后达标：" : "passes after: ") + item.passesAfter.joined(separator: ", ")) }
        let unexplained = item.stillFailingWithoutReason
        if !unexplained.isEmpty { facts.append((zh ? "整改后仍不达标：" : "still failing: ") + unexplained.joined(separator: ", ")) }
        for c in item.conflicts { facts.append((zh ? "方向冲突：" : "conflict: ") + c(lang)) }
        for u in item.unresolved { facts.append((zh ? "整改后仍不达标 " : "still failing ") + u.rule + (zh ? "：" : ": ") + u.reason(lang)) }
        for f in facts { out += "- " + escape(f) + "\n" }
        if !facts.isEmpty { out += "\n" }
        if !item.changes.isEmpty {
            out += table(zh ? ["字段", "现值", "目标值", "变化", "单位", "措施", "涉及规则"]
                           : ["field", "from", "to", "change", "unit", "action", "rules"],
                         item.changes.map { c in
                             [c.label.isEmpty ? c.field : c.label, RenderSupport.human(c.from), RenderSupport.human(c.to),
                              c.delta.map { RenderSupport.signed($0, exact: false) } ?? "—", c.unit, c.action ?? "",
                              c.rules.joined(separator: ", ")]
                         }, right: [1, 2, 3])
            out += "\n"
        }
        return out
    }

    static func dataErrors(_ errors: [DataError], _ lang: Lang) -> String {
        table(lang == .zh ? ["文件", "行", "列", "值", "原因"] : ["file", "line", "column", "value", "reason"],
              errors.map { [$0.path, $0.line.map(String.init) ?? "", $0.column ?? "", $0.value ?? "", $0.reason(lang)] },
              right: [1])
    }

    /// A pipe table. Every cell is escaped, so data can never break a row.
    static func table(_ header: [String], _ rows: [[String]], right: Set<Int> = []) -> String {
        var out = "| " + header.map(cell).joined(separator: " | ") + " |\n"
        out += "|" + header.indices.map { right.contains($0) ? " ---: " : " --- " }.joined(separator: "|") + "|\n"
        for row in rows {
            var cells = row.map(cell)
            // A short row would shift columns on some renderers; pad it.
            while cells.count < header.count { cells.append("") }
            out += "| " + cells.prefix(header.count).joined(separator: " | ") + " |\n"
        }
        return out
    }

    /// Table cell text: Markdown escaped, line breaks as `<br>` (the one HTML
    /// element both GitHub and GitLab accept inside a table cell).
    static func cell(_ s: String) -> String {
        let lines = s.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        let text = lines.map { trimSpaces(escape(String($0))) }.filter { !$0.isEmpty }.joined(separator: "<br>")
        return text.isEmpty ? " " : text
    }

    static func trimSpaces(_ t: String) -> String {
        var s = Substring(t)
        while let f = s.first, f == " " { s = s.dropFirst() }
        while let l = s.last, l == " " { s = s.dropLast() }
        return String(s)
    }

    /// Backslash-escapes the ASCII punctuation that could start markup, so
    /// names and messages show literally. `|` is escaped everywhere, since a
    /// GFM table splits on it before inline parsing.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "\\", "|", "*", "_", "`", "[", "]", "<", ">", "#", "&", "~", "!":
                out += "\\"
                out.unicodeScalars.append(ch)
            case "\n", "\r", "\t":
                out += " "
            default:
                // Other control characters have no printable form.
                if ch.value < 0x20 || ch.value == 0x7F { continue }
                out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}

