/// Small pieces shared by the file renderers (Markdown, CSV, JUnit, SARIF,
/// HTML, diff), so that they name outcomes, format numbers and count pass
/// rates the same way. Nothing here decides an outcome.
enum RenderSupport {
    /// The missing fields of a result as people read them: labels, or the
    /// names when a result was built without them.
    static func missingNames(_ x: RuleResult, _ lang: Lang) -> [String] {
        x.missingLabels.count == x.missingFields.count ? x.missingLabels.map { $0.text(lang) } : x.missingFields
    }

    /// "无法计算：除以零" for an undefined result whose cause is known.
    static func undefinedText(_ x: RuleResult, _ lang: Lang) -> String? {
        guard x.outcome == .undefined, let why = x.undefinedReason else { return nil }
        return Outcome.undefined.label(lang) + (lang == .zh ? "：" : ": ") + why.text(lang)
    }

    /// Pass rate as the text report counts it: passes over every result that
    /// was decided or should have been (not-applicable left out). Nil when
    /// nothing was decided, so a report never shows 0 % for "no data".
    static func passRate(_ s: Summary) -> Double? {
        let decided = s.pass + s.fail + s.waived + s.missing + s.undefined
        guard decided > 0 else { return nil }
        return Double(s.pass) / Double(decided)
    }

    static func percentText(_ s: Summary) -> String {
        guard let r = passRate(s) else { return "—" }
        return formatNumber(r * 100, decimals: 1) + "%"
    }

    /// Failures first, the most severe first, then what could not be
    /// decided, then the waived: the order every report for people lists
    /// results in.
    static func rank(_ x: RuleResult) -> Int {
        switch x.outcome {
        case .fail:
            switch x.level ?? .error {
            case .error: return 0
            case .warning: return 1
            case .info: return 2
            }
        case .missing: return 3
        case .undefined: return 4
        case .waived: return 5
        case .pass: return 6
        case .notApplicable: return 7
        }
    }

    /// The outcome as people read it, with the level for failures: `不达标·警告`.
    static func outcomeText(_ o: Outcome, _ level: Level?, _ lang: Lang) -> String {
        var s = o.label(lang)
        if o == .fail, let l = level { s += "·" + l.label(lang) }
        return s
    }

    /// A number for people: at most two decimals, `—` when unknown.
    static func human(_ d: Double?) -> String {
        guard let d else { return "—" }
        return formatNumber(d)
    }

    /// A number for machines (CSV cells): up to six decimals, no binary noise.
    static func exact(_ d: Double?) -> String {
        guard let d, d.isFinite else { return "" }
        return JSON.numberText(roundForReport(d))
    }

    static func signed(_ d: Double, exact useExact: Bool) -> String {
        let body = useExact ? exact(abs(d)) : formatNumber(abs(d))
        return (d < 0 ? "-" : "+") + body
    }

    /// `生均校舍建筑面积 15.2 平方米/人`.
    static func measureText(_ m: MeasureValue) -> String {
        m.name + " " + human(m.value) + (m.unit.isEmpty ? "" : " " + m.unit)
    }

    /// `校舍建筑面积 30400 → 40000 平方米（+9600）新建校舍`, or the reason no
    /// remedy was found.
    static func fixText(_ f: Fix, _ lang: Lang) -> String {
        let name = f.label.isEmpty ? f.field : f.label
        guard let to = f.to else {
            let why = f.reason?(lang) ?? (lang == .zh ? "无法找到整改量" : "no remedy found")
            return name + (lang == .zh ? "：" : ": ") + why
        }
        var s = "\(name) \(human(f.from)) → \(formatNumber(to))"
        if !f.unit.isEmpty { s += " " + f.unit }
        if let d = f.delta { s += lang.aside(signed(d, exact: false)) }
        if let a = f.action, !a.isEmpty { s += " " + a }
        return s
    }

    static func waiverStatus(_ s: WaiverStatus, _ lang: Lang) -> String {
        switch s {
        case .active: return Bilingual("生效", "active")(lang)
        case .expired: return Bilingual("已过期", "expired")(lang)
        case .unused: return Bilingual("未使用", "unused")(lang)
        case .unknownRule: return Bilingual("规则不存在", "unknown rule")(lang)
        case .unknownKey: return Bilingual("记录不存在", "unknown key")(lang)
        }
    }

    static func location(_ path: String?, _ line: Int?) -> String {
        guard let path else { return "" }
        guard let line else { return path }
        return "\(path):\(line)"
    }

    /// Results grouped by 市州, cities in code-point order and the records
    /// without a city last, so the table reads the same on every run.
    static func byCity(_ results: [RuleResult]) -> [(city: String?, summary: Summary)] {
        var sums: [String: Summary] = [:]
        var none = Summary()
        var sawNone = false
        for x in results {
            if let c = x.city, !c.isEmpty {
                sums[c, default: Summary()].count(x.outcome, x.level)
            } else {
                none.count(x.outcome, x.level)
                sawNone = true
            }
        }
        var out: [(city: String?, summary: Summary)] = sums.keys.sorted().compactMap { c in sums[c].map { (c, $0) } }
        if sawNone { out.append((nil, none)) }
        return out
    }

    /// Per-city counts of every result: the engine's, in the region data's
    /// order (they count passes too, so a report of failures only still has
    /// pass rates), or for a report built by hand, the listed results.
    static func cityTallies(_ r: Report) -> (tallies: [CityTally], complete: Bool) {
        if !r.cities.isEmpty { return (r.cities, true) }
        return (byCity(r.results).map { CityTally(city: $0.city, summary: $0.summary) }, r.showsAll)
    }


    /// One entry per rule that carries a citation, in tally order.
    static func citations(_ r: Report) -> [(ruleset: String, rule: String, title: String, cite: String)] {
        var seen = Set<String>()
        var out: [(ruleset: String, rule: String, title: String, cite: String)] = []
        for t in r.tallies {
            guard let c = t.cite, !c.isEmpty, seen.insert(t.ruleset + "\u{0}" + t.rule).inserted else { continue }
            out.append((t.ruleset, t.rule, t.title, c))
        }
        // A rule seen only in results (a hand-built report) still gets its citation.
        for x in r.results {
            guard let c = x.cite, !c.isEmpty, seen.insert(x.ruleset + "\u{0}" + x.rule).inserted else { continue }
            out.append((x.ruleset, x.rule, x.title, c))
        }
        return out
    }

    /// The rulesets in report order, then any only the results mention.
    static func rulesetIDs(_ r: Report) -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        for id in r.rulesets.map(\.id) + r.tallies.map(\.ruleset) + r.results.map(\.ruleset) where seen.insert(id).inserted {
            out.append(id)
        }
        return out
    }

    static func summaryHeader(_ lang: Lang) -> [String] {
        lang == .zh
            ? ["结果", "达标", "不达标", "错误", "警告", "提示", "已豁免", "不适用", "数据缺失", "无法计算", "达标率"]
            : ["results", "pass", "fail", "error", "warning", "info", "waived", "not applicable", "missing", "undefined", "pass rate"]
    }

    static func summaryCells(_ s: Summary) -> [String] {
        [s.results, s.pass, s.fail, s.error, s.warning, s.info, s.waived, s.notApplicable, s.missing, s.undefined].map(String.init)
            + [percentText(s)]
    }

    /// `（12）` after a Chinese heading, ` (12)` after an English one.
    static func countSuffix(_ n: Int, _ lang: Lang) -> String { lang == .zh ? "（\(n)）" : " (\(n))" }

    static func title(_ lang: Lang) -> String { Bilingual("达标检查报告", "Compliance report")(lang) }
}
