import Foundation

/// Per-worker evaluation state: which record sits at each scope depth, the
/// memoised lets of the record being evaluated, and the one input the
/// rectification solver may override.
struct EvalContext {
    var rows: [Int]
    var cache: [Value]
    var cacheGen: [UInt32]
    var gen: UInt32 = 1
    /// Values the rectification solver puts in place of fields of the
    /// current record (NaN: no override), and of one let or measure.
    var fieldOverrides: [Double]
    var hasFieldOverrides = false
    var overrideLocal: Int = -1
    var overrideLocalValue: Double = 0
    /// Reasons in words already made, per rule, kind of reason and set of
    /// unmet requires, when none of the words depends on the record: a run
    /// with a million failures shares a handful of strings.
    var reasonCache: [Int: Bilingual] = [:]

    init(slots: Int, fields: Int = 0) {
        rows = Array(repeating: 0, count: Checker.maxAggregateDepth + 2)
        cache = Array(repeating: .undefined(.internalError), count: max(1, slots))
        cacheGen = Array(repeating: 0, count: max(1, slots))
        fieldOverrides = Array(repeating: .nan, count: max(1, fields))
    }

    mutating func clearOverrides() {
        if hasFieldOverrides {
            for i in fieldOverrides.indices { fieldOverrides[i] = .nan }
            hasFieldOverrides = false
        }
        overrideLocal = -1
    }

    mutating func override(field: Int, _ v: Double) {
        guard field < fieldOverrides.count else { return }
        fieldOverrides[field] = v
        hasFieldOverrides = true
    }

    /// Forget memoised lets: a new record, or a new override.
    mutating func reset(row: Int) {
        rows[0] = row
        gen &+= 1
        if gen == 0 {
            for i in cacheGen.indices { cacheGen[i] = 0 }
            gen = 1
        }
    }
}

typealias Eval = @Sendable (inout EvalContext) -> Value

/// The outer column of a text join, with its codes in the inner column's terms.
final class Translation: Sendable {
    let depth: Int
    let column: Column
    let codes: [Int32]
    let name: String
    init(depth: Int, column: Column, codes: [Int32], name: String) {
        self.depth = depth
        self.column = column
        self.codes = codes
        self.name = name
    }
}

/// Row sets for `inner.field == outer` joins, built once per run.
final class JoinIndex: @unchecked Sendable {
    // Text joins: rows grouped by the inner column's text code (CSR layout).
    var offsets: [Int32] = []
    var rows: [Int32] = []
    var codes = TextDictionary()
    // Other joins: rows by value.
    var byValue: [Double: [Int32]] = [:]
    let isText: Bool

    init(column: Column, isText: Bool, count: Int) {
        self.isText = isText
        if isText {
            codes = column.dict
            var counts = [Int32](repeating: 0, count: column.dict.count + 1)
            let count = min(count, column.count)
            for r in 0..<count {
                let v = column[r]
                // Codes come from the column's own dictionary; anything else joins nothing.
                if v >= 0, v < Double(column.dict.count) { counts[Int(v) + 1] += 1 }
            }
            for i in 1..<counts.count { counts[i] += counts[i - 1] }
            offsets = counts
            var fill = counts
            rows = [Int32](repeating: 0, count: Int(counts.last ?? 0))
            for r in 0..<count {
                let v = column[r]
                if v >= 0, v < Double(column.dict.count) {
                    let c = Int(v)
                    rows[Int(fill[c])] = Int32(r)
                    fill[c] += 1
                }
            }
        } else {
            for r in 0..<min(count, column.count) {
                let v = column[r]
                if !v.isNaN { byValue[v, default: []].append(Int32(r)) }
            }
        }
    }

    /// A join whose outer side is not a text column looks its texts up
    /// here one by one (`lookup`): the dictionary needs its table again
    /// (given up after loading). Called while plans are compiled, before
    /// any record is evaluated.
    func indexTexts() {
        codes.restoreIndex()
    }

    /// Rows whose inner text has this code.
    @inline(__always) func rows(code c: Int32) -> ArraySlice<Int32> {
        let i = Int(c)
        guard c >= 0, i + 1 < offsets.count else { return [] }
        return rows[Int(offsets[i])..<Int(offsets[i + 1])]
    }

