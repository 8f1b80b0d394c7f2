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

    /// The label a fix shows: the field's label, or the measure's name.
    func adjustLabel(_ plan: RulePlan, _ a: CheckedAdjust) -> String {
        switch a.target {
        case .field(let f): return program.entities[plan.rule.entity].fields[f].label
        case .local: return a.name
        }
    }

    func passes(_ plan: RulePlan, row: Int, _ ctx: inout EvalContext) -> Bool {
        ctx.reset(row: row)
        return verdict(plan, &ctx)?.outcome == .pass
    }

    /// Solves every `adjust` of a failed rule for the record at `row`.
    func solve(_ plan: RulePlan, row: Int, _ ctx: inout EvalContext) -> [Fix] {
        plan.rule.adjusts.indices.map { solve(plan, adjust: $0, row: row, &ctx) }
    }

    func solve(_ plan: RulePlan, adjust ai: Int, row: Int, _ ctx: inout EvalContext) -> Fix {
        let a = plan.rule.adjusts[ai]
        let unit = a.unit
        var fix = Fix(field: a.name, label: adjustLabel(plan, a), from: nil, to: nil, delta: nil, unit: unit.symbol, action: a.action, reason: nil)
        ctx.clearOverrides()
        ctx.reset(row: row)
        let current = plan.adjustReaders[ai](&ctx)
        guard case .number(let from) = current else {
            fix.reason = Text("\(fix.label)的当前值缺失或无法计算，无法求出整改量", "the current value of \(fix.label) is missing or undefined, so no change can be computed")
            return fix
        }
        let scale = unit.scale
        let fromShown = from / scale
        fix.from = roundForReport(fromShown)
        let stepShown = a.step / scale
        let places = max(Engine.decimals(fromShown), Engine.decimals(stepShown))
        let sign: Double = a.up ? 1 : -1
        // Steps are counted in a Double: an Int count stops near 2³² or traps
        // on a value such as 1e300, and the finite range is far wider.
        func candidate(_ k: Double) -> Double { Engine.roundTo(fromShown + sign * k * stepShown, places) }
        func test(_ k: Double, _ ctx: inout EvalContext) -> Bool {
            let v = candidate(k) * scale
            // Beyond the finite range no value exists to propose.
            guard v.isFinite else { return false }
            ctx.clearOverrides()
            switch a.target {
            case .field(let f): ctx.override(field: f, v)
            case .local(let slot):
                ctx.overrideLocal = slot
                ctx.overrideLocalValue = v
            }
            return passes(plan, row: row, &ctx)
        }
        defer { ctx.clearOverrides() }
        // Going down stops at zero: no count, area or sum of money is negative.
        let maxSteps: Double
        if a.up {
            let m = Double.greatestFiniteMagnitude / stepShown
            maxSteps = m.isFinite ? m.rounded(.down) : Double.greatestFiniteMagnitude
        } else {
            guard fromShown > 0 else {
                fix.reason = Text("\(fix.label)已为 \(formatNumber(fromShown))，不能再减少", "\(fix.label) is already \(formatNumber(fromShown)) and cannot go lower")
                return fix
            }
            maxSteps = (fromShown / stepShown + 1e-9).rounded(.down)
        }
        guard stepShown > 0, maxSteps >= 1, maxSteps.isFinite else {
            fix.reason = Text("\(fix.label)无法按步长 \(formatNumber(stepShown)) 再减少", "\(fix.label) cannot go lower by a step of \(formatNumber(stepShown))")
            return fix
        }
        func notFound() -> Fix {
            var f = fix
            f.reason = a.up
                ? Text("只调整\(fix.label)无法使规则达标（其他条件起决定作用）", "changing \(fix.label) alone cannot make the rule pass (another input decides)")
                : Text("即使把\(fix.label)减到 0 也无法使规则达标", "even \(fix.label) at zero does not make the rule pass")
            return f
        }

        /// Reports `k` steps only once verified: `to` passes and `to − step`
        /// does not, and the two are distinct numbers.
        func finish(_ k: Double) -> Fix {
            var f = fix
            let to = candidate(k)
            let before = candidate(k - 1)
            guard to.isFinite, k == 1 || before != to else {
                f.reason = Text("\(fix.label)所需的整改量超出数值精度，无法给出可靠的整改量", "the change \(fix.label) needs is beyond the precision of numbers; no reliable change can be given")
                return f
            }
            guard test(k, &ctx), k == 1 || !test(k - 1, &ctx) else {
                f.reason = Text("规则对\(fix.label)不是单调的，无法给出可靠的整改量", "the rule is not monotone in \(fix.label); no reliable change can be given")
                return f
            }
            f.to = roundForReport(to)
            f.delta = roundForReport(Engine.roundTo(to - fromShown, places))
            return f
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

    /// The 整改清单 entry of one record: the primary remedies of its failed
    /// rules merged field by field, then every failed rule evaluated again
    /// with all merged changes in place.
    func rectify(entity: Int, row: Int, failures: [(plan: RulePlan, fixes: [Fix])], asOf: Int, _ ctx: inout EvalContext) -> RectificationItem {
        struct Pending {
            /// The field's name, or `RULE:name` for a let or measure, which belongs to its rule.
            var key: String
            var change: RectificationChange
            var up: Bool
            var target: AdjustTarget
            var plan: Int
            var scale: Double
        }
        var pending: [Pending] = []
        var conflicts: [Text] = []
        var conflicted = Set<String>()
        var unresolved: [(rule: String, reason: Text)] = []
        for (plan, fixes) in failures {
            guard let i = fixes.firstIndex(where: { $0.to != nil }), let to = fixes[i].to, let delta = fixes[i].delta else {
                let reason = fixes.first?.reason ?? Text("规则没有可调整的项（adjust）", "the rule has no adjust")
                unresolved.append((plan.rule.code, reason))
                continue
            }
            let a = plan.rule.adjusts[i]
            let f = fixes[i]
            // A let or measure belongs to its rule; fields are shared by all rules.
            let key: String
            switch a.target {
            case .field: key = a.name
            case .local: key = plan.rule.code + ":" + a.name
            }
            if let j = pending.firstIndex(where: { $0.key == key }) {
                if pending[j].up != a.up {
                    if !conflicted.contains(key) {
                        conflicted.insert(key)
                        let rulesUp = (pending[j].up ? pending[j].change.rules : [plan.rule.code]).joined(separator: ", ")
                        let rulesDown = (pending[j].up ? [plan.rule.code] : pending[j].change.rules).joined(separator: ", ")
                        conflicts.append(Text("\(f.label)（\(a.name)）：\(rulesUp) ↑ / \(rulesDown) ↓",
                                              "\(f.label) (\(a.name)): \(rulesUp) ↑ / \(rulesDown) ↓"))
                    }
                    continue
                }
                pending[j].change.rules.append(plan.rule.code)
                if abs(delta) > abs(pending[j].change.delta ?? 0) {
                    pending[j].change.to = to
                    pending[j].change.delta = delta
                    pending[j].change.action = f.action ?? pending[j].change.action
                }
            } else {
                pending.append(Pending(key: key, change: RectificationChange(field: a.name, label: f.label, from: f.from, to: to, delta: delta,
                                                                  unit: f.unit, rules: plan.codeList, action: f.action),
                                       up: a.up, target: a.target, plan: plan.index, scale: a.unit.scale))
            }
        }
        // Conflicting fields are left unchanged: no single direction serves both rules.
        let applied = pending.filter { !conflicted.contains($0.key) }
        var passesAfter: [String] = []
        var stillFailing: [String] = []
        var onlyPassing: RulePlan?
        var onlyFailing: RulePlan?
        for (plan, _) in failures {
            ctx.clearOverrides()
            for p in applied {
                guard let to = p.change.to else { continue }
                switch p.target {
                case .field(let f): ctx.override(field: f, to * p.scale)
                case .local(let slot):
                    if p.plan == plan.index {
                        ctx.overrideLocal = slot
                        ctx.overrideLocalValue = to * p.scale
                    }
                }
            }
            if passes(plan, row: row, &ctx) {
                passesAfter.append(plan.rule.code)
                onlyPassing = plan
            } else {
                stillFailing.append(plan.rule.code)
                onlyFailing = plan
            }
        }
        // One rule is the common case: its shared one-code list, not a new array per record.
        if passesAfter.count == 1, let p = onlyPassing { passesAfter = p.codeList }
        if stillFailing.count == 1, let p = onlyFailing { stillFailing = p.codeList }
        ctx.clearOverrides()
        let owners = failures.compactMap(\.plan.rule.owner)
        let deadlines = failures.compactMap { $0.plan.rule.deadline?.resolve(asOf: asOf) }
        return RectificationItem(entity: program.entities[entity].name, key: recordKey(entity, row), name: recordName(entity, row),
                                 city: recordCity(entity, row), owner: owners.first, deadline: deadlines.min(),
                                 changes: applied.map(\.change).sorted { $0.field < $1.field }, conflicts: conflicts,
                                 passesAfter: passesAfter.count > 1 ? passesAfter.sorted() : passesAfter,
                                 stillFailing: stillFailing.count > 1 ? stillFailing.sorted() : stillFailing, unresolved: unresolved)
    }
}
