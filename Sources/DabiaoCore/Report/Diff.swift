import Foundation

/// Why two reports could not be compared.
public struct DiffError: Error, Sendable, Equatable {
    public var message: Text
    public init(_ message: Text) { self.message = message }
}

/// A measure whose value differs between the two reports.
public struct DiffMeasureChange: Sendable, Equatable {
    public var name: String
    public var unit: String
    public var old: Double?
    public var new: Double?
    /// new − old, when both are known.
    public var delta: Double? {
        guard let old, let new else { return nil }
        return roundForReport(new - old)
    }
}

/// One record under one rule, as the old and the new report saw it. An
/// outcome is the JSON report's word (`fail`, `pass`, …); nil means the
/// report does not list the result.
public struct DiffEntry: Sendable, Equatable {
    public var ruleset: String
    public var rule: String
    public var title: String
    public var entity: String
    public var key: String
    public var name: String?
    public var oldOutcome: String?
    public var newOutcome: String?
    public var oldLevel: String?
    public var newLevel: String?
    /// Only the measures whose value changed.
    public var measures: [DiffMeasureChange]
}

public struct DiffCounts: Sendable, Equatable {
    public var results = 0, pass = 0, fail = 0, waived = 0, notApplicable = 0, missing = 0, undefined = 0
}

public struct DiffResult: Sendable, Equatable {
    public var oldAsOf: String?
    public var newAsOf: String?
    public var oldSummary: DiffCounts
    public var newSummary: DiffCounts
    /// Whether a report lists only some results (`--show failures`); then an
    /// absent result means it passed or did not apply.
    public var oldPartial: Bool
    public var newPartial: Bool
    /// Failing now, not failing (or not there) before.
    public var newlyFailing: [DiffEntry]
    /// Failing before, passing or not applicable now.
    public var fixed: [DiffEntry]
    public var stillFailing: [DiffEntry]
    /// Any other change of outcome: now waived, now missing data, a failing
    /// record gone from a full report, pass → missing, …
    public var otherChanges: [DiffEntry]
    /// Every result present in both whose measure values changed.
    public var indicatorChanges: [DiffEntry]
}

/// Compares two JSON reports (as `JSONReport` writes them): what newly
/// fails, what was fixed, what still fails, and how the indicators moved.
/// Results are matched by ruleset, rule, entity and key.
public enum ReportDiff {
    public static func diff(old: Data, new: Data) throws -> DiffResult {
        let a = try parse(old, which: Text("旧报告", "old report"))
        let b = try parse(new, which: Text("新报告", "new report"))
        return compare(a, b)
    }

    public static func diff(old: [UInt8], new: [UInt8]) throws -> DiffResult {
        try diff(old: Data(old), new: Data(new))
    }

    // MARK: Reading

    struct Row {
        var id: String
        var ruleset, rule, title, entity, key: String
        var name: String?
        var outcome: String
        var level: String?
        var measures: [(name: String, value: Double?, unit: String)]
    }

    struct Parsed {
        var asOf: String?
        var counts: DiffCounts
        var partial: Bool
        var rows: [String: Row]
    }

