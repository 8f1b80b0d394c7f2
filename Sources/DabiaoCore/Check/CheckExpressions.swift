/// Expressions: names, members, operators, comparisons with their units.
extension Checker {
    mutating func checkBool(_ e: Expr, _ what: Text) -> TExpr {
        let (t, ty) = checkExpr(e)
        if ty != .bool && ty != .poisoned {
            error(e.range, Text("\(what.zh) 需要一个真假值（条件），这里是\(describe(ty))", "\(what.en) needs a condition (bool), this is \(describeEn(ty))"),
                  help: ty.isNumber ? Text("写成比较，例如 … >= 20", "write a comparison, e.g. … >= 20") : nil)
        }
        return t
    }

    func describe(_ t: Ty) -> String {
        switch t {
        case .number(let n): return n.unit.symbol.isEmpty ? "数值" : "数值（\(n.unit.symbol)）"
        case .text: return "文本"
        case .bool: return "真假值"
        case .date: return "日期"
        case .ref(let e): return "对 \(entities[e].name) 的引用"
        case .poisoned: return "（错误）"
        }
    }

    func describeEn(_ t: Ty) -> String {
        switch t {
        case .number(let n): return n.unit.symbol.isEmpty ? "a number" : "a number in \(n.unit.symbol)"
        case .text: return "text"
        case .bool: return "a bool"
        case .date: return "a date"
        case .ref(let e): return "a ref to \(entities[e].name)"
        case .poisoned: return "(error)"
        }
    }

    static let plainNumber = Ty.number(NumType(unit: .none, whole: false))
    static let wholeNumber = Ty.number(NumType(unit: .none, whole: true))

    /// What an expression that failed to check becomes: never evaluated,
    /// since a program with errors does not run.
    static let poisoned = (TExpr.constant(.undefined(.internalError)), Ty.poisoned)

    mutating func checkExpr(_ e: Expr) -> (TExpr, Ty) {
        switch e.kind {
        case .invalid:
            return Checker.poisoned
        case .number(let v, let isInt, let unitAST):
            guard let u = unitAST else {
                return (.constant(.number(v)), .number(NumType(unit: .none, whole: isInt)))
            }
            switch units.resolve(u, suggestions: &suggestions) {
            case .success(let du):
                guard isRepresentableValue(v * du.scale) else {
                    report(valueOutOfRange(e.range))
                    return Checker.poisoned
                }
                return (.constant(.number(v * du.scale)), .number(NumType(unit: du, whole: isInt)))
            case .failure(let d):
                report(d)
                return Checker.poisoned
            }
        case .string(let s): return (.constant(.text(s)), .text)
        case .bool(let b): return (.constant(.bool(b)), .bool)
        case .date(let d): return (.constant(.date(d)), .date)
        case .this:
            error(e.range, Text("this 只能以 this.字段 的形式使用", "this is used as this.field"))
            return Checker.poisoned
        case .name(let n):
            return resolveName(n, e.range)
        case .member(let base, let field):
            return checkMember(base, field, e.range)
        case .unary(.negate, let x):
            let (t, ty) = checkExpr(x)
            guard case .number = ty else {
                if ty != .poisoned { error(x.range, Text("负号只能用于数值，这里是\(describe(ty))", "unary minus needs a number, this is \(describeEn(ty))")) }
                return Checker.poisoned
            }
            return (.negate(t), ty)
        case .unary(.not, let x):
            let t = checkBool(x, Text("not", "not"))
            return (.not(t), .bool)
        case .binary(let op, let l, let r):
            return checkBinary(op, l, r, e.range)
        case .between(let x, let lo, let hi):
            let (tx, ax) = checkExpr(x)
            let (tl, al) = checkExpr(lo)
            let (th, ah) = checkExpr(hi)
            // Both ends are checked (and reported) against the value; they compare the same way.
            guard let k1 = comparable(ax, al, x, lo, ordered: true), comparable(ax, ah, x, hi, ordered: true) != nil else {
                return (.constant(.undefined(.internalError)), ax == .poisoned || al == .poisoned || ah == .poisoned ? .poisoned : .bool)
            }
            return (.between(tx, tl, th, k1), .bool)
        case .inList(let x, let items):
            let (tx, ax) = checkExpr(x)
            var kind: CompareKind = .text
            var ts: [TExpr] = []
            for it in items {
                let (ti, ai) = checkExpr(it)
                if let k = comparable(ax, ai, x, it, ordered: false) { kind = k }
                checkOneOf(x, it)
                ts.append(ti)
            }
            return (.inList(tx, ts, kind), .bool)
        case .ifThen(let c, let a, let b):
            let tc = checkBool(c, Text("if", "if"))
            let (ta, aa) = checkExpr(a)
            let (tb, ab) = checkExpr(b)
            return (.ifThen(tc, ta, tb), unify(aa, ab, b.range, Text("if 的两个分支", "the branches of if")))
        case .match(let subject, let arms, let elseValue):
            let (ts, asub) = checkExpr(subject)
            var kind: CompareKind = .text
            var tarms: [(patterns: [TExpr], value: TExpr)] = []
            var resultType: Ty?
            for arm in arms {
                var pats: [TExpr] = []
                for p in arm.patterns {
                    let (tp, ap) = checkExpr(p)
                    if let k = comparable(asub, ap, subject, p, ordered: false) { kind = k }
                    checkOneOf(subject, p)
                    pats.append(tp)
                }
                let (tv, av) = checkExpr(arm.value)
                resultType = resultType.map { unify($0, av, arm.value.range, Text("match 的各分支", "the arms of match")) } ?? av
                tarms.append((pats, tv))
            }
            var telse: TExpr?
            if let ev = elseValue {
                let (te, ae) = checkExpr(ev)
                resultType = resultType.map { unify($0, ae, ev.range, Text("match 的各分支", "the arms of match")) } ?? ae
                telse = te
            }
            return (.match(ts, tarms, telse, kind), resultType ?? .poisoned)
        case .call(let name, let args, let bind, let filter):
            return checkCall(name, args, bind, filter, e.range)
        }
    }

