import XCTest
@testable import DabiaoCore

/// Every accepted encoding of a CSV input, detected and forced
/// (fixtures: Fixtures/input/same; the values are checked in SameReportTests).
final class InputEncodingTests: XCTestCase {
    static let files: [(String, TextEncodingKind)] = [
        ("same/school.csv", .utf8), ("same/school_bom.csv", .utf8BOM), ("same/school_utf16le.csv", .utf16LE),
        ("same/school_utf16be.csv", .utf16BE), ("same/school_gb18030.csv", .gb18030),
    ]

    func testFixturesAreInTheEncodingTheirNameSays() throws {
        for (file, kind) in Self.files {
            let bytes = try InputFixtures.bytes(file)
            XCTAssertEqual(try decodeToUTF8(bytes).encoding, kind, file)
        }
        // GB18030 bytes are not valid UTF-8, so detection had something to decide.
        XCTAssertNil(String(validating: try InputFixtures.bytes("same/school_gb18030.csv"), as: UTF8.self))
    }

    func testEachEncodingDetectedAndForcedReadsAllRecords() throws {
        let p = try InputFixtures.program()
        for (file, kind) in Self.files {
            let detected = try InputFixtures.load(p, fixture: file)
            let forced = try InputFixtures.load(p, fixture: file, encoding: kind)
            XCTAssertEqual(detected.inputs.first?.records, 7, file)
            XCTAssertEqual(forced.inputs.first?.records, 7, file)
            XCTAssertEqual(detected.errors, [], "\(file): \(detected.errors)")
            XCTAssertEqual(try InputFixtures.values(p, forced, key: "6262000003")["name"], "丙技工学校", file)
            XCTAssertEqual(try InputFixtures.values(p, detected, key: "6262000004")["name"], "丁职业技术学院", file)
        }
    }

    func testForcingTheWrongEncodingIsAnInputFailure() throws {
        let p = try InputFixtures.program()
        XCTAssertThrowsError(try InputFixtures.load(p, fixture: "same/school_gb18030.csv", encoding: .utf8)) { error in
            guard let failure = error as? InputFailure else { return XCTFail("\(error)") }
            XCTAssertEqual(failure.path, "same/school_gb18030.csv")
            XCTAssertFalse(failure.message.zh.isEmpty)
        }
    }
}
