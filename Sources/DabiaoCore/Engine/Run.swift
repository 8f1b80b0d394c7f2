import Foundation

/// A rule compiled against the data of one run. A class: it is shared by
/// every record and worker, and copying its many arrays per record showed.
final class RulePlan: Sendable {
    let index: Int
    let rule: CheckedRule
    let filters: [Eval]
    let when: Eval?
    let locals: [Eval]
    let measures: [(CheckedMeasure, Eval)]
    let requireEvals: [Eval]
    /// The two sides of each comparing require, so an unmet one can be
    /// named in words with the value it asks for (see `unmetRequires`).
    let requireSides: [(left: Eval, right: Eval)?]
    /// Each require in words where that does not depend on the record: its
    /// label, the rule's title for a lone condition, or its source with
    /// fields named by label (see `Engine.requireText`).
    let requireWords: [String]
    /// For a comparison without a label whose left side is a field or a
    /// named value: that name, written `name ≥ value` with the value the
    /// record is asked for (so the words vary by record).
    let requireLeftNames: [String?]
    let requireLevels: [Level]
    /// What a failed require is called in reports: its label, or its source.
    let requireNames: [String]
    /// Each name alone, and the rule's code alone: the lists most failures
    /// carry, made once and shared by every result that needs them.
    let requireNameLists: [[String]]
    let codeList: [String]
    let message: [MessageEval]?
    /// Reads the current value of each `adjust` target.
    let adjustReaders: [Eval]
    let slots: Int
    /// Per adjust: the requires that do not read its input, when the rule's
    /// scope does not read it either (nil when it does). The solver stops
    /// early when one of them fails (`failsWhateverTheInput`).
    let unreachable: [[Int]?]
    /// Marks the rows of a block that certainly pass (see `Block`).
    let certainPass: BlockEval?
    /// What the rule's results have in common, per input file, and for a
    /// record of no known file.
    let shared: [RuleResult.Shared]
    let sharedWithoutSource: RuleResult.Shared
    /// Each measure's unit symbol, and each adjust's unit and label (the
    /// field's label, or the let's or measure's name): worded once here, not
    /// for every result and fix (a symbol is built from its factors).
    let measureUnits: [String]
    let adjustUnits: [String]
    let adjustLabels: [String]

    enum MessageEval: Sendable {
        case text(String)
        case value(Eval, Ty, decimals: Int?)
    }

    init(index: Int, rule: CheckedRule, filters: [Eval], when: Eval?, locals: [Eval], measures: [(CheckedMeasure, Eval)],
         requires: [Eval], requireSides: [(left: Eval, right: Eval)?], message: [MessageEval]?, adjustReaders: [Eval], slots: Int,
         certainPass: BlockEval?, program: Program, inputs: [InputInfo]) {
        self.index = index
        self.rule = rule
        self.filters = filters
        self.when = when
        self.locals = locals
        self.measures = measures
        self.requireEvals = requires
        self.requireSides = requireSides
        let fields = program.entities[rule.entity].fields
        self.requireWords = rule.requires.map { r in
            if let label = r.label { return label }
            // A condition that is not a comparison reads best as the rule's own title.
            if r.sides == nil, rule.requires.count == 1 { return rule.title }
            return Engine.humanized(r.source, entity: rule.entity, program: program)
        }
        self.requireLeftNames = rule.requires.map { r in
            guard r.label == nil, let sides = r.sides else { return nil }
            switch sides.left {
            case .local(let slot) where slot < rule.locals.count: return rule.locals[slot].name
            case .field(0, _, let f) where f < fields.count: return fields[f].label
            default: return nil
            }
        }
        self.requireLevels = rule.requires.map(\.level)
        self.requireNames = rule.requires.map { $0.label ?? $0.source }
        self.requireNameLists = requireNames.map { [$0] }
        self.codeList = [rule.code]
        self.message = message
        self.adjustReaders = adjustReaders
        self.slots = slots
        self.certainPass = certainPass
        self.unreachable = rule.adjusts.map { a in
            var memo: [Int: Bool] = [:]
            let scope = rule.filters + (rule.when.map { [$0] } ?? [])
            guard !scope.contains(where: { Engine.reads($0, a.target, rule.locals, &memo) }) else { return nil }
            return rule.requires.indices.filter { !Engine.reads(rule.requires[$0].expr, a.target, rule.locals, &memo) }
        }
        let none = RuleResult.Shared(ruleset: program.rulesets[rule.ruleset].id, rule: rule.code, title: rule.title,
                                     entity: program.entities[rule.entity].name, cite: rule.cite, sourcePath: nil, owner: rule.owner)
        self.sharedWithoutSource = none
        self.shared = inputs.map { none.with(sourcePath: .some($0.path)) }
        self.measureUnits = measures.map(\.0.unit.symbol)
        self.adjustUnits = rule.adjusts.map(\.unit.symbol)
        self.adjustLabels = rule.adjusts.map { a in
            switch a.target {
            case .field(let f): return f < fields.count ? fields[f].label : a.name
            case .local: return a.name
            }
        }
    }
}

/// What one rule decided for one record, before it becomes a report row.
struct Verdict {
    var outcome: Outcome
    var level: Level?
    var missing: [String]
    var failed: [String]
    var undefined: UndefinedReason? = nil

