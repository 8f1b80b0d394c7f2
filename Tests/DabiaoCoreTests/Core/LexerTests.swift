import XCTest
@testable import DabiaoCore

final class LexerTests: XCTestCase {
    func lex(_ text: String) -> (kinds: [TokenKind], tokens: [Token], diagnostics: [Diagnostic], file: SourceFile) {
        let file = SourceFile(path: "t.rules", text: text)
        var lexer = Lexer(file: file, fileIndex: 0)
        let tokens = lexer.tokenize()
        return (tokens.map(\.kind), tokens, lexer.diagnostics, file)
    }

    func testCJKIdentifiers() {
        let r = lex("生均校舍建筑面积 = 建筑面积_2 / 学生数")
        XCTAssertEqual(r.kinds, [.ident("生均校舍建筑面积"), .punct(.assign), .ident("建筑面积_2"), .punct(.slash), .ident("学生数"), .eof])
        XCTAssertEqual(r.diagnostics, [])
    }

    func testIdentifierRangesAreScalarOffsets() {
        let r = lex("甲乙 丙")
        XCTAssertEqual(r.tokens.count, 3)
        XCTAssertEqual(r.tokens[0].range.start, 0)
        XCTAssertEqual(r.tokens[0].range.end, 2)
        XCTAssertEqual(r.tokens[1].range.start, 3)
        XCTAssertEqual(r.file.location(of: r.tokens[1].range.start).column, 4)
    }

    func testNumbers() {
        XCTAssertEqual(lex("1_200").kinds, [.number(1200, isInteger: true), .eof])
        XCTAssertEqual(lex("1_200_000").kinds, [.number(1_200_000, isInteger: true), .eof])
        XCTAssertEqual(lex("3.5").kinds, [.number(3.5, isInteger: false), .eof])
        XCTAssertEqual(lex("20").kinds, [.number(20, isInteger: true), .eof])
        let pct = lex("2%").kinds
        XCTAssertEqual(pct.count, 2)
        if case .number(let v, let isInt) = pct[0] {
            XCTAssertEqual(v, 0.02, accuracy: 1e-15)
            XCTAssertFalse(isInt)
        } else {
            XCTFail("\(pct)")
        }
        if case .number(let v, _) = lex("12.5％").kinds[0] {
            XCTAssertEqual(v, 0.125, accuracy: 1e-15, "full-width percent sign")
        } else {
            XCTFail()
        }
    }

    func testNumberFollowedByUnitAndMember() {
        XCTAssertEqual(lex("20 平方米/人").kinds, [.number(20, isInteger: true), .ident("平方米"), .punct(.slash), .ident("人"), .eof])
        // `1.` is not a decimal: the dot belongs to what follows.
        XCTAssertEqual(lex("1.x").kinds, [.number(1, isInteger: true), .punct(.dot), .ident("x"), .eof])
    }

    func testDates() {
        XCTAssertEqual(lex("2025-12-31").kinds, [.date(CivilDate.days(year: 2025, month: 12, day: 31) ?? -1), .eof])
        XCTAssertEqual(lex("2024-02-29").kinds, [.date(CivilDate.days(year: 2024, month: 2, day: 29) ?? -1), .eof])
        let bad = lex("2025-02-30")
        XCTAssertEqual(bad.diagnostics.count, 1)
        XCTAssertTrue(bad.diagnostics.first?.message.en.contains("not a valid date") == true)
        // Not four-two-two digits: an ordinary subtraction.
        XCTAssertEqual(lex("2025-1-31").kinds, [.number(2025, isInteger: true), .punct(.minus), .number(1, isInteger: true),
                                                .punct(.minus), .number(31, isInteger: true), .eof])
        XCTAssertEqual(lex("a-b").kinds, [.ident("a"), .punct(.minus), .ident("b"), .eof])
    }

