/// The terminal report: summary, a table per rule, then the results that
/// need attention, each with its message, citation and remedy.
enum TextReport {
    struct Style: Sendable {
        var color: Bool
        init(color: Bool) { self.color = color }
        func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
        func bold(_ s: String) -> String { paint(s, "1") }
        func dim(_ s: String) -> String { paint(s, "2") }
        func outcome(_ s: String, _ o: Outcome, _ l: Level?) -> String {
            switch o {
            case .pass: return paint(s, "32")
            case .fail: return paint(s, l == .error || l == nil ? "31" : l == .warning ? "33" : "36")
            case .waived: return paint(s, "35")
            case .notApplicable: return dim(s)
            case .missing, .undefined: return paint(s, "33")
            }
        }
    }

    /// Pads to a display width, counting CJK characters as two columns.
    static func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
        let w = displayWidth(s)
        guard w < width else { return s }
        let fill = String(repeating: " ", count: width - w)
        return right ? fill + s : s + fill
    }

    /// A table whose columns line up whatever mix of scripts the cells hold.
    static func table(_ header: [String], _ rows: [[String]], rightAligned: Set<Int> = [], indent: String = "  ") -> String {
        var widths = header.map(displayWidth)
        for r in rows {
            for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], displayWidth(c)) }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (i, c) in cells.enumerated() where i < widths.count {
                parts.append(i == cells.count - 1 && !rightAligned.contains(i) ? c : pad(c, widths[i], right: rightAligned.contains(i)))
            }
            return indent + parts.joined(separator: "  ")
        }
        var out = line(header) + "\n"
        out += indent + widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ") + "\n"
        for r in rows { out += line(r) + "\n" }
        return out
    }

    static func percent(_ s: Summary) -> String {
        let decided = s.pass + s.fail + s.waived + s.missing + s.undefined
        guard decided > 0 else { return "—" }
        return formatNumber(Double(s.pass) * 100 / Double(decided), decimals: 1) + "%"
    }

    static func summaryLine(_ s: Summary, lang: Lang) -> String {
        let zh = lang == .zh
        return zh
            ? "结果 \(s.results) · 达标 \(s.pass) · 不达标 \(s.fail)（错误 \(s.error) · 警告 \(s.warning) · 提示 \(s.info)）· 已豁免 \(s.waived) · 不适用 \(s.notApplicable) · 数据缺失 \(s.missing) · 无法计算 \(s.undefined)"
            : "results \(s.results) · pass \(s.pass) · fail \(s.fail) (error \(s.error) · warning \(s.warning) · info \(s.info)) · waived \(s.waived) · not applicable \(s.notApplicable) · missing \(s.missing) · undefined \(s.undefined)"
    }

    static func render(_ r: Report, lang: Lang, style: Style = Style(color: false)) -> String {
        let zh = lang == .zh
        var out = ""
        out += style.bold(zh ? "dabiao \(r.version) 达标检查报告" : "dabiao \(r.version) compliance report") + "  "
        out += (zh ? "审计日期 " : "as of ") + CivilDate.format(r.asOf) + "\n\n"
        out += style.bold(zh ? "规则集" : "Rulesets") + "\n"
        for rs in r.rulesets {
            out += "  \(rs.id)  \(rs.title)"
            if let v = rs.version { out += lang.aside(v) }
            if let s = rs.source { out += (zh ? "  依据：" : "  source: ") + s }
            out += "\n"
        }
        out += "\n" + style.bold(zh ? "输入数据" : "Inputs") + "\n"
        let inputRows = r.inputs.map { i in
            [i.entity, i.path, String(i.records), String(i.records - i.rejected), String(i.rejected)]
        }
        out += table(zh ? ["实体", "文件", "读入", "评估", "拒收"] : ["entity", "file", "read", "evaluated", "rejected"], inputRows, rightAligned: [2, 3, 4])
        out += "\n" + style.bold(zh ? "汇总" : "Summary") + "\n  " + summaryLine(r.summary, lang: lang) + "\n"
        // A CI log shows the summary first: data problems fail the run too, so they are counted here.
        let rejectedCount = r.inputs.reduce(0) { $0 + $1.rejected }
        if !r.dataErrors.isEmpty || rejectedCount > 0 {
            out += "  " + (zh ? "数据问题 \(r.dataErrors.count) 项 · 拒收记录 \(rejectedCount) 条"
                             : "data errors \(r.dataErrors.count) · rejected records \(rejectedCount)") + "\n"
        }
        out += "\n"

        out += style.bold(zh ? "各规则达标情况" : "By rule") + "\n"
        let ruleRows = r.tallies.map { t -> [String] in
            [t.rule, t.title, String(t.summary.pass), String(t.summary.fail), String(t.summary.waived),
             String(t.summary.missing + t.summary.undefined), String(t.summary.notApplicable), percent(t.summary)]
        }
        out += table(zh ? ["编号", "规则", "达标", "不达标", "豁免", "缺失/无法计算", "不适用", "达标率"]
                       : ["code", "rule", "pass", "fail", "waived", "missing/undef.", "n/a", "pass rate"],
                     ruleRows, rightAligned: [2, 3, 4, 5, 6, 7])

        if r.showsAll {
            if !r.results.isEmpty {
                out += "\n" + style.bold(zh ? "全部结果" : "All results") + "\n"
                for x in r.results { out += resultBlock(x, lang: lang, style: style) }
            }
        } else {
            out += attentionByRule(r, lang: lang, style: style)
        }
        if !r.rectification.isEmpty {
            out += "\n" + style.bold(zh ? "整改清单汇总" : "Rectification totals") + "\n"
            out += rectificationTotals(r.rectification, lang: lang)
        }
        if !r.waivers.isEmpty {
            out += "\n" + style.bold(zh ? "豁免" : "Waivers") + "\n"
            for w in r.waivers {
                out += "  \(w.rule) \(w.entity) \(w.key) → \(CivilDate.format(w.until))  [\(waiverStatus(w.status, lang))]  \(w.reason)\n"
            }
        }
        if !r.dataErrors.isEmpty {
            out += "\n" + style.bold(zh ? "数据问题（\(r.dataErrors.count)）" : "Data errors (\(r.dataErrors.count))") + "\n"
            for e in r.dataErrors { out += "  " + dataErrorLine(e, lang: lang) + "\n" }
        }
        if !r.notes.isEmpty {
            out += "\n" + style.bold(zh ? "说明" : "Notes") + "\n"
            for e in r.notes { out += "  " + dataErrorLine(e, lang: lang) + "\n" }
        }
        let read = r.inputs.reduce(0) { $0 + $1.records }
        let rejected = r.inputs.reduce(0) { $0 + $1.rejected }
        out += "\n" + (zh ? "读入 \(read) 条记录 = 评估 \(read - rejected) + 拒收 \(rejected)\n"
                         : "\(read) records read = \(read - rejected) evaluated + \(rejected) rejected\n")
        return TerminalSafety.escapeControls(out, allowingColour: style.color)
    }

    /// The results that need attention, grouped by rule, one line each:
    /// enough to see what fails and the first remedy; `--show all` and
    /// `explain` give the details.
    static func attentionByRule(_ r: Report, lang: Lang, style: Style) -> String {
        let zh = lang == .zh
        let attention = r.results.filter { $0.outcome != .pass && $0.outcome != .notApplicable }
        guard !attention.isEmpty else { return "" }
        var out = "\n" + style.bold(zh ? "需关注的结果（\(attention.count)，按规则）" : "Results needing attention (\(attention.count), by rule)") + "\n"
        var groups: [(ruleset: String, rule: String, results: [RuleResult])] = []
        for x in attention {
            if let last = groups.last, last.ruleset == x.ruleset, last.rule == x.rule {
                groups[groups.count - 1].results.append(x)
            } else {
                groups.append((x.ruleset, x.rule, [x]))
            }
        }
        for g in groups {
            var s = Summary()
            for x in g.results { s.count(x.outcome, x.level) }
            var counts: [String] = []
            if s.fail > 0 { counts.append(Outcome.fail.label(lang) + " \(s.fail)") }
            if s.waived > 0 { counts.append(Outcome.waived.label(lang) + " \(s.waived)") }
            if s.missing > 0 { counts.append(Outcome.missing.label(lang) + " \(s.missing)") }
            if s.undefined > 0 { counts.append(Outcome.undefined.label(lang) + " \(s.undefined)") }
            let title = g.results.first?.title ?? ""
            out += "\n  " + style.bold("\(g.rule) \(title)") + "  " + style.dim(counts.joined(separator: " · ")) + "\n"
            // Failures first, the most severe first; the sort is stable, so records stay in key order.
            let ordered = g.results.enumerated().sorted { a, b in
                let ra = RenderSupport.rank(a.element), rb = RenderSupport.rank(b.element)
                return ra != rb ? ra < rb : a.offset < b.offset
            }.map(\.element)
            for x in ordered { out += "    " + compactLine(x, lang: lang, style: style) + "\n" }
        }
        out += "\n  " + style.dim(zh ? "详情（说明、其他整改方案、依据、数据行）：dabiao explain 规则编号 记录标识，或 --show all"
                                   : "details (messages, other remedies, citations, data rows): dabiao explain CODE KEY, or --show all") + "\n"
        return out
    }

    /// `[不达标·错误] 6262100154 某校  全日制在校生 477 人，少于 1200 人  → 全日制在校生数 +723 人`.
    static func compactLine(_ x: RuleResult, lang: Lang, style: Style) -> String {
        let zh = lang == .zh
        var line = style.outcome("[" + RenderSupport.outcomeText(x.outcome, x.level, lang) + "]", x.outcome, x.level) + " \(x.key)"
        if let n = x.name, !n.isEmpty { line += " \(n)" }
        var what: [String] = []
        switch x.outcome {
        case .missing:
            what.append((zh ? "缺失：" : "missing: ") + RenderSupport.missingNames(x, lang).joined(separator: zh ? "、" : ", "))
        case .undefined:
            what.append(RenderSupport.undefinedText(x, lang) ?? Outcome.undefined.label(lang))
        case .fail, .waived, .pass, .notApplicable:
            // The rulebook's message states the value against its threshold; without one, the measures do.
            if let m = x.message, !m.isEmpty {
                what.append(m.split(whereSeparator: \.isNewline).joined(separator: " "))
            } else if !x.measures.isEmpty {
                what.append(x.measures.map(RenderSupport.measureText).joined(separator: zh ? "；" : "; "))
            }
            if let w = x.waiverReason { what.append((zh ? "豁免：" : "waived: ") + w) }
        }
        if !what.isEmpty { line += "  " + what.joined(separator: zh ? "；" : "; ") }
        if x.outcome == .fail, let f = x.fixes.first(where: { $0.to != nil }), let delta = f.delta {
            line += "  → " + f.label + " " + change(delta) + (f.unit.isEmpty ? "" : " " + f.unit)
        }
        return line
    }

    /// What the 整改清单 holds per owner and 市州; `dabiao rectify` lists it whole.
    static func rectificationTotals(_ items: [RectificationItem], lang: Lang) -> String {
        let zh = lang == .zh
        var rows: [[String]] = []
        for (owner, ofOwner) in RectificationReport.grouped(items, by: \.owner) {
            for (city, ofCity) in RectificationReport.grouped(ofOwner, by: \.city) {
                rows.append([owner ?? (zh ? "（未指定）" : "(none)"), city ?? (zh ? "（未注明市州）" : "(no city)"),
                             String(ofCity.count), String(ofCity.reduce(0) { $0 + $1.changes.count }),
                             String(ofCity.filter { !$0.stillFailing.isEmpty }.count)])
            }
        }
        var out = table(zh ? ["责任主体", "市州", "记录", "整改事项", "整改后仍不达标"] : ["owner", "city", "records", "changes", "still failing"],
                        rows, rightAligned: [2, 3, 4])
        let changes = items.reduce(0) { $0 + $1.changes.count }
        out += "  " + (zh ? "合计 \(items.count) 条记录、\(changes) 项整改；完整清单：dabiao rectify"
                         : "in all \(items.count) records, \(changes) changes; the full list: dabiao rectify") + "\n"
        return out
    }

    static func waiverStatus(_ s: WaiverStatus, _ lang: Lang) -> String {
        switch (s, lang) {
        case (.active, .zh): return "生效"
        case (.expired, .zh): return "已过期"
        case (.unused, .zh): return "未使用"
        case (.unknownRule, .zh): return "规则不存在"
        case (.unknownKey, .zh): return "记录不存在"
        case (_, .en): return s.rawValue
        }
    }

    static func dataErrorLine(_ e: DataError, lang: Lang) -> String {
        var loc = e.path
        if let l = e.line { loc += ":\(l)" }
        var s = loc
        if let c = e.column { s += lang == .zh ? " 列“\(c)”" : " column '\(c)'" }
        if let v = e.value { s += lang == .zh ? " 值“\(v)”" : " value '\(v)'" }
        return s + (lang == .zh ? "：" : ": ") + e.reason(lang)
    }

    /// `+8`, `−400`: the sign gives the direction of a change.
    static func change(_ d: Double) -> String {
        (d > 0 ? "+" : d < 0 ? "−" : "") + formatNumber(abs(d))
    }

    static func fixText(_ f: Fix, lang: Lang) -> String {
        let zh = lang == .zh
        guard let to = f.to, let delta = f.delta else {
            return f.label + (zh ? "：" : ": ") + (f.reason?(lang) ?? (zh ? "无法找到整改量" : "no remedy found"))
        }
        let from = f.from.map { formatNumber($0) } ?? "—"
        var s = "\(f.label) \(from) → \(formatNumber(to)) \(f.unit)" + lang.aside(change(delta))
        if let a = f.action { s += " " + a }
        return s
    }

    static func resultBlock(_ x: RuleResult, lang: Lang, style: Style) -> String {
        let zh = lang == .zh
        var tag = x.outcome.label(lang)
        if x.outcome == .fail, let l = x.level { tag += "·" + l.label(lang) }
        var out = "  " + style.outcome("[\(tag)]", x.outcome, x.level) + " \(x.rule) \(x.key)"
        if let n = x.name { out += " \(n)" }
        let ms = x.measures.map { m in "\(m.name) " + (m.value.map { formatNumber($0) } ?? "—") + (m.unit.isEmpty ? "" : " \(m.unit)") }
        // Passing and not-applicable results take one line each; the others get a block.
        if x.outcome == .pass || x.outcome == .notApplicable {
            return out + (ms.isEmpty ? "" : "  " + style.dim(ms.joined(separator: zh ? "；" : "; "))) + "\n"
        }
        out += "  " + style.dim(x.title) + "\n"
        if !ms.isEmpty { out += "      " + ms.joined(separator: zh ? "；" : "; ") + "\n" }
        if let m = x.message { out += "      " + m + "\n" }
        if !x.missingFields.isEmpty { out += "      " + (zh ? "缺失：" : "missing: ") + RenderSupport.missingNames(x, lang).joined(separator: zh ? "、" : ", ") + "\n" }
        if let u = RenderSupport.undefinedText(x, lang) { out += "      " + u + "\n" }
        if let w = x.waiverReason { out += "      " + (zh ? "豁免理由：" : "waived because: ") + w + "\n" }
        // A remedy that exists makes "no remedy in the other direction" noise.
        let fixes = x.fixes.contains { $0.to != nil } ? x.fixes.filter { $0.to != nil } : x.fixes
        for (i, f) in fixes.enumerated() {
            out += "      " + (i == 0 ? (zh ? "整改：" : "fix: ") : (zh ? "或者：" : "or: ")) + fixText(f, lang: lang) + "\n"
        }
        if let c = x.cite { out += "      " + style.dim((zh ? "依据：" : "cite: ") + c) + "\n" }
        if let p = x.sourcePath { out += "      " + style.dim("\(p):\(x.sourceLine ?? 0)") + "\n" }
        return out
    }
}
