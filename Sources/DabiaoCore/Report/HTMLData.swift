/// The results of an HTML report as data: one JSON document in a
/// `<script type="application/json">` block that the page's script pages,
/// filters and sorts. Everything a row repeats (rule title and citation,
/// measure names, units, field labels, actions, source paths, the missing
/// field lists) is held once in a string table and named by its index, so a
/// run with a hundred thousand failures stays a page a browser opens in
/// seconds. `rowHTML` writes a row exactly as the script does, for the rows
/// that are in the page as HTML (no scripting, print).
///
/// Layout (`v` 1):
/// - `s`: the string table; `-1` stands for none.
/// - `rules`: `[code, title, cite, owner]` (string indices), in report order.
/// - `cities`: string indices, in the region data's order.
/// - `recs`: `[key, name or null, city index or -1]`.
/// - `rows`, in failures-first order: `[rule, rec, category, measures, message, notes, fixes, path, line or null]`,
///   measures flat `[name, value, unit, …]`, notes flat `[class, text, …]` (class 1: missing/undefined, 0: plain),
///   fixes `[[label, from, to, unit, delta or null, action]]` or `[[text]]` when no remedy was found.
///   Values are numbers written as the other reports write them (`formatNumber`), or that text when it is no safe JSON number.
/// - `cats`: per category (0 failing error … 7 not applicable) `[label, badge class]`; `t`: the page's words.
struct HTMLData {
    let report: Report
    let lang: Lang
    /// Result indices, failures first, report order within a category.
    let order: [Int]
    var strings: [String] = []
    var stringIndex: [String: Int] = [:]
    /// Rule table: code, title, cite, owner (string indices).
    var rules: [[Int]] = []
    var ruleOf: [Int] = []
    var recs: [(key: String, name: String?, city: Int)] = []
    var recOf: [Int] = []
    let cities: [String]
    var hasNoCity = false
    var owners: [String] = []
    var categories: [Int] = []

