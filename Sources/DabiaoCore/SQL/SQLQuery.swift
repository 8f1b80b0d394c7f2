import Foundation

/// A rule the chosen dialect cannot express faithfully: `dabiao sql` stops
/// (exit 2) and names it rather than print SQL that could judge differently.
struct SQLQueryError: Error, Sendable {
    /// The rule's code, or nil when the whole program is refused.
    var rule: String?
    var reason: Bilingual

    var message: Bilingual {
        guard let rule else { return reason }
        return Bilingual("规则 \(rule) 无法编译为 SQL：\(reason.zh)", "rule \(rule) cannot be compiled to SQL: \(reason.en)")
    }
}

/// `dabiao sql --dialect D`: the rules as one SQL query (docs/sql.md).
enum SQLQuery {
    /// Reads the program through its IR document, the same text every back
    /// end other than the engine reads, and compiles that.
    static func render(_ program: Program, dialect: SQLDialect, asOf: Int) throws -> String {
        let model: SQLModel
        do {
            model = try SQLModel(json: IR.render(program))
        } catch {
            throw SQLQueryError(rule: nil, reason: Bilingual("IR 无法读取：\(error)", "the IR cannot be read: \(error)"))
        }
        return try SQLCompiler(model: model, dialect: dialect, asOf: asOf).query()
    }
}

/// An expression as SQL: `v` its value, NULL exactly when the value is not
/// known, and `s` its state, 0 known, 1 undefined, 2 missing. A NULL never has
/// to say which unknown it is, and the larger code is the one that wins when
/// unknowns meet (missing outranks undefined, docs/ir.md). `s` is the literal
/// "0" when the value is certainly known, which keeps the text small.
struct SQLPair {
    var v: String
    var s: String
    var known: Bool { s == "0" }
}

final class SQLCompiler {
    let m: SQLModel
    let d: SQLDialect
    let asOf: Int
    var rule = ""
    var counter = 0
    /// The rule's entity, whose key a Spark aggregate uses to read the rule's record again.
    var ruleEntity = 0
    /// Set while compiling a Spark aggregate's `where` that reads the rule's
    /// record through a second scan of its table (`sparkAggregate`): the alias
    /// of that scan, which then stands for the record at depth 0.
    var recordAlias: String?

    init(model: SQLModel, dialect: SQLDialect, asOf: Int) {
        self.m = model
        self.d = dialect
        self.asOf = asOf
    }

    // MARK: spelling

    var double: String { d == .postgres ? "DOUBLE PRECISION" : "DOUBLE" }
    var text: String {
        switch d {
        case .postgres: return "TEXT"
        case .duckdb: return "VARCHAR"
        case .spark: return "STRING"
        }
    }

    func q(_ name: String) -> String { d.quote(name) }

    func lit(_ s: String) -> String {
        var body = s.replacingOccurrences(of: "'", with: "''")
        // Spark SQL reads backslash escapes inside string literals; the others do not.
        if d == .spark { body = body.replacingOccurrences(of: "\\", with: "\\\\") }
        return "'" + body + "'"
    }

    /// Every number constant is cast to double: no integer or decimal
    /// arithmetic anywhere (3 / 4 is 0 in integer SQL).
    func num(_ x: Double) -> String { "CAST(\(x) AS \(double))" }

    func date(_ iso: String) -> String { "DATE " + lit(iso) }

    var tolerance: String { num(1e-9) }

    func isFinite(_ x: String) -> String { "(ABS(\(x)) <= \(num(Double.greatestFiniteMagnitude)))" }

    func fail(_ zh: String, _ en: String) -> SQLQueryError { SQLQueryError(rule: rule, reason: Bilingual(zh, en)) }

    func alias(_ depth: Int) -> String { depth == 0 ? (recordAlias ?? "q") : "a\(depth)" }

    func fresh(_ prefix: String) -> String {
        counter += 1
        return "\(prefix)\(counter)"
    }

    /// The state of several values that all must be known: the worst.
    func worst(_ states: [String]) -> String {
        var seen: [String] = []
        for s in states where s != "0" && !seen.contains(s) { seen.append(s) }
        if seen.isEmpty { return "0" }
        if seen.count == 1 { return seen[0] }
        return "GREATEST(\(seen.joined(separator: ", ")))"
    }

    /// The state of the first unknown among values read in order.
    func firstUnknown(_ states: [String]) -> String {
        let unknown = states.filter { $0 != "0" }
        if unknown.isEmpty { return "0" }
        if unknown.count == 1 { return unknown[0] }
        return "CASE " + unknown.dropLast().map { "WHEN \($0) <> 0 THEN \($0) " }.joined() + "ELSE \(unknown[unknown.count - 1]) END"
    }

    func nullState(_ v: String) -> String { "CASE WHEN \(v) IS NULL THEN 2 ELSE 0 END" }

    func allKnown(_ xs: [SQLPair]) -> String {
        xs.filter { !$0.known }.map { "\($0.v) IS NOT NULL" }.joined(separator: " AND ")
    }

    /// `a == b` on numbers within the engine's relative tolerance (approxEqual).
    func numberEqual(_ a: String, _ b: String) -> String {
        "(\(a) = \(b) OR ABS(\(a) - \(b)) <= \(tolerance) * GREATEST(ABS(\(a)), ABS(\(b))))"
    }

