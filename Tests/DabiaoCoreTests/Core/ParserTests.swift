import XCTest
@testable import DabiaoCore

final class ParserTests: XCTestCase {
    /// The tree as an S-expression, to compare shapes without positions.
    func show(_ e: Expr) -> String {
        switch e.kind {
        case .number(let v, _, let u):
            let n = v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
            return u.map { n + " " + unit($0) } ?? n
        case .string(let s): return "\"\(s)\""
        case .bool(let b): return b ? "true" : "false"
        case .date(let d): return CivilDate.format(d)
        case .name(let n): return n
        case .this: return "this"
        case .member(let b, let f): return show(b) + "." + f.text
        case .unary(.negate, let x): return "(- \(show(x)))"
        case .unary(.not, let x): return "(not \(show(x)))"
        case .binary(let op, let l, let r): return "(\(op.rawValue) \(show(l)) \(show(r)))"
        case .between(let x, let a, let b): return "(between \(show(x)) \(show(a)) \(show(b)))"
        case .inList(let x, let items): return "(in \(show(x))" + items.map { " " + show($0) }.joined() + ")"
        case .ifThen(let c, let a, let b): return "(if \(show(c)) \(show(a)) \(show(b)))"
        case .match(let s, let arms, let other):
            var out = "(match \(show(s))"
            for arm in arms { out += " [" + arm.patterns.map(show).joined(separator: " ") + " => " + show(arm.value) + "]" }
            if let other { out += " [else => \(show(other))]" }
            return out + ")"
        case .call(let n, let args, let bind, let filter):
            var out = n.text + "("
            if let bind { out += bind.text + ": " }
            out += args.map(show).joined(separator: ", ")
            if let filter { out += " where " + show(filter) }
            return out + ")"
        case .invalid: return "<invalid>"
        }
    }

    func unit(_ u: UnitExprAST) -> String {
        u.factors.map { $0.exponent == 1 ? $0.name.text : "\($0.name.text)^\($0.exponent)" }.joined(separator: " ")
    }