    static func parse(_ data: Data, which: Text) throws -> Parsed {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        let any: Any
        do {
            any = try JSONSerialization.jsonObject(with: Data(bytes))
        } catch {
            throw DiffError(Text("\(which.zh)不是有效的 JSON", "the \(which.en) is not valid JSON"))
        }
        guard let top = any as? [String: Any], let results = top["results"] as? [Any] else {
            throw DiffError(Text("\(which.zh)不是 dabiao 的 JSON 报告（缺少 results）",
                                 "the \(which.en) is not a dabiao JSON report (no results)"))
        }
        var counts = DiffCounts()
        if let s = top["summary"] as? [String: Any] {
            counts.results = int(s["results"]) ?? results.count
            counts.pass = int(s["pass"]) ?? 0
            counts.fail = int(s["fail"]) ?? 0
            counts.waived = int(s["waived"]) ?? 0
            counts.notApplicable = int(s["notApplicable"]) ?? 0
            counts.missing = int(s["missing"]) ?? 0
            counts.undefined = int(s["undefined"]) ?? 0
        } else {
            counts.results = results.count
        }
        var rows: [String: Row] = [:]
        for (i, item) in results.enumerated() {
            guard let o = item as? [String: Any],
                  let ruleset = o["ruleset"] as? String, let rule = o["rule"] as? String,
                  let entity = o["entity"] as? String, let key = o["key"] as? String,
                  let outcome = o["outcome"] as? String else {
                throw DiffError(Text("\(which.zh)第 \(i + 1) 条结果缺少 ruleset、rule、entity、key 或 outcome",
                                     "result \(i + 1) of the \(which.en) lacks ruleset, rule, entity, key or outcome"))
            }
            var measures: [(name: String, value: Double?, unit: String)] = []
            for m in o["measures"] as? [Any] ?? [] {
                guard let mo = m as? [String: Any], let name = mo["name"] as? String else { continue }
                measures.append((name, number(mo["value"]), mo["unit"] as? String ?? ""))
            }
            let id = [ruleset, rule, entity, key].joined(separator: "\u{0}")
            // The engine writes one result per rule and record; should a
            // hand-edited file repeat one, the first stands.
            if rows[id] != nil { continue }
            rows[id] = Row(id: id, ruleset: ruleset, rule: rule, title: o["title"] as? String ?? "", entity: entity, key: key,
                           name: o["name"] as? String, outcome: outcome, level: o["level"] as? String, measures: measures)
        }
        return Parsed(asOf: top["asOf"] as? String, counts: counts, partial: counts.results > results.count, rows: rows)
    }

    static func number(_ v: Any?) -> Double? {
        guard let v, !(v is NSNull) else { return nil }
        if let d = v as? Double, d.isFinite { return d }
        if let n = v as? NSNumber { return n.doubleValue }
        return nil
    }

    static func int(_ v: Any?) -> Int? {
        guard let d = number(v), d >= 0, d < 1e15, d == d.rounded() else { return nil }
        return Int(d)
    }

    // MARK: Comparing

    static func compare(_ a: Parsed, _ b: Parsed) -> DiffResult {
        var result = DiffResult(oldAsOf: a.asOf, newAsOf: b.asOf, oldSummary: a.counts, newSummary: b.counts,
                                oldPartial: a.partial, newPartial: b.partial,
                                newlyFailing: [], fixed: [], stillFailing: [], otherChanges: [], indicatorChanges: [])
        let ids = Set(a.rows.keys).union(b.rows.keys).sorted { x, y in
            // Sort on the parts, not the joined string, so `A` < `A-1` holds
            // the same way as in the reports themselves.
            let px = x.split(separator: "\u{0}", omittingEmptySubsequences: false)
            let py = y.split(separator: "\u{0}", omittingEmptySubsequences: false)
            return px.lexicographicallyPrecedes(py)
        }
        for id in ids {
            let o = a.rows[id]
            let n = b.rows[id]
            guard let any = n ?? o else { continue }
            let entry = DiffEntry(ruleset: any.ruleset, rule: any.rule, title: n?.title ?? o?.title ?? "", entity: any.entity,
                                  key: any.key, name: n?.name ?? o?.name, oldOutcome: o?.outcome, newOutcome: n?.outcome,
                                  oldLevel: o?.level, newLevel: n?.level, measures: changes(o, n))
            let wasFailing = o?.outcome == Outcome.fail.rawValue
            let isFailing = n?.outcome == Outcome.fail.rawValue
            if wasFailing && isFailing {
                result.stillFailing.append(entry)
            } else if isFailing {
                result.newlyFailing.append(entry)
            } else if wasFailing {
                let clean = n.map { $0.outcome == Outcome.pass.rawValue || $0.outcome == Outcome.notApplicable.rawValue } ?? b.partial
                if clean { result.fixed.append(entry) } else { result.otherChanges.append(entry) }
            } else if let o, let n, o.outcome != n.outcome {
                result.otherChanges.append(entry)
            }
            if o != nil, n != nil, !entry.measures.isEmpty { result.indicatorChanges.append(entry) }
        }
        return result
    }