    func lookup(_ v: Value) -> ArraySlice<Int32> {
        switch v {
        case .text(let s):
            guard isText, let c = codes.code(of: s) else { return [] }
            return rows[Int(offsets[Int(c)])..<Int(offsets[Int(c) + 1])]
        case .number(let d):
            return byValue[d].map { $0[...] } ?? []
        case .date(let d):
            return byValue[Double(d)].map { $0[...] } ?? []
        case .bool(let b):
            return byValue[b ? 1 : 0].map { $0[...] } ?? []
        case .missing, .undefined:
            return []
        }
    }
}

/// Turns checked expressions into closures bound to the data of one run, in
/// the manner of cel-go's planner: evaluation never walks the tree or looks a
/// name up.
struct ExprCompiler {
    let program: Program
    let data: Dataset
    let baseline: Dataset?
    var locals: [Eval] = []
    var joinIndexes: [FieldRef: JoinIndex]
    /// Outer key columns already translated into an index's codes, by index and column.
    var translations: [TranslationKey: Translation]
    /// Context slots for per-record memos of aggregates start after the rule's lets.
    var slotBase = 0
    private(set) var memoSlots = 0

    init(program: Program, data: Dataset, baseline: Dataset?, joinIndexes: [FieldRef: JoinIndex], translations: [TranslationKey: Translation] = [:]) {
        self.program = program
        self.data = data
        self.baseline = baseline
        self.joinIndexes = joinIndexes
        self.translations = translations
    }

    func fieldName(_ e: Int, _ f: Int, depth: Int) -> String {
        let name = program.entities[e].fields[f].name
        return depth == 0 ? name : "\(program.entities[e].name).\(name)"
    }

    static func read(_ column: Column, _ kind: FieldKind, _ row: Int, missing: String) -> Value {
        guard row >= 0, row < column.count else { return .missing([missing]) }
        let v = column[row]
        if v.isNaN { return .missing([missing]) }
        switch kind {
        // An infinite cell is no number the rules can reason about.
        case .number: return v.isFinite ? .number(v) : .undefined(.infiniteValue)
        case .text, .ref:
            guard v >= 0, v < Double(column.dict.count) else { return .missing([missing]) }
            return .text(column.dict.text(Int(v)))
        case .bool: return .bool(v != 0)
        case .date:
            guard let d = Int(exactly: v) else { return .undefined(.internalError) }
            return .date(d)
        }
    }

