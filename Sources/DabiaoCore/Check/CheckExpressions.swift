/// Expressions: names, members, operators, comparisons with their units.
extension Checker {
    mutating func checkBool(_ e: Expr, _ what: Bilingual) -> TExpr {
        let (t, ty) = checkExpr(e)
        if ty != .bool && ty != .poisoned {
            report(.notACondition(what, found: typeName(ty), isNumber: ty.isNumber, at: e.range))
        }
        return t
    }

    /// A type as messages name it.
    func typeName(_ t: Ty) -> Bilingual { Bilingual(describe(t), describeEn(t)) }

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

    // One case per kind of expression, each short: the switch is the
    // checker's table of contents, so it stays whole.
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
                    report(.valueOutOfRange(at: e.range))
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
            report(.bareThis(at: e.range))
            return Checker.poisoned
        case .name(let n):
            return resolveName(n, e.range)
        case .member(let base, let field):
            return checkMember(base, field, e.range)
        case .unary(.negate, let x):
            let (t, ty) = checkExpr(x)
            guard case .number = ty else {
                if ty != .poisoned { report(.negateNonNumber(found: typeName(ty), at: x.range)) }
                return Checker.poisoned
            }
            return (.negate(t), ty)
        case .unary(.not, let x):
            let t = checkBool(x, Bilingual(both: "not"))
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
            let tc = checkBool(c, Bilingual(both: "if"))
            let (ta, aa) = checkExpr(a)
            let (tb, ab) = checkExpr(b)
            return (.ifThen(tc, ta, tb), unify(aa, ab, b.range, Words.ifBranches))
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
                resultType = resultType.map { unify($0, av, arm.value.range, Words.matchArms) } ?? av
                tarms.append((pats, tv))
            }
            var telse: TExpr?
            if let ev = elseValue {
                let (te, ae) = checkExpr(ev)
                resultType = resultType.map { unify($0, ae, ev.range, Words.matchArms) } ?? ae
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
            report(.bareEntityName(n, at: range))
            return Checker.poisoned
        }
        let candidates = { [rule, scopes, entities] in
            Array(rule?.lets.keys ?? [:].keys) + scopes.flatMap { entities[$0].fields.map(\.name) }
        }
        report(.unknownName(n, scopes: scopes.map { entities[$0].name }, at: range, suggestion: suggestions.closest(n, among: candidates)))
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
        report(.unknownField(field.text, of: entities[e].name, at: field.range,
                             suggestion: suggestions.closest(field.text, among: { entities[e].fields.map(\.name) })))
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
                        report(.prevWithoutKey(entities[e].name, at: base.range))
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
                report(.entityNotInScope(n, scopes: scopes.map { entities[$0].name }, at: base.range))
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
                report(.memberOfNonRecord(found: typeName(tyb), at: base.range))
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
                report(.boolsHaveNoOrder(at: ea.range.to(eb.range)))
                return nil
            }
            return .bool
        default:
            report(.incomparable(typeName(a), typeName(b), at: ea.range.to(eb.range)))
            return nil
        }
        if ordered {
            report(.textHasNoOrder(at: ea.range.to(eb.range)))
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
        var bare: (literal: String, range: SourceRange, unit: String, other: SourceRange)?
        if let lit = literalText(eb), !x.symbol.isEmpty {
            bare = (lit, eb.range, x.symbol, ea.range)
        } else if let lit = literalText(ea), !y.symbol.isEmpty {
            bare = (lit, ea.range, y.symbol, eb.range)
        }
        report(.unitMismatch(show(x), show(y), at: ea.range.to(eb.range), bare: bare))
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
        report(.notOneOfValues(s, field: entities[e].fields[fi].name, allowed: allowed, at: value.range,
                               suggestion: suggestions.closest(s, among: { allowed })))
    }

    mutating func unify(_ a: Ty, _ b: Ty, _ range: SourceRange, _ what: Bilingual) -> Ty {
        switch (a, b) {
        case (.poisoned, _): return b
        case (_, .poisoned): return a
        case (.number(let x), .number(let y)):
            if x.unit.dimension != y.unit.dimension {
                report(.branchUnitMismatch(what, show(x.unit), show(y.unit), at: range))
                return .poisoned
            }
            return .number(NumType(unit: x.unit.factors.isEmpty ? y.unit : x.unit, whole: x.whole && y.whole))
        case (.text, .ref), (.ref, .text): return .text
        default:
            if a == b { return a }
            report(.branchTypeMismatch(what, typeName(a), typeName(b), at: range))
            return .poisoned
        }
    }

    /// A comparison of two sides already checked (a `require` keeps its sides for the solver's words).
    mutating func compare(_ op: BinaryOp, _ l: Expr, _ left: (TExpr, Ty), _ r: Expr, _ right: (TExpr, Ty)) -> (TExpr, Ty) {
        let ordered = op != .eq && op != .ne
        guard let k = comparable(left.1, right.1, l, r, ordered: ordered) else {
            return (.constant(.undefined(.internalError)), left.1 == .poisoned || right.1 == .poisoned ? .poisoned : .bool)
        }
        if !ordered { checkOneOf(l, r); checkOneOf(r, l) }
        return (.compare(op, left.0, right.0, k), .bool)
    }

    mutating func checkBinary(_ op: BinaryOp, _ l: Expr, _ r: Expr, _ range: SourceRange) -> (TExpr, Ty) {
        switch op {
        case .and, .or:
            let tl = checkBool(l, Bilingual(both: op.rawValue))
            let tr = checkBool(r, Bilingual(both: op.rawValue))
            return (.logic(op, tl, tr), .bool)
        case .eq, .ne, .lt, .le, .gt, .ge:
            let (tl, al) = checkExpr(l)
            let (tr, ar) = checkExpr(r)
            return compare(op, l, (tl, al), r, (tr, ar))
        case .add, .sub, .mul, .div:
            let (tl, al) = checkExpr(l)
            let (tr, ar) = checkExpr(r)
            guard case .number(let x) = al, case .number(let y) = ar else {
                if al != .poisoned, !al.isNumber {
                    report(.arithmeticOnNonNumber(op.rawValue, found: typeName(al), at: l.range))
                } else if ar != .poisoned, !ar.isNumber {
                    report(.arithmeticOnNonNumber(op.rawValue, found: typeName(ar), at: r.range))
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
