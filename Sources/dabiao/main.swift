import DabiaoCore
import Foundation

// A thin shell: parse the command line, call the library, write, exit.

enum Exit {
    static let ok = ExitPolicy.ok
    static let findings = ExitPolicy.findings
    static let cannotRun = ExitPolicy.cannotRun
    static let usage = ExitPolicy.usage
}

/// The commands, by the word typed on the command line.
enum Command: String, CaseIterable {
    case check, rectify, explain, lint, test, rules, diff, template, compile, page, export, sql, version, help
    case exportRules = "export-rules"
}

/// Every `--format` value; each command writes some of them (`CommandHelp.formats`).
enum Format: String, CaseIterable {
    case text, json, csv, md, html, junit, sarif, xlsx, ir
}

struct Options {
    /// nil: no command was given.
    var command: Command?
    /// The first word when it names no command: `run` says so, with a suggestion.
    var unknownCommand: String?
    var positional: [String] = []
    var rules: [String] = []
    var data: [(entity: String, path: String)] = []
    var baseline: [String] = []
    var asOf: Int?
    var format = Format.text
    var output: String?
    var failOn: Level? = .error
    var missingFails = true
    var dataErrorsFail = true
    /// `--show`; nil: the format's default (see `showsAll`).
    var showAll: Bool?
    var lang = Lang.zh
    var quiet = false
    var encoding: TextEncodingKind?
    var delimiter: UInt8?
    var maxCost = RunOptions.defaultMaxCost
    var maxResults = RenderOptions.defaultMaxResults
    /// `--format` given on the command line (not the default).
    var formatGiven = false
    /// `CMD --help`.
    var wantsHelp = false
    /// `sql --schema` and `sql --dialect D`.
    var schema = false
    var dialect: SQLDialect?
}

struct UsageError: Error { var message: Bilingual }

