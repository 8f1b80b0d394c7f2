import XCTest
@testable import DabiaoCore

/// Inputs found by the fuzzers (fuzz/, see docs/input.md) and hand-made
/// hostile files: each must give an error value or a quick load, never a
/// crash or a hang.
final class FuzzRegressionTests: XCTestCase {
    // MARK: hostile spreadsheets (Fixtures/input/hostile, make_fixtures.py)

    func testZipBombIsRefused() throws {
        let p = try InputFixtures.program()
        XCTAssertThrowsError(try InputFixtures.load(p, fixture: "hostile/bomb.xlsx")) { error in
            guard let failure = error as? InputFailure else { return XCTFail("\(error)") }
            XCTAssertTrue(failure.message.zh.contains("压缩炸弹"), failure.message.zh)
            XCTAssertTrue(failure.message.en.contains("compression ratio"), failure.message.en)
        }
    }

    func testMergeOverTheWholeGridLoadsQuickly() throws {
        let p = try InputFixtures.program()
        let start = Date()
        let data = try InputFixtures.load(p, fixture: "hostile/huge_merge.xlsx")
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
        XCTAssertEqual(data.inputs.first?.records, 1)
        XCTAssertEqual(try InputFixtures.values(p, data, key: "H1")["students"], "1000.0")
    }

    func testCellAtTheFarCornerOfTheGrid() throws {
        let p = try InputFixtures.program()
        let start = Date()
        let data = try InputFixtures.load(p, fixture: "hostile/far_cells.xlsx")
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
        // Row 1048576 has no key: read and rejected, and its stray cell reported at XFD.
        XCTAssertEqual(data.inputs.first?.records, 2)
        XCTAssertEqual(data.inputs.first?.rejected, 1)
        XCTAssertTrue(data.errors.contains { $0.line == 1_048_576 && $0.reason.zh.contains("XFD1048576") }, "\(data.errors)")
    }

    func testThousandsOfKeyHeadersAreOneKeyAndNotes() throws {
        let p = try InputFixtures.program()
        let start = Date()
        let data = try InputFixtures.load(p, fixture: "hostile/wide_header.xlsx")
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
        XCTAssertEqual(data.inputs.first?.records, 1)
        XCTAssertEqual(data.notes.filter { $0.reason.zh.contains("同一字段") }.count, 3999)
    }

    // MARK: crashes found by fuzz/run.sh

    /// The fuzz/targets/xlsx.swift harness wraps an input that starts with `<`
    /// as the sheet of a fixed workbook; these tests parse such sheets the same way.
    static let harnessContext = XLSXSheetContext(
        sharedStrings: ["学校标识码", "学校名称", "办学层次", "全日制在校生数", "校舍建筑面积（平方米）", "教学仪器设备总值（万元）",
                        "双师型教师比例", "是否示范校", "建校日期", "中职", "—", "1,234"],
        dateStyles: [false, true, true], uses1904: false)

    static func sheet(base64: String) throws -> [UInt8] {
        try XCTUnwrap(Data(base64Encoded: base64).map { [UInt8]($0) })
    }

    /// Minimal form of xlsx crash-e1d009ac: a `<row>` starting inside a cell
    /// that has a value reset the column to -1, and the cell's end then stored
    /// its value at index -1 (XLSX.swift, `parseXLSXSheet`, `cells[column] = value`).
    func testRowStartingInsideACellIsNoCrash() throws {
        let xml = #"<worksheet><sheetData><row r="1"><c r="A1"><v>1</v><row r="2"></c></row></sheetData></worksheet>"#
        do {
            let sheet = try parseXLSXSheet(Array(xml.utf8), partName: "xl/worksheets/sheet1.xml", context: Self.harnessContext)
            XCTAssertTrue(sheet.rows.allSatisfy { $0.cells.count <= 1 }, "\(sheet.rows)")
        } catch {
            XCTAssertTrue(error is XLSXError, "\(error)")
        }
    }

    /// xlsx crash-e1d009ac as found: a mangled sheet (a `<c` tag with bytes
    /// FE FF FF FF before its attributes, NULs inside tags).
    func testXLSXCrashE1D009AC() throws {
        let bytes = try Self.sheet(base64: Self.crashE1D009AC)
        do {
            let sheet = try parseXLSXSheet(bytes, partName: "xl/worksheets/sheet1.xml", context: Self.harnessContext)
            XCTAssertFalse(sheet.rows.isEmpty)
        } catch {
            XCTAssertTrue(error is XLSXError, "\(error)")
        }
    }

