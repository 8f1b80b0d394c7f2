import Foundation

/// Turns the engine's evaluation into the report every renderer reads: the
/// results in report order, a line per rule, the run's inputs and data
/// problems beside them. The details of each shown result (measures,
/// message, fixes) and each 整改清单 entry are asked of the engine part by
/// part: all at once for a report held in memory, or as the JSON report
/// writes them (`Report.deferred`), so its memory does not grow with the
/// number of results.
enum ReportBuilder {
    /// Results and entries asked of the engine at a time.
    static let partSize = 4096

    static func build(_ e: Evaluation, engine: Engine, deferred: Bool = false) -> Report {
        let program = engine.program
        // Rules by ruleset and code, records within a rule as the evaluation ordered them.
        let ruleOrder = program.rules.indices.sorted {
            (program.rulesets[program.rules[$0].ruleset].id, program.rules[$0].code)
                < (program.rulesets[program.rules[$1].ruleset].id, program.rules[$1].code)
        }
        let entityOrder = program.entities.indices.sorted { program.entities[$0].name < program.entities[$1].name }
        let asOf = e.asOf
        let solved = e.solved
        let failing = e.rectifyFailing
        let results = Pieces(lists: ruleOrder.map { ($0, e.shown.indices.contains($0) ? e.shown[$0] : RowList()) })
        let items = Pieces(lists: entityOrder.map { ($0, e.rectify.indices.contains($0) ? e.rectify[$0] : RowList()) })
        let source = DeferredResults(
            resultCount: results.count, rectificationCount: items.count,
            results: { range in
                results.gather(range) { rule, rows, _ in
                    engine.results(rule: rule, rows: rows, asOf: asOf, solved: solved.indices.contains(rule) ? solved[rule] : nil)
                }
            },
            rectification: { range in
                items.gather(range) { entity, rows, first in
                    engine.rectification(entity: entity, rows: rows, asOf: asOf, solved: solved,
                                         failing: failing.indices.contains(entity) ? failing[entity] : nil, from: first)
                }
            })
        let tallies = program.rules.enumerated().map { i, rule in
            RuleTally(ruleset: program.rulesets[rule.ruleset].id, rule: rule.code, title: rule.title,
                      level: rule.requires.map(\.level).max() ?? rule.severity, cite: rule.cite,
                      summary: i < e.ruleSummaries.count ? e.ruleSummaries[i] : Summary(),
                      requires: rule.requires.map { RequireText(source: $0.source, label: $0.label, level: $0.level) },
                      url: rule.url)
        }.sorted { ($0.ruleset, $0.rule) < ($1.ruleset, $1.rule) }
        var report = Report(asOf: e.asOf, rulesets: program.rulesets, inputs: engine.data.inputs, rulesFiles: [],
                            summary: e.summary, tallies: tallies, results: [], rectification: [],
                            dataErrors: engine.data.errors, notes: engine.data.notes, waivers: e.waivers, showsAll: e.showsAll,
                            cities: e.cities)
        if deferred {
            report.deferred = source
        } else {
            report.results = materialize(source.resultCount, source.results)
            report.rectification = materialize(source.rectificationCount, source.rectification)
        }
        return report
    }

    /// Every element, fetched part by part on both cores.
    static func materialize<T: Sendable>(_ count: Int, _ fetch: @escaping @Sendable (Range<Int>) -> [T]) -> [T] {
        concurrentParts(count: count, parts: (count + partSize - 1) / partSize, fetch)
    }
}

/// Lists of rows, each belonging to one rule or entity, read as one
/// sequence: element `i` of the whole is found by its list's offset.
struct Pieces: Sendable {
    let lists: [(owner: Int, rows: RowList)]
    let offsets: [Int]
    var count: Int { offsets.last ?? 0 }

    init(lists: [(Int, RowList)]) {
        self.lists = lists.map { (owner: $0.0, rows: $0.1) }
        var offsets = [0]
        for l in lists { offsets.append((offsets.last ?? 0) + l.1.count) }
        self.offsets = offsets
    }

    /// The elements at `range` of the whole, made list by list by `make`
    /// from the list's owner, its rows in the range, and where in the list
    /// they start.
    func gather<T>(_ range: Range<Int>, _ make: (Int, [Int32], Int) -> [T]) -> [T] {
        var out: [T] = []
        for (i, list) in lists.enumerated() where offsets[i] < range.upperBound && offsets[i + 1] > range.lowerBound {
            let lo = max(range.lowerBound, offsets[i]) - offsets[i]
            let hi = min(range.upperBound, offsets[i + 1]) - offsets[i]
            // A part within one list (nearly all of them) is that list's
            // array itself: appending would copy and release every element.
            let made = make(list.owner, list.rows.rows(lo..<hi), lo)
            if out.isEmpty { out = made } else { out += made }
        }
        return out
    }
}

extension Engine {
    /// Evaluates and builds the report, every result in memory.
    func run(_ options: RunOptions) -> Report {
        ReportBuilder.build(evaluate(options), engine: self)
    }
}
