import XCTest
@testable import DabiaoCore

/// Data errors with their locations, rejected records, header matching, and
/// the same records read from CSV, JSON arrays and JSON Lines.
final class DataLoadingTests: XCTestCase {
    static let rules = Core.schoolRules("""
      rule D-1 "只读教师" {
        require teachers >= 10
      }
      rule D-2 "读在校生" {
        measure 生师比 = students / teachers
        require students / teachers <= 20
      }
    """, filter: "")

    /// The worked example's school.csv (units in the headers).
    static let exampleCSV = """
    学校标识码,学校名称,所属市州,办学层次,专业大类,全日制在校生数,专任教师数,校舍建筑面积（平方米）,教学仪器设备总值（万元）
    6262000001,甲职业中专,兰州市,中职,工科类,2400,100,40000,900
    6262000002,乙职业中专,天水市,中职,财经类,1500,90,35000,300
    6262000003,丙职业学院,兰州市,高职,工科类,5000,300,100000,3000
    6262000004,丁职业中专,酒泉市,中职,医药类,约100,50,20000,

    """

    func testBadNumberCellIsReportedAndOnlyDependentResultsAreMissing() throws {
        let p = try Core.program(Self.rules)
        let data = try Core.load(p, Self.exampleCSV)
        XCTAssertEqual(data.errors.count, 1, "\(data.errors)")
        let e = try XCTUnwrap(data.errors.first)
        XCTAssertEqual(e.path, "school.csv")
        XCTAssertEqual(e.line, 5)
        XCTAssertEqual(e.column, "全日制在校生数")
        XCTAssertEqual(e.value, "约100")
        XCTAssertFalse(e.reason.zh.isEmpty)
        XCTAssertFalse(e.rejectsRecord)
        XCTAssertEqual(data.tables[0].count, 4, "the record stays in the run")

        let r = Core.run(p, data)
        XCTAssertEqual(Core.outcome(r, "D-1", "6262000004"), "pass", "a result that does not read the bad cell is unaffected")
        let d2 = try XCTUnwrap(Core.result(r, "D-2", "6262000004"))
        XCTAssertEqual(d2.outcome, .missing)
        XCTAssertEqual(d2.missingFields, ["students"])
        XCTAssertEqual(d2.sourcePath, "school.csv")
        XCTAssertEqual(d2.sourceLine, 5)
        XCTAssertEqual(Core.outcome(r, "D-2", "6262000001"), "fail error")
        XCTAssertEqual(r.dataErrors.count, 1)
        XCTAssertEqual(r.inputs.first?.records, 4)
        XCTAssertEqual(r.inputs.first?.rejected, 0)
    }

    func testSourceLinesCountPhysicalLinesOfMultilineCells() throws {
        let p = try Core.program(Self.rules)
        let csv = Core.schoolHeader
            + "A,\"甲\n职业中专\",兰州市,中职,工科类,100,10,1,1\n"
            + "B,乙,兰州市,中职,工科类,12x,10,1,1\n"
        let data = try Core.load(p, csv)
        XCTAssertEqual(data.errors.map(\.line), [4], "\(data.errors)")
        let r = Core.run(p, data)
        XCTAssertEqual(Core.result(r, "D-1", "A")?.sourceLine, 2)
        XCTAssertEqual(Core.result(r, "D-1", "B")?.sourceLine, 4)
    }

    func testDuplicateKeyRejectsTheLaterRow() throws {
        let p = try Core.program(Self.rules)
        let csv = Core.schoolHeader
            + Core.schoolRow("A", students: "100", teachers: "10")
            + Core.schoolRow("B", students: "100", teachers: "10")
            + Core.schoolRow("A", students: "900", teachers: "1")
        let data = try Core.load(p, csv)
        let dup = try XCTUnwrap(data.errors.first { $0.rejectsRecord })
        XCTAssertEqual(dup.line, 4)
        XCTAssertEqual(dup.value, "A")
        XCTAssertEqual(dup.column, "学校标识码")
        XCTAssertTrue(dup.reason.en.contains("line 2"), dup.reason.en)
        XCTAssertEqual(data.tables[0].count, 2)
        let r = Core.run(p, data)
        XCTAssertEqual(Core.outcome(r, "D-1", "A"), "pass", "the first row's values are kept")
        XCTAssertEqual(Core.result(r, "D-1", "A")?.sourceLine, 2)
        XCTAssertEqual(r.results.filter { $0.key == "A" }.count, 2, "one result per rule, not two")
        XCTAssertEqual(r.inputs.first?.records, 3)
        XCTAssertEqual(r.inputs.first?.rejected, 1)
    }

