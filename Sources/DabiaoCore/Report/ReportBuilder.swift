/// Turns the engine's evaluation into the report every renderer reads: the
/// results in report order, a line per rule, the run's inputs and data
/// problems beside them.
enum ReportBuilder {
    static func build(_ e: consuming Evaluation, program: Program, data: Dataset) -> Report {
        // Taken out, not copied: with a million results a second copy shows in peak memory.
        var results: [RuleResult] = []
        swap(&results, &e.results)
        // Sorting indices, not results: moving a result copies a dozen strings.
        let order = results.withUnsafeBufferPointer { r in
            r.indices.sorted { i, j in
                if r[i].ruleset != r[j].ruleset { return r[i].ruleset < r[j].ruleset }
                if r[i].rule != r[j].rule { return r[i].rule < r[j].rule }
                if r[i].key != r[j].key { return r[i].key < r[j].key }
                return (r[i].sourceLine ?? 0) < (r[j].sourceLine ?? 0)
            }
        }
        results.permute(by: order)
        var rectification: [RectificationItem] = []
        swap(&rectification, &e.rectification)
        let byRecord = rectification.withUnsafeBufferPointer { r in
            r.indices.sorted { i, j in (r[i].entity, r[i].key) < (r[j].entity, r[j].key) }
        }
        rectification.permute(by: byRecord)
        let tallies = program.rules.enumerated().map { i, rule in
            RuleTally(ruleset: program.rulesets[rule.ruleset].id, rule: rule.code, title: rule.title,
                      level: rule.requires.map(\.level).max() ?? rule.severity, cite: rule.cite,
                      summary: i < e.ruleSummaries.count ? e.ruleSummaries[i] : Summary(),
                      requires: rule.requires.map { RequireText(source: $0.source, label: $0.label, level: $0.level) },
                      url: rule.url)
        }.sorted { ($0.ruleset, $0.rule) < ($1.ruleset, $1.rule) }
        return Report(asOf: e.asOf, rulesets: program.rulesets, inputs: data.inputs, rulesFiles: [],
                      summary: e.summary, tallies: tallies, results: results, rectification: rectification,
                      dataErrors: data.errors, notes: data.notes, waivers: e.waivers, showsAll: e.showsAll,
                      cities: e.cities)
    }
}

extension Engine {
    /// Evaluates and builds the report in one step.
    public func run(_ options: RunOptions) -> Report {
        ReportBuilder.build(evaluate(options), program: program, data: data)
    }
}
