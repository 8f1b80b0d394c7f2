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
        case .aggregate(let a):
            let p = AggregatePlan(a)
            if let v = p.value { fieldsRead(v, into: &out) }
            if let r = p.residual { fieldsRead(r, into: &out) }
            for j in p.joins { fieldsRead(j.outer, into: &out) }
        }
    }

    /// Every value one rule read and computed for one record, and what it
    /// decided; nil for an unknown rule or key. `Report/ExplainText.swift` words it.
    func explanation(rule code: String, key: String, asOf: Int) -> Explanation? {
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
        let src = table.source(row)
        var x = Explanation(rule: rule.code, title: rule.title, ruleset: program.rulesets[rule.ruleset].id, entity: entity.name,
                            key: key, name: recordName(e, row),
                            source: src.input < data.inputs.count ? "\(data.inputs[src.input].path):\(src.line)" : nil,
                            cite: rule.cite, labels: missingLabels[e])
        var fields: [Int] = []
        for t in rule.filters { Engine.fieldsRead(t, into: &fields) }
        if let w = rule.when { Engine.fieldsRead(w, into: &fields) }
        for l in rule.locals { Engine.fieldsRead(l.expr, into: &fields) }
        for r in rule.requires { Engine.fieldsRead(r.expr, into: &fields) }
        x.data = fields.map { f in
            let fd = entity.fields[f]
            let ty: Ty
            switch fd.kind {
            case .number(let i): ty = .number(NumType(unit: fd.unit, whole: i))
            case .bool: ty = .bool
            case .date: ty = .date
            case .text, .ref: ty = .text
            }
            return .init(name: fd.name, label: fd.label, value: ExprCompiler.read(table.columns[f], fd.kind, row, missing: fd.name), type: ty)
        }
        x.filters = rule.filters.map { eval($0) }
        x.when = rule.when.map { eval($0) }
        x.locals = rule.locals.enumerated().map { i, l in .init(name: l.name, label: l.name, value: eval(.local(slot: i)), type: l.type) }
        x.requires = rule.requires.map { r in
            Explanation.Require(source: r.source, label: r.label, level: r.level, value: eval(r.expr),
                                sides: r.sides.map { s in (op: s.op.rawValue, left: eval(s.left), leftType: s.leftType,
                                                           right: eval(s.right), rightType: s.rightType) })
        }
        ctx.reset(row: row)
        guard let v = verdict(plan, &ctx) else { return x }
        var d = Explanation.Decision(outcome: v.outcome, level: v.level, undefined: v.undefined,
                                     missing: v.missing.map { fieldLabel($0, entity: e) })
        let waiver = WaiverBook(program: program, data: data, asOf: asOf).covers(rule: code, entity: e, key: key)
        if d.outcome == .fail, let w = waiver {
            d.outcome = .waived
            d.waiver = (reason: w.reason, until: w.until)
        }
        if d.outcome == .fail || d.outcome == .waived {
            d.message = makeResult(plan, row, v, &ctx).message
            d.fixes = solve(plan, row: row, &ctx)
            if d.fixes.isEmpty, d.outcome == .fail { d.unmet = unmetRequires(plan, row: row, &ctx) }
        }
        x.decision = d
        return x
    }
}

/// What `explain` shows: every value one rule read and computed for one
/// record, and the verdict with its fixes.
struct Explanation: Sendable {
    struct Item: Sendable {
        var name: String
        var label: String
        var value: Value
        var type: Ty
    }
    struct Require: Sendable {
        var source: String
        var label: String?
        var level: Level
        var value: Value
        /// For a comparison, both sides, as "24 <= 20".
        var sides: (op: String, left: Value, leftType: Ty, right: Value, rightType: Ty)?
    }
    struct Decision: Sendable {
        var outcome: Outcome
        var level: Level?
        var undefined: UndefinedReason?
        var missing: [FieldLabel]
        var waiver: (reason: String, until: Int)?
        var message: String?
        /// Each fix found alone, verified, or with the reason none was found.
        var fixes: [Fix] = []
        /// For a failure with nothing to adjust: what it still needs, in words.
        var unmet: Bilingual?
    }

    var rule: String
    var title: String
    var ruleset: String
    var entity: String
    var key: String
    var name: String?
    /// `path:line` of the record.
    var source: String?
    var cite: String?
    /// The labels of the names a missing value can carry, for this rule's entity.
    var labels: [String: FieldLabel]
    /// The fields of the record the rule reads, in the order it reads them.
    var data: [Item] = []
    /// Each `for … where` condition; empty without one.
    var filters: [Value] = []
    var when: Value?
    var locals: [Item] = []
    var requires: [Require] = []
    /// Nil when the record is outside the rule's scope.
    var decision: Decision?

    init(rule: String, title: String, ruleset: String, entity: String, key: String, name: String?, source: String?,
         cite: String?, labels: [String: FieldLabel]) {
        self.rule = rule; self.title = title; self.ruleset = ruleset; self.entity = entity; self.key = key
        self.name = name; self.source = source; self.cite = cite; self.labels = labels
    }
}