    mutating func compile(_ t: TExpr) -> Eval {
        switch t {
        case .constant(let v):
            if case .number(let d) = v, !d.isFinite { return { _ in .undefined(.overflow) } }
            return { _ in v }
        case .field(let depth, let e, let f):
            let column = data.tables[e].columns[f]
            let kind = program.entities[e].fields[f].kind
            let name = fieldName(e, f, depth: depth)
            if depth == 0 {
                return { ctx in
                    if ctx.hasFieldOverrides, f < ctx.fieldOverrides.count, !ctx.fieldOverrides[f].isNaN {
                        return finiteNumber(ctx.fieldOverrides[f])
                    }
                    return ExprCompiler.read(column, kind, ctx.rows[0], missing: name)
                }
            }
            return { ctx in ExprCompiler.read(column, kind, ctx.rows[depth], missing: name) }
        case .prevField(let depth, let e, let f):
            let name = "prev." + program.entities[e].fields[f].name
            guard let base = baseline, let keyField = program.entities[e].keyField else {
                return { _ in .missing([name]) }
            }
            let keys = data.tables[e].columns[keyField]
            let table = base.tables[e]
            let column = table.columns[f]
            let kind = program.entities[e].fields[f].kind
            return { ctx in
                guard let key = keys.text(ctx.rows[depth]), let row = table.row(forKey: key) else { return .missing([name]) }
                return ExprCompiler.read(column, kind, row, missing: name)
            }
        case .refField(let b, let target, let f):
            let base = compile(b)
            let table = data.tables[target]
            let column = table.columns[f]
            let kind = program.entities[target].fields[f].kind
            let name = "\(program.entities[target].name).\(program.entities[target].fields[f].name)"
            let byText: Eval = { ctx in
                let k = base(&ctx)
                guard case .text(let key) = k else { return isUnknown(k) ? k : .missing([name]) }
                guard let row = table.row(forKey: key) else { return .missing([name]) }
                return ExprCompiler.read(column, kind, row, missing: name)
            }
            // `host.employees` with `host` a text field: each of its codes is
            // turned into a row of the target once, so a record reads no text.
            guard case .field(let depth, let e, let rf) = b, program.entities[e].fields[rf].kind.isText,
                  let keyField = program.entities[target].keyField, keyField < table.columns.count else { return byText }
            let refs = data.tables[e].columns[rf]
            let cacheKey = TranslationKey(inner: FieldRef(entity: target, field: keyField), depth: depth,
                                          outer: FieldRef(entity: e, field: rf), into: .keyRows)
            let targetRows: [Int32]
            if let done = translations[cacheKey] {
                targetRows = done.codes
            } else {
                let count = table.count
                targetRows = refs.dict.translated(into: table.columns[keyField].dict).map { Int($0) < count ? $0 : -1 }
                translations[cacheKey] = Translation(depth: depth, column: refs, codes: targetRows, name: fieldName(e, rf, depth: depth))
            }
            return { ctx in
                let row = ctx.rows[depth]
                // A blank reference, a row past the column or a value the solver
                // put in place of the field: the text path says what it is.
                guard !(depth == 0 && ctx.hasFieldOverrides && rf < ctx.fieldOverrides.count && !ctx.fieldOverrides[rf].isNaN),
                      let code = refs.code(row), code >= 0, Int(code) < targetRows.count else {
                    return byText(&ctx)
                }
                let target = targetRows[Int(code)]
                guard target >= 0 else { return .missing([name]) }
                return ExprCompiler.read(column, kind, Int(target), missing: name)
            }
        case .local(let slot):
            let evals = locals
            guard slot < evals.count else { return { _ in .undefined(.internalError) } }
            let body = evals[slot]
            return { ctx in
                if ctx.overrideLocal == slot { return finiteNumber(ctx.overrideLocalValue) }
                if ctx.cacheGen[slot] == ctx.gen { return ctx.cache[slot] }
                let v = body(&ctx)
                ctx.cache[slot] = v
                ctx.cacheGen[slot] = ctx.gen
                return v
            }
        case .negate(let x):
            let a = compile(x)
            return { ctx in
                let v = a(&ctx)
                if case .number(let d) = v { return .number(-d) }
                return v
            }
        case .not(let x):
            let a = compile(x)
            return { ctx in
                let v = a(&ctx)
                if case .bool(let b) = v { return .bool(!b) }
                return v
            }
        case .arith(let op, let l, let r):
            let a = compile(l)
            let b = compile(r)
            return { ctx in
                let x = a(&ctx)
                let y = b(&ctx)
                guard case .number(let p) = x, case .number(let q) = y else { return mergeUnknown(x, y) ?? .undefined(.internalError) }
                return arithmetic(op, p, q)
            }
        case .compare(let op, let l, let r, let kind):
            if kind == .text, op == .eq || op == .ne, let fast = compileTextEquality(op == .eq, l, r) ?? compileTextEquality(op == .eq, r, l) {
                return fast
            }
            let a = compile(l)
            let b = compile(r)
            return { ctx in
                let x = a(&ctx)
                let y = b(&ctx)
                if let u = mergeUnknown(x, y) { return u }
                guard let c = compareValues(x, y) else { return .undefined(.internalError) }
                switch op {
                case .eq: return .bool(c == 0)
                case .ne: return .bool(c != 0)
                case .lt: return .bool(c < 0)
                case .le: return .bool(c <= 0)
                case .gt: return .bool(c > 0)
                case .ge: return .bool(c >= 0)
                default: return .undefined(.internalError)
                }
            }
        case .logic(let op, let l, let r):
            let a = compile(l)
            let b = compile(r)
            // Like CEL: a definite false (and) or true (or) decides, whichever
            // side it is on; otherwise missing outranks undefined.
            let decisive = op == .or
            return { ctx in
                let x = a(&ctx)
                if case .bool(let v) = x {
                    return v == decisive ? x : b(&ctx)
                }
                let y = b(&ctx)
                if case .bool(let v) = y, v == decisive { return y }
                return mergeUnknown(x, y) ?? .undefined(.internalError)
            }
        case .between(let x, let lo, let hi, _):
            let a = compile(x), l = compile(lo), h = compile(hi)
            return { ctx in
                let v = a(&ctx), p = l(&ctx), q = h(&ctx)
                if let u = mergeUnknown(v, p).map({ mergeUnknown($0, q) ?? $0 }) ?? mergeUnknown(v, q) ?? mergeUnknown(p, q) { return u }
                guard let c1 = compareValues(v, p), let c2 = compareValues(v, q) else { return .undefined(.internalError) }
                return .bool(c1 >= 0 && c2 <= 0)
            }
        case .inList(let x, let items, _):
            let a = compile(x)
            let bs = items.map { compile($0) }
            return { ctx in
                let v = a(&ctx)
                if isUnknown(v) { return v }
                var unknown: Value?
                for b in bs {
                    let w = b(&ctx)
                    if isUnknown(w) { unknown = unknown.map { mergeUnknown($0, w) ?? $0 } ?? w; continue }
                    if compareValues(v, w) == 0 { return .bool(true) }
                }
                return unknown ?? .bool(false)
            }
        case .ifThen(let c, let x, let y):
            let cc = compile(c), a = compile(x), b = compile(y)
            return { ctx in
                let v = cc(&ctx)
                guard case .bool(let t) = v else { return isUnknown(v) ? v : .undefined(.internalError) }
                return t ? a(&ctx) : b(&ctx)
            }
        case .match(let s, let arms, let elseValue, _):
            let subject = compile(s)
            let compiledArms = arms.map { arm in (arm.patterns.map { compile($0) }, compile(arm.value)) }
            let other = elseValue.map { compile($0) }
            return { ctx in
                let v = subject(&ctx)
                if isUnknown(v) { return v }
                for (pats, value) in compiledArms {
                    for p in pats {
                        let w = p(&ctx)
                        if isUnknown(w) { return w }
                        if compareValues(v, w) == 0 { return value(&ctx) }
                    }
                }
                // No arm and no else: the rule gave no value for this case.
                return other.map { $0(&ctx) } ?? .undefined(.noMatchingArm)
            }
        case .call(let b, let args, let scale):
            return compileCall(b, args.map { compile($0) }, scale: scale)
        case .aggregate(let a):
            return compileAggregate(AggregatePlan(a))
        }
    }

