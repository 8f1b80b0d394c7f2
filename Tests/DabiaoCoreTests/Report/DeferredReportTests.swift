import XCTest
@testable import DabiaoCore

/// The JSON report of `check` is written as its results are made
/// (`Report.deferred`); it must be the report held in memory, byte for byte,
/// and both must list results in report order whatever order the file has.
final class DeferredReportTests: XCTestCase {
    func testDeferredJSONEqualsTheReportInMemoryForRecordsInAnyOrder() throws {
        var g = SeededRNG(seed: 11)
        let rules = BlockPathTests.rules([0, 7, 11, 13, 19, 20], when: nil)
        let d = BlockPathTests.data(3000, &g)
        // The records in a shuffled order, so keys are not sorted in the file.
        var lines = d.units.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let header = lines.removeFirst()
        for i in stride(from: lines.count - 1, to: 0, by: -1) { lines.swapAt(i, g.int(0...i)) }
        let units = ([header] + lines).joined(separator: "\n") + "\n"
        let p = try Core.program(rules)
        let data = try Core.load(p, [("unit_", "unit.csv", units), ("item", "item.csv", d.items)])
        let engine = Engine(program: p, data: data)
        for showAll in [true, false] {
            let options = RunOptions(asOf: Core.asOf, showAll: showAll, workers: 2)
            let inMemory = engine.run(options)
            let deferred = ReportBuilder.build(engine.evaluate(options), engine: engine, deferred: true)
            XCTAssertTrue(deferred.results.isEmpty && deferred.rectification.isEmpty, "nothing held")
            XCTAssertEqual(deferred.deferred?.resultCount, inMemory.results.count)
            XCTAssertEqual(deferred.deferred?.rectificationCount, inMemory.rectification.count)
            XCTAssertGreaterThan(inMemory.results.count, 2 * 4096, "several parts")
            XCTAssertGreaterThan(inMemory.rectification.count, 0)
            var written: [UInt8] = []
            JSONReport.write(deferred, lang: .zh) { written += $0 }
            XCTAssertTrue(written == JSONReport.renderBytes(inMemory, lang: .zh), "deferred and in-memory JSON differ (showAll \(showAll))")
            // Report order, checked directly: ruleset, rule, key, line.
            for (a, b) in zip(inMemory.results, inMemory.results.dropFirst()) {
                let ka = (a.ruleset, a.rule, a.key, a.sourceLine ?? 0), kb = (b.ruleset, b.rule, b.key, b.sourceLine ?? 0)
                XCTAssertTrue(ka < kb, "\(ka) before \(kb)")
            }
            for (a, b) in zip(inMemory.rectification, inMemory.rectification.dropFirst()) {
                XCTAssertTrue((a.entity, a.key) < (b.entity, b.key))
            }
            // The solver ran once, in the evaluation: its answers are kept for
            // exactly the failed and waived results of rules with an adjust.
            let evaluation = engine.evaluate(options)
            for (i, rule) in p.rules.enumerated() {
                let failed = inMemory.results.filter { $0.rule == rule.code && ($0.outcome == .fail || $0.outcome == .waived) }
                let expected = rule.adjusts.isEmpty ? 0 : failed.count
                XCTAssertEqual(evaluation.solved[i].rows.count, expected, rule.code)
                XCTAssertEqual(evaluation.solved[i].status.count, expected * rule.adjusts.count, rule.code)
            }
            // Every shown result is there: as many as the counts say.
            let s = inMemory.summary
            let shown = showAll ? s.results : s.results - s.pass - s.notApplicable
            XCTAssertEqual(inMemory.results.count, shown)
        }
    }
}