    static func undefined(_ v: Value) -> Verdict {
        // A filter or `when` of another kind than bool cannot get past the checker.
        guard case .undefined(let why) = v else { return Verdict(outcome: .undefined, level: nil, missing: [], failed: [], undefined: .internalError) }
        return Verdict(outcome: .undefined, level: nil, missing: [], failed: [], undefined: why)
    }
}

public struct RunOptions: Sendable {
    /// The audit date, in days since 1970-01-01 (`parseDate`).
    var asOf: Int
    /// Keep every result in the report, or only those that are not pass or not applicable.
    var showAll: Bool
    var workers: Int
    /// The estimated row visits above which a rule is refused before evaluation (see `Engine.refuseCostly`).
    var maxCost: Double
    /// 10⁹ row visits: a minute or so of work.
    public static let defaultMaxCost: Double = 1_000_000_000
    /// Whether blocks of records go through the column-wise block path first;
    /// off only in tests that compare it with the per-record path alone.
    var blockPath = true

    public init(asOf: Int, showAll: Bool = true, maxCost: Double = RunOptions.defaultMaxCost) {
        self.init(asOf: asOf, showAll: showAll, workers: ProcessInfo.processInfo.activeProcessorCount, maxCost: maxCost)
    }

    init(asOf: Int, showAll: Bool = true, workers: Int, maxCost: Double = Engine.defaultMaxCost) {
        self.asOf = asOf
        self.showAll = showAll
        self.workers = max(1, workers)
        self.maxCost = maxCost
    }
}

/// Evaluation of a compiled program over a dataset.
struct Engine: Sendable {
    let program: Program
    let data: Dataset
    let baseline: Dataset?
    let plans: [RulePlan]
    /// Per entity, the field that names the 市州 of a record, for grouping reports.
    /// See `missingLabelTables`.
    let missingLabels: [[String: FieldLabel]]

    init(program: Program, data: Dataset, baseline: Dataset? = nil) {
        self.program = program
        self.data = data
        self.baseline = baseline
        self.missingLabels = Engine.missingLabelTables(program)
        var indexes: [FieldRef: JoinIndex] = [:]
        var translations: [TranslationKey: Translation] = [:]
        var plans: [RulePlan] = []
        for (i, rule) in program.rules.enumerated() {
            var c = ExprCompiler(program: program, data: data, baseline: baseline, joinIndexes: indexes, translations: translations)
            c.slotBase = rule.locals.count
            for l in rule.locals { c.locals.append(c.compile(l.expr)) }
            let filters = rule.filters.map { c.compile($0) }
            let when = rule.when.map { c.compile($0) }
            let measures = rule.measures.map { m in (m, c.compile(.local(slot: m.slot))) }
            let requires = rule.requires.map { c.compile($0.expr) }
            let sides = rule.requires.map { r in r.sides.map { (left: c.compile($0.left), right: c.compile($0.right)) } }
            let message = rule.message.map { parts in
                parts.map { part -> RulePlan.MessageEval in
                    switch part {
                    case .text(let t): return .text(t)
                    case .value(let e, let ty, let d): return .value(c.compile(e), ty, decimals: d)
                    }
                }
            }
            let readers = rule.adjusts.map { a -> Eval in
                switch a.target {
                case .field(let f): return c.compile(.field(depth: 0, entity: rule.entity, field: f))
                case .local(let slot): return c.compile(.local(slot: slot))
                }
            }
            let certain = BlockCompiler.certainPass(rule: rule, program: program, data: data) { c.compile($0) }
            indexes = c.joinIndexes
            translations = c.translations
            plans.append(RulePlan(index: i, rule: rule, filters: filters, when: when, locals: c.locals, measures: measures,
                                  requires: requires, requireSides: sides, message: message, adjustReaders: readers, slots: rule.locals.count + c.memoSlots,
                                  certainPass: certain, program: program, inputs: data.inputs))
        }
        self.plans = plans
    }

    /// Whether an expression's value can change with `target` (a field of
    /// the rule's record, or a let or measure, which the solver overrides):
    /// through the record's own field, or a let or measure that reads it.
    /// `prev` and other records' fields do not change with it.
    static func reads(_ t: TExpr, _ target: AdjustTarget, _ locals: [Local], _ memo: inout [Int: Bool]) -> Bool {
        func any(_ xs: [TExpr], _ memo: inout [Int: Bool]) -> Bool { xs.contains { reads($0, target, locals, &memo) } }
        switch t {
        case .constant, .prevField: return false
        case .field(let d, _, let f): return d == 0 && target == .field(f)
        case .local(let slot):
            if target == .local(slot) { return true }
            if let known = memo[slot] { return known }
            memo[slot] = false
            let r = slot < locals.count && reads(locals[slot].expr, target, locals, &memo)
            memo[slot] = r
            return r
        case .refField(let b, _, _), .negate(let b), .not(let b): return reads(b, target, locals, &memo)
        case .arith(_, let a, let b), .compare(_, let a, let b, _), .logic(_, let a, let b): return any([a, b], &memo)
        case .between(let a, let b, let c, _), .ifThen(let a, let b, let c): return any([a, b, c], &memo)
        case .inList(let a, let xs, _): return any([a] + xs, &memo)
        case .match(let x, let arms, let e, _): return any([x] + arms.flatMap { $0.patterns + [$0.value] } + (e.map { [$0] } ?? []), &memo)
        case .call(_, let xs, _): return any(xs, &memo)
        case .aggregate(let a):
            let p = AggregatePlan(a)
            return any([p.value, p.residual].compactMap { $0 } + p.joins.map(\.outer), &memo)
        }
    }