    /// `field == "文本"` compares the column's code with the literal's code,
    /// found once: no String is read per record.
    func compileTextEquality(_ equal: Bool, _ fieldSide: TExpr, _ literalSide: TExpr) -> Eval? {
        guard case .field(let depth, let e, let f) = fieldSide, case .constant(.text(let literal)) = literalSide else { return nil }
        switch program.entities[e].fields[f].kind {
        case .text, .ref: break
        default: return nil
        }
        let column = data.tables[e].columns[f]
        let target = column.dict.code(of: literal).map(Double.init) ?? -1
        let name = fieldName(e, f, depth: depth)
        return { ctx in
            let row = ctx.rows[depth]
            guard row >= 0, row < column.count else { return .missing([name]) }
            let v = column[row]
            if v.isNaN { return .missing([name]) }
            return .bool((v == target) == equal)
        }
    }

    /// A call evaluates its arguments in order and hands them to the
    /// builtin's one definition (`Builtin.apply`).
    func compileCall(_ b: Builtin, _ args: [Eval], scale: Double) -> Eval {
        switch args.count {
        case 1:
            let a = args[0]
            return { ctx in b.apply([a(&ctx)], scale: scale) }
        case 2:
            let a = args[0], c = args[1]
            return { ctx in
                let x = a(&ctx)
                return b.apply([x, c(&ctx)], scale: scale)
            }
        default:
            return { ctx in
                var values: [Value] = []
                values.reserveCapacity(args.count)
                for a in args { values.append(a(&ctx)) }
                return b.apply(values, scale: scale)
            }
        }
    }

