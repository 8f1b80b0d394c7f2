/// SARIF 2.1.0 for code-scanning panels (GitHub code scanning, GitLab via
/// converters, VS Code SARIF viewer).
///
/// What becomes a `result`:
/// - fail → `kind: "fail"`, level error / warning / note from the rule level.
/// - missing, undefined → `level: "warning"` (kind `fail`: the spec, §3.27.10,
///   allows a level other than `none` only there), with `properties.outcome`
///   saying which. At `level: none` code-scanning panels hid them, and
///   missing data never passes, so it must not look like a pass.
/// - a data error or a rejected record → a result of the rule `DATA-CELL`
///   (warning) or `DATA-REJECTED` (error), located at its file and line.
/// - waived → the failure with a `suppressions` entry (kind `external`,
///   status `accepted`, the waiver reason as justification), so panels hide
///   it but the audit trail keeps it.
/// - pass, not applicable → no result; they are counted in `run.properties`.
/// Locations point at the input record: `uri` = data file, `startLine` = row.
/// `partialFingerprints` name the rule and record (a data problem: its file,
/// column and value), never the line, so a finding keeps its identity when
/// rows move. At most `maxResults` results are written (GitHub code scanning
/// takes 25,000 per run): the most severe first, the rest counted in
/// `run.properties.omittedResults` and a run-level notification.
enum SARIFReport {
    static let schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"

    /// GitHub code scanning's limit of results per run.
    static let defaultMaxResults = 25_000

    static func render(_ r: Report, lang: Lang = .zh, maxResults: Int = defaultMaxResults) -> String {
        value(r, lang: lang, maxResults: maxResults).render()
    }

    /// The ids of the two rules of data problems; a rule code of a rulebook
    /// never has this form (codes are like ZZ-01).
    static let dataCellRule = "DATA-CELL", dataRejectedRule = "DATA-REJECTED"

    static func value(_ r: Report, lang: Lang = .zh, maxResults: Int = defaultMaxResults) -> JSON {
        let zh = lang == .zh
        var rules = descriptors(r, lang: lang)
        var ids: [String: (id: String, index: Int)] = [:]
        for (i, d) in rules.enumerated() { ids[d.ruleset + "\u{0}" + d.rule] = (d.id, i) }

        // Each candidate with its rank for the cap: 0 is kept first.
        var items: [(json: JSON, rank: CapGroup)] = []
        for x in r.results {
            guard let ref = ids[x.ruleset + "\u{0}" + x.rule], let item = result(x, ruleID: ref.id, ruleIndex: ref.index, lang: lang)
            else { continue }
            items.append((item, CapGroup(x)))
        }
        if !r.dataErrors.isEmpty {
            let cellIndex = rules.count, rejectedIndex = rules.count + 1
            rules.append(dataDescriptor(dataCellRule, level: .warning, lang: lang))
            rules.append(dataDescriptor(dataRejectedRule, level: .error, lang: lang))
            for e in r.dataErrors {
                items.append((dataResult(e, ruleIndex: e.rejectsRecord ? rejectedIndex : cellIndex, lang: lang),
                              e.rejectsRecord ? .rejectedRecords : .warning))
            }
        }
        let limit = max(0, maxResults)
        var kept = Array(repeating: true, count: items.count)
        var omitted: [CapGroup: Int] = [:]
        if items.count > limit {
            let order = items.indices.sorted { (items[$0].rank.rawValue, $0) < (items[$1].rank.rawValue, $1) }
            for i in order.dropFirst(limit) {
                kept[i] = false
                omitted[items[i].rank, default: 0] += 1
            }
        }
        let results = items.indices.filter { kept[$0] }.map { items[$0].json }
        let left = items.count - results.count
        let driver: JSON = .object([
            ("name", .string(r.tool)),
            ("version", .string(r.version)),
            ("semanticVersion", .string(r.version)),
            ("rules", .array(rules.map { $0.json })),
        ])
        var properties: [(String, JSON)] = [
            ("asOf", .string(CivilDate.format(r.asOf))),
            ("summary", JSONReport.summary(r.summary)),
            ("rulesets", .array(r.rulesets.map { rs in .object([("id", .string(rs.id)), ("title", .string(rs.title))]) })),
        ]
        var run: [(String, JSON)] = [
            ("tool", .object([("driver", driver)])),
            ("columnKind", .string("unicodeCodePoints")),
        ]
        if left > 0 {
            properties.append(("omittedResults", .object([("total", .number(Double(left)))]
                + CapGroup.allCases.map { ($0.name, JSON.number(Double(omitted[$0] ?? 0))) })))
            let text = zh ? "结果共 \(items.count) 条，超过上限 \(limit) 条（--max-results）：按严重程度保留前 \(limit) 条，省略 \(left) 条；完整结果见 JSON 报告"
                         : "\(items.count) results exceed the limit of \(limit) (--max-results): the \(limit) most severe are kept and \(left) left out; the JSON report has them all"
            run.append(("invocations", .array([.object([
                ("executionSuccessful", .bool(true)),
                ("toolExecutionNotifications", .array([.object([
                    ("level", .string("warning")), ("message", .object([("text", .string(text))])),
                ])])),
            ])])))
        }
        run.append(("results", .array(results)))
        run.append(("properties", .object(properties)))
        return .object([
            ("$schema", .string(schemaURI)),
            ("version", .string("2.1.0")),
            ("runs", .array([.object(run)])),
        ])
    }

