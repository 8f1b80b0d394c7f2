/// `waive` declarations and `test` blocks.
extension Checker {
    mutating func checkWaiver(_ w: WaiverDecl, codes: [String: SourceRange]) -> CheckedWaiver? {
        guard let e = entityIndex[w.entity.text] else {
            error(w.entity.range, Text("未声明的实体 “\(w.entity.text)”", "unknown entity '\(w.entity.text)'"),
                  help: suggestions.didYouMean(w.entity.text, among: { Array(entityIndex.keys) }))
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
                error(g.entity.range, Text("未声明的实体 “\(g.entity.text)”", "unknown entity '\(g.entity.text)'"),
                      help: suggestions.didYouMean(g.entity.text, among: { Array(entityIndex.keys) }))
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
                                error(u.range, Text("单位 \(show(du)) 与字段 \(f.name) 的单位 \(show(f.unit)) 不一致", "unit \(show(du)) does not match \(f.name)'s unit \(show(f.unit))"))
                                continue
                            }
                            scale = du.scale
                        case .failure(let d): report(d); continue
                        }
                    }
                    guard isRepresentableValue(v * scale) else {
                        report(valueOutOfRange(range))
                        continue
                    }
                    values[fi] = .number(v * scale)
                case (.text, .string(let s)), (.ref, .string(let s)): values[fi] = .text(s)
                case (.bool, .bool(let b)): values[fi] = .bool(b)
                case (.date, .date(let d)): values[fi] = .date(d)
                default:
                    error(range, Text("字段 \(f.name) 的值类型不对", "the value of \(f.name) has the wrong type"),
                          help: Text("\(f.name) 是\(describe(fieldType(e, fi)))", "\(f.name) is \(describeEn(fieldType(e, fi)))"))
                }
            }
            givens.append(GivenRecord(entity: e, values: values, range: g.range))
        }
        var expects: [CheckedExpect] = []
        for x in t.expects {
            guard let rule = rules.first(where: { $0.code == x.code.text }) else {
                error(x.code.range, Text("没有编号为 \(x.code.text) 的规则", "no rule has the code \(x.code.text)"),
                      help: suggestions.didYouMean(x.code.text, among: { rules.map(\.code) }))
                continue
            }
            switch x.kind {
            case .outcome(let o, let l):
                expects.append(CheckedExpect(rule: rule.code, kind: .outcome(o, l), range: x.range))
            case .adjust(let field, let delta, let unitAST):
                guard let adj = rule.adjusts.first(where: { $0.name == field.text }) else {
                    error(field.range, Text("规则 \(rule.code) 没有 adjust \(field.text)", "rule \(rule.code) has no adjust \(field.text)"),
                          help: suggestions.didYouMean(field.text, among: { rule.adjusts.map(\.name) }))
                    continue
                }
                var scale = adj.unit.scale
                if let u = unitAST {
                    switch units.resolve(u, suggestions: &suggestions) {
                    case .success(let du):
                        guard du.dimension == adj.unit.dimension else {
                            error(u.range, Text("单位 \(show(du)) 与 \(field.text) 的单位 \(show(adj.unit)) 不一致", "unit \(show(du)) does not match \(field.text)'s unit \(show(adj.unit))"))
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