    func compare(_ op: String, _ kind: String, _ a: String, _ b: String) throws -> String {
        switch kind {
        case "number":
            let eq = numberEqual(a, b)
            switch op {
            case "==": return eq
            case "!=": return "(NOT \(eq))"
            case "<": return "(\(a) < \(b) AND NOT \(eq))"
            case "<=": return "(\(a) < \(b) OR \(eq))"
            case ">": return "(\(a) > \(b) AND NOT \(eq))"
            case ">=": return "(\(a) > \(b) OR \(eq))"
            default: break
            }
        case "text", "bool", "date":
            let sqlOp: String
            switch op {
            case "==": sqlOp = "="
            case "!=": sqlOp = "<>"
            case "<", "<=", ">", ">=": sqlOp = op
            default: throw fail("未知的比较 \(op)", "unknown comparison \(op)")
            }
            // Text order is by code point, as the engine's; PostgreSQL's default collation is not.
            if kind == "text", d == .postgres, sqlOp != "=", sqlOp != "<>" {
                return "(\(a) \(sqlOp) \(b) COLLATE \"C\")"
            }
            return "(\(a) \(sqlOp) \(b))"
        default: break
        }
        throw fail("未知的比较 \(kind) \(op)", "unknown comparison \(kind) \(op)")
    }

    /// `round half away from zero`, exactly as Swift's `.rounded()`: the
    /// fraction of |y| is exact in binary, so no `+ 0.5` rounding slip.
    func roundHalfAway(_ y: String) -> String {
        let fl = "CAST(FLOOR(ABS(\(y))) AS \(double))"
        return "(SIGN(\(y)) * (\(fl) + CASE WHEN ABS(\(y)) - \(fl) >= \(num(0.5)) THEN \(num(1)) ELSE \(num(0)) END))"
    }

    // MARK: expressions