let usageText = Bilingual(
    """
    用法：dabiao <命令> [选项]

    命令：
      check [数据…]             按规则检查数据并生成报告（不给数据时使用内置样例）
      lint [规则…]              解析并检查规则文件
      test [规则…]              运行规则文件中的 test 块
      rectify [数据…]           只输出整改清单
      explain 编号 标识 [数据…]  逐步说明一条规则对一条记录的判定
      diff 旧.json 新.json       比较两份 JSON 报告
      template 实体…            生成供数据报送用的空白模板（CSV，或 --format xlsx 工作簿）
      rules                     列出规则集与规则
      export-rules 目录          把内置规则库写成文件，供各省在其基础上修改
      compile --format ir       把检查过的规则程序写成 IR（JSON），供其他后端读取
      page --output 文件.html     生成离线自查网页（规则库、计算程序和界面都在一个 HTML 文件里）
      export [数据…] --output 目录  把引擎读到的数据写成每个实体一个规整的 CSV，供导入数据库
      sql --dialect 方言         把规则编译为 SQL 查询；--schema：建表语句（duckdb|postgres|spark）
      help 命令                  一个命令的用法、选项和示例（也可写 命令 --help）

    选项：
      --rules 路径     规则文件或目录（可重复；默认使用内置规则库）
      --data 实体=文件  为实体指定数据文件（xlsx 可写 文件.xlsx#工作表）
      --baseline 数据  上期数据（供 prev 使用）
      --as-of 日期     审计日期 YYYY-MM-DD（默认今天）
      --format 格式    text|json|csv|md|html|junit|sarif|xlsx|ir
      --output 文件    写入文件而不是标准输出
      --fail-on 级别   error|warning|info|never（默认 error）
      --missing 方式   fail|ignore：数据缺失/无法计算是否算作失败（默认 fail）
      --data-errors 方式  fail|ignore：拒收记录和数据问题是否算作失败（默认 fail）
      --show 范围      all|failures（默认：json、csv、junit 为 all，其余为 failures）
      --encoding 编码  utf8|utf16le|utf16be|gb18030
      --delimiter 字符 CSV 分隔符（, ; 或 tab）
      --lang 语言      zh|en
      --max-cost 数     估计行访问次数超过此数的规则不予执行（默认 10⁹）
      --max-results 数  SARIF 最多写出的结果数，按严重程度取舍（默认 25000，GitHub 代码扫描的上限）
      --quiet          不输出报告，只返回退出码
      --schema         sql：输出建表语句
      --dialect 方言    sql：duckdb|postgres|spark
    """,
    """
    usage: dabiao <command> [options]

    commands:
      check [DATA…]             evaluate the rules against the data and report (built-in samples without DATA)
      lint [RULES…]             parse and type-check rule files
      test [RULES…]             run the test blocks of the rule files
      rectify [DATA…]           the rectification list alone
      explain CODE KEY [DATA…]  how one rule decided for one record, step by step
      diff OLD.json NEW.json    compare two JSON reports
      template ENTITY…          an empty template for data providers (CSV, or a workbook with --format xlsx)
      rules                     list rulesets and rules
      export-rules DIR          write the built-in rulebooks out as files, for a province to start its own from
      compile --format ir       the checked program as the IR (JSON) that every other back end reads
      page --output FILE.html   the offline self-check page (rulebooks, evaluator and interface in one HTML file)
      export [DATA…] --output DIR  the data as the engine reads it, one clean CSV per entity, for a database
      sql --dialect D           the rules as one SQL query; --schema: the CREATE TABLE statements (duckdb|postgres|spark)
      help CMD                  one command's usage, options and examples (or: CMD --help)

    options:
      --rules PATH        a rule file or folder (repeatable; default: the built-in rulebooks)
      --data ENTITY=PATH  an input for an entity (for xlsx: FILE.xlsx#Sheet)
      --baseline DATA     last period's data, for prev
      --as-of DATE        the audit date YYYY-MM-DD (default: today)
      --format FORMAT     text|json|csv|md|html|junit|sarif|xlsx|ir
      --output FILE       write to FILE instead of standard output
      --fail-on LEVEL     error|warning|info|never (default: error)
      --missing MODE      fail|ignore: whether missing/undefined results fail the run (default: fail)
      --data-errors MODE  fail|ignore: whether rejected records and data errors fail the run (default: fail)
      --show WHICH        all|failures (default: all for json, csv and junit, failures for the others)
      --encoding ENC      utf8|utf16le|utf16be|gb18030
      --delimiter CHAR    CSV delimiter (, ; or tab)
      --lang LANG         zh|en
      --max-cost N        refuse a rule whose estimated row visits exceed N (default 10⁹)
      --max-results N     at most N SARIF results, the most severe first (default 25000, GitHub code scanning's limit)
      --quiet             print no report, only set the exit code
      --schema            sql: print the CREATE TABLE statements
      --dialect D         sql: duckdb|postgres|spark
    """)