    /// Whether a name is shadowed by something other than an entity.
    func isFieldOrLocal(_ n: String) -> Bool {
        if rule?.lets[n] != nil { return true }
        return scopes.contains { entities[$0].fieldIndex(n) != nil }
    }

    mutating func resolveName(_ n: String, _ range: SourceRange) -> (TExpr, Ty) {
        // Innermost aggregated record first, then outward.
        for depth in stride(from: scopes.count - 1, through: 1, by: -1) {
            let e = scopes[depth]
            if let fi = entities[e].fieldIndex(n) { return (.field(depth: depth, entity: e, field: fi), fieldType(e, fi)) }
        }
        if let slot = resolveLocal(n, at: range), let l = rule?.locals[slot] {
            return (.local(slot: slot), l.type)
        }
        if rule?.lets[n] != nil {
            // The cycle was reported by resolveLocal.
            return Checker.poisoned
        }
        if let e = scopes.first, let fi = entities[e].fieldIndex(n) {
            return (.field(depth: 0, entity: e, field: fi), fieldType(e, fi))
        }
        if entityIndex[n] != nil {
            error(range, Text("实体名 \(n) 不能单独使用", "the entity name \(n) cannot stand alone"),
                  help: Text("用 \(n).字段 读取字段，或用 count(\(n) where …) 等聚合", "use \(n).field, or an aggregate such as count(\(n) where …)"))
            return Checker.poisoned
        }
        let candidates = { [rule, scopes, entities] in
            Array(rule?.lets.keys ?? [:].keys) + scopes.flatMap { entities[$0].fields.map(\.name) }
        }
        let scopeDesc = scopes.map { entities[$0].name }.joined(separator: "、")
        error(range, Text("未知的名称 “\(n)”（不是 \(scopeDesc) 的字段，也不是 let 或 measure）", "unknown name '\(n)' (not a field of \(scopeDesc), nor a let or measure)"),
              help: suggestions.didYouMean(n, among: candidates))
        return Checker.poisoned
    }

    func fieldType(_ e: Int, _ fi: Int) -> Ty {
        let f = entities[e].fields[fi]
        switch f.kind {
        case .number(let isInt): return .number(NumType(unit: f.unit, whole: isInt))
        case .text: return .text
        case .bool: return .bool
        case .date: return .date
        case .ref(let t): return .ref(t)
        }
    }

    mutating func fieldOf(_ e: Int, _ field: Name) -> Int? {
        if let fi = entities[e].fieldIndex(field.text) { return fi }
        error(field.range, Text("实体 \(entities[e].name) 没有字段 “\(field.text)”", "entity \(entities[e].name) has no field '\(field.text)'"),
              help: suggestions.didYouMean(field.text, among: { entities[e].fields.map(\.name) }))
        return nil
    }

