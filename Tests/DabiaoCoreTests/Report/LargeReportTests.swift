import XCTest
@testable import DabiaoCore

/// Long result lists are written in parts on several threads; the bytes
/// must be those of the one-piece tree renderer.
final class LargeReportTests: XCTestCase {
    func testReportWrittenInPartsEqualsTheTreeRendering() throws {
        var g = SeededRNG(seed: 7)
        let rules = BlockPathTests.rules([0, 7, 11, 13, 19, 20], when: nil)
        let d = BlockPathTests.data(6000, &g)
        let p = try Core.program(rules)
        let data = try Core.load(p, [("unit_", "unit.csv", d.units), ("item", "item.csv", d.items)])
        let r = Engine(program: p, data: data).run(RunOptions(asOf: Core.asOf, showAll: true, workers: 2))
        XCTAssertGreaterThan(r.results.count, 3 * 4096, "enough results for several parts")
        XCTAssertGreaterThan(r.rectification.count, 4096, "enough rectification items for several parts")
        for lang in [Lang.zh, .en] {
            let streamed = JSONReport.renderBytes(r, lang: lang)
            let tree = Array(JSONReport.value(r, lang: lang).render().utf8)
            XCTAssertEqual(streamed.count, tree.count)
            XCTAssertTrue(streamed == tree, "streamed and tree renderings differ")
            XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(streamed)))
        }
    }

    /// The members the samples never produce (a fix without a change and its
    /// reason, conflicts, unresolved rules, nulls, escapes) written both
    /// ways: the stream writers must give the tree's bytes.
    func testEveryOptionalMemberIsStreamedAsTheTreeRendersIt() {
        let reason = Bilingual("无法通过调整\"学生数\"达标", "no change of \"students\" passes")
        let fixes = [
            Fix(field: "teachers", label: "教师", from: 12, to: 15.5, delta: 3.5, unit: "人", action: "补充\n教师", reason: nil),
            Fix(field: "area", label: "面积", from: nil, to: nil, delta: nil, unit: "m²", action: nil, reason: reason),
        ]
        var result = RuleResult(ruleset: "s", rule: "R-1", title: "标题\t", entity: "school", key: "K\u{1}", name: nil, city: "兰州市",
                                outcome: .fail, level: .warning, measures: [MeasureValue(name: "m", value: nil, unit: "")],
                                message: "x", cite: "art. 3", missingFields: ["a"], fixes: fixes, sourcePath: nil, sourceLine: nil,
                                failedRequires: ["r"], waiverReason: "w", owner: nil, deadline: 20_000)
        result.undefinedReason = .divisionByZero
        result.missingLabels = [FieldLabel(label: "甲")]
        let change = RectificationChange(field: "teachers", label: "教师", from: 1, to: nil, delta: -0.25, unit: "人", rules: ["R-1", "R-2"], action: nil)
        let items = [
            RectificationItem(entity: "school", key: "K", name: "学校", city: nil, owner: "教育局", deadline: 20_100, changes: [change],
                              conflicts: [Bilingual("冲突", "conflict")], passesAfter: ["R-1"], stillFailing: ["R-2"],
                              unresolved: [(rule: "R-2", reason: reason)]),
            RectificationItem(entity: "school", key: "L", name: nil, city: nil, owner: nil, deadline: nil, changes: [],
                              conflicts: [], passesAfter: [], stillFailing: [], unresolved: []),
        ]
        for lang in [Lang.zh, .en] {
            for f in fixes {
                var out = JSONStream()
                JSONReport.writeFix(f, lang: lang, &out)
                XCTAssertEqual(String(decoding: out.finish(), as: UTF8.self), JSONReport.fix(f, lang: lang).render())
            }
            for item in items {
                var out = JSONStream()
                JSONReport.writeRectification(item, lang: lang, &out)
                XCTAssertEqual(String(decoding: out.finish(), as: UTF8.self), JSONReport.rectification(item, lang: lang).render())
            }
            var out = JSONStream()
            JSONReport.writeResult(result, lang: lang, &out)
            XCTAssertEqual(String(decoding: out.finish(), as: UTF8.self), JSONReport.result(result, lang: lang).render())
        }
    }

    /// Containers deeper than the 64 the stream keeps in one word, with
    /// members before and after the deep part at every level.
    func testDeepNestingIsStreamedAsTheTreeRendersIt() {
        var value = JSON.array([.number(1), .object([("k", .string("v")), ("e", .array([]))])])
        for level in 0..<70 {
            value = level % 2 == 0 ? .array([.string("before"), value, .null]) : .object([("a", .bool(true)), ("b", value), ("c", .object([]))])
        }
        var out = JSONStream()
        out.value(value)
        XCTAssertEqual(String(decoding: out.finish(), as: UTF8.self), value.render())
    }
}
