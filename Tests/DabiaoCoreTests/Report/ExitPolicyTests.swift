import XCTest
@testable import DabiaoCore

/// The exit-code policy of `check` (cli.md «Exit codes»), tested in the
/// library rather than through a built binary.
final class ExitPolicyTests: XCTestCase {
    func report(error: Int = 0, warning: Int = 0, info: Int = 0, missing: Int = 0, undefined: Int = 0,
                dataErrors: Bool = false, rejected: Int = 0) -> Report {
        var r = ReportFixtures.report()
        var s = Summary()
        s.error = error; s.warning = warning; s.info = info; s.fail = error + warning + info
        s.missing = missing; s.undefined = undefined
        r.summary = s
        if !dataErrors { r.dataErrors = [] }
        r.inputs = r.inputs.map { var i = $0; i.rejected = rejected; return i }
        return r
    }

    func testFailuresCountFromTheFailOnLevelUp() {
        let clean = report()
        XCTAssertEqual(ExitPolicy(failOn: .error, missingFails: true, dataErrorsFail: true).code(for: clean), 0)
        let warning = report(warning: 2)
        XCTAssertEqual(ExitPolicy(failOn: .error, missingFails: false, dataErrorsFail: false).code(for: warning), 0, "a warning is below --fail-on error")
        XCTAssertEqual(ExitPolicy(failOn: .warning, missingFails: false, dataErrorsFail: false).code(for: warning), 1)
        XCTAssertEqual(ExitPolicy(failOn: .info, missingFails: false, dataErrorsFail: false).code(for: report(info: 1)), 1)
        XCTAssertEqual(ExitPolicy(failOn: .warning, missingFails: false, dataErrorsFail: false).code(for: report(info: 1)), 0)
        XCTAssertEqual(ExitPolicy(failOn: nil, missingFails: false, dataErrorsFail: false).code(for: report(error: 5)), 0, "--fail-on never")
        XCTAssertEqual(ExitPolicy(failOn: .error, missingFails: false, dataErrorsFail: false).code(for: report(error: 1)), 1)
    }

    func testUnknownResultsAndDataProblemsCountUnlessToldOtherwise() {
        for (r, what) in [(report(missing: 1), "missing"), (report(undefined: 1), "undefined")] {
            XCTAssertEqual(ExitPolicy(failOn: nil, missingFails: true, dataErrorsFail: false).code(for: r), 1, what)
            XCTAssertEqual(ExitPolicy(failOn: nil, missingFails: false, dataErrorsFail: false).code(for: r), 0, what)
        }
        for (r, what) in [(report(dataErrors: true), "a bad cell"), (report(rejected: 1), "a rejected record")] {
            XCTAssertEqual(ExitPolicy(failOn: nil, missingFails: false, dataErrorsFail: true).code(for: r), 1, what)
            XCTAssertEqual(ExitPolicy(failOn: nil, missingFails: false, dataErrorsFail: false).code(for: r), 0, what)
        }
    }
}
