import Foundation

/// A rule refused before evaluation because its estimated cost is above
/// `--max-cost` (exit 2): a nested aggregate over large tables could
/// otherwise run for hours with no sign of progress.
struct CostRefusal: Error, Sendable {
    struct Rule: Sendable, Equatable {
        var code: String
        /// `path:line:col` of the rule, when the program knows its file.
        var location: String?
        var estimate: Double
    }

    var rules: [Rule]
    var limit: Double

    var message: Bilingual {
        let limitShown = CostRefusal.show(limit)
        let zh = rules.map { r in
            (r.location.map { $0 + ": " } ?? "") + "规则 \(r.code) 的估计开销为 \(CostRefusal.show(r.estimate)) 次行访问，超过上限 \(limitShown)，未执行检查"
        }
        let en = rules.map { r in
            (r.location.map { $0 + ": " } ?? "") + "rule \(r.code) has an estimated cost of \(CostRefusal.show(r.estimate)) row visits, above the limit of \(limitShown); nothing was checked"
        }
        let hintZh = "（可用 --max-cost 提高上限，或让内层聚合以 == 关联外层记录，以便使用索引）"
        let hintEn = "(raise the limit with --max-cost, or correlate the inner aggregate with == so that an index serves it)"
        return Bilingual((zh + [hintZh]).joined(separator: "\n"), (en + [hintEn]).joined(separator: "\n"))
    }

    /// Whole numbers as they are; beyond 10¹⁵ in scientific notation, where digits stop meaning anything.
    static func show(_ d: Double) -> String {
        guard d.isFinite else { return "∞" }
        return d < 1e15 ? formatNumber(d.rounded(.up)) : String(format: "%.3e", d)
    }
}

/// The cost model: row visits per run, from the actual table sizes.
///
/// A rule is evaluated once per record of its entity. An aggregate visits
/// every row of its table per evaluation, unless a join index serves it (a
/// visit of the group, counted as one) or it is hoisted (computed once per
/// run, or once per rule record, see `ExprCompiler.hoisting`). Nesting multiplies. The solver's
/// re-evaluations of failed records are not counted: they are bounded by
/// the failures, not by the data's size.
extension Engine {
    static let defaultMaxCost = RunOptions.defaultMaxCost

    /// The estimated row visits of each rule, in program order.
    func estimatedCosts() -> [(rule: String, estimate: Double)] {
        plans.map { ($0.rule.code, estimatedCost($0.rule)) }
    }

    func estimatedCost(_ rule: CheckedRule) -> Double {
        let exprs = rule.filters + (rule.when.map { [$0] } ?? []) + rule.locals.map(\.expr) + rule.requires.map(\.expr)
        var perRecord = 1.0
        var once = 0.0
        for e in exprs {
            let c = cost(e)
            perRecord += c.perEval + c.perRecord
            once += c.once
        }
        return Double(data.tables[rule.entity].count) * perRecord + once
    }

    /// Row visits of one evaluation of an expression; those paid once per
    /// record of the rule, however often it is evaluated (per-record memos);
    /// those paid once per run (hoisted aggregates).
    struct Cost {
        var perEval: Double
        var perRecord: Double
        var once: Double
    }

    /// The row visits of `t` (see `Cost`).
    func cost(_ t: TExpr) -> Cost {
        func sum(_ xs: [TExpr]) -> Cost {
            xs.reduce(Cost(perEval: 0, perRecord: 0, once: 0)) { acc, x in
                let c = cost(x)
                return Cost(perEval: acc.perEval + c.perEval, perRecord: acc.perRecord + c.perRecord, once: acc.once + c.once)
            }
        }
        switch t {
        case .constant, .local, .field, .prevField: return Cost(perEval: 0, perRecord: 0, once: 0)
        case .refField(let b, _, _), .negate(let b), .not(let b): return cost(b)
        case .arith(_, let a, let b), .compare(_, let a, let b, _), .logic(_, let a, let b): return sum([a, b])
        case .between(let a, let b, let c, _), .ifThen(let a, let b, let c): return sum([a, b, c])
        case .inList(let a, let xs, _): return sum([a] + xs)
        case .match(let s, let arms, let e, _):
            return sum([s] + arms.flatMap { $0.patterns + [$0.value] } + (e.map { [$0] } ?? []))
        case .call(_, let xs, _): return sum(xs)
        case .aggregate(let a):
            let p = AggregatePlan(a)
            let inner = sum([p.value, p.residual].compactMap { $0 })
            let outer = sum(p.joins.map(\.outer))
            let rows = p.entity < data.tables.count ? Double(data.tables[p.entity].count) : 0
            let visited = p.joins.isEmpty ? rows : 1
            let level = visited * (1 + inner.perEval)
            switch ExprCompiler.hoisting(p) {
            case .perRun:
                return Cost(perEval: 1 + outer.perEval, perRecord: inner.perRecord + outer.perRecord, once: level + inner.once + outer.once)
            case .perRecord:
                return Cost(perEval: 1 + outer.perEval, perRecord: level + inner.perRecord + outer.perRecord, once: inner.once + outer.once)
            case .none:
                return Cost(perEval: level + outer.perEval, perRecord: inner.perRecord + outer.perRecord, once: inner.once + outer.once)
            }
        }
    }

    /// Throws before any evaluation when a rule's estimated cost is above
    /// `maxCost`, naming every such rule.
    func refuseCostly(maxCost: Double) throws {
        var refused: [CostRefusal.Rule] = []
        for plan in plans {
            let estimate = estimatedCost(plan.rule)
            guard estimate > maxCost else { continue }
            let r = plan.rule.range
            var location: String?
            if program.files.indices.contains(r.file) {
                let f = program.files[r.file]
                let (line, column) = f.location(of: r.start)
                location = "\(f.path):\(line):\(column)"
            }
            refused.append(CostRefusal.Rule(code: plan.rule.code, location: location, estimate: estimate))
        }
        if !refused.isEmpty { throw CostRefusal(rules: refused, limit: maxCost) }
    }
}