    func compile(_ e: SQLModel.Expr) throws -> SQLPair {
        switch e {
        case .constant(let v):
            switch v {
            case .number(let x):
                guard x.isFinite else { return SQLPair(v: "NULL", s: "1") }
                return SQLPair(v: num(x), s: "0")
            case .text(let t): return SQLPair(v: lit(t), s: "0")
            case .bool(let b): return SQLPair(v: b ? "TRUE" : "FALSE", s: "0")
            case .date(let iso): return SQLPair(v: date(iso), s: "0")
            case .missing: return SQLPair(v: "NULL", s: "2")
            case .undefined: return SQLPair(v: "NULL", s: "1")
            }
        case .field(let depth, let e, let f):
            let v = "\(alias(depth)).\(q(try fieldName(e, f)))"
            return SQLPair(v: try toBase(v, e, f), s: nullState(v))
        case .prevField(let depth, let e, let f):
            // Without a key there is no baseline record to find: missing, as in the engine.
            guard let k = try entity(e).keyField else { return SQLPair(v: "NULL", s: "2") }
            let p = fresh("p")
            let key = q(try fieldName(e, k))
            let v = "(SELECT \(p).\(q(try fieldName(e, f))) FROM \(q("prev_" + m.entities[e].name)) \(p) WHERE \(p).\(key) = \(alias(depth)).\(key))"
            return SQLPair(v: try toBase(v, e, f), s: nullState(v))
        case .refField(let base, let e, let f):
            let b = try compile(base)
            guard let k = try entity(e).keyField else {
                throw fail("引用的实体 \(m.entities[e].name) 没有 key 字段", "the referenced entity \(m.entities[e].name) has no key field")
            }
            let r = fresh("r")
            let v = "(SELECT \(r).\(q(try fieldName(e, f))) FROM \(q(m.entities[e].name)) \(r) WHERE \(r).\(q(try fieldName(e, k))) = \(b.v))"
            if b.known { return SQLPair(v: try toBase(v, e, f), s: nullState(v)) }
            return SQLPair(v: try toBase(v, e, f), s: "CASE WHEN \(b.s) <> 0 THEN \(b.s) WHEN \(v) IS NULL THEN 2 ELSE 0 END")
        case .local(let slot):
            return SQLPair(v: "q.\(q(localColumn(slot, "v")))", s: "q.\(q(localColumn(slot, "s")))")
        case .negate(let x):
            let a = try compile(x)
            return SQLPair(v: "(- \(a.v))", s: a.s)
        case .not(let x):
            let a = try compile(x)
            return SQLPair(v: "(NOT \(a.v))", s: a.s)
        case .arith(let op, let l, let r):
            let a = try compile(l), b = try compile(r)
            guard ["+", "-", "*", "/"].contains(op) else { throw fail("未知的运算 \(op)", "unknown operator \(op)") }
            // Division by zero gives NULL (and state undefined), never an error or ±∞.
            let raw = op == "/" ? "(CAST(\(a.v) AS \(double)) / NULLIF(\(b.v), \(num(0))))" : "(\(a.v) \(op) \(b.v))"
            // PostgreSQL raises an error on a double overflow; DuckDB and
            // Spark give ±∞, which the engine calls undefined (overflow).
            let v = d == .postgres ? raw : "CASE WHEN \(isFinite(raw)) THEN \(raw) END"
            let known = worst([a.s, b.s])
            if d == .postgres && op != "/" { return SQLPair(v: v, s: known) }
            let unknown = known == "0" ? "" : "WHEN \(known) <> 0 THEN \(known) "
            return SQLPair(v: v, s: "CASE WHEN \(v) IS NOT NULL THEN 0 \(unknown)ELSE 1 END")
        case .compare(let op, let kind, let l, let r):
            let a = try compile(l), b = try compile(r)
            return SQLPair(v: try compare(op, kind, a.v, b.v), s: worst([a.s, b.s]))
        case .logic(let op, let l, let r):
            let a = try compile(l), b = try compile(r)
            guard op == "and" || op == "or" else { throw fail("未知的逻辑运算 \(op)", "unknown logical operator \(op)") }
            // SQL's three-valued AND/OR is the engine's: a definite false
            // (and) or true (or) decides; otherwise NULL, i.e. unknown.
            let v = "(\(a.v) \(op.uppercased()) \(b.v))"
            let w = worst([a.s, b.s])
            return SQLPair(v: v, s: w == "0" ? "0" : "CASE WHEN \(v) IS NOT NULL THEN 0 ELSE \(w) END")
        case .between(let kind, let x, let lo, let hi):
            let a = try compile(x), l = try compile(lo), h = try compile(hi)
            let test = "(\(try compare(">=", kind, a.v, l.v)) AND \(try compare("<=", kind, a.v, h.v)))"
            let all = [a, l, h]
            let cond = allKnown(all)
            // Unlike SQL's AND, any unknown end makes the whole unknown.
            return SQLPair(v: cond.isEmpty ? test : "CASE WHEN \(cond) THEN \(test) END", s: worst(all.map(\.s)))
        case .inList(let kind, let x, let items):
            let a = try compile(x)
            let bs = try items.map { try compile($0) }
            let v: String
            if bs.isEmpty {
                v = a.known ? "FALSE" : "CASE WHEN \(a.v) IS NOT NULL THEN FALSE END"
            } else {
                // OR of equalities: true if one holds, else NULL if an item (or
                // the value) is unknown, else false — the engine's rule. Never
                // NOT IN, whose NULL item turns every answer into NULL.
                v = "(" + (try bs.map { try compare("==", kind, a.v, $0.v) }).joined(separator: " OR ") + ")"
            }
            let itemState = worst(bs.map(\.s))
            if a.known && itemState == "0" { return SQLPair(v: v, s: "0") }
            if itemState == "0" { return SQLPair(v: v, s: a.s) }
            let first = a.known ? "" : "WHEN \(a.s) <> 0 THEN \(a.s) "
            return SQLPair(v: v, s: "CASE \(first)WHEN \(v) IS NOT NULL THEN 0 ELSE \(itemState) END")
        case .ifThen(let c, let x, let y):
            let cond = try compile(c), a = try compile(x), b = try compile(y)
            let guardNull = cond.known ? "" : "WHEN \(cond.v) IS NULL THEN NULL "
            let v = "CASE \(guardNull)WHEN \(cond.v) THEN \(a.v) ELSE \(b.v) END"
            if cond.known && a.known && b.known { return SQLPair(v: v, s: "0") }
            let first = cond.known ? "" : "WHEN \(cond.s) <> 0 THEN \(cond.s) "
            return SQLPair(v: v, s: "CASE \(first)WHEN \(cond.v) THEN \(a.s) ELSE \(b.s) END")
        case .match(let kind, let subject, let arms, let otherwise):
            let x = try compile(subject)
            let other = try otherwise.map { try compile($0) }
            var v = "CASE " + (x.known ? "" : "WHEN \(x.v) IS NULL THEN NULL ")
            var s = "CASE " + (x.known ? "" : "WHEN \(x.s) <> 0 THEN \(x.s) ")
            for arm in arms {
                let value = try compile(arm.value)
                for pattern in arm.patterns {
                    let p = try compile(pattern)
                    // An unknown pattern met before a match is the result.
                    if !p.known {
                        v += "WHEN \(p.v) IS NULL THEN NULL "
                        s += "WHEN \(p.s) <> 0 THEN \(p.s) "
                    }
                    let eq = try compare("==", kind, x.v, p.v)
                    v += "WHEN \(eq) THEN \(value.v) "
                    s += "WHEN \(eq) THEN \(value.s) "
                }
            }
            // No arm and no else: undefined (noMatchingArm).
            v += "ELSE \(other?.v ?? "NULL") END"
            s += "ELSE \(other?.s ?? "1") END"
            return SQLPair(v: v, s: s)
        case .call(let function, let args, let scale):
            return try call(function, try args.map { try compile($0) }, scale: scale)
        case .aggregate(let kind, let e, let depth, let value, let joins, let condition):
            return try aggregate(kind, e, depth, value, joins, condition)
        }
    }

    func entity(_ e: Int) throws -> SQLModel.Entity {
        guard m.entities.indices.contains(e) else { throw fail("IR 中的实体序号 \(e) 无效", "entity index \(e) in the IR is out of range") }
        return m.entities[e]
    }

    func fieldName(_ e: Int, _ f: Int) throws -> String {
        let entity = try entity(e)
        guard entity.fields.indices.contains(f) else { throw fail("IR 中的字段序号 \(f) 无效", "field index \(f) in the IR is out of range") }
        return entity.fields[f].name
    }

    /// A number column holds the field's declared unit (as `dabiao export`
    /// writes it); the IR computes in base units. The unit's scale is a
    /// constant, multiplied exactly as the loader converts a cell.
    func toBase(_ v: String, _ e: Int, _ f: Int) throws -> String {
        _ = try fieldName(e, f)
        let field = m.entities[e].fields[f]
        guard field.kind == "number" || field.kind == "integer", field.scale != 1 else { return v }
        return "(\(v) * \(num(field.scale)))"
    }

    /// PostgreSQL pulls a subquery up into its parent and substitutes each
    /// column by its expression: a local read ten times would be computed ten
    /// times, and nested layers multiply (the samples' query took minutes and
    /// gigabytes to plan). `OFFSET 0` keeps each layer a layer.
    var fence: String { d == .postgres ? " OFFSET 0" : "" }

