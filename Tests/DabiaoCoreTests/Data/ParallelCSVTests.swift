import Foundation
import XCTest
@testable import DabiaoCore

/// A CSV file read in parts on several cores gives the same tables, errors,
/// notes and line numbers as one reader from the top, on generated files with
/// quoted line ends across part boundaries, CRLF, a BOM and data errors.
final class ParallelCSVTests: XCTestCase {
    static let schema = """
    unit 人 = 1
    unit 平方米 alias m2
    unit 万元 = 10000 元
    unit 元
    entity school "学校" {
      key code      : text "学校标识码"
      name          : text "学校名称"
      city          : text "所属市州"
      level         : text one of ("中职", "高职") "办学层次"
      students      : integer 人 "全日制在校生数"
      area          : number 平方米 "校舍建筑面积"
      equipment     : number 万元 "教学仪器设备总值"
      public_school : bool "是否公办"
      founded       : date "建校日期"
      optional note : text "备注"
    }
    """

    static let header = "学校标识码,学校名称,所属市州,办学层次,全日制在校生数,校舍建筑面积,教学仪器设备总值（元）,是否公办,建校日期,备注"

    struct Shape {
        var rows = 2000
        var crlf = false
        var bom = false
        var quotedLineEnds = 0.05
        var blankLines = 0.02
        var badCells = 0.03
        var duplicateKeys = 0.0
        var strayQuotes = 0.0
    }

    static func file(_ shape: Shape, seed: UInt64) -> [UInt8] {
        var rng = SeededRNG(seed: seed)
        let nl = shape.crlf ? "\r\n" : "\n"
        var out = (shape.bom ? "\u{FEFF}" : "") + header + nl
        let cities = ["兰州市", "天水市", "酒泉市", "张掖市", "定西市", "陇南市"]
        var keys: [String] = []
        for i in 0..<shape.rows {
            if rng.chance(shape.blankLines) { out += nl }
            if rng.chance(0.01) { out += "# 填表说明" + nl; continue }
            var key = String(format: "62%08d", i)
            if let old = rng.pick(keys), rng.chance(shape.duplicateKeys) { key = old }
            if rng.chance(0.005) { key = "" }
            keys.append(key)
            var name = "学校\(rng.int(0...400))"
            if rng.chance(shape.quotedLineEnds) {
                name = "\"" + name + (rng.chance(0.5) ? "\n" : "\r\n") + "分校，\"\"新区\"\"\""
            } else if rng.chance(0.05) {
                name = "\"" + name + ",附属\""
            }
            if rng.chance(shape.strayQuotes) { name += "12\"" }
            var students = String(rng.int(0...5000))
            if rng.chance(shape.badCells) { students = rng.pick(["约100", "无", "—", "12.5", ""]) ?? "" }
            var area = String(format: "%.1f", rng.double(0...90000))
            if rng.chance(shape.badCells) { area = rng.pick(["abc", "1,2", "无"]) ?? "" }
            let level = rng.chance(shape.badCells) ? "初中" : (rng.chance(0.7) ? "中职" : "高职")
            let flag = rng.pick(["是", "否", "true", "0", "Y"]) ?? "是"
            let date = rng.chance(shape.badCells) ? "2024-13-01" : "19\(rng.int(50...99))-0\(rng.int(1...9))-1\(rng.int(0...9))"
            var fields = [key, name, rng.pick(cities) ?? "", level, students, area, String(rng.int(0...9_000_000)), flag, date,
                          rng.chance(0.5) ? "" : "备注\(i)"]
            if rng.chance(0.01) { fields.append("多余") }
            if rng.chance(0.01) { fields.removeLast(3) }
            out += fields.joined(separator: ",") + nl
        }
        return Array(out.utf8)
    }

    func load(_ bytes: [UInt8], parts: Int) throws -> (data: Dataset, inParts: Int) {
        let program = try Core.program(Self.schema)
        var loader = DataLoader(program: program)
        loader.csvParallelism = CSVParallelism(parts: parts, minBytes: 0)
        try loader.load(bytes: bytes, spec: InputSpec(entity: 0, path: "school.csv"))
        return (loader.dataset, loader.csvFilesReadInParts)
    }

