import Foundation

/// Why two reports could not be compared.
struct DiffError: Error, Sendable, Equatable {
    var message: Bilingual
    init(_ message: Bilingual) { self.message = message }
}

/// A measure whose value differs between the two reports.
struct DiffMeasureChange: Sendable, Equatable {
    var name: String
    var unit: String
    var old: Double?
    var new: Double?
    /// new − old, when both are known.
    var delta: Double? {
        guard let old, let new else { return nil }
        return roundForReport(new - old)
    }
}

/// One record under one rule, as the old and the new report saw it. A nil
/// outcome means the report does not list the result.
struct DiffEntry: Sendable, Equatable {
    var ruleset: String
    var rule: String
    var title: String
    var entity: String
    var key: String
    var name: String?
    var oldOutcome: Outcome?
    var newOutcome: Outcome?
    var oldLevel: Level?
    var newLevel: Level?
    /// Only the measures whose value changed.
    var measures: [DiffMeasureChange]
    /// The fields the latest listing of the result lacks: names for
    /// programs, labels (`纸质图书`) for people.
    var missingFields: [String] = []
    var missingLabels: [String] = []
}

/// A record (entity and key) listed in one report and not in the other,
/// with the outcomes of its results there.
struct DiffRecord: Sendable, Equatable {
    var entity: String
    var key: String
    var name: String?
    var outcomes: [Outcome: Int]
    var results: Int { outcomes.values.reduce(0, +) }
}

/// How many results of one rule still fail.
struct DiffRuleCount: Sendable, Equatable {
    var ruleset: String
    var rule: String
    var title: String
    var count: Int
}

struct DiffCounts: Sendable, Equatable {
    var results = 0, pass = 0, fail = 0, waived = 0, notApplicable = 0, missing = 0, undefined = 0
}

struct DiffResult: Sendable, Equatable {
    var oldAsOf: String?
    var newAsOf: String?
    var oldSummary: DiffCounts
    var newSummary: DiffCounts
    /// Whether a report lists only some results (`--show failures`); then an
    /// absent result means it passed or did not apply.
    var oldPartial: Bool
    var newPartial: Bool
    /// Records listed in the new report only; nil when the old report lists
    /// problems only, for then a record it does not list may simply have
    /// had none.
    var newRecords: [DiffRecord]?
    /// Records listed in the old report only; nil when the new report lists
    /// problems only.
    var removedRecords: [DiffRecord]?
    /// Failing now, not failing (or not there) before.
    var newlyFailing: [DiffEntry]
    /// Failing before, passing or not applicable now (or, in a report of
    /// problems only, no longer listed).
    var fixed: [DiffEntry]
    var stillFailing: [DiffEntry]
    /// Results (other than failures, which are newly failing) the new report
    /// lists and the old does not, of records that are not new: a rule that
    /// now applies, data now missing where a report of problems only had
    /// nothing to say.
    var onlyNew: [DiffEntry]
    /// Results (other than failures fixed) the old report lists and the new
    /// does not, of records that were not removed.
    var onlyOld: [DiffEntry]
    /// Any other change of outcome between two listed results: now waived,
    /// now missing data, pass → undefined, …
    var otherChanges: [DiffEntry]
    /// Every result present in both whose measure values changed.
    var indicatorChanges: [DiffEntry]

    /// `stillFailing` counted per rule, in the order of the entries.
    var stillFailingByRule: [DiffRuleCount] {
        var out: [DiffRuleCount] = []
        var at: [String: Int] = [:]
        for e in stillFailing {
            let id = e.ruleset + "\u{0}" + e.rule
            if let i = at[id] { out[i].count += 1; continue }
            at[id] = out.count
            out.append(DiffRuleCount(ruleset: e.ruleset, rule: e.rule, title: e.title, count: 1))
        }
        return out
    }
}

/// Compares two JSON reports (as `JSONReport` writes them): records new and
/// gone, what newly fails, what was fixed, what still fails, results listed
/// on one side only, and how the indicators moved. Results are matched by
/// ruleset, rule, entity and key; records by entity and key.
enum ReportDiff {
    static func diff(old: Data, new: Data) throws -> DiffResult {
        let a = try parse(old, which: Bilingual("旧报告", "old report"))
        let b = try parse(new, which: Bilingual("新报告", "new report"))
        return compare(a, b)
    }