    func testDuplicateKeyAcrossTwoInputsOfOneEntity() throws {
        let p = try Core.program(Self.rules)
        let data = try Core.load(p, [
            ("school", "a.csv", Core.schoolHeader + Core.schoolRow("A")),
            ("school", "b.csv", Core.schoolHeader + Core.schoolRow("B") + Core.schoolRow("A")),
        ])
        let dup = try XCTUnwrap(data.errors.first { $0.rejectsRecord })
        XCTAssertEqual(dup.path, "b.csv")
        XCTAssertEqual(dup.line, 3)
        XCTAssertEqual(data.inputs.map(\.records), [1, 2])
        XCTAssertEqual(data.inputs.map(\.rejected), [0, 1])
    }

    /// Records read = records evaluated + records rejected, per input.
    func testRecordsReadEqualEvaluatedPlusRejected() throws {
        let p = try Core.program(Self.rules)
        let csv = Core.schoolHeader
            + Core.schoolRow("A") + Core.schoolRow("B")
            + Core.schoolRow("A")
            + Core.schoolRow("")
            + Core.schoolRow("C", students: "约100")
            + Core.schoolRow("D", level: "高职")
        let data = try Core.load(p, csv)
        let r = Core.run(p, data)
        let input = try XCTUnwrap(r.inputs.first)
        XCTAssertEqual(input.records, 6)
        XCTAssertEqual(input.rejected, 2, "the duplicate and the row without a key")
        let evaluated = Set(r.results.map(\.key))
        XCTAssertEqual(evaluated, ["A", "B", "C", "D"])
        XCTAssertEqual(input.records, evaluated.count + input.rejected)
        XCTAssertEqual(r.dataErrors.filter(\.rejectsRecord).count, input.rejected)
        XCTAssertTrue(r.dataErrors.contains { $0.line == 5 && $0.rejectsRecord }, "the keyless row is reported at its line")
    }

    func testMissingRequiredColumnSuggestsClosestHeader() throws {
        let p = try Core.program(Self.rules)
        let csv = "学校标识码,学校名称,所属市州,办学层次,专业大类,全日制在校生数,专任教师,校舍建筑面积,教学仪器设备总值,联系电话\n"
            + "A,甲,兰州市,中职,工科类,1000,50,1,1,123\n"
        let data = try Core.load(p, csv)
        let missing = try XCTUnwrap(data.errors.first { $0.column == "专任教师数" }, "\(data.errors)")
        XCTAssertEqual(missing.line, 1)
        XCTAssertTrue(missing.reason.en.contains("did you mean column '专任教师'"), missing.reason.en)
        XCTAssertTrue(missing.reason.zh.contains("专任教师"), missing.reason.zh)
        XCTAssertEqual(data.errors.count, 1, "\(data.errors)")
        let unknownNotes = data.notes.filter { $0.reason.en.contains("unknown columns") }
        XCTAssertEqual(unknownNotes.count, 1, "unknown columns are listed once: \(data.notes)")
        XCTAssertTrue(unknownNotes.first?.value?.contains("联系电话") == true)
        XCTAssertTrue(unknownNotes.first?.value?.contains("专任教师") == true)
        let r = Core.run(p, data)
        XCTAssertEqual(Core.outcome(r, "D-1", "A"), "missing")
        XCTAssertEqual(Core.result(r, "D-1", "A")?.missingFields, ["teachers"])
    }

    func testOptionalColumnMayBeAbsentAndColumnsMatchByFieldName() throws {
        let p = try Core.program(Self.rules)
        let csv = "code,name,city,level,category,students,teachers,building_area,equipment_value\n"
            + "A,甲,兰州市,中职,工科类,1000,50,1,1\n"
        let data = try Core.load(p, csv)
        XCTAssertEqual(data.errors, [])
        XCTAssertEqual(data.notes, [])
        XCTAssertEqual(Core.outcome(Core.run(p, data), "D-2", "A"), "pass")
    }

