import XCTest
@testable import DabiaoCore

/// Hostile rule files against the front end: each must give a clear, located
/// error (or the right result), never a crash, a hang or a silent misreading.
final class SyntaxHostileTests: XCTestCase {
    static let levels = 100_000

    func rep(_ s: String, _ n: Int = SyntaxHostileTests.levels) -> String { String(repeating: s, count: n) }

    /// The rules compiled with `EXPR` as the only require of a rule.
    func compileRequire(_ expr: String) -> (errors: [Diagnostic], files: [SourceFile], text: String) {
        let text = Core.schoolRules("""
          rule R-1 "x" {
            require EXPR
          }
        """).replacingOccurrences(of: "EXPR", with: expr)
        let (p, diags, files) = Core.compile(text)
        XCTAssertNil(p)
        return (diags.filter { $0.severity == .error }, files, text)
    }

    /// 1-based line of the first line of `text` that contains `needle`.
    func line(of needle: String, in text: String) -> Int? {
        text.components(separatedBy: "\n").firstIndex { $0.contains(needle) }.map { $0 + 1 }
    }

    func assertTooDeep(_ name: String, _ expr: String, onRequireLine: Bool = true, file: StaticString = #filePath, line l: UInt = #line) {
        let (errors, files, text) = compileRequire(expr)
        let deep = errors.filter { $0.message.zh.hasPrefix("表达式嵌套过深") }
        XCTAssertFalse(deep.isEmpty, "\(name): \(errors.prefix(3).map(\.message.en))", file: file, line: l)
        // The error stays on the require's line, and the broken expression is
        // skipped as a whole rather than producing an error per level.
        if onRequireLine, let d = deep.first, let f = files.first {
            XCTAssertEqual(f.location(of: d.range.start).line, line(of: "require", in: text), name, file: file, line: l)
            XCTAssertNotNil(d.help, name, file: file, line: l)
        }
        XCTAssertLessThan(errors.count, 5, "\(name): \(errors.prefix(5).map(\.message.en))", file: file, line: l)
    }

    // MARK: 1. nesting

    func testMatchNestedAHundredThousandDeep() {
        assertTooDeep("match subject", rep("match ") + "students" + rep(" { 1 => 2 }"))
        assertTooDeep("match arm", rep("match students { 1 => ") + "2" + rep(" }"))
        assertTooDeep("match pattern", rep("match students { ") + "1" + rep(" => 2 }"))
    }

    func testMatchNestedAcrossLinesIsSkippedAsOneError() {
        assertTooDeep("match lines", rep("match students {\n 1 => ") + "2" + rep("\n}"), onRequireLine: false)
    }

    func testIfNestedAHundredThousandDeep() {
        assertTooDeep("if condition", rep("if ") + "true" + rep(" then true else false"))
        assertTooDeep("if branch", rep("if true then ") + "true" + rep(" else false"))
    }

    func testAggregatesCallsParenthesesNestedAHundredThousandDeep() {
        assertTooDeep("aggregate where", rep("count(school where ") + "true" + rep(")") + " > 0")
        assertTooDeep("call", rep("abs(") + "1" + rep(")") + " > 0")
        assertTooDeep("parentheses", rep("(") + "true" + rep(")"))
        assertTooDeep("in list", "students in (" + rep("(") + "1" + rep(")") + ")")
    }

    func testPrefixOperatorsAHundredThousandDeep() {
        assertTooDeep("not", rep("not ") + "true")
        assertTooDeep("unary minus", rep("- ") + "1 > 0")
        assertTooDeep("unary minus unspaced", rep("-") + "1 > 0")
    }

    func testMixedChainsAHundredThousandDeep() {
        assertTooDeep("mixed", rep("(not -abs(match ", SyntaxHostileTests.levels / 4) + "1" + rep(" { 1 => 2 }) > 0)", SyntaxHostileTests.levels / 4))
        assertTooDeep("member chain", "students" + rep(".a") + " > 0")
        assertTooDeep("plus chain", rep("students + ") + "1 > 0")
        assertTooDeep("and chain", rep("true and ") + "true")
        assertTooDeep("minus chain", rep("1 - ") + "1 > 0")
    }

