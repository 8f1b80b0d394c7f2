import Foundation

/// The rectification solver: for a failed rule and one `adjust`, the
/// smallest change of that input alone, in whole steps, after which the rule
/// passes. It treats the rule as a black box — ratios, `match`, `if`,
/// aggregates alike — searching exponentially then by bisection, and reports
/// only an answer it has verified: `to` passes and `to − step` does not.
extension Engine {
    /// Decimal places a display value needs (at most 6).
    static func decimals(_ x: Double) -> Int {
        for d in 0...6 {
            let f = Foundation.pow(10, Double(d))
            let v = x * f
            if abs(v - v.rounded()) <= 1e-9 * max(1, abs(v)) { return d }
        }
        return 6
    }

    static func roundTo(_ x: Double, _ d: Int) -> Double {
        let f = Foundation.pow(10, Double(d))
        let v = x * f
        // Past 2⁵³ a Double has no fraction left to round (and x · f may overflow).
        guard v.isFinite, abs(v) < 9.0e15 else { return x }
        return v.rounded() / f
    }

    /// Steps tried one by one before the search doubles (see `solve`).
    static let linearSteps = 16.0

    func passes(_ plan: RulePlan, row: Int, _ ctx: inout EvalContext) -> Bool {
        ctx.reset(row: row)
        return decide(plan, &ctx)?.outcome == .pass
    }

    /// Solves every `adjust` of a failed rule for the record at `row`.
    func solve(_ plan: RulePlan, row: Int, _ ctx: inout EvalContext) -> [Fix] {
        plan.rule.adjusts.indices.map { solve(plan, adjust: $0, row: row, base: [], &ctx) }
    }

    /// Changes already planned for a record, in place while a rule is solved
    /// again from the changed record (see `rectify`).
    struct PlannedValue {
        var target: AdjustTarget
        /// The rule a let or measure belongs to; fields belong to the record.
        var plan: Int
        /// In base units.
        var value: Double
    }

    /// Puts `base` in place for `plan`, leaving out `except`, the input being searched.
    func apply(_ base: [PlannedValue], for plan: RulePlan, except: AdjustTarget? = nil, _ ctx: inout EvalContext) {
        ctx.clearOverrides()
        for p in base where p.target != except {
            switch p.target {
            case .field(let f): ctx.override(field: f, p.value)
            case .local(let slot):
                if p.plan == plan.index {
                    ctx.overrideLocal = slot
                    ctx.overrideLocalValue = p.value
                }
            }
        }
    }

    /// Where the search for one `adjust` ended: all a report needs to write
    /// its fix again without searching (`fix(_:adjust:row:base:_:)`), so a
    /// run keeps two numbers per adjust of a failure, not a `Fix`.
    struct Solved: Sendable {
        enum Status: UInt8, Sendable {
            case found, otherPlanned, noCurrentValue, cannotGoLower, noStep, notFound, beyondPrecision, notMonotone
        }
        var status: Status
        /// `found`, `beyondPrecision`, `notMonotone`: the steps taken; `notFound`:
        /// the farthest step seen failing (NaN if none).
        var steps: Double = .nan
    }

    /// The search for one adjust of a record: the value it starts from and
    /// how a number of steps becomes a value, put in place for the rule.
    struct AdjustSearch {
        let plan: RulePlan
        let ai: Int
        let row: Int
        let base: [PlannedValue]
        let fromShown: Double
        let stepShown: Double
        let places: Int
        let sign: Double
        let scale: Double

        func candidate(_ k: Double) -> Double { Engine.roundTo(fromShown + sign * k * stepShown, places) }
    }

    func solve(_ plan: RulePlan, adjust ai: Int, row: Int, base: [PlannedValue], _ ctx: inout EvalContext) -> Fix {
        fix(plan, adjust: ai, row: row, base: base, search(plan, adjust: ai, row: row, base: base, &ctx), &ctx)
    }