    func localColumn(_ slot: Int, _ part: String) -> String { "dabiao_l\(slot)_\(part)" }

    func call(_ function: String, _ a: [SQLPair], scale: Double) throws -> SQLPair {
        func arg(_ i: Int) throws -> SQLPair {
            guard a.indices.contains(i) else { throw fail("\(function) 缺少参数", "\(function) lacks an argument") }
            return a[i]
        }
        let s = num(scale)
        switch function {
        case "min", "max":
            guard !a.isEmpty else { throw fail("\(function) 缺少参数", "\(function) lacks an argument") }
            let body = "\(function == "min" ? "LEAST" : "GREATEST")(\(a.map(\.v).joined(separator: ", ")))"
            let cond = allKnown(a)
            // PostgreSQL's LEAST skips NULLs; the engine's min of an unknown is unknown.
            return SQLPair(v: cond.isEmpty ? body : "CASE WHEN \(cond) THEN \(body) END", s: worst(a.map(\.s)))
        case "abs":
            let x = try arg(0)
            return SQLPair(v: "ABS(\(x.v))", s: x.s)
        case "ceil", "floor":
            let x = try arg(0)
            // Nudged by 1e-9 in the unit the author sees, as the engine does,
            // so 30.000000001 does not ceil to 31.
            let inner = function == "ceil" ? "\(x.v) / \(s) - \(tolerance)" : "\(x.v) / \(s) + \(tolerance)"
            return SQLPair(v: "(CAST(\(function.uppercased())(\(inner)) AS \(double)) * \(s))", s: x.s)
        case "round":
            let x = try arg(0)
            var factor = num(1)
            var state = x.s
            if a.count > 1 {
                let n = a[1]
                factor = "POWER(\(num(10)), GREATEST(\(num(0)), LEAST(\(num(12)), \(n.v))))"
                state = firstUnknown([x.s, n.s])
            }
            let y = "((\(x.v) / \(s)) * \(factor))"
            let v = "(\(roundHalfAway(y)) / \(factor) * \(s))"
            return SQLPair(v: a.count > 1 && !a[1].known ? "CASE WHEN \(a[1].v) IS NOT NULL THEN \(v) END" : v, s: state)
        case "coalesce":
            guard !a.isEmpty else { throw fail("coalesce 缺少参数", "coalesce lacks an argument") }
            let v = "COALESCE(\(a.map(\.v).joined(separator: ", ")))"
            // Nothing known: missing, whatever the arguments were (the engine starts from missing).
            if a.contains(where: \.known) { return SQLPair(v: v, s: "0") }
            return SQLPair(v: v, s: "CASE WHEN \(v) IS NOT NULL THEN 0 ELSE 2 END")
        case "present":
            let x = try arg(0)
            return SQLPair(v: x.known ? "TRUE" : "(\(x.v) IS NOT NULL)", s: "0")
        case "year":
            let x = try arg(0)
            return SQLPair(v: "CAST(EXTRACT(YEAR FROM \(x.v)) AS \(double))", s: x.s)
        case "days":
            let x = try arg(0), y = try arg(1)
            let diff = d == .spark ? "DATEDIFF(\(y.v), \(x.v))" : "(\(y.v) - \(x.v))"
            return SQLPair(v: "CAST(\(diff) AS \(double))", s: worst([x.s, y.s]))
        case "len":
            let x = try arg(0)
            guard d == .duckdb else {
                throw fail("len 按字素簇计数，\(d.rawValue) 只能按码位计数",
                           "len counts grapheme clusters; \(d.rawValue) counts code points only")
            }
            return SQLPair(v: "CAST(LENGTH_GRAPHEME(\(x.v)) AS \(double))", s: x.s)
        case "contains":
            let x = try arg(0), y = try arg(1)
            let v = d == .spark ? "(INSTR(\(x.v), \(y.v)) > 0)" : "(STRPOS(\(x.v), \(y.v)) > 0)"
            return SQLPair(v: v, s: worst([x.s, y.s]))
        case "starts_with":
            let x = try arg(0), y = try arg(1)
            let v = d == .spark ? "STARTSWITH(\(x.v), \(y.v))" : "STARTS_WITH(\(x.v), \(y.v))"
            return SQLPair(v: v, s: worst([x.s, y.s]))
        default:
            throw fail("未知的函数 \(function)", "unknown function \(function)")
        }
    }

