import XCTest
@testable import DabiaoCore

/// Every class of compile diagnostic, checked as the user sees it:
/// `file:line:column`, the source line, the caret and the help line.
final class DiagnosticsTests: XCTestCase {
    /// 1-based line and scalar column of the first occurrence of `needle`
    /// (after `after`, when given), computed independently of the library.
    func locate(_ text: String, _ needle: String, after: String? = nil) -> (line: Int, column: Int)? {
        let scalars = Array(text.unicodeScalars)
        let n = Array(needle.unicodeScalars)
        var from = 0
        if let after, let a = firstIndex(of: Array(after.unicodeScalars), in: scalars, from: 0) {
            from = a + after.unicodeScalars.count
        }
        guard let at = firstIndex(of: n, in: scalars, from: from) else { return nil }
        var line = 1
        var col = 1
        for s in scalars[0..<at] {
            if s == "\n" { line += 1; col = 1 } else { col += 1 }
        }
        return (line, col)
    }

    func firstIndex(of n: [Unicode.Scalar], in s: [Unicode.Scalar], from: Int) -> Int? {
        guard !n.isEmpty, s.count >= n.count, from <= s.count - n.count else { return nil }
        for i in from...(s.count - n.count) where Array(s[i..<i + n.count]) == n { return i }
        return nil
    }

    /// The rendered block of the diagnostic that starts at `needle`.
    func block(_ rendered: String, path: String = "t.rules", _ loc: (line: Int, column: Int)) -> String? {
        let head = "\(path):\(loc.line):\(loc.column): "
        guard let r = rendered.range(of: head) else { return nil }
        let rest = rendered[r.lowerBound...]
        // Blocks are separated by the next `path:` header.
        if let next = rest.dropFirst(head.count).range(of: "\n\(path):") {
            return String(rest[..<next.lowerBound])
        }
        return String(rest)
    }

    /// The caret line of a block: leading spaces after `| ` and the carets.
    func caret(_ block: String) -> (lead: Int, width: Int)? {
        for line in block.split(separator: "\n", omittingEmptySubsequences: false) where line.contains("^") {
            guard let bar = line.range(of: "| ") else { return nil }
            let after = line[bar.upperBound...]
            let lead = after.prefix { $0 == " " }.count
            let width = after.dropFirst(lead).prefix { $0 == "^" }.count
            return (lead, width)
        }
        return nil
    }

    // MARK: syntax

    func testSyntaxErrorLocationCaretAndSourceLine() throws {
        let text = Core.schoolRules("""
          rule R-1 "x" {
            measure m = students * * 2
            require m > 0
          }
        """)
        let (errors, out) = Core.rendered(text)
        XCTAssertFalse(errors.isEmpty, out)
        let loc = try XCTUnwrap(locate(text, "* 2"))
        let b = try XCTUnwrap(block(out, loc), "no diagnostic at \(loc) in:\n\(out)")
        XCTAssertTrue(b.contains("error[E0201]: expected an expression, found '*'"), b)
        XCTAssertTrue(b.contains("| " + "    measure m = students * * 2"), b)
        let c = try XCTUnwrap(caret(b))
        XCTAssertEqual(c.lead, loc.column - 1, b)
        XCTAssertEqual(c.width, 1, b)
    }

    func testSyntaxErrorChineseRendering() throws {
        let text = Core.schoolRules("""
          rule R-1 "x" {
            require students >= (20
          }
        """)
        let (errors, out) = Core.rendered(text, lang: .zh)
        XCTAssertFalse(errors.isEmpty)
        XCTAssertTrue(out.contains("t.rules:"), out)
        XCTAssertTrue(out.contains("错误"), out)
    }

    func testUnterminatedStringHasHelp() throws {
        let text = Core.schoolRules("""
          rule R-1 "x {
            require students > 0
          }
        """)
        let (errors, out) = Core.rendered(text)
        XCTAssertFalse(errors.isEmpty)
        let loc = try XCTUnwrap(locate(text, "\"x {"))
        let b = try XCTUnwrap(block(out, loc), out)
        XCTAssertTrue(b.contains("unterminated string"), b)
        XCTAssertTrue(b.contains("= help: add a closing \""), b)
    }

    func testRuleWithoutRequireIsAnError() throws {
        let text = Core.schoolRules("""
          rule R-1 "x" {
            measure m = students / teachers
          }
        """)
        let (errors, out) = Core.rendered(text)
        XCTAssertEqual(errors.count, 1, out)
        XCTAssertTrue(out.contains("rule R-1 has no require"), out)
    }

    // MARK: names

