/// Name resolution, types and units: turns the syntax trees of all files of
/// a project into one `Program`, reporting every problem it finds.
public struct Checker {
    /// Aggregates inside aggregates, at most this deep.
    public static let maxAggregateDepth = 12
    public static let maxLetChain = 64
    /// Tree depth summed along a chain of lets read while checking one
    /// another. Each tree is at most `Parser.maxDepth` deep, but the checker
    /// and the evaluator descend into a let where it is read, so a chain
    /// nests its trees; this keeps the whole descent well inside the stack.
    public static let maxChainedDepth = 512

    var files: [SourceFile]
    var diagnostics: [Diagnostic] = []
    var seen = Set<Diagnostic>()
    var units = UnitTable()
    var suggestions = Suggestions()
    var entities: [Entity] = []
    var entityIndex: [String: Int] = [:]

    // Per rule being checked.
    var scopes: [Int] = []
    var rule: RuleScope?

    struct LetSource {
        var expr: Expr
        var range: SourceRange
    }

    struct RuleScope {
        var lets: [String: LetSource]
        var slots: [String: Int] = [:]
        var inProgress: Set<String> = []
        var failed: Set<String> = []
        var locals: [Local] = []
        var chainedDepth = 0
    }

    public init(files: [SourceFile]) {
        self.files = files
    }

    mutating func report(_ d: Diagnostic) {
        // An expression may be checked twice; the same error is reported once,
        // whether or not the suggestion budget lasted for its second check.
        var key = d
        key.help = nil
        if seen.insert(key).inserted { diagnostics.append(d) }
    }

    mutating func error(_ r: SourceRange, _ m: Text, help: Text? = nil) {
        report(Diagnostic(.error, r, m, help: help))
    }

    // MARK: project

    public mutating func check(_ asts: [RuleFileAST]) -> Program {
        var unitDecls: [UnitDecl] = []
        var entityDecls: [EntityDecl] = []
        var rulesetDecls: [RulesetDecl] = []
        var waiverDecls: [WaiverDecl] = []
        var testDecls: [TestDecl] = []
        for ast in asts {
            for d in ast.declarations {
                switch d {
                case .unit(let u): unitDecls.append(u)
                case .entity(let e): entityDecls.append(e)
                case .ruleset(let r): rulesetDecls.append(r)
                case .waiver(let w): waiverDecls.append(w)
                case .test(let t): testDecls.append(t)
                }
            }
        }
        checkUnits(unitDecls)
        checkEntities(entityDecls)

        var rulesets: [RulesetInfo] = []
        var rules: [CheckedRule] = []
        var ruleCodes: [String: SourceRange] = [:]
        var rulesetIDs: [String: SourceRange] = [:]
        for rs in rulesetDecls {
            if let prev = rulesetIDs[rs.id.text] {
                error(rs.id.range, Text("规则集 \(rs.id.text) 重复声明", "ruleset \(rs.id.text) is declared twice"),
                      help: Text("首次声明在 \(where_(prev))", "first declared at \(where_(prev))"))
            }
            rulesetIDs[rs.id.text] = rs.id.range
            let index = rulesets.count
            rulesets.append(RulesetInfo(id: rs.id.text, title: rs.title, version: rs.version, source: rs.source,
                                        owner: rs.owner, deadline: rs.deadline.map(deadline)))
            if rs.forClause == nil, rs.rules.contains(where: { $0.forClause == nil }) {
                error(rs.id.range, Text("规则集 \(rs.id.text) 没有 for 子句", "ruleset \(rs.id.text) has no for clause"),
                      help: Text("写明规则适用的实体，例如 for school where level == \"中职\"", "name the entity, e.g. for school where level == \"中职\""))
            }
            for r in rs.rules {
                if let prev = ruleCodes[r.code.text] {
                    error(r.code.range, Text("规则编号 \(r.code.text) 重复", "rule code \(r.code.text) is used twice"),
                          help: Text("首次使用在 \(where_(prev))；规则编号在整个项目中必须唯一", "first used at \(where_(prev)); rule codes are unique across the project"))
                }
                ruleCodes[r.code.text] = r.code.range
                if let cr = checkRule(r, in: rs, index: index) { rules.append(cr) }
            }
            // Ruleset lets no rule reads are still checked once.
            if let fc = rs.forClause, let e = entityIndex[fc.entity.text] {
                scopes = [e]
                rule = RuleScope(lets: Dictionary(rs.lets.map { ($0.name.text, LetSource(expr: $0.expr, range: $0.name.range)) }, uniquingKeysWith: { a, _ in a }))
                for l in rs.lets { _ = resolveLocal(l.name.text, at: l.name.range) }
                rule = nil
            }
        }
        let waivers = waiverDecls.compactMap { checkWaiver($0, codes: ruleCodes) }
        let tests = testDecls.map { checkTest($0, rules: rules) }
        return Program(files: files, units: units, entities: entities, rulesets: rulesets, rules: rules, waivers: waivers, tests: tests)
    }