    /// The bound is on nesting, not on ordinary rules: 60 levels still compile.
    func testModerateNestingStillCompiles() throws {
        let text = Core.schoolRules("""
          rule R-1 "x" {
            require \(rep("(", 60))students > 0\(rep(")", 60))
            require \(rep("not ", 150))true
          }
        """)
        _ = try Core.program(text)
    }

    /// The deepest trees the front end accepts are checked, compiled and
    /// evaluated without exhausting the stack: later passes recurse over
    /// trees and rely on the parser's and checker's bounds.
    func testDeepestAcceptedTreesCheckAndRun() throws {
        // Lets chained up to the checker's summed-depth bound.
        let perLet = 100
        let chain = Checker.maxChainedDepth / perLet - 1
        var lets = "    let l0 = students" + rep(" + 1", perLet - 1) + "\n"
        for k in 1...chain {
            // Left-deep: the previous let sits at the bottom of the tree.
            lets += "    let l\(k) = l\(k - 1)" + rep(" + 1", perLet - 1) + "\n"
        }
        let text = Core.schoolRules("""
          rule R-1 "x" {
        \(lets)    require l\(chain) > 0
            require \(rep("not ", Parser.maxDepth - 2))true
            require \(rep("-", Parser.maxDepth - 4))1 < 0 or true
            require students + \(rep("(", Parser.maxNesting - 2))1\(rep(")", Parser.maxNesting - 2)) > 0
          }
        """) + """
        test "deep" {
          given school { code "T1" name "测试" city "兰州市" level "中职" category "工科类" students 2400 teachers 100
                         building_area 60000 equipment_value 900 }
          expect R-1 pass
        }
        """
        let p = try Core.program(text)
        let outcomes = TestRunner.run(p, asOf: Core.asOf)
        XCTAssertEqual(outcomes.count, 1)
        XCTAssertNil(outcomes.first?.failure, "\(outcomes.first?.failure?.en ?? "")")
    }

    /// Sixty-four lets of 200 levels each: every tree is within the parser's
    /// bound, the chain is not, and it is refused where the chain breaks it.
    func testLetChainOfDeepTreesIsRefusedNotACrash() throws {
        var lets = "    let l0 = students" + rep(" + 1", Parser.maxDepth - 1) + "\n"
        for k in 1..<Checker.maxLetChain {
            lets += "    let l\(k) = l\(k - 1)" + rep(" + 1", Parser.maxDepth - 1) + "\n"
        }
        let text = Core.schoolRules("""
          rule R-1 "x" {
        \(lets)    require l\(Checker.maxLetChain - 1) > 0
          }
        """)
        let (p, diags, files) = Core.compile(text)
        XCTAssertNil(p)
        let d = try XCTUnwrap(diags.first { $0.message.en.contains("nest more than \(Checker.maxChainedDepth) levels") }, "\(diags.map(\.message.en))")
        let line = files[0].lineText(files[0].location(of: d.range.start).line)
        XCTAssertTrue(line.hasPrefix("    let l"), line)
    }

    // MARK: 2. numbers and unit scales

    /// The errors of a whole project text, with the line and column of each.
    func errors(_ text: String) -> [(line: Int, column: Int, en: String, zh: String)] {
        let (_, diags, files) = Core.compile(text)
        return diags.filter { $0.severity == .error }.map {
            let (l, c) = files[0].location(of: $0.range.start)
            return (l, c, $0.message.en, $0.message.zh)
        }
    }

    func testNumberLiteralBeyondDoubleIsALocatedError() {
        let big = "1" + rep("0", 310)
        let (errors, files, text) = compileRequire("students == \(big)")
        let d = errors.first { $0.message.en.hasPrefix("number too large") }
        XCTAssertNotNil(d, "\(errors.map(\.message.en))")
        if let d {
            let (l, c) = files[0].location(of: d.range.start)
            XCTAssertEqual(l, line(of: "require", in: text))
            XCTAssertEqual(c, files[0].lineText(l).distance(of: "1000"))
            XCTAssertNotNil(d.help)
        }
        // Within range, the same number of digits less one hundred is fine.
        XCTAssertNoThrow(try Core.program(Core.schoolRules("rule R-1 \"x\" {\n require students < 1\(rep("0", 210))\n}")))
    }

