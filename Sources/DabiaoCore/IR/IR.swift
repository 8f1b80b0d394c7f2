/// The checked program as one versioned JSON document (docs/ir.md): the only
/// input of every back end other than the Swift engine (the offline page's
/// JavaScript evaluator, the SQL compiler). It is written from `Program`, not
/// from the AST, so a back end never repeats name resolution, unit
/// conversion or join planning and cannot disagree with the checker on them.
enum IR {
    /// Bumped whenever a back end that reads version N could misread the
    /// output: a field removed, renamed or changed in meaning, a new node tag,
    /// a new value kind. Adding an object member that a reader may ignore
    /// does not bump it (docs/ir.md, "Versioning").
    static let version = 1

    /// The program as pretty-printed JSON with members in a fixed order: the
    /// same program gives the same bytes.
    static func render(_ program: Program) -> String {
        IRWriter(program: program).document().render()
    }
}

/// One tag per case of `TExpr`, spelled as the Swift case. The tests compare
/// the tags a project's IR uses with `allCases`, so a case added to TExpr
/// must be given its own tag here (the switch in `init` is exhaustive) and a
/// construct in the test project.
enum IRNode: String, CaseIterable {
    case constant, field, prevField, refField, local, negate, not, arith, compare, logic
    case between, inList, ifThen, match, call, aggregate

    init(_ t: TExpr) {
        switch t {
        case .constant: self = .constant
        case .field: self = .field
        case .prevField: self = .prevField
        case .refField: self = .refField
        case .local: self = .local
        case .negate: self = .negate
        case .not: self = .not
        case .arith: self = .arith
        case .compare: self = .compare
        case .logic: self = .logic
        case .between: self = .between
        case .inList: self = .inList
        case .ifThen: self = .ifThen
        case .match: self = .match
        case .call: self = .call
        case .aggregate: self = .aggregate
        }
    }
}

struct IRWriter {
    let program: Program

    /// The engine's tolerance for `==` on numbers (approxEqual in
    /// Engine/Compile.swift), stated in the IR so no back end guesses it.
    static let relativeTolerance = 1e-9

    func document() -> JSON {
        .object([
            ("irVersion", .number(Double(IR.version))),
            ("tool", .string("dabiao")),
            ("version", .string(dabiaoVersion)),
            ("semantics", semantics()),
            ("rulesFiles", .array(Pipeline.rulesFiles(program.files).map {
                .object([("path", .string($0.path)), ("sha256", .string($0.sha256))])
            })),
            ("units", units()),
            ("entities", .array(program.entities.map(entity))),
            ("rulesets", .array(program.rulesets.map(ruleset))),
            ("rules", .array(program.rules.map(rule))),
            ("waivers", .array(program.waivers.map(waiver))),
            ("tests", .array(program.tests.map(test))),
        ])
    }

    /// Facts of the engine that are not in any one rule but that every back
    /// end needs to agree with it.
    func semantics() -> JSON {
        .object([
            ("numberEquality", .object([("relativeTolerance", .number(Self.relativeTolerance))])),
            ("dayZero", .string(CivilDate.format(0))),
        ])
    }

    // MARK: units

    /// Every declared unit once, by name (the table also holds each alias),
    /// sorted so the output does not follow dictionary order.
    func units() -> JSON {
        var aliases: [String: [String]] = [:]
        var defs: [String: UnitDefinition] = [:]
        for (key, def) in program.units.byName {
            defs[def.name] = def
            if key != def.name { aliases[def.name, default: []].append(key) }
        }
        return .array(defs.keys.sorted().compactMap { name in
            guard let def = defs[name] else { return nil }
            return .object([
                ("name", .string(name)),
                ("aliases", .array((aliases[name] ?? []).sorted().map { .string($0) })),
                ("counting", .bool(def.isCounting)),
                ("scale", .number(def.unit.scale)),
                ("base", dimension(def.unit.dimension)),
            ])
        })
    }

    func dimension(_ d: Dimension) -> JSON {
        .object(d.exponents.keys.sorted().map { ($0, .number(Double(d.exponents[$0] ?? 0))) })
    }

