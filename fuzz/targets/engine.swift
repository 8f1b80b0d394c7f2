// libFuzzer target: the whole check — compile, load, evaluate, solve, merge —
// on a small rule project and data set drawn from the fuzzer's bytes.
//
// The bytes choose the thresholds written into the rules and every cell of
// a few school records: numbers across the whole Double range (±1e308,
// subnormals, exact powers of two, −0), empty cells and NaN-like text. The
// run must keep its accounting (read = evaluated + rejected), and every fix
// it reports must verify: the record changed as the fix says passes the rule,
// and a record changed as its merged plan says passes every rule the plan
// claims. (Whether a plan also lists such a rule as unresolved is a wording
// question of the reports, not checked here.)

import Foundation

/// Reads the fuzzer's bytes one decision at a time; past the end every answer is 0.
struct Draw {
    let bytes: [UInt8]
    var at = 0
    /// The same draws again from the start, to print what an input made.
    var replayed: Draw { Draw(bytes: bytes) }
    mutating func byte() -> UInt8 {
        defer { at += 1 }
        return at < bytes.count ? bytes[at] : 0
    }
    mutating func double() -> Double {
        var bits: UInt64 = 0
        for _ in 0..<8 { bits = bits << 8 | UInt64(byte()) }
        return Double(bitPattern: bits)
    }
    /// A number as a rule or a cell would write it.
    mutating func numberText() -> String {
        let specials = ["0", "-0", "1", "7", "20", "0.5", "1e308", "-1e308", "1.7976931348623157e308", "5e-324",
                        "2.2250738585072014e-308", "1e17", "1e15", "4294967296", "9007199254740993", "-1", "0.01", "1e-300"]
        let b = byte()
        switch b % 4 {
        case 0: return specials[Int(byte()) % specials.count]
        case 1: return String(Int(byte()) - 64)
        case 2: return String(Int(byte()) << 8 | Int(byte()))
        default:
            let d = double()
            return d.isFinite ? "\(d)" : "1"
        }
    }
    /// A number as the rule language writes it: plain decimals, no exponent
    /// (`1e308` is not a literal), so huge and tiny thresholds reach the engine.
    mutating func ruleNumberText() -> String {
        let t = numberText()
        guard t.contains("e"), let d = Double(t) else { return t }
        if abs(d) >= 1 { return String(format: "%.0f", d) }
        var s = String(format: "%.340f", d)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s += "0" }
        return s
    }
    mutating func cellText() -> String {
        let odd = ["", "NaN", "nan", "inf", "-inf", "Infinity", "1e999", "0x10", "—", "无", " 12 ", "1,000", "约100"]
        return byte() % 5 == 0 ? odd[Int(byte()) % odd.count] : numberText()
    }
}

let engineSchema = """
unit 人 = 1
unit 平方米 alias m2
entity school "学校" {
  key code      : text          "学校标识码"
  city          : text          "所属市州"
  students      : integer 人     "全日制在校生数"
  teachers      : integer 人     "专任教师数"
  building_area : number 平方米  "校舍建筑面积"
  optional part_time : integer 人 "聘请校外教师数"
}

"""

func engineRules(_ d: inout Draw) -> String {
    let t = (0..<6).map { _ in d.ruleNumberText() }
    return engineSchema + """
    ruleset f "模糊" {
      for school
      deadline within 30 days
      owner "学校"
      rule F-01 "生师比" {
        when students > 0
        measure 生师比 = students / (teachers + coalesce(part_time, 0) * 0.5)
        require 生师比 <= \(t[0])
        adjust teachers up
        adjust students down by 10 人
      }
      rule F-02 "生均面积" {
        measure 生均 = building_area / students
        require 生均 >= \(t[1]) 平方米
        adjust building_area up by 1 平方米
      }
      rule F-03 "分档" {
        let cap = match city { "甲" => \(t[2]), "乙" => \(t[3]) else => \(t[4]) }
        require students <= cap
        adjust students down
      }
      rule F-04 "取整" {
        require round(students / 7, 0) * 7 >= students + \(t[5])
        adjust students up
      }
      rule F-05 "同市学校" {
        require count(school where city == this.city and students > this.students) <= 3
        adjust students up
      }
    }

    """
}

