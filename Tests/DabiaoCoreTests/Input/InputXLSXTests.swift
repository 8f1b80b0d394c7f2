import XCTest
@testable import DabiaoCore

/// Spreadsheets as input: sheet choice, layout, value forms, and each data
/// error at its cell (fixtures: Fixtures/input/xlsx, made by make_fixtures.py).
final class InputXLSXTests: XCTestCase {
    func testEachDataErrorNamesSheetRowColumnCellAndRawValue() throws {
        let p = try InputFixtures.program()
        let data = try InputFixtures.load(p, fixture: "xlsx/errors.xlsx")
        let path = "xlsx/errors.xlsx#Sheet1"
        XCTAssertTrue(data.errors.allSatisfy { $0.path == path }, "\(data.errors.map(\.path))")
        struct Expected {
            var line: Int
            var column: String?
            var value: String?
            var cell: String
            var reason: String
            var rejects = false
        }
        let expected: [Expected] = [
            Expected(line: 1, column: "校舍建筑面积（亩）", value: "亩", cell: "L1", reason: "无法换算"),
            Expected(line: 3, column: "全日制在校生数", value: "约100", cell: "D3", reason: "不是数字"),
            Expected(line: 4, column: "专任教师数", value: "12.5", cell: "E4", reason: "应为整数"),
            Expected(line: 5, column: "办学层次", value: "初中", cell: "C5", reason: "不是允许的取值"),
            Expected(line: 5, column: "是否示范校", value: "有", cell: "I5", reason: "不是是/否值"),
            Expected(line: 6, column: "校舍建筑面积", value: "2024-01-05", cell: "F6", reason: "日期格式"),
            Expected(line: 6, column: "建校日期", value: "2024-02-30", cell: "J6", reason: "日期不存在"),
            Expected(line: 7, column: "学校标识码", value: "", cell: "A7", reason: "缺少记录标识", rejects: true),
            Expected(line: 8, column: "学校标识码", value: "E01", cell: "A8", reason: "记录标识重复（首次出现在第 2 行）", rejects: true),
            Expected(line: 9, column: nil, value: "多余", cell: "N9", reason: "表头范围之外"),
            Expected(line: 9, column: "建校日期", value: "2005-09-01T08:30:00", cell: "J9", reason: "非零时刻"),
            Expected(line: 10, column: "教学仪器设备总值", value: "#DIV/0!", cell: "G10", reason: "不是数字"),
            Expected(line: 10, column: "是否示范校", value: "2", cell: "I10", reason: "不是是/否值"),
        ]
        XCTAssertEqual(data.errors.count, expected.count, "\(data.errors.map { "\($0.line ?? 0) \($0.column ?? "") \($0.reason.zh)" })")
        for (got, want) in zip(data.errors, expected) {
            XCTAssertEqual(got.line, want.line)
            XCTAssertEqual(got.column, want.column, "line \(want.line)")
            XCTAssertEqual(got.value, want.value, "line \(want.line)")
            XCTAssertTrue(got.reason.zh.contains(want.reason), "\(got.reason.zh) lacks \(want.reason)")
            XCTAssertTrue(got.reason.zh.contains("单元格 \(want.cell)"), "\(got.reason.zh) lacks \(want.cell)")
            XCTAssertTrue(got.reason.en.contains("cell \(want.cell)"), got.reason.en)
            XCTAssertEqual(got.rejectsRecord, want.rejects, "line \(want.line)")
        }
        XCTAssertEqual(data.inputs.first?.records, 9)
        XCTAssertEqual(data.inputs.first?.rejected, 2)
        // A bad cell leaves only that value missing.
        let e02 = try InputFixtures.values(p, data, key: "E02")
        XCTAssertEqual(e02["students"], "nil")
        XCTAssertEqual(e02["teachers"], "50.0")
    }

