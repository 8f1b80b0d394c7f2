import XCTest
@testable import DabiaoCore

/// Inputs the engine fuzz target (fuzz/targets/engine.swift) found, each
/// reduced to the rule and record that showed it.
final class EngineFuzzRegressionTests: XCTestCase {
    static let schema = """
    unit 人 = 1
    entity school "学校" {
      key code      : text      "学校标识码"
      students      : integer 人 "全日制在校生数"
    }

    """

    func run(_ rules: String, _ csv: String) throws -> Report {
        let (program, diags) = compileProject([SourceFile(path: "f.rules", text: Self.schema + rules)])
        let p = try XCTUnwrap(program, "\(diags)")
        var loader = DataLoader(program: p)
        try loader.load(bytes: Array(csv.utf8), spec: InputSpec(entity: 0, path: "school.csv"))
        return Engine(program: p, data: loader.dataset).run(RunOptions(asOf: 20_000, showAll: true, workers: 1))
    }

    /// crash-94af…: a fix of +1 from 33465311433823 was shown as …824.004,
    /// a value an integer column refuses, because rounding to six decimals
    /// multiplied past 2⁵³.
    func testLargeFixIsShownAsTheNumberThatWasVerified() throws {
        let rules = """
        ruleset f "f" {
          for school
          rule F-04 "取整" {
            require round(students / 7, 0) * 7 >= students + 33468
            adjust students up
          }
        }
        """
        let report = try run(rules, "学校标识码,全日制在校生数\nS2,33465311433823\n")
        let fix = try XCTUnwrap(report.results.first?.fixes.first)
        XCTAssertEqual(fix.to, 33465311433824)
        XCTAssertEqual(fix.delta, 1)
        XCTAssertEqual(roundForReport(33465311433824), 33465311433824)
        XCTAssertEqual(roundForReport(2.0000004999), 2.0, "small values still lose their noise")
        // The value as a report writes it reads back into the integer column and passes.
        let after = try run(rules, "学校标识码,全日制在校生数\nS2,\(jsonNumberText(try XCTUnwrap(fix.to)))\n")
        XCTAssertEqual(after.results.first?.outcome, .pass)
    }

    /// crash-c275…: students of 3.09e59 adjusted down by 10 trapped in the
    /// solver's Double → Int step count.
    func testHugeCountAdjustedDownInStepsOfTen() throws {
        let rules = """
        ruleset f "f" {
          for school
          rule F-03 "规模" {
            require students <= 73
            adjust students down by 10 人
          }
        }
        """
        let report = try run(rules, "学校标识码,全日制在校生数\nS2,3.0932430461963473e+59\n")
        let result = try XCTUnwrap(report.results.first)
        XCTAssertEqual(result.outcome, .fail)
        let fix = try XCTUnwrap(result.fixes.first)
        // Steps of 10 from 3.09e59 are below the spacing of Doubles there: no exact answer exists, and none is invented.
        XCTAssertNil(fix.to)
        XCTAssertEqual(fix.reason?.zh.contains("超出数值精度"), true, "\(String(describing: fix.reason))")
    }
}