    mutating func compileAggregate(_ plan: AggregatePlan) -> Eval {
        let table = data.tables[plan.entity]
        let count = table.count
        let depth = plan.depth
        let value = plan.value.map { compile($0) }
        let residual = plan.residual.map { compile($0) }
        var index: JoinIndex?
        var outer: Eval?
        var extraJoins: [(Int, Eval, FieldKind)] = []
        // `inner.text_field == "literal"`: the literal's code in that column, found once.
        var fixedValues: [Column] = []
        var fixedCodes: [Double] = []
        for (i, j) in plan.joins.enumerated() {
            let kind = program.entities[plan.entity].fields[j.field].kind
            if i == 0 {
                let keyName = FieldRef(entity: plan.entity, field: j.field)
                if let existing = joinIndexes[keyName] {
                    index = existing
                } else {
                    let isText: Bool
                    switch kind {
                    case .text, .ref: isText = true
                    default: isText = false
                    }
                    let built = JoinIndex(column: table.columns[j.field], isText: isText, count: count)
                    joinIndexes[keyName] = built
                    index = built
                }
                outer = compile(j.outer)
            } else if case .constant(.text(let literal)) = j.outer, kind.isText {
                fixedValues.append(table.columns[j.field])
                fixedCodes.append(table.columns[j.field].dict.code(of: literal).map(Double.init) ?? -1)
            } else {
                extraJoins.append((j.field, compile(j.outer), kind))
            }
        }
        let fixed = fixedCodes, fixedColumns = fixedValues
        /// Whether inner row `r` holds every literal; a blank cell (NaN) equals none.
        @Sendable func holdsLiterals(_ r: Int) -> Bool {
            for k in fixed.indices where fixedColumns[k][r] != fixed[k] { return false }
            return true
        }
        let columns = table.columns
        let kind = plan.kind
        let joinIndex = index, joinOuter = outer, otherJoins = extraJoins
        // When the outer side is a text column too, its codes are translated
        // to the inner column's codes once, so the join reads no text at run time.
        var translated: Translation?
        if let j = plan.joins.first, let index, index.isText, case .field(let d, let oe, let of) = j.outer {
            switch program.entities[oe].fields[of].kind {
            case .text, .ref:
                let key = TranslationKey(inner: FieldRef(entity: plan.entity, field: j.field), depth: d, outer: FieldRef(entity: oe, field: of))
                if let done = translations[key] {
                    translated = done
                } else {
                    let oc = data.tables[oe].columns[of]
                    let inner = index.codes
                    let codes = oc.dict.translated(into: inner)
                    let t = Translation(depth: d, column: oc, codes: codes, name: fieldName(oe, of, depth: d))
                    translations[key] = t
                    translated = t
                }
            default: break
            }
        }
        let translation = translated
        if translation == nil, let index, index.isText { index.indexTexts() }
        let entityName = program.entities[plan.entity].name
        // `count(inner where key == outer and tag == "literal")`: the count of
        // every group, from one pass over the inner rows in order, instead of
        // visiting each group's rows scattered over the table.
        var groupCounts: [Int32]?
        if kind == .count, residual == nil, extraJoins.isEmpty, !fixed.isEmpty, translation != nil,
           let index, index.isText, let key = plan.joins.first {
            let keys = table.columns[key.field]
            var counts = [Int32](repeating: 0, count: index.codes.count)
            let rows = fixedColumns.reduce(min(count, keys.count)) { min($0, $1.count) }
            for r in 0..<rows {
                let g = keys[r]
                guard g >= 0, g < Double(counts.count), holdsLiterals(r) else { continue }
                counts[Int(g)] += 1
            }
            groupCounts = counts
        }
        let countsByGroup = groupCounts
        let eval: Eval = { ctx in
            if let counts = countsByGroup, let t = translation {
                let row = ctx.rows[t.depth]
                guard row >= 0, row < t.column.count else { return .missing([t.name]) }
                let v = t.column[row]
                if v.isNaN { return .missing([t.name]) }
                guard v >= 0, v < Double(t.codes.count) else { return .number(0) }
                let g = Int(t.codes[Int(v)])
                return .number(g >= 0 && g < counts.count ? Double(counts[g]) : 0)
            }
            // The outer sides of the joins are read before the inner record moves.
            var candidates: ArraySlice<Int32>?
            if let joinIndex, let t = translation {
                let row = ctx.rows[t.depth]
                guard row >= 0, row < t.column.count else { return .missing([t.name]) }
                let v = t.column[row]
                if v.isNaN { return .missing([t.name]) }
                candidates = v >= 0 && v < Double(t.codes.count) ? joinIndex.rows(code: t.codes[Int(v)]) : []
            } else if let joinIndex, let joinOuter {
                let key = joinOuter(&ctx)
                if isUnknown(key) { return key }
                candidates = joinIndex.lookup(key)
            }
            // A plain count over one join is the size of the record's group.
            if kind == .count, residual == nil, otherJoins.isEmpty, fixed.isEmpty, let candidates {
                return .number(Double(candidates.count))
            }
            var extraKeys: [(Int, Value, FieldKind)] = []
            for (f, e, k) in otherJoins {
                let v = e(&ctx)
                if isUnknown(v) { return v }
                extraKeys.append((f, v, k))
            }
            var n = 0
            var sum = 0.0
            var best: Value?
            var unknown: Value?
            var anyTrue = false
            var allTrue = true
            func visit(_ row: Int, _ ctx: inout EvalContext) -> Bool {
                ctx.rows[depth] = row
                if !holdsLiterals(row) { return true }
                for (f, v, k) in extraKeys {
                    let inner = ExprCompiler.read(columns[f], k, row, missing: entityName)
                    if compareValues(inner, v) != 0 { return true }
                }
                if let residual {
                    let c = residual(&ctx)
                    switch c {
                    case .bool(true): break
                    case .bool(false):
                        if kind == .all { allTrue = false; return false }
                        return true
                    default:
                        unknown = unknown.map { mergeUnknown($0, c) ?? $0 } ?? c
                        return true
                    }
                }
                n += 1
                switch kind {
                case .count, .all: break
                case .any:
                    anyTrue = true
                    return false
                case .sum, .avg, .min, .max:
                    guard let value else { return true }
                    let v = value(&ctx)
                    if isUnknown(v) {
                        unknown = unknown.map { mergeUnknown($0, v) ?? $0 } ?? v
                        return true
                    }
                    if case .number(let d) = v { sum += d }
                    if kind == .min || kind == .max {
                        if let b = best, let c = compareValues(v, b) {
                            if kind == .max ? c > 0 : c < 0 { best = v }
                        } else if best == nil {
                            best = v
                        }
                    }
                }
                return true
            }
            let saved = ctx.rows[depth]
            if let candidates {
                for r in candidates where !visit(Int(r), &ctx) { break }
            } else {
                var r = 0
                while r < count, visit(r, &ctx) { r += 1 }
            }
            ctx.rows[depth] = saved
            switch kind {
            case .any: return anyTrue ? .bool(true) : (unknown ?? .bool(false))
            case .all: return !allTrue ? .bool(false) : (unknown ?? .bool(true))
            case .count: return unknown ?? .number(Double(n))
            // A sum that overflows is undefined, not an infinite pass or fail.
            case .sum: return unknown ?? finiteNumber(sum)
            case .avg:
                if let unknown { return unknown }
                return n == 0 ? .missing(["avg(\(entityName))"]) : finiteNumber(sum / Double(n))
            case .min, .max:
                if let unknown { return unknown }
                return best ?? .missing(["\(kind.rawValue)(\(entityName))"])
            }
        }
        // An aggregate's value changes only with the records it reads. One that
        // reads no record outside its own scope has one value for the run; one
        // that reads only the rule's record (`this`) has one value per record,
        // however many enclosing aggregate rows are visited meanwhile. Without
        // this, `count(E where count(E where x > this.x) > 0)` costs N³ visits.
        switch ExprCompiler.hoisting(plan) {
        case .none:
            return eval
        case .perRun:
            let once = OnceValue()
            return { ctx in once.get { eval(&ctx) } }
        case .perRecord:
            let slot = slotBase + memoSlots
            memoSlots += 1
            return { ctx in
                // A compiler other than the rule's own (explain) may number more memos than the context holds.
                guard slot < ctx.cache.count else { return eval(&ctx) }
                if ctx.cacheGen[slot] == ctx.gen { return ctx.cache[slot] }
                let v = eval(&ctx)
                ctx.cache[slot] = v
                ctx.cacheGen[slot] = ctx.gen
                return v
            }
        }
    }

