import XCTest
@testable import DabiaoCore

/// language.md §6 as a property: for generated records and generated rules,
/// every fix the engine reports is checked by changing the data itself and
/// running again — `to` passes, one step less does not — and every "no remedy"
/// is checked by a brute-force search over the allowed range that must find
/// no passing value either.
final class RectifyPropertyTests: XCTestCase {
    // MARK: schools

    static let schema = """
    unit 人 = 1
    unit 册 = 1
    unit 平方米 alias m2
    unit 元
    unit 万元 = 10000 元

    entity school "学校" {
      key code        : text          "学校标识码"
      name            : text          "学校名称"
      city            : text          "所属市州"
      category        : text          "专业大类"
      students        : integer 人     "全日制在校生数"
      teachers        : integer 人     "专任教师数"
      parttime        : integer 人     "兼职教师数"
      building_area   : number 平方米  "校舍建筑面积"
      rented_area     : number 平方米  "租用校舍面积"
      equipment_value : number 万元    "教学仪器设备总值"
      books           : integer 册     "纸质图书"
    }

    """

    static let numeric = ["students", "teachers", "parttime", "building_area", "rented_area", "equipment_value", "books"]
    static let integerFields: Set<String> = ["students", "teachers", "parttime", "books"]
    static let units = ["students": "人", "teachers": "人", "parttime": "人", "building_area": "平方米",
                        "rented_area": "平方米", "equipment_value": "万元", "books": "册"]

    struct School {
        var code: String
        var category: String
        var v: [String: Double]
    }

    /// One `adjust` of a generated rule: its field, direction and step in the field's unit.
    struct Adj {
        var field: String
        var up: Bool
        var step: Double
        /// The `by …` clause as written, or "" for the default step.
        var by: String
    }

    struct GenRule {
        var code: String
        var body: String
        var adjusts: [Adj]
    }

    static func csv(_ rows: [School]) -> String {
        var s = "code,name,city,category," + numeric.joined(separator: ",") + "\n"
        let cities = ["兰州市", "天水市", "酒泉市", "临夏州"]
        for (i, r) in rows.enumerated() {
            s += "\(r.code),学校\(r.code),\(cities[i % cities.count]),\(r.category)"
            for f in numeric { s += "," + Rect.cell(r.v[f] ?? 0) }
            s += "\n"
        }
        return s
    }

    static func schools(_ n: Int, _ g: inout SeededRNG) -> [School] {
        (0..<n).map { i in
            var v: [String: Double] = [:]
            let students: Double = g.chance(0.03) ? 0 : g.chance(0.1) ? Double(g.int(1...60)) : Double(g.int(100...5000))
            v["students"] = students
            v["teachers"] = g.chance(0.03) ? 0 : g.chance(0.1) ? Double(g.int(1...12)) : max(1, (students / g.double(8...32)).rounded())
            v["parttime"] = Double(g.int(0...80))
            // Areas and money carry cents now and then, and sometimes a third decimal.
            let area = g.chance(0.04) ? 0 : students * g.double(4...40)
            v["building_area"] = g.chance(0.2) ? (area * 1000).rounded() / 1000 : (area * 100).rounded() / 100
            v["rented_area"] = g.chance(0.5) ? 0 : (g.double(0...6000) * 100).rounded() / 100
            v["equipment_value"] = g.chance(0.04) ? 0 : (students * g.double(0.1...0.45) * 100).rounded() / 100
            v["books"] = (students * g.double(10...90)).rounded()
            return School(code: String(format: "S%05d", i), category: g.pick(["工科类", "医药类", "文科类", "艺术类"]) ?? "工科类", v: v)
        }
    }

    static func adj(_ field: String, up: Bool, _ g: inout SeededRNG, steps: [(Double, String)]) -> Adj {
        let integer = integerFields.contains(field)
        let dflt: (Double, String) = (integer ? 1 : 0.01, "")
        let (step, by) = g.pick([dflt] + steps) ?? dflt
        return Adj(field: field, up: up, step: step, by: by)
    }

