import Foundation
import XCTest
@testable import DabiaoCore

/// `dabiao export` and `dabiao sql --schema` (docs/sql.md): the exported
/// files load back into the engine with the same results, and into DuckDB
/// under the generated schema.
final class ExportTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("dabiao-export-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        if let dir { try? FileManager.default.removeItem(at: dir) }
    }

    static let asOf = CivilDate.days(year: 2024, month: 10, day: 31) ?? 0

    func builtinProgram() throws -> Program {
        let (program, diags) = compileProject(try Pipeline.ruleSources([]))
        guard let program else { throw XCTSkip("the built-in rulebooks do not compile: \(diags.count) diagnostics") }
        return program
    }

    /// The samples as `check` reads them, exported into `dir`.
    func exportSamples(_ program: Program, lang: Lang = .zh) throws -> (data: Dataset, baseline: Dataset?, files: [DataExport.File]) {
        let (data, baseline) = try Pipeline.loadDatasets(program, Pipeline.DataRequest())
        let files = DataExport.files(program: program, data: data, baseline: baseline, lang: lang)
        _ = try DataExport.write(files, to: dir.path)
        return (data, baseline, files)
    }

    /// The exported folder read back the way `check DIR` reads it; the
    /// `prev_` files, which name no entity, go in as the baseline.
    func loadExport(_ program: Program) throws -> (Dataset, Dataset?) {
        var request = Pipeline.DataRequest()
        request.paths = [dir.path]
        let (data, _) = try Pipeline.loadDatasets(program, request)
        var specs: [InputSpec] = []
        for (e, entity) in program.entities.enumerated() {
            let path = dir.appendingPathComponent("prev_" + entity.name + ".csv").path
            if FileManager.default.fileExists(atPath: path) { specs.append(InputSpec(entity: e, path: path)) }
        }
        let baseline = specs.isEmpty ? nil : try Pipeline.loadConcurrently(program, specs, encoding: nil, delimiter: nil)
        return (data, baseline)
    }

    func run(_ program: Program, _ data: Dataset, _ baseline: Dataset?) -> Report {
        Engine(program: program, data: data, baseline: baseline).run(RunOptions(asOf: Self.asOf, showAll: true, workers: 1))
    }

    // MARK: the samples round trip

    func testExportOfTheSamplesChecksToTheSameResults() throws {
        let program = try builtinProgram()
        let (data, baseline, files) = try exportSamples(program)
        let original = run(program, data, baseline)
        let (data2, baseline2) = try loadExport(program)
        let again = run(program, data2, baseline2)

        // The samples hold one bad cell and one duplicate key: the only data
        // problems, and the only difference the export may make.
        XCTAssertEqual(original.dataErrors.count, 2, "\(original.dataErrors)")
        XCTAssertEqual(original.dataErrors.filter(\.rejectsRecord).count, 1)
        XCTAssertEqual(again.dataErrors, [], "the export itself must load without a data problem")
        XCTAssertEqual(again.inputs.reduce(0) { $0 + $1.rejected }, 0)
        XCTAssertNotNil(baseline2, "the baseline of the samples is exported as prev_ files")
        for e in program.entities where original.inputs.contains(where: { $0.entity == e.name }) {
            let read = original.inputs.filter { $0.entity == e.name }
            let kept = read.reduce(0) { $0 + $1.records - $1.rejected }
            XCTAssertEqual(again.inputs.filter { $0.entity == e.name }.reduce(0) { $0 + $1.records }, kept, e.name)
            XCTAssertEqual(files.first { $0.name == e.name + ".csv" }?.records, kept, e.name)
        }

        XCTAssertGreaterThan(original.results.count, 1000)
        XCTAssertEqual(original.results.count, again.results.count)
        for (a, b) in zip(original.results, again.results) {
            let id = "\(a.rule)/\(a.key)"
            XCTAssertEqual(a.ruleset, b.ruleset, id)
            XCTAssertEqual(a.rule, b.rule, id)
            XCTAssertEqual(a.entity, b.entity, id)
            XCTAssertEqual(a.key, b.key, id)
            XCTAssertEqual(a.outcome, b.outcome, id)
            XCTAssertEqual(a.level, b.level, id)
            // Exact, not within a tolerance: the numbers read back to the same bits.
            XCTAssertEqual(a.measures, b.measures, id)
            XCTAssertEqual(a.missingFields, b.missingFields, id)
            XCTAssertEqual(a.failedRequires, b.failedRequires, id)
            XCTAssertEqual(a.undefinedReason, b.undefinedReason, id)
            XCTAssertEqual(a.fixes, b.fixes, id)
        }
        XCTAssertEqual(original.summary, again.summary)
        // Not a vacuous comparison: the samples fail and miss data.
        XCTAssertGreaterThan(original.summary.fail, 0)
        XCTAssertGreaterThan(original.summary.missing, 0)
    }

    func testRejectedRecordsAreListedAndNotExported() throws {
        let program = try builtinProgram()
        let (data, _, _) = try exportSamples(program)
        guard let rejected = data.errors.first(where: \.rejectsRecord), let key = rejected.value else {
            return XCTFail("the samples have a rejected record")
        }
        let school = try String(contentsOf: dir.appendingPathComponent("school.csv"), encoding: .utf8)
        // The duplicate's first record stays, the second is gone.
        XCTAssertEqual(school.split(separator: "\n").filter { $0.hasPrefix(key + ",") }.count, 1)
        let errors = try String(contentsOf: dir.appendingPathComponent("data-errors.csv"), encoding: .utf8)
        let lines = errors.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.first, "file,line,column,value,reason")
        XCTAssertEqual(lines.count, data.errors.count + 2, "header, one line per error, final LF")
        let rejectedLine = lines.first { $0.contains(",\(key),") }
        XCTAssertNotNil(rejectedLine)
        XCTAssertTrue(rejectedLine?.hasSuffix("该记录未导出") ?? false, "\(rejectedLine ?? "")")
        XCTAssertTrue(rejectedLine?.hasPrefix("\(rejected.path),\(rejected.line ?? -1),") ?? false)
        // The bad cell is not a rejection and says nothing about the record.
        XCTAssertEqual(lines.filter { $0.contains("未导出") }.count, 1)

        let english = DataExport.errorsCSV(data.errors, lang: .en)
        XCTAssertTrue(String(decoding: english, as: UTF8.self).contains("; the record is not in the export\n"))
    }

    func testNumbersAreInTheDeclaredUnit() throws {
        let program = try builtinProgram()
        let (data, _, _) = try exportSamples(program)
        let e = try XCTUnwrap(program.entityIndex("school"))
        let fi = try XCTUnwrap(program.entities[e].fieldIndex("equipment_value"))
        XCTAssertEqual(program.entities[e].fields[fi].unit.symbol, "万元")
        XCTAssertEqual(program.entities[e].fields[fi].unit.scale, 10000)
        let rows = try csvRows(dir.appendingPathComponent("school.csv"))
        let column = try XCTUnwrap(rows.first?.firstIndex(of: "equipment_value"))
        let table = data.tables[e]
        XCTAssertEqual(rows.count - 1, table.count)
        var checked = 0
        for r in 0..<table.count {
            let cell = rows[r + 1][column]
            let base = table.columns[fi].all[r]
            if base.isNaN {
                XCTAssertEqual(cell, "", "missing is an empty cell")
                continue
            }
            let value = try XCTUnwrap(Double(cell), cell)
            XCTAssertEqual(value * 10000, base, "row \(r): \(cell) 万元 must read back as the engine's \(base) 元")
            XCTAssertLessThan(abs(value), abs(base), "万元, not 元")
            checked += 1
        }
        XCTAssertGreaterThan(checked, 100)
        // The sample's cell as its provider typed it: 教学仪器设备总值（万元） = 1169.69 for the first school.
        let source = String(decoding: BuiltinFiles.all.first { $0.path == "samples/gansu-2024/school.csv" }?.bytes ?? [], as: UTF8.self)
        let sourceRows = source.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let sourceColumn = try XCTUnwrap(sourceRows.first?.firstIndex(of: "教学仪器设备总值（万元）"))
        XCTAssertEqual(rows[1][column], sourceRows[1][sourceColumn])
    }

    /// A small project with every kind of field, a header in another unit,
    /// a bad cell, a duplicate key and text that needs quoting: the exact bytes.
    func testEveryKindOfValueIsWrittenCleanly() throws {
        let rules = """
        unit 元
        unit 万元 = 10000 元
        entity school "学校" {
          key code : text "学校标识码"
          funding : number 万元 "经费"
          opened : date "建校日期"
          public : bool "公办"
          optional note : text "备注"
          students : integer "在校生数"
        }
        ruleset t "t" {
          for school
          rule T-1 "t" {
            require students > 0
          }
        }
        """
        let program = try Core.program(rules)
        let csv = "\u{FEFF}学校标识码,经费（元）,建校日期,公办,备注,在校生数\r\n"
            + "A1,\"1,234,500\",2001-09-01,是,\"含,逗号与\"\"引号\"\"\",120\r\n"
            + "A2,,2001-09-01,否,,\r\n"
            + "A3,约100,2001-09-01,0,,—\r\n"
            + "A1,5,2001-09-01,是,,1\r\n"
            + "A4,0.5,2001/9/1,Y,  前后空格  ,3\r\n"
            + "A5,-7,2001-09-01,false,\"两\n行\",4\r\n"
        let data = try Core.load(program, csv)
        let files = DataExport.files(program: program, data: data, baseline: nil, lang: .en)
        XCTAssertEqual(files.map(\.name), ["school.csv", "data-errors.csv"])
        let school = String(decoding: files[0].bytes, as: UTF8.self)
        XCTAssertEqual(school, #"""
        code,funding,opened,public,note,students
        A1,123.45,2001-09-01,true,"含,逗号与""引号""",120
        A2,,2001-09-01,false,,
        A3,,2001-09-01,false,,
        A4,0.00005,2001-09-01,true,前后空格,3
        A5,-0.0007,2001-09-01,false,"两
        行",4

        """#)
        XCTAssertEqual(files[0].bytes.first, UInt8(ascii: "c"), "no BOM")
        XCTAssertFalse(files[0].bytes.contains(0x0D), "LF line ends")
        let errors = String(decoding: files[1].bytes, as: UTF8.self)
        XCTAssertEqual(errors.split(separator: "\n").count, 3, errors)
        XCTAssertTrue(errors.contains("school.csv,4,经费,约100,"), errors)
        XCTAssertTrue(errors.contains("school.csv,5,学校标识码,A1,"), errors)
        XCTAssertTrue(errors.hasSuffix("; the record is not in the export\n"), errors)
    }

    func testNumberText() {
        // 123.45 万元 is stored with binary noise in 元; the export finds the clean spelling that reads back exactly.
        let base = 123.45 * 10000
        XCTAssertEqual(DataExport.number(base: base, scale: 10000), "123.45")
        XCTAssertEqual(DataExport.number(base: 0.1 + 0.2, scale: 1), "0.30000000000000004")
        XCTAssertEqual(DataExport.number(base: 1_000_000_000_000, scale: 1), "1000000000000")
        XCTAssertEqual(DataExport.number(base: 1e20, scale: 1), "100000000000000000000")
        XCTAssertEqual(DataExport.number(base: 1e21, scale: 1), "1e+21")
        XCTAssertEqual(DataExport.number(base: -2.5e-8, scale: 1), "-2.5e-8")
        XCTAssertEqual(DataExport.number(base: 0.0000001, scale: 1), "0.0000001")
        XCTAssertEqual(DataExport.number(base: -0.0, scale: 1), "0")
        XCTAssertEqual(DataExport.number(base: 45, scale: 100), "0.45")
        XCTAssertNil(DataExport.number(base: .infinity, scale: 1))
        XCTAssertEqual(DataExport.number(base: .greatestFiniteMagnitude, scale: 1), "1.7976931348623157e+308")

        // Whatever a decimal cell held, the exported text loads back to the same base value.
        var rng = SeededRNG(seed: 16)
        for _ in 0..<5000 {
            let scale: Double = rng.pick([1.0, 10000, 0.01, 1000, 3600, 0.0001]) ?? 1
            let digits = rng.int(0...6)
            let mantissa = rng.int(-99_999_999...99_999_999)
            let text = digits == 0 ? "\(mantissa)" : String(format: "%.\(digits)f", Double(mantissa) / pow(10, Double(digits)))
            guard let v = Double(text) else { continue }
            let stored = v * scale
            guard let out = DataExport.number(base: stored, scale: scale) else { return XCTFail(text) }
            XCTAssertTrue(DataExport.readsBack(out, scale: scale, as: stored), "\(text) × \(scale) exported as \(out)")
            XCTAssertFalse(out.contains("e"), "\(text) × \(scale) exported as \(out)")
            XCTAssertLessThanOrEqual(out.count, text.count + 1, "\(text) × \(scale) exported as \(out)")
        }
    }

    func testExportIsDeterministicAndNeverOverwrites() throws {
        let program = try builtinProgram()
        let (data, baseline, files) = try exportSamples(program)
        let again = DataExport.files(program: program, data: data, baseline: baseline, lang: .zh)
        XCTAssertEqual(files, again)
        // A second run reads the samples afresh (entities on their own threads): same bytes.
        let (data3, baseline3) = try Pipeline.loadDatasets(program, Pipeline.DataRequest())
        XCTAssertEqual(DataExport.files(program: program, data: data3, baseline: baseline3, lang: .zh), files)
        XCTAssertEqual(files.map(\.name), ["school.csv", "teacher.csv", "enterprise.csv", "internship.csv", "region.csv", "region_stats.csv",
                                           "prev_region.csv", "data-errors.csv"].filter { n in files.contains { $0.name == n } })
        XCTAssertTrue(files.contains { $0.name == "prev_region.csv" })

        let path = dir.appendingPathComponent("school.csv")
        try Data("mine\n".utf8).write(to: path)
        XCTAssertThrowsError(try DataExport.write(files, to: dir.path)) { error in
            XCTAssertTrue(error is InputFailure, "\(error)")
        }
        XCTAssertEqual(try String(contentsOf: path, encoding: .utf8), "mine\n", "the file is left as it was")

        // One existing file stops the whole export: no half set is written.
        let other = dir.appendingPathComponent("fresh")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        try Data().write(to: other.appendingPathComponent(DataExport.errorsFile))
        XCTAssertThrowsError(try DataExport.write(files, to: other.path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: other.appendingPathComponent("school.csv").path))
    }

    // MARK: schema

    func testSchemaHasEveryEntityFieldTypeAndKey() throws {
        let program = try builtinProgram()
        for dialect in SQLDialect.allCases {
            let sql = SQLSchema.render(program, dialect: dialect)
            // The SQL itself, comments cut off (they explain these two decisions).
            let code = sql.split(separator: "\n").map { $0.components(separatedBy: "--")[0] }.joined(separator: "\n")
            XCTAssertFalse(code.contains("NOT NULL"), "blank cells are missing values, which the rules judge")
            XCTAssertFalse(code.contains("FOREIGN KEY") || code.contains("REFERENCES"))
            XCTAssertEqual(code.components(separatedBy: "CREATE TABLE").count - 1, 2 * program.entities.count)
            let lines = sql.split(separator: "\n").map(String.init)
            for entity in program.entities {
                for name in [entity.name, "prev_" + entity.name] {
                    let header = "CREATE TABLE \(dialect.quote(name)) ("
                    guard let start = lines.firstIndex(of: header) else {
                        XCTFail("\(dialect): no table \(name)")
                        continue
                    }
                    let body = lines[(start + 1)...].prefix { $0 != ");" }
                    XCTAssertEqual(body.count, entity.fields.count, "\(dialect) \(name)")
                    for (line, field) in zip(body, entity.fields) {
                        let expected: String
                        switch (dialect, field.kind) {
                        case (.spark, .text), (.spark, .ref): expected = "STRING"
                        case (_, .text), (_, .ref): expected = "TEXT"
                        case (.postgres, .number): expected = "DOUBLE PRECISION"
                        case (_, .number): expected = "DOUBLE"
                        case (_, .bool): expected = "BOOLEAN"
                        case (_, .date): expected = "DATE"
                        }
                        XCTAssertTrue(line.hasPrefix("  \(dialect.quote(field.name)) \(expected)"), "\(dialect) \(name): \(line)")
                        let keyed = dialect == .spark ? line.contains("-- ") && line.contains("key (") : line.contains(" PRIMARY KEY")
                        XCTAssertEqual(keyed, field.isKey, "\(dialect) \(name): \(line)")
                        if dialect == .spark { XCTAssertFalse(line.contains("PRIMARY KEY")) }
                    }
                }
            }
        }
        XCTAssertEqual(SQLDialect.duckdb.quote("a\"b"), "\"a\"\"b\"")
        XCTAssertEqual(SQLDialect.spark.quote("a`b"), "`a``b`")
    }

    func testALineBreakInALabelCannotEndTheComment() throws {
        var program = try Core.program("""
        entity school "学校" {
          key code : text "标识"
        }
        """)
        program.entities[0].label = "学校\nDROP TABLE x; --"
        program.entities[0].fields[0].label = "标识\r\nDROP TABLE y;\u{2028}DROP TABLE z;"
        for dialect in SQLDialect.allCases {
            let sql = SQLSchema.render(program, dialect: dialect)
            XCTAssertEqual(sql.components(separatedBy: "DROP TABLE").count - 1, 6, "three in each of two tables")
            for line in sql.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\u{2028}" }) {
                guard let drop = line.range(of: "DROP TABLE") else { continue }
                XCTAssertNotNil(line[..<drop.lowerBound].range(of: "--"), "\(dialect): DROP TABLE must stay inside a comment: \(line)")
            }
        }
    }

    // MARK: DuckDB

    func testDuckDBLoadsTheExportUnderTheSchema() throws {
        let probe = try python(["-c", "import duckdb"])
        if probe.status != 0 {
            throw XCTSkip("python3 with duckdb is not available (python3 -m pip install duckdb): \(probe.stderr.suffix(200))")
        }
        let program = try builtinProgram()
        let (_, _, files) = try exportSamples(program)
        let schema = dir.appendingPathComponent("schema.sql")
        try Data(SQLSchema.render(program, dialect: .duckdb).utf8).write(to: schema)
        let tables = files.filter { $0.records != nil }
        let script = """
        import duckdb, sys, json
        con = duckdb.connect()
        con.execute(open(sys.argv[1], encoding="utf-8").read())
        counts = {}
        for name in sys.argv[3:]:
            path = sys.argv[2] + "/" + name + ".csv"
            con.execute('COPY "%s" FROM \\'%s\\' (HEADER)' % (name, path))
            counts[name] = con.execute('SELECT count(*) FROM "%s"' % name).fetchone()[0]
        counts["_equipment"] = con.execute('SELECT sum(equipment_value) FROM school').fetchone()[0]
        counts["_missing_teachers"] = con.execute('SELECT count(*) FROM school WHERE teachers IS NULL').fetchone()[0]
        counts["_empty"] = con.execute("SELECT count(*) FROM prev_school").fetchone()[0]
        print(json.dumps(counts))
        """
        let names = tables.map { String($0.name.dropLast(4)) }
        let r = try python(["-c", script, schema.path, dir.path] + names)
        XCTAssertEqual(r.status, 0, r.stderr)
        let counts = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout)
        for t in tables {
            XCTAssertEqual((counts[String(t.name.dropLast(4))] as? NSNumber)?.intValue, t.records, t.name)
        }
        // The same sum the engine's columns give, in 万元.
        let (data, _) = try Pipeline.loadDatasets(program, Pipeline.DataRequest())
        let e = try XCTUnwrap(program.entityIndex("school"))
        let fi = try XCTUnwrap(program.entities[e].fieldIndex("equipment_value"))
        let expected = data.tables[e].columns[fi].all.filter { !$0.isNaN }.reduce(0, +) / 10000
        let sum = try XCTUnwrap((counts["_equipment"] as? NSNumber)?.doubleValue)
        XCTAssertEqual(sum, expected, accuracy: 1e-6 * abs(expected))
        let ti = try XCTUnwrap(program.entities[e].fieldIndex("teachers"))
        XCTAssertEqual((counts["_missing_teachers"] as? NSNumber)?.intValue, data.tables[e].columns[ti].all.filter(\.isNaN).count)
        XCTAssertGreaterThan((counts["_missing_teachers"] as? NSNumber)?.intValue ?? 0, 0, "the bad cell 约100 loads as NULL")
        XCTAssertEqual((counts["_empty"] as? NSNumber)?.intValue, 0, "a baseline table without input exists and is empty")
    }

    // MARK: command line

    func testCommandLineExitCodes() throws {
        guard let exe = CLITests.executable() else {
            throw XCTSkip("the dabiao executable was not found next to the test bundle; build it with swift build --build-tests")
        }
        func dabiao(_ args: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
            let p = Process()
            p.executableURL = exe
            p.arguments = args
            let out = Pipe()
            let err = Pipe()
            p.standardOutput = out
            p.standardError = err
            try p.run()
            let o = out.fileHandleForReading.readDataToEndOfFile()
            let e = err.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
        }
        // The query of the built-in rules; SQLQueryTests runs it.
        let query = try dabiao(["sql", "--dialect", "duckdb", "--as-of", "2024-10-31", "--lang", "en"])
        XCTAssertEqual(query.status, 0, query.stderr)
        XCTAssertTrue(query.stdout.hasPrefix("-- dabiao "), String(query.stdout.prefix(200)))
        XCTAssertTrue(query.stdout.contains("\nUNION ALL\n"))
        XCTAssertEqual(try dabiao(["sql"]).status, 64, "no dialect")
        // A construct the dialect cannot express: exit 2 naming the rule, no SQL.
        let rules = dir.appendingPathComponent("len.rules")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data("entity s \"学校\" {\n  key code : text \"代码\"\n}\nruleset p \"x\" {\n  for s\n  rule LEN-1 \"长度\" { require len(code) <= 20 }\n}\n".utf8).write(to: rules)
        let refused = try dabiao(["sql", "--dialect", "postgres", "--rules", rules.path, "--lang", "en"])
        XCTAssertEqual(refused.status, 2, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("rule LEN-1 cannot be compiled to SQL"), refused.stderr)
        XCTAssertEqual(refused.stdout, "")
        XCTAssertEqual(try dabiao(["sql", "--dialect", "duckdb", "--rules", rules.path]).status, 0)
        XCTAssertEqual(try dabiao(["sql", "--schema"]).status, 64, "no dialect")
        XCTAssertEqual(try dabiao(["sql", "--schema", "--dialect", "oracle"]).status, 64)
        let schema = try dabiao(["sql", "--schema", "--dialect", "postgres"])
        XCTAssertEqual(schema.status, 0, schema.stderr)
        XCTAssertTrue(schema.stdout.contains("CREATE TABLE \"prev_school\" ("))
        XCTAssertEqual(try dabiao(["export"]).status, 64, "no --output")

        let out = dir.appendingPathComponent("out").path
        let first = try dabiao(["export", "--output", out, "--lang", "en"])
        XCTAssertEqual(first.status, 1, "written, but the samples have data errors: \(first.stderr)")
        XCTAssertTrue(first.stdout.contains("school.csv 152"), first.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/school.csv"))
        let before = try Data(contentsOf: URL(fileURLWithPath: out + "/school.csv"))
        let again = try dabiao(["export", "--output", out])
        XCTAssertEqual(again.status, 2, "never overwrites")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: out + "/school.csv")), before)
        let ignoring = try dabiao(["export", "--quiet", "--data-errors", "ignore", "--output", dir.appendingPathComponent("out2").path])
        XCTAssertEqual(ignoring.status, 0, ignoring.stderr)
        XCTAssertEqual(ignoring.stdout, "")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir.appendingPathComponent("out2/school.csv").path)), before, "same bytes from two runs")
    }

    func python(_ args: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3"] + args
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        do { try p.run() } catch { throw XCTSkip("python3 cannot be started: \(error)") }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    /// A strict RFC 4180 reader for the tests (quoted cells may hold commas, quotes, LF).
    func csvRows(_ url: URL) throws -> [[String]] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var rows: [[String]] = []
        var row: [String] = []
        var cell = ""
        var quoted = false
        var chars = Array(text).makeIterator()
        var pending: Character?
        while let c = pending ?? chars.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let n = chars.next() {
                        if n == "\"" { cell.append("\"") } else { quoted = false; pending = n }
                    } else { quoted = false }
                } else { cell.append(c) }
            } else if c == "\"" { quoted = true
            } else if c == "," { row.append(cell); cell = ""
            } else if c == "\n" { row.append(cell); rows.append(row); row = []; cell = ""
            } else { cell.append(c) }
        }
        return rows
    }
}
