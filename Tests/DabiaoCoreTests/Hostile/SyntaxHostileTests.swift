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
}