    static func adjustLines(_ adjusts: [Adj]) -> String {
        adjusts.map { a in "    adjust \(a.field) \(a.up ? "up" : "down")\(a.by.isEmpty ? "" : " " + a.by) \"调整\(a.field)\"" }
            .joined(separator: "\n")
    }

    /// Rules of the kinds the rulebooks use: ratios, sums, `match`, `if`,
    /// graded requires, `max`, differences, percentages, caps going down.
    static func rules(_ g: inout SeededRNG, variant: Int) -> [GenRule] {
        var out: [GenRule] = []
        func add(_ code: String, _ head: String, _ adjusts: [Adj]) {
            out.append(GenRule(code: code, body: "  rule \(code) \"生成\" {\n\(head)\n\(adjustLines(adjusts))\n  }", adjusts: adjusts))
        }
        let v = variant
        let t1 = g.int(14...20)
        let t2 = t1 + g.int(2...6)
        add("P1-\(v)", """
            when students > 0 and teachers > 0
            measure 生师比 = students / teachers
            require 生师比 <= \(t1) else warning "未达合格标准"
            require 生师比 <= \(t2) else error "限制招生"
        """, [adj("teachers", up: true, &g, steps: [(2, "by 2 人"), (5, "by 5 人")]),
              adj("students", up: false, &g, steps: [(10, "by 10 人"), (50, "by 50 人")])])

        let a = [12, 15, 20, 22.5, 30][g.int(0...4)]
        add("P2-\(v)", """
            when students > 0
            measure 生均 = (building_area + rented_area) / students
            require 生均 >= \(Rect.cell(a)) 平方米/人
        """, [adj("rented_area", up: true, &g, steps: [(100, "by 100 平方米"), (0.5, "by 0.5 平方米")]),
              adj("building_area", up: true, &g, steps: [(10, "by 10 平方米")]),
              adj("students", up: false, &g, steps: [])])

        let x = 100 * g.int(25...40), y = 100 * g.int(15...30), z = 100 * g.int(20...35)
        add("P3-\(v)", """
            when students > 0
            measure 生均设备 = equipment_value / students in 元/人
            let 标准 = match category {
              "工科类", "医药类" => \(x) 元/人
              "文科类" => \(y) 元/人
              else => \(z) 元/人
            }
            require 生均设备 >= 标准
        """, [adj("equipment_value", up: true, &g, steps: [(1, "by 1 万元"), (0.5, "by 5000 元"), (0.1, "by 1000 元")]),
              adj("students", up: false, &g, steps: [(5, "by 5 人")])])

        let n = g.int(800...2000), hiT = g.int(60...120), loT = g.int(20...50), c = g.int(40...150)
        add("P4-\(v)", """
            require teachers >= if students > \(n) then \(hiT) else \(loT)
            require teachers + parttime >= \(c) else warning
        """, [adj("teachers", up: true, &g, steps: []),
              adj("students", up: false, &g, steps: [(20, "by 20 人")]),
              adj("parttime", up: true, &g, steps: [(2, "by 2 人")])])

        let k = [20, 25.5, 40, 60][g.int(0...3)], m = 1000 * g.int(5...40)
        add("P5-\(v)", """
            require books >= max(students * \(Rect.cell(k)), \(m))
        """, [adj("books", up: true, &g, steps: [(100, "by 100 册"), (1000, "by 1000 册")]),
              adj("students", up: false, &g, steps: [])])

        let d = g.int(-5...5)
        add("P6-\(v)", """
            require teachers - students / 20 >= \(d)
        """, [adj("students", up: false, &g, steps: [(10, "by 10 人")]),
              adj("teachers", up: true, &g, steps: [])])

        let q = g.int(8...30)
        add("P7-\(v)", """
            require building_area <= students * \(q) 平方米 + 1000 平方米 else info
        """, [adj("building_area", up: false, &g, steps: [(50, "by 50 平方米")]),
              adj("students", up: true, &g, steps: [(5, "by 5 人")])])

        let r = g.int(5...40)
        add("P8-\(v)", """
            when students > 0
            require rented_area <= (building_area + rented_area) * \(r)% else warning
        """, [adj("rented_area", up: false, &g, steps: []),
              adj("building_area", up: true, &g, steps: [(10, "by 10 平方米")])])
        return out
    }

