/// How the engine answers an aggregate: each `where` conjunct
/// `inner.field == outer expression` (text, date or bool) becomes a hash
/// join, answered by an index built once per run instead of a scan per outer
/// record; the other conjuncts stay a residual filter. The checker gives the
/// `where` as written (`Aggregate`); the plan is made here, where it is used,
/// and the IR carries it to the other back ends.
struct AggregatePlan: Sendable {
    var kind: AggregateKind
    var entity: Int
    /// The scope depth the aggregated record occupies.
    var depth: Int
    var value: TExpr?
    var joins: [(field: Int, outer: TExpr)]
    /// What is left of `where` after the joins.
    var residual: TExpr?

    init(_ a: Aggregate) {
        kind = a.kind
        entity = a.entity
        depth = a.depth
        value = a.value
        var joins: [(field: Int, outer: TExpr)] = []
        var rest: [TExpr] = []
        for c in a.filter.map(AggregatePlan.conjuncts) ?? [] {
            // Numbers are left out: `==` on numbers is approximate (see approxEqual), a hash is not.
            if case .compare(.eq, let x, let y, let k) = c, k == .text || k == .date || k == .bool {
                if case .field(a.depth, _, let fi) = x, !AggregatePlan.reads(y, depth: a.depth) { joins.append((fi, y)); continue }
                if case .field(a.depth, _, let fi) = y, !AggregatePlan.reads(x, depth: a.depth) { joins.append((fi, x)); continue }
            }
            rest.append(c)
        }
        self.joins = joins
        residual = rest.dropFirst().reduce(rest.first) { acc, c in acc.map { .logic(.and, $0, c) } }
    }

    static func conjuncts(_ t: TExpr) -> [TExpr] {
        if case .logic(.and, let a, let b) = t { return conjuncts(a) + conjuncts(b) }
        return [t]
    }

    /// Whether an expression reads the record at `depth` (or deeper).
    static func reads(_ t: TExpr, depth d: Int) -> Bool {
        switch t {
        case .constant, .local: return false
        case .field(let depth, _, _), .prevField(let depth, _, _): return depth >= d
        case .refField(let b, _, _), .negate(let b), .not(let b): return reads(b, depth: d)
        case .arith(_, let a, let b), .compare(_, let a, let b, _), .logic(_, let a, let b): return reads(a, depth: d) || reads(b, depth: d)
        case .between(let a, let b, let c, _), .ifThen(let a, let b, let c): return reads(a, depth: d) || reads(b, depth: d) || reads(c, depth: d)
        case .inList(let a, let xs, _): return reads(a, depth: d) || xs.contains { reads($0, depth: d) }
        case .match(let s, let arms, let e, _):
            return reads(s, depth: d) || arms.contains { $0.patterns.contains { reads($0, depth: d) } || reads($0.value, depth: d) } || e.map { reads($0, depth: d) } == true
        case .call(_, let xs, _): return xs.contains { reads($0, depth: d) }
        case .aggregate(let a):
            // As planned: a nested join's inner field is its own record, not one read from outside.
            let p = AggregatePlan(a)
            return p.value.map { reads($0, depth: d) } == true || p.residual.map { reads($0, depth: d) } == true
                || p.joins.contains { reads($0.outer, depth: d) }
        }
    }
}