    /// Decides one rule for the record at `row`; nil when the rule's `for … where`
    /// excludes the record.
    func verdict(_ plan: RulePlan, _ ctx: inout EvalContext) -> Verdict? {
        for f in plan.filters {
            switch f(&ctx) {
            case .bool(true): continue
            case .bool(false): return nil
            case .missing(let fs):
                // Whether the rule applies is itself unknown: say so rather than drop the record.
                return Verdict(outcome: .missing, level: nil, missing: fs, failed: [])
            case let other:
                return .undefined(other)
            }
        }
        if let when = plan.when {
            switch when(&ctx) {
            case .bool(true): break
            case .bool(false): return Verdict(outcome: .notApplicable, level: nil, missing: [], failed: [])
            case .missing(let fs): return Verdict(outcome: .missing, level: nil, missing: fs, failed: [])
            case let other: return .undefined(other)
            }
        }
        var level: Level?
        var failed: [(Level, String)] = []
        var missing: [String]?
        var undefined: Value?
        var lastFailed = 0
        for i in plan.requireEvals.indices {
            switch plan.requireEvals[i](&ctx) {
            case .bool(true): break
            case .bool(false):
                let l = plan.requireLevels[i]
                failed.append((l, plan.requireNames[i]))
                lastFailed = i
                if level.map({ l > $0 }) ?? true { level = l }
            case .missing(let fs):
                var m = missing ?? []
                for f in fs where !m.contains(f) { m.append(f) }
                missing = m
            case let other:
                // The first cause is the one reported.
                if undefined == nil { undefined = other }
            }
        }
        // A definite failure decides, as `false and missing` is false; the
        // unknowns decide only when nothing failed.
        if let level {
            let labels = failed.count == 1 ? plan.requireNameLists[lastFailed] : failed.sorted { $0.0 > $1.0 }.map(\.1)
            return Verdict(outcome: .fail, level: level, missing: missing ?? [], failed: labels)
        }
        if let missing { return Verdict(outcome: .missing, level: nil, missing: missing, failed: []) }
        if let undefined { return .undefined(undefined) }
        return Verdict(outcome: .pass, level: nil, missing: [], failed: [])
    }

    /// What `verdict` decides, outcome and level only, without the lists of
    /// failed requires and missing fields: the evaluation counts and the
    /// solver tries steps millions of times and needs nothing else.
    /// `DecideTests` holds the two to the same answer.
    func decide(_ plan: RulePlan, _ ctx: inout EvalContext) -> (outcome: Outcome, level: Level?)? {
        for f in plan.filters {
            switch f(&ctx) {
            case .bool(true): continue
            case .bool(false): return nil
            case .missing: return (.missing, nil)
            default: return (.undefined, nil)
            }
        }
        if let when = plan.when {
            switch when(&ctx) {
            case .bool(true): break
            case .bool(false): return (.notApplicable, nil)
            case .missing: return (.missing, nil)
            default: return (.undefined, nil)
            }
        }
        var level: Level?
        var missing = false
        var undefined = false
        let evals = plan.requireEvals
        let levels = plan.requireLevels
        for i in evals.indices {
            switch evals[i](&ctx) {
            case .bool(true): break
            case .bool(false):
                let l = levels[i]
                if level.map({ l > $0 }) ?? true { level = l }
            case .missing: missing = true
            default: undefined = true
            }
        }
        if let level { return (.fail, level) }
        if missing { return (.missing, nil) }
        if undefined { return (.undefined, nil) }
        return (.pass, nil)
    }

    /// The label of a missing field's name as the evaluator spells it (see
    /// `missingLabelTables`); an unknown spelling stays as it is.
    func fieldLabel(_ name: String, entity e: Int) -> FieldLabel {
        missingLabels[e][name] ?? FieldLabel(label: name)
    }

    /// Per entity of a rule, every name a missing value can carry, with its
    /// label: `field` and `prev.field` of the rule's entity, `entity.field`
    /// and `prev.field` read through a reference or an aggregate, `avg(entity)`
    /// and the like for an empty aggregate, and a bare entity name. Built once,
    /// so a result looks its labels up instead of parsing names.
    static func missingLabelTables(_ program: Program) -> [[String: FieldLabel]] {
        var shared: [String: FieldLabel] = [:]
        for other in program.entities {
            shared[other.name] = shared[other.name] ?? FieldLabel(label: other.label)
            for kind in AggregateKind.allCases {
                shared["\(kind.rawValue)(\(other.name))"] = FieldLabel(label: "\(kind.rawValue)(\(other.label))")
            }
            for f in other.fields {
                shared["\(other.name).\(f.name)"] = FieldLabel(label: f.label, entity: other.label)
                // The first entity with the field, as for a name no own field has.
                shared["prev.\(f.name)"] = shared["prev.\(f.name)"] ?? FieldLabel(label: f.label, entity: other.label, previous: true)
            }
        }
        return program.entities.map { entity in
            var table = shared
            for f in entity.fields {
                table[f.name] = FieldLabel(label: f.label)
                table["prev.\(f.name)"] = FieldLabel(label: f.label, previous: true)
            }
            return table
        }
    }