    /// One correlated scalar subquery for the state and one for the value;
    /// the value's subquery yields NULL unless its own state is known. Empty
    /// groups per language.md §4: count and sum 0, avg/min/max missing.
    func aggregate(_ kind: String, _ e: Int, _ depth: Int, _ value: SQLModel.Expr?, _ joins: [SQLModel.Join],
                   _ condition: SQLModel.Expr?) throws -> SQLPair {
        let a = alias(depth)
        let table = q(try entity(e).name)
        // Spark SQL refuses an aggregate function whose argument mixes the
        // aggregated row with an enclosing one (AGGREGATE_FUNCTION_MIXED_OUTER_LOCAL_REFERENCES).
        // Its form below keeps `where` out of aggregate functions; a value
        // reading the enclosing record cannot be kept out.
        if d == .spark, let value, Self.readsOutside(value, depth) {
            throw fail("聚合的取值读取了外层记录，Spark SQL 不支持这种关联子查询",
                       "an aggregate whose value reads an enclosing record is a correlated subquery Spark SQL does not support")
        }
        let outers = try joins.map { try compile($0.outer) }
        var conds: [String] = []
        for (j, o) in zip(joins, outers) {
            // A NULL join field joins nothing, exactly as the engine.
            conds.append("\(a).\(q(try fieldName(e, j.field))) = \(o.v)")
        }
        if d == .spark {
            var from = "\(table) \(a)"
            var w: SQLPair?
            if let condition, Self.readsOutside(condition, 1), Self.localsRead(condition).isEmpty,
               let key = try entity(ruleEntity).keyField {
                // The `where` reads the rule's record. Spark decorrelates a subquery
                // whose correlation is not an equality with a domain join: the
                // distinct outer values, taken from the whole plan below the
                // subquery, which already holds every earlier subquery's join
                // and its domain, so each such subquery doubles the plan (the
                // samples' DQ-06, 12 aggregates, never finished planning). Here
                // the record is read again from its table, matched by key, so
                // the only correlation is `o.key = q.key`, an equality.
                let o = fresh("o")
                let k = q(try fieldName(ruleEntity, key))
                conds.insert("\(o).\(k) = \(alias(0)).\(k)", at: 0)
                from += ", \(q(try entity(ruleEntity).name)) \(o)"
                let saved = recordAlias
                recordAlias = o
                defer { recordAlias = saved }
                w = try compile(condition)
            } else {
                w = try condition.map { try compile($0) }
            }
            let x = try value.map { try compile($0) }
            let (state, result) = try sparkAggregate(kind, from, conds, w, x)
            return withOuters(outers, state: state, value: state == "0" ? result : "CASE WHEN \(state) = 0 THEN \(result) END")
        }
        let w = try condition.map { try compile($0) }
        let x = try value.map { try compile($0) }
        let kept = w.map { "CASE WHEN \($0.v) THEN 1 ELSE 0 END" }
        let nKept = kept.map { "COALESCE(SUM(\($0)), 0)" } ?? "COUNT(*)"
        func keptValue() throws -> SQLPair {
            guard let x else { throw fail("\(kind) 缺少被聚合的值", "\(kind) has no aggregated value") }
            return x
        }
        var rowState: String
        switch kind {
        case "count", "any", "all": rowState = w?.s ?? "0"
        case "sum", "avg", "min", "max":
            let xv = try keptValue()
            if let w {
                rowState = w.known ? (xv.known ? "0" : "CASE WHEN \(w.v) THEN \(xv.s) ELSE 0 END")
                                   : "CASE WHEN \(w.s) <> 0 THEN \(w.s) WHEN \(w.v) THEN \(xv.s) ELSE 0 END"
            } else {
                rowState = xv.s
            }
        default: throw fail("未知的聚合 \(kind)", "unknown aggregate \(kind)")
        }
        let groupState = rowState == "0" ? "0" : "COALESCE(MAX(\(rowState)), 0)"
        var state: String
        var result: String
        switch kind {
        case "count":
            state = groupState
            result = "CAST(\(nKept) AS \(double))"
        case "sum":
            let xv = try keptValue()
            let sum = "COALESCE(SUM(\(w.map { "CASE WHEN \($0.v) THEN \(xv.v) END" } ?? xv.v)), \(num(0)))"
            state = groupState == "0" ? "CASE WHEN \(isFinite(sum)) THEN 0 ELSE 1 END"
                                      : "CASE WHEN \(groupState) <> 0 THEN \(groupState) WHEN \(isFinite(sum)) THEN 0 ELSE 1 END"
            result = "CAST(\(sum) AS \(double))"
        case "avg", "min", "max":
            let xv = try keptValue()
            let f = kind.uppercased()
            let agg = "\(f)(\(w.map { "CASE WHEN \($0.v) THEN \(xv.v) END" } ?? xv.v))"
            let overflow = kind == "avg" ? "WHEN NOT \(isFinite(agg)) THEN 1 " : ""
            state = groupState == "0" ? "CASE WHEN \(nKept) = 0 THEN 2 \(overflow)ELSE 0 END"
                                      : "CASE WHEN \(groupState) <> 0 THEN \(groupState) WHEN \(nKept) = 0 THEN 2 \(overflow)ELSE 0 END"
            result = "CAST(\(agg) AS \(double))"
        case "any":
            state = groupState == "0" ? "0" : "CASE WHEN \(nKept) > 0 THEN 0 ELSE \(groupState) END"
            result = "(\(nKept) > 0)"
        default: // all
            let nFalse = w.map { "COALESCE(SUM(CASE WHEN NOT \($0.v) THEN 1 ELSE 0 END), 0)" } ?? "0"
            state = groupState == "0" ? "0" : "CASE WHEN \(nFalse) > 0 THEN 0 ELSE \(groupState) END"
            result = "(\(nFalse) = 0)"
        }
        let whereClause = conds.isEmpty ? "" : " WHERE " + conds.joined(separator: " AND ")
        let stateSQL = state == "0" ? "0" : "(SELECT \(state) FROM \(table) \(a)\(whereClause))"
        let valueSQL = "(SELECT " + (state == "0" ? result : "CASE WHEN \(state) = 0 THEN \(result) END") + " FROM \(table) \(a)\(whereClause))"
        return withOuters(outers, state: stateSQL, value: valueSQL)
    }

