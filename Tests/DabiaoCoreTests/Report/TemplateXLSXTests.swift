import XCTest
@testable import DabiaoCore

/// The xlsx template: what it holds, that our reader takes it back to the
/// same fields, and what becomes of codes that arrive as Excel numbers.
final class TemplateXLSXTests: XCTestCase {
    static let rules = """
    unit 人 = 1
    unit 平方米 alias m2
    entity school "学校" {
      key code : text "学校标识码"
      name : text "学校名称"
      city : text one of ("兰州市", "天水市") "所属市州"
      students : integer 人 "全日制在校生数"
      building_area : number 平方米 "校舍建筑面积"
      public : bool "是否公办"
      optional founded : date "建校日期"
    }
    entity enterprise "企业" {
      key code : text "统一社会信用代码"
      name : text "企业名称"
    }
    entity placement "实习安排" {
      key id : text "实习编号"
      school_code : ref school "学校标识码"
      enterprise_code : ref enterprise "实习单位统一社会信用代码"
    }
    ruleset t "t" {
      for school
      rule T-1 "t" {
        require students > 0
      }
    }
    """

    func program() throws -> Program { try Core.program(Self.rules) }

    func sheetXML(_ bytes: [UInt8], _ n: Int) throws -> String {
        String(decoding: try ZipArchive(bytes: bytes).read("xl/worksheets/sheet\(n).xml"), as: UTF8.self)
    }

    func testOneSheetPerEntityWithTheCSVTemplatesRows() throws {
        let p = try program()
        let bytes = try Template.xlsx(for: p.entities, entities: p.entities, lang: .zh)
        let book = try XLSXWorkbook(bytes: bytes)
        XCTAssertEqual(book.sheetNames, ["学校", "企业", "实习安排"])
        for (e, name) in zip(p.entities, book.sheetNames) {
            let csv = try parseCSV(Template.csv(for: e, entities: p.entities, lang: .zh))
            let sheet = try book.sheet(named: name)
            XCTAssertEqual(sheet.rows.map(\.number), [1, 2])
            XCTAssertEqual(sheet.rows[0].cells, csv[0].fields.map { .text($0) }, name)
            XCTAssertEqual(sheet.rows[1].cells, csv[1].fields.map { .text($0) }, name)
        }
        XCTAssertEqual(try book.sheet(named: "学校").rows[0].cells[3], .text("全日制在校生数（人）"))
    }

    func testCodeColumnsAreTextAndListsValidate() throws {
        let p = try program()
        let bytes = try Template.xlsx(for: p.entities, entities: p.entities, lang: .zh)
        let styles = String(decoding: try ZipArchive(bytes: bytes).read("xl/styles.xml"), as: UTF8.self)
        XCTAssertTrue(styles.contains("<cellXfs count=\"5\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/><xf numFmtId=\"49\""),
                      "style 1 is the text format @")
        let school = try sheetXML(bytes, 1)
        // Key, name and city are text; students, area and bool General; the date column ISO.
        for (column, style) in [(1, 1), (2, 1), (3, 1), (4, 0), (5, 0), (6, 0), (7, 4)] {
            let range = try XCTUnwrap(school.range(of: "<col min=\"\(column)\" max=\"\(column)\""))
            let rest = school[range.upperBound...].prefix(while: { $0 != "/" })
            XCTAssertTrue(rest.contains("style=\"\(style)\""), "column \(column): \(rest)")
        }
        XCTAssertTrue(school.contains("sqref=\"C3:C1048576\"><formula1>&quot;兰州市,天水市&quot;</formula1>"), school)
        XCTAssertTrue(school.contains("errorStyle=\"warning\"") && school.contains("sqref=\"F3:F1048576\"><formula1>&quot;是,否&quot;</formula1>"))
        let placement = try sheetXML(bytes, 3)
        XCTAssertEqual(placement.components(separatedBy: "customWidth=\"1\"/>").count - 1, 3)
        XCTAssertEqual(placement.components(separatedBy: "style=\"1\" customWidth").count - 1, 3, "every column of 实习安排 is a code")
    }

    func testLongListsGoToAHiddenSheet() throws {
        let values = (1...40).map { "第\($0)类专业名称" }
        let p = try Core.program("""
        entity school "学校" {
          key code : text "学校标识码"
          major : text one of (\(values.map { "\"\($0)\"" }.joined(separator: ", "))) "专业"
        }
        """)
        let bytes = try Template.xlsx(for: p.entities, entities: p.entities, lang: .zh)
        let book = try XLSXWorkbook(bytes: bytes)
        XCTAssertEqual(book.sheetNames, ["学校", "可选值"])
        let workbook = String(decoding: try ZipArchive(bytes: bytes).read("xl/workbook.xml"), as: UTF8.self)
        XCTAssertTrue(workbook.contains("<sheet name=\"可选值\" sheetId=\"2\" state=\"hidden\""))
        XCTAssertTrue(try sheetXML(bytes, 1).contains("<formula1>'可选值'!$A$2:$A$41</formula1>"))
        let lists = try book.sheet(named: "可选值")
        XCTAssertEqual(lists.rows.count, 41)
        XCTAssertEqual(lists.rows[1].cells, [.text(values[0])])
        XCTAssertEqual(lists.rows[40].cells, [.text(values[39])])
        // Discovery passes the list sheet over: it names no entity.
        XCTAssertNil(p.entities.firstIndex { xlsxSheetNames("可选值", entity: $0) })
    }