func engineCSV(_ rows: [[String]]) -> String {
    func quoted(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
    return "学校标识码,所属市州,全日制在校生数,专任教师数,校舍建筑面积,聘请校外教师数\n"
        + rows.map { $0.map(quoted).joined(separator: ",") }.joined(separator: "\n") + "\n"
}

func engineRun(_ program: Program, _ rows: [[String]]) -> (Dataset, Report)? {
    var loader = DataLoader(program: program)
    do {
        try loader.load(bytes: Array(engineCSV(rows).utf8), spec: InputSpec(entity: 0, path: "school.csv"))
    } catch {
        return nil
    }
    let data = loader.dataset
    let report = Engine(program: program, data: data).run(RunOptions(asOf: 20_000, showAll: true, workers: 1))
    return (data, report)
}

/// The outcome of each rule for the record `key`, after the cells in `changes` are set.
func outcomes(_ program: Program, _ rows: [[String]], key: String, changes: [(column: Int, value: Double)]) -> [String: Outcome] {
    var changed = rows
    guard let r = changed.firstIndex(where: { $0[0] == key }) else { return [:] }
    for c in changes { changed[r][c.column] = jsonNumberText(c.value) }
    guard let (_, report) = engineRun(program, changed) else { return [:] }
    var out: [String: Outcome] = [:]
    for result in report.results where result.key == key { out[result.rule] = result.outcome }
    return out
}

let columnOf: [String: Int] = ["students": 2, "teachers": 3, "building_area": 4, "part_time": 5]

/// Mutations mostly touch the cells, so the same rule text comes back often;
/// compiling it once keeps the run fast enough for a million inputs.
nonisolated(unsafe) var compiled: [String: Program?] = [:]

func compiledProgram(_ text: String) -> Program? {
    if let p = compiled[text] { return p }
    if compiled.count > 256 { compiled.removeAll() }
    let p = compileProject([SourceFile(path: "fuzz.rules", text: text)]).program
    compiled[text] = p
    return p
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEngine(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var d = Draw(bytes: Array(UnsafeBufferPointer(start: data, count: size)))
    // A threshold the language refuses (too large, too small) is a compile error, not a crash.
    guard let program = compiledProgram(engineRules(&d)) else { return 0 }
    let count = 1 + Int(d.byte() % 6)
    let cities = ["甲", "乙", "丙", ""]
    // Keys are unique so that a fix can be looked up again; repeated keys are the CSV target's business.
    let rows: [[String]] = (0..<count).map { i in
        ["S\(i)", cities[Int(d.byte()) % cities.count], d.cellText(), d.cellText(), d.cellText(), d.cellText()]
    }
    if ProcessInfo.processInfo.environment["DABIAO_FUZZ_DUMP"] != nil {
        // To turn a crash into a regression test: the rule text and the data it ran on.
        var again = d.replayed
        FileHandle.standardError.write(Data((engineRules(&again) + "\n" + engineCSV(rows)).utf8))
    }
    guard let (dataset, report) = engineRun(program, rows) else { return 0 }
    // Each replay is a whole run; the bytes choose which few fixes are replayed this time.
    var replays = 0
    let first = Int(d.byte())
    func replayThis(_ i: Int) -> Bool {
        guard (i + first) % 3 == 0, replays < 2 else { return false }
        replays += 1
        return true
    }
    var candidate = 0
    let info = dataset.inputs[0]
    if info.records != dataset.tables[0].count + info.rejected { fatalError("records \(info.records) != \(dataset.tables[0].count) + \(info.rejected)") }
    if info.records != count { fatalError("\(count) rows written, \(info.records) read") }
    for result in report.results {
        switch result.outcome {
        case .pass, .notApplicable, .waived, .undefined: break
        case .missing:
            if result.fixes.contains(where: { $0.to != nil }) { fatalError("\(result.rule) \(result.key): a fix for a missing result") }
        case .fail:
            for fix in result.fixes {
                guard let to = fix.to else { continue }
                if !to.isFinite { fatalError("\(result.rule) \(result.key): a fix to \(to)") }
                guard let column = columnOf[fix.field] else { continue }
                candidate += 1
                guard replayThis(candidate) else { continue }
                // A rule counted over other records (F-05) may change with this record's new value; its own verdict must hold.
                let after = outcomes(program, rows, key: result.key, changes: [(column, to)])[result.rule]
                if after != .pass { fatalError("\(result.rule) \(result.key): \(fix.field) → \(to) leaves it \(String(describing: after))") }
            }
        }
    }
    for item in report.rectification where !item.passesAfter.isEmpty {
        let changes = item.changes.compactMap { c -> (column: Int, value: Double)? in
            guard let to = c.to, let column = columnOf[c.field] else { return nil }
            return (column, to)
        }
        // A plan that changes a measure rather than a cell cannot be replayed through the data.
        guard changes.count == item.changes.count else { continue }
        candidate += 1
        guard replayThis(candidate) else { continue }
        let after = outcomes(program, rows, key: item.key, changes: changes)
        for rule in item.passesAfter where after[rule] != .pass {
            fatalError("plan for \(item.key) claims \(rule) passes after \(item.changes.map(\.field)); it is \(String(describing: after[rule]))")
        }
    }
    return 0
}