    func testUnknownNameSuggestsClosestField() throws {
        let text = Core.schoolRules("""
          rule R-1 "x" {
            require studnets > 0
          }
        """)
        let (errors, out) = Core.rendered(text)
        XCTAssertEqual(errors.count, 1, out)
        let loc = try XCTUnwrap(locate(text, "studnets"))
        let b = try XCTUnwrap(block(out, loc), out)
        XCTAssertTrue(b.contains("unknown name 'studnets'"), b)
        XCTAssertTrue(b.contains("= help: did you mean students?"), b)
        let c = try XCTUnwrap(caret(b))
        XCTAssertEqual(c.lead, loc.column - 1)
        XCTAssertEqual(c.width, "studnets".count)
    }

    func testUnknownCJKNameSuggestsLetAndCaretCoversWideCharacters() throws {
        let text = Core.schoolRules("""
          let 生均校舍建筑面积 = building_area / students
          rule R-1 "x" {
            require 生均校舍建筑面 >= 20 平方米/人
          }
        """)
        let (errors, out) = Core.rendered(text)
        XCTAssertEqual(errors.count, 1, out)
        let loc = try XCTUnwrap(locate(text, "生均校舍建筑面 >="))
        let b = try XCTUnwrap(block(out, loc), out)
        XCTAssertTrue(b.contains("= help: did you mean 生均校舍建筑面积?"), b)
        let c = try XCTUnwrap(caret(b))
        // Four ASCII spaces and `require ` precede the name; each CJK character is two columns wide.
        XCTAssertEqual(c.lead, "    require ".count, b)
        XCTAssertEqual(c.width, 7 * 2, b)
    }

    func testUnknownFieldOfRefEntitySuggests() throws {
        let text = """
        unit 人 = 1
        entity enterprise "企业" {
          key code : text "代码"
          staff : integer 人 "职工人数"
        }
        entity internship "实习" {
          key id : text "编号"
          enterprise_code : ref enterprise "企业代码"
        }
        ruleset r "r" {
          for internship
          rule I-1 "x" {
            require enterprise_code.staf > 0
          }
        }
        """
        let (errors, out) = Core.rendered(text)
        XCTAssertEqual(errors.count, 1, out)
        let loc = try XCTUnwrap(locate(text, "staf >"))
        let b = try XCTUnwrap(block(out, loc), out)
        XCTAssertTrue(b.contains("entity enterprise has no field 'staf'"), b)
        XCTAssertTrue(b.contains("did you mean staff?"), b)
    }

    func testUnknownUnitSuggests() throws {
        let text = Core.schoolRules("""
          rule R-1 "x" {
            require building_area / students >= 20 平方/人
          }
        """)
        let (errors, out) = Core.rendered(text)
        XCTAssertFalse(errors.isEmpty, out)
        let loc = try XCTUnwrap(locate(text, "平方/人"))
        let b = try XCTUnwrap(block(out, loc), out)
        XCTAssertTrue(b.contains("unknown unit '平方'"), b)
        XCTAssertTrue(b.contains("did you mean 平方米?"), b)
    }

    // MARK: types

    func testTextPlusNumberIsATypeError() throws {
        let text = Core.schoolRules("""
          rule R-1 "x" {
            require name + 1 > 0
          }
        """)
        let (errors, out) = Core.rendered(text)
        XCTAssertEqual(errors.count, 1, out)
        let loc = try XCTUnwrap(locate(text, "name + 1"))
        let b = try XCTUnwrap(block(out, loc), out)
        XCTAssertTrue(b.contains("arithmetic + needs numbers, this is text"), b)
        XCTAssertEqual(caret(b)?.width, 4, b)
    }

    func testWhenThatIsNotBoolIsATypeErrorWithHelp() throws {
        let text = Core.schoolRules("""
          rule R-1 "x" {
            when students
            require teachers > 0
          }
        """)
        let (errors, out) = Core.rendered(text)
        XCTAssertEqual(errors.count, 1, out)
        let loc = try XCTUnwrap(locate(text, "students", after: "when "))
        let b = try XCTUnwrap(block(out, loc), out)
        XCTAssertTrue(b.contains("when needs a condition (bool)"), b)
        XCTAssertTrue(b.contains("= help: write a comparison"), b)
    }

    func testOrderedComparisonOfTextIsAnError() throws {
        let text = Core.schoolRules("""
          rule R-1 "x" {
            require city < "兰州市"
          }
        """)
        let (errors, out) = Core.rendered(text)
        XCTAssertEqual(errors.count, 1, out)
        XCTAssertTrue(out.contains("text can only be compared for equality"), out)
    }