    func testStringEscapes() {
        let r = lex(#""a\"b\\c\nd\te\{f}""#)
        XCTAssertEqual(r.diagnostics, [])
        XCTAssertEqual(r.kinds, [.string([.text("a\"b\\c\nd\te{f}")]), .eof])
    }

    func testUnknownEscapeIsReported() {
        let r = lex(#""a\qb""#)
        XCTAssertEqual(r.diagnostics.count, 1)
        XCTAssertTrue(r.diagnostics.first?.message.en.contains("escape") == true)
    }

    func testUnterminatedStringStopsAtLineEnd() {
        let r = lex("\"abc\nx")
        XCTAssertEqual(r.diagnostics.count, 1)
        XCTAssertEqual(Array(r.kinds.dropFirst()), [.newline, .ident("x"), .eof])
    }

    func testInterpolationParts() {
        let text = #""生师比 {生师比:.2}:1，学校 {name}""#
        let r = lex(text)
        XCTAssertEqual(r.diagnostics, [])
        guard case .string(let parts) = r.kinds.first else { return XCTFail("\(r.kinds)") }
        XCTAssertEqual(parts.count, 4, "\(parts)")
        guard parts.count == 4 else { return }
        XCTAssertEqual(parts[0], .text("生师比 "))
        guard case .interpolation(let s1, let e1, let d1, let raw1) = parts[1] else { return XCTFail("\(parts[1])") }
        XCTAssertEqual(d1, 2)
        XCTAssertEqual(raw1, "生师比:.2")
        XCTAssertEqual(r.file.slice(s1, e1), "生师比", "the expression excludes the format")
        XCTAssertEqual(parts[2], .text(":1，学校 "))
        guard case .interpolation(let s3, let e3, let d3, _) = parts[3] else { return XCTFail("\(parts[3])") }
        XCTAssertNil(d3)
        XCTAssertEqual(r.file.slice(s3, e3), "name")
    }

    func testEscapedBraceIsNotInterpolation() {
        let r = lex(#""\{x}""#)
        XCTAssertEqual(r.kinds, [.string([.text("{x}")]), .eof])
    }

    func testCommentsRunToLineEnd() {
        let r = lex("a # 注释 \"not a string\" 1_000\nb #")
        XCTAssertEqual(r.kinds, [.ident("a"), .newline, .ident("b"), .eof])
        XCTAssertEqual(r.diagnostics, [])
    }

    func testEveryKeywordIsReserved() {
        for k in Keyword.allCases {
            XCTAssertEqual(lex(k.rawValue).kinds, [.keyword(k), .eof], k.rawValue)
            XCTAssertEqual(lex(k.rawValue + "_").kinds, [.ident(k.rawValue + "_"), .eof], k.rawValue)
        }
        let spec = """
        unit alias entity key optional ruleset rule let measure require adjust when for where else severity cite
        message owner deadline within days version source waive until because test given expect and or not in
        between match if then true false up down by one of integer this number text bool date ref error warning info
        """
        let words = spec.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        XCTAssertEqual(Set(words), Set(Keyword.allCases.map(\.rawValue)), "the keyword list of language.md §2")
        XCTAssertEqual(lex("units").kinds, [.ident("units"), .eof])
    }

    func testPunctuationIncludingFullWidthForms() {
        XCTAssertEqual(lex("( ) , == != <= >= => = < > + - * / ^ : . { } [ ]").kinds, [
            .punct(.lparen), .punct(.rparen), .punct(.comma), .punct(.eq), .punct(.ne), .punct(.le), .punct(.ge), .punct(.arrow),
            .punct(.assign), .punct(.lt), .punct(.gt), .punct(.plus), .punct(.minus), .punct(.star), .punct(.slash), .punct(.caret),
            .punct(.colon), .punct(.dot), .punct(.lbrace), .punct(.rbrace), .punct(.lbracket), .punct(.rbracket), .eof,
        ])
        XCTAssertEqual(lex("（a，b）").kinds, [.punct(.lparen), .ident("a"), .punct(.comma), .ident("b"), .punct(.rparen), .eof])
    }

    func testUnexpectedCharactersAreReportedWithHelpForCurlyQuotes() {
        let r = lex("a @ b")
        XCTAssertEqual(r.diagnostics.count, 1)
        XCTAssertEqual(r.kinds, [.ident("a"), .ident("b"), .eof])
        let q = lex("“文本”")
        XCTAssertFalse(q.diagnostics.isEmpty)
        XCTAssertTrue(q.diagnostics.first?.help?.en.contains("ASCII double quote") == true)
    }

    func testRuleCodeScanning() {
        func code(_ s: String) -> String {
            let f = SourceFile(path: "t", text: s)
            return f.slice(0, Lexer.scanRuleCode(in: f, from: 0))
        }
        XCTAssertEqual(code("ZZ-01 \"x\""), "ZZ-01")
        XCTAssertEqual(code("GZ.3a {"), "GZ.3a")
        XCTAssertEqual(code("3.1-b_2"), "3.1-b_2")
        XCTAssertEqual(code("ZZ-01."), "ZZ-01", "a trailing dot is not part of the code")
        XCTAssertEqual(code("中职-01 x"), "中职-01")
    }

    func testLongInputLexesInLinearTime() {
        let text = String(repeating: "生均面积 + 1_200 * 2% # c\n", count: 20_000)
        let start = Date()
        let r = lex(text)
        XCTAssertEqual(r.tokens.count, 20_000 * 6 + 1)
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
    }
}