    func testEnglishHintsAndListSheet() throws {
        let p = try program()
        let book = try XLSXWorkbook(bytes: try Template.xlsx(for: [p.entities[2]], entities: p.entities, lang: .en))
        XCTAssertEqual(book.sheetNames, ["实习安排"])
        let csv = try parseCSV(Template.csv(for: p.entities[2], entities: p.entities, lang: .en))
        XCTAssertEqual(try book.sheet(named: "实习安排").rows[1].cells, csv[1].fields.map { .text($0) })
        XCTAssertEqual(csv[1].fields[1], "key of a school (学校标识码); required")
    }

    func testAwkwardTextReadsBackAsWritten() throws {
        let texts = ["a & b <c> \"d\"", "_x0041_ stays", "tab\tand\nline", "bell\u{07}", "＿x 全角"]
        var writer = XLSXWriter()
        writer.sheets = [.init(name: "S&<'x>", rows: [texts.map { .init($0, .text) }])]
        let book = try XLSXWorkbook(bytes: try writer.write())
        XCTAssertEqual(book.sheetNames, ["S&<'x>"])
        XCTAssertEqual(try book.sheet(named: "S&<'x>").rows[0].cells, texts.map { .text($0) })
    }

    func testSameBytesTwice() throws {
        let p = try program()
        XCTAssertEqual(try Template.xlsx(for: p.entities, entities: p.entities), try Template.xlsx(for: p.entities, entities: p.entities))
    }

    /// The template with data rows added the way a spreadsheet stores them.
    func filled(_ p: Program, school: [[XLSXWriter.Cell]] = [], enterprise: [[XLSXWriter.Cell]] = [],
                placement: [[XLSXWriter.Cell]] = []) throws -> [UInt8] {
        var book = Template.workbook(for: p.entities, entities: p.entities, lang: .zh)
        book.sheets[0].rows += school
        book.sheets[1].rows += enterprise
        book.sheets[2].rows += placement
        return try book.write()
    }

    func load(_ p: Program, _ bytes: [UInt8]) throws -> Dataset {
        var loader = DataLoader(program: p)
        for (e, sheet) in ["学校", "企业", "实习安排"].enumerated() {
            try loader.load(bytes: bytes, spec: InputSpec(entity: e, path: "t.xlsx", sheet: sheet))
        }
        return loader.dataset
    }

    func t(_ s: String) -> XLSXWriter.Cell { .init(s, .text) }
    func n(_ s: String) -> XLSXWriter.Cell { .init(s, .general, number: true) }

    func testFilledTemplateReadsBackToTheSameFields() throws {
        let p = try program()
        let bytes = try filled(p, school: [[t("6262100161"), t("兰州职业中专"), t("兰州市"), n("1200"), n("5000.5"), t("是"), n("45536")],
                                           [t("6262100162"), t("天水职业中专"), t("天水市"), n("800"), n("3000"), t("否")]],
                               enterprise: [[t("916201001234567890"), t("甲公司")], [t("916201001234567891"), t("乙公司")]],
                               placement: [[t("P1"), t("6262100161"), t("916201001234567891")]])
        let data = try load(p, bytes)
        XCTAssertEqual(data.errors, [])
        XCTAssertEqual(data.recordsRead, 5)
        XCTAssertEqual(data.recordsRejected, 0)
        let school = data.tables[0]
        XCTAssertEqual(school.count, 2)
        XCTAssertEqual(school.source(0).line, 3, "the hint row is row 2 and is no record")
        XCTAssertEqual(school.columns[0].text(1), "6262100162")
        XCTAssertEqual(school.columns[2].text(1), "天水市")
        XCTAssertEqual(school.columns[3].all, [1200, 800])
        XCTAssertEqual(school.columns[4].all, [5000.5, 3000])
        XCTAssertEqual(school.columns[5].all, [1, 0])
        XCTAssertEqual(school.columns[6].all[0], Double(CivilDate.days(year: 2024, month: 9, day: 1) ?? -1))
        XCTAssertTrue(school.columns[6].isMissing(1))
        XCTAssertEqual(data.tables[1].columns[0].text(0), "916201001234567890")
        XCTAssertEqual(data.tables[1].columns[0].text(1), "916201001234567891", "two 18-digit codes stay two firms")
        XCTAssertEqual(data.tables[2].columns[2].text(0), "916201001234567891")
    }