    func recordKey(_ entity: Int, _ row: Int) -> String {
        guard let k = program.entities[entity].keyField else { return String(row + 1) }
        return data.tables[entity].columns[k].text(row) ?? String(row + 1)
    }

    func recordName(_ entity: Int, _ row: Int) -> String? {
        guard let n = program.entities[entity].nameField else { return nil }
        let f = program.entities[entity].fields[n]
        let col = data.tables[entity].columns[n]
        switch f.kind {
        case .text, .ref: return col.text(row)
        default: return nil
        }
    }

    func recordCity(_ entity: Int, _ row: Int) -> String? {
        guard let c = program.entities[entity].regionField else { return nil }
        return data.tables[entity].columns[c].text(row)
    }

    func makeResult(_ plan: RulePlan, _ row: Int, _ v: Verdict, _ ctx: inout EvalContext) -> RuleResult {
        let rule = plan.rule
        let e = rule.entity
        var measures: [MeasureValue] = []
        measures.reserveCapacity(plan.measures.count)
        for ((m, eval), unit) in zip(plan.measures, plan.measureUnits) {
            var value: Double?
            if case .number(let d) = eval(&ctx) { value = roundForReport(d / m.unit.scale) }
            measures.append(MeasureValue(name: m.name, value: value, unit: unit))
        }
        var message: String?
        if v.outcome == .fail || v.outcome == .waived, let parts = plan.message {
            message = parts.map { part -> String in
                switch part {
                case .text(let t): return t
                case .value(let eval, let ty, let d): return eval(&ctx).shown(ty, decimals: d)
                }
            }.joined()
        }
        let src = data.tables[e].source(row)
        let known = src.input < plan.shared.count
        return RuleResult(shared: known ? plan.shared[src.input] : plan.sharedWithoutSource,
                          key: recordKey(e, row), name: recordName(e, row), city: recordCity(e, row),
                          outcome: v.outcome, level: v.level, measures: measures, message: message,
                          missingFields: v.missing, fixes: [], sourceLine: known ? src.line : nil,
                          failedRequires: v.failed, waiverReason: nil, deadline: rule.deadline?.resolve(asOf: 0),
                          undefinedReason: v.undefined, missingLabels: v.missing.map { fieldLabel($0, entity: e) })
    }

    /// Each record's 市州 as a number, so that counting results per city
    /// costs an array read in the loop that counts passes.
    struct CityIndex {
        /// In first appearance, entity by entity.
        var names: [String] = []
        /// Per entity, per row: the index into `names`, or −1 for none;
        /// four bytes a record, as millions of placements may name a city.
        var rows: [[Int32]] = []
    }

    func cityIndex() -> CityIndex {
        var index = CityIndex()
        var ids: [String: Int32] = [:]
        for e in program.entities.indices {
            guard let c = program.entities[e].regionField else { index.rows.append([]); continue }
            let col = data.tables[e].columns[c]
            // By dictionary code: a String is made once per distinct city, not per row.
            var byCode = [Int32](repeating: -1, count: col.dict.count)
            var known = [Bool](repeating: false, count: col.dict.count)
            var names = index.names
            let rows = (0..<data.tables[e].count).map { row -> Int32 in
                // A city read from a number column has no dictionary code.
                guard let c = col.code(row), c >= 0, Int(c) < byCode.count else { return -1 }
                let code = Int(c)
                if known[code] { return byCode[code] }
                known[code] = true
                guard let t = col.text(row), !t.isEmpty else { return -1 }
                if let id = ids[t] {
                    byCode[code] = id
                } else {
                    ids[t] = Int32(truncatingIfNeeded: names.count)
                    byCode[code] = Int32(truncatingIfNeeded: names.count)
                    names.append(t)
                }
                return byCode[code]
            }
            index.names = names
            index.rows.append(rows)
        }
        return index
    }

    /// The cities in the order of the region data: the rows of the first
    /// entity without a city field whose keys name at least half of them
    /// (in the samples `region`, listed in administrative order), else of
    /// the one naming the most; cities it does not list follow in first appearance.
    func cityOrder(_ names: [String]) -> [Int] {
        guard !names.isEmpty else { return [] }
        let known = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var best: [Int] = []
        for e in program.entities.indices where program.entities[e].regionField == nil {
            let count = data.tables[e].count
            // An entity keyed by cities names one in its first rows; the
            // others (teachers, placements: maybe millions) are not read.
            guard (0..<min(count, 64)).contains(where: { known[recordKey(e, $0)] != nil }) else { continue }
            var seen = Set<Int>()
            var order: [Int] = []
            for row in 0..<count {
                if let id = known[recordKey(e, row)], seen.insert(id).inserted { order.append(id) }
            }
            // The first entity the rulebook declares that lists most of the
            // cities gives the order: `region`, in administrative order, comes
            // before a statistics table that lists them as its source prints them.
            if order.count * 2 >= names.count {
                best = order
                break
            }
            if order.count > best.count { best = order }
        }
        let listed = Set(best)
        return best + names.indices.filter { !listed.contains($0) }
    }