    func testNumberLiteralBelowDoublePrecisionIsALocatedError() {
        let tiny = "0." + rep("0", 400) + "1"
        let (errors, _, _) = compileRequire("students > \(tiny)")
        XCTAssertTrue(errors.contains { $0.message.en.hasPrefix("number too small") }, "\(errors.map(\.message.en))")
        // A subnormal (about 1e-310) is refused too; zero written as zeros is not.
        let (sub, _, _) = compileRequire("students > 0." + rep("0", 309) + "1")
        XCTAssertTrue(sub.contains { $0.message.en.hasPrefix("number too small") }, "\(sub.map(\.message.en))")
        XCTAssertNoThrow(try Core.program(Core.schoolRules("rule R-1 \"x\" {\n require students > 0.\(rep("0", 400))\n}")))
    }

    func testUnitScaleThatOverflowsOrUnderflowsIsAnError() {
        let e308 = "1" + rep("0", 308)
        let tiny151 = "0." + rep("0", 150) + "1"
        let tiny161 = "0." + rep("0", 160) + "1"
        let units = """
        unit big = \(e308) 平方米
        unit bigger = 10 big
        unit t1 = \(tiny151) 平方米
        unit t2 = \(tiny161) t1

        """
        let found = errors(Core.schoolRules(units.isEmpty ? "" : """
          rule R-1 "x" {
            require building_area >= \(e308) big
            require building_area * building_area >= 1 big^2
          }
        """).replacingOccurrences(of: "unit 万元 = 10000 元\n", with: "unit 万元 = 10000 元\n" + units))
        let scale = found.filter { $0.en.hasPrefix("the unit's factor is out of range") }
        let value = found.filter { $0.en.hasPrefix("in base units this number is out of range") }
        // bigger (1e309) and t2 (1e-312) are refused where they are declared,
        // `big^2` (1e616) where it is written; `1e308 big` (1e616) as a value.
        XCTAssertEqual(scale.map(\.line), [6, 8, 26], "\(found)")
        XCTAssertEqual(value.map(\.line), [25], "\(found)")
    }

    // MARK: 3. strings, line ends, encodings

    func testMessageWithAnUnclosedBraceIsAnError() throws {
        let text = Core.schoolRules("""
          rule R-1 "x" {
            require students > 0
            message "在校生 {students"
          }
        """)
        let found = errors(text)
        XCTAssertEqual(found.count, 1, "\(found)")
        let lineNo = try XCTUnwrap(line(of: "message", in: text))
        XCTAssertEqual(found.first?.line, lineNo)
        XCTAssertEqual(found.first?.column, text.components(separatedBy: "\n")[lineNo - 1].distance(of: "{"))
        XCTAssertEqual(found.first?.en, "the interpolation has no closing }")
        // A literal brace is written \{; in a title a brace is only text.
        let fine = Core.schoolRules("""
          rule R-1 "标题 {未完" {
            require students > 0
            message "在校生 \\{students"
          }
        """)
        let p = try Core.program(fine)
        XCTAssertEqual(p.rules.first?.title, "标题 {未完")
    }

    func testCROnlyLineEndsReadLikeLF() throws {
        let lf = Core.schoolRules("""
          rule R-1 "x" {
            require students > 0   # a comment that must end at its line
            require teachers > 0
          }
        """)
        let cr = lf.replacingOccurrences(of: "\n", with: "\r")
        let p = try Core.program(cr)
        XCTAssertEqual(p.rules.count, 1)
        XCTAssertEqual(p.rules.first?.requires.count, 2)
        // An error in a CR-only file is on its own line, shown without the rest.
        let bad = cr.replacingOccurrences(of: "teachers > 0", with: "teacherz > 0")
        let (_, diags, files) = Core.compile(bad)
        let d = try XCTUnwrap(diags.first)
        let l = files[0].location(of: d.range.start).line
        XCTAssertEqual(l, line(of: "teachers > 0", in: lf))
        XCTAssertEqual(files[0].lineText(l), "    require teacherz > 0")
        XCTAssertEqual(d.help?.en, "did you mean teachers?")
    }