    init(_ r: Report, lang: Lang) {
        report = r
        self.lang = lang
        let ranks = r.results.map(RenderSupport.rank)
        order = r.results.indices.sorted { (ranks[$0], $0) < (ranks[$1], $1) }
        categories = Array(Set(ranks)).sorted()
        cities = HTMLReport.cityOrder(r)
        let cityIndex = Dictionary(cities.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var ruleIDs: [String: Int] = [:]
        var recIDs: [String: Int] = [:]
        var ownerSeen = Set<String>()
        for x in r.results {
            let rk = [x.ruleset, x.rule, x.title, x.cite ?? "", x.owner ?? ""].joined(separator: "\u{0}")
            if let i = ruleIDs[rk] {
                ruleOf.append(i)
            } else {
                ruleIDs[rk] = rules.count
                ruleOf.append(rules.count)
                rules.append([intern(x.rule), intern(x.title), x.cite.map { intern($0) } ?? -1, x.owner.map { intern($0) } ?? -1])
                if let o = x.owner, !o.isEmpty, ownerSeen.insert(o).inserted { owners.append(o) }
            }
            let ek = x.entity + "\u{0}" + x.key
            if let i = recIDs[ek] {
                recOf.append(i)
            } else {
                recIDs[ek] = recs.count
                recOf.append(recs.count)
                let c = x.city.flatMap { cityIndex[$0] } ?? -1
                if c < 0 { hasNoCity = true }
                recs.append((x.key, x.name, c))
            }
        }
    }

    mutating func intern(_ s: String) -> Int {
        if let i = stringIndex[s] { return i }
        stringIndex[s] = strings.count
        strings.append(s)
        return strings.count - 1
    }

    func categoryLabel(_ c: Int) -> String {
        switch c {
        case 0: return RenderSupport.outcomeText(.fail, .error, lang)
        case 1: return RenderSupport.outcomeText(.fail, .warning, lang)
        case 2: return RenderSupport.outcomeText(.fail, .info, lang)
        case 3: return Outcome.missing.label(lang)
        case 4: return Outcome.undefined.label(lang)
        case 5: return Outcome.waived.label(lang)
        case 6: return Outcome.pass.label(lang)
        default: return Outcome.notApplicable.label(lang)
        }
    }

    static let categoryClass = ["fail-error", "fail-warning", "fail-info", "missing", "undefined", "waived", "pass", "not-applicable"]

    func ruleOptionText(_ i: Int) -> String { strings[rules[i][0]] + " " + strings[rules[i][1]] }

    // MARK: Row parts, shared by the JSON and the HTML rows

    /// Notes besides the message: missing fields, why undefined, the waiver.
    func notes(_ x: RuleResult) -> [(missing: Bool, text: String)] {
        let zh = lang == .zh
        var out: [(Bool, String)] = []
        if !x.missingFields.isEmpty {
            out.append((true, (zh ? "缺失：" : "missing: ") + RenderSupport.missingNames(x, lang).joined(separator: zh ? "、" : ", ")))
        }
        if let u = RenderSupport.undefinedText(x, lang) { out.append((true, u)) }
        if let w = x.waiverReason { out.append((false, (zh ? "豁免理由：" : "waived because: ") + w)) }
        return out
    }

    func citeText(_ c: String) -> String { (lang == .zh ? "依据：" : "cite: ") + c }

    /// A number as the other reports print it; a JSON number when the text
    /// is one that reads back to the same text in a browser, else a string.
    static func value(_ d: Double?) -> String {
        guard let d else { return "null" }
        let t = formatNumber(d)
        return isPlainNumber(t) ? t : str(t)
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?` with at most 15 digits: a
    /// browser's `String(Number(t))` gives `t` back.
    static func isPlainNumber(_ t: String) -> Bool {
        var u = Array(t.unicodeScalars)
        if u.first == "-" { u.removeFirst() }
        let isDigit: (Unicode.Scalar) -> Bool = { ("0"..."9").contains($0) }
        let parts = u.split(separator: ".", omittingEmptySubsequences: false)
        guard let int = parts.first, !int.isEmpty, parts.count <= 2, int.allSatisfy(isDigit), int.count == 1 || int.first != "0" else { return false }
        var digits = int.count
        if parts.count == 2 {
            let frac = parts[1]
            guard !frac.isEmpty, frac.allSatisfy(isDigit), frac.last != "0" else { return false }
            digits += frac.count
        }
        return digits <= 15 && t != "-0"
    }

    // MARK: JSON

    /// A JSON string that is safe inside a `<script>` element: `<`, `>` and
    /// `&` as escapes, control characters dropped as in the HTML.
    static func str(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if u.value < 0x20 || (u.value >= 0x7F && u.value < 0xA0) || u.value == 0xFFFE || u.value == 0xFFFF { continue }
                out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    func json() -> String {
        var me = self
        var rows: [String] = []
        rows.reserveCapacity(order.count)
        for i in order {
            let x = report.results[i]
            var m: [String] = []
            for v in x.measures { m += [String(me.intern(v.name)), Self.value(v.value), String(me.intern(v.unit))] }
            var n: [String] = []
            for note in notes(x) { n += [note.missing ? "1" : "0", String(me.intern(note.text))] }
            let fixes = x.fixes.map { f -> String in
                guard f.to != nil else { return "[\(me.intern(RenderSupport.fixText(f, lang)))]" }
                let label = f.label.isEmpty ? f.field : f.label
                let delta = f.delta.map { Self.str(RenderSupport.signed($0, exact: false)) } ?? "null"
                return "[\(me.intern(label)),\(Self.value(f.from)),\(Self.value(f.to)),\(me.intern(f.unit)),\(delta),\(me.intern(f.action ?? ""))]"
            }
            let path = x.sourcePath.map { String(me.intern($0)) } ?? "-1"
            // Line ends as the HTML rows split them: one `\n` each. Many
            // messages recur word for word, so they go to the table too.
            let msg = x.message.flatMap { m in
                m.isEmpty ? nil : String(me.intern(m.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
                    .joined(separator: "\n")))
            } ?? "-1"
            rows.append("[\(ruleOf[i]),\(recOf[i]),\(RenderSupport.rank(x)),[\(m.joined(separator: ","))],\(msg),[\(n.joined(separator: ","))],"
                        + "[\(fixes.joined(separator: ","))],\(path),\(x.sourceLine.map(String.init) ?? "null")]")
        }
        let cityRefs = cities.map { String(me.intern($0)) }
        let ownerRefs = owners.map { String(me.intern($0)) }
        let zh = lang == .zh
        let words: [(String, String)] = [
            ("first", zh ? "首页" : "first"), ("prev", zh ? "上一页" : "previous"), ("next", zh ? "下一页" : "next"), ("last", zh ? "末页" : "last"),
            ("page", zh ? "第 {p} / {n} 页" : "page {p} of {n}"),
            ("shown", zh ? "符合条件 {m} 条（共 {n} 条），本页 {a}–{b}" : "{m} of {n} match, showing {a}–{b}"),
            ("none", zh ? "没有符合条件的结果" : "no result matches"),
            ("cite", zh ? "依据：" : "cite: "), ("lp", zh ? "（" : " ("), ("rp", zh ? "）" : ")"),
            ("printed", zh ? "打印内容：符合当前筛选的前 {a} 条（共 {m} 条）。" : "Printed: the first {a} of the {m} results that match the filters."),
        ]
        var out = "{\"v\":1,\"s\":[" + me.strings.map(Self.str).joined(separator: ",") + "]"
        out += ",\"rules\":[" + rules.map { "[" + $0.map(String.init).joined(separator: ",") + "]" }.joined(separator: ",") + "]"
        out += ",\"cities\":[" + cityRefs.joined(separator: ",") + "]"
        out += ",\"owners\":[" + ownerRefs.joined(separator: ",") + "]"
        out += ",\"recs\":[" + recs.map { "[\(Self.str($0.key)),\($0.name.map(Self.str) ?? "null"),\($0.city)]" }.joined(separator: ",") + "]"
        out += ",\"cats\":[" + (0..<8).map { "[\(Self.str(categoryLabel($0))),\(Self.str(Self.categoryClass[$0]))]" }.joined(separator: ",") + "]"
        out += ",\"t\":{" + words.map { "\(Self.str($0.0)):\(Self.str($0.1))" }.joined(separator: ",") + "}"
        out += ",\"static\":\(min(order.count, HTMLReport.staticRows)),\"page\":\(HTMLReport.pageRows)"
        out += ",\"rows\":[\n" + rows.joined(separator: ",\n") + "]}"
        return out
    }

    // MARK: HTML row

    /// One result as a table row, byte for byte what the page script's
    /// `row()` writes for it.
    func rowHTML(_ i: Int) -> String {
        let x = report.results[i]
        let esc = HTMLReport.esc
        let c = RenderSupport.rank(x)
        var out = "<tr><td><span class=\"badge b-\(Self.categoryClass[c])\">\(esc(categoryLabel(c)))</span></td>"
        out += "<td><span class=\"code\">\(esc(x.rule))</span> <span class=\"rt\">\(esc(x.title))</span></td>"
        out += "<td class=\"code\">\(esc(x.key))</td><td>\(esc(x.name ?? ""))</td><td class=\"nw\">\(esc(x.city ?? ""))</td>"
        out += "<td>" + x.measures.map { esc(RenderSupport.measureText($0)) }.joined(separator: "<br>") + "</td>"
        var parts: [String] = []
        if let m = x.message, !m.isEmpty { parts.append(HTMLReport.escLines(m)) }
        for n in notes(x) { parts.append(n.missing ? "<span class=\"missing\">\(esc(n.text))</span>" : esc(n.text)) }
        if let ct = x.cite, !ct.isEmpty { parts.append("<span class=\"cite\">\(esc(citeText(ct)))</span>") }
        out += "<td>" + parts.joined(separator: "<br>") + "</td>"
        out += "<td>" + x.fixes.map { esc(RenderSupport.fixText($0, lang)) }.joined(separator: "<br>") + "</td>"
        out += "<td class=\"src\">\(esc(RenderSupport.location(x.sourcePath, x.sourceLine)))</td></tr>"
        return out
    }
}
