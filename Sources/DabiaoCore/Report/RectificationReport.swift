/// The 整改清单 as people read it: who must do what, where, by when.
/// Grouped by owner (the one who acts), then by 市州 (who follows up), then
/// by record, the records with an error-level failure first. It only
/// arranges what the engine decided: `r.rectification`, and `r.results` for
/// the level of each failed rule.
enum RectificationReport {
    static func text(_ r: Report, lang: Lang) -> String {
        let zh = lang == .zh
        let levels = failedLevels(r.results)
        var out = (zh ? "整改清单" : "Rectification list") + "  " + (zh ? "审计日期 " : "as of ") + CivilDate.format(r.asOf) + "\n"
        let items = r.rectification
        guard !items.isEmpty else {
            return out + (zh ? "无需整改：没有不达标的记录。\n" : "Nothing to rectify: no record fails.\n")
        }
        out += summary(items, levels: levels, lang: lang)
        // Keys of different entities may coincide; name the entity only when that can happen.
        let showEntity = Set(items.map(\.entity)).count > 1
        for (owner, ofOwner) in grouped(items, by: \.owner) {
            out += "\n" + (zh ? "责任主体：" : "Owner: ") + (owner ?? (zh ? "（未指定）" : "(none)")) + "\n"
            for (city, ofCity) in grouped(ofOwner, by: \.city) {
                out += "  " + (city ?? (zh ? "（未注明市州）" : "(no city)")) + "\n"
                let sorted = ofCity.sorted { a, b in
                    let ra = rank(level(a, levels)), rb = rank(level(b, levels))
                    if ra != rb { return ra < rb }
                    if a.key != b.key { return a.key < b.key }
                    return a.entity < b.entity
                }
                for item in sorted { out += record(item, levels: levels, showEntity: showEntity, lang: lang) }
            }
        }
        return out
    }

    /// The level of each failed (not waived) result, by entity, key and rule.
    static func failedLevels(_ results: [RuleResult]) -> [String: Level] {
        var m: [String: Level] = [:]
        for x in results where x.outcome == .fail {
            m[id(x.entity, x.key, x.rule)] = x.level ?? .error
        }
        return m
    }

    static func id(_ entity: String, _ key: String, _ rule: String) -> String { entity + "\u{1}" + key + "\u{1}" + rule }

    /// The most severe level among the record's failed rules; nil when the
    /// report does not list them.
    static func level(_ item: RectificationItem, _ levels: [String: Level]) -> Level? {
        let rules = item.changes.flatMap(\.rules) + item.passesAfter + item.stillFailing + item.unresolved.map(\.rule)
        return rules.compactMap { levels[id(item.entity, item.key, $0)] }.max()
    }

    static func rank(_ l: Level?) -> Int {
        switch l {
        case .error: return 0
        case .warning: return 1
        case .info: return 2
        case nil: return 3
        }
    }

    /// Groups in code-point order of their name, the unnamed group last, so
    /// the list reads the same on every run.
    static func grouped(_ items: [RectificationItem], by key: KeyPath<RectificationItem, String?>) -> [(String?, [RectificationItem])] {
        var named: [String: [RectificationItem]] = [:]
        var unnamed: [RectificationItem] = []
        for item in items {
            if let k = item[keyPath: key], !k.isEmpty { named[k, default: []].append(item) } else { unnamed.append(item) }
        }
        var out: [(String?, [RectificationItem])] = named.keys.sorted().map { ($0, named[$0] ?? []) }
        if !unnamed.isEmpty { out.append((nil, unnamed)) }
        return out
    }