    func testMissingKeyColumnCannotBeRead() throws {
        let p = try Core.program(Self.rules)
        let csv = "学校名称,所属市州\n甲,兰州市\n"
        XCTAssertThrowsError(try Core.load(p, csv)) { error in
            guard let f = error as? InputFailure else { return XCTFail("\(error)") }
            XCTAssertEqual(f.path, "school.csv")
            XCTAssertTrue(f.message.zh.contains("学校标识码"), f.message.zh)
        }
    }

    func testBadCellsOfEveryKindKeepTheRecord() throws {
        let p = try Core.program(Self.rules)
        let csv = Core.schoolHeader
            + Core.schoolRow("A", level: "中专", teachers: "12.5")
            + "B,乙,兰州市,中职,工科类,100,10,1,1,多余\n"
        let data = try Core.load(p, csv)
        let byColumn = Dictionary(data.errors.map { ($0.column ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(byColumn["专任教师数"]?.value, "12.5", "an integer field rejects fractions: \(data.errors)")
        XCTAssertEqual(byColumn["办学层次"]?.value, "中专", "a value outside one of is a data error")
        XCTAssertTrue(data.errors.contains { $0.line == 3 && !$0.rejectsRecord }, "extra cells are reported: \(data.errors)")
        XCTAssertEqual(data.tables[0].count, 2)
        XCTAssertTrue(data.errors.allSatisfy { !$0.rejectsRecord })
    }

    func testCellFormats() throws {
        let rules = """
        entity e "E" {
          key id : text "编号"
          n : integer "人数"
          ok : bool "是否"
          d : date "日期"
        }
        ruleset r "r" {
          for e
          rule F-1 "x" {
            measure 人数 = n
            measure 年 = year(d)
            require ok and n == 1200 and d == 2024-10-31
          }
        }
        """
        let p = try Core.program(rules)
        let csv = """
        编号,人数,是否,日期
        1,"1,200",是,2024-10-31
        2,１２００,Y,2024/10/31
        3,1200,1,2024年10月31日
        4,1200,否,2024-10-31
        5,1200,true,2024-10-31

        """
        let data = try Core.load(p, entity: "e", path: "e.csv", csv)
        XCTAssertEqual(data.errors, [])
        let r = Core.run(p, data)
        for key in ["1", "2", "3", "5"] {
            XCTAssertEqual(Core.outcome(r, "F-1", key), "pass", key)
            XCTAssertEqual(Core.measure(r, "F-1", key, "人数"), 1200, key)
        }
        XCTAssertEqual(Core.outcome(r, "F-1", "4"), "fail error")
    }

    func testEmptyMarkersAreMissingWithOneNote() throws {
        let p = try Core.program(Self.rules)
        let csv = Core.schoolHeader + Core.schoolRow("A", teachers: "无") + Core.schoolRow("B", teachers: "—")
        let data = try Core.load(p, csv)
        XCTAssertEqual(data.errors, [])
        let r = Core.run(p, data)
        XCTAssertEqual(Core.outcome(r, "D-1", "A"), "missing")
        XCTAssertEqual(Core.outcome(r, "D-1", "B"), "missing")
        XCTAssertEqual(data.notes.filter { $0.column == "专任教师数" }.count, 1, "\(data.notes)")
    }

    // MARK: JSON

    static let csvForFormats = Core.schoolHeader
        + Core.schoolRow("A", students: "2400", teachers: "100")
        + Core.schoolRow("B", students: "1500", teachers: "90")
        + "C,丙,兰州市,中职,工科类,,50,1000,10\n"

    static let jsonArray = """
    [
      {"学校标识码": "A", "学校名称": "学校A", "所属市州": "兰州市", "办学层次": "中职", "专业大类": "工科类",
       "全日制在校生数": 2400, "专任教师数": 100, "校舍建筑面积": 30000, "教学仪器设备总值": 500},
      {"code": "B", "name": "学校B", "city": "兰州市", "level": "中职", "category": "工科类",
       "students": "1500", "teachers": 90, "building_area": 30000, "equipment_value": 500},
      {"code": "C", "name": "丙", "city": "兰州市", "level": "中职", "category": "工科类",
       "students": null, "teachers": 50, "building_area": 1000, "equipment_value": 10}
    ]
    """

    static let jsonLines = """
    {"学校标识码": "A", "学校名称": "学校A", "所属市州": "兰州市", "办学层次": "中职", "专业大类": "工科类", "全日制在校生数": 2400, "专任教师数": 100, "校舍建筑面积": 30000, "教学仪器设备总值": 500}
    {"code": "B", "name": "学校B", "city": "兰州市", "level": "中职", "category": "工科类", "students": 1500, "teachers": 90, "building_area": 30000, "equipment_value": 500}
    {"code": "C", "name": "丙", "city": "兰州市", "level": "中职", "category": "工科类", "students": "", "teachers": 50, "building_area": 1000, "equipment_value": 10}

    """

    func withoutSource(_ r: Report) -> [RuleResult] {
        r.results.map { x in
            var y = x
            y.sourcePath = nil
            y.sourceLine = nil
            return y
        }
    }

    func testJSONArrayAndJSONLinesGiveTheSameResultsAsCSV() throws {
        let p = try Core.program(Self.rules)
        let fromCSV = Core.run(p, try Core.load(p, path: "school.csv", Self.csvForFormats))
        let fromArray = Core.run(p, try Core.load(p, path: "school.json", Self.jsonArray))
        let fromLines = Core.run(p, try Core.load(p, path: "school.jsonl", Self.jsonLines))
        XCTAssertEqual(fromCSV.results.count, 6)
        XCTAssertEqual(withoutSource(fromArray), withoutSource(fromCSV))
        XCTAssertEqual(withoutSource(fromLines), withoutSource(fromCSV))
        XCTAssertEqual(fromArray.summary, fromCSV.summary)
        XCTAssertEqual(fromLines.summary, fromCSV.summary)
        XCTAssertEqual(fromCSV.dataErrors, [])
        XCTAssertEqual(fromArray.dataErrors, [])
        XCTAssertEqual(fromLines.dataErrors, [])
        XCTAssertEqual(Core.outcome(fromLines, "D-2", "C"), "missing")
        XCTAssertEqual(Core.result(fromLines, "D-2", "B")?.sourceLine, 2, "JSON Lines records point at their line")
        XCTAssertEqual(fromArray.inputs.first?.records, 3)
    }

    func testJSONBadValueAndUnknownFieldAndDuplicateKey() throws {
        let p = try Core.program(Self.rules)
        let text = """
        {"code": "A", "name": "甲", "city": "兰州", "level": "中职", "category": "工科类", "students": "约100", "teachers": 10, "building_area": 1, "equipment_value": 1, "电话": "1"}
        {"code": "A", "name": "甲", "city": "兰州", "level": "中职", "category": "工科类", "students": 100, "teachers": 10, "building_area": 1, "equipment_value": 1}

        """
        let data = try Core.load(p, path: "s.jsonl", text)
        let bad = try XCTUnwrap(data.errors.first { !$0.rejectsRecord })
        XCTAssertEqual(bad.line, 1)
        XCTAssertEqual(bad.column, "全日制在校生数")
        XCTAssertEqual(bad.value, "约100")
        let dup = try XCTUnwrap(data.errors.first { $0.rejectsRecord })
        XCTAssertEqual(dup.line, 2)
        XCTAssertEqual(data.notes.filter { $0.value?.contains("电话") == true }.count, 1)
        XCTAssertEqual(data.inputs.first?.records, 2)
        XCTAssertEqual(data.inputs.first?.rejected, 1)
    }

    func testBrokenJSONCannotBeRead() throws {
        let p = try Core.program(Self.rules)
        XCTAssertThrowsError(try Core.load(p, path: "s.json", "[{\"code\": \"A\",]")) { error in
            XCTAssertTrue(error is InputFailure, "\(error)")
        }
    }

    func testByteOrderMarkAndCRLFLineEnds() throws {
        let p = try Core.program(Self.rules)
        let csv = "\u{FEFF}" + (Core.schoolHeader + Core.schoolRow("A", students: "100", teachers: "10")
            + Core.schoolRow("B", students: "约100", teachers: "10")).replacingOccurrences(of: "\n", with: "\r\n")
        let data = try Core.load(p, csv)
        XCTAssertEqual(data.notes, [], "the BOM is not part of the first header")
        XCTAssertEqual(data.errors.map(\.line), [3])
        XCTAssertEqual(data.errors.first?.value, "约100", "no stray carriage return in the raw value")
        XCTAssertEqual(Core.outcome(Core.run(p, data), "D-2", "A"), "pass")
    }
}
