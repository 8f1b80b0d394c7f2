import Foundation

/// The library's front door: rule files → program → data → engine →
/// report, each step one call. The command line is a shell over these, and
/// a program that embeds dabiao uses the same calls (docs/api.md).
public enum Pipeline {
    /// The audit date `YYYY-MM-DD` as the day count `RunOptions.asOf` takes.
    public static func parseDate(_ text: String) -> Int? { CivilDate.parseISO(text) }

    public enum Failure: Error {
        /// The rules do not compile (exit 2).
        case rules([Diagnostic], [SourceFile])
    }

    /// Rule files from the given paths, or the rulebooks built into the binary.
    public static func ruleSources(_ paths: [String]) throws -> [SourceFile] {
        if paths.isEmpty {
            let files = Discovery.builtinRuleFiles()
            if files.isEmpty {
                throw InputFailure(path: "rules", message: Bilingual("找不到内置规则库", "the built-in rulebooks are missing"))
            }
            return files
        }
        return try Discovery.ruleFiles(paths)
    }

    /// The checked program; its errors (and warnings) as `Failure.rules`.
    public static func compile(_ files: [SourceFile]) throws -> Program {
        let (program, diags) = compileProject(files)
        guard let program else { throw Failure.rules(diags, files) }
        return program
    }

    /// What `lint` reports: every diagnostic, and how many rules compiled.
    public static func lint(_ files: [SourceFile]) -> (rules: Int, diagnostics: [Diagnostic]) {
        let (program, diags) = compileProject(files)
        return (program?.rules.count ?? 0, diags)
    }

    /// The built-in sample data set and its baseline year (folders of
    /// `BuiltinFiles`).
    static let sampleData = (data: "samples/gansu-2024", baseline: "samples/gansu-2023")

    /// Where the data comes from. No paths and no `explicit` inputs: the
    /// built-in samples.
    public struct DataRequest: Sendable {
        /// Files and folders; each file is matched to an entity by its name or header.
        var paths: [String]
        /// `--data ENTITY=PATH` (an xlsx sheet as `FILE.xlsx#Sheet`).
        var explicit: [(entity: String, path: String)]
        /// Last period's data, for `prev`.
        var baseline: [String]
        /// nil: detected per file.
        var encoding: TextEncodingKind?
        /// `,`, `;`, `|` or a tab; nil: detected per file.
        var delimiter: UInt8?
        public init(paths: [String] = [], explicit: [(entity: String, path: String)] = [], baseline: [String] = [],
                    encoding: TextEncodingKind? = nil, delimiter: UInt8? = nil) {
            self.paths = paths
            self.explicit = explicit
            self.baseline = baseline
            self.encoding = encoding
            self.delimiter = delimiter
        }
    }

    /// The data of one run and its baseline, as the engine reads them.
    public struct Inputs: Sendable {
        let data: Dataset
        let baseline: Dataset?
    }

    /// Reads the request's files for the program (exit 2 when nothing can be read).
    public static func load(_ program: Program, _ request: DataRequest) throws -> Inputs {
        let (data, baseline) = try loadDatasets(program, request)
        return Inputs(data: data, baseline: baseline)
    }

    static func loadDatasets(_ program: Program, _ request: DataRequest) throws -> (data: Dataset, baseline: Dataset?) {
        // Without data, the built-in samples: the current year and, unless
        // another baseline is given, the year before.
        let builtin = request.paths.isEmpty && request.explicit.isEmpty
        func read(_ paths: [String], builtin folder: String?, explicit: [(entity: String, path: String)], requireInputs: Bool) throws -> Dataset {
            var specs = try Discovery.inputs(paths, program: program)
            if let folder { specs += Discovery.builtinInputs(folder, program: program) }
            for (name, path) in explicit {
                var sheet: String?
                var file = path
                if let hash = path.lastIndex(of: "#"), path.lowercased().contains(".xlsx#") {
                    sheet = String(path[path.index(after: hash)...])
                    file = String(path[..<hash])
                }
                guard let e = program.entityIndex(name) ?? program.entities.firstIndex(where: { $0.label == name }) else {
                    throw InputFailure(path: path, message: Bilingual("没有名为 “\(name)” 的实体", "no entity is named '\(name)'"))
                }
                specs.append(InputSpec(entity: e, path: file, displayPath: path, sheet: sheet))
            }
            // A run that reads nothing for an entity the rules check would
            // "pass" without having checked anything.
            let selected = Set(program.rules.map(\.entity))
            let covered = Set(specs.map(\.entity))
            let missing = selected.filter { !covered.contains($0) }.sorted()
            if requireInputs, !missing.isEmpty {
                throw Discovery.missingInput(missing, paths: paths, program: program)
            }
            let data = try loadConcurrently(program, specs, encoding: request.encoding, delimiter: request.delimiter)
            if requireInputs, !selected.isEmpty, data.recordsRead == 0 {
                let files = data.inputs.map(\.path)
                throw InputFailure(path: files.first ?? paths.first ?? "data",
                                   message: Bilingual("没有读到任何记录（读取了 \(files.joined(separator: "、"))，均无数据行），无数据可检查",
                                                 "no record was read (from \(files.joined(separator: ", ")), none has a data row); nothing would be checked"))
            }
            return data
        }
        let data = try read(request.paths, builtin: builtin ? sampleData.data : nil, explicit: request.explicit, requireInputs: true)
        // A baseline only adds comparisons; an entity missing there leaves
        // those comparisons undefined, which the report already says.
        let baseline: Dataset?
        if !request.baseline.isEmpty {
            baseline = try read(request.baseline, builtin: nil, explicit: [], requireInputs: false)
        } else if builtin {
            baseline = try read([], builtin: sampleData.baseline, explicit: [], requireInputs: false)
        } else {
            baseline = nil
        }
        return (data, baseline)
    }

