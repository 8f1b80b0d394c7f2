import Foundation
import XCTest
@testable import DabiaoCore

final class XLSXWorkbookTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/xlsx")

    func workbook(_ name: String) throws -> XLSXWorkbook {
        try XLSXWorkbook(bytes: [UInt8](try Data(contentsOf: XLSXWorkbookTests.fixtures.appendingPathComponent(name))))
    }

    func cells(_ sheet: XLSXSheet, _ row: Int) -> [XLSXCell?]? {
        sheet.rows.first(where: { $0.number == row })?.cells
    }

    func testOpenpyxlBasicTypes() throws {
        let book = try workbook("basic.xlsx")
        XCTAssertEqual(book.sheetNames, ["学生名单", "课时统计"])
        XCTAssertFalse(book.uses1904)
        let sheet = try book.sheet(named: "学生名单")
        XCTAssertEqual(sheet.name, "学生名单")
        // Row 5 is empty and row 7 holds only a formula without a cached value.
        XCTAssertEqual(sheet.rows.map(\.number), [1, 2, 3, 4, 6])
        XCTAssertEqual(cells(sheet, 1), ["学号", "姓名", "年龄", "成绩", "入学日期", "在读", "备注"].map { .text($0) })
        XCTAssertEqual(cells(sheet, 2), [.text("2024001"), .text("张三"), .number(18), .number(92.5),
                                         .date(serial: 45536), .bool(true), .text("班长")])
        XCTAssertEqual(cells(sheet, 3), [.text("2024002"), .text("李四"), .number(19), .number(78),
                                         .date(serial: 45170), .bool(false)])
        guard let row4 = cells(sheet, 4), row4.count == 7 else { return XCTFail("row 4 missing") }
        XCTAssertNil(row4[2])
        XCTAssertEqual(row4[3], .number(-0.00325))
        if case .date(let serial) = row4[4] {
            XCTAssertEqual(serial, 45366 + 8.5 / 24, accuracy: 1e-9)
            XCTAssertEqual(excelSerialToISO8601(serial, uses1904: false), "2024-03-15T08:30:00")
        } else {
            XCTFail("E4 should be a date, got \(String(describing: row4[4]))")
        }
        XCTAssertEqual(row4[6], .text("含特殊字符 <&> \"引号\""))
        XCTAssertEqual(cells(sheet, 6), [.text("空行之后"), nil, nil, nil, nil, nil, nil, .number(1e15)])
    }

    func testNumberFormatsDecideDates() throws {
        let sheet = try workbook("basic.xlsx").sheet(named: "课时统计")
        guard let row = cells(sheet, 2), row.count == 6 else { return XCTFail("row 2 missing") }
        XCTAssertEqual(row[0], .text("数学"))
        XCTAssertEqual(row[1], .number(64))
        if case .date(let serial) = row[2] {
            XCTAssertEqual(serial, (13.0 + 45.0 / 60) / 24, accuracy: 1e-9)
        } else {
            XCTFail("time of day should be a date serial")
        }
        XCTAssertEqual(row[3], .date(serial: 45))  // yyyy"年"m"月"d"日"
        XCTAssertEqual(row[4], .number(12.5))  // 0.00"元": the quoted 元 is no date part
        XCTAssertEqual(row[5], .number(0.5))  // percent
    }

    func testMergedHeaders() throws {
        let sheet = try workbook("merged.xlsx").sheet(named: "教师")
        let merges = sheet.merges.map { "\($0.first):\($0.last)" }.sorted()
        XCTAssertEqual(merges, ["A1:C1", "A6:B7", "D1:D2", "E1:F1"])
        XCTAssertEqual(cells(sheet, 1), [.text("基本信息"), nil, nil, .text("职称"), .text("学历信息")])
        let filled = try sheet.fillingMergedCells(inRows: 1...2)
        XCTAssertEqual(cells(filled, 1), ["基本信息", "基本信息", "基本信息", "职称", "学历信息", "学历信息"].map { .text($0) })
        XCTAssertEqual(cells(filled, 2), ["工号", "姓名", "性别", "职称", "学历", "学位"].map { .text($0) })
        // Rows outside the requested range stay untouched, and row 7 (covered by A6:B7) is not created.
        XCTAssertEqual(cells(filled, 6), [.text("合计")])
        XCTAssertNil(cells(filled, 7))
        XCTAssertEqual(cells(filled, 3), cells(sheet, 3))
        let all = try sheet.fillingMergedCells(inRows: 1...10)
        XCTAssertEqual(cells(all, 7), [.text("合计"), .text("合计")])
        XCTAssertEqual(all.rows.map(\.number), [1, 2, 3, 4, 6, 7])
    }

    func testDate1904() throws {
        let book = try workbook("date1904.xlsx")
        XCTAssertTrue(book.uses1904)
        let sheet = try book.sheet(named: "Sheet1")
        XCTAssertTrue(sheet.uses1904)
        XCTAssertEqual(cells(sheet, 2), [.date(serial: 44074), .number(1)])
        XCTAssertEqual(cells(sheet, 3), [.date(serial: 1), .number(2)])
        XCTAssertEqual(excelSerialToISO8601(44074, uses1904: true), "2024-09-01")
        XCTAssertEqual(excelSerialToISO8601(1, uses1904: true), "1904-01-02")
    }

    func testHandmadeParts() throws {
        let book = try workbook("handmade.xlsx")
        XCTAssertEqual(book.sheetNames, ["数据 & 说明", "第二页"])
        let sheet = try book.sheet(named: "数据 & 说明")
        XCTAssertEqual(sheet.rows.map(\.number), [1, 3, 4, 5, 6])
        // Rich text runs are joined, phonetic runs dropped, _x000D_ and character references decoded.
        XCTAssertEqual(cells(sheet, 1), [.text("普通"), .text("加粗 与普通"), .text("换行\r\n第二行 中")])
        XCTAssertEqual(cells(sheet, 3), [.text("内联"), .text("富文本"), nil, nil, .text("普通x")])
        guard let row4 = cells(sheet, 4) else { return XCTFail("row 4 missing") }
        XCTAssertEqual(row4.count, 27)
        XCTAssertEqual(Array(row4[0..<4]), [.bool(true), .bool(false), .error("#DIV/0!"), nil])
        XCTAssertEqual(row4[26], .number(3.5))
        XCTAssertEqual(cells(sheet, 5), [nil, .number(42)])
        if case .date(let serial)? = cells(sheet, 6)?.first {
            XCTAssertEqual(excelSerialToISO8601(serial, uses1904: false), "2024-09-01T08:30:00")
        } else {
            XCTFail("t=\"d\" should give a date")
        }
        XCTAssertEqual(sheet.merges.count, 1)
        XCTAssertEqual(try book.sheet(named: "第二页").rows, [XLSXRow(number: 2, cells: [nil, .number(7)])])
        XCTAssertThrowsError(try book.sheet(named: "第三页")) { error in
            XCTAssertTrue((error as? XLSXError)?.message.contains("找不到工作表") == true)
        }
    }

    func testLibreOfficeExport() throws {
        let book = try workbook("libreoffice.xlsx")
        XCTAssertEqual(book.sheetNames.count, 1)
        let sheet = try book.sheet(named: book.sheetNames[0])
        XCTAssertEqual(cells(sheet, 1), ["学号", "姓名", "成绩", "入学日期", "备注"].map { .text($0) })
        XCTAssertEqual(cells(sheet, 2), [.number(2024001), .text("张三"), .number(92.5), .date(serial: 45536), .text("班长")])
        XCTAssertEqual(cells(sheet, 4), [.number(2024003), .text("王五"), nil, .date(serial: 45366), .text("逗号,引号\"")])
    }

    func testCellReferences() {
        XCTAssertEqual(cellReference(row: 12, column: 1), "B12")
        XCTAssertEqual(cellReference(row: 1, column: 0), "A1")
        XCTAssertEqual(cellReference(row: 1, column: 26), "AA1")
        XCTAssertEqual(cellReference(row: 1_048_576, column: 16_383), "XFD1048576")
        XCTAssertEqual(cellReference(row: 0, column: 0), "")
        XCTAssertEqual(cellReference(row: 1, column: -1), "")
        XCTAssertEqual(parseCellReference("B12"), CellRef(row: 12, column: 1))
        XCTAssertEqual(parseCellReference("$AA$3"), CellRef(row: 3, column: 26))
        XCTAssertEqual(parseCellReference("xfd1"), CellRef(row: 1, column: 16_383))
        for bad in ["", "12", "B", "B0", "B-1", "XFE1", "A1048577", "A1:B2", "B 12"] {
            XCTAssertNil(parseCellReference(bad), bad)
        }
        for column in [0, 25, 26, 51, 52, 701, 702, 16_383] {
            XCTAssertEqual(parseCellReference(cellReference(row: 7, column: column)), CellRef(row: 7, column: column))
        }
    }

    func testDateFormatDetection() {
        for code in ["yyyy-mm-dd", "yyyy\\-mm\\-dd", "m/d/yy h:mm", "[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy",
                     "yyyy\"年\"m\"月\"d\"日\"", "h:mm:ss", "[h]:mm:ss", "YYYY/MM/DD"] {
            XCTAssertTrue(isXLSXDateFormat(code), code)
        }
        for code in ["General", "G/通用格式", "0.00", "#,##0_);[Red](#,##0)", "0.00\"元\"", "0.00E+00",
                     "[$¥-804]#,##0.00", "\"days\"0", "@", "0%"] {
            XCTAssertFalse(isXLSXDateFormat(code), code)
        }
        XCTAssertTrue(isBuiltInXLSXDateFormat(14))
        XCTAssertTrue(isBuiltInXLSXDateFormat(31))
        XCTAssertFalse(isBuiltInXLSXDateFormat(0))
        XCTAssertFalse(isBuiltInXLSXDateFormat(49))
    }

    func testSerialConversion() {
        XCTAssertEqual(excelSerialToISO8601(45536, uses1904: false), "2024-09-01")
        XCTAssertEqual(excelSerialToISO8601(1, uses1904: false), "1900-01-01")
        XCTAssertEqual(excelSerialToISO8601(59, uses1904: false), "1900-02-28")
        XCTAssertEqual(excelSerialToISO8601(61, uses1904: false), "1900-03-01")
        XCTAssertEqual(excelSerialToISO8601(45536.999999, uses1904: false), "2024-09-02")
        XCTAssertEqual(excelSerialToISO8601(.nan, uses1904: false), "")
        XCTAssertEqual(xlsxISODateToSerial("2024-09-01", uses1904: false), 45536)
        XCTAssertEqual(xlsxISODateToSerial("1900-01-01", uses1904: false), 1)
        XCTAssertEqual(xlsxISODateToSerial("1900-03-01", uses1904: false), 61)
        XCTAssertEqual(xlsxISODateToSerial("2024-09-01", uses1904: true), 44074)
        XCTAssertNil(xlsxISODateToSerial("2024-13-01", uses1904: false))
        XCTAssertNil(xlsxISODateToSerial("昨天", uses1904: false))
    }

    func testRelationshipTargets() {
        XCTAssertEqual(resolveXLSXPartPath("worksheets/sheet1.xml", baseDirectory: "xl"), "xl/worksheets/sheet1.xml")
        XCTAssertEqual(resolveXLSXPartPath("/xl/worksheets/sheet1.xml", baseDirectory: "xl"), "xl/worksheets/sheet1.xml")
        XCTAssertEqual(resolveXLSXPartPath("../xl/./a%20b.xml", baseDirectory: "xl"), "xl/a b.xml")
        XCTAssertEqual(resolveXLSXPartPath("../../../x.xml", baseDirectory: "xl"), "x.xml")
        let lookup = ZipPartLookup(names: ["xl\\Worksheets\\Sheet1.xml"])
        XCTAssertEqual(lookup.find("/xl/worksheets/sheet1.xml"), "xl\\Worksheets\\Sheet1.xml")
        XCTAssertNil(lookup.find("xl/worksheets/sheet2.xml"))
    }

    func testMalformedSheetXML() throws {
        let context = XLSXSheetContext(sharedStrings: ["a"], dateStyles: [], uses1904: false)
        let cases: [(String, String)] = [
            ("<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>5</v></c></row></sheetData></worksheet>", "共享字符串"),
            ("<worksheet><sheetData><row r=\"0\"></row></sheetData></worksheet>", "行号"),
            ("<worksheet><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row>", "文档不完整"),
            ("<!DOCTYPE x [<!ENTITY a \"b\">]><worksheet/>", "DTD"),
            ("<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row></sheetData></worksheet></x>", "结束标签"),
            ("<worksheet a=b/>", "引号"),
        ]
        for (xml, fragment) in cases {
            XCTAssertThrowsError(try parseXLSXSheet(Array(xml.utf8), partName: "sheet.xml", context: context), xml) { error in
                let message = (error as? XLSXError)?.message ?? ""
                XCTAssertTrue(message.contains(fragment) && message.contains("sheet.xml"), "\(xml): \(message)")
            }
        }
    }

    func testRowsOutOfOrderAreSorted() throws {
        let xml = "<worksheet><sheetData><row r=\"3\"><c><v>3</v></c></row><row r=\"1\"><c><v>1</v></c></row></sheetData></worksheet>"
        let sheet = try parseXLSXSheet(Array(xml.utf8), partName: "s", context: XLSXSheetContext(sharedStrings: [], dateStyles: [], uses1904: false))
        XCTAssertEqual(sheet.rows, [XLSXRow(number: 1, cells: [.number(1)]), XLSXRow(number: 3, cells: [.number(3)])])
    }

    func testXMLEntities() {
        XCTAssertEqual(String(decoding: XMLScanner.unescape(ArraySlice("a&lt;b&gt;&amp;&quot;&apos;&#20013;&#x6587;&bogus;&".utf8)), as: UTF8.self),
                       "a<b>&\"'中文&bogus;&")
    }

    func testNotAnXLSX() throws {
        // A valid ZIP without a workbook part (e.g. a .docx or a zipped CSV).
        let zip = TestZipBuilder.archive([.init(name: "data.csv", method: 0, data: [0x31], uncompressedSize: 1, crc: zipCRC32([0x31]))])
        XCTAssertThrowsError(try XLSXWorkbook(bytes: zip)) { error in
            XCTAssertTrue((error as? XLSXError)?.message.contains("workbook.xml") == true)
        }
    }
}