    /// Tallies over the whole property run, to show it was not vacuous.
    struct Tally {
        var failures = 0
        var fixesVerified = 0
        var noRemedy = 0
        var bruteForceRows = 0
        /// Violations per kind; only the first few of each are spelled out.
        var violations: [String: Int] = [:]
    }

    /// Records a violation when `ok` is false, reporting the first three of
    /// each kind in full, so that one engine bug does not bury the others.
    func check(_ ok: Bool, _ kind: String, _ tally: inout Tally, _ message: @autoclosure () -> String,
               file: StaticString = #filePath, line: UInt = #line) {
        guard !ok else { return }
        let n = tally.violations[kind, default: 0]
        tally.violations[kind] = n + 1
        if n < 3 { XCTFail("[\(kind)] " + message(), file: file, line: line) }
    }

    func close(_ a: Double?, _ b: Double?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return abs(a - b) <= 1e-6 * max(1, abs(b))
    }

    func summarize(_ tally: Tally) {
        for (kind, n) in tally.violations.sorted(by: { $0.key < $1.key }) where n > 3 {
            XCTFail("[\(kind)] \(n) violations in all (\(n - 3) more than shown)")
        }
    }

    func program(_ rule: GenRule) throws -> Program {
        try Core.program(Self.schema + "ruleset g \"生成\" {\n  for school\n\(rule.body)\n}\n")
    }