    /// Each entity's inputs are read on their own thread (an entity's files
    /// stay together, in order, so duplicate keys across them are still
    /// found), then put together in the order the entities first appear.
    static func loadConcurrently(_ program: Program, _ specs: [InputSpec], encoding: TextEncodingKind?, delimiter: UInt8?) throws -> Dataset {
        var grouping: [(entity: Int, specs: [InputSpec])] = []
        for s in specs {
            if let i = grouping.firstIndex(where: { $0.entity == s.entity }) { grouping[i].specs.append(s) } else { grouping.append((s.entity, [s])) }
        }
        let groups = grouping
        let parts = ChunkResults<Result<Dataset, InputFailure>>(count: groups.count)
        let work: @Sendable (Int) -> Void = { g in
            var loader = DataLoader(program: program)
            do {
                for s in groups[g].specs { try loader.load(s, encoding: encoding, delimiter: delimiter) }
                loader.dataset.tables[groups[g].entity].releaseLookupIndexes()
                parts.set(g, .success(loader.dataset))
            } catch let e as InputFailure {
                parts.set(g, .failure(e))
            } catch {
                parts.set(g, .failure(InputFailure(path: groups[g].specs.first?.displayPath ?? "", message: Bilingual("\(error)", "\(error)"))))
            }
        }
        if groups.count > 1 {
            DispatchQueue.concurrentPerform(iterations: groups.count, execute: work)
        } else if groups.count == 1 {
            work(0)
        }
        var data = Dataset(program: program)
        for (g, group) in groups.enumerated() {
            guard let part = parts.get(g) else { continue }
            let partial = try part.get()
            let offset = data.inputs.count
            data.inputs += partial.inputs
            data.errors += partial.errors
            data.notes += partial.notes
            var table = partial.tables[group.entity]
            table.shiftInputs(by: offset)
            data.tables[group.entity] = table
        }
        return data
    }

    static func rulesFiles(_ files: [SourceFile]) -> [RulesFileInfo] {
        files.map { RulesFileInfo(path: $0.path, sha256: SHA256.hex(Array($0.text.utf8))) }
    }

    /// Compiles, loads, evaluates: the report of one `check`.
    /// `progress` hears the name of each phase as it starts (the CLI shows it on a terminal).
    /// `deferred`: the results are made as the JSON report writes them, never held whole.
    public static func check(rules: [String], data: DataRequest, options: RunOptions, deferred: Bool = false,
                             progress: (Bilingual) -> Void = { _ in }) throws -> Report {
        try checkDetailed(rules: rules, data: data, options: options, deferred: deferred, progress: progress).report
    }

    /// `check` with the program and data it read, for tests that look inside.
    static func checkDetailed(rules: [String], data: DataRequest, options: RunOptions, deferred: Bool = false,
                              progress: (Bilingual) -> Void = { _ in }) throws -> (report: Report, program: Program, data: Dataset, baseline: Dataset?) {
        let clock = PhaseClock()
        progress(Bilingual("编译规则…", "compiling the rules…"))
        let files = try ruleSources(rules)
        let program = try compile(files)
        clock.mark("compile")
        progress(Bilingual("读取数据…", "reading the data…"))
        let (dataset, baseline) = try loadDatasets(program, data)
        clock.mark("load")
        progress(Bilingual("评估 \(dataset.recordsRead - dataset.recordsRejected) 条记录…", "evaluating \(dataset.recordsRead - dataset.recordsRejected) records…"))
        let report = try evaluate(program, Inputs(data: dataset, baseline: baseline), options: options, deferred: deferred, clock: clock)
        clock.mark("sort")
        return (report, program, dataset, baseline)
    }