    enum Hoisting: Equatable {
        case none, perRun, perRecord
    }

    /// How often an aggregate's value can change (see `compileAggregate`).
    static func hoisting(_ plan: AggregatePlan) -> Hoisting {
        let reads = depthsRead(plan)
        guard plan.depth >= 1, plan.depth < 64 else { return .none }
        // Bits 0 ..< depth: the rule's record and those of the enclosing aggregates.
        if reads & ((1 << UInt64(plan.depth)) - 1) == 0 { return .perRun }
        // Bits 1 ..< depth: the records of the enclosing aggregates.
        let enclosing: UInt64 = (1 << UInt64(plan.depth)) - 2
        return plan.depth >= 2 && reads & enclosing == 0 ? .perRecord : .none
    }

    static func depthsRead(_ plan: AggregatePlan) -> UInt64 {
        ([plan.value, plan.residual].compactMap { $0 } + plan.joins.map(\.outer)).reduce(0) { $0 | depthsRead($1) }
    }

    /// The scope depths an expression reads, one bit each. A let or measure
    /// belongs to the rule's record, depth 0.
    static func depthsRead(_ t: TExpr) -> UInt64 {
        func all(_ xs: [TExpr]) -> UInt64 { xs.reduce(0) { $0 | depthsRead($1) } }
        switch t {
        case .constant: return 0
        case .local: return 1
        case .field(let d, _, _), .prevField(let d, _, _): return d >= 0 && d < 64 ? 1 << UInt64(d) : 0
        case .refField(let b, _, _), .negate(let b), .not(let b): return depthsRead(b)
        case .arith(_, let a, let b), .compare(_, let a, let b, _), .logic(_, let a, let b): return all([a, b])
        case .between(let a, let b, let c, _), .ifThen(let a, let b, let c): return all([a, b, c])
        case .inList(let a, let xs, _): return all([a] + xs)
        case .match(let x, let arms, let e, _): return all([x] + arms.flatMap { $0.patterns + [$0.value] } + (e.map { [$0] } ?? []))
        case .call(_, let xs, _): return all(xs)
        case .aggregate(let a): return depthsRead(AggregatePlan(a))
        }
    }
}