    func outcomes(_ p: Program, _ rows: [School], _ rule: String) throws -> [String: RuleResult] {
        let r = Rect.run(p, try Core.load(p, Self.csv(rows)))
        return Dictionary(r.results.filter { $0.rule == rule }.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Values a brute-force search tries: every step near `from`, then a
    /// spread over the rest of the allowed range (to zero going down, far
    /// beyond any threshold going up).
    static func bruteForce(from: Double, _ a: Adj) -> [Double] {
        var ks = Set<Int>()
        if a.up {
            for k in 1...30 { ks.insert(k) }
            for j in 5...34 { ks.insert(1 << j) }
        } else {
            let maxSteps = Int((from / a.step + 1e-9).rounded(.down))
            guard maxSteps >= 1 else { return [] }
            for k in 1...min(maxSteps, 30) { ks.insert(k) }
            let stride = max(1, maxSteps / 60)
            for k in Swift.stride(from: 1, through: maxSteps, by: stride) { ks.insert(k) }
            ks.insert(maxSteps)
        }
        return ks.sorted().map { Rect.round6(from + (a.up ? 1 : -1) * Double($0) * a.step) }
    }

    /// Records per adjust whose "no remedy" is searched by brute force: every
    /// failing candidate runs the solver again, so the search is sampled.
    static let bruteForceRecords = 20

    func verify(_ rule: GenRule, _ rows: [School], _ tally: inout Tally) throws {
        let p = try program(rule)
        let base = try outcomes(p, rows, rule.code)
        let byCode = Dictionary(rows.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        var atTo = [[School]](repeating: [], count: rule.adjusts.count)
        var oneLess = [[School]](repeating: [], count: rule.adjusts.count)
        var brute = [[School]](repeating: [], count: rule.adjusts.count)
        var bruteOrigin: [String: (code: String, value: Double)] = [:]
        var bruteCount = [Int](repeating: 0, count: rule.adjusts.count)
        for row in rows {
            guard let res = base[row.code] else {
                XCTFail("\(rule.code): no result for \(row.code)")
                continue
            }
            guard res.outcome == .fail else {
                XCTAssertEqual(res.fixes, [], "\(rule.code)/\(row.code): only failed or waived results carry fixes")
                continue
            }
            tally.failures += 1
            check(res.fixes.map(\.field) == rule.adjusts.map(\.field), "\(rule.code) fixes", &tally,
                  "\(rule.code)/\(row.code): one fix per adjust, in order: \(res.fixes.map(\.field))")
            for (i, (f, a)) in zip(res.fixes, rule.adjusts).enumerated() {
                let from = row.v[a.field] ?? 0
                let what = "\(rule.code)/\(row.code) adjust \(a.field) \(a.up ? "up" : "down") step \(Rect.cell(a.step)): \(f)"
                let kind = "\(rule.code) \(a.field)"
                check(close(f.from, from), kind + " from", &tally, "from is the record's value: " + what)
                check(f.unit == Self.units[a.field], kind + " unit", &tally, what)
                guard let to = f.to else {
                    check(f.delta == nil && f.reason != nil, kind + " reason", &tally, "a remedy that cannot be found says why: " + what)
                    tally.noRemedy += 1
                    guard bruteCount[i] < Self.bruteForceRecords else { continue }
                    bruteCount[i] += 1
                    for (k, value) in Self.bruteForce(from: from, a).enumerated() {
                        var r = row
                        r.code = "\(row.code)x\(i)x\(k)"
                        r.v[a.field] = value
                        brute[i].append(r)
                        bruteOrigin[r.code] = (row.code, value)
                    }
                    continue
                }
                let delta = f.delta ?? .nan
                check(close(delta, to - from), kind + " delta", &tally, "delta is to − from (\(Rect.cell(to - from))): " + what)
                check(a.up ? to > from : to < from, kind + " direction", &tally, "the change goes the adjust's way: " + what)
                check(Rect.isWholeMultiple(to - from, of: a.step), kind + " steps", &tally,
                      "to − from (\(Rect.cell(to - from))) is whole steps of \(Rect.cell(a.step)): " + what)
                check(a.up || to >= 0, kind + " zero", &tally, "never below zero: " + what)
                var r = row
                r.v[a.field] = to
                atTo[i].append(r)
                var less = row
                less.v[a.field] = Rect.round6(to - (a.up ? 1 : -1) * a.step)
                oneLess[i].append(less)
            }
        }
        for i in rule.adjusts.indices {
            let a = rule.adjusts[i]
            let kind = "\(rule.code) \(a.field)"
            if !atTo[i].isEmpty {
                let got = try outcomes(p, atTo[i], rule.code)
                for r in atTo[i] {
                    let o = got[r.code]?.outcome
                    check(o == .pass, kind + " to passes", &tally,
                          "\(rule.code)/\(r.code): with \(a.field) = \(Rect.cell(r.v[a.field] ?? 0)) (the fix's `to`) the rule must pass, got \(String(describing: o)); base \(byCode[r.code]?.v ?? [:])")
                    if o == .pass { tally.fixesVerified += 1 }
                }
                let less = try outcomes(p, oneLess[i], rule.code)
                for r in oneLess[i] {
                    check(less[r.code]?.outcome != .pass, kind + " smallest", &tally,
                          "\(rule.code)/\(r.code): with \(a.field) = \(Rect.cell(r.v[a.field] ?? 0)) (one step short) the rule must not pass; the fix was not the smallest")
                }
            }
            if !brute[i].isEmpty {
                tally.bruteForceRows += brute[i].count
                let got = try outcomes(p, brute[i], rule.code)
                var reported = Set<String>()
                for r in brute[i] where got[r.code]?.outcome == .pass {
                    guard let origin = bruteOrigin[r.code], reported.insert(origin.code).inserted else { continue }
                    check(false, kind + " brute force", &tally,
                          "\(rule.code)/\(origin.code): no remedy was reported for \(a.field) (from \(Rect.cell(byCode[origin.code]?.v[a.field] ?? 0))), but \(a.field) = \(Rect.cell(origin.value)) passes; record \(byCode[origin.code]?.v ?? [:])")
                }
            }
        }
    }

    func testEveryReportedFixIsVerifiedByReEvaluation() throws {
        var g = SeededRNG(seed: 20_241_031)
        let rows = Self.schools(1500, &g)
        var tally = Tally()
        for variant in 0..<2 {
            for rule in Self.rules(&g, variant: variant) {
                try verify(rule, rows, &tally)
            }
        }
        summarize(tally)
        // Not vacuous: many failures, many verified fixes, and some cases with no remedy.
        XCTAssertGreaterThan(tally.failures, 5000, "\(tally)")
        XCTAssertGreaterThan(tally.fixesVerified, 10000, "\(tally)")
        XCTAssertGreaterThan(tally.noRemedy, 500, "\(tally)")
        XCTAssertGreaterThan(tally.bruteForceRows, 2000, "\(tally)")
    }

    // MARK: enterprises: count and sum measures

    static let enterpriseSchema = """
    unit 人 = 1

    entity enterprise "企业" {
      key code : text "统一社会信用代码"
      name     : text "企业名称"
      staff    : integer 人 "职工总数"
    }
    entity internship "实习安排" {
      key id          : text "实习编号"
      enterprise_code : ref enterprise "实习单位"
      students        : integer 人 "学生数"
    }

    """

    struct Firm {
        var code: String
        var staff: Int
        /// Students of each internship placed with the firm.
        var placements: [Int]
    }

    static func data(_ firms: [Firm]) -> (String, String) {
        var e = "code,name,staff\n"
        var i = "id,enterprise_code,students\n"
        var n = 0
        for f in firms {
            e += "\(f.code),企业\(f.code),\(f.staff)\n"
            for s in f.placements {
                n += 1
                i += "I\(n),\(f.code),\(s)\n"
            }
        }
        return (e, i)
    }

    func firmOutcomes(_ p: Program, _ firms: [Firm], _ rule: String) throws -> [String: RuleResult] {
        let (e, i) = Self.data(firms)
        let d = try Core.load(p, [("enterprise", "enterprise.csv", e), ("internship", "internship.csv", i)])
        XCTAssertEqual(d.errors, [])
        let r = Rect.run(p, d)
        return Dictionary(r.results.filter { $0.rule == rule }.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// How a target value of an adjusted name is written back into the data.
    enum Target {
        case staff
        /// As that many placements of one student each.
        case count
        /// As one placement holding every student (none for zero).
        case sum
    }

    static func applying(_ t: Target, _ value: Double, to f: Firm) -> Firm {
        var f = f
        let n = Int(value.rounded())
        switch t {
        case .staff: f.staff = n
        case .count: f.placements = Array(repeating: 1, count: max(0, n))
        case .sum: f.placements = n > 0 ? [n] : []
        }
        return f
    }

    func verifyFirms(code: String, body: String, adjusts: [(name: String, up: Bool, target: Target)], firms: [Firm],
                     _ tally: inout Tally) throws {
        let p = try Core.program(Self.enterpriseSchema + "ruleset s \"实习\" {\n  for enterprise\n  rule \(code) \"生成\" {\n\(body)\n  }\n}\n")
        let base = try firmOutcomes(p, firms, code)
        var atTo = [[Firm]](repeating: [], count: adjusts.count)
        var oneLess = [[Firm]](repeating: [], count: adjusts.count)
        var brute = [[Firm]](repeating: [], count: adjusts.count)
        for f in firms {
            guard let res = base[f.code], res.outcome == .fail else { continue }
            tally.failures += 1
            XCTAssertEqual(res.fixes.map(\.field), adjusts.map(\.name), "\(code)/\(f.code)")
            for (i, (fix, a)) in zip(res.fixes, adjusts).enumerated() {
                let what = "\(code)/\(f.code) adjust \(a.name): \(fix)"
                guard let to = fix.to, let delta = fix.delta else {
                    XCTAssertNotNil(fix.reason, what)
                    tally.noRemedy += 1
                    let from = fix.from ?? 0
                    let values = a.up ? Array(1...30).map { from + Double($0) } + [from + 300]
                                      : Swift.stride(from: from - 1, through: 0, by: -1).map { $0 }
                    for (k, v) in values.enumerated() {
                        var g = Self.applying(a.target, v, to: f)
                        g.code = "\(f.code)x\(i)x\(k)"
                        brute[i].append(g)
                    }
                    continue
                }
                XCTAssertTrue(Rect.isWholeMultiple(delta, of: 1), "a count, a sum of integers and an integer field step by 1: \(what)")
                XCTAssertEqual(delta, to - (fix.from ?? .nan), accuracy: 1e-9, what)
                atTo[i].append(Self.applying(a.target, to, to: f))
                oneLess[i].append(Self.applying(a.target, to - (a.up ? 1 : -1), to: f))
            }
        }
        for i in adjusts.indices {
            if !atTo[i].isEmpty {
                let got = try firmOutcomes(p, atTo[i], code)
                for f in atTo[i] {
                    XCTAssertEqual(got[f.code]?.outcome, .pass, "\(code)/\(f.code): \(adjusts[i].name) at the fix's `to` must pass: \(f)")
                    if got[f.code]?.outcome == .pass { tally.fixesVerified += 1 }
                }
                let less = try firmOutcomes(p, oneLess[i], code)
                for f in oneLess[i] {
                    XCTAssertNotEqual(less[f.code]?.outcome, .pass, "\(code)/\(f.code): one less than the fix must not pass: \(f)")
                }
            }
            if !brute[i].isEmpty {
                tally.bruteForceRows += brute[i].count
                let got = try firmOutcomes(p, brute[i], code)
                for f in brute[i] where got[f.code]?.outcome == .pass {
                    XCTFail("\(code)/\(f.code): no remedy was reported, but this passes: \(f)")
                }
            }
        }
    }

    func testCountAndSumMeasureFixesAreVerifiedByChangingTheRecords() throws {
        var g = SeededRNG(seed: 2016_03)
        let firms = (0..<1200).map { i in
            Firm(code: String(format: "E%05d", i),
                 staff: g.chance(0.05) ? 0 : g.chance(0.5) ? g.int(1...300) : g.int(300...4000),
                 placements: (0..<g.int(0...6)).map { _ in g.int(1...40) })
        }
        var tally = Tally()
        let pct = g.int(1...5)
        try verifyFirms(code: "A-1", body: """
            measure 接收实习生 = count(internship where enterprise_code == code) in 人
            require 接收实习生 >= staff * \(pct)%
            adjust 接收实习生 up "接收实习生"
            adjust staff down by 1 人 "核减职工"
        """, adjusts: [("接收实习生", true, .count), ("staff", false, .staff)], firms: firms, &tally)
        try verifyFirms(code: "A-2", body: """
            measure 实习人数 = sum(internship.students where enterprise_code == code)
            require 实习人数 <= staff * 10% else warning "超过10%"
            require 实习人数 <= staff * 20% else error "超过20%"
            adjust 实习人数 down "减少实习学生"
            adjust staff up "增加职工"
        """, adjusts: [("实习人数", false, .sum), ("staff", true, .staff)], firms: firms, &tally)
        try verifyFirms(code: "A-3", body: """
            measure 接收 = count(internship where enterprise_code == code)
            require 接收 >= 2
            require staff <= 3000 else warning "规模"
            adjust 接收 up "接收实习生"
        """, adjusts: [("接收", true, .count)], firms: firms, &tally)
        summarize(tally)
        XCTAssertGreaterThan(tally.failures, 800, "\(tally)")
        XCTAssertGreaterThan(tally.fixesVerified, 800, "\(tally)")
        XCTAssertGreaterThan(tally.noRemedy, 5, "the staff cap of A-3 dominates for large firms: \(tally)")
    }
}