    func where_(_ r: SourceRange) -> String {
        guard r.file >= 0, r.file < files.count else { return "?" }
        let (l, c) = files[r.file].location(of: r.start)
        return "\(files[r.file].path):\(l):\(c)"
    }

    func deadline(_ d: DeadlineAST) -> Deadline {
        switch d {
        case .date(let x): return .date(x)
        case .within(let n): return .within(days: n)
        }
    }

    // MARK: units

    mutating func checkUnits(_ decls: [UnitDecl]) {
        var byName: [String: UnitDecl] = [:]
        for u in decls {
            for n in [u.name] + u.aliases {
                if let prev = byName[n.text] {
                    error(n.range, Text("单位 \(n.text) 重复声明", "unit \(n.text) is declared twice"),
                          help: Text("首次声明在 \(where_(prev.name.range))", "first declared at \(where_(prev.name.range))"))
                } else {
                    byName[n.text] = u
                }
            }
        }
        var done: [String: UnitDefinition] = [:]
        var inProgress = Set<String>()
        func resolve(_ u: UnitDecl) -> UnitDefinition? {
            if let d = done[u.name.text] { return d }
            if inProgress.contains(u.name.text) {
                error(u.name.range, Text("单位 \(u.name.text) 的定义循环引用自身", "unit \(u.name.text) is defined in terms of itself"))
                return nil
            }
            inProgress.insert(u.name.text)
            defer { inProgress.remove(u.name.text) }
            let def: UnitDefinition
            if let (value, unitAST) = u.definition {
                if let ua = unitAST {
                    var result = DisplayUnit.none
                    for f in ua.factors {
                        guard let target = byName[f.name.text] else {
                            error(f.name.range, Text("未声明的单位 “\(f.name.text)”", "unknown unit '\(f.name.text)'"),
                                  help: suggestions.didYouMean(f.name.text, among: { Array(byName.keys) }))
                            return nil
                        }
                        guard let base = resolve(target) else { return nil }
                        var p = base.unit
                        if f.exponent < 0 { p = p.inverse() }
                        for _ in 1..<max(1, abs(f.exponent)) { p = p * (f.exponent < 0 ? base.unit.inverse() : base.unit) }
                        result = result * p
                    }
                    guard value > 0 else {
                        error(u.range, Text("单位换算系数必须为正数", "a unit's factor must be positive"))
                        return nil
                    }
                    guard isRepresentableScale(result.scale), isRepresentableScale(value * result.scale) else {
                        report(scaleOutOfRange(u.range))
                        return nil
                    }
                    def = UnitDefinition(name: u.name.text, unit: DisplayUnit(factors: [], scale: value * result.scale, dimension: result.dimension),
                                         isCounting: false, range: u.name.range)
                } else if value == 1 {
                    def = UnitDefinition(name: u.name.text, unit: .none, isCounting: true, range: u.name.range)
                } else {
                    error(u.range, Text("无量纲单位只能定义为 = 1", "a unit without a base unit must be = 1 (a counting unit)"),
                          help: Text("计数单位写作 unit \(u.name.text) = 1；换算单位写作 unit \(u.name.text) = 10000 元", "write unit \(u.name.text) = 1, or scale another unit: = 10000 元"))
                    return nil
                }
            } else {
                def = UnitDefinition(name: u.name.text, unit: DisplayUnit(factors: [], scale: 1, dimension: Dimension([u.name.text: 1])),
                                     isCounting: false, range: u.name.range)
            }
            done[u.name.text] = def
            return def
        }
        for u in decls {
            guard let d = resolve(u) else { continue }
            for n in [u.name] + u.aliases where units.byName[n.text] == nil {
                units.byName[n.text] = d
            }
        }
    }

