import DabiaoCore

/// What each command does, its options and examples: `dabiao help CMD` and
/// `dabiao CMD --help`.
struct CommandHelp {
    var command: Command
    var name: String { command.rawValue }
    var usage: Bilingual
    var summary: Bilingual
    var options: [String]
    /// The `--format` values the command writes; empty when it has none.
    var formats: [Format]
    var examples: [(command: String, what: Bilingual)]
}

let commandHelp: [CommandHelp] = [
    CommandHelp(command: .check, usage: Bilingual("dabiao check [数据…] [选项]", "dabiao check [DATA…] [options]"),
                summary: Bilingual("按规则检查数据并生成报告；不给数据时用内置规则库检查内置的甘肃样例。退出码 0 达标，1 有不达标、数据缺失或数据问题，2 无法检查。",
                              "evaluate the rules against the data and report; without DATA, the built-in rulebooks on the built-in Gansu samples. Exit 0 all passes, 1 findings, missing data or data problems, 2 nothing could be checked."),
                options: ["--rules", "--data", "--baseline", "--as-of", "--format", "--output", "--fail-on", "--missing", "--data-errors",
                          "--show", "--max-cost", "--max-results", "--encoding", "--delimiter", "--lang", "--quiet"],
                formats: [.text, .json, .csv, .md, .html, .junit, .sarif],
                examples: [("dabiao check", Bilingual("内置样例", "the built-in samples")),
                           ("dabiao check 数据/ --format html --output 报告.html", Bilingual("检查一个目录并生成网页报告", "a folder, as an HTML report")),
                           ("dabiao check --data school=学校.xlsx --rules 我省规则/", Bilingual("用本省规则库检查一个工作簿", "one workbook with a province's rulebooks")),
                           ("dabiao check 数据/ --format junit --output dabiao.xml || test $? -eq 1", Bilingual("CI 中生成 JUnit 报告", "a JUnit report in CI"))]),
    CommandHelp(command: .rectify, usage: Bilingual("dabiao rectify [数据…] [选项]", "dabiao rectify [DATA…] [options]"),
                summary: Bilingual("只输出整改清单：每条不达标记录要改什么、改多少、谁负责、何时完成。", "the rectification list alone: what each failing record must change, by how much, who owns it, by when."),
                options: ["--rules", "--data", "--baseline", "--as-of", "--format", "--output", "--encoding", "--delimiter", "--lang"],
                formats: [.text, .json, .csv, .md],
                examples: [("dabiao rectify 数据/ --format csv --output 整改清单.csv", Bilingual("整改清单存为 CSV（可用 Excel/WPS 打开）", "the list as CSV, for Excel or WPS"))]),
    CommandHelp(command: .explain, usage: Bilingual("dabiao explain 规则编号 记录标识 [数据…]", "dabiao explain CODE KEY [DATA…]"),
                summary: Bilingual("逐步说明一条规则对一条记录的判定：读取的数据、算出的指标、每个要求是否成立、整改。", "how one rule decided for one record: the data read, the measures, each require, the fixes."),
                options: ["--rules", "--data", "--baseline", "--as-of", "--max-cost", "--lang"], formats: [],
                examples: [("dabiao explain ZZ-02 6262000001", Bilingual("内置样例中的一所学校", "a school of the built-in samples"))]),
    CommandHelp(command: .lint, usage: Bilingual("dabiao lint [规则…]", "dabiao lint [RULES…]"),
                summary: Bilingual("解析并检查规则文件：每个错误给出 文件:行:列、编号（如 E0503，见 docs/diagnostics.md）、原文、指示符和提示；--format json 供编辑器读取。",
                              "parse and type-check rule files; each error gives file:line:column, its code (e.g. E0503, see docs/diagnostics.md), the line, a caret and a hint; --format json for editors."),
                options: ["--rules", "--format", "--lang", "--quiet"], formats: [.text, .json],
                examples: [("dabiao lint 我省规则/", Bilingual("检查修改后的规则库", "check an edited rulebook")),
                           ("dabiao lint 我省规则/ --format json", Bilingual("诊断写成 JSON，供编辑器使用", "the diagnostics as JSON, for an editor"))]),
    CommandHelp(command: .test, usage: Bilingual("dabiao test [规则…]", "dabiao test [RULES…]"),
                summary: Bilingual("运行规则文件中的 test 块。", "run the test blocks of the rule files."),
                options: ["--rules", "--as-of", "--lang", "--quiet"], formats: [],
                examples: [("dabiao test", Bilingual("内置规则库的测试", "the built-in rulebooks' tests"))]),
    CommandHelp(command: .rules, usage: Bilingual("dabiao rules [规则…]", "dabiao rules [RULES…]"),
                summary: Bilingual("列出规则集与规则。", "list rulesets and rules."), options: ["--rules", "--output", "--lang"], formats: [],
                examples: [("dabiao rules", Bilingual("内置规则库", "the built-in rulebooks"))]),
    CommandHelp(command: .exportRules, usage: Bilingual("dabiao export-rules 目录", "dabiao export-rules DIR"),
                summary: Bilingual("把内置规则库写成文件，供各省在其基础上修改；不覆盖已有文件。", "write the built-in rulebooks out as files for a province to edit; existing files are never overwritten."),
                options: ["--lang", "--quiet"], formats: [],
                examples: [("dabiao export-rules 我省规则/ && dabiao check --rules 我省规则/", Bilingual("从内置规则库开始本省规则库", "start a province's rulebook from the built-in one"))]),
    CommandHelp(command: .diff, usage: Bilingual("dabiao diff 旧.json 新.json", "dabiao diff OLD.json NEW.json"),
                summary: Bilingual("比较两份 JSON 报告：新增和删除的记录、新出现的不达标、已整改、仍不达标（按规则计数，--show all 逐条列出）、只在一份报告中的结果和指标变化；有新不达标时退出码为 1。", "compare two JSON reports: new and removed records, newly failing, fixed, still failing (counted per rule; --show all lists each), results in one report only, measure changes; exit 1 when anything newly fails."),
                options: ["--format", "--output", "--show", "--lang"], formats: [.text, .json, .md],
                examples: [("dabiao diff 2023.json 2024.json --format md", Bilingual("两年的报告之比较", "two years' reports compared"))]),
    CommandHelp(command: .template, usage: Bilingual("dabiao template 实体… [--format csv|xlsx]", "dabiao template ENTITY… [--format csv|xlsx]"),
                summary: Bilingual("生成供数据报送用的空白模板（表头为字段标签和单位，第二行为填写说明）。xlsx 工作簿每个实体一张工作表，编码列设为文本格式（Excel 数字只保留 15 位），可选值有下拉列表。",
                              "an empty template for data providers (headers are field labels with units, the second row says what goes in). An xlsx workbook has one sheet per entity, code columns formatted as text (Excel numbers keep only 15 digits) and drop-down lists for `one of` fields."),
                options: ["--rules", "--format", "--output", "--lang"], formats: [.csv, .xlsx],
                examples: [("dabiao template school --output 学校填报模板.csv", Bilingual("学校的填报模板", "the school template")),
                           ("dabiao template school teacher enterprise --format xlsx --output 填报模板.xlsx", Bilingual("三张表合在一个工作簿里", "three tables in one workbook"))]),
    CommandHelp(command: .compile, usage: Bilingual("dabiao compile --format ir [--rules 规则…] [--output 文件]", "dabiao compile --format ir [--rules RULES…] [--output FILE]"),
                summary: Bilingual("把检查过的规则程序写成 IR（JSON），供网页自查工具、SQL 等其他后端读取；格式见 docs/ir.md。",
                              "write the checked program as the IR (JSON) that every other back end (the self-check page, SQL) reads; see docs/ir.md."),
                options: ["--rules", "--format", "--output", "--lang"], formats: [.ir],
                examples: [("dabiao compile --format ir --output rules.ir.json", Bilingual("内置规则库的 IR", "the IR of the built-in rulebooks"))]),
    CommandHelp(command: .page, usage: Bilingual("dabiao page [--rules 规则…] [--output 文件.html]", "dabiao page [--rules RULES…] [--output FILE.html]"),
                summary: Bilingual("生成离线自查网页：一个 HTML 文件，内含规则库（IR）、JavaScript 计算程序和界面，不联网、不安装，双击即可在浏览器中填表或打开 CSV/xlsx 自查；见 docs/page.md。",
                              "write the offline self-check page: one HTML file holding the rulebooks (as the IR), the JavaScript evaluator and the interface; no network, no install, a school opens it in a browser and types in its figures or opens its CSV/xlsx files; see docs/page.md."),
                options: ["--rules", "--output", "--lang"], formats: [],
                examples: [("dabiao page --output 达标自查.html", Bilingual("内置规则库的自查网页", "the page for the built-in rulebooks"))]),
    CommandHelp(command: .export, usage: Bilingual("dabiao export [数据…] --output 目录", "dabiao export [DATA…] --output DIR"),
                summary: Bilingual("把引擎读到的数据（表头匹配、单位换算、取值解析、编码、xlsx 之后）写成每个实体一个规整的 CSV（实体名.csv，上期数据为 prev_实体名.csv），另有 data-errors.csv 列出数据问题；被拒收的记录不导出。数字为字段声明的单位，日期为 YYYY-MM-DD，缺失为空；UTF-8 无 BOM，供导入数据库。不覆盖已有文件。格式见 docs/sql.md。",
                              "write the data as the engine reads it (after header matching, unit conversion, value parsing, encodings, xlsx) as one clean CSV per entity (ENTITY.csv, prev_ENTITY.csv for the baseline) and data-errors.csv; rejected records are not exported. Numbers in the field's declared unit, dates YYYY-MM-DD, missing values empty; UTF-8 without a BOM, for a database. Existing files are never overwritten. See docs/sql.md."),
                options: ["--rules", "--data", "--baseline", "--output", "--data-errors", "--encoding", "--delimiter", "--lang", "--quiet"], formats: [],
                examples: [("dabiao export 数据/ --output 导出/", Bilingual("一个目录的数据，供导入数据库", "a folder's data, ready for a database")),
                           ("dabiao export --output samples-export/", Bilingual("内置样例", "the built-in samples"))]),
    CommandHelp(command: .sql, usage: Bilingual("dabiao sql [--schema] --dialect duckdb|postgres|spark [--rules 规则…] [--as-of 日期]", "dabiao sql [--schema] --dialect duckdb|postgres|spark [--rules RULES…] [--as-of DATE]"),
                summary: Bilingual("把规则编译为一条 SQL 查询（读 IR），对以实体命名的表（上期数据为 prev_实体）每个（规则，记录）返回一行：ruleset, rule, entity, key, outcome, level, measures，结果与 dabiao check 相同；方言无法准确表达的规则报错并指明规则。--schema：各实体的 CREATE TABLE 语句，列与 dabiao export 的文件一致。整改清单仍由 dabiao 生成。见 docs/sql.md。",
                              "compile the rules (read from the IR) into one SQL query over tables named after the entities (prev_ENTITY for the baseline) returning one row per (rule, record): ruleset, rule, entity, key, outcome, level, measures, as dabiao check decides them; a rule the dialect cannot express faithfully is an error naming it. --schema: the CREATE TABLE statements, with the columns of dabiao export's files. The rectification list stays in dabiao. See docs/sql.md."),
                options: ["--schema", "--dialect", "--rules", "--as-of", "--output", "--lang"], formats: [],
                examples: [("dabiao sql --schema --dialect duckdb > schema.sql", Bilingual("DuckDB 的建表语句", "the DuckDB tables")),
                           ("dabiao sql --dialect duckdb --as-of 2024-10-31 > check.sql", Bilingual("内置规则的 DuckDB 查询", "the built-in rules as a DuckDB query"))]),
    CommandHelp(command: .version, usage: Bilingual("dabiao --version", "dabiao --version"), summary: Bilingual("版本号。", "the version."),
                options: [], formats: [], examples: []),
]

