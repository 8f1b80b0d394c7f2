import XCTest
@testable import DabiaoCore

/// Header forms, value forms, CSV corner cases and data errors of CSV and
/// JSON inputs, through the loader (schema: Fixtures/input/school.rules).
final class InputFormsTests: XCTestCase {
    static let header = ["学校标识码", "学校名称", "办学层次", "全日制在校生数", "专任教师数", "校舍建筑面积",
                         "教学仪器设备总值", "双师型教师比例", "是否示范校", "建校日期"]
    static let row = ["S1", "甲", "中职", "1000", "50", "30000", "5000000", "40%", "是", "2024-10-31"]

    /// A CSV of the standard header and one row, with some cells replaced.
    static func csv(header replacing: [Int: String] = [:], row cells: [Int: String] = [:]) -> String {
        let h = header.enumerated().map { replacing[$0.offset] ?? $0.element }
        let r = row.enumerated().map { cells[$0.offset] ?? $0.element }
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        return h.map(field).joined(separator: ",") + "\n" + r.map(field).joined(separator: ",") + "\n"
    }

    func load(_ text: String, path: String = "school.csv", file: StaticString = #filePath, line: UInt = #line) throws -> (Program, Dataset) {
        let p = try InputFixtures.program(file: file, line: line)
        return (p, try InputFixtures.load(p, bytes: Array(text.utf8), path: path))
    }

    // MARK: headers

    func testHeaderForms() throws {
        let cases: [(column: Int, header: String, cell: String, field: String, value: String)] = [
            (5, "校舍建筑面积(平方米)", "30000", "building_area", "30000.0"),
            (5, "校舍建筑面积（平方米）", "30000", "building_area", "30000.0"),
            (5, "校舍建筑面积 （平方米）", "30000", "building_area", "30000.0"),
            (5, "校舍建筑面积/平方米", "30000", "building_area", "30000.0"),
            (5, "校舍建筑面积[m2]", "30000", "building_area", "30000.0"),
            (5, "校舍建筑面积【平方米】", "30000", "building_area", "30000.0"),
            (5, "  校舍建筑面积\u{3000}", "30000", "building_area", "30000.0"),
            (5, "building_area", "30000", "building_area", "30000.0"),
            (5, "校舍\n建筑面积", "30000", "building_area", "30000.0"),
            (6, "教学仪器设备总值（万元）", "500", "equipment_value", "5000000.0"),
            (6, "教学仪器设备总值(万元)", "1,234.5", "equipment_value", "12345000.0"),
            (6, "教学仪器设备总值/万元", "500", "equipment_value", "5000000.0"),
            (6, "教学仪器设备总值（元）", "500", "equipment_value", "500.0"),
            (7, "双师型教师比例(%)", "40", "dual_ratio", "0.4"),
            (7, "双师型教师比例（％）", "40", "dual_ratio", "0.4"),
            (7, "双师型教师比例（%）", "40%", "dual_ratio", "0.4"),
            (3, "全日制在校生数（人）", "1000", "students", "1000.0"),
            (3, "ＳＴＵＤＥＮＴＳ", "1000", "students", "nil"),
        ]
        for c in cases {
            let (p, data) = try load(Self.csv(header: [c.column: c.header], row: [c.column: c.cell]))
            let v = try InputFixtures.values(p, data, key: "S1")
            XCTAssertEqual(v[c.field], c.value, "header \(c.header) cell \(c.cell)")
            if c.value != "nil" {
                XCTAssertEqual(data.errors, [], "header \(c.header): \(data.errors)")
            }
        }
    }