    // MARK: entities

    mutating func checkEntities(_ decls: [EntityDecl]) {
        for e in decls {
            if entityIndex[e.name.text] != nil {
                error(e.name.range, Text("实体 \(e.name.text) 重复声明", "entity \(e.name.text) is declared twice"))
                continue
            }
            entityIndex[e.name.text] = entities.count
            entities.append(Entity(name: e.name.text, label: e.label ?? e.name.text, fields: [], keyField: nil, nameField: nil))
        }
        for e in decls {
            guard let ei = entityIndex[e.name.text], entities[ei].fields.isEmpty else { continue }
            var fields: [Field] = []
            var names: [String: SourceRange] = [:]
            for f in e.fields {
                if let prev = names[f.name.text] {
                    error(f.name.range, Text("字段 \(f.name.text) 重复声明", "field \(f.name.text) is declared twice"),
                          help: Text("首次声明在 \(where_(prev))", "first declared at \(where_(prev))"))
                    continue
                }
                names[f.name.text] = f.name.range
                if entityIndex[f.name.text] != nil {
                    error(f.name.range, Text("字段名 \(f.name.text) 与实体同名", "field \(f.name.text) has the name of an entity"),
                          help: Text("换一个字段名，例如 \(f.name.text)_code", "rename the field, e.g. \(f.name.text)_code"))
                }
                var kind: FieldKind
                var unit = DisplayUnit.none
                switch f.type {
                case .number(let u), .integer(let u):
                    let isInt: Bool
                    if case .integer = f.type { isInt = true } else { isInt = false }
                    kind = .number(integer: isInt)
                    if let u {
                        switch units.resolve(u, suggestions: &suggestions) {
                        case .success(let du): unit = du
                        case .failure(let d): report(d)
                        }
                    }
                case .text(let oneOf): kind = .text(oneOf: oneOf)
                case .bool: kind = .bool
                case .date: kind = .date
                case .ref(let target):
                    if let t = entityIndex[target.text] {
                        kind = .ref(entity: t)
                    } else {
                        error(target.range, Text("未声明的实体 “\(target.text)”", "unknown entity '\(target.text)'"),
                              help: suggestions.didYouMean(target.text, among: { Array(entityIndex.keys) }))
                        kind = .text(oneOf: nil)
                    }
                }
                if f.isKey, fields.contains(where: \.isKey) {
                    error(f.name.range, Text("实体 \(e.name.text) 只能有一个 key 字段", "entity \(e.name.text) can have only one key field"))
                }
                fields.append(Field(name: f.name.text, label: f.label ?? f.name.text, kind: kind, unit: unit,
                                    isOptional: f.isOptional && !f.isKey, isKey: f.isKey))
            }
            entities[ei].fields = fields
            entities[ei].keyField = fields.firstIndex { $0.isKey }
            entities[ei].nameField = fields.firstIndex { $0.name == "name" }
                ?? fields.firstIndex { $0.label.hasSuffix("名称") || $0.label.hasSuffix("姓名") }
        }
    }

    // MARK: rules