    /// One let or measure can be overridden at a time: another of the same
    /// rule already planned leaves this one unsearchable from the changed record.
    func otherLocalPlanned(_ plan: RulePlan, _ a: CheckedAdjust, _ base: [PlannedValue]) -> Bool {
        guard case .local(let slot) = a.target else { return false }
        return base.contains { p in
            if case .local(let other) = p.target { return p.plan == plan.index && other != slot }
            return false
        }
    }

    /// The record's current value of the adjusted input with `base` in place, and the search from it.
    func adjustSearch(_ plan: RulePlan, adjust ai: Int, row: Int, base: [PlannedValue], _ ctx: inout EvalContext) -> AdjustSearch? {
        let a = plan.rule.adjusts[ai]
        apply(base, for: plan, except: a.target, &ctx)
        ctx.reset(row: row)
        guard case .number(let from) = plan.adjustReaders[ai](&ctx) else { return nil }
        let scale = a.unit.scale
        let fromShown = from / scale
        let stepShown = a.step / scale
        return AdjustSearch(plan: plan, ai: ai, row: row, base: base, fromShown: fromShown, stepShown: stepShown,
                            places: max(Engine.decimals(fromShown), Engine.decimals(stepShown)), sign: a.up ? 1 : -1, scale: scale)
    }

    /// Puts the value `k` steps away in place; false beyond the finite range.
    func put(_ s: AdjustSearch, _ k: Double, _ ctx: inout EvalContext) -> Bool {
        let v = s.candidate(k) * s.scale
        guard v.isFinite else { return false }
        let a = s.plan.rule.adjusts[s.ai]
        apply(s.base, for: s.plan, except: a.target, &ctx)
        switch a.target {
        case .field(let f): ctx.override(field: f, v)
        case .local(let slot):
            ctx.overrideLocal = slot
            ctx.overrideLocalValue = v
        }
        return true
    }

