import Foundation

/// Column-at-a-time evaluation over a block of rows, with one purpose: to
/// find the records that certainly pass a rule, so that they skip the
/// per-record path. Most records of an audit pass most rules, and the
/// per-record path pays for what only a failure needs (missing-field names,
/// levels, labels).
///
/// Values sit in `Double` vectors: numbers as they are, booleans as 1 and 0,
/// dates as day numbers, and NaN for everything that is not a definite value
/// (missing, undefined, text). A record passes here only if every `for …
/// where` filter, its `when` and every `require` come out exactly 1; any
/// other record is decided by the per-record path. The block path can thus
/// be conservative but never disagree: where it cannot mirror an operator
/// exactly (text, aggregates, `match`, calls, `prev`), it runs the
/// per-record closure of that sub-expression for each row of the block.
struct Block {
    var lo: Int
    var count: Int
    /// Vectors of the rule's lets and measures already computed for this block.
    var locals: [[Double]?]
}

typealias BlockEval = @Sendable (inout Block, inout EvalContext) -> [Double]

/// Rows per block: large enough to amortise a kernel call, small enough
/// that a rule's vectors stay in cache.
let blockRows = 1024

@inline(__always) func definite(_ v: Value) -> Double {
    switch v {
    // ±∞ is no definite value: the per-record path calls it undefined.
    case .number(let d): return d.isFinite ? d : .nan
    case .bool(let b): return b ? 1 : 0
    case .date(let d): return Double(d)
    case .text, .missing, .undefined: return .nan
    }
}

struct BlockCompiler {
    let program: Program
    let data: Dataset
    let locals: [TExpr]
    private(set) var vectorised = 0

    /// A kernel giving 1 for the rows of the block that pass the rule for
    /// certain; nil when no part of the rule runs column-wise (the block path
    /// would only add work).
    /// `scalar` gives the per-record closure of a sub-expression the block
    /// path does not mirror.
    static func certainPass(rule: CheckedRule, program: Program, data: Dataset, scalar: (TExpr) -> Eval) -> BlockEval? {
        var c = BlockCompiler(program: program, data: data, locals: rule.locals.map(\.expr))
        let exprs = rule.filters + (rule.when.map { [$0] } ?? []) + rule.requires.map(\.expr)
        var compiled: [BlockEval] = []
        for e in exprs { compiled.append(c.compile(e, scalar)) }
        guard c.vectorised > 0, !compiled.isEmpty else { return nil }
        let parts = compiled
        return { block, ctx in
            var ok = [Double](repeating: 1, count: block.count)
            var left = block.count
            for part in parts {
                let v = part(&block, &ctx)
                left = 0
                for i in 0..<block.count where ok[i] == 1 {
                    if v[i] == 1 { left += 1 } else { ok[i] = 0 }
                }
                if left == 0 { break }
            }
            return ok
        }
    }

    private func perRecord(_ t: TExpr, _ scalar: (TExpr) -> Eval) -> BlockEval {
        let eval = scalar(t)
        return { block, ctx in
            var out = [Double](repeating: .nan, count: block.count)
            for i in 0..<block.count {
                ctx.reset(row: block.lo + i)
                out[i] = definite(eval(&ctx))
            }
            return out
        }
    }

    private static func map(_ a: @escaping BlockEval, _ f: @escaping @Sendable (Double) -> Double) -> BlockEval {
        return { block, ctx in
            var v = a(&block, &ctx)
            for i in v.indices { v[i] = f(v[i]) }
            return v
        }
    }

    private static func zip(_ a: @escaping BlockEval, _ b: @escaping BlockEval, _ f: @escaping @Sendable (Double, Double) -> Double) -> BlockEval {
        return { block, ctx in
            var x = a(&block, &ctx)
            let y = b(&block, &ctx)
            for i in x.indices { x[i] = f(x[i], y[i]) }
            return x
        }
    }