    static let crashE1D009AC = "PHdvcmtzaAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABlZXQ+PHNoZWV0RGF0YT48cm93IHI9IjEiPjxjIHI9IkExIiB0PSJpbmxpbmVTdHIiPjxpcz48dD4yMDI05bm057uf6AEAAAAAAAAFPjwvaXM+PC9jPjwvcm93Pjxyb3cgcj0iMiI+PGP+////IHI9IkEyIiB0PSJzIj48dj4wPC92AAAAAAAAJoU+PC9jPjxjIHI9IkIyIiB0PSJzIj48dj4xPC92PjwvYz48YyByPSJDMiIgdD0icyI+PHY+Mjwvdj48L2M+PGMgcj0iRDIiIHQ9InMiPjx2PjM8L3Y+PC9jPjxjIHI9IkUyIiB0PSJzIj48dj40PC92PjwvYz48YyByPSJGMiIgdD0icyI+PHY+NTwvdj48L2M+ABoAAAB4bC9fcmVscy93b3JrYm9vay54bWwucmVsc62RTWvDMAyG7/0VRvfFSQdjjDi9jEGv/fgBxlHi0MQ2kta1/34uG1sKZezQk9DX875I9eo0jeqIxEMMBqqiBIXBxXYIvYH97u3hGVbNot7gaCWPsB8Sq7wT2IAXSS9as/M4WS5iwpA7XaTJSk6p18m6g+1RL8vySdOcAc0VU61bA7RuK1C7c8L/sGPXDQ5fo3ufMMgNCc1yHpEz0VKPYuArLzIH9G355T3lPyId2CPKr4OfUjZ3CdVfZh7vegtvCdutUH7s/CTz8reZRa2v3t18AlBLBwhP8Pl60gAAACUCAABQSwMEFAAICAgAT513XQAAAAAAAAAAAAAAABQAAAB4bC9zaGFyZWRTdHJpbmdzLnhtbN1XXU/aUBi+369oerUlkxa2OTGAWUy82BKzxO1ilw1WbQIt66lm7go1alXMcEMRwxANINMxYJhZC/Fm/2TpOcUr/sJOrTHZhfFlC1wsaZr0nPc9z/v1PAcCI++iEWZOVJGkyEHW6+FZRpTDyqQkTwfZ16/GBoZYBmmCPClEFFkMsvMiYkdC9wIIaQx1lVGQndG02DDHofCMGBWQR4mJMt2ZUtSooNFPdZpDMVUUJtGMKGrRCOfj+UEuKkgyy4SVWVkLso/9LDMrS29nxdHrBZ4NBZAUClyBDKOYEKbY9BQkqnMiG8KVEskfkPxqu7pi5xcCnBYKcI79nT44uWkf1WAO6znqg+uL5OsBzGG5TNJFrP/A2TKFslP7ZLvWaemWaXZaa6AjLOOT1WyS7QxldERhdGE+PG1lcmdlQ2VsbHM+PG1lcmdlQ2VsbCByZWY9IkExOkkxIi8+PG0icyI+PHY+MTE8L3Y+PC9jPjxjIHI9Ikg0Ij48dj4wPC92PjwvYz48YyByPSJJNCIgdD0iZCI+PHY+MjAyNC0xMC0zMVQwMDowMDowMDwvdj48L2M+PC9yb3c+PHJvdyByPSI2Ij48YyByPSJBNiI+PHY+NjI2MjAwMDAwMTwvdj48L2M+PGMgcj0iSTYiIHM9IjIiPjx2PjQ1NTk2LjU8L3Y+PC9jPjxjIHI9Iks2Ij48dj4xPC92PjwvYz48L3Jvdz48L3NoZWV0RGF0YT48bWVyZ2VDZWxscz48bWVyZ2VDZWxsIHJlZj0iQTE6STEiLz48bWVyZ2VDZWxsIHJlZj0iQzM6QzYiLz48L21lcmVlQ2VsbHM+PC93b3Jrc2hlZXQ+Cg=="
}