    /// Searches the smallest number of steps that makes the rule pass:
    /// the first steps one by one, then doubling, then bisection, and the
    /// answer verified (`to` passes, one step less does not).
    func search(_ plan: RulePlan, adjust ai: Int, row: Int, base: [PlannedValue], _ ctx: inout EvalContext) -> Solved {
        let a = plan.rule.adjusts[ai]
        if otherLocalPlanned(plan, a, base) { return Solved(status: .otherPlanned) }
        guard let s = adjustSearch(plan, adjust: ai, row: row, base: base, &ctx) else { return Solved(status: .noCurrentValue) }
        // The farthest step at which the rule was seen to fail: what still
        // fails there is what no amount of this input can mend.
        var farthestFailing: Double?
        func test(_ k: Double, _ ctx: inout EvalContext) -> Bool {
            guard put(s, k, &ctx) else { return false }
            ctx.reset(row: row)
            switch decide(plan, &ctx)?.outcome {
            case .pass: return true
            case .fail, .missing:
                if k > (farthestFailing ?? 0) { farthestFailing = k }
                return false
            default: return false
            }
        }
        defer { ctx.clearOverrides() }
        // Going down stops at zero: no count, area or sum of money is negative.
        let maxSteps: Double
        if a.up {
            let m = Double.greatestFiniteMagnitude / s.stepShown
            maxSteps = m.isFinite ? m.rounded(.down) : Double.greatestFiniteMagnitude
        } else {
            guard s.fromShown > 0 else { return Solved(status: .cannotGoLower) }
            maxSteps = (s.fromShown / s.stepShown + 1e-9).rounded(.down)
        }
        guard s.stepShown > 0, maxSteps >= 1, maxSteps.isFinite else { return Solved(status: .noStep) }
        func notFound() -> Solved { Solved(status: .notFound, steps: farthestFailing ?? .nan) }
        /// Reports `k` steps only once verified: `to` passes and `to − step`
        /// does not, and the two are distinct numbers.
        func finish(_ k: Double) -> Solved {
            let to = s.candidate(k)
            guard to.isFinite, k == 1 || s.candidate(k - 1) != to else { return Solved(status: .beyondPrecision, steps: k) }
            guard test(k, &ctx), k == 1 || !test(k - 1, &ctx) else { return Solved(status: .notMonotone, steps: k) }
            return Solved(status: .found, steps: k)
        }
        // The first steps one by one: a rule that is not monotone (a rounding
        // that repeats every few steps) has its smallest remedy there, which
        // doubling can step over forever. For a monotone rule the answer is the same.
        let linear = min(maxSteps, Engine.linearSteps)
        var k = 1.0
        while k <= linear {
            if test(k, &ctx) { return finish(k) }
            k += 1
        }
        if linear >= maxSteps {
            return notFound()
        }
        var lo = linear
        var hi = min(linear * 2, maxSteps)
        // A require this input cannot reach that already fails, in a scope
        // it cannot change either, fails at every step: doubling to the end
        // of the finite range would only confirm it, a thousand verdicts for
        // one fix. The answer is the one that search would end with: the
        // farthest step of its sequence that has a finite value.
        if failsWhateverTheInput(plan, adjust: ai, s, at: lo, &ctx) {
            var farthest = farthestFailing
            func failsAt(_ k: Double) {
                if (s.candidate(k) * s.scale).isFinite, k > (farthest ?? 0) { farthest = k }
            }
            while true {
                failsAt(hi)
                if hi >= maxSteps, hi - 1 > lo { failsAt(hi - 1) }
                lo = hi
                if hi >= maxSteps { return Solved(status: .notFound, steps: farthest ?? .nan) }
                hi = min(hi * 2, maxSteps)
            }
        }
        while !test(hi, &ctx) {
            // Doubling can overshoot a `when` boundary going down (at zero the
            // rule no longer applies): the step before the bound may still pass.
            if hi >= maxSteps, hi - 1 > lo, test(hi - 1, &ctx) {
                hi -= 1
                break
            }
            lo = hi
            if hi >= maxSteps { return notFound() }
            hi = min(hi * 2, maxSteps)
        }
        while hi - lo > 1 {
            let mid = (lo + (hi - lo) / 2).rounded(.down)
            // Past 2⁵³ steps neighbouring counts are no longer all representable.
            guard mid > lo, mid < hi else { break }
            if test(mid, &ctx) { hi = mid } else { lo = mid }
        }
        return finish(hi)
    }

    /// Whether the rule fails `k` steps away because of a require that does
    /// not read the adjusted input, while its scope (`for … where`, `when`)
    /// does not read it either: then it fails at every step.
    func failsWhateverTheInput(_ plan: RulePlan, adjust ai: Int, _ s: AdjustSearch, at k: Double, _ ctx: inout EvalContext) -> Bool {
        guard ai < plan.unreachable.count, let independent = plan.unreachable[ai], !independent.isEmpty else { return false }
        guard put(s, k, &ctx) else { return false }
        ctx.reset(row: s.row)
        guard decide(plan, &ctx)?.outcome == .fail else { return false }
        return independent.contains { i in
            guard i < plan.requireEvals.count else { return false }
            if case .bool(false) = plan.requireEvals[i](&ctx) { return true }
            return false
        }
    }

