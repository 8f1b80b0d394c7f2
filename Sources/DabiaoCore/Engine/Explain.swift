/// `dabiao explain CODE KEY`: how one rule decided for one record, every
/// value it read and computed, written for an inspector.
extension Engine {
    /// Fields of the current record an expression reads.
    static func fieldsRead(_ t: TExpr, into out: inout [Int]) {
        func add(_ f: Int) { if !out.contains(f) { out.append(f) } }
        switch t {
        case .constant, .local: break
        case .field(let d, _, let f): if d == 0 { add(f) }
        case .prevField(let d, _, let f): if d == 0 { add(f) }
        case .refField(let b, _, _), .negate(let b), .not(let b): fieldsRead(b, into: &out)
        case .arith(_, let a, let b), .compare(_, let a, let b, _), .logic(_, let a, let b):
            fieldsRead(a, into: &out); fieldsRead(b, into: &out)
        case .between(let a, let b, let c, _), .ifThen(let a, let b, let c):
            fieldsRead(a, into: &out); fieldsRead(b, into: &out); fieldsRead(c, into: &out)
        case .inList(let a, let xs, _):
            fieldsRead(a, into: &out)
            for x in xs { fieldsRead(x, into: &out) }
        case .match(let s, let arms, let e, _):
            fieldsRead(s, into: &out)
            for arm in arms {
                for p in arm.patterns { fieldsRead(p, into: &out) }
                fieldsRead(arm.value, into: &out)
            }
            if let e { fieldsRead(e, into: &out) }
        case .call(_, let xs, _): for x in xs { fieldsRead(x, into: &out) }
        case .aggregate(let p):
            if let v = p.value { fieldsRead(v, into: &out) }
            if let r = p.residual { fieldsRead(r, into: &out) }
            for j in p.joins { fieldsRead(j.outer, into: &out) }
        }
    }

    /// A value as explain prints it; `label` turns a missing field's name into its label.
    static func show(_ v: Value, _ ty: Ty, lang: Lang = .zh, label: (String) -> String = { $0 }) -> String {
        let z = lang == .zh
        var s = format(v, ty, decimals: nil)
        if case .number = v, case .number(let n) = ty, !n.unit.symbol.isEmpty { s += " " + n.unit.symbol }
        if case .missing(let fs) = v {
            s = (z ? "缺失" : "missing") + (fs.isEmpty ? "" : lang.aside(fs.map(label).joined(separator: z ? "、" : ", ")))
        }
        if case .undefined(let why) = v { s = Outcome.undefined.label(lang) + lang.aside(why.text(lang)) }
        return s
    }