    mutating func checkMember(_ base: Expr, _ field: Name, _ range: SourceRange) -> (TExpr, Ty) {
        switch base.kind {
        case .this:
            guard let e = scopes.first, let fi = fieldOf(e, field) else { return Checker.poisoned }
            return (.field(depth: 0, entity: e, field: fi), fieldType(e, fi))
        case .name("prev") where !isFieldOrLocal("prev"):
            // The baseline record with the same key as the innermost record that has this field.
            for depth in stride(from: scopes.count - 1, through: 0, by: -1) {
                let e = scopes[depth]
                if let fi = entities[e].fieldIndex(field.text) {
                    if entities[e].keyField == nil {
                        error(base.range, Text("实体 \(entities[e].name) 没有 key 字段，无法使用 prev", "entity \(entities[e].name) has no key field, so prev cannot find last period's record"))
                        return Checker.poisoned
                    }
                    return (.prevField(depth: depth, entity: e, field: fi), fieldType(e, fi))
                }
            }
            _ = fieldOf(scopes.last ?? 0, field)
            return Checker.poisoned
        case .name(let n) where entityIndex[n] != nil && !isFieldOrLocal(n):
            guard let e = entityIndex[n] else { return Checker.poisoned }
            guard let depth = scopes.lastIndex(of: e) else {
                error(base.range, Text("实体 \(n) 不在当前作用域（当前记录是 \(scopes.map { entities[$0].name }.joined(separator: "、"))）",
                                       "entity \(n) is not in scope here (the records in scope: \(scopes.map { entities[$0].name }.joined(separator: ", ")))"),
                      help: Text("读取其他实体的记录请用 ref 字段或聚合，例如 count(\(n) where …)", "reach other entities through a ref field or an aggregate, e.g. count(\(n) where …)"))
                return Checker.poisoned
            }
            guard let fi = fieldOf(e, field) else { return Checker.poisoned }
            return (.field(depth: depth, entity: e, field: fi), fieldType(e, fi))
        default:
            let (tb, tyb) = checkExpr(base)
            switch tyb {
            case .ref(let target):
                guard let fi = fieldOf(target, field) else { return Checker.poisoned }
                return (.refField(tb, entity: target, field: fi), fieldType(target, fi))
            case .poisoned:
                return Checker.poisoned
            default:
                error(base.range, Text("只有 ref 字段、实体名、this 和 prev 可以用 “.字段”，这里是\(describe(tyb))",
                                       "only a ref field, an entity name, this or prev can be followed by .field; this is \(describeEn(tyb))"))
                return Checker.poisoned
            }
        }
    }

    /// Types two sides for comparison; reports and returns nil when they cannot be compared.
    mutating func comparable(_ a: Ty, _ b: Ty, _ ea: Expr, _ eb: Expr, ordered: Bool) -> CompareKind? {
        switch (a, b) {
        case (.poisoned, _), (_, .poisoned): return nil
        case (.number(let x), .number(let y)):
            if x.unit.dimension != y.unit.dimension {
                unitMismatch(x.unit, y.unit, ea, eb)
                return nil
            }
            return .number
        case (.text, .text), (.text, .ref), (.ref, .text): break
        case (.ref(let x), .ref(let y)) where x == y: break
        case (.date, .date): return .date
        case (.bool, .bool):
            if ordered {
                error(ea.range.to(eb.range), Text("真假值不能比较大小", "bools have no order"))
                return nil
            }
            return .bool
        default:
            error(ea.range.to(eb.range), Text("不能比较\(describe(a))和\(describe(b))", "cannot compare \(describeEn(a)) with \(describeEn(b))"))
            return nil
        }
        if ordered {
            error(ea.range.to(eb.range), Text("文本只能比较是否相等（== 或 !=）", "text can only be compared for equality (== or !=)"))
            return nil
        }
        return .text
    }

    mutating func unitMismatch(_ x: DisplayUnit, _ y: DisplayUnit, _ ea: Expr, _ eb: Expr) {
        // Point at the bare number when there is one: that is what needs a unit.
        func literalText(_ e: Expr) -> String? {
            if case .number(_, _, nil) = e.kind, files.indices.contains(e.range.file) {
                return files[e.range.file].slice(e.range.start, e.range.end)
            }
            return nil
        }
        var help: Text?
        var range = ea.range.to(eb.range)
        if let lit = literalText(eb), !x.symbol.isEmpty {
            help = Text("写成 \(lit) \(x.symbol)", "write \(lit) \(x.symbol)")
            range = eb.range
        } else if let lit = literalText(ea), !y.symbol.isEmpty {
            help = Text("写成 \(lit) \(y.symbol)", "write \(lit) \(y.symbol)")
            range = ea.range
        }
        error(range, Text("单位不一致：\(show(x)) 与 \(show(y))", "unit mismatch: \(show(x)) against \(show(y))"), help: help)
    }

