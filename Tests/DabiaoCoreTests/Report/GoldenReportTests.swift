import XCTest
@testable import DabiaoCore

/// Every report format on the real engine output for the built-in samples
/// (`--as-of 2024-10-31`, `--show failures`, the rulebook slice named in
/// `SampleReports.sliceRules`), compared byte for byte with the committed
/// files in Fixtures/golden. Regenerate after an intended change with
/// `DABIAO_UPDATE_GOLDEN=1 swift test --filter GoldenReportTests` and review
/// the diff like code.
final class GoldenReportTests: XCTestCase {
    func slice() throws -> Report { try SampleReports.slice.get() }

    func testSliceCoversWhatTheGoldensAreFor() throws {
        let r = try slice()
        let outcomes = Set(r.results.map(\.outcome))
        XCTAssertTrue(outcomes.contains(.fail))
        XCTAssertTrue(outcomes.contains(.missing))
        XCTAssertTrue(r.results.contains { $0.level == .error } && r.results.contains { $0.level == .warning })
        XCTAssertTrue(r.results.contains { $0.fixes.contains { $0.to == nil } }, "a fix without a remedy")
        XCTAssertFalse(r.rectification.isEmpty)
        XCTAssertFalse(r.dataErrors.isEmpty)
        XCTAssertFalse(r.notes.isEmpty)
        XCTAssertFalse(r.showsAll)
        // The slice still counts every result of its rules.
        XCTAssertGreaterThan(r.summary.results, r.results.count)
    }

    func testText() throws {
        let r = try slice()
        for lang in Lang.allCases {
            Golden.check("sample-failures.\(lang.rawValue).txt", TextReport.render(r, lang: lang, style: .init(color: false)))
        }
    }

    func testJSON() throws {
        let r = try slice()
        for lang in Lang.allCases {
            Golden.check("sample-failures.\(lang.rawValue).json", String(decoding: JSONReport.renderBytes(r, lang: lang), as: UTF8.self))
        }
    }

    func testCSV() throws {
        let r = try slice()
        Golden.check("sample-failures.zh.csv", CSVReport.render(r, lang: .zh))
        Golden.check("sample-rectification.zh.csv", CSVReport.renderRectification(r, lang: .zh))
    }

    func testMarkdown() throws {
        let r = try slice()
        for lang in Lang.allCases {
            Golden.check("sample-failures.\(lang.rawValue).md", MarkdownReport.render(r, lang: lang))
        }
    }

    func testHTML() throws {
        let r = try slice()
        for lang in Lang.allCases {
            Golden.check("sample-failures.\(lang.rawValue).html", HTMLReport.render(r, lang: lang))
        }
    }

    func testJUnit() throws {
        Golden.check("sample-failures.zh.junit.xml", JUnitReport.render(try slice(), lang: .zh))
    }

    func testSARIF() throws {
        Golden.check("sample-failures.zh.sarif", SARIFReport.render(try slice(), lang: .zh))
    }

    /// The golden files are reviewed by people; one that grew past this is a
    /// sign the slice should shrink, not that the limit should rise.
    func testGoldensStaySmall() throws {
        guard !Golden.updating else { return }
        let names = try FileManager.default.contentsOfDirectory(atPath: Golden.directory.path)
        XCTAssertGreaterThanOrEqual(names.count, 12)
        var total = 0
        for n in names {
            let size = (try FileManager.default.attributesOfItem(atPath: Golden.directory.appendingPathComponent(n).path)[.size] as? Int) ?? 0
            XCTAssertLessThan(size, 120_000, n)
            total += size
        }
        XCTAssertLessThan(total, 700_000)
    }
}