    func testChainedComparisonIsASyntaxErrorWithHelp() throws {
        let text = Core.schoolRules("""
          rule R-1 "x" {
            require 0 < students < 10
          }
        """)
        let (errors, out) = Core.rendered(text)
        XCTAssertFalse(errors.isEmpty, out)
        XCTAssertTrue(out.contains("comparisons do not chain"), out)
        XCTAssertTrue(out.contains("between"), out)
    }

    // MARK: units

    func testAreaPerPersonAgainstBareNumberSuggestsUnit() throws {
        let text = Core.schoolRules("""
          rule R-1 "x" {
            require building_area / students >= 20
          }
        """)
        let (errors, out) = Core.rendered(text)
        XCTAssertEqual(errors.count, 1, out)
        let loc = try XCTUnwrap(locate(text, "20\n"))
        let b = try XCTUnwrap(block(out, loc), "expected the diagnostic at the bare 20 (\(loc)):\n\(out)")
        XCTAssertTrue(b.contains("unit mismatch"), b)
        XCTAssertTrue(b.contains("= help: write 20 平方米/人"), b)
        XCTAssertEqual(caret(b)?.width, 2, b)
        let zh = Core.rendered(text, lang: .zh).text
        XCTAssertTrue(zh.contains("提示: 写成 20 平方米/人"), zh)
    }

    func testAddingAreaAndMoneyIsAUnitError() throws {
        let text = Core.schoolRules("""
          rule R-1 "x" {
            require building_area + equipment_value > 0 平方米
          }
        """)
        let (errors, out) = Core.rendered(text)
        XCTAssertEqual(errors.count, 1, out)
        XCTAssertTrue(out.contains("unit mismatch: 平方米 against 万元"), out)
    }

    func testMeasureShownInUnitOfOtherDimensionIsAnError() throws {
        let text = Core.schoolRules("""
          rule R-1 "x" {
            measure m = equipment_value / students in 平方米/人
            require m > 0 元/人
          }
        """)
        let (errors, out) = Core.rendered(text)
        XCTAssertEqual(errors.count, 1, out)
        XCTAssertTrue(out.contains("cannot be shown in 平方米/人"), out)
    }

    // MARK: duplicates

    func testDuplicateUnitPointsAtFirstDeclaration() throws {
        let text = Core.schoolSchema + "unit 元\n"
        let (errors, out) = Core.rendered(text)
        XCTAssertEqual(errors.count, 1, out)
        let first = try XCTUnwrap(locate(text, "元\n"))
        let second = try XCTUnwrap(locate(text, "unit 元\n", after: "}"))
        let b = try XCTUnwrap(block(out, (second.line, second.column + 5)), out)
        XCTAssertTrue(b.contains("unit 元 is declared twice"), b)
        // The first declaration is shown as a secondary span, `-` under it.
        XCTAssertTrue(b.contains("\(first.line) | unit 元\n"), b)
        XCTAssertTrue(b.contains(String(repeating: " ", count: first.column - 1) + "-- first declared here"), b)
    }

    func testDuplicateUnitAlias() throws {
        let text = """
        unit 平方米 alias m2
        unit 平米 alias m2
        """
        let (errors, out) = Core.rendered(text)
        XCTAssertEqual(errors.count, 1, out)
        XCTAssertTrue(out.contains("t.rules:2:"), out)
        XCTAssertTrue(out.contains("unit m2 is declared twice"), out)
    }

    func testDuplicateEntity() throws {
        let text = Core.schoolSchema + """
        entity school "又一个学校" {
          key code : text "代码"
        }
        """
        let (errors, out) = Core.rendered(text)
        XCTAssertEqual(errors.count, 1, out)
        let loc = try XCTUnwrap(locate(text, "school \"又一个"))
        let b = try XCTUnwrap(block(out, loc), out)
        XCTAssertTrue(b.contains("entity school is declared twice"), b)
    }

    func testDuplicateField() throws {
        let text = """
        entity e "E" {
          key code : text "代码"
          name : text "名称"
          name : text "又一个名称"
        }
        """
        let (errors, out) = Core.rendered(text)
        XCTAssertEqual(errors.count, 1, out)
        let b = try XCTUnwrap(block(out, (4, 3)), out)
        XCTAssertTrue(b.contains("field name is declared twice"), b)
        XCTAssertTrue(b.contains("3 |   name : text \"名称\"\n  |   ---- first declared here"), b)
    }