    func withOuters(_ outers: [SQLPair], state stateSQL: String, value valueSQL: String) -> SQLPair {
        let unknownOuters = outers.filter { !$0.known }
        if unknownOuters.isEmpty { return SQLPair(v: valueSQL, s: stateSQL) }
        // An unknown join value makes the aggregate that unknown (the first, in join order).
        let s = "CASE " + unknownOuters.map { "WHEN \($0.s) <> 0 THEN \($0.s) " }.joined() + "ELSE \(stateSQL) END"
        let v = "CASE WHEN \(allKnown(unknownOuters)) THEN \(valueSQL) END"
        return SQLPair(v: v, s: s)
    }

    /// The aggregate for Spark SQL: the residual `where` goes into the
    /// subqueries' WHERE and EXISTS (which Spark decorrelates even when they
    /// mix the aggregated and the enclosing record), never inside an
    /// aggregate function. Same meaning as the form above: the state is the
    /// worst unknown of the joined rows, found with one EXISTS per code.
    func sparkAggregate(_ kind: String, _ from: String, _ conds: [String], _ w: SQLPair?, _ x: SQLPair?)
        throws -> (state: String, value: String) {
        let joined = conds.isEmpty ? "TRUE" : conds.joined(separator: " AND ")
        func exists(_ predicate: String) -> String { "EXISTS (SELECT 1 FROM \(from) WHERE \(joined) AND \(predicate))" }
        let keptWhere = joined + (w.map { " AND \($0.v)" } ?? "")
        func over(_ expr: String) -> String { "(SELECT \(expr) FROM \(from) WHERE \(keptWhere))" }
        func keptValue() throws -> SQLPair {
            guard let x else { throw fail("\(kind) 缺少被聚合的值", "\(kind) has no aggregated value") }
            return x
        }
        var rowState: String
        switch kind {
        case "count", "any", "all": rowState = w?.s ?? "0"
        case "sum", "avg", "min", "max":
            let xv = try keptValue()
            if let w {
                rowState = w.known ? (xv.known ? "0" : "CASE WHEN \(w.v) THEN \(xv.s) ELSE 0 END")
                                   : "CASE WHEN \(w.s) <> 0 THEN \(w.s) WHEN \(w.v) THEN \(xv.s) ELSE 0 END"
            } else {
                rowState = xv.s
            }
        default: throw fail("未知的聚合 \(kind)", "unknown aggregate \(kind)")
        }
        let groupState = rowState == "0" ? "0"
            : "CASE WHEN \(exists("(\(rowState)) = 2")) THEN 2 WHEN \(exists("(\(rowState)) = 1")) THEN 1 ELSE 0 END"
        let nKept = over("COUNT(*)")
        switch kind {
        case "count":
            return (groupState, "CAST(\(nKept) AS \(double))")
        case "sum":
            let sum = "CAST(\(over("COALESCE(SUM(\(try keptValue().v)), \(num(0)))")) AS \(double))"
            let unknown = groupState == "0" ? "" : "WHEN \(groupState) <> 0 THEN \(groupState) "
            return ("CASE \(unknown)WHEN \(isFinite(sum)) THEN 0 ELSE 1 END", sum)
        case "avg", "min", "max":
            let agg = "CAST(\(over("\(kind.uppercased())(\(try keptValue().v))")) AS \(double))"
            let unknown = groupState == "0" ? "" : "WHEN \(groupState) <> 0 THEN \(groupState) "
            let overflow = kind == "avg" ? "WHEN NOT \(isFinite(agg)) THEN 1 " : ""
            return ("CASE \(unknown)WHEN \(nKept) = 0 THEN 2 \(overflow)ELSE 0 END", agg)
        case "any":
            let found = "EXISTS (SELECT 1 FROM \(from) WHERE \(keptWhere))"
            return (groupState == "0" ? "0" : "CASE WHEN \(found) THEN 0 ELSE \(groupState) END", found)
        default: // all
            guard let w else { return ("0", "TRUE") }
            let falsified = exists("NOT \(w.v)")
            return (groupState == "0" ? "0" : "CASE WHEN \(falsified) THEN 0 ELSE \(groupState) END", "(NOT \(falsified))")
        }
    }

    // MARK: rules

    func query() throws -> String {
        var out = "-- dabiao \(dabiaoVersion) sql --dialect \(d.rawValue) --as-of \(CivilDate.format(asOf))\n"
        out += "-- One row per (rule, record) the rule's for … where selects: ruleset, rule, entity, key, outcome, level, measures.\n"
        out += "-- Tables as `dabiao sql --schema` creates them, prev_ENTITY for the baseline (docs/sql.md).\n"
        let parts = try m.rules.map { try ruleQuery($0) }
        if parts.isEmpty {
            out += "SELECT CAST(NULL AS \(text)) AS \(q("ruleset")), CAST(NULL AS \(text)) AS \(q("rule")), CAST(NULL AS \(text)) AS \(q("entity")), "
            out += "CAST(NULL AS \(text)) AS \(q("key")), CAST(NULL AS \(text)) AS \(q("outcome")), CAST(NULL AS \(text)) AS \(q("level")), "
            out += "CAST(NULL AS \(text)) AS \(q("measures")) WHERE 1 = 0;\n"
            return out
        }
        out += parts.joined(separator: "\nUNION ALL\n")
        out += "\nORDER BY 1, 2, 4;\n"
        return out
    }

