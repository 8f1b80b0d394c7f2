import Foundation

/// The whole pipeline — rule files → program → data → engine → report —
/// for the command line and for tests that exercise it end to end.
public enum Audit {
    public enum Failure: Error {
        /// The rules do not compile (exit 2).
        case rules([Diagnostic], [SourceFile])
        /// An input cannot be read at all (exit 2).
        case input(InputFailure)
    }

    /// Rule files from the given paths, or the rulebooks built into the binary.
    public static func ruleSources(_ paths: [String]) throws -> [SourceFile] {
        if paths.isEmpty {
            let files = Discovery.builtinRuleFiles()
            if files.isEmpty {
                throw InputFailure(path: "rules", message: Text("找不到内置规则库", "the built-in rulebooks are missing"))
            }
            return files
        }
        return try Discovery.ruleFiles(paths)
    }

    public static func compile(_ files: [SourceFile]) -> (Program?, [Diagnostic]) {
        let (program, diags) = compileProject(files)
        return (program, diags)
    }

    /// The built-in sample data set and its baseline year (folders of
    /// `BuiltinFiles`).
    public static let sampleData = (data: "samples/gansu-2024", baseline: "samples/gansu-2023")

    public struct DataRequest: Sendable {
        public var paths: [String] = []
        /// `--data ENTITY=PATH`.
        public var explicit: [(entity: String, path: String)] = []
        public var baseline: [String] = []
        public var encoding: TextEncodingKind?
        public var delimiter: UInt8?
        public init() {}
    }

    public static func load(_ program: Program, _ request: DataRequest) throws -> (data: Dataset, baseline: Dataset?) {
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
                    throw InputFailure(path: path, message: Text("没有名为 “\(name)” 的实体", "no entity is named '\(name)'"))
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
                                   message: Text("没有读到任何记录（读取了 \(files.joined(separator: "、"))，均无数据行），无数据可检查",
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
    public static func loadConcurrently(_ program: Program, _ specs: [InputSpec], encoding: TextEncodingKind?, delimiter: UInt8?) throws -> Dataset {
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
                parts.set(g, .success(loader.dataset))
            } catch let e as InputFailure {
                parts.set(g, .failure(e))
            } catch {
                parts.set(g, .failure(InputFailure(path: groups[g].specs.first?.displayPath ?? "", message: Text("\(error)", "\(error)"))))
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

    public static func rulesFiles(_ files: [SourceFile]) -> [RulesFileInfo] {
        files.map { RulesFileInfo(path: $0.path, sha256: SHA256.hex(Array($0.text.utf8))) }
    }

    /// Compiles, loads, evaluates: the report of one `check`.
    /// `progress` hears the name of each phase as it starts (the CLI shows it on a terminal).
    /// `deferred`: the results are made as the JSON report writes them (`Report.deferred`).
    public static func check(rules: [String], data: DataRequest, options: RunOptions, deferred: Bool = false,
                             progress: (Text) -> Void = { _ in }) throws -> (Report, Program, Dataset, Dataset?) {
        let clock = PhaseClock()
        progress(Text("编译规则…", "compiling the rules…"))
        let files = try ruleSources(rules)
        let (program, diags) = compile(files)
        guard let program else { throw Failure.rules(diags, files) }
        clock.mark("compile")
        progress(Text("读取数据…", "reading the data…"))
        let (dataset, baseline) = try load(program, data)
        clock.mark("load")
        progress(Text("评估 \(dataset.recordsRead - dataset.recordsRejected) 条记录…", "evaluating \(dataset.recordsRead - dataset.recordsRejected) records…"))
        let engine = Engine(program: program, data: dataset, baseline: baseline)
        try engine.refuseCostly(maxCost: options.maxCost)
        clock.mark("plan")
        let evaluation = engine.evaluate(options)
        clock.mark("evaluate")
        var report = ReportBuilder.build(evaluation, engine: engine, deferred: deferred)
        report.rulesFiles = rulesFiles(files)
        clock.mark("sort")
        return (report, program, dataset, baseline)
    }
}

/// Phase timings on stderr when DABIAO_PROFILE is set, for the benchmark.
public final class PhaseClock: @unchecked Sendable {
    let enabled = ProcessInfo.processInfo.environment["DABIAO_PROFILE"] != nil
    var last = Date()
    public init() {}
    public func mark(_ phase: String) {
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