    static func summary(_ items: [RectificationItem], levels: [String: Level], lang: Lang) -> String {
        let zh = lang == .zh
        let changes = items.reduce(0) { $0 + $1.changes.count }
        let conflicts = items.reduce(0) { $0 + $1.conflicts.count }
        let stillFailingRules = items.reduce(0) { $0 + $1.stillFailing.count }
        let stillFailing = items.filter { !$0.stillFailing.isEmpty }.count
        var counts = [0, 0, 0, 0]
        for item in items { counts[rank(level(item, levels))] += 1 }
        var parts = [zh ? "需整改记录 \(items.count) 条（错误 \(counts[0]) · 警告 \(counts[1]) · 提示 \(counts[2])）"
                       : "\(items.count) records to rectify (error \(counts[0]) · warning \(counts[1]) · info \(counts[2]))",
                     zh ? "整改事项 \(changes) 项" : "changes \(changes)"]
        if conflicts > 0 { parts.append(zh ? "方向冲突 \(conflicts) 项" : "conflicts \(conflicts)") }
        if stillFailing > 0 {
            parts.append(zh ? "整改后仍不达标的规则 \(stillFailingRules) 条（\(stillFailing) 条记录）"
                           : "rules still failing after the changes \(stillFailingRules) (\(stillFailing) records)")
        }
        var out = parts.joined(separator: " · ")
        out += "\n" + (zh ? "按责任主体：" : "By owner:") + "\n"
        let rows = grouped(items, by: \.owner).map { owner, xs -> [String] in
            [owner ?? (zh ? "（未指定）" : "(none)"),
             zh ? "\(xs.count) 条记录" : "\(xs.count) records",
             zh ? "\(xs.reduce(0) { $0 + $1.changes.count }) 项整改" : "\(xs.reduce(0) { $0 + $1.changes.count }) changes"]
        }
        out += columns(rows, rightAligned: [1, 2], indent: "  ")
        return out
    }

    static func record(_ item: RectificationItem, levels: [String: Level], showEntity: Bool, lang: Lang) -> String {
        let zh = lang == .zh
        let tag = level(item, levels).map { $0.label(lang) } ?? Outcome.fail.label(lang)
        var head = "    [\(tag)] " + (showEntity ? (item.entityLabel ?? item.entity) + " " : "")
        if let n = item.name, !n.isEmpty {
            head += n + lang.aside(item.key)
        } else {
            head += item.key
        }
        if let d = item.deadline { head += (zh ? "  期限 " : "  by ") + CivilDate.format(d) }
        var out = head + "\n"
        let rows = item.changes.map { c -> [String] in
            [c.label.isEmpty ? c.field : c.label,
             c.from.map { formatNumber($0) } ?? "—",
             "→",
             c.to.map { formatNumber($0) } ?? "—",
             c.unit,
             delta(c.delta, unit: c.unit),
             c.action ?? "",
             "[" + c.rules.joined(separator: ", ") + "]"]
        }
        out += columns(rows, rightAligned: [1, 3, 5], separators: ["  ", " ", " ", " ", "  ", "  ", "  "], indent: "      ")
        for c in item.conflicts { out += "      ! " + (zh ? "方向冲突：" : "conflict: ") + c(lang) + "\n" }
        for u in item.unresolved {
            let l = levels[id(item.entity, item.key, u.rule)].map { lang.aside($0.label(lang)) } ?? ""
            out += "      ! " + (zh ? "整改后仍不达标 " : "still failing ") + u.rule + l + (zh ? "：" : ": ") + u.reason(lang) + "\n"
        }
        if !item.passesAfter.isEmpty {
            out += "      " + (zh ? "整改后达标：" : "passes after: ") + item.passesAfter.joined(separator: ", ") + "\n"
        }
        // Each still-failing rule has its line above, with the reason.
        let unexplained = item.stillFailingWithoutReason
        if !unexplained.isEmpty {
            out += "      " + (zh ? "整改后仍不达标：" : "still failing: ") + unexplained.joined(separator: ", ") + "\n"
        }
        return out
    }

    /// `+34 人`, `−400 人`: the sign says the direction, the unit what is counted.
    static func delta(_ d: Double?, unit: String) -> String {
        guard let d else { return "—" }
        return TextReport.change(d) + (unit.isEmpty ? "" : " " + unit)
    }

    /// Cells padded to their column's display width (CJK counts two), with
    /// no trailing spaces. A column empty in every row is dropped with the
    /// separator before it; `separators[i]` goes before column i + 1.
    static func columns(_ rows: [[String]], rightAligned: Set<Int>, separators: [String] = [], indent: String) -> String {
        guard let n = rows.map(\.count).max() else { return "" }
        var widths = [Int](repeating: 0, count: n)
        for r in rows {
            for (i, c) in r.enumerated() { widths[i] = max(widths[i], displayWidth(c)) }
        }
        var out = ""
        for r in rows {
            var line = indent
            var first = true
            for (i, c) in r.enumerated() where widths[i] > 0 {
                if !first { line += i - 1 < separators.count ? separators[i - 1] : "  " }
                first = false
                line += TextReport.pad(c, widths[i], right: rightAligned.contains(i))
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        return out
    }
}