    /// A unit as shown (`symbol`) and its factor to base units; the factors it
    /// was built from are left out: every type is already resolved.
    func unit(_ u: DisplayUnit) -> JSON {
        .object([
            ("symbol", .string(u.symbol)),
            ("scale", .number(u.scale)),
            ("base", dimension(u.dimension)),
        ])
    }

    // MARK: names

    func entityName(_ e: Int) -> JSON {
        program.entities.indices.contains(e) ? .string(program.entities[e].name) : .null
    }

    func fieldName(_ e: Int, _ f: Int) -> JSON {
        guard program.entities.indices.contains(e), program.entities[e].fields.indices.contains(f) else { return .null }
        return .string(program.entities[e].fields[f].name)
    }

    /// An entity by name and index: a reader may use either.
    func entityRef(_ e: Int) -> [(String, JSON)] {
        [("entity", entityName(e)), ("entityIndex", .number(Double(e)))]
    }

    func fieldRef(_ e: Int, _ f: Int) -> [(String, JSON)] {
        entityRef(e) + [("field", fieldName(e, f)), ("fieldIndex", .number(Double(f)))]
    }

    func source(_ r: SourceRange) -> JSON {
        guard program.files.indices.contains(r.file) else { return .null }
        let file = program.files[r.file]
        let (line, column) = file.location(of: r.start)
        return .object([("path", .string(file.path)), ("line", .number(Double(line))), ("column", .number(Double(column)))])
    }

    func date(_ d: Int) -> JSON { .string(CivilDate.format(d)) }

    func deadline(_ d: Deadline?) -> JSON {
        switch d {
        case nil: return .null
        case .date(let day)?: return .object([("date", date(day))])
        case .within(let days)?: return .object([("withinDays", .number(Double(days)))])
        }
    }

    // MARK: entities and rulesets

    func entity(_ e: Entity) -> JSON {
        .object([
            ("name", .string(e.name)),
            ("label", .string(e.label)),
            ("keyField", e.keyField.map { .number(Double($0)) } ?? .null),
            ("nameField", e.nameField.map { .number(Double($0)) } ?? .null),
            ("fields", .array(e.fields.map(field))),
        ])
    }

    func field(_ f: Field) -> JSON {
        var m: [(String, JSON)] = [("name", .string(f.name)), ("label", .string(f.label))]
        switch f.kind {
        case .number(let integer):
            m.append(("kind", .string(integer ? "integer" : "number")))
            m.append(("unit", unit(f.unit)))
        case .text(let oneOf):
            m.append(("kind", .string("text")))
            m.append(("oneOf", oneOf.map { .array($0.map { .string($0) }) } ?? .null))
        case .bool: m.append(("kind", .string("bool")))
        case .date: m.append(("kind", .string("date")))
        case .ref(let target):
            m.append(("kind", .string("ref")))
            m.append(("target", entityName(target)))
            m.append(("targetIndex", .number(Double(target))))
        }
        m.append(("optional", .bool(f.isOptional)))
        m.append(("key", .bool(f.isKey)))
        return .object(m)
    }

    func ruleset(_ r: RulesetInfo) -> JSON {
        .object([
            ("id", .string(r.id)),
            ("title", .string(r.title)),
            ("version", .str(r.version)),
            ("source", .str(r.source)),
            ("owner", .str(r.owner)),
            ("deadline", deadline(r.deadline)),
        ])
    }

    // MARK: rules