    mutating func checkOneOf(_ subject: Expr, _ value: Expr) {
        guard case .string(let s) = value.kind else { return }
        var fieldRef: (Int, Int)?
        switch subject.kind {
        case .name(let n):
            for depth in stride(from: scopes.count - 1, through: 0, by: -1) {
                if let fi = entities[scopes[depth]].fieldIndex(n) { fieldRef = (scopes[depth], fi); break }
            }
        case .member(let b, let f):
            if case .name(let en) = b.kind, let e = entityIndex[en], let fi = entities[e].fieldIndex(f.text) { fieldRef = (e, fi) }
            if case .this = b.kind, let e = scopes.first, let fi = entities[e].fieldIndex(f.text) { fieldRef = (e, fi) }
        default: break
        }
        guard let (e, fi) = fieldRef, case .text(let allowed?) = entities[e].fields[fi].kind, !allowed.contains(s) else { return }
        report(Diagnostic(.warning, value.range,
                          Text("“\(s)” 不是字段 \(entities[e].fields[fi].name) 的可选值（\(allowed.joined(separator: "、"))）",
                               "\"\(s)\" is not one of the values of \(entities[e].fields[fi].name) (\(allowed.joined(separator: ", ")))"),
                          help: suggestions.closest(s, among: { allowed }).map { Text("是否想写 \"\($0)\"？", "did you mean \"\($0)\"?") }))
    }

    mutating func unify(_ a: Ty, _ b: Ty, _ range: SourceRange, _ what: Text) -> Ty {
        switch (a, b) {
        case (.poisoned, _): return b
        case (_, .poisoned): return a
        case (.number(let x), .number(let y)):
            if x.unit.dimension != y.unit.dimension {
                error(range, Text("\(what.zh)单位不一致：\(show(x.unit)) 与 \(show(y.unit))", "\(what.en) disagree in unit: \(show(x.unit)) and \(show(y.unit))"))
                return .poisoned
            }
            return .number(NumType(unit: x.unit.factors.isEmpty ? y.unit : x.unit, whole: x.whole && y.whole))
        case (.text, .ref), (.ref, .text): return .text
        default:
            if a == b { return a }
            error(range, Text("\(what.zh)类型不一致：\(describe(a)) 与 \(describe(b))", "\(what.en) disagree in type: \(describeEn(a)) and \(describeEn(b))"))
            return .poisoned
        }
    }

    mutating func checkBinary(_ op: BinaryOp, _ l: Expr, _ r: Expr, _ range: SourceRange) -> (TExpr, Ty) {
        switch op {
        case .and, .or:
            let tl = checkBool(l, Text(op.rawValue, op.rawValue))
            let tr = checkBool(r, Text(op.rawValue, op.rawValue))
            return (.logic(op, tl, tr), .bool)
        case .eq, .ne, .lt, .le, .gt, .ge:
            let (tl, al) = checkExpr(l)
            let (tr, ar) = checkExpr(r)
            let ordered = op != .eq && op != .ne
            guard let k = comparable(al, ar, l, r, ordered: ordered) else {
                return (.constant(.undefined(.internalError)), al == .poisoned || ar == .poisoned ? .poisoned : .bool)
            }
            if !ordered { checkOneOf(l, r); checkOneOf(r, l) }
            return (.compare(op, tl, tr, k), .bool)
        case .add, .sub, .mul, .div:
            let (tl, al) = checkExpr(l)
            let (tr, ar) = checkExpr(r)
            guard case .number(let x) = al, case .number(let y) = ar else {
                if al != .poisoned, !al.isNumber {
                    error(l.range, Text("算术运算 \(op.rawValue) 需要数值，这里是\(describe(al))", "arithmetic \(op.rawValue) needs numbers, this is \(describeEn(al))"))
                } else if ar != .poisoned, !ar.isNumber {
                    error(r.range, Text("算术运算 \(op.rawValue) 需要数值，这里是\(describe(ar))", "arithmetic \(op.rawValue) needs numbers, this is \(describeEn(ar))"))
                }
                return Checker.poisoned
            }
            switch op {
            case .add, .sub:
                if x.unit.dimension != y.unit.dimension {
                    unitMismatch(x.unit, y.unit, l, r)
                    return Checker.poisoned
                }
                let unit = x.unit.factors.isEmpty ? y.unit : x.unit
                return (.arith(op, tl, tr), .number(NumType(unit: unit, whole: x.whole && y.whole)))
            case .mul:
                return (.arith(op, tl, tr), .number(NumType(unit: x.unit * y.unit, whole: x.whole && y.whole)))
            default:
                return (.arith(op, tl, tr), .number(NumType(unit: x.unit / y.unit, whole: false)))
            }
        }
    }
}