    func testHeaderProblemsAreReportedAtTheHeaderLine() throws {
        // A unit of another dimension: the column is not read.
        let (_, bad) = try load(Self.csv(header: [5: "校舍建筑面积（万元）"]))
        XCTAssertEqual(bad.errors.map(\.line), [1, 1], "the unit, then the required column it leaves missing")
        XCTAssertEqual(bad.errors.first?.column, "校舍建筑面积（万元）")
        XCTAssertEqual(bad.errors.first?.value, "万元")
        XCTAssertEqual(bad.errors.last?.column, "校舍建筑面积")
        // A missing required column names the closest header.
        let (_, missing) = try load(Self.csv(header: [4: "专任教师人数"]))
        XCTAssertTrue(missing.errors.contains { $0.line == 1 && $0.column == "专任教师数" && $0.reason.zh.contains("专任教师人数") }, "\(missing.errors)")
        XCTAssertTrue(missing.notes.contains { $0.value == "专任教师人数" }, "unknown column listed once")
        // The same field twice: the second column is ignored with a note.
        let (p, twice) = try load(Self.csv().replacingOccurrences(of: "建校日期\n", with: "建校日期,全日制在校生数\n")
            .replacingOccurrences(of: "2024-10-31\n", with: "2024-10-31,9\n"))
        XCTAssertTrue(twice.notes.contains { $0.line == 1 && $0.column == "全日制在校生数" }, "\(twice.notes)")
        XCTAssertEqual(try InputFixtures.values(p, twice, key: "S1")["students"], "1000.0")
    }

    // MARK: values

    func testValueForms() throws {
        let cases: [(column: Int, cell: String, field: String, value: String)] = [
            (3, "1,234", "students", "1234.0"), (3, "１２３４", "students", "1234.0"), (3, " 1234 ", "students", "1234.0"),
            (3, "1234.0", "students", "1234.0"), (3, "+1234", "students", "1234.0"), (3, "1.234e3", "students", "1234.0"),
            (3, "１，２３４", "students", "1234.0"), (5, "1,234,567.5", "building_area", "1234567.5"),
            (5, "－５", "building_area", "-5.0"), (7, "45%", "dual_ratio", "0.45"), (7, "45％", "dual_ratio", "0.45"),
            (7, "0.45", "dual_ratio", "0.45"), (7, "４５．５%", "dual_ratio", "0.455"),
            (8, "是", "demo", "true"), (8, "否", "demo", "false"), (8, "√", "demo", "true"), (8, "×", "demo", "false"),
            (8, "Y", "demo", "true"), (8, "N", "demo", "false"), (8, "y", "demo", "true"), (8, "n", "demo", "false"),
            (8, "true", "demo", "true"), (8, "false", "demo", "false"), (8, "TRUE", "demo", "true"), (8, "False", "demo", "false"),
            (8, "1", "demo", "true"), (8, "0", "demo", "false"), (8, "Ｙ", "demo", "true"),
            (9, "2024-10-31", "founded", "2024-10-31"), (9, "2024/10/31", "founded", "2024-10-31"),
            (9, "2024.10.31", "founded", "2024-10-31"), (9, "2024年10月31日", "founded", "2024-10-31"),
            (9, "2024年1月5日", "founded", "2024-01-05"), (9, "2024-1-5", "founded", "2024-01-05"),
            (9, "20241031", "founded", "2024-10-31"), (9, "2024/10/31 0:00:00", "founded", "2024-10-31"),
            (9, "２０２４－１０－３１", "founded", "2024-10-31"),
        ]
        for c in cases {
            let (p, data) = try load(Self.csv(row: [c.column: c.cell]))
            XCTAssertEqual(data.errors, [], "\(c.cell): \(data.errors)")
            XCTAssertEqual(try InputFixtures.values(p, data, key: "S1")[c.field], c.value, c.cell)
        }
    }

    func testEmptyMarkersAreMissingWithOneNotePerColumn() throws {
        let markers = ["—", "——", "-", "--", "－", "/", "无", "N/A", "n/a", "#N/A", "空", "–", " — "]
        var text = Self.csv()
        for (i, m) in markers.enumerated() {
            var r = Self.row
            r[0] = "M\(i)"
            r[3] = m
            r[9] = m
            text += r.map { $0.contains(",") ? "\"\($0)\"" : $0 }.joined(separator: ",") + "\n"
        }
        let (p, data) = try load(text)
        XCTAssertEqual(data.errors, [], "\(data.errors)")
        for i in markers.indices {
            let v = try InputFixtures.values(p, data, key: "M\(i)")
            XCTAssertEqual(v["students"], "nil", markers[i])
            XCTAssertEqual(v["founded"], "nil", markers[i])
        }
        let notes = data.notes.filter { $0.reason.zh.contains("空值标记") }
        XCTAssertEqual(notes.map(\.column), ["全日制在校生数", "建校日期"])
        XCTAssertTrue(notes.allSatisfy { $0.reason.zh.hasPrefix("\(markers.count) 个单元格") }, "\(notes)")
        // A blank cell is missing without a note.
        let (p2, blank) = try load(Self.csv(row: [3: ""]))
        XCTAssertEqual(try InputFixtures.values(p2, blank, key: "S1")["students"], "nil")
        XCTAssertFalse(blank.notes.contains { $0.reason.zh.contains("空值标记") })
    }