    func testLayoutTitleRowTwoLevelHeaderMergedCellsHintAndBlankRows() throws {
        let p = try InputFixtures.program()
        let data = try InputFixtures.load(p, fixture: "xlsx/layout.xlsx")
        XCTAssertEqual(data.inputs.first?.path, "xlsx/layout.xlsx#学校", "the sheet named like the entity, not the first sheet")
        XCTAssertEqual(data.errors, [], "\(data.errors)")
        XCTAssertEqual(data.inputs.first?.records, 3, "the hint row and the blank row are no records")
        XCTAssertTrue(data.notes.contains { $0.line == 3 && $0.reason.zh.contains("以第 3 行为表头") }, "\(data.notes)")
        let first = try InputFixtures.values(p, data, key: "6262000001")
        XCTAssertEqual(first["students"], "2400.0", "D3 under the merged 师生情况")
        XCTAssertEqual(first["code"], "6262000001", "A2:A3 merged header")
        XCTAssertEqual(first["equipment_value"], "9000000.0", "教学仪器设备总值/万元")
        XCTAssertEqual(first["dual_ratio"], "0.45", "(％) header")
        XCTAssertEqual(first["founded"], "2005-09-01")
        let second = try InputFixtures.values(p, data, key: "6262000002")
        XCTAssertEqual(second["city"], "兰州市", "K5:K6 merged down")
        let table = data.tables[try Core.entity(p, "school")]
        XCTAssertEqual((0..<table.count).map { table.source($0).line }, [5, 6, 8], "Excel row numbers")
    }

    func testValueAndHeaderFormsInASheet() throws {
        let p = try InputFixtures.program()
        let data = try InputFixtures.load(p, fixture: "xlsx/values.xlsx")
        XCTAssertEqual(data.errors, [], "\(data.errors)")
        XCTAssertFalse(data.notes.contains { $0.reason.zh.contains("未识别") }, "`所属　市州` matches 所属市州: \(data.notes)")
        let demo: [String: String] = [
            "V01": "true", "V02": "true", "V03": "true", "V04": "false", "V05": "true", "V06": "false", "V07": "true",
            "V08": "false", "V09": "true", "V10": "false", "V11": "true", "V12": "false", "V13": "false", "V15": "true",
        ]
        for (key, bool) in demo.sorted(by: { $0.key < $1.key }) {
            let v = try InputFixtures.values(p, data, key: key)
            XCTAssertEqual(v["students"], "1234.0", key)
            XCTAssertEqual(v["teachers"], "120.0", key)
            XCTAssertEqual(v["building_area"], "30000.5", key)
            XCTAssertEqual(v["equipment_value"], "1000000.0", "\(key): 100 万元")
            XCTAssertEqual(v["dual_ratio"], "0.45", "\(key): 45, 45% and ４５％ under a （%） header")
            XCTAssertEqual(v["demo"], bool, key)
            XCTAssertEqual(v["founded"], "2024-10-31", key)
        }
        let markers = try InputFixtures.values(p, data, key: "V14")
        for field in ["students", "teachers", "building_area", "equipment_value", "dual_ratio", "demo", "founded"] {
            XCTAssertEqual(markers[field], "nil", field)
        }
        let markerNotes = data.notes.filter { $0.reason.zh.contains("空值标记") }
        XCTAssertEqual(markerNotes.count, 7)
        XCTAssertTrue(markerNotes.allSatisfy { $0.path == "xlsx/values.xlsx#学校" })
    }

    func testNumberCellInDateFieldIsASerialOfTheSheetsDateSystem() throws {
        let p = try InputFixtures.program()
        let modern = try InputFixtures.values(p, try InputFixtures.load(p, fixture: "same/school_1904.xlsx"), key: "6262000001")
        XCTAssertEqual(modern["founded"], "2005-09-01", "1904 system")
        let v06 = try InputFixtures.values(p, try InputFixtures.load(p, fixture: "xlsx/values.xlsx"), key: "V06")
        XCTAssertEqual(v06["founded"], "2024-10-31", "45596 in the 1900 system")
    }