    /// Measures by name whose values differ (after report rounding).
    static func changes(_ o: Row?, _ n: Row?) -> [DiffMeasureChange] {
        guard let o, let n else { return [] }
        var out: [DiffMeasureChange] = []
        var seen = Set<String>()
        for m in n.measures where seen.insert(m.name).inserted {
            let before = o.measures.first { $0.name == m.name }
            let ov = before?.value.map(roundForReport)
            let nv = m.value.map(roundForReport)
            if ov != nv { out.append(DiffMeasureChange(name: m.name, unit: m.unit, old: ov, new: nv)) }
        }
        for m in o.measures where seen.insert(m.name).inserted {
            if let v = m.value { out.append(DiffMeasureChange(name: m.name, unit: m.unit, old: roundForReport(v), new: nil)) }
        }
        return out
    }

    // MARK: Rendering

    static func outcomeText(_ raw: String?, _ level: String?, _ lang: Lang, partial: Bool) -> String {
        guard let raw else {
            return partial ? Text("未列出", "not listed")(lang) : Text("无", "absent")(lang)
        }
        guard let o = Outcome(rawValue: raw) else { return raw }
        return RenderSupport.outcomeText(o, level.flatMap(Level.init(rawValue:)), lang)
    }

    static func measureText(_ m: DiffMeasureChange, _ lang: Lang) -> String {
        var s = "\(m.name) \(RenderSupport.human(m.old)) → \(RenderSupport.human(m.new))"
        if !m.unit.isEmpty { s += " " + m.unit }
        if let d = m.delta { s += lang.aside(RenderSupport.signed(d, exact: false)) }
        return s
    }

    static func sections(_ d: DiffResult, _ lang: Lang) -> [(title: String, id: String, entries: [DiffEntry])] {
        let z = lang == .zh
        return [
            (z ? "新增不达标" : "Newly failing", "newlyFailing", d.newlyFailing),
            (z ? "已整改" : "Fixed", "fixed", d.fixed),
            (z ? "仍不达标" : "Still failing", "stillFailing", d.stillFailing),
            (z ? "其他结果变化" : "Other outcome changes", "otherChanges", d.otherChanges),
            (z ? "指标变化" : "Indicator changes", "indicatorChanges", d.indicatorChanges),
        ]
    }

    static func headline(_ d: DiffResult, _ lang: Lang) -> String {
        sections(d, lang).map { "\($0.title) \($0.entries.count)" }.joined(separator: " · ")
    }

    public static func renderText(_ d: DiffResult, lang: Lang = .zh) -> String {
        let z = lang == .zh
        var out = (z ? "报告对比：" : "Report comparison: ") + (d.oldAsOf ?? "?") + " → " + (d.newAsOf ?? "?") + "\n"
        out += "  " + headline(d, lang) + "\n"
        out += "  " + (z ? "不达标 " : "failing ") + "\(d.oldSummary.fail) → \(d.newSummary.fail)"
        out += z ? "，达标 " : ", passing "
        out += "\(d.oldSummary.pass) → \(d.newSummary.pass)\n"
        for s in sections(d, lang) where !s.entries.isEmpty {
            out += "\n" + s.title + lang.aside(String(s.entries.count)) + "\n"
            for e in s.entries {
                out += "  \(e.rule) \(e.entity) \(e.key)" + (e.name.map { " \($0)" } ?? "") + "  \(e.title)\n"
                out += "      " + outcomeText(e.oldOutcome, e.oldLevel, lang, partial: d.oldPartial) + " → "
                out += outcomeText(e.newOutcome, e.newLevel, lang, partial: d.newPartial) + "\n"
                for m in e.measures { out += "      " + measureText(m, lang) + "\n" }
            }
        }
        return out
    }

