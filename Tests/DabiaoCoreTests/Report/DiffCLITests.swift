import XCTest
@testable import DabiaoCore

/// `dabiao diff` as a pipeline runs it: formats, `--show all`, exit codes.
final class DiffCLITests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("dabiao-diffcli-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        // The fixture and the same half a year later (DiffTests): one newly
        // failing, one fixed, two still failing.
        let later = DiffTests.laterResults()
        try Data(JSONReport.render(ReportFixtures.report(), lang: .zh).utf8).write(to: dir.appendingPathComponent("old.json"))
        try Data(JSONReport.render(ReportFixtures.report(results: later), lang: .zh).utf8).write(to: dir.appendingPathComponent("new.json"))
    }

    override func tearDownWithError() throws {
        if let dir { try? FileManager.default.removeItem(at: dir) }
    }

    func run(_ extra: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        guard let exe = CLITests.executable() else {
            throw XCTSkip("the dabiao executable was not found next to the test bundle; build it with swift build --build-tests")
        }
        let p = Process()
        p.executableURL = exe
        p.arguments = ["diff", dir.appendingPathComponent("old.json").path, dir.appendingPathComponent("new.json").path] + extra
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    func testFormatsShowAndExitCodes() throws {
        let text = try run([])
        XCTAssertEqual(text.status, 1, "something newly fails: \(text.stderr)")
        XCTAssertTrue(text.stdout.contains("\n仍不达标（1，按规则计数；--show all 逐条列出）\n  ZZ-03 实训设备值  1\n"), text.stdout)
        let all = try run(["--show", "all"])
        XCTAssertTrue(all.stdout.contains("\n仍不达标（1）\n  ZZ-03 school 6262000001 "), all.stdout)
        let md = try run(["--format", "md", "--lang", "en"])
        XCTAssertEqual(md.status, 1)
        XCTAssertTrue(md.stdout.hasPrefix("# Report comparison\n"), md.stdout)
        XCTAssertTrue(md.stdout.contains("| rule | still failing |"), md.stdout)
        let json = try run(["--format", "json"])
        XCTAssertEqual(json.status, 1)
        let top = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((top["stillFailing"] as? [Any])?.count, 1, "JSON lists every result")
        XCTAssertNotNil(top["newRecords"] as? [Any])
        for bad in ["html", "csv", "xyz"] {
            let r = try run(["--format", bad])
            XCTAssertEqual(r.status, 64, bad)
            XCTAssertTrue(r.stdout.isEmpty, bad)
        }
    }
}
