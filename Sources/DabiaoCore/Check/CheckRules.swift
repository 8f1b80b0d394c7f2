/// Rulesets and rules: scope, `when`, lets and measures, requires, adjusts, messages.
extension Checker {
    mutating func checkRule(_ r: RuleDecl, in rs: RulesetDecl, index: Int) -> CheckedRule? {
        let forClause = r.forClause ?? rs.forClause
        guard let fc = forClause else { return nil }
        guard let e = entityIndex[fc.entity.text] else {
            report(.unknownEntity(fc.entity.text, at: fc.entity.range, suggestion: suggestions.closest(fc.entity.text, among: { Array(entityIndex.keys) })))
            return nil
        }
        let sameEntity = rs.forClause.map { $0.entity.text == fc.entity.text } ?? false
        var lets: [String: LetSource] = [:]
        if sameEntity {
            for l in rs.lets {
                if let first = lets[l.name.text] {
                    report(.definedTwice(l.name.text, inRule: nil, at: l.name.range, first: first.range))
                }
                lets[l.name.text] = LetSource(expr: l.expr, range: l.name.range)
            }
        }
        var ruleNames = Set<String>()
        func define(_ n: Name, _ e: Expr) {
            if ruleNames.contains(n.text) {
                report(.definedTwice(n.text, inRule: r.code.text, at: n.range, first: lets[n.text]?.range))
            }
            ruleNames.insert(n.text)
            // A rule's own definitions shadow the ruleset's.
            lets[n.text] = LetSource(expr: e, range: n.range)
        }
        for l in r.lets { define(l.name, l.expr) }
        for m in r.measures { if let x = m.expr { define(m.name, x) } }
        for (name, src) in lets where entities[e].fieldIndex(name) != nil {
            report(.letNamedLikeField(name, entity: entities[e].name, at: src.range))
        }
        scopes = [e]
        rule = RuleScope(lets: lets)
        defer { rule = nil; scopes = [] }

        var filters: [TExpr] = []
        if sameEntity, let f = rs.forClause?.filter { filters.append(checkBool(f, Bilingual(both: "for … where"))) }
        if let rf = r.forClause?.filter { filters.append(checkBool(rf, Bilingual(both: "for … where"))) }
        let when = r.when.map { checkBool($0, Bilingual(both: "when")) }
        let measures = checkMeasures(r.measures)
        let requires = r.requires.map { checkRequire($0, rule: r) }
        // A measure's `in UNIT` is how it is shown everywhere: in messages and fixes too.
        var shownIn: [Int: DisplayUnit] = [:]
        for (m, cm) in zip(r.measures, measures) where m.unit != nil { shownIn[cm.slot] = cm.unit }
        let adjusts = checkAdjusts(r.adjusts, entity: e, shownIn: shownIn)
        let message = r.message.map { checkMessage($0, shownIn: shownIn) }
        return CheckedRule(code: r.code.text, title: r.title, ruleset: index, entity: e, filters: filters, when: when,
                           locals: rule?.locals ?? [], measures: measures, requires: requires, adjusts: adjusts, cite: r.cite, url: r.url ?? rs.url,
                           message: message, owner: r.owner ?? rs.owner, deadline: (r.deadline ?? rs.deadline).map(deadline),
                           severity: r.severity ?? .error, range: r.range)
    }

    mutating func checkMeasures(_ decls: [MeasureDecl]) -> [CheckedMeasure] {
        var measures: [CheckedMeasure] = []
        for m in decls {
            guard let slot = resolveLocal(m.name.text, at: m.name.range) else {
                if m.expr == nil {
                    report(.undefinedMeasure(m.name.text, at: m.name.range))
                }
                continue
            }
            guard let local = rule?.locals[slot] else { continue }
            var unit = DisplayUnit.none
            switch local.type {
            case .number(let nt):
                unit = nt.unit
                if let u = m.unit {
                    switch units.resolve(u, suggestions: &suggestions) {
                    case .success(let du):
                        if du.dimension != nt.unit.dimension {
                            report(.measureUnit(m.name.text, in: show(nt.unit), shownIn: show(du), at: u.range))
                        }
                        unit = du
                    case .failure(let d): report(d)
                    }
                }
            case .poisoned: break
            default:
                if let u = m.unit {
                    report(.unitOnNonNumericMeasure(at: u.range))
                }
            }
            measures.append(CheckedMeasure(name: m.name.text, slot: slot, unit: unit))
        }
        return measures
    }

    mutating func checkRequire(_ q: RequireDecl, rule r: RuleDecl) -> CheckedRequire {
        let src = files.indices.contains(q.expr.range.file) ? files[q.expr.range.file].slice(q.expr.range.start, q.expr.range.end) : ""
        let t: TExpr
        var sides: RequireSides?
        if case .binary(let op, let l, let rr) = q.expr.kind, op.isComparison {
            // Each side checked once, kept for the words of an unmet require.
            let (tl, al) = checkExpr(l)
            let (tr, ar) = checkExpr(rr)
            t = compare(op, l, (tl, al), rr, (tr, ar)).0
            sides = RequireSides(op: op, left: tl, right: tr, leftType: al, rightType: ar)
        } else {
            t = checkBool(q.expr, Bilingual(both: "require"))
        }
        return CheckedRequire(expr: t, level: q.level ?? r.severity ?? .error, label: q.label, source: src, sides: sides)
    }