    func rule(_ r: CheckedRule) -> JSON {
        let locals = r.locals
        func expr(_ t: TExpr) -> JSON { self.expr(t, locals: locals) }
        return .object([
            ("code", .string(r.code)),
            ("title", .string(r.title)),
            ("ruleset", program.rulesets.indices.contains(r.ruleset) ? .string(program.rulesets[r.ruleset].id) : .null),
            ("rulesetIndex", .number(Double(r.ruleset))),
        ] + entityRef(r.entity) + [
            ("severity", .string(r.severity.rawValue)),
            ("filters", .array(r.filters.map(expr))),
            ("when", r.when.map(expr) ?? .null),
            ("locals", .array(locals.enumerated().map { slot, l in
                .object([("slot", .number(Double(slot))), ("name", .string(l.name)), ("type", type(l.type)), ("expr", expr(l.expr))])
            })),
            ("measures", .array(r.measures.map {
                .object([("name", .string($0.name)), ("slot", .number(Double($0.slot))), ("unit", unit($0.unit))])
            })),
            ("requires", .array(r.requires.map { q in
                .object([
                    ("level", .string(q.level.rawValue)),
                    ("label", .str(q.label)),
                    ("source", .string(q.source)),
                    ("expr", expr(q.expr)),
                    ("sides", q.sides.map { s in
                        .object([("op", .string(s.op.rawValue)), ("left", expr(s.left)), ("right", expr(s.right)),
                                 ("leftType", type(s.leftType)), ("rightType", type(s.rightType))])
                    } ?? .null),
                ])
            })),
            ("adjusts", .array(r.adjusts.map { a in adjust(a, rule: r) })),
            ("message", r.message.map { parts in
                .array(parts.map { p in
                    switch p {
                    case .text(let s): return .object([("text", .string(s))])
                    case .value(let t, let ty, let decimals):
                        return .object([("value", expr(t)), ("type", type(ty)), ("decimals", decimals.map { .number(Double($0)) } ?? .null)])
                    }
                })
            } ?? .null),
            ("cite", .str(r.cite)),
            ("url", .str(r.url)),
            ("owner", .str(r.owner)),
            ("deadline", deadline(r.deadline)),
            ("source", source(r.range)),
        ])
    }

    func adjust(_ a: CheckedAdjust, rule r: CheckedRule) -> JSON {
        let target: JSON
        switch a.target {
        case .field(let f): target = .object([("kind", .string("field"))] + fieldRef(r.entity, f).dropFirst(2))
        case .local(let slot):
            target = .object([("kind", .string("local")), ("slot", .number(Double(slot))),
                              ("name", r.locals.indices.contains(slot) ? .string(r.locals[slot].name) : .null)])
        }
        return .object([
            ("name", .string(a.name)),
            ("target", target),
            ("direction", .string(a.up ? "up" : "down")),
            ("step", .number(a.step)),
            ("unit", unit(a.unit)),
            ("action", .str(a.action)),
        ])
    }

    func type(_ t: Ty) -> JSON {
        switch t {
        case .number(let n): return .object([("type", .string("number")), ("whole", .bool(n.whole)), ("unit", unit(n.unit))])
        case .text: return .object([("type", .string("text"))])
        case .bool: return .object([("type", .string("bool"))])
        case .date: return .object([("type", .string("date"))])
        case .ref(let e): return .object([("type", .string("ref"))] + entityRef(e))
        case .poisoned: return .object([("type", .string("poisoned"))])
        }
    }

    func compareKind(_ k: CompareKind) -> JSON {
        switch k {
        case .number: return .string("number")
        case .text: return .string("text")
        case .bool: return .string("bool")
        case .date: return .string("date")
        }
    }

    // MARK: values and expressions

    func value(_ v: Value) -> JSON {
        switch v {
        // A non-finite number cannot be written in JSON; the checker refuses
        // such literals, and the engine would make one undefined (overflow).
        case .number(let d):
            return d.isFinite ? .object([("kind", .string("number")), ("number", .number(d))])
                              : .object([("kind", .string("undefined")), ("reason", .string(UndefinedReason.overflow.rawValue))])
        case .text(let s): return .object([("kind", .string("text")), ("text", .string(s))])
        case .bool(let b): return .object([("kind", .string("bool")), ("bool", .bool(b))])
        case .date(let d): return .object([("kind", .string("date")), ("date", date(d)), ("day", .number(Double(d)))])
        case .missing(let fields): return .object([("kind", .string("missing")), ("fields", .array(fields.map { .string($0) }))])
        case .undefined(let reason): return .object([("kind", .string("undefined")), ("reason", .string(reason.rawValue))])
        }
    }