    func testSheetChosenByName() throws {
        let p = try InputFixtures.program()
        let data = try InputFixtures.load(p, fixture: "xlsx/填报数据.xlsx", sheet: "学校")
        XCTAssertEqual(data.inputs.first?.records, 1)
        XCTAssertEqual(data.inputs.first?.path, "xlsx/填报数据.xlsx#学校")
        // The file given as `file.xlsx#学校`: the display path already names the sheet.
        var loader = DataLoader(program: p)
        try loader.load(bytes: try InputFixtures.bytes("xlsx/填报数据.xlsx"),
                        spec: InputSpec(entity: 0, path: "填报数据.xlsx", displayPath: "填报数据.xlsx#学校", sheet: "学校"))
        XCTAssertEqual(loader.dataset.inputs.first?.path, "填报数据.xlsx#学校")
        XCTAssertEqual(try InputFixtures.values(p, loader.dataset, key: "6262000001")["demo"], "true")
    }

    func testUnknownSheetIsAnInputFailureListingTheSheets() throws {
        let p = try InputFixtures.program()
        XCTAssertThrowsError(try InputFixtures.load(p, fixture: "xlsx/填报数据.xlsx", sheet: "教师")) { error in
            guard let failure = error as? InputFailure else { return XCTFail("\(error)") }
            XCTAssertTrue(failure.message.zh.contains("找不到工作表 “教师”"), failure.message.zh)
            XCTAssertTrue(failure.message.zh.contains("说明、学校、Sheet3"), failure.message.zh)
        }
    }

    func testWorkbookWhoseNameIsNoEntityMapsSheetsByName() throws {
        let p = try InputFixtures.program()
        let specs = try Discovery.xlsxSheetInputs(path: InputFixtures.path("xlsx/填报数据.xlsx"), displayPath: "填报数据.xlsx", program: p)
        XCTAssertEqual(specs.map(\.sheet), ["学校"])
        XCTAssertEqual(specs.map(\.displayPath), ["填报数据.xlsx#学校"])
        XCTAssertEqual(specs.map(\.entity), [try Core.entity(p, "school")])
    }

    func testKeyColumnMissingInSheetCannotBeRead() throws {
        let p = try InputFixtures.program()
        XCTAssertThrowsError(try InputFixtures.load(p, fixture: "xlsx/填报数据.xlsx", sheet: "说明")) { error in
            guard let failure = error as? InputFailure else { return XCTFail("\(error)") }
            XCTAssertEqual(failure.path, "xlsx/填报数据.xlsx#说明")
            XCTAssertTrue(failure.message.zh.contains("找不到记录标识列"), failure.message.zh)
        }
    }

    func testBrokenAndOldSpreadsheetsAreInputFailures() throws {
        let p = try InputFixtures.program()
        let csvBytes = try InputFixtures.bytes("same/school.csv")
        XCTAssertThrowsError(try InputFixtures.load(p, bytes: csvBytes, path: "school.xlsx")) { error in
            guard let failure = error as? InputFailure else { return XCTFail("\(error)") }
            XCTAssertEqual(failure.path, "school.xlsx")
            XCTAssertTrue(failure.message.zh.hasPrefix("无法读取 xlsx 文件"), failure.message.zh)
        }
        var truncated = try InputFixtures.bytes("same/school.xlsx")
        truncated.removeLast(truncated.count / 2)
        XCTAssertThrowsError(try InputFixtures.load(p, bytes: truncated, path: "school.xlsx")) { error in
            XCTAssertTrue(error is InputFailure, "\(error)")
        }
        XCTAssertThrowsError(try InputFixtures.load(p, bytes: [0xD0, 0xCF, 0x11, 0xE0], path: "school.xls")) { error in
            XCTAssertTrue((error as? InputFailure)?.message.zh.contains(".xlsx") ?? false, "\(error)")
        }
    }
}
