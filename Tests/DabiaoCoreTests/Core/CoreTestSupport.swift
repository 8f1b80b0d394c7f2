import XCTest
@testable import DabiaoCore

/// Shared helpers for the core (language, engine, report) tests: compile a
/// rule project from inline text, load inline CSV/JSON, run, look results up.
enum Core {
    /// Units and the school entity of language.md §1, the base most tests extend.
    static let schoolSchema = """
    unit 人 = 1
    unit 平方米 alias m2
    unit 元
    unit 万元 = 10000 元

    entity school "学校" {
      key code        : text          "学校标识码"
      name            : text          "学校名称"
      city            : text          "所属市州"
      level           : text one of ("中职", "高职")  "办学层次"
      category        : text          "专业大类"
      students        : integer 人     "全日制在校生数"
      teachers        : integer 人     "专任教师数"
      building_area   : number 平方米  "校舍建筑面积"
      equipment_value : number 万元    "教学仪器设备总值"
      optional remarks: text          "备注"
    }

    """

    static let schoolHeader = "学校标识码,学校名称,所属市州,办学层次,专业大类,全日制在校生数,专任教师数,校舍建筑面积,教学仪器设备总值\n"

    /// A ruleset for school with the given body (rules, lets), selecting 中职 schools.
    static func schoolRules(_ body: String, filter: String = "where level == \"中职\"") -> String {
        schoolSchema + """
        ruleset t "测试" {
          for school \(filter)
        \(body)
        }

        """
    }

    static func compile(_ text: String, path: String = "t.rules") -> (program: Program?, diagnostics: [Diagnostic], files: [SourceFile]) {
        let files = [SourceFile(path: path, text: text)]
        let (p, d) = compileProject(files)
        return (p, d, files)
    }

    static func compile(files: [(String, String)]) -> (program: Program?, diagnostics: [Diagnostic], files: [SourceFile]) {
        let fs = files.map { SourceFile(path: $0.0, text: $0.1) }
        let (p, d) = compileProject(fs)
        return (p, d, fs)
    }

    /// The program, or a test failure listing every diagnostic.
    static func program(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> Program {
        let (p, diags, files) = compile(text)
        guard let p else {
            let shown = diags.map { DiagnosticRenderer.render($0, files: files, lang: .en) }.joined()
            XCTFail("rules do not compile:\n\(shown)", file: file, line: line)
            throw CoreTestError.doesNotCompile
        }
        return p
    }

    static func rendered(_ text: String, lang: Lang = .en, path: String = "t.rules") -> (errors: [Diagnostic], text: String) {
        let (_, diags, files) = compile(text, path: path)
        let out = diags.map { DiagnosticRenderer.render($0, files: files, lang: lang) }.joined()
        return (diags.filter { $0.severity == .error }, out)
    }

    static func entity(_ p: Program, _ name: String) throws -> Int {
        guard let e = p.entityIndex(name) else { throw CoreTestError.noEntity(name) }
        return e
    }

    static func load(_ p: Program, _ inputs: [(entity: String, path: String, text: String)]) throws -> Dataset {
        var loader = DataLoader(program: p)
        for i in inputs {
            try loader.load(bytes: Array(i.text.utf8), spec: InputSpec(entity: try entity(p, i.entity), path: i.path))
        }
        return loader.dataset
    }

    static func load(_ p: Program, entity: String = "school", path: String = "school.csv", _ text: String) throws -> Dataset {
        try load(p, [(entity, path, text)])
    }

    static let asOf = CivilDate.days(year: 2024, month: 10, day: 31) ?? 0

    static func run(_ p: Program, _ data: Dataset, baseline: Dataset? = nil, workers: Int = 1) -> Report {
        Engine(program: p, data: data, baseline: baseline).run(RunOptions(asOf: asOf, showAll: true, workers: workers))
    }

    /// Compile, load one CSV for school, run.
    static func check(_ rules: String, csv: String, entity: String = "school", path: String = "school.csv") throws -> Report {
        let p = try program(rules)
        return run(p, try load(p, entity: entity, path: path, csv))
    }

    static func result(_ r: Report, _ rule: String, _ key: String, file: StaticString = #filePath, line: UInt = #line) -> RuleResult? {
        let found = r.results.filter { $0.rule == rule && $0.key == key }
        if found.count != 1 {
            XCTFail("expected one result for \(rule)/\(key), found \(found.count): \(r.results.map { "\($0.rule)/\($0.key)=\($0.outcome.rawValue)" })",
                    file: file, line: line)
        }
        return found.first
    }

    static func outcome(_ r: Report, _ rule: String, _ key: String, file: StaticString = #filePath, line: UInt = #line) -> String? {
        guard let x = result(r, rule, key, file: file, line: line) else { return nil }
        return x.outcome.rawValue + (x.level.map { " " + $0.rawValue } ?? "")
    }

    static func measure(_ r: Report, _ rule: String, _ key: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) -> Double? {
        result(r, rule, key, file: file, line: line)?.measures.first { $0.name == name }?.value
    }

    /// A school CSV row with defaults for the fields a test does not care about.
    static func schoolRow(_ code: String, level: String = "中职", category: String = "工科类", students: String = "1000",
                          teachers: String = "50", area: String = "30000", equipment: String = "500") -> String {
        "\(code),学校\(code),兰州市,\(level),\(category),\(students),\(teachers),\(area),\(equipment)\n"
    }

    static func json(_ s: String, file: StaticString = #filePath, line: UInt = #line) -> [String: Any] {
        guard let data = s.data(using: .utf8),
              let obj = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? [String: Any] else {
            XCTFail("not a JSON object: \(s.prefix(300))", file: file, line: line)
            return [:]
        }
        return obj
    }
}

enum CoreTestError: Error {
    case doesNotCompile
    case noEntity(String)
}