    func testDuplicateRuleCodeAcrossFilesAndRulesets() throws {
        let a = Core.schoolRules("""
          rule ZZ-01 "a" {
            require students > 0
          }
        """)
        let b = """
        ruleset other "其他" {
          for school
          rule ZZ-01 "b" {
            require teachers > 0
          }
        }
        """
        let (p, diags, files) = Core.compile(files: [("a.rules", a), ("b.rules", b)])
        XCTAssertNil(p)
        let out = diags.map { DiagnosticRenderer.render($0, files: files, lang: .en) }.joined()
        XCTAssertEqual(diags.filter { $0.severity == .error }.count, 1, out)
        let first = try XCTUnwrap(locate(a, "ZZ-01"))
        XCTAssertTrue(out.contains("b.rules:3:8: error[E0401]: rule code ZZ-01 is used twice"), out)
        // The first use, in the other file, is a secondary span under its own location.
        XCTAssertTrue(out.contains("::: a.rules:\(first.line):\(first.column)\n"), out)
        XCTAssertTrue(out.contains("----- first used here"), out)
        XCTAssertTrue(out.contains("= note: rule codes are unique across the project"), out)
    }

    func testKeywordAsFieldNameIsRefusedWithHelp() throws {
        let text = """
        entity e "E" {
          key code : text "代码"
          when : date "日期"
        }
        """
        let (errors, out) = Core.rendered(text)
        XCTAssertEqual(errors.count, 1, out)
        let b = try XCTUnwrap(block(out, (3, 3)), out)
        XCTAssertTrue(b.contains("'when' is a keyword and cannot be used as a field name"), b)
        XCTAssertTrue(b.contains("= help: choose another name, e.g. when_"), b)
        XCTAssertEqual(caret(b)?.width, 4)
    }

    func testFieldNamedLikeEntityIsAnError() throws {
        let text = """
        entity enterprise "企业" {
          key code : text "代码"
        }
        entity internship "实习" {
          key id : text "编号"
          enterprise : text "企业"
        }
        """
        let (errors, out) = Core.rendered(text)
        XCTAssertEqual(errors.count, 1, out)
        XCTAssertTrue(out.contains("t.rules:6:3: error[E0403]: field enterprise has the name of an entity"), out)
    }

    // MARK: lets

    func testLetCycleIsReported() throws {
        let text = Core.schoolRules("""
          rule R-1 "x" {
            let a = b + 1
            let b = a * 2
            require a > 0
          }
        """)
        let (errors, out) = Core.rendered(text)
        XCTAssertFalse(errors.isEmpty, out)
        XCTAssertTrue(out.contains("in a cycle"), out)
        XCTAssertTrue(out.contains("= help: lets may not refer to each other in a cycle"), out)
        // Reported at a use inside the cycle, on one of the two let lines.
        let lines = [try XCTUnwrap(locate(text, "let a")).line, try XCTUnwrap(locate(text, "let b")).line]
        XCTAssertTrue(errors.contains { d in
            let (l, _) = SourceFile(path: "t.rules", text: text).location(of: d.range.start)
            return lines.contains(l)
        }, out)
    }

    func testSelfReferentialLetIsACycle() throws {
        let text = Core.schoolRules("""
          let x = x + 1
          rule R-1 "x" {
            require x > 0
          }
        """)
        let (errors, out) = Core.rendered(text)
        XCTAssertFalse(errors.isEmpty, out)
        XCTAssertTrue(out.contains("let x refers to itself in a cycle"), out)
    }

    // MARK: several errors

    func testEveryErrorOfAFileIsReportedInOrder() throws {
        let text = Core.schoolRules("""
          rule R-1 "a" {
            require studnets > 0
          }
          rule R-2 "b" {
            require building_area / students >= 20
          }
          rule R-3 "c" {
            require students > > 1
          }
          rule R-4 "d" {
            require name * 2 > 0
          }
        """)
        let (errors, out) = Core.rendered(text)
        // R-3 may also be reported as having no require, since its only require did not parse.
        XCTAssertGreaterThanOrEqual(errors.count, 4, out)
        let expected = [
            try XCTUnwrap(locate(text, "studnets")),
            try XCTUnwrap(locate(text, "20\n")),
            try XCTUnwrap(locate(text, "> 1")),
            try XCTUnwrap(locate(text, "name * 2")),
        ]
        var lastPosition = out.startIndex
        for loc in expected {
            guard let r = out.range(of: "t.rules:\(loc.line):\(loc.column): error[") else {
                XCTFail("no error at \(loc):\n\(out)")
                continue
            }
            XCTAssertGreaterThanOrEqual(r.lowerBound, lastPosition, "diagnostics are not in source order")
            lastPosition = r.lowerBound
        }
    }