    /// The fix a search ended with, in words and numbers.
    func fix(_ plan: RulePlan, adjust ai: Int, row: Int, base: [PlannedValue], _ solved: Solved, _ ctx: inout EvalContext) -> Fix {
        let a = plan.rule.adjusts[ai]
        var fix = Fix(field: a.name, label: plan.adjustLabels[ai], from: nil, to: nil, delta: nil, unit: plan.adjustUnits[ai], action: a.action, reason: nil)
        if solved.status == .otherPlanned {
            fix.reason = Bilingual("已按另一项整改调整，无法同时调整\(fix.label)", "another change is already planned; \(fix.label) cannot be changed with it")
            return fix
        }
        defer { ctx.clearOverrides() }
        guard let s = adjustSearch(plan, adjust: ai, row: row, base: base, &ctx) else {
            fix.reason = Bilingual("\(fix.label)的当前值缺失或无法计算，无法求出整改量", "the current value of \(fix.label) is missing or undefined, so no change can be computed")
            return fix
        }
        fix.from = roundForReport(s.fromShown)
        let k = solved.steps
        switch solved.status {
        case .otherPlanned, .noCurrentValue:
            // Both answered above; a search that said so found no current value either.
            fix.reason = Bilingual("\(fix.label)的当前值缺失或无法计算，无法求出整改量", "the current value of \(fix.label) is missing or undefined, so no change can be computed")
        case .cannotGoLower:
            fix.reason = Bilingual("\(fix.label)已为 \(formatNumber(s.fromShown))，不能再减少", "\(fix.label) is already \(formatNumber(s.fromShown)) and cannot go lower")
        case .noStep:
            fix.reason = Bilingual("\(fix.label)无法按步长 \(formatNumber(s.stepShown)) 再减少", "\(fix.label) cannot go lower by a step of \(formatNumber(s.stepShown))")
        case .notFound:
            let (zh, en) = a.up
                ? ("只调整\(fix.label)无法使规则达标", "changing \(fix.label) alone cannot make the rule pass")
                : ("即使把\(fix.label)减到 0 也无法使规则达标", "even \(fix.label) at zero does not make the rule pass")
            var reason: Bilingual?
            if !k.isNaN, put(s, k, &ctx) {
                reason = unmetReason(plan, row: row, kind: 8 + ai, { Bilingual(zh + "，另需 " + $0.zh, en + "; it also needs " + $0.en) }, &ctx)
            }
            if let reason {
                fix.reason = reason
            } else {
                fix.reason = a.up ? Bilingual(zh + "（其他条件起决定作用）", en + " (another input decides)") : Bilingual(zh, en)
            }
        case .beyondPrecision:
            fix.reason = Bilingual("\(fix.label)所需的整改量超出数值精度，无法给出可靠的整改量", "the change \(fix.label) needs is beyond the precision of numbers; no reliable change can be given")
        case .notMonotone:
            fix.reason = Bilingual("规则对\(fix.label)不是单调的，无法给出可靠的整改量", "the rule is not monotone in \(fix.label); no reliable change can be given")
        case .found:
            let to = s.candidate(k)
            fix.to = roundForReport(to)
            fix.delta = roundForReport(Engine.roundTo(to - s.fromShown, s.places))
        }
        return fix
    }

    /// The requires a record fails as `ctx` holds it (overrides in place),
    /// in words: `生均图书 ≥ 30 册/人`, and the data a require lacks. Nil
    /// when nothing fails or is missing.
    func unmetRequires(_ plan: RulePlan, row: Int, _ ctx: inout EvalContext) -> Bilingual? {
        unmetReason(plan, row: row, kind: 0, { $0 }, &ctx)
    }

