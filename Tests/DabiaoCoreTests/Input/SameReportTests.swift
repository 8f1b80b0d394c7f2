import XCTest
@testable import DabiaoCore

/// The same records as UTF-8 CSV (with and without BOM), UTF-16 CSV, GB18030
/// CSV, JSON, and XLSX from openpyxl (1900 and 1904 date systems) and from
/// LibreOffice give byte-identical JSON reports apart from the input paths
/// and checksums.
final class SameReportTests: XCTestCase {
    static let forms = [
        "same/school_bom.csv", "same/school_utf16le.csv", "same/school_utf16be.csv", "same/school_gb18030.csv",
        "same/school.json", "same/school.xlsx", "same/school_1904.xlsx", "same/school_libreoffice.xlsx",
    ]

    func testEveryFormGivesTheSameJSONReport() throws {
        let reference = try InputFixtures.check("same/school.csv")
        let expected = InputFixtures.normalisedJSON(reference)
        // The reference itself is meaningful: every rule ran, markers became notes, nothing was rejected.
        XCTAssertEqual(reference.inputs.first?.records, 7)
        XCTAssertEqual(reference.inputs.first?.rejected, 0)
        XCTAssertEqual(reference.dataErrors, [], "\(reference.dataErrors)")
        XCTAssertEqual(Set(reference.results.map(\.key)).count, 7)
        XCTAssertTrue(reference.notes.contains { $0.column == "专任教师数" && $0.reason.zh.contains("1 个单元格") })
        for form in Self.forms {
            let report = try InputFixtures.check(form)
            let json = InputFixtures.normalisedJSON(report)
            if json != expected {
                XCTFail("\(form): the report differs from the UTF-8 CSV's at: \(firstDifference(json, expected))")
            }
            XCTAssertEqual(report.inputs.first?.records, 7, form)
        }
    }

    func testGB18030ForcedGivesTheSameReport() throws {
        let detected = InputFixtures.normalisedJSON(try InputFixtures.check("same/school_gb18030.csv"))
        let forced = InputFixtures.normalisedJSON(try InputFixtures.check("same/school_gb18030.csv", encoding: .gb18030))
        XCTAssertEqual(forced, detected)
    }

    func testSpreadsheetPathNamesTheSheet() throws {
        let report = try InputFixtures.check("same/school.xlsx")
        XCTAssertEqual(report.inputs.first.map { ($0.path as NSString).lastPathComponent }, "school.xlsx#学校")
        let lo = try InputFixtures.check("same/school_libreoffice.xlsx")
        XCTAssertTrue(lo.inputs.first?.path.contains(".xlsx#") ?? false)
    }

    func testValuesAreTheSameInEveryForm() throws {
        let p = try InputFixtures.program()
        let reference = try InputFixtures.load(p, fixture: "same/school.csv")
        for form in Self.forms {
            let data = try InputFixtures.load(p, fixture: form)
            for key in (1...7).map({ "626200000\($0)" }) {
                XCTAssertEqual(try InputFixtures.values(p, data, key: key), try InputFixtures.values(p, reference, key: key), "\(form) \(key)")
            }
        }
        let third = try InputFixtures.values(p, reference, key: "6262000003")
        XCTAssertEqual(third["teachers"], "nil", "— is missing")
        XCTAssertEqual(third["dual_ratio"], "0.333")
        XCTAssertEqual(third["demo"], "true", "√")
        XCTAssertEqual(third["founded"], "2016-09-01")
        let second = try InputFixtures.values(p, reference, key: "6262000002")
        XCTAssertEqual(second["equipment_value"], "3005000.0", "万元 → 元")
        XCTAssertEqual(second["students"], "1200.0")
    }

    private func firstDifference(_ a: String, _ b: String) -> String {
        let x = Array(a.utf8), y = Array(b.utf8)
        var i = 0
        while i < min(x.count, y.count), x[i] == y[i] { i += 1 }
        let from = max(0, i - 120)
        func around(_ s: [UInt8]) -> String { String(decoding: s[from..<min(s.count, i + 120)], as: UTF8.self) }
        return "byte \(i)\n  got:      \(around(x))\n  expected: \(around(y))"
    }
}