    static func diff(old: [UInt8], new: [UInt8]) throws -> DiffResult {
        try diff(old: Data(old), new: Data(new))
    }

    // MARK: Reading

    struct Row {
        var id: String
        var record: String
        var ruleset, rule, title, entity, key: String
        var name: String?
        var outcome: Outcome
        var level: Level?
        var measures: [(name: String, value: Double?, unit: String)]
        var missingFields: [String]
        var missingLabels: [String]
    }

    struct Parsed {
        var asOf: String?
        var counts: DiffCounts
        var partial: Bool
        var rows: [String: Row]
        /// By entity and key: the record's name and its outcomes.
        var records: [String: DiffRecord]
    }

    static func parse(_ data: Data, which: Bilingual) throws -> Parsed {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        let any: Any
        do {
            any = try JSONSerialization.jsonObject(with: Data(bytes))
        } catch {
            throw DiffError(Bilingual("\(which.zh)不是有效的 JSON", "the \(which.en) is not valid JSON"))
        }
        guard let top = any as? [String: Any], let results = top["results"] as? [Any] else {
            throw DiffError(Bilingual("\(which.zh)不是 dabiao 的 JSON 报告（缺少 results）",
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
        var records: [String: DiffRecord] = [:]
        for (i, item) in results.enumerated() {
            guard let o = item as? [String: Any],
                  let ruleset = o["ruleset"] as? String, let rule = o["rule"] as? String,
                  let entity = o["entity"] as? String, let key = o["key"] as? String,
                  let rawOutcome = o["outcome"] as? String else {
                throw DiffError(Bilingual("\(which.zh)第 \(i + 1) 条结果缺少 ruleset、rule、entity、key 或 outcome",
                                     "result \(i + 1) of the \(which.en) lacks ruleset, rule, entity, key or outcome"))
            }
            // An outcome or level this tool does not write is an edited or
            // foreign file; comparing it as a word would misfile it silently.
            guard let outcome = Outcome(rawValue: rawOutcome) else {
                throw DiffError(Bilingual("\(which.zh)第 \(i + 1) 条结果的 outcome “\(rawOutcome)” 不是 dabiao 的结果",
                                     "result \(i + 1) of the \(which.en) has an unknown outcome '\(rawOutcome)'"))
            }
            var level: Level?
            if let raw = o["level"] as? String {
                guard let l = Level(rawValue: raw) else {
                    throw DiffError(Bilingual("\(which.zh)第 \(i + 1) 条结果的 level “\(raw)” 不是 dabiao 的级别",
                                         "result \(i + 1) of the \(which.en) has an unknown level '\(raw)'"))
                }
                level = l
            }
            var measures: [(name: String, value: Double?, unit: String)] = []
            for m in o["measures"] as? [Any] ?? [] {
                guard let mo = m as? [String: Any], let name = mo["name"] as? String else { continue }
                measures.append((name, number(mo["value"]), mo["unit"] as? String ?? ""))
            }
            let fields = (o["missingFields"] as? [Any] ?? []).compactMap { $0 as? String }
            var labels = (o["missingLabels"] as? [Any] ?? []).compactMap { $0 as? String }
            // Reports written before labels were added carry names only.
            if labels.count != fields.count { labels = fields }
            let record = entity + "\u{0}" + key
            let id = [ruleset, rule, entity, key].joined(separator: "\u{0}")
            // The engine writes one result per rule and record; should a
            // hand-edited file repeat one, the first stands.
            if rows[id] != nil { continue }
            let name = o["name"] as? String
            rows[id] = Row(id: id, record: record, ruleset: ruleset, rule: rule, title: o["title"] as? String ?? "", entity: entity,
                           key: key, name: name, outcome: outcome, level: level, measures: measures,
                           missingFields: fields, missingLabels: labels)
            records[record, default: DiffRecord(entity: entity, key: key, name: nil, outcomes: [:])].outcomes[outcome, default: 0] += 1
            if records[record]?.name == nil { records[record]?.name = name }
        }
        return Parsed(asOf: top["asOf"] as? String, counts: counts, partial: counts.results > results.count, rows: rows, records: records)
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

    /// Sorts on the parts, not the joined string, so `A` < `A-1` holds the
    /// same way as in the reports themselves.
    static func partsOrder(_ x: String, _ y: String) -> Bool {
        let px = x.split(separator: "\u{0}", omittingEmptySubsequences: false)
        let py = y.split(separator: "\u{0}", omittingEmptySubsequences: false)
        return px.lexicographicallyPrecedes(py)
    }

    static func compare(_ a: Parsed, _ b: Parsed) -> DiffResult {
        // A record missing from a report of problems only may have had none,
        // so it is new (or gone) only when the other report lists everything.
        let added: Set<String>? = a.partial ? nil : Set(b.records.keys).subtracting(a.records.keys)
        let removed: Set<String>? = b.partial ? nil : Set(a.records.keys).subtracting(b.records.keys)
        var result = DiffResult(oldAsOf: a.asOf, newAsOf: b.asOf, oldSummary: a.counts, newSummary: b.counts,
                                oldPartial: a.partial, newPartial: b.partial,
                                newRecords: added.map { ids in ids.sorted(by: partsOrder).compactMap { b.records[$0] } },
                                removedRecords: removed.map { ids in ids.sorted(by: partsOrder).compactMap { a.records[$0] } },
                                newlyFailing: [], fixed: [], stillFailing: [], onlyNew: [], onlyOld: [], otherChanges: [],
                                indicatorChanges: [])
        let ids = Set(a.rows.keys).union(b.rows.keys).sorted(by: partsOrder)
        for id in ids {
            let o = a.rows[id]
            let n = b.rows[id]
            guard let any = n ?? o else { continue }
            let latest = n ?? o
            let entry = DiffEntry(ruleset: any.ruleset, rule: any.rule, title: n?.title ?? o?.title ?? "", entity: any.entity,
                                  key: any.key, name: n?.name ?? o?.name, oldOutcome: o?.outcome, newOutcome: n?.outcome,
                                  oldLevel: o?.level, newLevel: n?.level, measures: changes(o, n),
                                  missingFields: latest?.missingFields ?? [], missingLabels: latest?.missingLabels ?? [])
            switch (o?.outcome, n?.outcome) {
            case (.fail?, .fail?):
                result.stillFailing.append(entry)
            case (_, .fail?):
                result.newlyFailing.append(entry)
            case (.fail?, .pass?), (.fail?, .notApplicable?):
                result.fixed.append(entry)
            case (.fail?, nil):
                if b.partial {
                    result.fixed.append(entry)
                } else if removed?.contains(any.record) != true {
                    result.onlyOld.append(entry)
                }
            case (.fail?, .some):
                result.otherChanges.append(entry)
            case (nil, let now?):
                // Unlisted in a report of problems only means it passed or
                // did not apply: passing still is no change.
                let quiet = a.partial && (now == .pass || now == .notApplicable)
                if !quiet && added?.contains(any.record) != true { result.onlyNew.append(entry) }
            case (let was?, nil):
                let quiet = b.partial && (was == .pass || was == .notApplicable)
                if !quiet && removed?.contains(any.record) != true { result.onlyOld.append(entry) }
            case (let was?, let now?):
                if was != now { result.otherChanges.append(entry) }
            case (nil, nil):
                break
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

    static func outcomeText(_ o: Outcome?, _ level: Level?, _ lang: Lang, partial: Bool) -> String {
        guard let o else {
            return partial ? Bilingual("未列出", "not listed")(lang) : Bilingual("无", "absent")(lang)
        }
        return RenderSupport.outcomeText(o, level, lang)
    }

    static func measureText(_ m: DiffMeasureChange, _ lang: Lang) -> String {
        var s = "\(m.name) \(RenderSupport.human(m.old)) → \(RenderSupport.human(m.new))"
        if !m.unit.isEmpty { s += " " + m.unit }
        if let d = m.delta { s += lang.aside(RenderSupport.signed(d, exact: false)) }
        return s
    }

    static func missingText(_ e: DiffEntry, _ lang: Lang) -> String? {
        guard !e.missingLabels.isEmpty else { return nil }
        return Bilingual("缺失：", "missing: ")(lang) + e.missingLabels.joined(separator: lang == .zh ? "、" : ", ")
    }

    /// `数据缺失 28 · 不适用 2`, in the order of `Outcome`.
    static func outcomeCounts(_ r: DiffRecord, _ lang: Lang) -> String {
        Outcome.allCases.compactMap { o in r.outcomes[o].map { "\(o.label(lang)) \($0)" } }.joined(separator: " · ")
    }

    static let newRecordsTitle = Bilingual("新增记录", "New records")
    static let removedRecordsTitle = Bilingual("删除的记录", "Removed records")

    static func sections(_ d: DiffResult, _ lang: Lang) -> [(title: String, id: String, entries: [DiffEntry])] {
        [
            (Bilingual("新增不达标", "Newly failing")(lang), "newlyFailing", d.newlyFailing),
            (Bilingual("已整改", "Fixed")(lang), "fixed", d.fixed),
            (Bilingual("仍不达标", "Still failing")(lang), "stillFailing", d.stillFailing),
            (Bilingual("仅新报告列出的结果", "Results only in the new report")(lang), "onlyNew", d.onlyNew),
            (Bilingual("仅旧报告列出的结果", "Results only in the old report")(lang), "onlyOld", d.onlyOld),
            (Bilingual("其他结果变化", "Other outcome changes")(lang), "otherChanges", d.otherChanges),
            (Bilingual("指标变化", "Indicator changes")(lang), "indicatorChanges", d.indicatorChanges),
        ]
    }

    /// Every section's title and size; nil for records that cannot be told.
    static func counts(_ d: DiffResult, _ lang: Lang) -> [(title: String, count: Int?)] {
        [(newRecordsTitle(lang), d.newRecords?.count), (removedRecordsTitle(lang), d.removedRecords?.count)]
            + sections(d, lang).map { ($0.title, $0.entries.count) }
    }

    static func headline(_ d: DiffResult, _ lang: Lang) -> String {
        counts(d, lang).map { "\($0.title) \($0.count.map(String.init) ?? "?")" }.joined(separator: " · ")
    }

    /// Why a side's absences prove nothing, when they do not.
    static func partialNotes(_ d: DiffResult, _ lang: Lang) -> [String] {
        var out: [String] = []
        if d.oldPartial {
            out.append(Bilingual("旧报告只列出问题（--show failures）：无法判断哪些记录是新增的，旧报告未列出的结果视为达标或不适用",
                            "the old report lists problems only (--show failures): new records cannot be told, and a result it does not list passed or did not apply")(lang))
        }
        if d.newPartial {
            out.append(Bilingual("新报告只列出问题（--show failures）：无法判断哪些记录已删除，新报告未列出的结果视为达标或不适用",
                            "the new report lists problems only (--show failures): removed records cannot be told, and a result it does not list passes or does not apply")(lang))
        }
        return out
    }

    static let collapsedHint = Bilingual("按规则计数；--show all 逐条列出", "counted per rule; --show all lists each")

    /// `showAll` lists every still failing result; otherwise they are
    /// counted per rule, since a year-on-year comparison is read for what
    /// changed and the unchanged failures can run to thousands.
    static func renderText(_ d: DiffResult, lang: Lang = .zh, showAll: Bool = false) -> String {
        let zh = lang == .zh
        var out = (zh ? "报告对比：" : "Report comparison: ") + (d.oldAsOf ?? "?") + " → " + (d.newAsOf ?? "?") + "\n"
        out += "  " + headline(d, lang) + "\n"
        out += "  " + (zh ? "不达标 " : "failing ") + "\(d.oldSummary.fail) → \(d.newSummary.fail)"
        out += zh ? "，达标 " : ", passing "
        out += "\(d.oldSummary.pass) → \(d.newSummary.pass)\n"
        for note in partialNotes(d, lang) { out += "  " + note + "\n" }
        for (title, records) in [(newRecordsTitle(lang), d.newRecords), (removedRecordsTitle(lang), d.removedRecords)] {
            guard let records, !records.isEmpty else { continue }
            out += "\n" + title + lang.aside(String(records.count)) + "\n"
            for r in records {
                out += "  \(r.entity) \(r.key)" + (r.name.map { " \($0)" } ?? "") + "  " + outcomeCounts(r, lang) + "\n"
            }
        }
        for s in sections(d, lang) where !s.entries.isEmpty {
            if s.id == "stillFailing" && !showAll {
                out += "\n" + s.title + lang.aside(String(s.entries.count) + (zh ? "，" : "; ") + collapsedHint(lang)) + "\n"
                for c in d.stillFailingByRule { out += "  \(c.rule) \(c.title)  \(c.count)\n" }
                continue
            }
            out += "\n" + s.title + lang.aside(String(s.entries.count)) + "\n"
            for e in s.entries {
                out += "  \(e.rule) \(e.entity) \(e.key)" + (e.name.map { " \($0)" } ?? "") + "  \(e.title)\n"
                out += "      " + outcomeText(e.oldOutcome, e.oldLevel, lang, partial: d.oldPartial) + " → "
                out += outcomeText(e.newOutcome, e.newLevel, lang, partial: d.newPartial) + "\n"
                if let m = missingText(e, lang) { out += "      " + m + "\n" }
                for m in e.measures { out += "      " + measureText(m, lang) + "\n" }
            }
        }
        // Names and titles come from the files compared.
        return TerminalSafety.escapeControls(out)
    }

    static func renderMarkdown(_ d: DiffResult, lang: Lang = .zh, showAll: Bool = false) -> String {
        let zh = lang == .zh
        var out = "# " + (zh ? "报告对比" : "Report comparison") + "\n\n"
        out += MarkdownReport.escape((d.oldAsOf ?? "?") + " → " + (d.newAsOf ?? "?")) + "\n\n"
        let all = counts(d, lang)
        out += MarkdownReport.table(all.map(\.title) + [zh ? "不达标（旧 → 新）" : "failing (old → new)"],
                                    [all.map { $0.count.map(String.init) ?? "?" } + ["\(d.oldSummary.fail) → \(d.newSummary.fail)"]],
                                    right: Set(all.indices))
        for note in partialNotes(d, lang) { out += "\n" + MarkdownReport.escape(note) + "\n" }
        for (title, records) in [(newRecordsTitle(lang), d.newRecords), (removedRecordsTitle(lang), d.removedRecords)] {
            guard let records, !records.isEmpty else { continue }
            out += "\n## " + MarkdownReport.escape(title) + lang.aside(String(records.count)) + "\n\n"
            out += MarkdownReport.table(zh ? ["记录", "名称", "结果"] : ["record", "name", "results"],
                                        records.map { ["\($0.entity) \($0.key)", $0.name ?? "", outcomeCounts($0, lang)] })
        }
        for s in sections(d, lang) where !s.entries.isEmpty {
            if s.id == "stillFailing" && !showAll {
                out += "\n## " + MarkdownReport.escape(s.title) + lang.aside(String(s.entries.count)) + "\n\n"
                out += MarkdownReport.escape(collapsedHint(lang)) + "\n\n"
                out += MarkdownReport.table(zh ? ["规则", "仍不达标"] : ["rule", "still failing"],
                                            d.stillFailingByRule.map { ["\($0.rule) \($0.title)", String($0.count)] }, right: [1])
                continue
            }
            out += "\n## " + MarkdownReport.escape(s.title) + lang.aside(String(s.entries.count)) + "\n\n"
            out += MarkdownReport.table(zh ? ["规则", "记录", "名称", "原结果", "现结果", "缺失", "指标变化"]
                                          : ["rule", "record", "name", "before", "now", "missing", "indicator changes"],
                                        s.entries.map { e in
                                            ["\(e.rule) \(e.title)", "\(e.entity) \(e.key)", e.name ?? "",
                                             outcomeText(e.oldOutcome, e.oldLevel, lang, partial: d.oldPartial),
                                             outcomeText(e.newOutcome, e.newLevel, lang, partial: d.newPartial),
                                             e.missingLabels.joined(separator: zh ? "、" : ", "),
                                             e.measures.map { measureText($0, lang) }.joined(separator: "\n")]
                                        })
        }
        return out
    }

    /// JSON carries no words of the tool, only field names and raw outcome
    /// values, and lists every result (still failing too) for programs, so
    /// neither `lang` nor `--show` changes it; `lang` is there so every
    /// renderer is called the same way.
    static func renderJSON(_ d: DiffResult, lang: Lang = .zh) -> String { value(d).render() }

    /// The summary's key for an outcome (`notApplicable`, not the raw
    /// `not-applicable`), so record counts read like the summaries beside them.
    static func countKey(_ o: Outcome) -> String {
        switch o {
        case .pass: return "pass"
        case .fail: return "fail"
        case .waived: return "waived"
        case .notApplicable: return "notApplicable"
        case .missing: return "missing"
        case .undefined: return "undefined"
        }
    }

    static func value(_ d: DiffResult) -> JSON {
        func counts(_ c: DiffCounts) -> JSON {
            .object([("results", .number(Double(c.results))), ("pass", .number(Double(c.pass))), ("fail", .number(Double(c.fail))),
                     ("waived", .number(Double(c.waived))), ("notApplicable", .number(Double(c.notApplicable))),
                     ("missing", .number(Double(c.missing))), ("undefined", .number(Double(c.undefined)))])
        }
        func entry(_ e: DiffEntry) -> JSON {
            .object([
                ("ruleset", .string(e.ruleset)), ("rule", .string(e.rule)), ("title", .string(e.title)),
                ("entity", .string(e.entity)), ("key", .string(e.key)), ("name", .str(e.name)),
                ("old", .object([("outcome", .str(e.oldOutcome?.rawValue)), ("level", .str(e.oldLevel?.rawValue))])),
                ("new", .object([("outcome", .str(e.newOutcome?.rawValue)), ("level", .str(e.newLevel?.rawValue))])),
                ("missingFields", .array(e.missingFields.map { .string($0) })),
                ("missingLabels", .array(e.missingLabels.map { .string($0) })),
                ("measures", .array(e.measures.map { m in
                    .object([("name", .string(m.name)), ("unit", .string(m.unit)), ("old", .num(m.old)), ("new", .num(m.new)),
                             ("delta", .num(m.delta))])
                })),
            ])
        }
        func records(_ rs: [DiffRecord]?) -> JSON {
            guard let rs else { return .null }
            return .array(rs.map { r in
                .object([("entity", .string(r.entity)), ("key", .string(r.key)), ("name", .str(r.name)),
                         ("results", .number(Double(r.results))),
                         ("outcomes", .object(Outcome.allCases.map { (countKey($0), .number(Double(r.outcomes[$0] ?? 0))) }))])
            })
        }
        return .object([
            ("old", .object([("asOf", .str(d.oldAsOf)), ("partial", .bool(d.oldPartial)), ("summary", counts(d.oldSummary))])),
            ("new", .object([("asOf", .str(d.newAsOf)), ("partial", .bool(d.newPartial)), ("summary", counts(d.newSummary))])),
            ("newRecords", records(d.newRecords)),
            ("removedRecords", records(d.removedRecords)),
            ("newlyFailing", .array(d.newlyFailing.map(entry))),
            ("fixed", .array(d.fixed.map(entry))),
            ("stillFailing", .array(d.stillFailing.map(entry))),
            ("stillFailingByRule", .array(d.stillFailingByRule.map { c in
                .object([("ruleset", .string(c.ruleset)), ("rule", .string(c.rule)), ("title", .string(c.title)),
                         ("count", .number(Double(c.count)))])
            })),
            ("onlyNew", .array(d.onlyNew.map(entry))),
            ("onlyOld", .array(d.onlyOld.map(entry))),
            ("otherChanges", .array(d.otherChanges.map(entry))),
            ("indicatorChanges", .array(d.indicatorChanges.map(entry))),
        ])
    }
}