    /// The order in which results survive the cap: failing errors, rejected
    /// records, then warnings, cell errors and missing data, notes, waived.
    enum CapGroup: Int, CaseIterable {
        case error, rejectedRecords, warning, note, waived

        init(_ x: RuleResult) {
            switch x.outcome {
            case .fail:
                switch x.level ?? .error {
                case .error: self = .error
                case .warning: self = .warning
                case .info: self = .note
                }
            case .missing, .undefined: self = .warning
            case .waived, .pass, .notApplicable: self = .waived
            }
        }

        /// The key in `run.properties.omittedResults`.
        var name: String { String(describing: self) }
    }

    static func dataDescriptor(_ id: String, level l: Level, lang: Lang) -> Descriptor {
        let zh = lang == .zh
        let title = id == dataRejectedRule
            ? (zh ? "记录被拒收（缺少或重复的记录标识等），未评估" : "a record was rejected (no key, a repeated key) and not evaluated")
            : (zh ? "单元格的值无法读取，按缺失处理" : "a cell's value cannot be read and counts as missing")
        let help = zh ? "数据文件中的问题：请按提示改正该行后重新检查。" : "A problem in a data file: correct the row as the message says and check again."
        let json: JSON = .object([
            ("id", .string(id)), ("name", .string(id)),
            ("shortDescription", .object([("text", .string(title))])),
            ("help", .object([("text", .string(help)), ("markdown", .string("**" + markdownEscape(title) + "**\n\n" + markdownEscape(help)))])),
            ("defaultConfiguration", .object([("level", .string(level(l)))])),
            ("properties", .object([("level", .string(l.rawValue)), ("tags", .array([.string("data")]))])),
        ])
        return Descriptor(ruleset: "", rule: id, id: id, json: json)
    }

    static func dataResult(_ e: DataError, ruleIndex: Int, lang: Lang) -> JSON {
        let zh = lang == .zh
        var text = RenderSupport.location(e.path, e.line)
        if let c = e.column { text += zh ? " 列「\(c)」" : " column '\(c)'" }
        if let v = e.value { text += zh ? (e.column == nil ? " 的值“\(v)”" : "的值“\(v)”") : " value '\(v)'" }
        text += (zh ? "：" : ": ") + e.reason(lang)
        var physical: [(String, JSON)] = [("artifactLocation", .object([("uri", .string(uri(e.path)))]))]
        if let l = e.line, l >= 1 { physical.append(("region", .object([("startLine", .number(Double(l)))]))) }
        let id = e.rejectsRecord ? dataRejectedRule : dataCellRule
        var props: [(String, JSON)] = [("path", .string(e.path))]
        if let c = e.column { props.append(("column", .string(c))) }
        if let v = e.value { props.append(("value", .string(v))) }
        return .object([
            ("ruleId", .string(id)),
            ("ruleIndex", .number(Double(ruleIndex))),
            ("kind", .string("fail")),
            ("level", .string(e.rejectsRecord ? "error" : "warning")),
            ("message", .object([("text", .string(text))])),
            ("locations", .array([.object([("physicalLocation", .object(physical))])])),
            ("partialFingerprints", .object([("dabiaoData/v1", .string("\(id)/\(e.path)/\(e.column ?? "")/\(e.value ?? "")"))])),
            ("properties", .object(props)),
        ])
    }