    func testInvalidUTF8InARuleFileIsLocatedWithACaret() throws {
        let text = Core.schoolRules("""
          rule R-1 "x" {
            require students > 0   # 注释 BAD
            message "在校生 BAD 人"
          }
        """)
        var bytes: [UInt8] = []
        for part in text.components(separatedBy: "BAD").enumerated() {
            if part.offset > 0 { bytes += part.offset == 1 ? [0xFF] : [0xC3, 0x28] }
            bytes += Array(part.element.utf8)
        }
        let file = SourceFile(path: "bad.rules", bytes: bytes)
        let (p, diags) = compileProject([file])
        XCTAssertNil(p)
        XCTAssertEqual(diags.count, 2, "\(diags.map(\.message.en))")
        let lines = text.components(separatedBy: "\n")
        let first = try XCTUnwrap(diags.first)
        XCTAssertEqual(first.message.en, "invalid UTF-8 bytes FF")
        let (l1, c1) = file.location(of: first.range.start)
        XCTAssertEqual(l1, line(of: "注释", in: text))
        XCTAssertEqual(c1, lines[l1 - 1].distance(of: "BAD"))
        XCTAssertEqual(diags.last?.message.en, "invalid UTF-8 bytes C3")
        let shown = DiagnosticRenderer.render(first, files: [file], lang: .zh)
        XCTAssertTrue(shown.hasPrefix("bad.rules:\(l1):\(c1): 错误[E0106]: 无效的 UTF-8 字节 FF\n"), shown)
        XCTAssertTrue(shown.contains("^"), shown)
    }

    func testRuleFileThatIsAFIFOIsRefusedAtOnce() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dabiao-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("a.rules").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        XCTAssertThrowsError(try Discovery.ruleFiles([fifo])) { e in
            XCTAssertEqual((e as? InputFailure)?.message.en, "not a regular file but a named pipe (FIFO); it cannot be read as input")
        }
        XCTAssertThrowsError(try Discovery.ruleFiles([dir.path]))
        // A file with a stray byte is read, to be reported with its place.
        try FileManager.default.removeItem(atPath: fifo)
        try Data([0x23, 0x20, 0xFE, 0x0A]).write(to: URL(fileURLWithPath: fifo))
        let files = try Discovery.ruleFiles([dir.path])
        XCTAssertEqual(files.first?.invalidBytes, [2: [0xFE]])
    }

    // MARK: 4. suggestions

    /// Ten thousand misspelt names among ten thousand lets: every one is an
    /// error, and the "did you mean" search stops at its budget instead of
    /// comparing 10⁸ pairs (bench/lint-misspellings.sh times it).
    func testTenThousandMisspellingsAreAllReportedWithABoundedSearch() {
        let n = 10_000
        var lets = ""
        var requires = ""
        for k in 0..<n {
            lets += "    let value\(k) = students\n"
            requires += "    require valeu\(k) > 0\n"
        }
        let found = errors(Core.schoolRules("  rule R-1 \"x\" {\n" + lets + requires + "  }\n"))
        let unknown = found.filter { $0.en.hasPrefix("unknown name 'valeu") }
        XCTAssertEqual(unknown.count, n)
        let (_, diags, _) = Core.compile(Core.schoolRules("  rule R-1 \"x\" {\n" + lets + requires + "  }\n"))
        let hinted = diags.filter { $0.message.en.hasPrefix("unknown name") && $0.help != nil }
        XCTAssertEqual(hinted.first?.help?.en, "did you mean value0?")
        XCTAssertLessThan(hinted.count, n)
        XCTAssertLessThanOrEqual(hinted.count * n, Suggestions().budget + n)
    }

    func testClosestIdentifierDoesNotDependOnOrder() {
        let names = ["teachers", "teachera", "students"]
        XCTAssertEqual(closestIdentifier("teacherz", among: names), "teachera")
        XCTAssertEqual(closestIdentifier("teacherz", among: names.reversed()), "teachera")
        XCTAssertNil(closestIdentifier("zzz", among: names))
    }
}

extension String {
    /// 1-based column (in scalars) of the first occurrence of `needle`.
    func distance(of needle: String) -> Int? {
        guard let r = range(of: needle) else { return nil }
        return unicodeScalars.distance(from: unicodeScalars.startIndex, to: r.lowerBound) + 1
    }
}
