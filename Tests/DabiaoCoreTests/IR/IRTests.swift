import Foundation
import XCTest
@testable import DabiaoCore

/// The IR (`dabiao compile --format ir`, docs/ir.md): what every back end
/// other than the Swift engine reads.
final class IRTests: XCTestCase {
    /// A project that uses every construct of the language, so its IR holds
    /// every node tag at least once.
    static let project = """
    unit 人 = 1
    unit 元
    unit 万元 = 10000 元
    unit 小时 alias h

    entity enterprise "企业" {
      key code : text "代码"
      name : text "企业名称"
      staff : integer 人 "职工人数"
      funds : number 万元 "资金"
    }
    entity internship "实习" {
      key id : text "编号"
      enterprise_code : ref enterprise "企业代码"
      students : integer 人 "学生数"
      optional hours : number 小时 "时长"
      night : bool "夜班"
      start : date "开始日期"
      kind : text one of ("顶岗", "跟岗") "类型"
    }

    ruleset ent "企业" {
      version "2024.1"
      source "测试来源"
      for enterprise where staff > 0
      deadline within 180 days
      owner "企业"

      rule E-1 "实习生比例" {
        when not (funds < 0 万元)
        let 实习生 = count(internship where enterprise_code == code and students > 0)
        measure 比例 = 实习生 / staff
        measure 资金 = funds in 元
        require 比例 <= 10% else warning "偏高"
        require 比例 <= 20%
        adjust staff up
        adjust funds up by 1 万元 "增加资金"
        cite "第一条"
        message "比例 {比例:.2}，企业 {name}"
      }
    }

    ruleset pl "实习" {
      for internship
      deadline 2025-06-30
      rule I-1 "时长" {
        severity warning
        let 上限 = match kind { "顶岗" => 8 小时  else => 6 小时 }
        measure 时长 = coalesce(hours, 0 小时)
        require (if night then -时长 else 时长) <= 上限
        require students between 1 and enterprise_code.staff
        require kind in ("顶岗", "跟岗") or night
        require students - prev.students <= 10
        require year(start) >= 2020 and days(start, 2025-01-01) >= 0
        url "https://example.org/std"
      }
    }

    waive E-1 for enterprise "E1" until 2025-06-30 because "在建"

    test "一个企业" {
      given enterprise { code "E1" name "甲" staff 4 funds 1 }
      given internship { id "I1" enterprise_code "E1" students 3 night false start 2024-01-01 kind "顶岗" }
      expect E-1 fail error
      expect E-1 adjust staff +6
    }

    """

    func ir(_ program: Program) throws -> [String: Any] {
        let text = IR.render(program)
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try XCTUnwrap(parsed as? [String: Any], "the IR is one JSON object")
    }

    func rule(_ doc: [String: Any], _ code: String) throws -> [String: Any] {
        let rules = try XCTUnwrap(doc["rules"] as? [[String: Any]])
        return try XCTUnwrap(rules.first { $0["code"] as? String == code }, "rule \(code) in the IR")
    }

    /// Every object in the tree, depth first.
    func objects(_ v: Any) -> [[String: Any]] {
        if let o = v as? [String: Any] { return [o] + o.keys.sorted().flatMap { objects(o[$0] as Any) } }
        if let a = v as? [Any] { return a.flatMap(objects) }
        return []
    }

    // MARK: the built-in rulebooks