    /// Markdown text with its punctuation escaped, so a title such as
    /// `生师比*` is shown as written.
    static func markdownEscape(_ s: String) -> String {
        var out = ""
        for c in s {
            if "\\`*_[]<>|~".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }

    struct Descriptor {
        var ruleset: String
        var rule: String
        var id: String
        var json: JSON
    }

    /// One descriptor per rule, in tally order then any rule seen only in
    /// results. The id is the rule code; a code used by two rulesets is
    /// qualified as `ruleset/code` so ids stay unique, as SARIF requires.
    static func descriptors(_ r: Report, lang: Lang) -> [Descriptor] {
        struct Info { var ruleset, rule, title: String; var level: Level?; var cite: String?; var requires: [RequireText] = []; var url: String? }
        var infos: [Info] = []
        var seen = Set<String>()
        for t in r.tallies where seen.insert(t.ruleset + "\u{0}" + t.rule).inserted {
            infos.append(Info(ruleset: t.ruleset, rule: t.rule, title: t.title, level: t.level, cite: t.cite, requires: t.requires,
                              url: t.url.flatMap { $0.isEmpty ? nil : $0 }))
        }
        for x in r.results where seen.insert(x.ruleset + "\u{0}" + x.rule).inserted {
            infos.append(Info(ruleset: x.ruleset, rule: x.rule, title: x.title, level: x.level, cite: x.cite))
        }
        let zh = lang == .zh
        func markdown(_ i: Info) -> String {
            var md = "**" + markdownEscape("\(i.rule) \(i.title)") + "**\n\n"
            if let c = i.cite, !c.isEmpty { md += (zh ? "依据：" : "Source: ") + markdownEscape(c) + "\n\n" }
            if !i.requires.isEmpty {
                md += zh ? "要求：\n\n" : "Requires:\n\n"
                for q in i.requires {
                    let code = "`" + q.source.replacingOccurrences(of: "`", with: "'") + "`"
                    md += "- " + (q.label.map { markdownEscape($0) + (zh ? "：" : ": ") } ?? "") + code + lang.aside(q.level.label(lang)) + "\n"
                }
            }
            // An autolink: the rulebook's url has no `<`, `>` or space (the
            // parser refuses them), so it cannot break out of the brackets.
            if let u = i.url { md += (i.requires.isEmpty ? "" : "\n") + (zh ? "详见：" : "More: ") + "<" + u + ">\n" }
            return md
        }
        var codeCount: [String: Int] = [:]
        for i in infos { codeCount[i.rule, default: 0] += 1 }
        return infos.map { i in
            let id = (codeCount[i.rule] ?? 0) > 1 ? "\(i.ruleset)/\(i.rule)" : i.rule
            var members: [(String, JSON)] = [("id", .string(id)), ("name", .string(i.rule)),
                                             ("shortDescription", .object([("text", .string(i.title))]))]
            if let c = i.cite, !c.isEmpty {
                members.append(("fullDescription", .object([("text", .string(c))])))
            }
            if let u = i.url { members.append(("helpUri", .string(u))) }
            members.append(("help", .object([("text", .string(i.cite.flatMap { $0.isEmpty ? nil : $0 } ?? i.title)),
                                             ("markdown", .string(markdown(i)))])))
            members.append(("defaultConfiguration", .object([("level", .string(level(i.level ?? .error)))])))
            members.append(("properties", .object([
                ("ruleset", .string(i.ruleset)),
                ("level", .string((i.level ?? .error).rawValue)),
                ("tags", .array([.string(i.ruleset)])),
            ])))
            return Descriptor(ruleset: i.ruleset, rule: i.rule, id: id, json: .object(members))
        }
    }

    static func level(_ l: Level) -> String {
        switch l {
        case .error: return "error"
        case .warning: return "warning"
        case .info: return "note"
        }
    }

    static func result(_ x: RuleResult, ruleID: String, ruleIndex: Int, lang: Lang) -> JSON? {
        let zh = lang == .zh
        let kind: String
        let lvl: String
        switch x.outcome {
        case .pass, .notApplicable: return nil
        case .fail, .waived:
            kind = "fail"
            lvl = level(x.level ?? .error)
        case .missing, .undefined:
            kind = "fail"
            lvl = "warning"
        }
        var who = "\(x.key)"
        if let n = x.name, !n.isEmpty { who += " \(n)" }
        var text = "\(x.rule) \(x.title)（\(who)）"
        if !zh { text = "\(x.rule) \(x.title) (\(who))" }
        text += zh ? "：" : ": "
        switch x.outcome {
        case .missing, .undefined:
            text += RenderSupport.undefinedText(x, lang) ?? x.outcome.label(lang)
            if !x.missingFields.isEmpty { text += (zh ? "，缺失 " : ", missing ") + RenderSupport.missingNames(x, lang).joined(separator: zh ? "、" : ", ") }
        default:
            text += x.message.flatMap { $0.isEmpty ? nil : $0 } ?? RenderSupport.outcomeText(x.outcome, x.level, lang)
        }
        if !x.measures.isEmpty { text += (zh ? "。指标：" : ". Measures: ") + x.measures.map(RenderSupport.measureText).joined(separator: zh ? "；" : "; ") }
        if !x.fixes.isEmpty { text += (zh ? "。整改：" : ". Fix: ") + x.fixes.map { RenderSupport.fixText($0, lang) }.joined(separator: zh ? "；或 " : "; or ") }

        var members: [(String, JSON)] = [
            ("ruleId", .string(ruleID)),
            ("ruleIndex", .number(Double(ruleIndex))),
            ("kind", .string(kind)),
            ("level", .string(lvl)),
            ("message", .object([("text", .string(text))])),
        ]
        var location: [(String, JSON)] = []
        if let p = x.sourcePath, !p.isEmpty {
            var physical: [(String, JSON)] = [("artifactLocation", .object([("uri", .string(uri(p)))]))]
            if let l = x.sourceLine, l >= 1 { physical.append(("region", .object([("startLine", .number(Double(l)))]))) }
            location.append(("physicalLocation", .object(physical)))
        }
        location.append(("logicalLocations", .array([.object([
            ("name", .string(x.key)), ("fullyQualifiedName", .string("\(x.entity)/\(x.key)")), ("kind", .string("object")),
        ])])))
        members.append(("locations", .array([.object(location)])))
        // Stable across runs, so a code-scanning panel tracks one finding per
        // rule and record instead of opening a new one every time.
        members.append(("partialFingerprints", .object([("dabiaoRecord/v1", .string("\(x.ruleset)/\(x.rule)/\(x.entity)/\(x.key)"))])))
        if x.outcome == .waived {
            members.append(("suppressions", .array([.object([
                ("kind", .string("external")), ("status", .string("accepted")),
                ("justification", .string(x.waiverReason ?? "")),
            ])])))
        }
        var props: [(String, JSON)] = [
            ("ruleset", .string(x.ruleset)), ("entity", .string(x.entity)), ("key", .string(x.key)),
            ("name", .str(x.name)), ("city", .str(x.city)), ("outcome", .string(x.outcome.rawValue)),
            ("measures", .array(x.measures.map { m in .object([("name", .string(m.name)), ("value", .num(m.value)), ("unit", .string(m.unit))]) })),
        ]
        if !x.missingFields.isEmpty { props.append(("missingFields", .array(x.missingFields.map { .string($0) }))) }
        if !x.missingLabels.isEmpty { props.append(("missingLabels", .array(x.missingLabels.map { .string($0.text(lang)) }))) }
        if let u = x.undefinedReason { props.append(("undefinedReason", .string(u.rawValue))) }
        if !x.fixes.isEmpty { props.append(("fixes", .array(x.fixes.map { JSONReport.fix($0, lang: lang) }))) }
        members.append(("properties", .object(props)))
        return .object(members)
    }

    /// A path as a URI reference (RFC 3986): `\` becomes `/`, everything
    /// outside the unreserved set and `/` is percent-encoded as UTF-8, and an
    /// absolute path becomes a `file://` URI.
    static func uri(_ path: String) -> String {
        let p = path.replacingAll("\\", with: "/")
        var out = ""
        for b in p.utf8 {
            let c = Character(Unicode.Scalar(b))
            if (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || "-._~/".contains(c) {
                out.append(c)
            } else {
                let hex = String(b, radix: 16, uppercase: true)
                out += "%" + (hex.count < 2 ? "0" : "") + hex
            }
        }
        if p.hasPrefix("/") { return "file://" + out }
        // `C:/x` is a Windows drive path, not a URI with scheme `c`.
        let u = Array(p.utf8)
        if u.count >= 3, u[1] == UInt8(ascii: ":"), u[2] == UInt8(ascii: "/"),
           (u[0] >= 0x41 && u[0] <= 0x5A) || (u[0] >= 0x61 && u[0] <= 0x7A) {
            return "file:///" + String(Character(Unicode.Scalar(u[0]))) + ":" + String(out.dropFirst(4))
        }
        return out
    }
}

extension String {
    fileprivate func replacingAll(_ a: Character, with b: Character) -> String {
        String(map { $0 == a ? b : $0 })
    }
}