    func expr(_ t: TExpr, locals: [Local]) -> JSON {
        func x(_ e: TExpr) -> JSON { expr(e, locals: locals) }
        var m: [(String, JSON)] = [("node", .string(IRNode(t).rawValue))]
        switch t {
        case .constant(let v):
            m.append(("value", value(v)))
        case .field(let depth, let e, let f), .prevField(let depth, let e, let f):
            m.append(("depth", .number(Double(depth))))
            m += fieldRef(e, f)
        case .refField(let base, let e, let f):
            m.append(("base", x(base)))
            m += fieldRef(e, f)
        case .local(let slot):
            m.append(("slot", .number(Double(slot))))
            m.append(("name", locals.indices.contains(slot) ? .string(locals[slot].name) : .null))
        case .negate(let a), .not(let a):
            m.append(("operand", x(a)))
        case .arith(let op, let a, let b), .logic(let op, let a, let b):
            m += [("op", .string(op.rawValue)), ("left", x(a)), ("right", x(b))]
        case .compare(let op, let a, let b, let kind):
            m += [("op", .string(op.rawValue)), ("compare", compareKind(kind)), ("left", x(a)), ("right", x(b))]
        case .between(let v, let lo, let hi, let kind):
            m += [("compare", compareKind(kind)), ("value", x(v)), ("low", x(lo)), ("high", x(hi))]
        case .inList(let v, let items, let kind):
            m += [("compare", compareKind(kind)), ("value", x(v)), ("items", .array(items.map(x)))]
        case .ifThen(let c, let a, let b):
            m += [("condition", x(c)), ("then", x(a)), ("else", x(b))]
        case .match(let subject, let arms, let otherwise, let kind):
            m += [("compare", compareKind(kind)), ("subject", x(subject)),
                  ("arms", .array(arms.map { .object([("patterns", .array($0.patterns.map(x))), ("value", x($0.value))]) })),
                  ("else", otherwise.map(x) ?? .null)]
        case .call(let b, let args, let scale):
            m += [("function", .string(b.rawValue)), ("args", .array(args.map(x))), ("scale", .number(scale))]
        case .aggregate(let a):
            // The back ends get the engine's plan: which equalities are joins.
            let p = AggregatePlan(a)
            m.append(("kind", .string(p.kind.rawValue)))
            m += entityRef(p.entity)
            m += [("depth", .number(Double(p.depth))),
                  ("value", p.value.map(x) ?? .null),
                  ("joins", .array(p.joins.map { j in
                      .object(fieldRef(p.entity, j.field).dropFirst(2) + [("outer", x(j.outer))])
                  })),
                  ("where", p.residual.map(x) ?? .null)]
        }
        return .object(m)
    }

    // MARK: waivers and tests

    func waiver(_ w: CheckedWaiver) -> JSON {
        .object([("rule", .string(w.rule))] + entityRef(w.entity) + [
            ("key", .string(w.key)),
            ("until", date(w.until)),
            ("reason", .string(w.reason)),
            ("source", source(w.range)),
        ])
    }

    func test(_ t: CheckedTest) -> JSON {
        .object([
            ("title", .string(t.title)),
            ("givens", .array(t.givens.map { g in
                .object(entityRef(g.entity) + [
                    ("values", .array(g.values.keys.sorted().map { f in
                        .object(Array(fieldRef(g.entity, f).dropFirst(2)) + [("value", g.values[f].map(value) ?? .null)])
                    })),
                    ("source", source(g.range)),
                ])
            })),
            ("waivers", .array(t.waivers.map(waiver))),
            ("expects", .array(t.expects.map { e in
                var m: [(String, JSON)] = [("rule", .string(e.rule))]
                switch e.kind {
                case .outcome(let outcome, let level):
                    m += [("expect", .string("outcome")), ("outcome", .string(outcome.rawValue)), ("level", .str(level?.rawValue))]
                case .adjust(let name, let delta, let u):
                    m += [("expect", .string("adjust")), ("name", .string(name)), ("delta", .number(delta)), ("unit", unit(u))]
                }
                m.append(("source", source(e.range)))
                return .object(m)
            })),
            ("source", source(t.range)),
        ])
    }
}