    // MARK: data errors

    /// Each class of cell error: path, line, column label, raw value, reason.
    func testEachCellErrorClassWithItsLocation() throws {
        let cases: [(column: Int, cell: String, label: String, reason: String)] = [
            (3, "约100", "全日制在校生数", "不是数字"), (3, "100人", "全日制在校生数", "不是数字"),
            (3, "12,34", "全日制在校生数", "不是数字"), (4, "50.5", "专任教师数", "应为整数"),
            (5, "1e999", "校舍建筑面积", "超出范围"), (2, "初中", "办学层次", "不是允许的取值"),
            (8, "有", "是否示范校", "不是是/否值"), (8, "2", "是否示范校", "不是是/否值"),
            (9, "2024-02-30", "建校日期", "日期不存在"), (9, "10/31/2024", "建校日期", "不是日期"),
            (9, "2024-10-31 08:30", "建校日期", "非零时刻"), (9, "45596", "建校日期", "不是日期"),
        ]
        for c in cases {
            let (p, data) = try load(Self.csv(row: [c.column: c.cell]) + "S2,乙,中职,1,1,1,1,1%,是,2024-01-01\n", path: "in/学校.csv")
            XCTAssertEqual(data.errors.count, 1, "\(c.cell): \(data.errors)")
            let err = try XCTUnwrap(data.errors.first)
            XCTAssertEqual(err.path, "in/学校.csv")
            XCTAssertEqual(err.line, 2, c.cell)
            XCTAssertEqual(err.column, c.label, c.cell)
            XCTAssertEqual(err.value, c.cell)
            XCTAssertTrue(err.reason.zh.contains(c.reason), "\(c.cell): \(err.reason.zh)")
            XCTAssertFalse(err.rejectsRecord, "a bad cell keeps the record")
            XCTAssertEqual(data.inputs.first?.records, 2)
            XCTAssertNotNil(try InputFixtures.values(p, data, key: "S1")["name"])
        }
    }

    func testRecordErrorsWithTheirLocation() throws {
        var text = Self.csv()
        text += "S1,重复,中职,1,1,1,1,1%,是,2024-01-01\n"          // line 3: duplicate key
        text += ",无标识,中职,1,1,1,1,1%,是,2024-01-01\n"          // line 4: no key
        text += "\"S3\",\"多行\n名称\",中职,1,1,1,1,1%,是,2024-01-01\n"  // lines 5–6
        text += "S4,多,中职,1,1,1,1,1%,是,2024-01-01,,多余\n"      // line 7: extra cell
        text += "S5,少,中职\n"                                      // line 8: fewer cells: missing values
        let (p, data) = try load(text)
        let located = data.errors.map { "\($0.line ?? 0)|\($0.column ?? "")|\($0.value ?? "")|\($0.rejectsRecord)" }
        XCTAssertEqual(located, ["3|学校标识码|S1|true", "4|学校标识码||true", "7||多余|false"])
        XCTAssertTrue(data.errors[0].reason.zh.contains("首次出现在第 2 行"), data.errors[0].reason.zh)
        XCTAssertEqual(data.inputs.first?.records, 6)
        XCTAssertEqual(data.inputs.first?.rejected, 2)
        let table = data.tables[0]
        XCTAssertEqual((0..<table.count).map { table.source($0).line }, [2, 5, 7, 8])
        XCTAssertEqual(try InputFixtures.values(p, data, key: "S3")["name"], "多行\n名称")
        XCTAssertEqual(try InputFixtures.values(p, data, key: "S5")["students"], "nil")
    }