    /// `compose` applied to the unmet requires' words. When no word depends
    /// on the record, the result is made once per rule, `kind` (which reason
    /// `compose` writes, below 64) and set of unmet requires.
    func unmetReason(_ plan: RulePlan, row: Int, kind: Int, _ compose: (Bilingual) -> Bilingual, _ ctx: inout EvalContext) -> Bilingual? {
        let rule = plan.rule
        var failing: [Int] = []
        var missing: [String] = []
        var varies = false
        for i in plan.requireEvals.indices {
            ctx.reset(row: row)
            switch plan.requireEvals[i](&ctx) {
            case .bool(false):
                failing.append(i)
                if plan.requireLeftNames[i] != nil || i >= 20 { varies = true }
            case .missing(let fs):
                for f in fs where !missing.contains(f) { missing.append(f) }
            default: break
            }
        }
        guard !failing.isEmpty || !missing.isEmpty else { return nil }
        var key: Int?
        if !varies, missing.isEmpty, kind >= 0, kind < 64 {
            key = ((plan.index &* 64 &+ kind) << 20) | failing.reduce(0) { $0 | (1 << $1) }
        }
        if let key, let known = ctx.reasonCache[key] { return known }
        var zh: [String] = []
        var en: [String] = []
        for i in failing {
            let t = requireText(plan, i, row: row, &ctx)
            if !zh.contains(t) { zh.append(t); en.append(t) }
        }
        if !missing.isEmpty {
            let labels = missing.map { fieldLabel($0, entity: rule.entity) }
            var seen = Set<String>()
            let shown = labels.filter { seen.insert($0.text(.zh)).inserted }
            zh.append("补齐" + shown.map { $0.text(.zh) }.joined(separator: "、"))
            en.append("the data for " + shown.map { $0.text(.en) }.joined(separator: ", "))
        }
        let text = compose(Bilingual(zh.joined(separator: "；"), en.joined(separator: "; ")))
        if let key { ctx.reasonCache[key] = text }
        return text
    }

    /// A require in words: its label; or for a comparison whose left side is
    /// a field or a named value, `name ≥ value unit` with the value the rule
    /// asks for at this record; else its source with fields named by label.
    func requireText(_ plan: RulePlan, _ i: Int, row: Int, _ ctx: inout EvalContext) -> String {
        if let left = plan.requireLeftNames[i], let sides = plan.rule.requires[i].sides, let evals = plan.requireSides[i] {
            ctx.reset(row: row)
            let right = evals.right(&ctx)
            if case .number = right {
                return "\(left) \(Engine.symbol(sides.op)) \(right.shownWithUnit(sides.rightType))"
            }
        }
        return plan.requireWords[i]
    }

    static func symbol(_ op: BinaryOp) -> String {
        switch op {
        case .ge: return "≥"
        case .le: return "≤"
        case .ne: return "≠"
        case .eq: return "="
        case .gt, .lt, .add, .sub, .mul, .div, .and, .or: return op.rawValue
        }
    }

    /// Source text with each field name replaced by its label and the
    /// comparison operators as people write them.
    static func humanized(_ source: String, entity: Int, program: Program) -> String {
        var own: [String: String] = [:]
        if entity < program.entities.count {
            for f in program.entities[entity].fields { own[f.name] = f.label }
        }
        // A field read through a reference or an aggregate (`host.employees`):
        // the first entity that declares the name gives the label.
        var other: [String: String] = [:]
        for e in program.entities {
            other[e.name] = other[e.name] ?? e.label
            for f in e.fields { other[f.name] = other[f.name] ?? f.label }
        }
        var out = ""
        var word = ""
        // After `label.` the next word is a field read through a reference.
        var lastWasLabel = false
        var dotted = false
        func flush() {
            guard !word.isEmpty else { return }
            let label = dotted ? (other[word] ?? own[word]) : (own[word] ?? other[word])
            out += label ?? word
            lastWasLabel = label != nil
            word = ""
        }
        for ch in source {
            if ch.isASCII && (ch.isLetter || ch.isNumber || ch == "_") && !(word.isEmpty && ch.isNumber) {
                word.append(ch)
                continue
            }
            // `this.x` is the record's own x.
            if word == "this", ch == "." {
                word = ""
                continue
            }
            flush()
            dotted = false
            if ch == ".", lastWasLabel {
                out.append("·")
                dotted = true
            } else {
                out.append(ch)
            }
            lastWasLabel = false
        }
        flush()
        for (op, sym) in [(">=", "≥"), ("<=", "≤"), ("!=", "≠"), ("==", "=")] {
            out = out.replacingOccurrences(of: op, with: sym)
        }
        return out
    }

