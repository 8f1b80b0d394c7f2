/// `waive` declarations and `test` blocks.
extension Checker {
    mutating func checkWaiver(_ w: WaiverDecl, codes: [String: SourceRange]) -> CheckedWaiver? {
        guard let e = entityIndex[w.entity.text] else {
            report(.unknownEntity(w.entity.text, at: w.entity.range, suggestion: suggestions.closest(w.entity.text, among: { Array(entityIndex.keys) })))
            return nil
        }
        // An unknown rule code is reported in the run's waiver list, not here:
        // a waiver file may outlive a rule, and the report says so.
        return CheckedWaiver(rule: w.code.text, entity: e, key: w.key, until: w.until, reason: w.reason, range: w.range)
    }

    mutating func checkTest(_ t: TestDecl, rules: [CheckedRule]) -> CheckedTest {
        var givens: [GivenRecord] = []
        for g in t.givens {
            guard let e = entityIndex[g.entity.text] else {
                report(.unknownEntity(g.entity.text, at: g.entity.range, suggestion: suggestions.closest(g.entity.text, among: { Array(entityIndex.keys) })))
                continue
            }
            var values: [Int: Value] = [:]
            for (name, lit, range) in g.values {
                guard let fi = fieldOf(e, name) else { continue }
                let f = entities[e].fields[fi]
                switch (f.kind, lit) {
                case (.number, .number(let v, let u)):
                    var scale = f.unit.scale
                    if let u {
                        switch units.resolve(u, suggestions: &suggestions) {
                        case .success(let du):
                            if du.dimension != f.unit.dimension {
                                report(.testUnitMismatch(show(du), target: f.name, isField: true, targetUnit: show(f.unit), at: u.range))
                                continue
                            }
                            scale = du.scale
                        case .failure(let d): report(d); continue
                        }
                    }
                    guard isRepresentableValue(v * scale) else {
                        report(.valueOutOfRange(at: range))
                        continue
                    }
                    values[fi] = .number(v * scale)
                case (.text, .string(let s)), (.ref, .string(let s)): values[fi] = .text(s)
                case (.bool, .bool(let b)): values[fi] = .bool(b)
                case (.date, .date(let d)): values[fi] = .date(d)
                default:
                    report(.givenValueType(f.name, fieldType: typeName(fieldType(e, fi)), at: range))
                }
            }
            givens.append(GivenRecord(entity: e, values: values, range: g.range))
        }
        var expects: [CheckedExpect] = []
        for x in t.expects {
            guard let rule = rules.first(where: { $0.code == x.code.text }) else {
                report(.unknownRuleCode(x.code.text, at: x.code.range, suggestion: suggestions.closest(x.code.text, among: { rules.map(\.code) })))
                continue
            }
            switch x.kind {
            case .outcome(let o, let l):
                expects.append(CheckedExpect(rule: rule.code, kind: .outcome(o, l), range: x.range))
            case .adjust(let field, let delta, let unitAST):
                guard let adj = rule.adjusts.first(where: { $0.name == field.text }) else {
                    report(.unknownAdjust(field.text, rule: rule.code, at: field.range, suggestion: suggestions.closest(field.text, among: { rule.adjusts.map(\.name) })))
                    continue
                }
                var scale = adj.unit.scale
                if let u = unitAST {
                    switch units.resolve(u, suggestions: &suggestions) {
                    case .success(let du):
                        guard du.dimension == adj.unit.dimension else {
                            report(.testUnitMismatch(show(du), target: field.text, isField: false, targetUnit: show(adj.unit), at: u.range))
                            continue
                        }
                        scale = du.scale
                    case .failure(let d): report(d); continue
                    }
                }
                expects.append(CheckedExpect(rule: rule.code, kind: .adjust(name: field.text, delta: delta * scale, unit: adj.unit), range: x.range))
            }
        }
        let waivers = t.waivers.compactMap { checkWaiver($0, codes: [:]) }
        return CheckedTest(title: t.title, givens: givens, waivers: waivers, expects: expects, range: t.range)
    }
}
