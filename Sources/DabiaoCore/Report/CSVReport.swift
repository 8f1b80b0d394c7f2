import Foundation

/// Results and the rectification list as CSV for spreadsheets: UTF-8 with a
/// byte-order mark (so Excel shows Chinese text), RFC 4180 quoting, CRLF.
enum CSVReport {
    /// One row per result.
    static func render(_ r: Report, lang: Lang = .zh) -> String {
        let zh = lang == .zh
        let header = zh
            ? ["规则集", "规则编号", "规则名称", "实体", "记录编号", "名称", "市州", "结果", "级别", "指标", "说明", "依据",
               "缺失字段", "整改", "来源文件", "行号"]
            : ["ruleset", "rule", "title", "entity", "key", "name", "city", "outcome", "level", "measures", "message", "cite",
               "missing fields", "fixes", "source path", "line"]
        var rows = [header]
        for x in r.results {
            rows.append([
                x.ruleset, x.rule, x.title, x.entity, x.key, x.name ?? "", x.city ?? "",
                x.outcome.label(lang), x.level?.label(lang) ?? "",
                x.measures.map(measure).joined(separator: "; "),
                message(x, lang), x.cite ?? "",
                RenderSupport.missingNames(x, lang).joined(separator: "; "),
                x.fixes.map { fix($0, lang) }.joined(separator: "; "),
                x.sourcePath ?? "", x.sourceLine.map(String.init) ?? "",
            ])
        }
        return document(rows)
    }

    /// One row per change of each rectification item; an item with no change
    /// (only unresolved rules) still gets one row, so no record drops out.
    static func renderRectification(_ r: Report, lang: Lang = .zh) -> String {
        let zh = lang == .zh
        let header = zh
            ? ["实体", "记录编号", "名称", "市州", "责任主体", "整改期限", "字段", "字段名称", "现值", "目标值", "变化量", "单位",
               "涉及规则", "措施", "整改后达标", "整改后仍不达标", "备注"]
            : ["entity", "key", "name", "city", "owner", "deadline", "field", "label", "from", "to", "delta", "unit",
               "rules", "action", "passes after", "still failing", "remarks"]
        var rows = [header]
        for item in r.rectification {
            let lead = [item.entity, item.key, item.name ?? "", item.city ?? "", item.owner ?? "",
                        item.deadline.map(CivilDate.format) ?? ""]
            let tail = [item.passesAfter.joined(separator: "; "), item.stillFailing.joined(separator: "; "), remarks(item, lang)]
            if item.changes.isEmpty {
                rows.append(lead + Array(repeating: "", count: 8) + tail)
            }
            for c in item.changes {
                rows.append(lead + [c.field, c.label, RenderSupport.exact(c.from), RenderSupport.exact(c.to),
                                    RenderSupport.exact(c.delta), c.unit, c.rules.joined(separator: "; "), c.action ?? ""] + tail)
            }
        }
        return document(rows)
    }

    static func remarks(_ item: RectificationItem, _ lang: Lang) -> String {
        let zh = lang == .zh
        var parts = item.conflicts.map { (zh ? "方向冲突：" : "conflict: ") + $0(lang) }
        parts += item.unresolved.map { (zh ? "整改后仍不达标 " : "still failing ") + $0.rule + (zh ? "：" : ": ") + $0.reason(lang) }
        return parts.joined(separator: "; ")
    }

    /// `name=value unit`, the value exact to six decimals.
    static func measure(_ m: MeasureValue) -> String {
        let v = m.value.map { RenderSupport.exact($0) } ?? "—"
        return "\(m.name)=\(v)" + (m.unit.isEmpty ? "" : " \(m.unit)")
    }

    /// `label from→to (delta unit) action`; the reason when no remedy exists.
    /// A person reads this column: the field is named by its label.
    static func fix(_ f: Fix, _ lang: Lang) -> String {
        let name = f.label.isEmpty ? f.field : f.label
        guard let to = f.to else {
            return name + " " + (f.reason?(lang) ?? (lang == .zh ? "无法找到整改量" : "no remedy found"))
        }
        var s = "\(name) \(f.from.map { RenderSupport.exact($0) } ?? "—")→\(RenderSupport.exact(to))"
        if let d = f.delta {
            s += " (" + RenderSupport.signed(d, exact: true) + (f.unit.isEmpty ? "" : " " + f.unit) + ")"
        } else if !f.unit.isEmpty {
            s += " " + f.unit
        }
        if let a = f.action, !a.isEmpty { s += " " + a }
        return s
    }

    static func message(_ x: RuleResult, _ lang: Lang) -> String {
        var parts: [String] = []
        if let m = x.message, !m.isEmpty { parts.append(m) }
        if let w = x.waiverReason { parts.append((lang == .zh ? "豁免理由：" : "waived because: ") + w) }
        if let u = RenderSupport.undefinedText(x, lang) { parts.append(u) }
        return parts.joined(separator: "\n")
    }

    /// BOM, rows joined with CRLF, a final CRLF.
    static func document(_ rows: [[String]]) -> String {
        var out = "\u{FEFF}"
        for row in rows {
            out += row.map(field).joined(separator: ",")
            out += "\r\n"
        }
        return out
    }

    /// RFC 4180: quote a field holding a comma, quote or line end, doubling
    /// quotes. A text cell that a spreadsheet would run as a formula (`=`,
    /// `+`, `-`, `@` first, not a number) gets a leading apostrophe, so a
    /// record name can never execute in Excel.
    static func field(_ s: String) -> String {
        var t = s
        if let f = t.unicodeScalars.first, "=+-@".unicodeScalars.contains(f) || f == "\t" || f == "\r",
           Double(t) == nil {
            t = "'" + t
        }
        let needsQuotes = t.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            || t.hasPrefix(" ") || t.hasSuffix(" ")
        guard needsQuotes else { return t }
        return "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
