/// SARIF 2.1.0 for code-scanning panels (GitHub code scanning, GitLab via
/// converters, VS Code SARIF viewer).
///
/// What becomes a `result`:
/// - fail → `kind: "fail"`, level error / warning / note from the rule level.
/// - missing, undefined → `kind: "open"`, `level: "none"`: SARIF's word for
///   "the tool could not tell pass from fail", and the spec (§3.27.10) allows
///   only `none` for a kind other than `fail`. Viewers that ignore `kind`
///   still list them, at the lowest severity.
/// - waived → the failure with a `suppressions` entry (kind `external`,
///   status `accepted`, the waiver reason as justification), so panels hide
///   it but the audit trail keeps it.
/// - pass, not applicable → no result; they are counted in `run.properties`.
/// Locations point at the input record: `uri` = data file, `startLine` = row.
public enum SARIFReport {
    public static let schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"

    public static func render(_ r: Report, lang: Lang = .zh) -> String {
        value(r, lang: lang).render()
    }

    public static func value(_ r: Report, lang: Lang = .zh) -> JSON {
        let rules = descriptors(r)
        var ids: [String: (id: String, index: Int)] = [:]
        for (i, d) in rules.enumerated() { ids[d.ruleset + "\u{0}" + d.rule] = (d.id, i) }

        var results: [JSON] = []
        for x in r.results {
            guard let ref = ids[x.ruleset + "\u{0}" + x.rule], let item = result(x, ruleID: ref.id, ruleIndex: ref.index, lang: lang)
            else { continue }
            results.append(item)
        }
        let driver: JSON = .object([
            ("name", .string(r.tool)),
            ("version", .string(r.version)),
            ("semanticVersion", .string(r.version)),
            ("rules", .array(rules.map { $0.json })),
        ])
        return .object([
            ("$schema", .string(schemaURI)),
            ("version", .string("2.1.0")),
            ("runs", .array([.object([
                ("tool", .object([("driver", driver)])),
                ("columnKind", .string("unicodeCodePoints")),
                ("results", .array(results)),
                ("properties", .object([
                    ("asOf", .string(CivilDate.format(r.asOf))),
                    ("summary", JSONReport.summary(r.summary)),
                    ("rulesets", .array(r.rulesets.map { rs in .object([("id", .string(rs.id)), ("title", .string(rs.title))]) })),
                ])),
            ])])),
        ])
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
    static func descriptors(_ r: Report) -> [Descriptor] {
        struct Info { var ruleset, rule, title: String; var level: Level?; var cite: String? }
        var infos: [Info] = []
        var seen = Set<String>()
        for t in r.tallies where seen.insert(t.ruleset + "\u{0}" + t.rule).inserted {
            infos.append(Info(ruleset: t.ruleset, rule: t.rule, title: t.title, level: t.level, cite: t.cite))
        }
        for x in r.results where seen.insert(x.ruleset + "\u{0}" + x.rule).inserted {
            infos.append(Info(ruleset: x.ruleset, rule: x.rule, title: x.title, level: x.level, cite: x.cite))
        }
        var codeCount: [String: Int] = [:]
        for i in infos { codeCount[i.rule, default: 0] += 1 }
        return infos.map { i in
            let id = (codeCount[i.rule] ?? 0) > 1 ? "\(i.ruleset)/\(i.rule)" : i.rule
            var members: [(String, JSON)] = [("id", .string(id)), ("name", .string(i.rule)),
                                             ("shortDescription", .object([("text", .string(i.title))]))]
            if let c = i.cite, !c.isEmpty {
                members.append(("fullDescription", .object([("text", .string(c))])))
                members.append(("help", .object([("text", .string(c))])))
            }
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
        let z = lang == .zh
        let kind: String
        let lvl: String
        switch x.outcome {
        case .pass, .notApplicable: return nil
        case .fail, .waived:
            kind = "fail"
            lvl = level(x.level ?? .error)
        case .missing, .undefined:
            kind = "open"
            lvl = "none"
        }
        var who = "\(x.key)"
        if let n = x.name, !n.isEmpty { who += " \(n)" }
        var text = "\(x.rule) \(x.title)（\(who)）"
        if !z { text = "\(x.rule) \(x.title) (\(who))" }
        text += z ? "：" : ": "
        switch x.outcome {
        case .missing, .undefined:
            text += RenderSupport.undefinedText(x, lang) ?? x.outcome.label(lang)
            if !x.missingFields.isEmpty { text += (z ? "，缺失 " : ", missing ") + x.missingFields.joined(separator: z ? "、" : ", ") }
        default:
            text += x.message.flatMap { $0.isEmpty ? nil : $0 } ?? RenderSupport.outcomeText(x.outcome, x.level, lang)
        }
        if !x.measures.isEmpty { text += (z ? "。指标：" : ". Measures: ") + x.measures.map(RenderSupport.measureText).joined(separator: z ? "；" : "; ") }
        if !x.fixes.isEmpty { text += (z ? "。整改：" : ". Fix: ") + x.fixes.map { RenderSupport.fixText($0, lang) }.joined(separator: z ? "；或 " : "; or ") }

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