// Long on purpose: one case per option, each with its own check and
// message, read top to bottom like the option list above.
func parse(_ args: [String]) throws -> Options {
    var o = Options()
    var i = 0
    func value(_ name: String) throws -> String {
        i += 1
        guard i < args.count else { throw UsageError(message: Bilingual("选项 \(name) 需要一个值", "option \(name) needs a value")) }
        return args[i]
    }
    // The language must be known before any error is printed.
    if let k = args.firstIndex(of: "--lang"), k + 1 < args.count, let l = Lang(rawValue: args[k + 1]) { o.lang = l }
    while i < args.count {
        let a = args[i]
        switch a {
        case "--rules": o.rules.append(try value(a))
        case "--data":
            let v = try value(a)
            guard let eq = v.firstIndex(of: "="), eq != v.startIndex else {
                throw UsageError(message: Bilingual("--data 的格式是 实体=文件，例如 --data school=学校.csv", "--data takes ENTITY=FILE, e.g. --data school=schools.csv"))
            }
            o.data.append((String(v[..<eq]), String(v[v.index(after: eq)...])))
        case "--baseline": o.baseline.append(try value(a))
        case "--as-of":
            let v = try value(a)
            guard let d = Pipeline.parseDate(v) else {
                throw UsageError(message: Bilingual("--as-of 需要日期 YYYY-MM-DD，而不是 “\(v)”", "--as-of takes a date YYYY-MM-DD, not '\(v)'"))
            }
            o.asOf = d
        case "--format":
            let v = try value(a)
            guard let f = Format(rawValue: v) else {
                let all = Format.allCases.map(\.rawValue).joined(separator: " ")
                throw UsageError(message: Bilingual("未知的格式 “\(v)”（可用 \(all)）", "unknown format '\(v)' (\(all))"))
            }
            o.format = f
            o.formatGiven = true
        case "--output": o.output = try value(a)
        case "--fail-on":
            let v = try value(a)
            if v == "never" { o.failOn = nil } else if let l = Level(rawValue: v) { o.failOn = l } else {
                throw UsageError(message: Bilingual("--fail-on 取 error、warning、info 或 never", "--fail-on takes error, warning, info or never"))
            }
        case "--missing":
            let v = try value(a)
            guard v == "fail" || v == "ignore" else { throw UsageError(message: Bilingual("--missing 取 fail 或 ignore", "--missing takes fail or ignore")) }
            o.missingFails = v == "fail"
        case "--data-errors":
            let v = try value(a)
            guard v == "fail" || v == "ignore" else { throw UsageError(message: Bilingual("--data-errors 取 fail 或 ignore", "--data-errors takes fail or ignore")) }
            o.dataErrorsFail = v == "fail"
        case "--show":
            let v = try value(a)
            guard v == "all" || v == "failures" else { throw UsageError(message: Bilingual("--show 取 all 或 failures", "--show takes all or failures")) }
            o.showAll = v == "all"
        case "--lang":
            let v = try value(a)
            guard let l = Lang(rawValue: v) else { throw UsageError(message: Bilingual("--lang 取 zh 或 en", "--lang takes zh or en")) }
            o.lang = l
        case "--max-cost":
            let v = try value(a)
            guard let n = Double(v.replacingOccurrences(of: "_", with: "")), n.isFinite, n >= 0 else {
                throw UsageError(message: Bilingual("--max-cost 需要非负数，而不是 “\(v)”", "--max-cost takes a non-negative number, not '\(v)'"))
            }
            o.maxCost = n
        case "--max-results":
            let v = try value(a)
            guard let n = Int(v.replacingOccurrences(of: "_", with: "")), n >= 0 else {
                throw UsageError(message: Bilingual("--max-results 需要非负整数，而不是 “\(v)”", "--max-results takes a non-negative whole number, not '\(v)'"))
            }
            o.maxResults = n
        case "--quiet", "-q": o.quiet = true
        case "--encoding":
            let v = try value(a)
            guard let e = TextEncodingKind.named(v) else {
                let shown = v.lowercased().replacingOccurrences(of: "-", with: "")
                throw UsageError(message: Bilingual("未知的编码 “\(shown)”", "unknown encoding '\(shown)'"))
            }
            o.encoding = e
        case "--delimiter":
            let v = try value(a)
            switch v {
            case "tab", "\\t", "\t": o.delimiter = UInt8(ascii: "\t")
            case ",", ";", "|": o.delimiter = v.utf8.first
            default: throw UsageError(message: Bilingual("--delimiter 取 , ; | 或 tab", "--delimiter takes , ; | or tab"))
            }
        case "--schema": o.schema = true
        case "--dialect":
            let v = try value(a)
            guard let d = SQLDialect(rawValue: v) else {
                throw UsageError(message: Bilingual("--dialect 取 duckdb、postgres 或 spark", "--dialect takes duckdb, postgres or spark"))
            }
            o.dialect = d
        case "--help", "-h": o.wantsHelp = true
        case "--version": o.command = .version
        default:
            if a.hasPrefix("--") {
                let hint = didYouMean(a, among: allOptions)
                throw UsageError(message: Bilingual("未知的选项 “\(a)”" + (hint?.zh ?? ""), "unknown option '\(a)'" + (hint?.en ?? "")))
            }
            if o.command != nil || o.unknownCommand != nil {
                o.positional.append(a)
            } else if let c = Command(rawValue: a) {
                o.command = c
            } else {
                o.unknownCommand = a
            }
        }
        i += 1
    }
    return o
}