    /// What one chunk of records decided, merged in chunk order.
    struct Partial {
        /// Per rule of the entity, the rows with a result to show.
        var shown: [RowList]
        /// The rows with a failure for the 整改清单.
        var rectify = RowList()
        /// For each of `rectify`, the rules of the entity (by position, one
        /// bit each) whose failure goes into the 整改清单; 0 when the entity
        /// has more than 64 rules.
        var failing: RuleMasks
        var tallies: [Summary]
        /// Indexed like `CityIndex.names`, the records without a city last.
        var cities: [Summary]
        var usedWaivers = Set<Int>()
        var failedKeys = Set<WaiverKey>()
        /// Per rule of the entity, the solver's answers for its failed and waived rows.
        var solved: [SolvedFixes]
    }

    /// Decides every rule for every record: counts every result and notes
    /// which ones a report shows and which records have something to
    /// rectify. Nothing else is kept: the details of a shown result come
    /// from `results(rule:rows:asOf:)`, when a report is written.
    func evaluate(_ options: RunOptions) -> Evaluation {
        var tallies = [Summary](repeating: Summary(), count: plans.count)
        var shownRows = [RowList](repeating: RowList(), count: plans.count)
        var rectifyRows = [RowList](repeating: RowList(), count: program.entities.count)
        var rectifyFailing = program.entities.indices.map { e in RuleMasks(rules: plans.filter { $0.rule.entity == e }.count) }
        var solved = plans.map { SolvedFixes(adjusts: $0.rule.adjusts.count) }
        var summary = Summary()
        let waivers = WaiverBook(program: program, data: data, asOf: options.asOf)
        var used = Set<Int>()
        var failedKeys = Set<WaiverKey>()
        // Most runs have no waivers: then no failure needs its key spelled out to look one up.
        let hasWaivers = !waivers.entries.isEmpty
        let cityIndex = self.cityIndex()
        var cityTallies = [Summary](repeating: Summary(), count: cityIndex.names.count + 1)
        // Records are evaluated entity by entity, in chunks both cores share.
        for entity in program.entities.indices {
            let entityPlans = plans.filter { $0.rule.entity == entity }
            guard !entityPlans.isEmpty else { continue }
            let count = data.tables[entity].count
            let chunk = max(1024, count / (options.workers * 8) + 1)
            let chunks = (count + chunk - 1) / chunk
            let slots = entityPlans.map(\.slots).max() ?? 1
            let parts = ChunkResults<Partial>(count: chunks)
            let work: @Sendable (Int) -> Void = { c in
                var part = Partial(shown: [RowList](repeating: RowList(), count: entityPlans.count),
                                   failing: RuleMasks(rules: entityPlans.count),
                                   tallies: [Summary](repeating: Summary(), count: entityPlans.count),
                                   cities: [Summary](repeating: Summary(), count: cityIndex.names.count + 1),
                                   solved: entityPlans.map { SolvedFixes(adjusts: $0.rule.adjusts.count) })
                let cityOfRow = cityIndex.rows[entity]
                var ctx = EvalContext(slots: slots, fields: self.program.entities[entity].fields.count)
                let lo = c * chunk
                let hi = min(count, lo + chunk)
                // Passing records are found block by block; only the rest are evaluated one by one.
                var certain = [[Double]?](repeating: nil, count: entityPlans.count)
                var blockLo = lo, blockEnd = lo
                for row in lo..<hi {
                    // A table holds fewer than 2³¹ records (its key codes are Int32).
                    let row32 = Int32(truncatingIfNeeded: row)
                    // With every result shown, each is decided again when written: the
                    // block path would only add a pass over the records.
                    if options.blockPath, !options.showAll, row == blockEnd {
                        blockLo = row
                        let n = min(blockRows, hi - row)
                        for (pi, plan) in entityPlans.enumerated() {
                            guard let kernel = plan.certainPass else { continue }
                            var block = Block(lo: row, count: n, locals: Array(repeating: nil, count: plan.slots))
                            certain[pi] = kernel(&block, &ctx)
                        }
                        blockEnd = row + n
                    }
                    var rectifies = false
                    var failing: UInt64 = 0
                    let city = row < cityOfRow.count && cityOfRow[row] >= 0 ? Int(cityOfRow[row]) : cityIndex.names.count
                    for (pi, plan) in entityPlans.enumerated() {
                        if let marks = certain[pi], marks[row - blockLo] == 1 {
                            part.tallies[pi].count(.pass, nil)
                            part.cities[city].count(.pass, nil)
                            if options.showAll { part.shown[pi].append(row32) }
                            continue
                        }
                        ctx.reset(row: row)
                        guard var v = self.decide(plan, &ctx) else { continue }
                        if v.outcome == .fail, hasWaivers {
                            let key = self.recordKey(entity, row)
                            if let i = waivers.covering(rule: plan.rule.code, entity: entity, key: key) {
                                v.outcome = .waived
                                part.usedWaivers.insert(i)
                            }
                            part.failedKeys.insert(WaiverKey(rule: plan.rule.code, entity: entity, key: key))
                        }
                        part.tallies[pi].count(v.outcome, v.level)
                        part.cities[city].count(v.outcome, v.level)
                        if options.showAll || !(v.outcome == .pass || v.outcome == .notApplicable) { part.shown[pi].append(row32) }
                        // Solved once, here on both cores; results and the 整改清单 write their fixes from it.
                        // Waived results show their fixes too, for information.
                        if v.outcome == .fail || v.outcome == .waived, !plan.rule.adjusts.isEmpty {
                            part.solved[pi].append(row: row, plan.rule.adjusts.indices.map { self.search(plan, adjust: $0, row: row, base: [], &ctx) })
                        }
                        // An info-level failure is a hint, not a duty: it stays out of the 整改清单.
                        if v.outcome == .fail, v.level != .info {
                            rectifies = true
                            if pi < 64 { failing |= 1 << UInt64(pi) }
                        }
                    }
                    if rectifies {
                        part.rectify.append(row32)
                        part.failing.append(entityPlans.count <= 64 ? failing : 0)
                    }
                }
                parts.set(c, part)
            }
            if options.workers > 1 && chunks > 1 {
                DispatchQueue.concurrentPerform(iterations: chunks, execute: work)
            } else {
                for c in 0..<chunks { work(c) }
            }
            // Room for every chunk's answers first: appending chunk after
            // chunk would regrow each list, holding an old and a new copy at
            // once (tens of megabytes when millions of results fail).
            for (pi, plan) in entityPlans.enumerated() {
                solved[plan.index].reserve((0..<chunks).compactMap { parts.get($0)?.solved[pi] })
            }
            let moreRectify = (0..<chunks).reduce(0) { $0 + (parts.get($1)?.rectify.count ?? 0) }
            rectifyFailing[entity].reserveCapacity(rectifyFailing[entity].count + moreRectify)
            for c in 0..<chunks {
                guard let part = parts.take(c) else { continue }
                rectifyRows[entity].append(contentsOf: part.rectify)
                rectifyFailing[entity].append(contentsOf: part.failing)
                used.formUnion(part.usedWaivers)
                failedKeys.formUnion(part.failedKeys)
                for (i, s) in part.cities.enumerated() where i < cityTallies.count { cityTallies[i].add(s) }
                for (pi, plan) in entityPlans.enumerated() {
                    shownRows[plan.index].append(contentsOf: part.shown[pi])
                    solved[plan.index].append(contentsOf: part.solved[pi])
                    tallies[plan.index].add(part.tallies[pi])
                    summary.add(part.tallies[pi])
                }
            }
            // In report order: by key, then line, then row.
            let rules = entityPlans.map(\.index).filter { !shownRows[$0].isEmpty }
            if !rules.isEmpty || !rectifyRows[entity].isEmpty, let rank = keyRanks(entity) {
                // Positions in each list, sorted by the rank of their row.
                // Lists already in report order (every list of a file sorted by
                // key: chunks keep row order) are left as they are.
                // Positions as Int32, as the rows are: millions of them are
                // sorted at once when a file is not in key order.
                let order: @Sendable (RowList) -> (order: [Int32], rows: RowList)? = { list in
                    if list.isOrdered(by: { rank[Int($0)] < rank[Int($1)] }) { return nil }
                    let rows = list.rows(0..<list.count)
                    var o = (0..<rows.count).map { Int32(truncatingIfNeeded: $0) }
                    o.sort { rank[Int(rows[Int($0)])] < rank[Int(rows[Int($1)])] }
                    return (o, RowList(o.lazy.map { rows[Int($0)] }))
                }
                let sorted = ChunkResults<(order: [Int32], rows: RowList)>(count: rules.count + 1)
                let lists = rules.map { shownRows[$0] } + [rectifyRows[entity]]
                DispatchQueue.concurrentPerform(iterations: lists.count) { i in
                    if let o = order(lists[i]) { sorted.set(i, o) }
                }
                for (i, r) in rules.enumerated() {
                    if let o = sorted.take(i) { shownRows[r] = o.rows }
                }
                if let o = sorted.take(rules.count) {
                    rectifyRows[entity] = o.rows
                    rectifyFailing[entity].permute(by: o.order)
                }
            }
        }
        return Evaluation(asOf: options.asOf, showsAll: options.showAll, shown: shownRows, rectify: rectifyRows,
                          rectifyFailing: rectifyFailing, solved: solved,
                          ruleSummaries: tallies, summary: summary,
                          cities: cityOrder(cityIndex.names).map { CityTally(city: cityIndex.names[$0], summary: cityTallies[$0]) }
                              + (cityTallies.last.map { $0.results > 0 ? [CityTally(city: nil, summary: $0)] : [] } ?? []),
                          waivers: hasWaivers ? waivers.statuses(used: used, failedKeys: failedKeys) : [])
    }