    /// Mirrors `compareValues` on definite values: numbers equal within the
    /// engine's relative tolerance, dates and booleans exactly.
    @inline(__always) private static func order(_ x: Double, _ y: Double, approximate: Bool) -> Int {
        if approximate ? approxEqual(x, y) : x == y { return 0 }
        return x < y ? -1 : 1
    }

    mutating func compile(_ t: TExpr, _ scalar: (TExpr) -> Eval) -> BlockEval {
        switch t {
        case .constant(let v):
            let d = definite(v)
            return { block, _ in [Double](repeating: d, count: block.count) }
        case .field(let depth, let e, let f) where depth == 0:
            switch program.entities[e].fields[f].kind {
            case .number, .bool, .date:
                vectorised += 1
                let column = data.tables[e].columns[f]
                return { block, _ in
                    // Rows past the column's end read as missing, as on the per-record path.
                    var v = column.values(in: block.lo..<(block.lo + block.count))
                    if v.count < block.count { v += repeatElement(.nan, count: block.count - v.count) }
                    // An infinite cell is undefined on the per-record path: never a certain pass here.
                    for i in v.indices where v[i].isInfinite { v[i] = .nan }
                    return v
                }
            case .text, .ref:
                return perRecord(t, scalar)
            }
        case .local(let slot):
            guard slot < locals.count else { return perRecord(t, scalar) }
            let body = compile(locals[slot], scalar)
            return { block, ctx in
                if slot < block.locals.count, let v = block.locals[slot] { return v }
                let v = body(&block, &ctx)
                if slot < block.locals.count { block.locals[slot] = v }
                return v
            }
        case .negate(let x):
            vectorised += 1
            return BlockCompiler.map(compile(x, scalar)) { -$0 }
        case .not(let x):
            vectorised += 1
            return BlockCompiler.map(compile(x, scalar)) { $0.isNaN ? .nan : 1 - $0 }
        case .arith(let op, let l, let r):
            let a = compile(l, scalar), b = compile(r, scalar)
            vectorised += 1
            return BlockCompiler.zip(a, b) { p, q in
                if p.isNaN || q.isNaN { return .nan }
                return arithmeticResult(op, p, q) ?? .nan
            }
        case .compare(let op, let l, let r, let kind) where kind != .text:
            let a = compile(l, scalar), b = compile(r, scalar)
            let approximate = kind == .number
            vectorised += 1
            return BlockCompiler.zip(a, b) { x, y in
                if x.isNaN || y.isNaN { return .nan }
                let c = BlockCompiler.order(x, y, approximate: approximate)
                switch op {
                case .eq: return c == 0 ? 1 : 0
                case .ne: return c != 0 ? 1 : 0
                case .lt: return c < 0 ? 1 : 0
                case .le: return c <= 0 ? 1 : 0
                case .gt: return c > 0 ? 1 : 0
                case .ge: return c >= 0 ? 1 : 0
                default: return .nan
                }
            }
        case .logic(let op, let l, let r):
            let a = compile(l, scalar), b = compile(r, scalar)
            // As the per-record path: a definite false (and) or true (or)
            // decides from either side; otherwise the result is unknown.
            let decisive: Double = op == .or ? 1 : 0
            vectorised += 1
            return BlockCompiler.zip(a, b) { x, y in
                if x == decisive || y == decisive { return decisive }
                if x.isNaN || y.isNaN { return .nan }
                return 1 - decisive
            }
        case .between(let x, let lo, let hi, let kind) where kind == .number || kind == .date:
            let v = compile(x, scalar), p = compile(lo, scalar), q = compile(hi, scalar)
            let approximate = kind == .number
            vectorised += 1
            return { block, ctx in
                var a = v(&block, &ctx)
                let l = p(&block, &ctx), h = q(&block, &ctx)
                for i in a.indices {
                    if a[i].isNaN || l[i].isNaN || h[i].isNaN { a[i] = .nan; continue }
                    a[i] = BlockCompiler.order(a[i], l[i], approximate: approximate) >= 0
                        && BlockCompiler.order(a[i], h[i], approximate: approximate) <= 0 ? 1 : 0
                }
                return a
            }
        default:
            return perRecord(t, scalar)
        }
    }
}