    public func explain(rule code: String, key: String, asOf: Int, lang: Lang) -> String? {
        let z = lang == .zh
        guard let plan = plans.first(where: { $0.rule.code == code }) else { return nil }
        let rule = plan.rule
        let e = rule.entity
        let entity = program.entities[e]
        let table = data.tables[e]
        guard let row = entity.keyField == nil ? Int(key).map({ $0 - 1 }) : table.row(forKey: key), row >= 0, row < table.count else { return nil }
        var ctx = EvalContext(slots: plan.slots, fields: entity.fields.count)
        ctx.reset(row: row)
        var c = ExprCompiler(program: program, data: data, baseline: baseline, joinIndexes: [:])
        // Past every slot the plan's own closures use: this compiler's memos must not share one with them.
        c.slotBase = max(1, plan.slots)
        for l in rule.locals { c.locals.append(c.compile(l.expr)) }
        func eval(_ t: TExpr) -> Value { c.compile(t)(&ctx) }
        func labelOf(_ name: String) -> String { fieldLabel(name, entity: e).text(lang) }
        func truth(_ v: Value) -> String {
            switch v {
            case .bool(true): return z ? "成立" : "holds"
            case .bool(false): return z ? "不成立" : "does not hold"
            default: return Engine.show(v, .bool, lang: lang, label: labelOf)
            }
        }
        let rs = program.rulesets[rule.ruleset]
        var out = (z ? "规则 " : "rule ") + "\(rule.code) \(rule.title)" + (z ? "（规则集 \(rs.id)）\n" : " (ruleset \(rs.id))\n")
        out += (z ? "记录 " : "record ") + "\(entity.name) \(key)" + (recordName(e, row).map { " \($0)" } ?? "")
        let src = table.source(row)
        if src.input < data.inputs.count { out += lang.aside("\(data.inputs[src.input].path):\(src.line)") }
        out += "\n"
        if let cite = rule.cite { out += (z ? "依据：" : "cite: ") + cite + "\n" }

        var fields: [Int] = []
        for t in rule.filters { Engine.fieldsRead(t, into: &fields) }
        if let w = rule.when { Engine.fieldsRead(w, into: &fields) }
        for l in rule.locals { Engine.fieldsRead(l.expr, into: &fields) }
        for r in rule.requires { Engine.fieldsRead(r.expr, into: &fields) }
        out += "\n" + (z ? "读取的数据：" : "data read:") + "\n"
        for f in fields {
            let fd = entity.fields[f]
            let v = ExprCompiler.read(table.columns[f], fd.kind, row, missing: fd.name)
            let ty: Ty
            switch fd.kind {
            case .number(let i): ty = .number(NumType(unit: fd.unit, whole: i))
            case .bool: ty = .bool
            case .date: ty = .date
            case .text, .ref: ty = .text
            }
            out += "  \(fd.label)" + lang.aside(fd.name) + (z ? "= " : " = ") + Engine.show(v, ty, lang: lang, label: labelOf) + "\n"
        }
        if !rule.filters.isEmpty {
            out += "\n" + (z ? "适用范围（for … where）：" : "scope (for … where): ") + rule.filters.map { truth(eval($0)) }.joined(separator: z ? "，" : ", ") + "\n"
        }
        if let w = rule.when {
            out += (z ? "适用条件（when）：" : "precondition (when): ") + truth(eval(w)) + "\n"
        }
        if !rule.locals.isEmpty {
            out += "\n" + (z ? "计算：" : "computed:") + "\n"
            for (i, l) in rule.locals.enumerated() {
                out += "  \(l.name) = \(Engine.show(eval(.local(slot: i)), l.type, lang: lang, label: labelOf))\n"
            }
        }
        out += "\n" + (z ? "要求：" : "requirements:") + "\n"
        for r in rule.requires {
            let v = eval(r.expr)
            var line = "  require \(r.source)"
            if let s = r.sides {
                line += (z ? "：" : ": ") + "\(Engine.show(eval(s.left), s.leftType, lang: lang, label: labelOf)) \(s.op.rawValue) \(Engine.show(eval(s.right), s.rightType, lang: lang, label: labelOf))"
            }
            line += " → " + truth(v)
            if case .bool(false) = v { line += (z ? "（" : " (") + r.level.label(lang) + (r.label.map { (z ? "：" : ": ") + $0 } ?? "") + (z ? "）" : ")") }
            out += line + "\n"
        }
        ctx.reset(row: row)
        guard let v = verdict(plan, &ctx) else {
            return out + "\n" + (z ? "结果：本记录不在该规则的适用范围内，不产生结果\n" : "outcome: the record is outside the rule's scope; no result\n")
        }
        var outcome = v.outcome
        let waiver = WaiverBook(program: program, data: data, asOf: asOf).covers(rule: code, entity: e, key: key)
        if outcome == .fail, waiver != nil { outcome = .waived }
        out += "\n" + (z ? "结果：" : "outcome: ") + outcome.label(lang) + (v.level.map { lang.aside($0.label(lang)) } ?? "")
            + (v.undefined.map { lang.aside($0.text(lang)) } ?? "")
        if !v.missing.isEmpty { out += (z ? "，缺失 " : ", missing ") + v.missing.map { fieldLabel($0, entity: e).text(lang) }.joined(separator: z ? "、" : ", ") }
        out += "\n"
        if let w = waiver, outcome == .waived { out += (z ? "豁免：" : "waiver: ") + w.reason + (z ? "（\(CivilDate.format(w.until))）\n" : " (until \(CivilDate.format(w.until)))\n") }
        if outcome == .fail || outcome == .waived {
            let r = makeResult(plan, row, v, &ctx)
            if let m = r.message { out += (z ? "说明：" : "message: ") + m + "\n" }
            let fixes = solve(plan, row: row, &ctx)
            // The heading promises only what its items keep: remedies that
            // were found and verified apart from the inputs that have none.
            let found = fixes.filter { $0.to != nil }
            let none = fixes.filter { $0.to == nil }
            if !found.isEmpty {
                out += "\n" + (z ? "整改方案（每项单独即可达标，已逐一验证）：" : "remedies (each alone makes the rule pass; each verified):") + "\n"
                for (i, f) in found.enumerated() {
                    out += "  \(i + 1). " + TextReport.fixText(f, lang: lang) + "\n"
                }
            }
            if !none.isEmpty {
                out += "\n" + (z ? "单独调整无法达标的项：" : "inputs that cannot make the rule pass alone:") + "\n"
                for f in none { out += "  · " + TextReport.fixText(f, lang: lang) + "\n" }
            }
            if fixes.isEmpty, outcome == .fail {
                if let unmet = unmetRequires(plan, row: row, &ctx) {
                    out += "\n" + (z ? "规则没有可调整的项（adjust）；需满足：" : "the rule has no adjust; it needs: ") + unmet(lang) + "\n"
                }
            }
        }
        return out
    }
}