    public static func renderMarkdown(_ d: DiffResult, lang: Lang = .zh) -> String {
        let z = lang == .zh
        var out = "# " + (z ? "报告对比" : "Report comparison") + "\n\n"
        out += MarkdownReport.escape((d.oldAsOf ?? "?") + " → " + (d.newAsOf ?? "?")) + "\n\n"
        out += MarkdownReport.table(sections(d, lang).map(\.title) + [z ? "不达标（旧 → 新）" : "failing (old → new)"],
                                    [sections(d, lang).map { String($0.entries.count) } + ["\(d.oldSummary.fail) → \(d.newSummary.fail)"]],
                                    right: Set(0..<5))
        for s in sections(d, lang) where !s.entries.isEmpty {
            out += "\n## " + MarkdownReport.escape(s.title) + lang.aside(String(s.entries.count)) + "\n\n"
            out += MarkdownReport.table(z ? ["规则", "记录", "名称", "原结果", "现结果", "指标变化"]
                                          : ["rule", "record", "name", "before", "now", "indicator changes"],
                                        s.entries.map { e in
                                            ["\(e.rule) \(e.title)", "\(e.entity) \(e.key)", e.name ?? "",
                                             outcomeText(e.oldOutcome, e.oldLevel, lang, partial: d.oldPartial),
                                             outcomeText(e.newOutcome, e.newLevel, lang, partial: d.newPartial),
                                             e.measures.map { measureText($0, lang) }.joined(separator: "\n")]
                                        })
        }
        return out
    }

    /// JSON carries no words of the tool, only field names and raw outcome
    /// values, so `lang` changes nothing; it is there so every renderer is
    /// called the same way.
    public static func renderJSON(_ d: DiffResult, lang: Lang = .zh) -> String { value(d).render() }

    public static func value(_ d: DiffResult) -> JSON {
        func counts(_ c: DiffCounts) -> JSON {
            .object([("results", .number(Double(c.results))), ("pass", .number(Double(c.pass))), ("fail", .number(Double(c.fail))),
                     ("waived", .number(Double(c.waived))), ("notApplicable", .number(Double(c.notApplicable))),
                     ("missing", .number(Double(c.missing))), ("undefined", .number(Double(c.undefined)))])
        }
        func entry(_ e: DiffEntry) -> JSON {
            .object([
                ("ruleset", .string(e.ruleset)), ("rule", .string(e.rule)), ("title", .string(e.title)),
                ("entity", .string(e.entity)), ("key", .string(e.key)), ("name", .str(e.name)),
                ("old", .object([("outcome", .str(e.oldOutcome)), ("level", .str(e.oldLevel))])),
                ("new", .object([("outcome", .str(e.newOutcome)), ("level", .str(e.newLevel))])),
                ("measures", .array(e.measures.map { m in
                    .object([("name", .string(m.name)), ("unit", .string(m.unit)), ("old", .num(m.old)), ("new", .num(m.new)),
                             ("delta", .num(m.delta))])
                })),
            ])
        }
        return .object([
            ("old", .object([("asOf", .str(d.oldAsOf)), ("partial", .bool(d.oldPartial)), ("summary", counts(d.oldSummary))])),
            ("new", .object([("asOf", .str(d.newAsOf)), ("partial", .bool(d.newPartial)), ("summary", counts(d.newSummary))])),
            ("newlyFailing", .array(d.newlyFailing.map(entry))),
            ("fixed", .array(d.fixed.map(entry))),
            ("stillFailing", .array(d.stillFailing.map(entry))),
            ("otherChanges", .array(d.otherChanges.map(entry))),
            ("indicatorChanges", .array(d.indicatorChanges.map(entry))),
        ])
    }
}