    /// The locals in layers: a local reads only locals of earlier layers, so
    /// each is computed once per record, as the engine's memoised slots.
    func layers(_ locals: [SQLModel.Local]) throws -> [[SQLModel.Local]] {
        var bySlot: [Int: SQLModel.Local] = [:]
        for l in locals { bySlot[l.slot] = l }
        var level: [Int: Int] = [:]
        func depth(_ slot: Int, _ visiting: Set<Int>) throws -> Int {
            if let known = level[slot] { return known }
            guard let l = bySlot[slot] else { throw fail("IR 中的局部量 \(slot) 不存在", "local slot \(slot) is not in the IR") }
            guard !visiting.contains(slot) else { throw fail("局部量循环引用", "the locals refer to each other in a cycle") }
            var deepest = -1
            for r in Self.localsRead(l.expr) { deepest = max(deepest, try depth(r, visiting.union([slot]))) }
            level[slot] = deepest + 1
            return deepest + 1
        }
        var out: [[SQLModel.Local]] = []
        for l in locals.sorted(by: { $0.slot < $1.slot }) {
            let k = try depth(l.slot, [])
            while out.count <= k { out.append([]) }
            out[k].append(l)
        }
        return out
    }

    /// Whether `e`, evaluated inside the aggregate at `depth`, reads a record
    /// of an enclosing scope (a field or `prev` at a smaller depth, or a
    /// rule's local, which belongs to depth 0).
    static func readsOutside(_ e: SQLModel.Expr, _ depth: Int) -> Bool {
        func r(_ x: SQLModel.Expr) -> Bool { readsOutside(x, depth) }
        switch e {
        case .constant: return false
        case .field(let d, _, _), .prevField(let d, _, _): return d < depth
        case .local: return true
        case .refField(let b, _, _), .negate(let b), .not(let b): return r(b)
        case .arith(_, let a, let b), .compare(_, _, let a, let b), .logic(_, let a, let b): return r(a) || r(b)
        case .between(_, let a, let b, let c), .ifThen(let a, let b, let c): return r(a) || r(b) || r(c)
        case .inList(_, let a, let xs): return ([a] + xs).contains(where: r)
        case .match(_, let s, let arms, let o):
            return ([s] + arms.flatMap { $0.patterns + [$0.value] } + (o.map { [$0] } ?? [])).contains(where: r)
        case .call(_, let xs, _): return xs.contains(where: r)
        case .aggregate(_, _, _, let v, let joins, let w):
            return ((v.map { [$0] } ?? []) + joins.map(\.outer) + (w.map { [$0] } ?? [])).contains(where: r)
        }
    }

    static func localsRead(_ e: SQLModel.Expr) -> [Int] {
        switch e {
        case .constant, .field, .prevField: return []
        case .local(let slot): return [slot]
        case .refField(let b, _, _), .negate(let b), .not(let b): return localsRead(b)
        case .arith(_, let a, let b), .compare(_, _, let a, let b), .logic(_, let a, let b): return localsRead(a) + localsRead(b)
        case .between(_, let a, let b, let c), .ifThen(let a, let b, let c): return localsRead(a) + localsRead(b) + localsRead(c)
        case .inList(_, let a, let xs): return ([a] + xs).flatMap(localsRead)
        case .match(_, let s, let arms, let o):
            return ([s] + arms.flatMap { $0.patterns + [$0.value] } + (o.map { [$0] } ?? [])).flatMap(localsRead)
        case .call(_, let xs, _): return xs.flatMap(localsRead)
        case .aggregate(_, _, _, let v, let joins, let w):
            return ((v.map { [$0] } ?? []) + joins.map(\.outer) + (w.map { [$0] } ?? [])).flatMap(localsRead)
        }
    }