let allCommands = Command.allCases.map(\.rawValue)

let allOptions = ["--rules", "--data", "--baseline", "--as-of", "--format", "--output", "--fail-on", "--missing", "--data-errors",
                  "--show", "--encoding", "--delimiter", "--lang", "--max-cost", "--max-results", "--quiet", "--schema", "--dialect", "--help", "--version"]

/// "你是不是要输入 check？" for a mistyped name, or nothing.
func didYouMean(_ name: String, among candidates: [String]) -> Bilingual? {
    guard let c = closestIdentifier(name, among: candidates) else { return nil }
    return Bilingual("；你是不是要输入 \(c)？", "; did you mean \(c)?")
}

func helpText(for name: String, lang: Lang) -> String? {
    guard let h = commandHelp.first(where: { $0.name == name }) else { return nil }
    let zh = lang == .zh
    var out = (zh ? "用法：" : "usage: ") + h.usage(lang) + "\n\n" + h.summary(lang) + "\n"
    if !h.options.isEmpty {
        out += "\n" + (zh ? "选项：" : "options:") + " " + h.options.joined(separator: " ") + "\n"
    }
    if !h.formats.isEmpty {
        out += (zh ? "格式：" : "formats: ") + h.formats.map(\.rawValue).joined(separator: "|") + "\n"
    }
    if !h.examples.isEmpty {
        out += "\n" + (zh ? "示例：" : "examples:") + "\n"
        for e in h.examples { out += "  \(e.command)\n      \(e.what(lang))\n" }
    }
    out += "\n" + (zh ? "全部选项的说明见 dabiao --help。" : "dabiao --help describes every option.")
    return out
}