func today() -> Int {
    Int((Date().timeIntervalSince1970 / 86400).rounded(.down))
}

func write(_ text: String, _ o: Options) throws {
    try write(bytes: Array(text.utf8), o)
}

/// Writes straight from the buffer: a report of hundreds of megabytes is not copied again.
func write(bytes: [UInt8], _ o: Options) throws {
    try writeStream(o) { emit in try emit(bytes) }
}

/// Writes the pieces `produce` hands over as they come, so a long report
/// need not be held whole. `--output` goes to a temporary file beside the
/// target and is renamed into place only when complete: a full disk or a
/// file size limit leaves the old report as it was, never a truncated one.
/// A target that is no regular file (`/dev/null`, a pipe, a terminal) is
/// written into as it is: renaming over it would replace the device. A
/// symbolic link is followed, so the file it names gets the report.
func writeStream(_ o: Options, _ produce: (([UInt8]) throws -> Void) throws -> Void) throws {
    if o.output == nil && o.quiet { return }
    guard let named = o.output else {
        guard let out = fdopen(1, "wb") else {
            throw InputFailure(path: "-", message: Bilingual("无法写入标准输出", "cannot write to standard output"))
        }
        try emitAll(out, path: "-", produce)
        guard fflush(out) == 0 else { throw writeFailure("-", errno) }
        return
    }
    var info = stat()
    if stat(named, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG {
        guard let out = fopen(named, "wb") else { throw writeFailure(named, errno) }
        do {
            try emitAll(out, path: named, produce)
        } catch {
            fclose(out)
            throw error
        }
        guard fclose(out) == 0 else { throw writeFailure(named, errno) }
        return
    }
    // realpath fails for a file not there yet: then the name is the target.
    let target = realpath(named, nil).map { resolved in
        defer { free(resolved) }
        return String(cString: resolved)
    } ?? named
    let dir = (target as NSString).deletingLastPathComponent
    let base = (target as NSString).lastPathComponent
    var template = Array(((dir.isEmpty ? "" : dir + "/") + "." + base + ".dabiao-XXXXXX").utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { p in p.baseAddress.map { mkstemp($0) } ?? -1 }
    guard fd >= 0 else { throw writeFailure(named, errno) }
    let temp = String(cString: template.compactMap { $0 == 0 ? nil : UInt8(bitPattern: $0) } + [0])
    guard let file = fdopen(fd, "wb") else {
        let err = errno
        close(fd)
        unlink(temp)
        throw writeFailure(named, err)
    }
    do {
        try emitAll(file, path: named, produce)
    } catch {
        fclose(file)
        unlink(temp)
        throw error
    }
    // fclose flushes: a write that fails only at the end is caught here.
    if fflush(file) != 0 || fsync(fileno(file)) != 0 {
        let err = errno
        fclose(file)
        unlink(temp)
        throw writeFailure(named, err)
    }
    guard fclose(file) == 0 else {
        let err = errno
        unlink(temp)
        throw writeFailure(named, err)
    }
    // mkstemp makes the file 0600; a report is as readable as any file the user writes.
    let mask = umask(0)
    umask(mask)
    chmod(temp, 0o666 & ~mask)
    guard rename(temp, target) == 0 else {
        let err = errno
        unlink(temp)
        throw writeFailure(named, err)
    }
}

func emitAll(_ file: UnsafeMutablePointer<FILE>, path: String, _ produce: (([UInt8]) throws -> Void) throws -> Void) throws {
    try produce { piece in
        let written = piece.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
        if written != piece.count { throw writeFailure(path, errno) }
    }
}

func writeFailure(_ path: String, _ err: Int32) -> InputFailure {
    let reason = String(cString: strerror(err))
    return InputFailure(path: path, message: Bilingual("写入输出失败：\(reason)", "writing the output failed: \(reason)"))
}

func eprint(_ s: String) {
    let safe = TerminalSafety.escapeControls(s)
    FileHandle.standardError.write(Data((safe.hasSuffix("\n") ? safe : safe + "\n").utf8))
}

func useColor(_ o: Options) -> Bool {
    o.output == nil && isatty(1) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
}

func exitCode(_ r: Report, _ o: Options) -> Int32 {
    ExitPolicy(failOn: o.failOn, missingFails: o.missingFails, dataErrorsFail: o.dataErrorsFail).code(for: r)
}

func dataRequest(_ o: Options, paths: [String]) -> Pipeline.DataRequest {
    Pipeline.DataRequest(paths: paths, explicit: o.data, baseline: o.baseline, encoding: o.encoding, delimiter: o.delimiter)
}

func printDiagnostics(_ diags: [Diagnostic], _ files: [SourceFile], _ lang: Lang) {
    for d in diags { eprint(DiagnosticRenderer.render(d, files: files, lang: lang)) }
}

func unknownCommand(_ word: String) -> UsageError {
    let hint = didYouMean(word, among: allCommands)
    return UsageError(message: Bilingual("未知的命令 “\(word)”" + (hint?.zh ?? ""), "unknown command '\(word)'" + (hint?.en ?? "")))
}

func run(_ o: Options) throws -> Int32 {
    let asOf = o.asOf ?? today()
    if o.wantsHelp || o.command == .help {
        let topic = o.command == .help ? (o.positional.first ?? o.unknownCommand) : (o.command?.rawValue ?? o.unknownCommand)
        if let topic, !topic.isEmpty, topic != Command.help.rawValue {
            guard let text = helpText(for: topic, lang: o.lang) else {
                let hint = didYouMean(topic, among: allCommands)
                throw UsageError(message: Bilingual("没有命令 “\(topic)”" + (hint?.zh ?? ""), "no command '\(topic)'" + (hint?.en ?? "")))
            }
            print(text)
        } else {
            print(usageText(o.lang))
        }
        return Exit.ok
    }
    if let word = o.unknownCommand { throw unknownCommand(word) }
    guard let command = o.command else {
        print(usageText(o.lang))
        return Exit.usage
    }
    // A format the command does not write is a usage error before any work.
    if o.formatGiven, let h = commandHelp.first(where: { $0.command == command }), !h.formats.contains(o.format) {
        let formats = h.formats.map(\.rawValue).joined(separator: " ")
        throw UsageError(message: h.formats.isEmpty
            ? Bilingual("命令 \(command.rawValue) 没有 --format 选项", "the command \(command.rawValue) has no --format option")
            : Bilingual("命令 \(command.rawValue) 不支持格式 “\(o.format.rawValue)”（可用 \(formats)）",
                   "the command \(command.rawValue) does not write '\(o.format.rawValue)' (\(formats))"))
    }
    switch command {
    case .help: return Exit.ok
    case .version: return try printVersion(o)
    case .check, .rectify: return try checkOrRectify(o, asOf: asOf, command)
    case .lint: return try lint(o)
    case .rules: return try listRules(o)
    case .test: return try runTests(o, asOf: asOf)
    case .explain: return try explain(o, asOf: asOf)
    case .diff: return try diff(o)
    case .exportRules: return try exportRules(o)
    case .compile: return try compileIR(o)
    case .page: return try writePage(o)
    case .export: return try exportData(o)
    case .sql: return try writeSQL(o, asOf: asOf)
    case .template: return try writeTemplate(o)
    }
}

func printVersion(_ o: Options) throws -> Int32 {
    let zh = o.lang == .zh
    // The rulebooks' checksums say which standard a binary checks against,
    // in sha256sum's layout so a printed list can be compared with the files.
    let files = Pipeline.builtinRulebooks
    print("dabiao \(dabiaoVersion)")
    print(zh ? "内置规则库（\(files.count) 个文件，SHA-256）：" : "built-in rulebooks (\(files.count) files, SHA-256):")
    for f in files { print("\(f.sha256)  \(f.path)") }
    return Exit.ok
}

func checkOrRectify(_ o: Options, asOf: Int, _ command: Command) throws -> Int32 {
    // Every format `check` accepts is a report format (`CommandHelp.formats`).
    let format = ReportFormat(rawValue: o.format.rawValue) ?? .text
    let showAll = command == .check ? (o.showAll ?? format.showsAllByDefault) : false
    let options = RunOptions(asOf: asOf, showAll: showAll, maxCost: o.maxCost)
    // A progress line on stderr, only for a person at a terminal.
    let showProgress = !o.quiet && isatty(2) != 0
    // The JSON report is written as its results are made, never held whole.
    let deferred = command == .check && format == .json
    let report = try Pipeline.check(rules: o.rules, data: dataRequest(o, paths: o.positional), options: options,
                                    deferred: deferred) { phase in
        if showProgress { FileHandle.standardError.write(Data(("\r\u{1B}[K" + phase(o.lang)).utf8)) }
    }
    if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    if command == .rectify {
        let list = RectificationFormat(rawValue: o.format.rawValue) ?? .text
        try write(Pipeline.renderRectification(report, as: list, lang: o.lang), o)
    } else {
        let render = RenderOptions(lang: o.lang, color: useColor(o), maxResults: o.maxResults)
        try writeStream(o) { emit in try Pipeline.write(report, as: format, render, to: emit) }
    }
    return exitCode(report, o)
}

func lint(_ o: Options) throws -> Int32 {
    let zh = o.lang == .zh
    let files = try Pipeline.ruleSources(o.positional.isEmpty ? o.rules : o.positional)
    let (rules, diags) = Pipeline.lint(files)
    let errors = diags.filter { $0.severity == .error }.count
    let warnings = diags.count - errors
    if o.format == .json {
        // The diagnostics and their counts on stdout, for an editor; docs/diagnostics.md.
        print(DiagnosticRenderer.json(diags, files: files, lang: o.lang, rules: rules), terminator: "")
        return errors > 0 ? Exit.cannotRun : Exit.ok
    }
    printDiagnostics(diags, files, o.lang)
    if !o.quiet {
        print(zh ? "检查了 \(files.count) 个规则文件、\(rules) 条规则：\(errors) 个错误，\(warnings) 个警告"
                : "checked \(files.count) rule files, \(rules) rules: \(errors) errors, \(warnings) warnings")
    }
    return errors > 0 ? Exit.cannotRun : Exit.ok
}

func listRules(_ o: Options) throws -> Int32 {
    let program = try Pipeline.compile(try Pipeline.ruleSources(o.rules + o.positional))
    try write(Pipeline.ruleListing(program, lang: o.lang), o)
    return Exit.ok
}

func runTests(_ o: Options, asOf: Int) throws -> Int32 {
    let zh = o.lang == .zh
    let program = try Pipeline.compile(try Pipeline.ruleSources(o.positional.isEmpty ? o.rules : o.positional))
    let summary = Pipeline.runTests(program, asOf: asOf)
    for f in summary.failures {
        eprint("\(f.location): " + (zh ? "测试 “\(f.test)” 失败：" : "test '\(f.test)' failed: ") + f.message(o.lang))
    }
    let failed = summary.failures.count
    if !o.quiet {
        print(zh ? "\(summary.tests) 个测试，\(summary.expectations) 项期望：\(summary.expectations - failed) 项通过，\(failed) 项失败"
                : "\(summary.tests) tests, \(summary.expectations) expectations")
        if o.lang == .en { print("\(summary.expectations - failed) passed, \(failed) failed") }
    }
    return failed > 0 ? Exit.findings : Exit.ok
}

func explain(_ o: Options, asOf: Int) throws -> Int32 {
    let zh = o.lang == .zh
    guard o.positional.count >= 2 else {
        throw UsageError(message: Bilingual("用法：dabiao explain 规则编号 记录标识 [数据…]", "usage: dabiao explain CODE KEY [DATA…]"))
    }
    let program = try Pipeline.compile(try Pipeline.ruleSources(o.rules))
    let inputs = try Pipeline.load(program, dataRequest(o, paths: Array(o.positional.dropFirst(2))))
    guard let text = try Pipeline.explain(program, inputs, rule: o.positional[0], key: o.positional[1], asOf: asOf,
                                          maxCost: o.maxCost, lang: o.lang) else {
        eprint(zh ? "找不到规则 \(o.positional[0]) 对记录 \(o.positional[1]) 的结果" : "no result of rule \(o.positional[0]) for record \(o.positional[1])")
        return Exit.cannotRun
    }
    try write(text, o)
    return Exit.ok
}

func diff(_ o: Options) throws -> Int32 {
    guard o.positional.count == 2 else {
        throw UsageError(message: Bilingual("用法：dabiao diff 旧.json 新.json", "usage: dabiao diff OLD.json NEW.json"))
    }
    guard let old = FileManager.default.contents(atPath: o.positional[0]) else {
        throw InputFailure(path: o.positional[0], message: Bilingual("无法读取文件", "cannot read the file"))
    }
    guard let new = FileManager.default.contents(atPath: o.positional[1]) else {
        throw InputFailure(path: o.positional[1], message: Bilingual("无法读取文件", "cannot read the file"))
    }
    let d = try Pipeline.diff(old: Array(old), new: Array(new))
    let format = ReportComparison.Format(rawValue: o.format.rawValue) ?? .text
    try write(d.render(as: format, lang: o.lang, showAll: o.showAll == true), o)
    return d.hasNewFailures ? Exit.findings : Exit.ok
}

func exportRules(_ o: Options) throws -> Int32 {
    let zh = o.lang == .zh
    guard o.positional.count == 1 else {
        throw UsageError(message: Bilingual("用法：dabiao export-rules 目录", "usage: dabiao export-rules DIR"))
    }
    let written = try Pipeline.exportBuiltinRules(to: o.positional[0])
    if !o.quiet {
        print(zh ? "已写出 \(written.count) 个文件到 \(o.positional[0])；用 --rules \(o.positional[0]) 检查修改后的规则库"
                : "wrote \(written.count) files to \(o.positional[0]); use --rules \(o.positional[0]) to check with the edited rulebooks")
    }
    return Exit.ok
}

func compileIR(_ o: Options) throws -> Int32 {
    // The IR is the command's one format; without --format the output's shape would be a guess.
    guard o.formatGiven, o.format == .ir else {
        throw UsageError(message: Bilingual("用法：dabiao compile --format ir [--rules 规则…] [--output 文件]", "usage: dabiao compile --format ir [--rules RULES…] [--output FILE]"))
    }
    let program = try Pipeline.compile(try Pipeline.ruleSources(o.rules + o.positional))
    try write(Pipeline.ir(program), o)
    return Exit.ok
}

func writePage(_ o: Options) throws -> Int32 {
    let program = try Pipeline.compile(try Pipeline.ruleSources(o.rules + o.positional))
    try write(Pipeline.page(program), o)
    return Exit.ok
}

func exportData(_ o: Options) throws -> Int32 {
    let zh = o.lang == .zh
    guard let dir = o.output else {
        throw UsageError(message: Bilingual("用法：dabiao export [数据…] --output 目录", "usage: dabiao export [DATA…] --output DIR"))
    }
    let program = try Pipeline.compile(try Pipeline.ruleSources(o.rules))
    let inputs = try Pipeline.load(program, dataRequest(o, paths: o.positional))
    let exported = try Pipeline.exportData(program, inputs, to: dir, lang: o.lang)
    if !o.quiet {
        let tables = exported.tables.map { "\($0.file) \($0.records)" }
        print(zh ? "已写出到 \(dir)：\(tables.joined(separator: "、")) 条记录；\(exported.problems) 个数据问题见 \(exported.errorsFile)（被拒收的记录未导出）"
                : "wrote to \(dir): \(tables.joined(separator: ", ")) records; \(exported.problems) data problems in \(exported.errorsFile) (rejected records are not exported)")
    }
    // As for check: the files are written either way, the exit code says whether the data was clean.
    return o.dataErrorsFail && exported.problems > 0 ? Exit.findings : Exit.ok
}

func writeSQL(_ o: Options, asOf: Int) throws -> Int32 {
    guard let dialect = o.dialect else {
        throw UsageError(message: Bilingual("用法：dabiao sql [--schema] --dialect duckdb|postgres|spark [--rules 规则…] [--as-of 日期]", "usage: dabiao sql [--schema] --dialect duckdb|postgres|spark [--rules RULES…] [--as-of DATE]"))
    }
    let program = try Pipeline.compile(try Pipeline.ruleSources(o.rules + o.positional))
    try write(o.schema ? Pipeline.sqlSchema(program, dialect: dialect) : try Pipeline.sqlQuery(program, dialect: dialect, asOf: asOf), o)
    return Exit.ok
}

func writeTemplate(_ o: Options) throws -> Int32 {
    // A CSV holds one table; a workbook takes one sheet per entity.
    let xlsx = o.format == .xlsx
    guard o.positional.count == 1 || (xlsx && !o.positional.isEmpty) else {
        throw UsageError(message: Bilingual("用法：dabiao template 实体（--format xlsx 时可给多个实体）", "usage: dabiao template ENTITY (several with --format xlsx)"))
    }
    if xlsx && o.output == nil && isatty(1) != 0 {
        throw UsageError(message: Bilingual("xlsx 不能输出到终端，请用 --output 文件.xlsx", "an xlsx workbook cannot go to a terminal; use --output FILE.xlsx"))
    }
    let program = try Pipeline.compile(try Pipeline.ruleSources(o.rules))
    let bytes: [UInt8]
    do {
        bytes = try Pipeline.template(program, entities: o.positional, xlsx: xlsx, lang: o.lang)
    } catch let e as Pipeline.UnknownEntity {
        // A name that is not in the rules is a mistake on the command line.
        throw UsageError(message: e.message)
    }
    try writeStream(o) { emit in try emit(bytes) }
    return Exit.ok
}

/// glibc's malloc raises its mmap threshold each time a large block is
/// freed, after which large arrays come from the heap and stay resident once
/// freed: a million-record run then held some 90 MB it no longer used
/// (bench/README.md). A fixed threshold gives every array of 256 KiB or more
/// its own mapping, returned to the system when the array is freed. Looked
/// up at run time, so a C library without `mallopt` is left as it is.
func returnLargeFreedMemory() {
    #if os(Linux)
    typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    let mmapThreshold: Int32 = -3 // M_MMAP_THRESHOLD in <malloc.h>
    guard let process = dlopen(nil, RTLD_NOW), let symbol = dlsym(process, "mallopt") else { return }
    _ = unsafeBitCast(symbol, to: Mallopt.self)(mmapThreshold, 256 << 10)
    #endif
}

var lang = Lang.zh
// Past a file size limit the write must fail with EFBIG, which the output
// code handles, rather than the signal ending the process with a temporary file left.
signal(SIGXFSZ, SIG_IGN)
returnLargeFreedMemory()
// A usage error found while parsing is already in the language asked for.
let arguments = Array(CommandLine.arguments.dropFirst())
if let k = arguments.firstIndex(of: "--lang"), k + 1 < arguments.count, let l = Lang(rawValue: arguments[k + 1]) { lang = l }
do {
    let o = try parse(arguments)
    lang = o.lang
    exit(try run(o))
} catch let e as UsageError {
    eprint("dabiao: " + e.message(lang))
    eprint(lang == .zh ? "运行 dabiao --help 查看用法" : "run dabiao --help for usage")
    exit(Exit.usage)
} catch let e as InputFailure {
    eprint("\(e.path): " + (lang == .zh ? "错误：" : "error: ") + e.message(lang))
    exit(Exit.cannotRun)
} catch Pipeline.Failure.rules(let diags, let files) {
    printDiagnostics(diags, files, lang)
    let n = diags.filter { $0.severity == .error }.count
    eprint(lang == .zh ? "规则有 \(n) 个错误，未执行检查" : "the rules have \(n) errors; nothing was checked")
    exit(Exit.cannotRun)
} catch let e as CommandError {
    eprint((e.namesItsLocation ? "" : "dabiao: ") + e.message(lang))
    exit(Exit.cannotRun)
} catch {
    eprint("dabiao: \(error)")
    exit(Exit.cannotRun)
}
