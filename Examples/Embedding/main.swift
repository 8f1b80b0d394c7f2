import DabiaoCore
import Foundation

// Check data against the built-in rulebooks and print the report in English.
let program = try Pipeline.compile(try Pipeline.ruleSources([]))       // or ["我省规则/"]
let inputs = try Pipeline.load(program, Pipeline.DataRequest(paths: Array(CommandLine.arguments.dropFirst())))
let asOf = Pipeline.parseDate("2024-10-31") ?? 0
let report = try Pipeline.check(program, inputs, options: RunOptions(asOf: asOf, showAll: false))
print(Pipeline.render(report, as: .text, RenderOptions(lang: .en)), terminator: "")
let policy = ExitPolicy(failOn: .error, missingFails: true, dataErrorsFail: true)
exit(policy.code(for: report))