    /// The report of a program over data already loaded.
    public static func check(_ program: Program, _ inputs: Inputs, options: RunOptions, deferred: Bool = false) throws -> Report {
        try evaluate(program, inputs, options: options, deferred: deferred, clock: nil)
    }

    static func evaluate(_ program: Program, _ inputs: Inputs, options: RunOptions, deferred: Bool, clock: PhaseClock?) throws -> Report {
        let engine = Engine(program: program, data: inputs.data, baseline: inputs.baseline)
        try engine.refuseCostly(maxCost: options.maxCost)
        clock?.mark("plan")
        let evaluation = engine.evaluate(options)
        clock?.mark("evaluate")
        var report = ReportBuilder.build(evaluation, engine: engine, deferred: deferred)
        // The program holds the files it was compiled from: their checksums say which rulebooks judged.
        report.rulesFiles = rulesFiles(program.files)
        return report
    }

    /// The report as text in a format.
    public static func render(_ report: Report, as format: ReportFormat, _ options: RenderOptions = RenderOptions()) -> String {
        format.render(report, options)
    }

    /// The report written piece by piece (a JSON report of millions of
    /// results is never held whole).
    public static func write(_ report: Report, as format: ReportFormat, _ options: RenderOptions = RenderOptions(),
                             to emit: ([UInt8]) throws -> Void) throws {
        let clock = PhaseClock()
        try format.write(report, options, to: emit)
        clock.mark("render")
    }

    /// The 整改清单 alone.
    public static func renderRectification(_ report: Report, as format: RectificationFormat, lang: Lang) -> String {
        format.render(report, lang: lang)
    }

    /// How one rule decided for one record, step by step; nil when the rule
    /// has no result for that key.
    public static func explain(_ program: Program, _ inputs: Inputs, rule: String, key: String, asOf: Int,
                               maxCost: Double = RunOptions.defaultMaxCost, lang: Lang) throws -> String? {
        let engine = Engine(program: program, data: inputs.data, baseline: inputs.baseline)
        try engine.refuseCostly(maxCost: maxCost)
        return engine.explain(rule: rule, key: key, asOf: asOf, lang: lang).map { TerminalSafety.escapeControls($0) }
    }

    /// The rule files' `test` blocks run: how many tests, how many
    /// expectations, and each failed expectation at its `path:line:column`.
    public static func runTests(_ program: Program, asOf: Int) -> TestSummary {
        let outcomes = TestRunner.run(program, asOf: asOf)
        var failures: [TestSummary.Failure] = []
        for t in outcomes {
            guard let message = t.failure else { continue }
            let file = program.files.indices.contains(t.range.file) ? program.files[t.range.file] : nil
            let location = file.map { f in let (l, c) = f.location(of: t.range.start); return "\(f.path):\(l):\(c)" } ?? "?"
            failures.append(.init(location: location, test: t.test, message: message))
        }
        return TestSummary(tests: program.tests.count, expectations: outcomes.count, failures: failures)
    }

    /// The rulesets and rules, one line each.
    public static func ruleListing(_ program: Program, lang: Lang) -> String {
        RuleListing.render(program, lang: lang)
    }

    /// The checked program as the IR (docs/ir.md).
    public static func ir(_ program: Program) -> String { IR.render(program) }

    /// The offline self-check page (docs/page.md).
    public static func page(_ program: Program) -> String { Page.render(program) }

    /// The `CREATE TABLE` statements for the entities (docs/sql.md).
    public static func sqlSchema(_ program: Program, dialect: SQLDialect) -> String {
        SQLSchema.render(program, dialect: dialect)
    }

    /// The rules as one SQL query; a construct the dialect cannot express is an error naming the rule.
    public static func sqlQuery(_ program: Program, dialect: SQLDialect, asOf: Int) throws -> String {
        try SQLQuery.render(program, dialect: dialect, asOf: asOf)
    }

    /// Writes the data as the engine read it, one clean CSV per entity and
    /// the data errors (docs/sql.md); returns what was written.
    public static func exportData(_ program: Program, _ inputs: Inputs, to directory: String, lang: Lang) throws -> ExportSummary {
        let files = DataExport.files(program: program, data: inputs.data, baseline: inputs.baseline, lang: lang)
        _ = try DataExport.write(files, to: directory)
        return ExportSummary(tables: files.compactMap { f in f.records.map { (f.name, $0) } },
                             problems: inputs.data.errors.count + (inputs.baseline?.errors.count ?? 0),
                             errorsFile: DataExport.errorsFile)
    }