    mutating func checkRule(_ r: RuleDecl, in rs: RulesetDecl, index: Int) -> CheckedRule? {
        let forClause = r.forClause ?? rs.forClause
        guard let fc = forClause else { return nil }
        guard let e = entityIndex[fc.entity.text] else {
            error(fc.entity.range, Text("未声明的实体 “\(fc.entity.text)”", "unknown entity '\(fc.entity.text)'"),
                  help: suggestions.didYouMean(fc.entity.text, among: { Array(entityIndex.keys) }))
            return nil
        }
        let sameEntity = rs.forClause.map { $0.entity.text == fc.entity.text } ?? false
        var lets: [String: LetSource] = [:]
        if sameEntity {
            for l in rs.lets {
                if lets[l.name.text] != nil {
                    error(l.name.range, Text("名称 \(l.name.text) 重复定义", "\(l.name.text) is defined twice"))
                }
                lets[l.name.text] = LetSource(expr: l.expr, range: l.name.range)
            }
        }
        var ruleNames = Set<String>()
        func define(_ n: Name, _ e: Expr) {
            if ruleNames.contains(n.text) {
                error(n.range, Text("名称 \(n.text) 在规则 \(r.code.text) 中重复定义", "\(n.text) is defined twice in rule \(r.code.text)"))
            }
            ruleNames.insert(n.text)
            // A rule's own definitions shadow the ruleset's.
            lets[n.text] = LetSource(expr: e, range: n.range)
        }
        for l in r.lets { define(l.name, l.expr) }
        for m in r.measures { if let x = m.expr { define(m.name, x) } }
        for (name, src) in lets where entities[e].fieldIndex(name) != nil {
            error(src.range, Text("名称 \(name) 与实体 \(entities[e].name) 的字段同名", "\(name) has the name of a field of \(entities[e].name)"),
                  help: Text("换一个名称，字段可直接使用", "choose another name; the field can be used directly"))
        }
        scopes = [e]
        rule = RuleScope(lets: lets)
        defer { rule = nil; scopes = [] }

        var filters: [TExpr] = []
        if sameEntity, let f = rs.forClause?.filter { filters.append(checkBool(f, Text("for … where", "for … where"))) }
        if let rf = r.forClause?.filter { filters.append(checkBool(rf, Text("for … where", "for … where"))) }
        let when = r.when.map { checkBool($0, Text("when", "when")) }
        var measures: [CheckedMeasure] = []
        for m in r.measures {
            guard let slot = resolveLocal(m.name.text, at: m.name.range) else {
                if m.expr == nil {
                    error(m.name.range, Text("指标 \(m.name.text) 没有定义", "measure \(m.name.text) is not defined"),
                          help: Text("写成 measure \(m.name.text) = 表达式，或先用 let 定义它", "write measure \(m.name.text) = EXPR, or define it with let"))
                }
                continue
            }
            guard let local = rule?.locals[slot] else { continue }
            var unit = DisplayUnit.none
            switch local.type {
            case .number(let nt):
                unit = nt.unit
                if let u = m.unit {
                    switch units.resolve(u, suggestions: &suggestions) {
                    case .success(let du):
                        if du.dimension != nt.unit.dimension {
                            error(u.range, Text("指标 \(m.name.text) 的单位是 \(show(nt.unit))，不能以 \(show(du)) 显示",
                                                "measure \(m.name.text) is in \(show(nt.unit)) and cannot be shown in \(show(du))"))
                        }
                        unit = du
                    case .failure(let d): report(d)
                    }
                }
            case .poisoned: break
            default:
                if let u = m.unit {
                    error(u.range, Text("只有数值指标可以指定单位", "only a numeric measure has a unit"))
                }
            }
            measures.append(CheckedMeasure(name: m.name.text, slot: slot, unit: unit))
        }
        var requires: [CheckedRequire] = []
        for q in r.requires {
            let t = checkBool(q.expr, Text("require", "require"))
            let src = files.indices.contains(q.expr.range.file) ? files[q.expr.range.file].slice(q.expr.range.start, q.expr.range.end) : ""
            var sides: RequireSides?
            if case .binary(let op, let l, let rr) = q.expr.kind, op.isComparison {
                // Checked again for its parts; any diagnostic was already reported once.
                let (tl, al) = checkExpr(l)
                let (tr, ar) = checkExpr(rr)
                sides = RequireSides(op: op, left: tl, right: tr, leftType: al, rightType: ar)
            }
            requires.append(CheckedRequire(expr: t, level: q.level ?? r.severity ?? .error, label: q.label, source: src, sides: sides))
        }
        // A measure's `in UNIT` is how it is shown everywhere: in messages and fixes too.
        var shownIn: [Int: DisplayUnit] = [:]
        for (m, cm) in zip(r.measures, measures) where m.unit != nil { shownIn[cm.slot] = cm.unit }
        func shown(_ t: TExpr, _ ty: Ty) -> Ty {
            if case .local(let slot) = t, let u = shownIn[slot], case .number(let n) = ty { return .number(NumType(unit: u, whole: n.whole)) }
            return ty
        }
        var adjusts: [CheckedAdjust] = []
        for a in r.adjusts {
            if var ca = checkAdjust(a, entity: e) {
                if case .local(let slot) = ca.target, let u = shownIn[slot], a.step == nil {
                    guard isRepresentableScale(ca.step / ca.unit.scale * u.scale) else {
                        report(valueOutOfRange(a.name.range))
                        continue
                    }
                    ca.step = ca.step / ca.unit.scale * u.scale
                    ca.unit = u
                } else if case .local(let slot) = ca.target, let u = shownIn[slot] {
                    ca.unit = u
                }
                adjusts.append(ca)
            }
        }
        var message: [CheckedMessagePart]?
        if let m = r.message {
            message = m.parts.map { part in
                switch part {
                case .text(let t): return .text(t)
                case .expr(let x, let decimals):
                    let (t, ty) = checkExpr(x)
                    return .value(t, shown(t, ty), decimals: decimals)
                }
            }
        }
        return CheckedRule(code: r.code.text, title: r.title, ruleset: index, entity: e, filters: filters, when: when,
                           locals: rule?.locals ?? [], measures: measures, requires: requires, adjusts: adjusts, cite: r.cite, url: r.url ?? rs.url,
                           message: message, owner: r.owner ?? rs.owner, deadline: (r.deadline ?? rs.deadline).map(deadline),
                           severity: r.severity ?? .error, range: r.range)
    }