    /// Each record's place in a report (`KeyRanks`): records sorted by key, then by the
    /// line of their file, then by row (a key given twice keeps its rows'
    /// order). Nil only for a table too large to rank in `Int32`.
    /// `byCodes: false` compares every key as a String, for the test that
    /// holds the two ways to the same ranks.
    func keyRanks(_ entity: Int, byCodes: Bool = true) -> KeyRanks? {
        let count = data.tables[entity].count
        guard count < Int(Int32.max) else { return nil }
        let table = data.tables[entity]
        // A key's dictionary code is its row. A dictionary still sorted (whose
        // codes order as its texts do) took every key above the one before,
        // so the records are in key order and their ranks are their rows:
        // known without a String, code or line per record (tens of megabytes
        // for millions of placements). Keys in another order, all ASCII (whose
        // bytes order as Strings do), are sorted by their bytes in the
        // dictionary: distinct (a duplicate is rejected), so the key alone
        // decides, and no String is made.
        let before: (Int, Int) -> Bool
        if byCodes, let k = program.entities[entity].keyField, k < table.columns.count,
           table.columns[k].storage == .rowNumbers, table.columns[k].dict.count == count, table.columns[k].dict.isASCII {
            let dict = table.columns[k].dict
            if dict.ordersLikeStrings { return .rows }
            before = { dict.compare($0, $1) < 0 }
        } else {
            let keys = (0..<count).map { recordKey(entity, $0) }
            let lines = (0..<count).map { row -> Int32 in
                let src = table.source(row)
                return src.input < data.inputs.count ? Int32(clamping: src.line) : 0
            }
            before = { a, b in
                if keys[a] != keys[b] { return keys[a] < keys[b] }
                if lines[a] != lines[b] { return lines[a] < lines[b] }
                return a < b
            }
        }
        // Files usually list their records by key already: one pass shows it.
        if (1..<max(1, count)).allSatisfy({ before($0 - 1, $0) }) { return .rows }
        // Rows as Int32 (the table holds fewer than Int32.max, above): half an Int's memory.
        var order = (0..<count).map { Int32(truncatingIfNeeded: $0) }
        order.sort { before(Int($0), Int($1)) }
        var rank = [Int32](repeating: 0, count: count)
        for (i, row) in order.enumerated() { rank[Int(row)] = Int32(truncatingIfNeeded: i) }
        return .ranks(rank)
    }

