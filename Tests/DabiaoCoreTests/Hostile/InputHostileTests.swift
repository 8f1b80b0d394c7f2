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
}
