/// Calls of builtins (typed from `Builtins.swift`) and aggregates with their join plans.
extension Checker {
    func aggregateEntity(_ e: Expr) -> Int? {
        switch e.kind {
        case .name(let n) where !isFieldOrLocal(n): return entityIndex[n]
        case .member(let b, _):
            if case .name(let n) = b.kind, !isFieldOrLocal(n) { return entityIndex[n] }
            return nil
        default: return nil
        }
    }

    mutating func checkCall(_ name: Name, _ args: [Expr], _ bind: Name?, _ filter: Expr?, _ range: SourceRange) -> (TExpr, Ty) {
        if let kind = AggregateKind(rawValue: name.text),
           bind != nil || filter != nil || (args.count == 1 && aggregateEntity(args[0]) != nil) {
            return checkAggregate(kind, name, args, bind, filter, range)
        }
        if bind != nil || filter != nil {
            report(.notAnAggregate(name.text, at: name.range))
            return Checker.poisoned
        }
        // `count(5)`: an aggregate of something that is not an entity.
        if let kind = AggregateKind(rawValue: name.text), [.count, .any, .all].contains(kind) {
            report(.aggregateNeedsEntity(name.text, at: name.range))
            return Checker.poisoned
        }
        guard let b = Builtin(rawValue: name.text) else {
            let builtins = Builtin.allCases.map(\.rawValue)
            let known = builtins + AggregateKind.allCases.map(\.rawValue).filter { !builtins.contains($0) }
            report(.unknownFunction(name.text, known: known, at: name.range, suggestion: suggestions.closest(name.text, among: { known })))
            return Checker.poisoned
        }
        let typed = args.map { checkExpr($0) }
        let tys = typed.map(\.1)
        if tys.contains(.poisoned) { return Checker.poisoned }
        let sig = b.signature
        let bad = Checker.poisoned
        if !sig.arity.contains(args.count) {
            report(.wrongArgumentCount(name.text, arity: sig.arity, given: args.count, at: range))
            return bad
        }
        func need(_ i: Int, _ ok: Bool, _ what: Bilingual) -> Bool {
            if ok { return true }
            report(.wrongArgumentType(name.text, index: i, want: what, found: typeName(tys[i]), at: args[i].range))
            return false
        }
        let isText = tys.map { t -> Bool in
            if t == .text { return true }
            if case .ref = t { return true }
            return false
        }
        for i in args.indices {
            let number = Words.number, date = Words.date, text = Words.text
            switch sig.argument(i) {
            case .number: guard need(i, tys[i].isNumber, number) else { return bad }
            case .numberOrDate: guard tys[i] == .date || need(i, tys[i].isNumber, number) else { return bad }
            case .date: guard need(i, tys[i] == .date, date) else { return bad }
            case .text: guard need(i, isText[i], text) else { return bad }
            case .decimals:
                guard case .number(let n) = tys[i], n.whole, n.unit.dimension.isNone else {
                    report(.decimalsArgument(name.text, at: args[i].range))
                    return bad
                }
            case .any: break
            }
        }
        let ts = typed.map(\.0)
        switch sig.result {
        case .unified:
            var t = tys[0]
            for i in 1..<max(1, args.count) where i < args.count {
                t = unify(t, tys[i], args[i].range, Words.arguments(of: name.text))
            }
            return (.call(b, ts, scale: 1), t)
        case .firstArgument: return (.call(b, ts, scale: 1), tys[0])
        case .rounded, .wholeInUnit:
            guard case .number(let n) = tys[0] else { return bad }
            let whole = sig.result == .wholeInUnit || args.count == 1
            return (.call(b, ts, scale: n.unit.scale), .number(NumType(unit: n.unit, whole: whole)))
        case .bool: return (.call(b, ts, scale: 1), .bool)
        case .count: return (.call(b, ts, scale: 1), Checker.wholeNumber)
        }
    }

    /// What an aggregate ranges over and the value it aggregates:
    /// `count(teacher)`, `sum(teacher.salary)`, `sum(t in teacher: …)`;
    /// nil when that is wrong (already reported).
    mutating func aggregateOperand(_ kind: AggregateKind, _ name: Name, _ args: [Expr], _ bind: Name?,
                                   _ range: SourceRange) -> (entity: Int, value: Expr?)? {
        var entity: Int
        var valueExpr: Expr?
        if let bind {
            guard let e = entityIndex[bind.text] else {
                report(.unknownEntity(bind.text, at: bind.range, suggestion: suggestions.closest(bind.text, among: { Array(entityIndex.keys) })))
                return nil
            }
            entity = e
            valueExpr = args.first
            if args.count != 1 {
                report(.aggregateTakesOneExpression(name.text, at: range))
                return nil
            }
        } else {
            guard args.count == 1, let e = aggregateEntity(args[0]) else {
                let first = args.first.map(\.range) ?? name.range
                if let a = args.first, case .name(let n) = a.kind, entityIndex[n] == nil {
                    report(.unknownEntity(n, at: a.range, suggestion: suggestions.closest(n, among: { Array(entityIndex.keys) })))
                } else {
                    report(.aggregateArgument(name.text, at: first))
                }
                return nil
            }
            entity = e
            if case .member = args[0].kind { valueExpr = args[0] }
        }
        switch kind {
        case .count, .any, .all:
            if valueExpr != nil {
                report(.aggregateOverRecords(name.text, entity: entities[entity].name, at: args[0].range))
                return nil
            }
        case .sum, .avg, .min, .max:
            if valueExpr == nil {
                report(.aggregateNeedsValue(name.text, entity: entities[entity].name, at: args.first?.range ?? name.range))
                return nil
            }
        }
        return (entity, valueExpr)
    }

    mutating func checkAggregate(_ kind: AggregateKind, _ name: Name, _ args: [Expr], _ bind: Name?, _ filter: Expr?, _ range: SourceRange) -> (TExpr, Ty) {
        let bad = Checker.poisoned
        guard let (entity, valueExpr) = aggregateOperand(kind, name, args, bind, range) else { return bad }
        if scopes.count > Checker.maxAggregateDepth {
            report(.aggregatesTooDeep(Checker.maxAggregateDepth, at: range))
            return bad
        }
        scopes.append(entity)
        let depth = scopes.count - 1
        defer { scopes.removeLast() }
        var tvalue: TExpr?
        var vty: Ty = .poisoned
        if let v = valueExpr {
            let (t, ty) = checkExpr(v)
            tvalue = t
            vty = ty
            if ty != .poisoned, !ty.isNumber, !(ty == .date && (kind == .min || kind == .max)) {
                report(.aggregateOfNonNumber(name.text, found: typeName(ty), at: v.range))
                vty = .poisoned
            }
        }
        let checkedFilter = filter.map { checkBool($0, Bilingual(both: "where")) }
        let aggregate = Aggregate(kind: kind, entity: entity, depth: depth, value: tvalue, filter: checkedFilter)
        let ty: Ty
        switch kind {
        case .count: ty = Checker.wholeNumber
        case .any, .all: ty = .bool
        case .sum:
            if case .number(let n) = vty { ty = .number(n) } else { ty = .poisoned }
        case .avg:
            if case .number(let n) = vty { ty = .number(NumType(unit: n.unit, whole: false)) } else { ty = .poisoned }
        case .min, .max: ty = vty
        }
        return (.aggregate(aggregate), ty)
    }

}