    mutating func checkAdjust(_ a: AdjustDecl, entity e: Int) -> CheckedAdjust? {
        let target: AdjustTarget
        let numType: NumType
        if let fi = entities[e].fieldIndex(a.name.text) {
            let f = entities[e].fields[fi]
            guard case .number(let isInt) = f.kind else {
                error(a.name.range, Text("只能调整数值字段，\(a.name.text) 不是数值", "only numbers can be adjusted; \(a.name.text) is not a number"))
                return nil
            }
            target = .field(fi)
            numType = NumType(unit: f.unit, whole: isInt)
        } else if let slot = resolveLocal(a.name.text, at: a.name.range, quietIfUnknown: true), let l = rule?.locals[slot] {
            guard case .number(let nt) = l.type else {
                if l.type != .poisoned {
                    error(a.name.range, Text("只能调整数值，\(a.name.text) 不是数值", "only numbers can be adjusted; \(a.name.text) is not a number"))
                }
                return nil
            }
            target = .local(slot)
            numType = nt
        } else {
            let names = { [entities, rule] in entities[e].fields.map(\.name) + Array(rule?.lets.keys ?? [:].keys) }
            error(a.name.range, Text("adjust 的对象 “\(a.name.text)” 不是字段，也不是 let 或 measure", "'\(a.name.text)' is not a field, let or measure"),
                  help: suggestions.didYouMean(a.name.text, among: names))
            return nil
        }
        var step = numType.whole ? numType.unit.scale : 0.01 * numType.unit.scale
        if let s = a.step {
            var su = DisplayUnit.none
            if let u = s.unit {
                switch units.resolve(u, suggestions: &suggestions) {
                case .success(let du): su = du
                case .failure(let d): report(d); return nil
                }
            } else {
                su = numType.unit
            }
            if su.dimension != numType.unit.dimension {
                error(s.range, Text("步长的单位 \(show(su)) 与 \(a.name.text) 的单位 \(show(numType.unit)) 不一致",
                                    "the step's unit \(show(su)) does not match \(a.name.text)'s unit \(show(numType.unit))"))
                return nil
            }
            guard s.value > 0 else {
                error(s.range, Text("步长必须为正数", "the step must be positive"))
                return nil
            }
            guard isRepresentableScale(s.value * su.scale) else {
                report(valueOutOfRange(s.range))
                return nil
            }
            step = s.value * su.scale
        }
        return CheckedAdjust(name: a.name.text, target: target, up: a.up, step: step, unit: numType.unit, action: a.action)
    }