    func testErrorsInTwoFilesAreAllReported() throws {
        let a = Core.schoolRules("""
          rule R-1 "a" {
            require studnets > 0
          }
        """)
        let b = """
        ruleset other "o" {
          for schol
          rule R-2 "b" {
            require 1 > 0
          }
        }
        """
        let (p, diags, files) = Core.compile(files: [("a.rules", a), ("b.rules", b)])
        XCTAssertNil(p)
        let out = diags.map { DiagnosticRenderer.render($0, files: files, lang: .en) }.joined()
        XCTAssertTrue(out.contains("a.rules:"), out)
        XCTAssertTrue(out.contains("b.rules:2:7: error[E0404]: unknown entity 'schol'"), out)
        XCTAssertTrue(out.contains("did you mean school?"), out)
    }

    func testWarningForValueOutsideOneOfDoesNotBlockCompilation() throws {
        let text = Core.schoolRules("""
          rule R-1 "a" {
            when level == "中专"
            require students > 0
          }
        """)
        let (p, diags, files) = Core.compile(text)
        XCTAssertNotNil(p, "a warning must not stop compilation")
        let out = diags.map { DiagnosticRenderer.render($0, files: files, lang: .en) }.joined()
        XCTAssertEqual(diags.count, 1, out)
        XCTAssertEqual(diags.first?.severity, .warning)
        XCTAssertTrue(out.contains("warning[W0001]:"), out)
    }

    // MARK: more name and call errors

    func testUnknownNameInsideMessageInterpolationPointsIntoTheString() throws {
        let text = Core.schoolRules("""
          rule R-1 "x" {
            require students > 0
            message "在校生 {studnets} 人"
          }
        """)
        let (errors, out) = Core.rendered(text)
        XCTAssertEqual(errors.count, 1, out)
        let loc = try XCTUnwrap(locate(text, "studnets"))
        let b = try XCTUnwrap(block(out, loc), out)
        XCTAssertTrue(b.contains("did you mean students?"), b)
    }

    func testLetNamedLikeAFieldIsAnError() throws {
        let text = Core.schoolRules("""
          rule R-1 "x" {
            let students = 3
            require teachers > 0
          }
        """)
        let (errors, out) = Core.rendered(text)
        XCTAssertEqual(errors.count, 1, out)
        XCTAssertTrue(out.contains("students has the name of a field of school"), out)
    }

    func testUnknownFunctionAndWrongArity() throws {
        let text = Core.schoolRules("""
          rule R-1 "x" {
            require maxx(students, teachers) > 0
          }
          rule R-2 "y" {
            require round(students, 1, 2) > 0
          }
          rule R-3 "z" {
            require len(students) > 0
          }
        """)
        let (errors, out) = Core.rendered(text)
        XCTAssertEqual(errors.count, 3, out)
        XCTAssertTrue(out.contains("unknown function 'maxx'"), out)
        XCTAssertTrue(out.contains("did you mean max?"), out)
        XCTAssertTrue(out.contains("round takes 1–2 arguments, not 3"), out)
        XCTAssertTrue(out.contains("argument 1 of len must be text"), out)
    }

    func testEntityOutOfScopeAndBareEntityName() throws {
        let text = """
        entity a "A" {
          key id : text "编号"
          n : integer "数"
        }
        entity b "B" {
          key id : text "编号"
          m : integer "数"
        }
        ruleset r "r" {
          for a
          rule R-1 "x" {
            require b.m > 0
          }
          rule R-2 "y" {
            require b > 0
          }
        }
        """
        let (errors, out) = Core.rendered(text)
        XCTAssertEqual(errors.count, 2, out)
        XCTAssertTrue(out.contains("t.rules:12:13: error[E0506]: entity b is not in scope here"), out)
        XCTAssertTrue(out.contains("count(b where"), "the help shows an aggregate: \(out)")
        XCTAssertTrue(out.contains("t.rules:15:13: error[E0502]: the entity name b cannot stand alone"), out)
    }

    func testEnglishAndChineseRenderingsOfTheSameDiagnostic() throws {
        let text = Core.schoolRules("""
          rule R-1 "x" {
            require studnets > 0
          }
        """)
        let en = Core.rendered(text, lang: .en).text
        let zh = Core.rendered(text, lang: .zh).text
        XCTAssertTrue(en.contains(": error[E0503]: unknown name 'studnets'"), en)
        XCTAssertTrue(zh.contains(": 错误[E0503]: 未知的名称 “studnets”"), zh)
        XCTAssertTrue(zh.contains("= 提示: 是否想写 students？"), zh)
        // Same location, same source line and caret in both languages.
        XCTAssertEqual(en.split(separator: "\n").dropFirst().prefix(3), zh.split(separator: "\n").dropFirst().prefix(3))
    }
}