    /// Parses one expression; fails the test on any diagnostic or trailing token.
    func expr(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> String? {
        var p = Parser(file: SourceFile(path: "e", text: text), fileIndex: 0)
        do {
            let e = try p.parseExpr()
            XCTAssertEqual(p.diagnostics, [], file: file, line: line)
            while p.tokens[p.p].kind == .newline { p.p += 1 }
            XCTAssertEqual(p.tokens[p.p].kind, .eof, "trailing tokens after \(show(e))", file: file, line: line)
            return show(e)
        } catch {
            XCTFail("\(text): \(p.diagnostics.map(\.message.en))", file: file, line: line)
            return nil
        }
    }

    func parseFile(_ text: String) -> (RuleFileAST, [Diagnostic]) {
        var p = Parser(file: SourceFile(path: "t.rules", text: text), fileIndex: 0)
        let ast = p.parseFile()
        return (ast, p.diagnostics)
    }

    func rules(_ text: String) -> [RuleDecl] {
        let (ast, diags) = parseFile(text)
        XCTAssertEqual(diags.map(\.message.en), [])
        return ast.declarations.flatMap { d -> [RuleDecl] in
            if case .ruleset(let rs) = d { return rs.rules }
            return []
        }
    }

    // MARK: precedence

    func testArithmeticPrecedenceAndAssociativity() {
        XCTAssertEqual(expr("a + b * c"), "(+ a (* b c))")
        XCTAssertEqual(expr("a * b + c"), "(+ (* a b) c)")
        XCTAssertEqual(expr("a - b - c"), "(- (- a b) c)")
        XCTAssertEqual(expr("a / b / c"), "(/ (/ a b) c)")
        XCTAssertEqual(expr("(a + b) * c"), "(* (+ a b) c)")
        XCTAssertEqual(expr("-a * b"), "(* (- a) b)")
        XCTAssertEqual(expr("a - -b"), "(- a (- b))")
    }

    func testLogicalPrecedence() {
        XCTAssertEqual(expr("not a and b"), "(and (not a) b)")
        XCTAssertEqual(expr("a or b and c"), "(or a (and b c))")
        XCTAssertEqual(expr("not a == b"), "(not (== a b))")
        XCTAssertEqual(expr("a and b or c and d"), "(or (and a b) (and c d))")
        XCTAssertEqual(expr("a >= 1 + 2 and b"), "(and (>= a (+ 1 2)) b)")
    }

    func testBetweenAndIn() {
        XCTAssertEqual(expr("x between 1 and 2"), "(between x 1 2)")
        XCTAssertEqual(expr("x between 1 and 2 and y"), "(and (between x 1 2) y)")
        XCTAssertEqual(expr("x + 1 between a * 2 and b"), "(between (+ x 1) (* a 2) b)")
        XCTAssertEqual(expr("x in (\"a\", \"b\")"), "(in x \"a\" \"b\")")
        XCTAssertEqual(expr("x in (\"a\",\n  \"b\")"), "(in x \"a\" \"b\")")
        XCTAssertEqual(expr("not x in (1) or y"), "(or (not (in x 1)) y)")
    }

    func testLiteralsWithUnitsDatesAndMembers() {
        XCTAssertEqual(expr("a >= 20 平方米/人"), "(>= a 20 平方米 人^-1)")
        XCTAssertEqual(expr("3000 元/人 * 2"), "(* 3000 元 人^-1 2)")
        XCTAssertEqual(expr("d < 2025-12-31"), "(< d 2025-12-31)")
        XCTAssertEqual(expr("enterprise_code.staff * 10%"), "(* enterprise_code.staff 0.1)")
        XCTAssertEqual(expr("prev.students"), "prev.students")
        XCTAssertEqual(expr("this.province == province"), "(== this.province province)")
    }

    func testComparisonsDoNotChain() {
        var p = Parser(file: SourceFile(path: "e", text: "a < b < c"), fileIndex: 0)
        XCTAssertThrowsError(try p.parseExpr())
        XCTAssertTrue(p.diagnostics.contains { $0.message.en.contains("do not chain") })
    }

    // MARK: measure … in UNIT

    func testMeasureInUnitIsNotMembership() throws {
        let rs = rules("""
        ruleset r "r" {
          for school
          rule R-1 "x" {
            measure 生均 = equipment_value / students in 元/人
            measure 生均2 in 万元/人
            require 生均 >= 3000 元/人
          }
        }
        """)
        let m = try XCTUnwrap(rs.first?.measures)
        XCTAssertEqual(m.count, 2)
        XCTAssertEqual(m[0].expr.map(show), "(/ equipment_value students)")
        XCTAssertEqual(m[0].unit.map(unit), "元 人^-1")
        XCTAssertNil(m[1].expr)
        XCTAssertEqual(m[1].unit.map(unit), "万元 人^-1")
    }

    // MARK: newlines

    func testNewlineContinuesAfterBinaryOperatorAndInsideParentheses() throws {
        let rs = rules("""
        ruleset r "r" {
          for school
          rule R-1 "x" {
            require students +
              teachers > 0 and
              building_area >= 1 平方米
            require (students
              + teachers) > 0
            let x =
              students * 2
            require max(students,
                        teachers) > 0
            require level in ("中职",
                              "高职")
          }
        }
        """)
        let r = try XCTUnwrap(rs.first)
        XCTAssertEqual(r.requires.map { show($0.expr) }, [
            "(and (> (+ students teachers) 0) (>= building_area 1 平方米))",
            "(> (+ students teachers) 0)",
            "(> max(students, teachers) 0)",
            "(in level \"中职\" \"高职\")",
        ])
        XCTAssertEqual(r.lets.map { show($0.expr) }, ["(* students 2)"])
    }

    /// A line that ends inside `(` continues, also when the `)` starts the next line.
    func testClosingParenthesisOnItsOwnLine() {
        XCTAssertEqual(expr("(a\n  + b\n)"), "(+ a b)")
        XCTAssertEqual(expr("max(a,\n  b\n)"), "max(a, b)")
        XCTAssertEqual(expr("x in (\"a\",\n  \"b\"\n)"), "(in x \"a\" \"b\")")
        XCTAssertEqual(expr("count(E where\n  c\n)"), "count(E where c)")
    }

    func testNewlineEndsAStatement() throws {
        let text = """
        ruleset r "r" {
          for school
          rule R-1 "x" {
            require a
            - b > 0
          }
        }
        """
        let (ast, diags) = parseFile(text)
        // `- b > 0` is not read as part of `require a`: it is a statement of its own, and not a valid one.
        guard case .ruleset(let rs)? = ast.declarations.first else { return XCTFail() }
        XCTAssertEqual(rs.rules.first?.requires.map { show($0.expr) }, ["a"])
        let file = SourceFile(path: "t.rules", text: text)
        XCTAssertEqual(diags.map { file.location(of: $0.range.start).line }, [5], "\(diags.map(\.message.en))")
    }

    func testMatchWithNewlineSeparatedArms() throws {
        XCTAssertEqual(expr("""
        match category {
          "工科类", "医药类" => 3000 元/人
          "财经类" => 2000 元/人

          else => 2500 元/人
        }
        """), "(match category [\"工科类\" \"医药类\" => 3000 元 人^-1] [\"财经类\" => 2000 元 人^-1] [else => 2500 元 人^-1])")
        XCTAssertEqual(expr("match x { 1 => a, 2 => b }"), "(match x [1 => a] [2 => b])")
    }

    func testIfThenElse() {
        XCTAssertEqual(expr("if a > 1 then b else c + 1"), "(if (> a 1) b (+ c 1))")
        XCTAssertEqual(expr("if a\n  then b\n  else if c then d else e"), "(if a b (if c d e))")
    }

    func testRequireElseLevelIsNotAnIfElse() throws {
        let rs = rules("""
        ruleset r "r" {
          for school
          rule R-1 "x" {
            require x <= 18 else warning "未达合格标准"
            require x <= 22 else error
          }
        }
        """)
        let r = try XCTUnwrap(rs.first)
        XCTAssertEqual(r.requires.map(\.level), [.warning, .error])
        XCTAssertEqual(r.requires.map(\.label), ["未达合格标准", nil])
    }

    // MARK: calls and aggregates

    func testCallsAndAggregates() {
        XCTAssertEqual(expr("count(E where c)"), "count(E where c)")
        XCTAssertEqual(expr("count(internship where enterprise_code == code and night)"),
                       "count(internship where (and (== enterprise_code code) night))")
        XCTAssertEqual(expr("sum(E.f where c > 1)"), "sum(E.f where (> c 1))")
        XCTAssertEqual(expr("sum(E: a * 2 where c)"), "sum(E: (* a 2) where c)")
        XCTAssertEqual(expr("sum(E: coalesce(x, 0))"), "sum(E: coalesce(x, 0))")
        XCTAssertEqual(expr("count(E)"), "count(E)")
        XCTAssertEqual(expr("round(a / b, 2)"), "round((/ a b), 2)")
        XCTAssertEqual(expr("min(a, b, c) + 1"), "(+ min(a, b, c) 1)")
        XCTAssertEqual(expr("present(x)"), "present(x)")
    }

    // MARK: rule codes

    func testRuleCodes() {
        let rs = rules("""
        ruleset r "r" {
          for school
          rule ZZ-01 "a" { require x }
          rule GZ.3a "b" { require x }
          rule 3.1-b_2 "c" { require x }
          rule ZZ-01a {
            require x
          }
        }
        """)
        XCTAssertEqual(rs.map(\.code.text), ["ZZ-01", "GZ.3a", "3.1-b_2", "ZZ-01a"])
        XCTAssertEqual(rs.map(\.title), ["a", "b", "c", "ZZ-01a"])
    }

    func testWaiverAndExpectCodes() throws {
        let (ast, diags) = parseFile("""
        waive GZ.3a for school "626" until 2025-06-30 because "在建"
        test "t" {
          given school { code "T1" students 10 }
          expect GZ.3a fail warning
          expect ZZ-01 not-applicable
          expect ZZ-01 adjust teachers +20
        }
        """)
        XCTAssertEqual(diags.map(\.message.en), [])
        guard ast.declarations.count == 2, case .waiver(let w) = ast.declarations[0], case .test(let t) = ast.declarations[1] else {
            return XCTFail("\(ast.declarations)")
        }
        XCTAssertEqual(w.code.text, "GZ.3a")
        XCTAssertEqual(w.key, "626")
        XCTAssertEqual(w.until, CivilDate.days(year: 2025, month: 6, day: 30))
        XCTAssertEqual(t.expects.map(\.code.text), ["GZ.3a", "ZZ-01", "ZZ-01"])
        guard t.expects.count == 3 else { return }
        if case .outcome(let o, let l) = t.expects[0].kind { XCTAssertEqual(o, .fail); XCTAssertEqual(l, .warning) } else { XCTFail() }
        if case .outcome(let o, _) = t.expects[1].kind { XCTAssertEqual(o, .notApplicable) } else { XCTFail() }
        if case .adjust(let f, let d, _) = t.expects[2].kind { XCTAssertEqual(f.text, "teachers"); XCTAssertEqual(d, 20) } else { XCTFail() }
    }

    // MARK: hostile input

    func testTenThousandOpenParenthesesGiveAnErrorNotACrash() {
        let deep = String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
        var p = Parser(file: SourceFile(path: "e", text: deep), fileIndex: 0)
        XCTAssertThrowsError(try p.parseExpr())
        XCTAssertTrue(p.diagnostics.contains { $0.message.en.contains("nested too deeply") }, "\(p.diagnostics.map(\.message.en))")

        let unclosed = String(repeating: "(", count: 10_000)
        var q = Parser(file: SourceFile(path: "e", text: unclosed), fileIndex: 0)
        XCTAssertThrowsError(try q.parseExpr())
        XCTAssertFalse(q.diagnostics.isEmpty)
    }

    func testLongOperatorChainsGiveAnErrorNotACrash() {
        for op in ["+", "*", "and", "or", "-"] {
            let operand = op == "and" || op == "or" ? "true" : "1"
            let chain = Array(repeating: operand, count: 100_000).joined(separator: " \(op) ")
            var p = Parser(file: SourceFile(path: "e", text: chain), fileIndex: 0)
            XCTAssertThrowsError(try p.parseExpr(), op)
            XCTAssertTrue(p.diagnostics.contains { $0.message.en.contains("nested too deeply") }, op)
        }
        for prefix in ["not ", "-"] {
            let text = String(repeating: prefix, count: 10_000) + "x"
            var p = Parser(file: SourceFile(path: "e", text: text), fileIndex: 0)
            XCTAssertThrowsError(try p.parseExpr(), prefix)
        }
    }

    /// A hostile `require` compiles to an error diagnostic in bounded time, never a crash.
    func assertHostileRequireIsRefused(_ expr: String, file: StaticString = #filePath, line: UInt = #line) {
        let rules = Core.schoolRules("""
          rule R-1 "x" {
            require EXPR
          }
        """).replacingOccurrences(of: "EXPR", with: expr)
        let start = Date()
        let (p, diags, _) = Core.compile(rules)
        XCTAssertNil(p, file: file, line: line)
        XCTAssertTrue(diags.contains { $0.severity == .error }, file: file, line: line)
        XCTAssertLessThan(Date().timeIntervalSince(start), 10, file: file, line: line)
    }

    func testHostileDeepParenthesesInARuleFile() {
        assertHostileRequireIsRefused(String(repeating: "(", count: 10_000) + "students" + String(repeating: ")", count: 10_000) + " > 0")
    }

    func testHostileLongSumInARuleFile() {
        assertHostileRequireIsRefused(Array(repeating: "1", count: 100_000).joined(separator: "+") + " > 0")
    }

    func testHostileNestedIfInARuleFile() {
        assertHostileRequireIsRefused(String(repeating: "if true then ", count: 5_000) + "true" + String(repeating: " else false", count: 5_000))
    }

    func testHostileNestedMatchInARuleFile() {
        assertHostileRequireIsRefused(String(repeating: "match 1 { 1 => ", count: 5_000) + "true" + String(repeating: " }", count: 5_000))
    }

    func testHostileNestedCallsInARuleFile() {
        assertHostileRequireIsRefused(String(repeating: "max(", count: 10_000) + "1" + String(repeating: ")", count: 10_000) + " > 0")
    }

    func testHostileNestedAggregatesInARuleFile() {
        assertHostileRequireIsRefused(String(repeating: "count(school where ", count: 3_000) + "true" + String(repeating: ")", count: 3_000) + " > 0")
    }

    /// Lets are checked and evaluated recursively; a long chain of lets is
    /// hostile input the parser's depth bound does not see.
    func testLongChainOfLetsIsRefusedOrEvaluatedWithoutCrash() throws {
        let n = 20_000
        var body = "  let v0 = students\n"
        for i in 1..<n { body += "  let v\(i) = v\(i - 1) + 1\n" }
        body += "  rule R-1 \"x\" {\n    measure m = v\(n - 1)\n    require m > 0\n  }\n"
        let start = Date()
        let (p, diags, _) = Core.compile(Core.schoolRules(body))
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertLessThan(elapsed, 5, "checking \(n) chained lets took \(elapsed) s")
        guard let p else {
            XCTAssertTrue(diags.contains { $0.severity == .error })
            return
        }
        let r = Core.run(p, try Core.load(p, Core.schoolHeader + Core.schoolRow("A", students: "10")))
        XCTAssertEqual(Core.measure(r, "R-1", "A", "m"), Double(10 + n - 1))
    }

    func testModerateNestingIsAccepted() {
        let text = String(repeating: "(", count: 50) + "a + b" + String(repeating: ")", count: 50)
        XCTAssertEqual(expr(text), "(+ a b)")
        let chain = Array(repeating: "a", count: 100).joined(separator: " + ")
        XCTAssertNotNil(expr(chain))
    }

    // MARK: declarations

    func testEntityAndUnitDeclarations() throws {
        let (ast, diags) = parseFile("""
        unit 人 = 1
        unit 平方米 alias m2, ㎡
        unit 万元 = 10000 元
        entity internship "实习安排" {
          key id            : text       "实习编号"
          level : text one of ("中职", "高职") "层次"
          enterprise_code   : ref enterprise "实习单位统一社会信用代码"
          daily_hours       : number 小时/天 "日实习时长"
          optional note     : text       "备注"
        }
        """)
        XCTAssertEqual(diags.map(\.message.en), [])
        XCTAssertEqual(ast.declarations.count, 4)
        guard ast.declarations.count == 4, case .unit(let m2) = ast.declarations[1], case .unit(let wan) = ast.declarations[2],
              case .entity(let e) = ast.declarations[3] else { return XCTFail() }
        XCTAssertEqual(m2.aliases.map(\.text), ["m2", "㎡"])
        XCTAssertEqual(wan.definition?.value, 10000)
        XCTAssertEqual(wan.definition?.unit.map(unit), "元")
        XCTAssertEqual(e.label, "实习安排")
        XCTAssertEqual(e.fields.map(\.name.text), ["id", "level", "enterprise_code", "daily_hours", "note"])
        XCTAssertEqual(e.fields.map(\.isKey), [true, false, false, false, false])
        XCTAssertEqual(e.fields.map(\.isOptional), [false, false, false, false, true])
        if case .text(let values) = e.fields[1].type { XCTAssertEqual(values, ["中职", "高职"]) } else { XCTFail() }
        if case .ref(let target) = e.fields[2].type { XCTAssertEqual(target.text, "enterprise") } else { XCTFail() }
        if case .number(let u) = e.fields[3].type { XCTAssertEqual(u.map(unit), "小时 天^-1") } else { XCTFail() }
    }

    func testParserRecoversAndReportsEveryBrokenLine() {
        let text = """
        ruleset r "r" {
          for school
          rule R-1 "x" {
            require a > > 1
            measure = 3
            require c
          }
          bogus
          rule R-2 "y" {
            require d
          }
        }
        """
        let (ast, diags) = parseFile(text)
        let file = SourceFile(path: "t.rules", text: text)
        XCTAssertEqual(Set(diags.map { file.location(of: $0.range.start).line }), [4, 5, 8], "\(diags.map(\.message.en))")
        guard case .ruleset(let rs)? = ast.declarations.first else { return XCTFail() }
        XCTAssertEqual(rs.rules.map(\.code.text), ["R-1", "R-2"], "parsing goes on after each error")
        XCTAssertEqual(rs.rules.first?.requires.map { show($0.expr) }, ["c"])
    }
}