    func testBuiltinRulebooksSerialiseDeterministically() throws {
        let files = Discovery.builtinRuleFiles()
        XCTAssertFalse(files.isEmpty)
        let program = try XCTUnwrap(compileProject(files).program)
        let first = IR.render(program)
        // A second compilation, not only a second render: dictionaries in the
        // checker (units by name) must not leak their order into the output.
        let again = try XCTUnwrap(compileProject(Discovery.builtinRuleFiles()).program)
        XCTAssertEqual(first, IR.render(again), "same rules, same bytes")

        let doc = try ir(program)
        XCTAssertEqual(doc["irVersion"] as? Int, 1)
        XCTAssertEqual(doc["version"] as? String, dabiaoVersion)
        XCTAssertEqual((doc["entities"] as? [Any])?.count, program.entities.count)
        XCTAssertEqual((doc["rulesets"] as? [Any])?.count, program.rulesets.count)
        XCTAssertEqual((doc["rules"] as? [Any])?.count, program.rules.count)
        XCTAssertEqual((doc["tests"] as? [Any])?.count, program.tests.count)
        XCTAssertGreaterThan(program.rules.count, 10)
        XCTAssertGreaterThan(program.tests.count, 10)
        let codes = (doc["rules"] as? [[String: Any]])?.compactMap { $0["code"] as? String }
        XCTAssertEqual(codes, program.rules.map(\.code), "rules in the program's order")
        // The checksums are the JSON report's, so a page can name the rulebooks it carries.
        let sums = (doc["rulesFiles"] as? [[String: Any]])?.compactMap { $0["sha256"] as? String }
        XCTAssertEqual(sums, Pipeline.rulesFiles(files).map(\.sha256))
        XCTAssertEqual(sums?.first?.count, 64)
        // A unit appears once under its name, its aliases beside it.
        let units = try XCTUnwrap(doc["units"] as? [[String: Any]])
        let names = units.compactMap { $0["name"] as? String }
        XCTAssertEqual(names, names.sorted())
        XCTAssertEqual(Set(names).count, names.count)
        XCTAssertEqual(Set(names), Set(program.units.byName.values.map(\.name)))
    }

    // MARK: a hand-written project

