import XCTest
@testable import DabiaoCore

/// Every record read is evaluated or rejected, and every rejection has a
/// reason: over every malformed fixture, from the report alone.
final class ReconciliationTests: XCTestCase {
    static let malformed: [(file: String, read: Int, rejected: Int)] = [
        ("malformed/school.csv", 8, 4),
        ("malformed/school_gb18030.csv", 8, 4),
        ("malformed/school.jsonl", 4, 2),
        ("xlsx/errors.xlsx", 9, 2),
        ("xlsx/layout.xlsx", 3, 0),
        ("xlsx/values.xlsx", 15, 0),
    ]

    func testRecordsReadEqualEvaluatedPlusRejected() throws {
        for m in Self.malformed {
            let report = try InputFixtures.check(m.file)
            let input = try XCTUnwrap(report.inputs.first, m.file)
            XCTAssertEqual(input.records, m.read, m.file)
            XCTAssertEqual(input.rejected, m.rejected, m.file)
            // Each evaluated record has a result for every rule of the (filterless) ruleset.
            let evaluated = Set(report.results.map(\.key))
            XCTAssertEqual(input.records, evaluated.count + input.rejected, m.file)
            let reasons = report.dataErrors.filter(\.rejectsRecord)
            XCTAssertEqual(reasons.count, input.rejected, "\(m.file): one reason per rejected record")
            XCTAssertTrue(reasons.allSatisfy { $0.line != nil && !$0.reason.zh.isEmpty && $0.path == input.path }, m.file)
            // A rejected line never also appears as an evaluated record.
            let evaluatedLines = Set(report.results.compactMap(\.sourceLine))
            XCTAssertTrue(reasons.allSatisfy { !evaluatedLines.contains($0.line ?? -1) }, m.file)
        }
    }
}
