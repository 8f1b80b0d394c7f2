import Foundation
import XCTest
@testable import DabiaoCore

/// Reports of the real engine on the built-in Gansu samples at the audit date
/// the README and CI use, for the golden and structural renderer tests.
/// Each is computed once per test process: the full run takes a few seconds.
enum SampleReports {
    static let asOfText = "2024-10-31"
    static var asOf: Int { CivilDate.unchecked(year: 2024, month: 10, day: 31) }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// `dabiao check --as-of 2024-10-31` (every result listed).
    static let full: Result<Report, Failure> = run(showAll: true)
    /// `dabiao check --as-of 2024-10-31 --show failures`.
    static let failures: Result<Report, Failure> = run(showAll: false)

    /// The rule files of the golden slice. The whole sample report is several
    /// megabytes in every format, too big to review as a golden file, so the
    /// goldens use the same samples with the rulebooks of two documents: the
    /// enterprise and region duties of 甘政发〔2020〕38号 and the funding rules
    /// of 财教〔2014〕352号. Between them they give error, warning and missing
    /// results, fixes with and without a remedy, a baseline (`prev`) rule, the
    /// rectification list, and the sample's data errors and notes. The same
    /// bytes come from the command line (built-in rule files are read in
    /// name order): `dabiao check --rules rules/caijiao_2014_352.rules
    /// --rules rules/entities.rules --rules rules/ganzhengfa_2020_38.rules
    /// --rules rules/units.rules --as-of 2024-10-31 --show failures --format …`.
    static let sliceRules = ["rules/entities.rules", "rules/units.rules", "rules/ganzhengfa_2020_38.rules",
                             "rules/caijiao_2014_352.rules"]

    /// The golden slice as `--show failures` would list it.
    static let slice: Result<Report, Failure> = run(showAll: false, only: sliceRules)

    static func run(showAll: Bool, only: [String]? = nil) -> Result<Report, Failure> {
        do {
            var files = try Pipeline.ruleSources([])
            if let only {
                files = files.filter { only.contains($0.path) }
                guard files.count == only.count else {
                    return .failure(Failure(description: "built-in rules lack some of \(only); found \(files.map(\.path))"))
                }
            }
            let (program, diags) = compileProject(files)
            guard let program else {
                return .failure(Failure(description: "the built-in rules do not compile: \(diags.map { $0.message(.en) })"))
            }
            let (data, baseline) = try Pipeline.loadDatasets(program, Pipeline.DataRequest())
            var report = Engine(program: program, data: data, baseline: baseline)
                .run(RunOptions(asOf: asOf, showAll: showAll, workers: 1))
            report.rulesFiles = Pipeline.rulesFiles(files)
            return .success(report)
        } catch {
            return .failure(Failure(description: "\(error)"))
        }
    }

    /// Runs the whole pipeline on a data folder, as `dabiao check DIR --baseline BASE` would.
    static func check(data: String, baseline: String?, asOf: Int, showAll: Bool = true) throws -> Report {
        var request = Pipeline.DataRequest()
        request.paths = [data]
        if let baseline { request.baseline = [baseline] }
        return try Pipeline.check(rules: [], data: request, options: RunOptions(asOf: asOf, showAll: showAll, workers: 1))
    }
}

/// Byte-exact comparison with the files in Tests/DabiaoCoreTests/Fixtures/golden.
///
/// To accept a change of output, regenerate them and review the diff:
///
///     DABIAO_UPDATE_GOLDEN=1 swift test --filter GoldenReportTests
///
/// A mismatch writes the actual output beside the temporary directory named in
/// the failure message, so `diff` shows the whole change.
enum Golden {
    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent("golden")
    }

    static var updating: Bool { ProcessInfo.processInfo.environment["DABIAO_UPDATE_GOLDEN"] == "1" }

    static func check(_ name: String, _ actual: String, file: StaticString = #filePath, line: UInt = #line) {
        let url = directory.appendingPathComponent(name)
        let bytes = Data(actual.utf8)
        if updating {
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try bytes.write(to: url)
            } catch {
                XCTFail("cannot write golden \(url.path): \(error)", file: file, line: line)
            }
            return
        }
        guard let expected = FileManager.default.contents(atPath: url.path) else {
            XCTFail("no golden file \(url.path); create it with DABIAO_UPDATE_GOLDEN=1 swift test --filter GoldenReportTests",
                    file: file, line: line)
            return
        }
        guard expected != bytes else { return }
        let out = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("dabiao-golden-actual")
        try? FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let actualURL = out.appendingPathComponent(name)
        try? bytes.write(to: actualURL)
        let a = String(decoding: expected, as: UTF8.self).components(separatedBy: "\n")
        let b = actual.components(separatedBy: "\n")
        var first = 0
        while first < a.count, first < b.count, a[first] == b[first] { first += 1 }
        let want = first < a.count ? a[first] : "(end of file)"
        let got = first < b.count ? b[first] : "(end of file)"
        XCTFail("""
            \(name) differs from its golden file at line \(first + 1):
              golden: \(want.prefix(300))
              actual: \(got.prefix(300))
            diff \(url.path) \(actualURL.path)
            If the change is intended: DABIAO_UPDATE_GOLDEN=1 swift test --filter GoldenReportTests
            """, file: file, line: line)
    }
}