    func testJSONErrorsWithTheirLocation() throws {
        let p = try InputFixtures.program()
        let data = try InputFixtures.load(p, fixture: "malformed/school.jsonl")
        let located = data.errors.map { "\($0.line ?? 0)|\($0.column ?? "")|\($0.value ?? "")|\($0.rejectsRecord)" }
        XCTAssertTrue(located.contains("2|学校标识码|J01|true"), "\(located)")
        XCTAssertTrue(located.contains("3|学校标识码||true"), "\(located)")
        XCTAssertTrue(located.contains("4|全日制在校生数|[1,2]|false") || located.contains("4|全日制在校生数|[1, 2]|false"), "\(located)")
        XCTAssertTrue(located.contains("4|专任教师数|五十|false"), "\(located)")
        XCTAssertTrue(located.contains("4|是否示范校|maybe|false"), "\(located)")
        XCTAssertTrue(data.notes.contains { $0.value == "未知字段" })
    }

    func testUnterminatedQuoteIsAnInputFailureWithLineAndColumn() throws {
        let p = try InputFixtures.program()
        let text = Self.csv() + "S2,\"乙,中职,1,1,1,1,1%,是,2024-01-01\n"
        XCTAssertThrowsError(try InputFixtures.load(p, bytes: Array(text.utf8), path: "school.csv")) { error in
            guard let failure = error as? InputFailure else { return XCTFail("\(error)") }
            XCTAssertEqual(failure.path, "school.csv")
            XCTAssertTrue(failure.message.zh.hasPrefix("3:4"), failure.message.zh)
        }
    }

    // MARK: CSV corner cases

    func testCSVCornerCases() throws {
        let body = Self.row.joined(separator: ",")
        let head = Self.header.joined(separator: ",")
        let cases: [(name: String, text: String, path: String)] = [
            ("CRLF", head + "\r\n" + body + "\r\n", "school.csv"),
            ("lone CR", head + "\r" + body + "\r", "school.csv"),
            ("no final newline", head + "\n" + body, "school.csv"),
            ("blank lines", "\n" + head + "\n\n\n" + body + "\n\n", "school.csv"),
            ("BOM", "\u{FEFF}" + head + "\n" + body + "\n", "school.csv"),
            ("semicolons", head.replacingOccurrences(of: ",", with: ";") + "\n" + body.replacingOccurrences(of: ",", with: ";") + "\n", "school.csv"),
            ("tabs", head.replacingOccurrences(of: ",", with: "\t") + "\n" + body.replacingOccurrences(of: ",", with: "\t") + "\n", "school.csv"),
            (".tsv", head.replacingOccurrences(of: ",", with: "\t") + "\n" + body.replacingOccurrences(of: ",", with: "\t") + "\n", "school.tsv"),
            ("all quoted", Self.header.map { "\"\($0)\"" }.joined(separator: ",") + "\n" + Self.row.map { "\"\($0)\"" }.joined(separator: ",") + "\n", "school.csv"),
            ("trailing delimiter", head + ",\n" + body + ",\n", "school.csv"),
            ("hint row", head + "\n#10位数字,名称,中职或高职\n" + body + "\n", "school.csv"),
        ]
        for c in cases {
            let p = try InputFixtures.program()
            let data = try InputFixtures.load(p, bytes: Array(c.text.utf8), path: c.path)
            XCTAssertEqual(data.errors, [], "\(c.name): \(data.errors)")
            XCTAssertEqual(data.inputs.first?.records, 1, c.name)
            let v = try InputFixtures.values(p, data, key: "S1")
            XCTAssertEqual(v["students"], "1000.0", c.name)
            XCTAssertEqual(v["founded"], "2024-10-31", c.name)
        }
        // Quoting: delimiters, quotes and newlines inside a cell.
        let (p, data) = try load(Self.csv(row: [1: "甲,\"乙\"\n丙"]))
        XCTAssertEqual(try InputFixtures.values(p, data, key: "S1")["name"], "甲,\"乙\"\n丙")
        // Header only and empty: nothing read, nothing wrong.
        for text in [Self.header.joined(separator: ",") + "\n", ""] {
            let (_, empty) = try load(text)
            XCTAssertEqual(empty.inputs.first?.records, 0)
            XCTAssertEqual(empty.errors.filter(\.rejectsRecord), [])
        }
    }
}