    func testValuesAtKnownPaths() throws {
        let program = try Core.program(Self.project)
        let doc = try ir(program)

        let units = try XCTUnwrap(doc["units"] as? [[String: Any]])
        let wan = try XCTUnwrap(units.first { $0["name"] as? String == "万元" })
        XCTAssertEqual(wan["scale"] as? Double, 10000)
        XCTAssertEqual(wan["base"] as? [String: Int], ["元": 1])
        XCTAssertEqual(wan["counting"] as? Bool, false)
        let ren = try XCTUnwrap(units.first { $0["name"] as? String == "人" })
        XCTAssertEqual(ren["counting"] as? Bool, true)
        XCTAssertEqual(ren["base"] as? [String: Int], [:], "a counting unit has no dimension")
        let hour = try XCTUnwrap(units.first { $0["name"] as? String == "小时" })
        XCTAssertEqual(hour["aliases"] as? [String], ["h"])
        XCTAssertNil(units.first { $0["name"] as? String == "h" }, "an alias is not a unit of its own")

        let entities = try XCTUnwrap(doc["entities"] as? [[String: Any]])
        let enterprise = try XCTUnwrap(entities.first)
        XCTAssertEqual(enterprise["keyField"] as? Int, 0)
        let fields = try XCTUnwrap(enterprise["fields"] as? [[String: Any]])
        XCTAssertEqual(fields[2]["kind"] as? String, "integer")
        let funds = fields[3]
        XCTAssertEqual(funds["kind"] as? String, "number")
        XCTAssertEqual((funds["unit"] as? [String: Any])?["scale"] as? Double, 10000)
        XCTAssertEqual((funds["unit"] as? [String: Any])?["symbol"] as? String, "万元")
        let internship = try XCTUnwrap((entities[1]["fields"] as? [[String: Any]]))
        XCTAssertEqual(internship[1]["kind"] as? String, "ref")
        XCTAssertEqual(internship[1]["target"] as? String, "enterprise")
        XCTAssertEqual(internship[3]["optional"] as? Bool, true)
        XCTAssertEqual(internship[6]["oneOf"] as? [String], ["顶岗", "跟岗"])

        let rulesets = try XCTUnwrap(doc["rulesets"] as? [[String: Any]])
        XCTAssertEqual(rulesets[0]["deadline"] as? [String: Int], ["withinDays": 180])
        XCTAssertEqual(rulesets[0]["version"] as? String, "2024.1")

        let e1 = try rule(doc, "E-1")
        XCTAssertEqual(e1["deadline"] as? [String: Int], ["withinDays": 180], "the ruleset's deadline, inherited")
        XCTAssertEqual(e1["owner"] as? String, "企业")
        XCTAssertEqual((e1["filters"] as? [Any])?.count, 1, "the ruleset's `for … where`")
        // The graded requires: the warning first, with its label.
        let requires = try XCTUnwrap(e1["requires"] as? [[String: Any]])
        XCTAssertEqual(requires.map { $0["level"] as? String }, ["warning", "error"])
        XCTAssertEqual(requires[0]["label"] as? String, "偏高")
        let tree = try XCTUnwrap(requires[0]["expr"] as? [String: Any])
        XCTAssertEqual(tree["node"] as? String, "compare")
        XCTAssertEqual(tree["op"] as? String, "<=")
        XCTAssertEqual(tree["compare"] as? String, "number")
        let left = try XCTUnwrap(tree["left"] as? [String: Any])
        XCTAssertEqual(left["node"] as? String, "local")
        XCTAssertEqual(left["name"] as? String, "比例")
        let right = try XCTUnwrap(tree["right"] as? [String: Any])
        XCTAssertEqual(right["node"] as? String, "constant")
        XCTAssertEqual((right["value"] as? [String: Any])?["number"] as? Double, 0.1, "10% is 0.1")
        // Locals: slots as the checker numbered them, measures point into them.
        let locals = try XCTUnwrap(e1["locals"] as? [[String: Any]])
        let measures = try XCTUnwrap(e1["measures"] as? [[String: Any]])
        for m in measures {
            let slot = try XCTUnwrap(m["slot"] as? Int)
            XCTAssertEqual(locals[slot]["name"] as? String, m["name"] as? String)
        }
        let shown = try XCTUnwrap(measures.first { $0["name"] as? String == "资金" }?["unit"] as? [String: Any])
        XCTAssertEqual(shown["symbol"] as? String, "元", "`in 元` chooses the unit shown")
        XCTAssertEqual(shown["scale"] as? Double, 1)
        // The aggregate's join plan: the equality became a hash join on the
        // inner ref field, the rest of `where` stayed as the residual.
        let aggregate = try XCTUnwrap(objects(locals).first { $0["node"] as? String == "aggregate" })
        XCTAssertEqual(aggregate["kind"] as? String, "count")
        XCTAssertEqual(aggregate["entity"] as? String, "internship")
        XCTAssertEqual(aggregate["depth"] as? Int, 1)
        let joins = try XCTUnwrap(aggregate["joins"] as? [[String: Any]])
        XCTAssertEqual(joins.count, 1)
        XCTAssertEqual(joins[0]["field"] as? String, "enterprise_code")
        XCTAssertEqual(joins[0]["fieldIndex"] as? Int, 1)
        let outer = try XCTUnwrap(joins[0]["outer"] as? [String: Any])
        XCTAssertEqual(outer["node"] as? String, "field")
        XCTAssertEqual(outer["depth"] as? Int, 0)
        XCTAssertEqual(outer["entity"] as? String, "enterprise")
        XCTAssertEqual(outer["field"] as? String, "code")
        let residual = try XCTUnwrap(aggregate["where"] as? [String: Any])
        XCTAssertEqual(residual["op"] as? String, ">")
        XCTAssertEqual((residual["left"] as? [String: Any])?["field"] as? String, "students")
        XCTAssertEqual((residual["left"] as? [String: Any])?["depth"] as? Int, 1)
        // Adjusts: the step in base units, the unit it is shown in.
        let adjusts = try XCTUnwrap(e1["adjusts"] as? [[String: Any]])
        XCTAssertEqual(adjusts[0]["step"] as? Double, 1, "an integer field steps by 1")
        XCTAssertEqual(adjusts[1]["step"] as? Double, 10000, "by 1 万元, in 元")
        XCTAssertEqual(adjusts[1]["direction"] as? String, "up")
        XCTAssertEqual(adjusts[1]["action"] as? String, "增加资金")
        XCTAssertEqual((adjusts[1]["target"] as? [String: Any])?["field"] as? String, "funds")
        // The message: text and values with their decimals.
        let message = try XCTUnwrap(e1["message"] as? [[String: Any]])
        XCTAssertEqual(message.first?["text"] as? String, "比例 ")
        XCTAssertEqual(message.compactMap { $0["decimals"] as? Int }, [2])

        let i1 = try rule(doc, "I-1")
        XCTAssertEqual(i1["deadline"] as? [String: String], ["date": "2025-06-30"])
        XCTAssertEqual(i1["severity"] as? String, "warning")
        XCTAssertEqual(i1["url"] as? String, "https://example.org/std")
        let dates = objects(i1).filter { ($0["kind"] as? String) == "date" }
        XCTAssertEqual(dates.first?["date"] as? String, "2025-01-01")
        XCTAssertEqual(dates.first?["day"] as? Int, CivilDate.days(year: 2025, month: 1, day: 1))

        let waivers = try XCTUnwrap(doc["waivers"] as? [[String: Any]])
        XCTAssertEqual(waivers.count, 1)
        XCTAssertEqual(waivers[0]["until"] as? String, "2025-06-30")
        XCTAssertEqual(waivers[0]["key"] as? String, "E1")
        XCTAssertEqual(waivers[0]["entity"] as? String, "enterprise")

        let tests = try XCTUnwrap(doc["tests"] as? [[String: Any]])
        let givens = try XCTUnwrap(tests.first?["givens"] as? [[String: Any]])
        let values = try XCTUnwrap(givens[0]["values"] as? [[String: Any]])
        let fundsValue = try XCTUnwrap(values.first { $0["field"] as? String == "funds" }?["value"] as? [String: Any])
        XCTAssertEqual(fundsValue["number"] as? Double, 10000, "a given value in base units: 1 万元")
        let expects = try XCTUnwrap(tests.first?["expects"] as? [[String: Any]])
        XCTAssertEqual(expects.map { $0["expect"] as? String }, ["outcome", "adjust"])
        XCTAssertEqual(expects[0]["outcome"] as? String, "fail")
        XCTAssertEqual(expects[0]["level"] as? String, "error")
        XCTAssertEqual(expects[1]["delta"] as? Double, 6)
        // The expectations the IR carries are the engine's answers, so a back
        // end that reproduces them from the IR agrees with the engine.
        let outcomes = TestRunner.run(program, asOf: CivilDate.unchecked(year: 2024, month: 10, day: 31))
        XCTAssertEqual(outcomes.count, 2)
        XCTAssertEqual(outcomes.compactMap { $0.failure?(.en) }, [])
    }