    func testEighteenDigitKeyStoredAsANumberIsExplained() throws {
        let p = try program()
        // What openpyxl or Excel store for 916201001234567890 and 916201001234567891 typed into number cells.
        let bytes = try filled(p, enterprise: [[n("916201001234567890"), t("甲公司")], [n("9.16201001234568E+17"), t("乙公司")],
                                               [n("6201001234"), t("丙公司")]],
                               placement: [[t("P1"), t("6262100161"), n("9.1620100123456794E+17")]])
        let data = try load(p, bytes)
        let keyErrors = data.errors.filter { $0.column == "统一社会信用代码" }
        XCTAssertEqual(keyErrors.map(\.path), ["t.xlsx#企业", "t.xlsx#企业"])
        XCTAssertEqual(keyErrors.map(\.line), [3, 4])
        // Both firms arrive as the same number, the collapse that used to read as a duplicate key.
        XCTAssertEqual(keyErrors.map(\.value), ["9.16201001234568e+17", "9.16201001234568e+17"])
        XCTAssertEqual(keyErrors.map(\.rejectsRecord), [true, true])
        for e in keyErrors {
            XCTAssertTrue(e.reason.zh.contains("15 位有效数字") && e.reason.zh.contains("“文本”格式"), e.reason.zh)
            XCTAssertTrue(e.reason.en.contains("15 significant digits") && e.reason.en.contains("Format the column as Text"), e.reason.en)
            XCTAssertFalse(e.reason.zh.contains("记录标识重复"))
        }
        XCTAssertTrue(keyErrors[0].reason.zh.hasSuffix("该记录未评估（单元格 A3）"), keyErrors[0].reason.zh)
        XCTAssertFalse(data.errors.contains { $0.reason.zh.contains("记录标识重复") })
        // A ten-digit number is a number Excel holds exactly: that firm is read.
        XCTAssertEqual(data.tables[1].count, 1)
        XCTAssertEqual(data.tables[1].columns[0].text(0), "6201001234")
        let enterprise = data.inputs[1]
        XCTAssertEqual(enterprise.records, 3)
        XCTAssertEqual(enterprise.rejected, 2)
        XCTAssertEqual(enterprise.records - enterprise.rejected, data.tables[1].count, "read = evaluated + rejected")
        // The reference is missing, the placement itself is still read.
        let refError = try XCTUnwrap(data.errors.first { $0.column == "实习单位统一社会信用代码" })
        XCTAssertEqual(refError.line, 3)
        XCTAssertEqual(refError.value, "9.16201001234568e+17")
        XCTAssertFalse(refError.rejectsRecord)
        XCTAssertTrue(refError.reason.zh.contains("该引用按缺失处理"))
        XCTAssertEqual(data.tables[2].count, 1)
        XCTAssertTrue(data.tables[2].columns[2].isMissing(0))
    }

    func testExponentFormInACSVSavedByExcel() throws {
        let p = try program()
        let csv = "统一社会信用代码,企业名称\n9.16201E+17,甲公司\n9.16201E+17,乙公司\n91620100MA12E34567,丙公司\n916201001234E56789,丁公司\n"
        let data = try Core.load(p, entity: "enterprise", path: "enterprise.csv", csv)
        XCTAssertEqual(data.errors.map(\.line), [2, 3])
        XCTAssertEqual(data.errors.map(\.value), ["9.16201E+17", "9.16201E+17"])
        XCTAssertEqual(data.errors.map(\.path), ["enterprise.csv", "enterprise.csv"])
        XCTAssertEqual(data.errors.map(\.column), ["统一社会信用代码", "统一社会信用代码"])
        XCTAssertFalse(data.errors.contains { $0.reason.zh.contains("记录标识重复") }, "\(data.errors)")
        // Codes with the letter E but no exponent sign are codes.
        XCTAssertEqual(data.tables[1].count, 2)
        XCTAssertEqual(data.recordsRead, 4)
        XCTAssertEqual(data.recordsRejected, 2)
    }

    func testExponentShapes() {
        func check(_ s: String) -> Bool { Array(s.utf8).withUnsafeBufferPointer { isExponentNumber($0) } }
        for yes in ["9.16201E+17", "9.16201e+17", " 1E+15 ", "-1.5e-07", "1.E+5", "+2E-3"] { XCTAssertTrue(check(yes), yes) }
        for no in ["916201001234567890", "91620100MA12E34567", "1E5", "E+5", "9.1E+", "9.1E+1a", "1.2.3E+4", "", "e+1"] { XCTAssertFalse(check(no), no) }
    }
}
