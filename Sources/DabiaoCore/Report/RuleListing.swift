/// `dabiao rules`: every ruleset and rule with its code, title, levels and citation.
enum RuleListing {
    static func render(_ p: Program, lang: Lang) -> String {
        let zh = lang == .zh
        var out = ""
        for (ri, rs) in p.rulesets.enumerated() {
            out += "\(rs.id)  \(rs.title)"
            if let v = rs.version { out += "（\(v)）" }
            out += "\n"
            if let s = rs.source { out += (zh ? "  依据：" : "  source: ") + s + "\n" }
            let rules = p.rules.filter { $0.ruleset == ri }
            let rows = rules.map { r -> [String] in
                let levels = Array(Set(r.requires.map(\.level))).sorted(by: >).map { $0.label(lang) }.joined(separator: "/")
                return [r.code, r.title, p.entities[r.entity].name, levels, r.cite ?? ""]
            }
            out += TextReport.table(zh ? ["编号", "规则", "实体", "级别", "依据"] : ["code", "rule", "entity", "level", "cite"], rows)
            out += "\n"
        }
        out += zh ? "共 \(p.rulesets.count) 个规则集、\(p.rules.count) 条规则\n" : "\(p.rulesets.count) rulesets, \(p.rules.count) rules\n"
        return out
    }
}