    func assertSame(_ a: Dataset, _ b: Dataset, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.inputs, b.inputs, what, file: file, line: line)
        XCTAssertEqual(a.errors, b.errors, what, file: file, line: line)
        XCTAssertEqual(a.notes, b.notes, what, file: file, line: line)
        let s = a.tables[0], p = b.tables[0]
        XCTAssertEqual(s.count, p.count, what, file: file, line: line)
        XCTAssertEqual((0..<s.count).map { s.source($0) }, (0..<p.count).map { p.source($0) }, what, file: file, line: line)
        for (i, (x, y)) in zip(s.columns, p.columns).enumerated() {
            XCTAssertEqual(x.values.map(\.bitPattern), y.values.map(\.bitPattern), "\(what): column \(i)", file: file, line: line)
            XCTAssertEqual(Array(x.strings), Array(y.strings), "\(what): column \(i) texts", file: file, line: line)
        }
    }

    func testPartsGiveTheSerialTablesErrorsAndLines() throws {
        var shapes: [(String, Shape)] = []
        shapes.append(("LF", Shape()))
        var crlf = Shape(); crlf.crlf = true; crlf.bom = true
        shapes.append(("CRLF with BOM", crlf))
        var quoted = Shape(); quoted.quotedLineEnds = 0.4; quoted.blankLines = 0.2
        shapes.append(("many quoted line ends and blank lines", quoted))
        for (name, shape) in shapes {
            for seed: UInt64 in 1...4 {
                let bytes = Self.file(shape, seed: seed)
                let serial = try load(bytes, parts: 1)
                XCTAssertEqual(serial.inParts, 0)
                XCTAssertGreaterThan(serial.data.errors.count, 10, "the file should hold data errors")
                for parts in [2, 3, 7] {
                    let parallel = try load(bytes, parts: parts)
                    // Clean keys and balanced quotes: the parts must have been used.
                    XCTAssertEqual(parallel.inParts, 1, "\(name) seed \(seed): \(parts) parts")
                    assertSame(serial.data, parallel.data, "\(name) seed \(seed): \(parts) parts")
                }
            }
        }
    }

    /// Keys repeated across parts and quotes inside unquoted fields make the
    /// parts disagree with the serial order; the file is then read serially,
    /// and the result is still the serial one.
    func testDuplicateKeysAndStrayQuotesFallBackToTheSerialResult() throws {
        var dup = Shape(); dup.duplicateKeys = 0.05
        var stray = Shape(); stray.strayQuotes = 0.02
        var fellBack = 0
        for (name, shape) in [("duplicate keys", dup), ("stray quotes", stray)] {
            for seed: UInt64 in 1...3 {
                let bytes = Self.file(shape, seed: seed)
                let serial = try load(bytes, parts: 1)
                let parallel = try load(bytes, parts: 4)
                if parallel.inParts == 0 { fellBack += 1 }
                assertSame(serial.data, parallel.data, "\(name) seed \(seed)")
            }
        }
        XCTAssertGreaterThan(fellBack, 0)
    }

    func testAnUnterminatedQuoteIsTheSameErrorInParts() throws {
        var bytes = Self.file(Shape(), seed: 9)
        bytes += Array("62999999,\"未闭合,兰州市,中职,1,1,1,是,2000-01-01,\n".utf8)
        func failure(_ parts: Int) -> InputFailure? {
            do { _ = try load(bytes, parts: parts); return nil } catch { return error as? InputFailure }
        }
        let serial = try XCTUnwrap(failure(1))
        XCTAssertEqual(failure(3), serial)
        XCTAssertTrue(serial.message(.en).contains("unterminated"), serial.message(.en))
    }

    func testPartStartsAreLineStartsOutsideQuotes() {
        let text = "h\n\"a\nb\",1\nc,2\r\nd,3\re,4\n"
        let bytes = Array(text.utf8)
        let starts = csvPartStarts(bytes, from: 2, line: 2, parts: 4) ?? []
        XCTAssertEqual(starts.first?.offset, 2)
        for s in starts.dropFirst() {
            // Each start follows a line end and is outside the quoted "a\nb".
            XCTAssertTrue(bytes[s.offset - 1] == 10 || bytes[s.offset - 1] == 13)
            XCTAssertGreaterThan(s.offset, 8)
            let before = bytes[..<s.offset]
            let lineEnds = before.indices.filter { i in bytes[i] == 10 || (bytes[i] == 13 && !(i + 1 < bytes.count && bytes[i + 1] == 10)) }.count
            XCTAssertEqual(s.line, lineEnds + 1)
        }
        XCTAssertGreaterThan(starts.count, 1)
    }
}
