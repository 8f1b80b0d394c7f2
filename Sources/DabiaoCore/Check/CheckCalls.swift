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
            error(name.range, Text("\(name.text) 不是聚合函数，不能使用 where 或 “实体:”", "\(name.text) is not an aggregate; it takes no where or 'E:'"),
                  help: Text("聚合函数：count sum avg min max any all", "aggregates: count sum avg min max any all"))
            return Checker.poisoned
        }
        // `count(5)`: an aggregate of something that is not an entity.
        if let kind = AggregateKind(rawValue: name.text), [.count, .any, .all].contains(kind) {
            error(name.range, Text("\(name.text) 的参数应为实体名，例如 \(name.text)(placement where …)", "\(name.text) takes an entity, e.g. \(name.text)(placement where …)"))
            return Checker.poisoned
        }
        guard let b = Builtin(rawValue: name.text) else {
            let builtins = Builtin.allCases.map(\.rawValue)
            let known = builtins + AggregateKind.allCases.map(\.rawValue).filter { !builtins.contains($0) }
            error(name.range, Text("未知的函数 “\(name.text)”", "unknown function '\(name.text)'"),
                  help: suggestions.didYouMean(name.text, among: { known })
                    ?? Text("可用函数：\(known.joined(separator: " "))", "functions: \(known.joined(separator: " "))"))
            return Checker.poisoned
        }
        let typed = args.map { checkExpr($0) }
        let tys = typed.map(\.1)
        if tys.contains(.poisoned) { return Checker.poisoned }
        let sig = b.signature
        let bad = Checker.poisoned
        if !sig.arity.contains(args.count) {
            let n = sig.arity
            let want = n.lowerBound == n.upperBound ? "\(n.lowerBound)" : n.upperBound > 100 ? "至少 \(n.lowerBound)" : "\(n.lowerBound)–\(n.upperBound)"
            let wantEn = n.lowerBound == n.upperBound ? "\(n.lowerBound)" : n.upperBound > 100 ? "at least \(n.lowerBound)" : "\(n.lowerBound)–\(n.upperBound)"
            error(range, Text("\(name.text) 需要 \(want) 个参数，这里有 \(args.count) 个", "\(name.text) takes \(wantEn) arguments, not \(args.count)"))
            return bad
        }
        func need(_ i: Int, _ ok: Bool, _ what: Text) -> Bool {
            if ok { return true }
            error(args[i].range, Text("\(name.text) 的第 \(i + 1) 个参数应为\(what.zh)，这里是\(describe(tys[i]))", "argument \(i + 1) of \(name.text) must be \(what.en), this is \(describeEn(tys[i]))"))
            return false
        }
        let isText = tys.map { t -> Bool in
            if t == .text { return true }
            if case .ref = t { return true }
            return false
        }
        for i in args.indices {
            let number = Text("数值", "a number"), date = Text("日期", "a date"), text = Text("文本", "text")
            switch sig.argument(i) {
            case .number: guard need(i, tys[i].isNumber, number) else { return bad }
            case .numberOrDate: guard tys[i] == .date || need(i, tys[i].isNumber, number) else { return bad }
            case .date: guard need(i, tys[i] == .date, date) else { return bad }
            case .text: guard need(i, isText[i], text) else { return bad }
            case .decimals:
                guard case .number(let n) = tys[i], n.whole, n.unit.dimension.isNone else {
                    error(args[i].range, Text("\(name.text) 的第二个参数应为小数位数（整数）", "the second argument of \(name.text) is a number of decimals (whole)"))
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
                t = unify(t, tys[i], args[i].range, Text("\(name.text) 的参数", "the arguments of \(name.text)"))
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

    mutating func checkAggregate(_ kind: AggregateKind, _ name: Name, _ args: [Expr], _ bind: Name?, _ filter: Expr?, _ range: SourceRange) -> (TExpr, Ty) {
        let bad = Checker.poisoned
        var entity: Int
        var valueExpr: Expr?
        if let bind {
            guard let e = entityIndex[bind.text] else {
                error(bind.range, Text("未声明的实体 “\(bind.text)”", "unknown entity '\(bind.text)'"),
                      help: suggestions.didYouMean(bind.text, among: { Array(entityIndex.keys) }))
                return bad
            }
            entity = e
            valueExpr = args.first
            if args.count != 1 {
                error(range, Text("\(name.text)(实体: 表达式 …) 只接受一个表达式", "\(name.text)(E: expr …) takes one expression"))
                return bad
            }
        } else {
            guard args.count == 1, let e = aggregateEntity(args[0]) else {
                let first = args.first.map(\.range) ?? name.range
                if let a = args.first, case .name(let n) = a.kind, entityIndex[n] == nil {
                    error(a.range, Text("未声明的实体 “\(n)”", "unknown entity '\(n)'"),
                          help: suggestions.didYouMean(n, among: { Array(entityIndex.keys) }))
                } else {
                    error(first, Text("\(name.text) 的参数应为实体（count(E where …)）或实体的字段（sum(E.field where …)、sum(E: 表达式 where …)）",
                                      "\(name.text) takes an entity (count(E where …)) or a field of one (sum(E.field where …), sum(E: expr where …))"))
                }
                return bad
            }
            entity = e
            if case .member = args[0].kind { valueExpr = args[0] }
        }
        switch kind {
        case .count, .any, .all:
            if valueExpr != nil {
                error(args[0].range, Text("\(name.text) 按记录计数或判断，参数应为实体名", "\(name.text) ranges over records; pass the entity name"),
                      help: Text("写成 \(name.text)(\(entities[entity].name) where 条件)", "write \(name.text)(\(entities[entity].name) where condition)"))
                return bad
            }
        case .sum, .avg, .min, .max:
            if valueExpr == nil {
                error(args.first?.range ?? name.range, Text("\(name.text) 需要被汇总的字段", "\(name.text) needs a value to aggregate"),
                      help: Text("写成 \(name.text)(\(entities[entity].name).字段 …) 或 \(name.text)(\(entities[entity].name): 表达式 …)", "write \(name.text)(\(entities[entity].name).field …) or \(name.text)(\(entities[entity].name): expr …)"))
                return bad
            }
        }
        if scopes.count > Checker.maxAggregateDepth {
            error(range, Text("聚合嵌套过深（最多 \(Checker.maxAggregateDepth) 层）", "aggregates nested too deeply (at most \(Checker.maxAggregateDepth))"))
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
                error(v.range, Text("\(name.text) 只能汇总数值，这里是\(describe(ty))", "\(name.text) aggregates numbers, this is \(describeEn(ty))"))
                vty = .poisoned
            }
        }
        var conjuncts: [TExpr] = []
        if let f = filter {
            conjuncts = splitAnd(checkBool(f, Text("where", "where")))
        }
        if kind == .any || kind == .all, filter == nil {
            // any(E) is "there is a record"; all(E) is vacuously true for each.
        }
        // Equalities between an inner field and an outer expression become hash joins.
        var joins: [(field: Int, outer: TExpr)] = []
        var rest: [TExpr] = []
        for c in conjuncts {
            // Numbers are left out: `==` on numbers is approximate (see approxEqual), a hash is not.
            if case .compare(.eq, let a, let b, let k) = c, k == .text || k == .date || k == .bool {
                if case .field(depth, _, let fi) = a, !uses(b, depth: depth) { joins.append((fi, b)); continue }
                if case .field(depth, _, let fi) = b, !uses(a, depth: depth) { joins.append((fi, a)); continue }
            }
            rest.append(c)
        }
        let residual = rest.dropFirst().reduce(rest.first) { acc, c in acc.map { .logic(.and, $0, c) } }
        let plan = AggregatePlan(kind: kind, entity: entity, depth: depth, value: tvalue, joins: joins, residual: residual)
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
        return (.aggregate(plan), ty)
    }

    func splitAnd(_ t: TExpr) -> [TExpr] {
        if case .logic(.and, let a, let b) = t { return splitAnd(a) + splitAnd(b) }
        return [t]
    }

    /// Whether an expression reads the record at `depth` (or deeper).
    func uses(_ t: TExpr, depth d: Int) -> Bool {
        switch t {
        case .constant, .local: return false
        case .field(let depth, _, _), .prevField(let depth, _, _): return depth >= d
        case .refField(let b, _, _), .negate(let b), .not(let b): return uses(b, depth: d)
        case .arith(_, let a, let b), .compare(_, let a, let b, _), .logic(_, let a, let b): return uses(a, depth: d) || uses(b, depth: d)
        case .between(let a, let b, let c, _), .ifThen(let a, let b, let c): return uses(a, depth: d) || uses(b, depth: d) || uses(c, depth: d)
        case .inList(let a, let xs, _): return uses(a, depth: d) || xs.contains { uses($0, depth: d) }
        case .match(let s, let arms, let e, _):
            return uses(s, depth: d) || arms.contains { $0.patterns.contains { uses($0, depth: d) } || uses($0.value, depth: d) } || e.map { uses($0, depth: d) } == true
        case .call(_, let xs, _): return xs.contains { uses($0, depth: d) }
        case .aggregate(let p):
            return p.value.map { uses($0, depth: d) } == true || p.residual.map { uses($0, depth: d) } == true
                || p.joins.contains { uses($0.outer, depth: d) }
        }
    }
}
