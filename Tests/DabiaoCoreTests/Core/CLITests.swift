import XCTest
@testable import DabiaoCore

/// Exit codes of the `dabiao` executable (cli.md), run as a child process.
final class CLITests: XCTestCase {
    /// The executable built next to the test bundle (`<scratch>/debug/dabiao`).
    static func executable() -> URL? {
        var candidates: [URL] = []
        let bundle = Bundle(for: CLITests.self).bundleURL
        candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("dabiao"))
        candidates.append(bundle.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("dabiao"))
        if let arg0 = CommandLine.arguments.first {
            let u = URL(fileURLWithPath: arg0)
            candidates.append(u.deletingLastPathComponent().appendingPathComponent("dabiao"))
            // macOS: …/debug/X.xctest/Contents/MacOS/X
            candidates.append(u.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("dabiao"))
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// `shellPrefix` runs the program under `/bin/sh -c "PREFIX; exec dabiao ARGS"`,
    /// for limits such as `ulimit -f`.
    func run(_ args: [String], cwd: URL? = nil, shellPrefix: String? = nil) throws -> Run {
        try Self.launch(args, cwd: cwd, shellPrefix: shellPrefix)
    }

    /// Runs `exe` (default: the dabiao executable) and collects its output; other test classes use it too.
    static func launch(_ args: [String], executable: URL? = nil, cwd: URL? = nil, shellPrefix: String? = nil) throws -> Run {
        guard let exe = executable ?? Self.executable() else {
            throw XCTSkip("the dabiao executable was not found next to the test bundle; build it with swift build --build-tests")
        }
        let p = Process()
        if let shellPrefix {
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", shellPrefix + "; exec \"$0\" \"$@\"", exe.path] + args
        } else {
            p.executableURL = exe
            p.arguments = args
        }
        if let cwd { p.currentDirectoryURL = cwd }
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        p.environment = env
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Read before waiting so a full pipe cannot block the child.
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("dabiao-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let rules = Core.schoolRules("""
          rule ZZ-01 "生师比不高于20:1" {
            when students > 0 and teachers > 0
            measure 生师比 = students / teachers
            require 生师比 <= 20
            adjust teachers up "补充专任教师"
          }
        """)
        try write("basic.rules", rules)
        try write("broken.rules", Core.schoolRules("""
          rule ZZ-01 "x" {
            require studnets <= 20
          }
        """))
        try write("clean.csv", Core.schoolHeader + Core.schoolRow("A", students: "1000", teachers: "100"))
        try write("failing.csv", Core.schoolHeader + Core.schoolRow("A", students: "1000", teachers: "100")
                  + Core.schoolRow("B", students: "3000", teachers: "100"))
        try write("missing.csv", Core.schoolHeader + Core.schoolRow("A", students: "约100", teachers: "100"))
    }

    override func tearDownWithError() throws {
        if let dir { try? FileManager.default.removeItem(at: dir) }
    }

    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: dir.appendingPathComponent(name))
    }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func check(_ data: String, _ extra: [String] = [], shellPrefix: String? = nil) throws -> Run {
        try run(["check", "--rules", path("basic.rules"), "--data", "school=\(path(data))", "--as-of", "2024-10-31"] + extra,
                shellPrefix: shellPrefix)
    }

    func testCleanDatasetExitsZero() throws {
        let r = try check("clean.csv", ["--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    func testFailureExitsOne() throws {
        let r = try check("failing.csv", ["--quiet"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(try check("failing.csv", ["--quiet", "--fail-on", "never"]).status, 0)
    }

    func testMissingResultFailsUnlessIgnored() throws {
        let r = try check("missing.csv", ["--quiet"])
        XCTAssertEqual(r.status, 1, "a data error in a row is not exit 2; its missing result fails the run")
        XCTAssertEqual(try check("missing.csv", ["--quiet", "--missing", "ignore"]).status, 1, "the data error itself still fails the run")
        XCTAssertEqual(try check("missing.csv", ["--quiet", "--missing", "ignore", "--data-errors", "ignore"]).status, 0)
    }

    func testDataErrorsAndRejectedRecordsFailTheRun() throws {
        // Every record but one has a repeated key and is rejected; what is left passes.
        var rows = Core.schoolHeader + Core.schoolRow("A", students: "1000", teachers: "100")
        for _ in 0..<50 { rows += Core.schoolRow("A", students: "1000", teachers: "100") }
        try write("repeated.csv", rows)
        let r = try check("repeated.csv")
        XCTAssertEqual(r.status, 1, "rejected records fail the run: \(r.stderr)")
        XCTAssertTrue(r.stdout.contains("拒收记录 50 条"), "the summary says how many: \(r.stdout)")
        XCTAssertEqual(try check("repeated.csv", ["--quiet", "--data-errors", "ignore"]).status, 0)
        XCTAssertEqual(try check("clean.csv", ["--data-errors", "sometimes"]).status, 64)
    }

    func testOutputIsReplacedOnlyWhenComplete() throws {
        let report = path("report.json")
        try write("report.json", "the previous report\n")
        // 1 KiB is far less than the report: the write fails half way with EFBIG.
        let r = try check("failing.csv", ["--format", "json", "--output", report], shellPrefix: "ulimit -f 2")
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("report.json"), r.stderr)
        XCTAssertTrue(r.stderr.contains(String(cString: strerror(EFBIG))), "the OS reason is named: \(r.stderr)")
        XCTAssertEqual(try String(contentsOfFile: report, encoding: .utf8), "the previous report\n")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains("dabiao-") }
        XCTAssertEqual(leftovers, [], "the temporary file is removed")

        let ok = try check("failing.csv", ["--format", "json", "--output", report])
        XCTAssertEqual(ok.status, 1, ok.stderr)
        XCTAssertEqual(Core.json(try String(contentsOfFile: report, encoding: .utf8))["tool"] as? String, "dabiao")

        let nowhere = try check("failing.csv", ["--output", path("no-such-folder/report.txt")])
        XCTAssertEqual(nowhere.status, 2)
        XCTAssertTrue(nowhere.stderr.contains(String(cString: strerror(ENOENT))), nowhere.stderr)
    }

    /// `--output /dev/null` once replaced the device with a regular file
    /// (the report was renamed over it). A pipe stands in for a device here:
    /// it must still be a pipe afterwards, and its reader gets the report.
    func testOutputThatIsNoRegularFileIsWrittenIntoNotReplaced() throws {
        let fifo = path("report.fifo")
        XCTAssertEqual(mkfifo(fifo, 0o600), 0, String(cString: strerror(errno)))
        let received = ChunkBox()
        let reader = Thread {
            // Opening blocks until dabiao opens its end; reading ends when it closes it.
            let fd = open(fifo, O_RDONLY)
            var all = Data()
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while fd >= 0 {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                all.append(contentsOf: buffer[0..<n])
            }
            if fd >= 0 { close(fd) }
            received.data = all
        }
        reader.start()
        let r = try check("failing.csv", ["--format", "json", "--output", fifo])
        XCTAssertEqual(r.status, 1, r.stderr)
        while received.data == nil { usleep(10_000) }
        var info = stat()
        XCTAssertEqual(lstat(fifo, &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFIFO, "the pipe is still a pipe")
        XCTAssertEqual(Core.json(String(decoding: received.data ?? Data(), as: UTF8.self))["tool"] as? String, "dabiao")

        // A link is followed: the file it names gets the report, the link stays a link.
        try write("real.json", "old\n")
        let link = path("link.json")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real.json")
        XCTAssertEqual(try check("failing.csv", ["--format", "json", "--output", link]).status, 1)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), "real.json")
        XCTAssertEqual(Core.json(try String(contentsOfFile: path("real.json"), encoding: .utf8))["tool"] as? String, "dabiao")
    }

    func testControlCharactersFromDataNeverReachTheTerminal() throws {
        // A quoted cell, so the carriage return stays in the name instead of ending the row.
        let hostile = "\"甲\u{1B}]0;pwned\u{07}\u{1B}[2J\u{9B}31m\r乙\""
        try write("hostile.csv", Core.schoolHeader + "H,\(hostile),兰州市,中职,工科类,3000,100,30000,500\n")
        for command in ["check", "rectify"] {
            let r = try run([command, "--rules", path("basic.rules"), "--data", "school=\(path("hostile.csv"))", "--as-of", "2024-10-31"])
            XCTAssertEqual(r.status, 1, r.stderr)
            XCTAssertFalse(r.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B || $0.value == 0x0D },
                           "\(command): no raw control character")
            XCTAssertTrue(r.stdout.contains("甲\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\x0d乙"), "\(command) shows them escaped: \(r.stdout)")
        }
        let explain = try run(["explain", "ZZ-01", "H", "--rules", path("basic.rules"), "--data", "school=\(path("hostile.csv"))", "--as-of", "2024-10-31"])
        XCTAssertFalse(explain.stdout.unicodeScalars.contains { $0.value == 0x1B }, explain.stdout)
    }

    func testBrokenRuleFileExitsTwoWithLocation() throws {
        let r = try run(["check", "--rules", path("broken.rules"), "--data", "school=\(path("clean.csv"))", "--as-of", "2024-10-31"])
        XCTAssertEqual(r.status, 2)
        let text = try String(contentsOf: dir.appendingPathComponent("broken.rules"), encoding: .utf8)
        let lineIndex = try XCTUnwrap(text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("studnets") })
        let line = text.split(separator: "\n", omittingEmptySubsequences: false)[lineIndex]
        let column = try XCTUnwrap(line.range(of: "studnets")).lowerBound.utf16Offset(in: line) + 1
        XCTAssertTrue(r.stderr.contains("broken.rules:\(lineIndex + 1):\(column):"), r.stderr)
        XCTAssertTrue(r.stderr.contains("students"), "the suggestion is shown: \(r.stderr)")
        let lint = try run(["lint", path("broken.rules")])
        XCTAssertEqual(lint.status, 2)
        XCTAssertTrue(lint.stderr.contains("broken.rules:\(lineIndex + 1):\(column):"), lint.stderr)
    }

    func testUnreadableInputExitsTwo() throws {
        let r = try check("does-not-exist.csv", ["--quiet"])
        XCTAssertEqual(r.status, 2, r.stderr)
    }

    func testUnknownOptionExits64() throws {
        let r = try run(["check", "--frobnicate"])
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.stderr.contains("--frobnicate"), r.stderr)
        XCTAssertEqual(try run(["check", "--as-of", "2024-13-01"]).status, 64)
        XCTAssertEqual(try run(["check", "--format", "pdf"]).status, 64)
        XCTAssertEqual(try run(["frobnicate"]).status, 64)
    }

    func testMistypedNamesGetASuggestionAndFormatsAreCheckedPerCommand() throws {
        let command = try run(["chek"])
        XCTAssertEqual(command.status, 64)
        XCTAssertTrue(command.stderr.contains("你是不是要输入 check？"), command.stderr)
        let option = try run(["check", "--fromat", "json", "--lang", "en"])
        XCTAssertEqual(option.status, 64)
        XCTAssertTrue(option.stderr.contains("did you mean --format?"), option.stderr)
        // Far from every name: no guess.
        XCTAssertFalse(try run(["zzzzzzzz"]).stderr.contains("你是不是"))
        // A format the command does not write is refused before any file is read.
        let diff = try run(["diff", "no-such-old.json", "no-such-new.json", "--format", "html"])
        XCTAssertEqual(diff.status, 64)
        XCTAssertTrue(diff.stderr.contains("text json md"), diff.stderr)
        XCTAssertEqual(try run(["lint", "--format", "csv"]).status, 64, "lint writes text and json only")
        XCTAssertEqual(try run(["rectify", "--format", "junit"]).status, 64)
    }

    func testVersionNamesTheBuiltInRulebooksWithTheirChecksums() throws {
        let v = try run(["--version"])
        XCTAssertEqual(v.status, 0)
        let lines = v.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "dabiao \(dabiaoVersion)")
        let expected = BuiltinFiles.ruleFiles.map { "\(SHA256.hex($0.bytes))  \($0.path)" }
        XCTAssertEqual(Array(lines.dropFirst(2)), expected)
        XCTAssertGreaterThan(expected.count, 10)
    }

    func testHelpPerCommand() throws {
        let a = try run(["help", "rectify"])
        let b = try run(["rectify", "--help"])
        XCTAssertEqual(a.status, 0)
        XCTAssertEqual(a.stdout, b.stdout)
        XCTAssertTrue(a.stdout.hasPrefix("用法：dabiao rectify"), a.stdout)
        XCTAssertTrue(a.stdout.contains("示例："), a.stdout)
        XCTAssertTrue(a.stdout.contains("text|json|csv|md"), a.stdout)
        let en = try run(["check", "--help", "--lang", "en"])
        XCTAssertTrue(en.stdout.hasPrefix("usage: dabiao check"), en.stdout)
        XCTAssertTrue(en.stdout.contains("examples:"), en.stdout)
        let unknown = try run(["help", "chek"])
        XCTAssertEqual(unknown.status, 64)
        XCTAssertTrue(unknown.stderr.contains("check"), unknown.stderr)
        XCTAssertTrue(try run(["--help"]).stdout.contains("export-rules"))
    }

    func testJSONOutputParsesAndMatchesTheLibrary() throws {
        let r = try check("failing.csv", ["--format", "json"])
        XCTAssertEqual(r.status, 1)
        let top = Core.json(r.stdout)
        XCTAssertEqual(top["tool"] as? String, "dabiao")
        XCTAssertEqual(top["asOf"] as? String, "2024-10-31")
        let files = try XCTUnwrap(top["rulesFiles"] as? [[String: Any]])
        XCTAssertEqual(files.count, 1, "the rules file is listed with its checksum")
        XCTAssertEqual((files.first?["sha256"] as? String)?.count, 64)
        let summary = try XCTUnwrap(top["summary"] as? [String: Any])
        XCTAssertEqual(summary["results"] as? Int, 2)
        XCTAssertEqual(summary["fail"] as? Int, 1)
        let again = try check("failing.csv", ["--format", "json"])
        XCTAssertEqual(again.stdout, r.stdout, "two runs give byte-identical JSON")
    }

    func testTestCommandExitCodes() throws {
        let passing = try String(contentsOf: dir.appendingPathComponent("basic.rules"), encoding: .utf8) + """
        test "ok" {
          given school { code "T1" name "x" city "x" level "中职" category "x" students 3000 teachers 100
                         building_area 1 equipment_value 1 }
          expect ZZ-01 fail error
        }
        """
        try write("passing-test.rules", passing)
        XCTAssertEqual(try run(["test", path("passing-test.rules")]).status, 0)
        try write("failing-test.rules", passing.replacingOccurrences(of: "expect ZZ-01 fail error", with: "expect ZZ-01 pass"))
        let failing = try run(["test", path("failing-test.rules")])
        XCTAssertEqual(failing.status, 1)
        XCTAssertTrue(failing.stderr.contains("failing-test.rules:"), failing.stderr)
    }
}

/// What a reader thread received, read by the test once it is set.
private final class ChunkBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Data?
    var data: Data? {
        get { lock.lock(); defer { lock.unlock() }; return value }
        set { lock.lock(); value = newValue; lock.unlock() }
    }
}
