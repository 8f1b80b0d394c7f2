/// `dabiao explain CODE KEY` in words, for an inspector: the data read, the
/// values computed, each require with both sides, the outcome and its fixes.
enum ExplainText {
    /// A value as explain prints it: with its unit, a missing one with the labels of what is missing.
    static func show(_ v: Value, _ ty: Ty, _ x: Explanation, lang: Lang) -> String {
        let zh = lang == .zh
        var s = v.shownWithUnit(ty)
        if case .missing(let fs) = v {
            let labels = fs.map { (x.labels[$0] ?? FieldLabel(label: $0)).text(lang) }
            s = (zh ? "缺失" : "missing") + (fs.isEmpty ? "" : lang.aside(labels.joined(separator: zh ? "、" : ", ")))
        }
        if case .undefined(let why) = v { s = Outcome.undefined.label(lang) + lang.aside(why.text(lang)) }
        return s
    }

    static func render(_ x: Explanation, lang: Lang) -> String {
        let zh = lang == .zh
        func truth(_ v: Value) -> String {
            switch v {
            case .bool(true): return zh ? "成立" : "holds"
            case .bool(false): return zh ? "不成立" : "does not hold"
            default: return show(v, .bool, x, lang: lang)
            }
        }
        var out = (zh ? "规则 " : "rule ") + "\(x.rule) \(x.title)" + (zh ? "（规则集 \(x.ruleset)）\n" : " (ruleset \(x.ruleset))\n")
        out += (zh ? "记录 " : "record ") + "\(x.entity) \(x.key)" + (x.name.map { " \($0)" } ?? "")
        if let s = x.source { out += lang.aside(s) }
        out += "\n"
        if let cite = x.cite { out += (zh ? "依据：" : "cite: ") + cite + "\n" }
        out += "\n" + (zh ? "读取的数据：" : "data read:") + "\n"
        for d in x.data {
            out += "  \(d.label)" + lang.aside(d.name) + (zh ? "= " : " = ") + show(d.value, d.type, x, lang: lang) + "\n"
        }
        if !x.filters.isEmpty {
            out += "\n" + (zh ? "适用范围（for … where）：" : "scope (for … where): ") + x.filters.map(truth).joined(separator: zh ? "，" : ", ") + "\n"
        }
        if let w = x.when {
            out += (zh ? "适用条件（when）：" : "precondition (when): ") + truth(w) + "\n"
        }
        if !x.locals.isEmpty {
            out += "\n" + (zh ? "计算：" : "computed:") + "\n"
            for l in x.locals { out += "  \(l.name) = \(show(l.value, l.type, x, lang: lang))\n" }
        }
        out += "\n" + (zh ? "要求：" : "requirements:") + "\n"
        for r in x.requires {
            var line = "  require \(r.source)"
            if let s = r.sides {
                line += (zh ? "：" : ": ") + "\(show(s.left, s.leftType, x, lang: lang)) \(s.op) \(show(s.right, s.rightType, x, lang: lang))"
            }
            line += " → " + truth(r.value)
            if case .bool(false) = r.value { line += (zh ? "（" : " (") + r.level.label(lang) + (r.label.map { (zh ? "：" : ": ") + $0 } ?? "") + (zh ? "）" : ")") }
            out += line + "\n"
        }
        guard let d = x.decision else {
            return out + "\n" + (zh ? "结果：本记录不在该规则的适用范围内，不产生结果\n" : "outcome: the record is outside the rule's scope; no result\n")
        }
        out += "\n" + (zh ? "结果：" : "outcome: ") + d.outcome.label(lang) + (d.level.map { lang.aside($0.label(lang)) } ?? "")
            + (d.undefined.map { lang.aside($0.text(lang)) } ?? "")
        if !d.missing.isEmpty { out += (zh ? "，缺失 " : ", missing ") + d.missing.map { $0.text(lang) }.joined(separator: zh ? "、" : ", ") }
        out += "\n"
        if let w = d.waiver { out += (zh ? "豁免：" : "waiver: ") + w.reason + (zh ? "（\(CivilDate.format(w.until))）\n" : " (until \(CivilDate.format(w.until)))\n") }
        if d.outcome == .fail || d.outcome == .waived {
            if let m = d.message { out += (zh ? "说明：" : "message: ") + m + "\n" }
            // The heading promises only what its items keep: remedies that
            // were found and verified apart from the inputs that have none.
            let found = d.fixes.filter { $0.to != nil }
            let none = d.fixes.filter { $0.to == nil }
            if !found.isEmpty {
                out += "\n" + (zh ? "整改方案（每项单独即可达标，已逐一验证）：" : "remedies (each alone makes the rule pass; each verified):") + "\n"
                for (i, f) in found.enumerated() { out += "  \(i + 1). " + TextReport.fixText(f, lang: lang) + "\n" }
            }
            if !none.isEmpty {
                out += "\n" + (zh ? "单独调整无法达标的项：" : "inputs that cannot make the rule pass alone:") + "\n"
                for f in none { out += "  · " + TextReport.fixText(f, lang: lang) + "\n" }
            }
            if let unmet = d.unmet {
                out += "\n" + (zh ? "规则没有可调整的项（adjust）；需满足：" : "the rule has no adjust; it needs: ") + unmet(lang) + "\n"
            }
        }
        return out
    }
}

extension Engine {
    /// How one rule decided for one record, in words; nil for an unknown rule or key.
    func explain(rule code: String, key: String, asOf: Int, lang: Lang) -> String? {
        explanation(rule: code, key: key, asOf: asOf).map { ExplainText.render($0, lang: lang) }
    }
}