    func ruleQuery(_ r: SQLModel.Rule) throws -> String {
        rule = r.code
        ruleEntity = r.entity
        let e = try entity(r.entity)
        guard let keyIndex = e.keyField, e.fields.indices.contains(keyIndex) else {
            throw fail("实体 \(e.name) 没有 key 字段，结果无法对应到记录", "the entity \(e.name) has no key field, so results could not name their records")
        }
        let keyField = e.fields[keyIndex]
        guard keyField.kind == "text" || keyField.kind == "ref" else {
            throw fail("实体 \(e.name) 的 key 不是文本", "the key of the entity \(e.name) is not text")
        }
        var from = "\(q(e.name)) q"
        for layer in try layers(r.locals) {
            let cols = try layer.map { l -> String in
                let p = try compile(l.expr)
                return "\(p.v) AS \(q(localColumn(l.slot, "v"))), \(p.s) AS \(q(localColumn(l.slot, "s")))"
            }
            from = "(SELECT q.*, \(cols.joined(separator: ", ")) FROM \(from)\(fence)) q"
        }
        // The conditions as columns, so the outcome reads each once.
        var cols: [String] = []
        func column(_ name: String, _ p: SQLPair) {
            cols.append("\(p.v) AS \(q(name + "_v")), \(p.s) AS \(q(name + "_s"))")
        }
        for (i, f) in r.filters.enumerated() { column("dabiao_f\(i)", try compile(f)) }
        if let w = r.when { column("dabiao_w", try compile(w)) }
        for (i, req) in r.requires.enumerated() { column("dabiao_r\(i)", try compile(req.expr)) }
        if !cols.isEmpty { from = "(SELECT q.*, \(cols.joined(separator: ", ")) FROM \(from)\(fence)) q" }

        func col(_ name: String) -> String { "q.\(q(name))" }
        var cases: [String] = []
        for i in r.filters.indices {
            let v = col("dabiao_f\(i)_v"), s = col("dabiao_f\(i)_s")
            cases.append("WHEN \(s) = 2 THEN 'missing' WHEN \(s) = 1 THEN 'undefined' WHEN NOT \(v) THEN 'excluded'")
        }
        if r.when != nil {
            let v = col("dabiao_w_v"), s = col("dabiao_w_s")
            cases.append("WHEN \(s) = 2 THEN 'missing' WHEN \(s) = 1 THEN 'undefined' WHEN NOT \(v) THEN 'not-applicable'")
        }
        let failed = r.requires.indices.map { "NOT \(col("dabiao_r\($0)_v"))" }
        if !failed.isEmpty {
            // A definite failure outranks unknowns; missing outranks undefined.
            cases.append("WHEN \(failed.joined(separator: " OR ")) THEN 'fail'")
            cases.append("WHEN " + r.requires.indices.map { "\(col("dabiao_r\($0)_s")) = 2" }.joined(separator: " OR ") + " THEN 'missing'")
            cases.append("WHEN " + r.requires.indices.map { "\(col("dabiao_r\($0)_s")) = 1" }.joined(separator: " OR ") + " THEN 'undefined'")
        }
        let outcomeCase = "CASE " + cases.map { $0 + " " }.joined() + "ELSE 'pass' END"
        from = "(SELECT q.*, \(outcomeCase) AS \(q("dabiao_o")) FROM \(from)) q"

        // The most severe failed require.
        var levelCases: [String] = []
        for level in ["error", "warning", "info"] {
            let these = r.requires.indices.filter { r.requires[$0].level == level }.map { "NOT \(col("dabiao_r\($0)_v"))" }
            if !these.isEmpty { levelCases.append("WHEN \(these.joined(separator: " OR ")) THEN '\(level)'") }
        }
        for req in r.requires where !["error", "warning", "info"].contains(req.level) {
            throw fail("未知的级别 \(req.level)", "unknown level \(req.level)")
        }
        let outcome = col("dabiao_o")
        let level = levelCases.isEmpty ? "CAST(NULL AS \(text))"
            : "CASE WHEN \(outcome) = 'fail' THEN CASE \(levelCases.joined(separator: " ")) END END"
        var finalOutcome = outcome
        let waivers = m.waivers.filter { $0.rule == r.code && $0.entity == r.entity }
        if !waivers.isEmpty {
            let rows = waivers.map { "(\(lit($0.key)), \(date($0.until)))" }.joined(separator: ", ")
            let key = col(keyField.name)
            finalOutcome = "CASE WHEN \(outcome) = 'fail' AND EXISTS (SELECT 1 FROM (VALUES \(rows)) AS w(wkey, wuntil) "
                + "WHERE w.wkey = \(key) AND w.wuntil >= \(date(CivilDate.format(asOf)))) THEN 'waived' ELSE \(outcome) END"
        }
        return "SELECT \(lit(r.ruleset)) AS \(q("ruleset")), \(lit(r.code)) AS \(q("rule")), \(lit(e.name)) AS \(q("entity")), "
            + "CAST(\(col(keyField.name)) AS \(text)) AS \(q("key")), \(finalOutcome) AS \(q("outcome")), \(level) AS \(q("level")), "
            + "\(measures(r)) AS \(q("measures"))\nFROM \(from)" + selection(r, col)
    }

    /// The rows the rule's `for … where` keeps. DuckDB and PostgreSQL test the
    /// outcome. Spark substitutes every column a `WHERE` reads by its
    /// expression as it moves the filter down through the layers (the
    /// optimizer's PushDownPredicates, then the planner's PhysicalOperation,
    /// whatever the optimizer settings), and the outcome reads every require,
    /// which reads the locals, which read the locals below: a test of the
    /// outcome grows exponentially with the depth of the layers (the samples'
    /// query never finished planning). For Spark the `WHERE` reads the filter
    /// columns only, in the outcome's order: a filter that is unknown keeps
    /// the row (missing, undefined), one that is false drops it; a rule
    /// without a filter has no `WHERE`.
    func selection(_ r: SQLModel.Rule, _ col: (String) -> String) -> String {
        guard d == .spark else { return "\nWHERE \(col("dabiao_o")) <> 'excluded'" }
        if r.filters.isEmpty { return "" }
        let tests = r.filters.indices.map { i in
            "WHEN \(col("dabiao_f\(i)_s")) <> 0 THEN TRUE WHEN NOT \(col("dabiao_f\(i)_v")) THEN FALSE "
        }
        return "\nWHERE CASE " + tests.joined() + "ELSE TRUE END"
    }

    /// `{"name": value}` in the measure's unit, rounded as the report rounds
    /// (roundForReport: six places below 9·10⁹), null when not a known number.
    func measures(_ r: SQLModel.Rule) -> String {
        if r.measures.isEmpty { return lit("{}") }
        var parts: [String] = []
        for (i, ms) in r.measures.enumerated() {
            var name = ""
            JSON.escape(ms.name, into: &name)
            parts.append(lit((i == 0 ? "{" : ", ") + name + ": "))
            let isNumber = r.locals.first { $0.slot == ms.slot }?.type == "number"
            guard isNumber else {
                parts.append(lit("null"))
                continue
            }
            let v = "q.\(q(localColumn(ms.slot, "v")))"
            let x = ms.scale == 1 ? v : "(\(v) / \(num(ms.scale)))"
            let rounded = "(\(roundHalfAway("(\(x) * \(num(1e6)))")) / \(num(1e6)) + \(num(0)))"
            let shown = "CASE WHEN ABS(\(x)) < \(num(9e9)) THEN \(rounded) ELSE \(x) END"
            parts.append("COALESCE(CAST(\(shown) AS \(text)), 'null')")
        }
        parts.append(lit("}"))
        return "(" + parts.joined(separator: " || ") + ")"
    }
}