    func testSemanticsStateTheEnginesTolerance() throws {
        let doc = try ir(try Core.program(Self.project))
        let semantics = try XCTUnwrap(doc["semantics"] as? [String: Any])
        let tolerance = try XCTUnwrap((semantics["numberEquality"] as? [String: Any])?["relativeTolerance"] as? Double)
        // The stated tolerance is the one the engine applies: just inside is equal, just outside is not.
        XCTAssertTrue(approxEqual(1, 1 + tolerance * 0.5))
        XCTAssertFalse(approxEqual(1, 1 + tolerance * 2))
        XCTAssertEqual(semantics["dayZero"] as? String, CivilDate.format(0))
    }

    /// Every case of TExpr appears in the test project's IR, under its own
    /// tag: a case that the serialiser maps wrongly, or a new case without a
    /// construct here, fails.
    func testEveryExpressionCaseHasATag() throws {
        let program = try Core.program(Self.project)
        let doc = try ir(program)
        let tags = Set(objects(doc).compactMap { $0["node"] as? String })
        XCTAssertEqual(tags, Set(IRNode.allCases.map(\.rawValue)))
        XCTAssertEqual(IRNode.allCases.count, Set(IRNode.allCases.map(\.rawValue)).count)

        // The tag of a node is the name of its Swift case, read by reflection
        // rather than through the serialiser's own switch.
        var checked = 0
        for (r, jr) in zip(program.rules, try XCTUnwrap(doc["rules"] as? [[String: Any]])) {
            let jl = try XCTUnwrap(jr["locals"] as? [[String: Any]])
            let jq = try XCTUnwrap(jr["requires"] as? [[String: Any]])
            let pairs = Array(zip(r.locals.map(\.expr), jl.map { $0["expr"] as Any })) + Array(zip(r.requires.map(\.expr), jq.map { $0["expr"] as Any }))
            for (t, j) in pairs {
                let label = Mirror(reflecting: t).children.first?.label
                XCTAssertEqual(label, (j as? [String: Any])?["node"] as? String)
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 8)
    }

    func testValuesOfEveryKind() {
        let w = IRWriter(program: Program(files: [], units: UnitTable(), entities: [], rulesets: [], rules: [], waivers: [], tests: []))
        XCTAssertEqual(w.value(.number(1.5)).render(pretty: false), #"{"kind":"number","number":1.5}"#)
        XCTAssertEqual(w.value(.text("中")).render(pretty: false), #"{"kind":"text","text":"中"}"#)
        XCTAssertEqual(w.value(.bool(false)).render(pretty: false), #"{"kind":"bool","bool":false}"#)
        XCTAssertEqual(w.value(.date(0)).render(pretty: false), #"{"kind":"date","date":"1970-01-01","day":0}"#)
        XCTAssertEqual(w.value(.missing(["a"])).render(pretty: false), #"{"kind":"missing","fields":["a"]}"#)
        XCTAssertEqual(w.value(.undefined(.divisionByZero)).render(pretty: false), #"{"kind":"undefined","reason":"divisionByZero"}"#)
        // JSON has no infinity; the engine evaluates such a constant as undefined (overflow).
        XCTAssertEqual(w.value(.number(.infinity)).render(pretty: false), #"{"kind":"undefined","reason":"overflow"}"#)
    }
}

// MARK: the command line

extension CLITests {
    func testCompileWritesTheIR() throws {
        let r = try run(["compile", "--format", "ir", "--rules", dir.appendingPathComponent("basic.rules").path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(doc["irVersion"] as? Int, 1)
        XCTAssertEqual((doc["rules"] as? [[String: Any]])?.first?["code"] as? String, "ZZ-01")

        let out = dir.appendingPathComponent("rules.ir.json")
        let w = try run(["compile", "--format", "ir", "--rules", dir.appendingPathComponent("basic.rules").path, "--output", out.path])
        XCTAssertEqual(w.status, 0, w.stderr)
        XCTAssertEqual(w.stdout, "")
        XCTAssertEqual(try String(contentsOf: out, encoding: .utf8), r.stdout, "--output holds what stdout would")

        let builtin = try run(["compile", "--format", "ir"])
        XCTAssertEqual(builtin.status, 0, builtin.stderr)
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(builtin.stdout.utf8)) as? [String: Any])
    }

    func testCompileRefusesOtherFormats() throws {
        for args in [["compile", "--format", "json"], ["compile"], ["check", "--format", "ir"], ["compile", "--format", "yaml"]] {
            let r = try run(args)
            XCTAssertEqual(r.status, 64, "\(args): \(r.stderr)")
            XCTAssertEqual(r.stdout, "", "\(args)")
        }
        let broken = try run(["compile", "--format", "ir", "--rules", dir.appendingPathComponent("broken.rules").path])
        XCTAssertEqual(broken.status, 2, "rules that do not compile have no IR")
        XCTAssertEqual(broken.stdout, "")
    }
}