    /// The results of `rule` (its index in the program) for `rows`, with
    /// every detail a report shows: measures, message, missing fields,
    /// fixes, waiver and deadline. Rows the rule does not select give none.
    func results(rule: Int, rows: [Int32], asOf: Int, solved: SolvedFixes? = nil) -> [RuleResult] {
        guard plans.indices.contains(rule) else { return [] }
        let plan = plans[rule]
        let entity = plan.rule.entity
        let waivers = WaiverBook(program: program, data: data, asOf: asOf)
        let hasWaivers = !waivers.entries.isEmpty
        var ctx = EvalContext(slots: plan.slots, fields: program.entities[entity].fields.count)
        var out: [RuleResult] = []
        out.reserveCapacity(rows.count)
        for row in rows.lazy.map(Int.init) where row >= 0 && row < data.tables[entity].count {
            ctx.reset(row: row)
            guard var v = verdict(plan, &ctx) else { continue }
            var waiver: CheckedWaiver?
            if v.outcome == .fail, hasWaivers {
                waiver = waivers.covers(rule: plan.rule.code, entity: entity, key: recordKey(entity, row))
                if waiver != nil { v.outcome = .waived }
            }
            var r = makeResult(plan, row, v, &ctx)
            r.waiverReason = waiver?.reason
            r.deadline = plan.rule.deadline?.resolve(asOf: asOf)
            // Waived results show their fixes too, for information.
            if v.outcome == .fail || v.outcome == .waived { r.fixes = fixes(plan, row: row, solved: solved, &ctx) }
            out.append(r)
        }
        return out
    }

    /// The 整改清单 entries of the records at `rows` of `entity`: the
    /// remedies of their failed rules (not waived, not info) merged.
    /// `failing`, when given, holds the rules whose failure the evaluation
    /// put in the 整改清单 (`Evaluation.rectifyFailing`), `rows[i]`'s at
    /// `first + i`, so they are not decided again.
    func rectification(entity: Int, rows: [Int32], asOf: Int, solved: [SolvedFixes] = [],
                       failing: RuleMasks? = nil, from first: Int = 0) -> [RectificationItem] {
        guard program.entities.indices.contains(entity) else { return [] }
        let entityPlans = plans.filter { $0.rule.entity == entity }
        let waivers = WaiverBook(program: program, data: data, asOf: asOf)
        let hasWaivers = !waivers.entries.isEmpty
        var ctx = EvalContext(slots: entityPlans.map(\.slots).max() ?? 1, fields: program.entities[entity].fields.count)
        var out: [RectificationItem] = []
        for i in rows.indices where rows[i] >= 0 && Int(rows[i]) < data.tables[entity].count {
            let row = Int(rows[i])
            let mask = failing?[first + i] ?? 0
            let known: UInt64? = mask != 0 ? mask : nil
            var failures: [(plan: RulePlan, fixes: [Fix])] = []
            for (pi, plan) in entityPlans.enumerated() {
                if let known {
                    guard pi < 64, known & (1 << UInt64(pi)) != 0 else { continue }
                } else {
                    ctx.reset(row: row)
                    guard let v = verdict(plan, &ctx), v.outcome == .fail, v.level != .info else { continue }
                    if hasWaivers, waivers.covers(rule: plan.rule.code, entity: entity, key: recordKey(entity, row)) != nil { continue }
                }
                failures.append((plan, fixes(plan, row: row, solved: solved.indices.contains(plan.index) ? solved[plan.index] : nil, &ctx)))
            }
            if let item = rectify(entity: entity, row: row, failures: failures, asOf: asOf, &ctx) { out.append(item) }
        }
        return out
    }
}