/// The value of a hoisted aggregate, computed by the first worker that
/// needs it; the others wait for it rather than compute it again.
final class OnceValue: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value?

    func get(_ compute: () -> Value) -> Value {
        lock.lock()
        defer { lock.unlock() }
        if let value { return value }
        let v = compute()
        value = v
        return v
    }
}

/// `p op q`, or nil when it has no value: division by zero, an overflow, an
/// operator that is not arithmetic (which the checker rules out). The block
/// path calls this once per row, so it makes no `Value`.
@inline(__always) func arithmeticResult(_ op: BinaryOp, _ p: Double, _ q: Double) -> Double? {
    let z: Double
    switch op {
    case .add: z = p + q
    case .sub: z = p - q
    case .mul: z = p * q
    case .div:
        if q == 0 { return nil }
        z = p / q
    default: return nil
    }
    return z.isFinite ? z : nil
}

/// `p op q`, or undefined with its cause.
@inline(__always) func arithmetic(_ op: BinaryOp, _ p: Double, _ q: Double) -> Value {
    if let z = arithmeticResult(op, p, q) { return .number(z) }
    switch op {
    case .div where q == 0: return .undefined(.divisionByZero)
    case .add, .sub, .mul, .div: return .undefined(.overflow)
    default: return .undefined(.internalError)
    }
}

/// An outer text column translated into an inner column's codes, once per
/// (inner field, outer field at its aggregate depth).
struct TranslationKey: Hashable, Sendable {
    var inner: FieldRef
    var depth: Int
    var outer: FieldRef
    var into: Terms = .joinIndex

    /// Which numbering the outer codes are turned into.
    enum Terms: Hashable, Sendable {
        /// The codes of the inner column's `JoinIndex`.
        case joinIndex
        /// Rows of the inner entity, whose key field `inner` names (a reference).
        case keyRows
    }
}
