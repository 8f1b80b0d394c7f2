import XCTest
@testable import DabiaoCore

/// Inputs built to break the readers: special files, stray bytes, ambiguous
/// JSON keys, malformed spreadsheet references, and runs that check nothing.
final class InputHostileTests: XCTestCase {
    func tempDir() throws -> String {
        let dir = (NSTemporaryDirectory() as NSString).appendingPathComponent("dabiao-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    // MARK: 1. special files

    func testFIFOIsRefusedWithoutBlocking() throws {
        let dir = try tempDir()
        let fifo = (dir as NSString).appendingPathComponent("school.csv")
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let started = Date()
        XCTAssertThrowsError(try readInputFile(fifo)) { error in
            let e = error as? DataReadError
            XCTAssertEqual(e?.path, fifo)
            XCTAssertTrue(e?.message.contains("FIFO") ?? false, "\(error)")
            XCTAssertTrue(e?.messageEN.contains("named pipe") ?? false, "\(error)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
    }

    func testDirectoryAndDeviceAreRefused() throws {
        let dir = try tempDir()
        XCTAssertThrowsError(try readInputFile(dir)) { error in
            XCTAssertTrue((error as? DataReadError)?.message.contains("目录") ?? false, "\(error)")
            XCTAssertTrue((error as? DataReadError)?.messageEN.contains("directory") ?? false, "\(error)")
        }
        // /dev/zero never ends; it must be refused before a byte is read.
        XCTAssertThrowsError(try readInputFile("/dev/zero")) { error in
            XCTAssertTrue((error as? DataReadError)?.messageEN.contains("character device") ?? false, "\(error)")
        }
    }

    func testSizeLimitComesFromFstatBeforeReading() throws {
        let dir = try tempDir()
        let path = (dir as NSString).appendingPathComponent("big.csv")
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(repeating: 0x41, count: 1000)))
        XCTAssertThrowsError(try readInputFile(path, maxBytes: 999)) { error in
            XCTAssertTrue((error as? DataReadError)?.message.contains("1000 字节") ?? false, "\(error)")
        }
        XCTAssertEqual(try readInputFile(path, maxBytes: 1000).count, 1000)
    }

    // MARK: 2. stray bytes in a UTF-8 CSV

    static let rules = Core.schoolRules("""
      rule H-1 "教师" {
        require teachers >= 10
      }
      rule H-2 "在校生" {
        require students >= 1
      }
    """, filter: "")

    func csvBytes(_ rows: [[UInt8]]) -> [UInt8] {
        Array(Core.schoolHeader.utf8) + rows.flatMap { $0 + [0x0A] }
    }

    func testStrayByteIsACellErrorNotAFileError() throws {
        let p = try Core.program(Self.rules)
        let bytes = csvBytes([
            Array("A,甲职业中专,兰州市,中职,工科类,100,10,1,1".utf8),
            Array("B,乙".utf8) + [0xFF] + Array("中专,兰州市,中职,工科类,1".utf8) + [0xFE] + Array("0,10,1,1".utf8),
            Array("C,丙职业中专,兰州市,中职,工科类,300,30,1,1".utf8),
        ])
        var loader = DataLoader(program: p)
        try loader.load(bytes: bytes, spec: InputSpec(entity: try Core.entity(p, "school"), path: "school.csv"))
        let data = loader.dataset
        XCTAssertEqual(data.errors.count, 2, "\(data.errors)")
        XCTAssertEqual(data.errors.map(\.line), [3, 3])
        XCTAssertEqual(data.errors.map(\.column), ["学校名称", "全日制在校生数"])
        XCTAssertEqual(data.errors.map(\.value), ["乙\\xff中专", "1\\xfe0"])
        XCTAssertEqual(data.errors.map(\.path), ["school.csv", "school.csv"])
        XCTAssertFalse(data.errors.contains { $0.rejectsRecord })
        XCTAssertEqual(data.recordsRead, 3)
        XCTAssertEqual(data.recordsRejected, 0)
        let r = Core.run(p, data)
        XCTAssertEqual(Core.outcome(r, "H-1", "B"), "pass", "the record is still evaluated")
        XCTAssertEqual(Core.result(r, "H-2", "B")?.outcome, .missing)
        XCTAssertEqual(Core.outcome(r, "H-2", "C"), "pass")
    }

    func testStrayByteInKeyRejectsThatRecordOnly() throws {
        let p = try Core.program(Self.rules)
        let bytes = csvBytes([
            Array("A,甲职业中专,兰州市,中职,工科类,100,10,1,1".utf8),
            [0x42, 0xC3] + Array(",乙职业中专,兰州市,中职,工科类,100,10,1,1".utf8),
        ])
        var loader = DataLoader(program: p)
        try loader.load(bytes: bytes, spec: InputSpec(entity: 0, path: "school.csv"))
        XCTAssertEqual(loader.dataset.errors.map(\.value), ["B\\xc3"])
        XCTAssertEqual(loader.dataset.errors.first?.rejectsRecord, true)
        XCTAssertEqual(loader.dataset.recordsRead, 2)
        XCTAssertEqual(loader.dataset.recordsRejected, 1)
    }

    func testGB18030FileIsStillDecodedAsGB18030() throws {
        let text = Core.schoolHeader + "A,甲职业中专,兰州市,中职,工科类,100,10,1,1\n"
        let gb = [UInt8](try XCTUnwrap(text.data(using: String.Encoding(rawValue: 0x8000_0632))))
        let decoded = try decodeCSVToUTF8(gb)
        XCTAssertFalse(decoded.hasStrayBytes)
        XCTAssertEqual(decoded.decoded.encoding, .gb18030)
        XCTAssertEqual(String(decoding: decoded.decoded.utf8, as: UTF8.self), text)
        // Forcing UTF-8 makes each damaged cell an error rather than a GB18030 guess.
        XCTAssertTrue(try decodeCSVToUTF8(gb, forced: .utf8).hasStrayBytes)
        XCTAssertThrowsError(try decodeToUTF8(Array("a,\u{7532}".utf8) + [0xFF], forced: .gb18030))
    }

    // MARK: 3. a JSON field given twice

    func loadJSON(_ text: String, path: String = "school.jsonl") throws -> Dataset {
        let p = try Core.program(Self.rules)
        var loader = DataLoader(program: p)
        try loader.load(bytes: Array(text.utf8), spec: InputSpec(entity: 0, path: path))
        return loader.dataset
    }

    func testSameJSONKeyTwiceIsAnErrorAndTheFieldIsMissing() throws {
        let data = try loadJSON("""
        {"学校标识码":"A","学校名称":"甲","学校名称":"乙","所属市州":"兰州市","办学层次":"中职","专业大类":"工科类","全日制在校生数":100,"专任教师数":10,"校舍建筑面积":1,"教学仪器设备总值":1}
        {"学校标识码":"B","name":"丙","学校名称":"丁","所属市州":"兰州市","办学层次":"中职","专业大类":"工科类","全日制在校生数":100,"专任教师数":10,"校舍建筑面积":1,"教学仪器设备总值":1}

        """)
        XCTAssertEqual(data.errors.count, 2, "\(data.errors)")
        XCTAssertEqual(data.errors.map(\.path), ["school.jsonl", "school.jsonl"])
        XCTAssertEqual(data.errors.map(\.line), [1, 2])
        XCTAssertEqual(data.errors.map(\.column), ["学校名称", "学校名称"])
        XCTAssertEqual(data.errors.map(\.value), ["学校名称, 学校名称", "name, 学校名称"])
        XCTAssertTrue(data.errors[0].reason.zh.contains("出现了 2 次"))
        XCTAssertTrue(data.errors[1].reason.en.contains("'name', '学校名称'"))
        XCTAssertEqual(data.recordsRead, 2)
        XCTAssertEqual(data.recordsRejected, 0)
        let p = try Core.program(Self.rules)
        let table = data.tables[0]
        let name = try XCTUnwrap(p.entities[0].fields.firstIndex { $0.name == "name" })
        for key in ["A", "B"] {
            let r = try XCTUnwrap(table.row(forKey: key))
            XCTAssertTrue(table.columns[name].isMissing(r), "neither value of \(key) is kept")
        }
    }

    func testDuplicateJSONKeyFieldRejectsTheRecord() throws {
        let data = try loadJSON("""
        [{"code":"A","学校标识码":"B","学校名称":"甲","所属市州":"兰州市","办学层次":"中职","专业大类":"工科类","全日制在校生数":100,"专任教师数":10,"校舍建筑面积":1,"教学仪器设备总值":1}]
        """, path: "school.json")
        XCTAssertEqual(data.recordsRead, 1)
        XCTAssertEqual(data.recordsRejected, 1)
        XCTAssertEqual(data.errors.first?.value, "code, 学校标识码")
        XCTAssertEqual(data.tables[0].count, 0)
    }

    // MARK: 4, 5. spreadsheet references and numbers

    static let context = XLSXSheetContext(sharedStrings: [], dateStyles: [], uses1904: false)

    func sheet(_ rows: String) throws -> XLSXSheet {
        try parseXLSXSheet(Array("<worksheet><sheetData>\(rows)</sheetData></worksheet>".utf8), partName: "s.xml", context: Self.context)
    }

    func testBadCellReferencesAreProblemsNotOverwrites() throws {
        let bad = ["A0", "A-1", "b2", "ZZZZZZZZ1", "A99999999999999999999", "XFE2", "A01", "2", "A"]
        for ref in bad {
            let s = try sheet(#"<row r="2"><c r="A2"><v>1</v></c><c r="\#(ref)"><v>9</v></c></row>"#)
            XCTAssertEqual(s.rows, [XLSXRow(number: 2, cells: [.number(1)])], ref)
            XCTAssertEqual(s.problems.map(\.reference), [ref], ref)
            XCTAssertEqual(s.problems.first?.row, 2, ref)
        }
        // The same column twice: neither value survives.
        let twice = try sheet(#"<row r="2"><c r="A2"><v>1</v></c><c r="B2"><v>2</v></c><c r="B2"><v>3</v></c></row>"#)
        XCTAssertEqual(twice.rows, [XLSXRow(number: 2, cells: [.number(1)])])
        XCTAssertEqual(twice.problems.map(\.column), [1])
        XCTAssertTrue(twice.problems.first?.reason.zh.contains("重复") ?? false)
        // Out of order, and a row that disagrees with its <row>.
        let order = try sheet(#"<row r="3"><c r="C3"><v>3</v></c><c r="B3"><v>2</v></c><c r="D4"><v>4</v></c></row>"#)
        XCTAssertEqual(order.rows, [XLSXRow(number: 3, cells: [nil, nil, .number(3)])])
        XCTAssertEqual(order.problems.map(\.reference), ["B3", "D4"])
        XCTAssertTrue(order.problems.last?.reason.en.contains("row 3") ?? false)
        // A row number that cannot be read is a refusal, never "the next row".
        XCTAssertThrowsError(try sheet(#"<row r="99999999999999999999"><c><v>1</v></c></row>"#))
    }

    func testSpreadsheetNumbersUseTheCSVGrammar() throws {
        for raw in ["0x10", "inf", "nan", "-infinity", "1e999", "12abc", "0X1P3"] {
            let s = try sheet(#"<row r="1"><c r="A1"><v>\#(raw)</v></c><c r="B1"><v>2.5E1</v></c></row>"#)
            XCTAssertEqual(s.rows, [XLSXRow(number: 1, cells: [nil, .number(25)])], raw)
            XCTAssertEqual(s.problems.map(\.value), [raw], raw)
        }
    }

    func testSpreadsheetBoolCellsAreZeroOrOne() throws {
        let s = try sheet(#"<row r="1"><c r="A1" t="b"><v>2</v></c><c r="B1" t="b"><v>0</v></c><c r="C1" t="b"><v>1</v></c></row>"#)
        XCTAssertEqual(s.rows, [XLSXRow(number: 1, cells: [nil, .bool(false), .bool(true)])])
        XCTAssertEqual(s.problems.map(\.value), ["2"])
        XCTAssertEqual(s.problems.map(\.reference), ["A1"])
    }

    func workbook(_ sheetXML: String) -> [UInt8] {
        let workbook = Array(#"<workbook><sheets><sheet name="school" r:id="rId1"/></sheets></workbook>"#.utf8)
        let sheet = Array("<worksheet><sheetData>\(sheetXML)</sheetData></worksheet>".utf8)
        return TestZipBuilder.archive([
            .init(name: "xl/workbook.xml", method: 0, data: workbook, uncompressedSize: workbook.count, crc: zipCRC32(workbook)),
            .init(name: "xl/worksheets/sheet1.xml", method: 0, data: sheet, uncompressedSize: sheet.count, crc: zipCRC32(sheet)),
        ])
    }

    func inline(_ ref: String, _ text: String) -> String { #"<c r="\#(ref)" t="inlineStr"><is><t>\#(text)</t></is></c>"# }

    func testSpreadsheetProblemsAreDataErrorsWithTheirCell() throws {
        let p = try Core.program(Self.rules)
        let labels = Core.schoolHeader.dropLast().split(separator: ",").map(String.init)
        let columns = ["A", "B", "C", "D", "E", "F", "G", "H", "I"]
        let header = "<row r=\"1\">" + zip(columns, labels).map { inline($0 + "1", $1) }.joined() + "</row>"
        func row(_ n: Int, key: String, name: [String], students: String) -> String {
            "<row r=\"\(n)\">" + inline("A\(n)", key) + name.joined() + inline("C\(n)", "兰州市") + inline("D\(n)", "中职") + inline("E\(n)", "工科类")
                + "<c r=\"F\(n)\"><v>\(students)</v></c><c r=\"G\(n)\"><v>10</v></c><c r=\"H\(n)\"><v>1</v></c><c r=\"I\(n)\"><v>1</v></c></row>"
        }
        let xml = header
            + row(2, key: "A", name: [inline("B2", "甲"), inline("B2", "乙")], students: "100")
            + row(3, key: "B", name: [inline("B3", "丙")], students: "0x10")
            + row(4, key: "C", name: [inline("b4", "丁")], students: "100")
        var loader = DataLoader(program: p)
        try loader.load(bytes: workbook(xml), spec: InputSpec(entity: 0, path: "school.xlsx"))
        let errors = loader.dataset.errors
        XCTAssertEqual(errors.map(\.path), Array(repeating: "school.xlsx#school", count: 3), "\(errors)")
        XCTAssertEqual(errors.map(\.line), [2, 3, 4])
        XCTAssertEqual(errors.map(\.column), ["学校名称", "全日制在校生数", nil])
        XCTAssertEqual(errors.map(\.value), ["B2", "0x10", "b4"])
        XCTAssertTrue(errors[1].reason.zh.contains("（单元格 F3）"), errors[1].reason.zh)
        XCTAssertEqual(loader.dataset.recordsRead, 3)
        XCTAssertEqual(loader.dataset.recordsRejected, 0)
        let r = Core.run(p, loader.dataset)
        XCTAssertEqual(Core.result(r, "H-2", "B")?.outcome, .missing, "0x10 is not 16")
        XCTAssertEqual(Core.outcome(r, "H-2", "A"), "pass")
    }

    // MARK: 6. runs that would check nothing

    /// school is checked by the rules; region is declared but checked by none.
    static let twoEntityRules = rules + """
    entity region "地区" {
      key id : text "地区代码"
    }

    """

    func loadFolder(_ dir: String) throws -> Dataset {
        let p = try Core.program(Self.twoEntityRules)
        var request = Pipeline.DataRequest()
        request.paths = [dir]
        return try Pipeline.loadDatasets(p, request).data
    }

    func failure(_ dir: String, file: StaticString = #filePath, line: UInt = #line) -> InputFailure? {
        do {
            _ = try loadFolder(dir)
            XCTFail("the run must not pass", file: file, line: line)
        } catch let f as InputFailure {
            return f
        } catch {
            XCTFail("\(error)", file: file, line: line)
        }
        return nil
    }

    func testFolderWithOnlyAnOldExcelFileSaysSo() throws {
        let dir = try tempDir()
        XCTAssertTrue(FileManager.default.createFile(atPath: dir + "/学校.xls", contents: Data([0xD0, 0xCF, 0x11, 0xE0])))
        let f = try XCTUnwrap(failure(dir))
        XCTAssertTrue(f.message.zh.contains("找到 学校.xls：不支持旧版 Excel（.xls）"), f.message.zh)
        XCTAssertTrue(f.message.zh.contains("请另存为 .xlsx 或 CSV"), f.message.zh)
        XCTAssertTrue(f.message.en.contains("found 学校.xls: old Excel (.xls)"), f.message.en)
        XCTAssertFalse(f.message.zh.contains("region"), "an entity no rule checks is not asked for")
    }

    func testEmptyFolderNamesWhatWasLookedFor() throws {
        let dir = try tempDir()
        let f = try XCTUnwrap(failure(dir))
        XCTAssertEqual(f.path, dir)
        for part in ["school.csv", "学校.csv", "csv/tsv/txt/json/jsonl/ndjson/xlsx", "是空的"] {
            XCTAssertTrue(f.message.zh.contains(part), "\(part): \(f.message.zh)")
        }
        XCTAssertTrue(f.message.en.contains("is empty"), f.message.en)
    }

    func testFolderNamedLikeTheDataFileSaysItIsAFolder() throws {
        let dir = try tempDir()
        try FileManager.default.createDirectory(atPath: dir + "/school.csv", withIntermediateDirectories: false)
        let f = try XCTUnwrap(failure(dir))
        XCTAssertTrue(f.message.zh.contains("找到 school.csv：它是目录，不是文件"), f.message.zh)
        XCTAssertTrue(f.message.en.contains("it is a folder"), f.message.en)
    }

    func testFolderOfUnrelatedFilesListsThem() throws {
        let dir = try tempDir()
        XCTAssertTrue(FileManager.default.createFile(atPath: dir + "/notes.txt", contents: Data("hi".utf8)))
        let f = try XCTUnwrap(failure(dir))
        XCTAssertTrue(f.message.zh.contains("只有：notes.txt"), f.message.zh)
    }

    func testNoRecordAtAllIsNotAPass() throws {
        let dir = try tempDir()
        XCTAssertTrue(FileManager.default.createFile(atPath: dir + "/school.csv", contents: Data(Core.schoolHeader.utf8)))
        let f = try XCTUnwrap(failure(dir))
        XCTAssertTrue(f.message.zh.contains("没有读到任何记录"), f.message.zh)
        XCTAssertTrue(f.message.en.contains("nothing would be checked"), f.message.en)
    }

    func testCheckedEntityPresentLoadsWithoutTheUncheckedOne() throws {
        let dir = try tempDir()
        let csv = Core.schoolHeader + "A,甲职业中专,兰州市,中职,工科类,100,10,1,1\n"
        XCTAssertTrue(FileManager.default.createFile(atPath: dir + "/school.csv", contents: Data(csv.utf8)))
        let data = try loadFolder(dir)
        XCTAssertEqual(data.recordsRead, 1)
    }

    func testBuiltInSamplesStillLoad() throws {
        let files = try Pipeline.ruleSources([])
        let p = try XCTUnwrap(compileProject(files).0)
        let (data, baseline) = try Pipeline.loadDatasets(p, Pipeline.DataRequest())
        XCTAssertGreaterThan(data.recordsRead, 0)
        XCTAssertGreaterThan(baseline?.recordsRead ?? 0, 0)
    }
}