extension Engine {
    /// The fixes of a failed or waived result, written from the answers the
    /// evaluation kept (`solved`), or searched now when it kept none.
    func fixes(_ plan: RulePlan, row: Int, solved: SolvedFixes?, _ ctx: inout EvalContext) -> [Fix] {
        guard let answers = solved?.answers(row: row) else { return solve(plan, row: row, &ctx) }
        return plan.rule.adjusts.indices.map { ai in
            fix(plan, adjust: ai, row: row, base: [], ai < answers.count ? answers[ai] : search(plan, adjust: ai, row: row, base: [], &ctx), &ctx)
        }
    }
}

/// Each record's place in a report, by row.
enum KeyRanks: Sendable, Equatable {
    /// The records are in report order already (a file listed by key):
    /// a record's place is its row, and no Int32 per record is held.
    case rows
    case ranks([Int32])

    @inline(__always) subscript(row: Int) -> Int32 {
        switch self {
        case .rows: return Int32(truncatingIfNeeded: row)
        case .ranks(let r): return r[row]
        }
    }
}

/// The solver's answers for one rule's failed and waived records, two
/// numbers per `adjust`, kept by the evaluation so that a result's fixes
/// and the record's 整改清单 entry are written without searching again.
struct SolvedFixes: Sendable {
    let adjusts: Int
    /// Ascending; a short stride, as a row is looked up for every result written.
    var rows = RowList(stride: 16)
    var status: [UInt8] = []
    /// Mostly whole numbers of steps: four bytes each.
    var steps = NumberList()

    init(adjusts: Int) { self.adjusts = adjusts }

    mutating func append(row: Int, _ answers: [Engine.Solved]) {
        rows.append(Int32(truncatingIfNeeded: row))
        for a in answers {
            status.append(a.status.rawValue)
            steps.append(a.steps)
        }
    }

    /// Room for the answers of `parts`, appended next.
    mutating func reserve(_ parts: [SolvedFixes]) {
        status.reserveCapacity(status.count + parts.reduce(0) { $0 + $1.status.count })
        steps.reserveCapacity(steps.count + parts.reduce(0) { $0 + $1.steps.count })
    }

    mutating func append(contentsOf other: SolvedFixes) {
        rows.append(contentsOf: other.rows)
        status += other.status
        steps.append(contentsOf: other.steps)
    }

    /// The answers for `row`, one per adjust, if the evaluation solved it.
    func answers(row: Int) -> [Engine.Solved]? {
        guard let row32 = Int32(exactly: row), let k = rows.index(ofAscending: row32) else { return nil }
        let first = k * adjusts
        guard first + adjusts <= status.count, first + adjusts <= steps.count else { return nil }
        return (first..<first + adjusts).compactMap { i in
            Engine.Solved.Status(rawValue: status[i]).map { Engine.Solved(status: $0, steps: steps[i]) }
        }
    }
}

/// A failed result a waiver may name: rule code, entity index, record key.
struct WaiverKey: Hashable, Sendable {
    var rule: String
    var entity: Int
    var key: String
}

/// Waivers of a run, by rule, entity and key.
struct WaiverBook: Sendable {
    let program: Program
    let entries: [CheckedWaiver]
    let byKey: [WaiverKey: Int]
    let asOf: Int
    let data: Dataset

    init(program: Program, data: Dataset, asOf: Int, waivers: [CheckedWaiver]? = nil) {
        self.program = program
        self.entries = waivers ?? program.waivers
        self.asOf = asOf
        var m: [WaiverKey: Int] = [:]
        for (i, w) in entries.enumerated() {
            m[WaiverKey(rule: w.rule, entity: w.entity, key: w.key)] = i
        }
        byKey = m
        self.data = data
    }

    /// The index of the waiver that turns this failure into `waived`, if one is in force.
    func covering(rule: String, entity: Int, key: String) -> Int? {
        guard let i = byKey[WaiverKey(rule: rule, entity: entity, key: key)], entries[i].until >= asOf else { return nil }
        return i
    }

    /// The waiver that turns this failure into `waived`, if one is in force.
    func covers(rule: String, entity: Int, key: String) -> CheckedWaiver? {
        guard let i = byKey[WaiverKey(rule: rule, entity: entity, key: key)] else { return nil }
        let w = entries[i]
        return w.until >= asOf ? w : nil
    }

    func statuses(used: Set<Int>, failedKeys: Set<WaiverKey>) -> [WaiverReport] {
        entries.enumerated().map { i, w in
            let status: WaiverStatus
            if program.ruleIndex(w.rule) == nil {
                status = .unknownRule
            } else if w.entity < data.tables.count, data.tables[w.entity].row(forKey: w.key) == nil {
                status = .unknownKey
            } else if w.until < asOf {
                status = .expired
            } else if used.contains(i) || failedKeys.contains(WaiverKey(rule: w.rule, entity: w.entity, key: w.key)) {
                status = .active
            } else {
                status = .unused
            }
            return WaiverReport(rule: w.rule, entity: program.entities[w.entity].name, key: w.key, until: w.until,
                                reason: w.reason, status: status)
        }
    }
}