    func show(_ u: DisplayUnit) -> String { u.symbol.isEmpty ? "无量纲数" : u.symbol }

    /// Checks a let or measure the first time it is read, giving it a slot.
    mutating func resolveLocal(_ name: String, at range: SourceRange, quietIfUnknown: Bool = false) -> Int? {
        // `rule` is mutated in place throughout: copying the scope per let
        // would make a file with many lets quadratic.
        guard let src = rule?.lets[name] else { return nil }
        if let slot = rule?.slots[name] { return slot }
        if rule?.failed.contains(name) == true { return nil }
        if rule?.inProgress.contains(name) == true {
            error(range, Text("let \(name) 循环引用自身", "let \(name) refers to itself in a cycle"),
                  help: Text("let 之间不能循环引用", "lets may not refer to each other in a cycle"))
            rule?.failed.insert(name)
            return nil
        }
        // Each let read while checking another nests the checker (and later the
        // evaluator) one level deeper; a bound keeps hostile files from the stack's end.
        if (rule?.inProgress.count ?? 0) >= Checker.maxLetChain {
            error(range, Text("let 之间的引用链过长（超过 \(Checker.maxLetChain) 层）", "lets refer to lets more than \(Checker.maxLetChain) levels deep"),
                  help: Text("减少 let 之间的层层引用", "flatten the chain of lets"))
            rule?.failed.insert(name)
            return nil
        }
        let depth = src.expr.depth
        if (rule?.chainedDepth ?? 0) + depth > Checker.maxChainedDepth {
            error(range, Text("let 之间层层引用，表达式合计嵌套过深（超过 \(Checker.maxChainedDepth) 层）",
                              "lets read lets so deeply that their expressions nest more than \(Checker.maxChainedDepth) levels"),
                  help: Text("减少 let 之间的层层引用，或把长表达式拆短", "flatten the chain of lets, or shorten the long expressions"))
            rule?.failed.insert(name)
            return nil
        }
        rule?.chainedDepth += depth
        rule?.inProgress.insert(name)
        // A let is evaluated for the current record, whatever aggregate reads it.
        let savedScopes = scopes
        scopes = Array(scopes.prefix(1))
        let (t, ty) = checkExpr(src.expr)
        scopes = savedScopes
        guard rule != nil else { return nil }
        rule?.chainedDepth -= depth
        rule?.inProgress.remove(name)
        if rule?.failed.contains(name) == true { return nil }
        let slot = rule?.locals.count ?? 0
        rule?.locals.append(Local(name: name, expr: t, type: ty))
        rule?.slots[name] = slot
        return slot
    }

    // MARK: expressions

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
            guard let k1 = comparable(ax, al, x, lo, ordered: true), let k2 = comparable(ax, ah, x, hi, ordered: true) else {
                return (.constant(.undefined(.internalError)), ax == .poisoned || al == .poisoned || ah == .poisoned ? .poisoned : .bool)
            }
            _ = k2
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

    // MARK: calls and aggregates

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
                || p.joins.contains { uses($0.outer, depth: d) } || d <= p.depth && false
        }
    }

    // MARK: waivers and tests

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

/// Parses and checks a whole project. The program is returned only when no
/// error was found; warnings come back either way.
public func compileProject(_ files: [SourceFile]) -> (program: Program?, diagnostics: [Diagnostic]) {
    let (asts, parseDiags) = parseProject(files)
    var checker = Checker(files: files)
    let program = checker.check(asts)
    let diags = parseDiags + checker.diagnostics
    let sorted = diags.sorted { a, b in
        (a.range.file, a.range.start, a.message.en) < (b.range.file, b.range.start, b.message.en)
    }
    return (sorted.contains { $0.severity == .error } ? nil : program, sorted)
}