    /// A name on the command line that no entity of the rules has.
    public struct UnknownEntity: Error {
        public var message: Bilingual
    }

    /// An empty template for data providers: a CSV for one entity, or a
    /// workbook with a sheet per entity. Entities by name or label.
    public static func template(_ program: Program, entities names: [String], xlsx: Bool, lang: Lang) throws -> [UInt8] {
        var chosen: [Entity] = []
        for name in names {
            guard let e = program.entities.first(where: { $0.name == name || $0.label == name }) else {
                let known = program.entities.map(\.name)
                throw UnknownEntity(message: Bilingual("没有名为 “\(name)” 的实体（可用：\(known.joined(separator: "、"))）",
                                                             "no entity is named '\(name)' (known: \(known.joined(separator: ", ")))"))
            }
            chosen.append(e)
        }
        if xlsx { return try Template.xlsx(for: chosen, entities: program.entities, lang: lang) }
        guard let first = chosen.first else { return [] }
        return Array(Template.csv(for: first, entities: program.entities, lang: lang).utf8)
    }

    /// Writes the built-in rulebooks into a folder (never over a file); the paths written.
    public static func exportBuiltinRules(to directory: String) throws -> [String] {
        try BuiltinFiles.export("rules", to: directory)
    }

    /// The built-in rule files with their SHA-256, in `sha256sum`'s order of fields.
    public static var builtinRulebooks: [(sha256: String, path: String)] {
        BuiltinFiles.ruleFiles.map { (SHA256.hex($0.bytes), $0.path) }
    }

    /// Compares two JSON reports of `check`.
    public static func diff(old: [UInt8], new: [UInt8]) throws -> ReportComparison {
        ReportComparison(result: try ReportDiff.diff(old: old, new: new))
    }
}

/// What `runTests` found.
public struct TestSummary: Sendable {
    public struct Failure: Sendable {
        /// `path:line:column` of the expectation.
        public var location: String
        public var test: String
        public var message: Bilingual
    }
    public var tests: Int
    public var expectations: Int
    public var failures: [Failure]
}

/// What `exportData` wrote.
public struct ExportSummary: Sendable {
    /// Each file written with its records (the data-errors file is not among them).
    public var tables: [(file: String, records: Int)]
    /// Data errors, in the current data and the baseline.
    public var problems: Int
    public var errorsFile: String
}

/// Two reports compared (`dabiao diff`).
public struct ReportComparison: Sendable {
    let result: DiffResult
    public enum Format: String, Sendable, CaseIterable { case text, json, md }
    /// A result failing in the new report that did not fail in the old one.
    public var hasNewFailures: Bool { !result.newlyFailing.isEmpty }
    /// `showAll`: every changed result, not counts per rule.
    public func render(as format: Format, lang: Lang, showAll: Bool) -> String {
        switch format {
        case .json: return ReportDiff.renderJSON(result, lang: lang)
        case .md: return ReportDiff.renderMarkdown(result, lang: lang, showAll: showAll)
        case .text: return ReportDiff.renderText(result, lang: lang, showAll: showAll)
        }
    }
}

/// Phase timings on stderr when DABIAO_PROFILE is set, for the benchmark.
final class PhaseClock: @unchecked Sendable {
    let enabled = ProcessInfo.processInfo.environment["DABIAO_PROFILE"] != nil
    var last = Date()
    init() {}
    func mark(_ phase: String) {
        guard enabled else { return }
        let now = Date()
        // Resident memory now, from /proc (Linux); absent elsewhere.
        var rss = ""
        if let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
           let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) {
            rss = " rss \(pages * 4096 / 1_048_576) MB"
        }
        FileHandle.standardError.write(Data("profile: \(phase) \(String(format: "%.2f", now.timeIntervalSince(last))) s\(rss)\n".utf8))
        last = now
    }
}

/// An error that stops a command with a message in both languages (exit 2):
/// a rule too costly to run, a rule SQL cannot express, a report `diff`
/// cannot read.
public protocol CommandError: Error {
    var message: Bilingual { get }
    /// The message begins with `path:line:column`, so no program name goes before it.
    var namesItsLocation: Bool { get }
}

extension CostRefusal: CommandError {
    var namesItsLocation: Bool { true }
}
extension DiffError: CommandError {
    var namesItsLocation: Bool { false }
}
extension SQLQueryError: CommandError {
    var namesItsLocation: Bool { false }
}