    /// Rounds a solver search can take before a record's plan is given as
    /// it stands: each round only grows changes already planned, so a few suffice.
    static let rectifyRounds = 8

    /// The 整改清单 entry of one record. The primary remedies of its failed
    /// rules are merged field by field; then, until nothing changes, every rule that still
    /// fails with the merged changes in place is solved again from the
    /// changed record and its remedy merged in. What still fails at the end
    /// is `unresolved`, with the requires it still does not meet.
    func rectify(entity: Int, row: Int, failures: [(plan: RulePlan, fixes: [Fix])], asOf: Int, _ ctx: inout EvalContext) -> RectificationItem? {
        guard !failures.isEmpty else { return nil }
        struct Pending {
            var change: RectificationChange
            var up: Bool
            var target: AdjustTarget
            /// The rule a let or measure belongs to; for a field, the first rule that changes it.
            var plan: Int
            var scale: Double
            /// The decimals a change keeps.
            var places: Int
            /// Rules pull this input both ways: it is left as it is.
            var conflicted = false

            /// A let or measure belongs to its rule; fields are shared by all rules.
            func same(_ target: AdjustTarget, plan other: Int) -> Bool {
                switch (self.target, target) {
                case (.field(let a), .field(let b)): return a == b
                case (.local(let a), .local(let b)): return a == b && plan == other
                default: return false
                }
            }
        }
        var pending: [Pending] = []
        var conflicts: [Bilingual] = []
        /// The rules whose remedy lies on an input pulled both ways.
        var conflictRules = Set<String>()
        var noRemedy: [Int: Bilingual] = [:]
        /// Merges one verified remedy; true when the plan changed.
        func merge(_ plan: RulePlan, _ ai: Int, _ f: Fix) -> Bool {
            guard let to = f.to else { return false }
            let a = plan.rule.adjusts[ai]
            if let j = pending.firstIndex(where: { $0.same(a.target, plan: plan.index) }) {
                if pending[j].conflicted {
                    conflictRules.insert(plan.rule.code)
                    return false
                }
                if pending[j].up != a.up {
                    pending[j].conflicted = true
                    conflictRules.formUnion(pending[j].change.rules + [plan.rule.code])
                    let rulesUp = (pending[j].up ? pending[j].change.rules : plan.codeList).joined(separator: ", ")
                    let rulesDown = (pending[j].up ? plan.codeList : pending[j].change.rules).joined(separator: ", ")
                    conflicts.append(Bilingual("\(f.label)：\(rulesUp) ↑ / \(rulesDown) ↓", "\(f.label): \(rulesUp) ↑ / \(rulesDown) ↓"))
                    return true
                }
                var changed = false
                if !pending[j].change.rules.contains(plan.rule.code) {
                    pending[j].change.rules.append(plan.rule.code)
                    changed = true
                }
                let current = pending[j].change.to ?? to
                if a.up ? to > current : to < current {
                    let from = pending[j].change.from ?? 0
                    pending[j].change.to = to
                    pending[j].change.delta = roundForReport(Engine.roundTo(to - from, max(pending[j].places, Engine.decimals(to))))
                    pending[j].change.action = f.action ?? pending[j].change.action
                    changed = true
                }
                return changed
            }
            let places = max(Engine.decimals(f.from ?? 0), Engine.decimals(to))
            pending.append(Pending(change: RectificationChange(field: a.name, label: f.label, from: f.from, to: to, delta: f.delta,
                                                               unit: f.unit, rules: plan.codeList, action: f.action),
                                   up: a.up, target: a.target, plan: plan.index, scale: a.unit.scale, places: places))
            return true
        }
        func planned() -> [PlannedValue] {
            pending.compactMap { p in
                guard !p.conflicted, let to = p.change.to else { return nil }
                return PlannedValue(target: p.target, plan: p.plan, value: to * p.scale)
            }
        }
        /// Which failed rules pass with the changes planned so far.
        func passingWithPlan() -> [Bool] {
            let base = planned()
            return failures.map { f in
                apply(base, for: f.plan, &ctx)
                return passes(f.plan, row: row, &ctx)
            }
        }

        for (plan, fixes) in failures {
            if let i = fixes.firstIndex(where: { $0.to != nil }) {
                _ = merge(plan, i, fixes[i])
            } else {
                noRemedy[plan.index] = fixes.first?.reason
            }
        }
        // The fixed point: a remedy found for one rule may change what another
        // needs. A round that changes nothing leaves its evaluation final, so the
        // common record (every rule mended by its own remedy) is evaluated once.
        var passing = passingWithPlan()
        for _ in 0..<Engine.rectifyRounds {
            var changed = false
            for (k, f) in failures.enumerated() where !passing[k] && !f.plan.rule.adjusts.isEmpty {
                let base = planned()
                for ai in f.plan.rule.adjusts.indices {
                    let fix = solve(f.plan, adjust: ai, row: row, base: base, &ctx)
                    if fix.to != nil {
                        if merge(f.plan, ai, fix) { changed = true }
                        break
                    }
                    if ai == 0 { noRemedy[f.plan.index] = fix.reason }
                }
            }
            if !changed { break }
            passing = passingWithPlan()
        }

        var passesAfter: [String] = []
        var stillFailing: [String] = []
        var unresolved: [(rule: String, reason: Bilingual)] = []
        var onlyPassing: RulePlan?
        var onlyFailing: RulePlan?
        let final = planned()
        for (k, (plan, _)) in failures.enumerated() {
            if passing[k] {
                passesAfter.append(plan.rule.code)
                onlyPassing = plan
                continue
            }
            apply(final, for: plan, &ctx)
            stillFailing.append(plan.rule.code)
            onlyFailing = plan
            var reason: Bilingual
            let kind: Int
            if plan.rule.adjusts.isEmpty {
                reason = Bilingual("规则没有可调整的项（adjust）", "the rule has no adjust")
                kind = 1
            } else if conflictRules.contains(plan.rule.code) {
                reason = Bilingual("整改方向冲突，相关项未调整", "changes in opposite directions; that input is left unchanged")
                kind = 2
            } else if let why = noRemedy[plan.index] {
                unresolved.append((plan.rule.code, why))
                continue
            } else {
                reason = Bilingual("合并后的整改方案仍不能使规则达标", "the merged changes do not make the rule pass")
                kind = 3
            }
            let prefix = reason
            if let full = unmetReason(plan, row: row, kind: kind, { still in
                Bilingual(prefix.zh + "，仍不满足：" + still.zh, prefix.en + "; still not met: " + still.en)
            }, &ctx) {
                reason = full
            }
            unresolved.append((plan.rule.code, reason))
        }
        // One rule is the common case: its shared one-code list, not a new array per record.
        if passesAfter.count == 1, let p = onlyPassing { passesAfter = p.codeList }
        if stillFailing.count == 1, let p = onlyFailing { stillFailing = p.codeList }
        ctx.clearOverrides()
        let owners = failures.compactMap(\.plan.rule.owner)
        let deadlines = failures.compactMap { $0.plan.rule.deadline?.resolve(asOf: asOf) }
        var item = RectificationItem(entity: program.entities[entity].name, key: recordKey(entity, row), name: recordName(entity, row),
                                 city: recordCity(entity, row), owner: owners.first, deadline: deadlines.min(),
                                 changes: pending.filter { !$0.conflicted }.map(\.change).sorted { $0.field < $1.field }, conflicts: conflicts,
                                 passesAfter: passesAfter.count > 1 ? passesAfter.sorted() : passesAfter,
                                 stillFailing: stillFailing.count > 1 ? stillFailing.sorted() : stillFailing,
                                 unresolved: unresolved.sorted { $0.rule < $1.rule })
        item.entityLabel = program.entities[entity].label
        return item
    }
}