    mutating func checkAdjusts(_ decls: [AdjustDecl], entity e: Int, shownIn: [Int: DisplayUnit]) -> [CheckedAdjust] {
        var adjusts: [CheckedAdjust] = []
        for a in decls {
            if var ca = checkAdjust(a, entity: e) {
                if case .local(let slot) = ca.target, let u = shownIn[slot], a.step == nil {
                    guard isRepresentableScale(ca.step / ca.unit.scale * u.scale) else {
                        report(.valueOutOfRange(at: a.name.range))
                        continue
                    }
                    ca.step = ca.step / ca.unit.scale * u.scale
                    ca.unit = u
                } else if case .local(let slot) = ca.target, let u = shownIn[slot] {
                    ca.unit = u
                }
                adjusts.append(ca)
            }
        }
        return adjusts
    }

    mutating func checkMessage(_ m: MessageAST, shownIn: [Int: DisplayUnit]) -> [CheckedMessagePart] {
        m.parts.map { part in
            switch part {
            case .text(let t): return .text(t)
            case .expr(let x, let decimals):
                var (t, ty) = checkExpr(x)
                // A measure with `in UNIT` is shown in that unit here too.
                if case .local(let slot) = t, let u = shownIn[slot], case .number(let n) = ty { ty = .number(NumType(unit: u, whole: n.whole)) }
                return .value(t, ty, decimals: decimals)
            }
        }
    }

    mutating func checkAdjust(_ a: AdjustDecl, entity e: Int) -> CheckedAdjust? {
        let target: AdjustTarget
        let numType: NumType
        if let fi = entities[e].fieldIndex(a.name.text) {
            let f = entities[e].fields[fi]
            guard case .number(let isInt) = f.kind else {
                report(.adjustNonNumber(a.name.text, isField: true, at: a.name.range))
                return nil
            }
            target = .field(fi)
            numType = NumType(unit: f.unit, whole: isInt)
        } else if let slot = resolveLocal(a.name.text, at: a.name.range, quietIfUnknown: true), let l = rule?.locals[slot] {
            guard case .number(let nt) = l.type else {
                if l.type != .poisoned {
                    report(.adjustNonNumber(a.name.text, isField: false, at: a.name.range))
                }
                return nil
            }
            target = .local(slot)
            numType = nt
        } else {
            let names = { [entities, rule] in entities[e].fields.map(\.name) + Array(rule?.lets.keys ?? [:].keys) }
            report(.unknownAdjustTarget(a.name.text, at: a.name.range, suggestion: suggestions.closest(a.name.text, among: names)))
            return nil
        }
        var step = numType.whole ? numType.unit.scale : 0.01 * numType.unit.scale
        if let s = a.step {
            var su = DisplayUnit.none
            if let u = s.unit {
                switch units.resolve(u, suggestions: &suggestions) {
                case .success(let du): su = du
                case .failure(let d): report(d); return nil
                }
            } else {
                su = numType.unit
            }
            if su.dimension != numType.unit.dimension {
                report(.stepUnitMismatch(show(su), target: a.name.text, unit: show(numType.unit), at: s.range))
                return nil
            }
            guard s.value > 0 else {
                report(.stepNotPositive(at: s.range))
                return nil
            }
            guard isRepresentableScale(s.value * su.scale) else {
                report(.valueOutOfRange(at: s.range))
                return nil
            }
            step = s.value * su.scale
        }
        return CheckedAdjust(name: a.name.text, target: target, up: a.up, step: step, unit: numType.unit, action: a.action)
    }

    func show(_ u: DisplayUnit) -> String { u.symbol.isEmpty ? "无量纲数" : u.symbol }

    /// Checks a let or measure the first time it is read, giving it a slot.
    mutating func resolveLocal(_ name: String, at range: SourceRange, quietIfUnknown: Bool = false) -> Int? {
        // `rule` is mutated in place throughout: copying the scope per let
        // would make a file with many lets quadratic.
        guard let src = rule?.lets[name] else { return nil }
        if let slot = rule?.slots[name] { return slot }
        if rule?.failed.contains(name) == true { return nil }
        if rule?.inProgress.contains(name) == true {
            report(.letCycle(name, at: range))
            rule?.failed.insert(name)
            return nil
        }
        // Each let read while checking another nests the checker (and later the
        // evaluator) one level deeper; a bound keeps hostile files from the stack's end.
        if (rule?.inProgress.count ?? 0) >= Checker.maxLetChain {
            report(.letChainTooLong(Checker.maxLetChain, at: range))
            rule?.failed.insert(name)
            return nil
        }
        let depth = src.expr.depth
        if (rule?.chainedDepth ?? 0) + depth > Checker.maxChainedDepth {
            report(.letsNestTooDeeply(Checker.maxChainedDepth, at: range))
            rule?.failed.insert(name)
            return nil
        }
        rule?.chainedDepth += depth
        rule?.inProgress.insert(name)
        // A let is evaluated for the current record, whatever aggregate reads it.
        let savedScopes = scopes
        scopes = Array(scopes.prefix(1))
        let (t, ty) = checkExpr(src.expr)
        scopes = savedScopes
        guard rule != nil else { return nil }
        rule?.chainedDepth -= depth
        rule?.inProgress.remove(name)
        if rule?.failed.contains(name) == true { return nil }
        let slot = rule?.locals.count ?? 0
        rule?.locals.append(Local(name: name, expr: t, type: ty))
        rule?.slots[name] = slot
        return slot
    }
}
