import Foundation
import XCTest
@testable import DabiaoCore

/// `dabiao diff OLD.json NEW.json` on two real runs: the built-in 2024
/// samples, and "a year later" — a copy of them made here in which one
/// school lost teachers (newly failing ZZ-02) and one that failed ZZ-02 hired
/// enough (fixed), audited on 2025-10-31 with the 2024 data as baseline.
final class SampleDiffTests: XCTestCase {
    static let teachersColumn = "专任教师数（人）"
    static let keyColumn = "学校标识码"
    /// Passes ZZ-02 (专任教师不少于60人) with 98 teachers in 2024.
    static let worse = (key: "6262100007", teachers: "50")
    /// Fails ZZ-02 with 48 teachers in 2024.
    static let better = (key: "6262100161", teachers: "200")
    /// Fails ZZ-02 with 55 teachers and is left alone.
    static let unchanged = "6262100686"
    /// A school opened since, reported with its name and kind (copied from
    /// `unchanged`) and every number blank.
    static let newcomer = (key: "6262199999", name: "新建职业学校")
    /// The columns copied for the newcomer; the rest are left blank.
    static let newcomerKeeps: Set<String> = ["办学层次", "所属市州", "学校类型", "达标分类", "专业大类"]

    struct Setup {
        var old: Report
        var new: Report
        var diff: DiffResult
    }

    static let setup: Result<Setup, SampleReports.Failure> = {
        do { return .success(try makeSetup()) } catch { return .failure(SampleReports.Failure(description: "\(error)")) }
    }()

    static func makeSetup() throws -> Setup {
        let sample = Pipeline.sampleData
        let fm = FileManager.default
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("dabiao-diff-\(ProcessInfo.processInfo.processIdentifier)")
            .appendingPathComponent("gansu-2025")
        try? fm.removeItem(at: dir)
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        let written = try BuiltinFiles.export(sample.data, to: dir.path)
        guard !written.isEmpty else { throw SampleReports.Failure(description: "no built-in samples") }
        // The 2024 samples, unchanged, are the baseline of the edited year.
        let baselineDir = dir.deletingLastPathComponent().appendingPathComponent("gansu-2024")
        _ = try BuiltinFiles.export(sample.data, to: baselineDir.path)
        let schoolURL = dir.appendingPathComponent("school.csv")
        guard let bytes = fm.contents(atPath: schoolURL.path) else { throw SampleReports.Failure(description: "no school.csv") }
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var rows = try parseCSV(text).map(\.fields)
        guard let header = rows.first, let k = header.firstIndex(of: keyColumn), let t = header.firstIndex(of: teachersColumn) else {
            throw SampleReports.Failure(description: "school.csv lacks \(keyColumn) or \(teachersColumn)")
        }
        var edited = 0
        for i in rows.indices.dropFirst() where rows[i].count > max(k, t) {
            if rows[i][k] == worse.key { rows[i][t] = worse.teachers; edited += 1 }
            if rows[i][k] == better.key { rows[i][t] = better.teachers; edited += 1 }
        }
        guard edited == 2 else { throw SampleReports.Failure(description: "expected to edit 2 rows, edited \(edited)") }
        guard let n = header.firstIndex(of: "学校名称"), let model = rows.first(where: { $0.count > k && $0[k] == unchanged }) else {
            throw SampleReports.Failure(description: "school.csv lacks 学校名称 or \(unchanged)")
        }
        var added = header.indices.map { header[$0] == keyColumn || newcomerKeeps.contains(header[$0]) ? model[$0] : "" }
        added[k] = newcomer.key
        added[n] = newcomer.name
        rows.append(added)
        let csv = rows.map { $0.map(quote).joined(separator: ",") }.joined(separator: "\n") + "\n"
        try Data(csv.utf8).write(to: schoolURL)

        let old = try SampleReports.full.get()
        let new = try SampleReports.check(data: dir.path, baseline: baselineDir.path, asOf: CivilDate.unchecked(year: 2025, month: 10, day: 31))
        try? fm.removeItem(at: dir.deletingLastPathComponent())
        let diff = try ReportDiff.diff(old: JSONReport.renderBytes(old, lang: .zh), new: JSONReport.renderBytes(new, lang: .zh))
        return Setup(old: old, new: new, diff: diff)
    }

    static func quote(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    func setup() throws -> Setup { try Self.setup.get() }

    static func id(_ e: DiffEntry) -> String { [e.ruleset, e.rule, e.entity, e.key].joined(separator: "/") }
    static func id(_ x: RuleResult) -> String { [x.ruleset, x.rule, x.entity, x.key].joined(separator: "/") }
    static func zz02(_ key: String) -> String { "zz_setting/ZZ-02/school/" + key }

    func testTheEditsLandedInTheNewReport() throws {
        let s = try setup()
        let teachers = s.new.results.first { Self.id($0) == Self.zz02(Self.worse.key) }?.measures.first?.value
        XCTAssertEqual(teachers, 50)
        XCTAssertEqual(s.new.asOf, CivilDate.unchecked(year: 2025, month: 10, day: 31))
    }

    func testNewlyFailingFixedAndStillFailing() throws {
        let s = try setup()
        let d = s.diff
        let newly = Set(d.newlyFailing.map(Self.id))
        let fixed = Set(d.fixed.map(Self.id))
        let still = Set(d.stillFailing.map(Self.id))
        XCTAssertTrue(newly.contains(Self.zz02(Self.worse.key)))
        XCTAssertTrue(fixed.contains(Self.zz02(Self.better.key)))
        XCTAssertTrue(still.contains(Self.zz02(Self.unchanged)))
        XCTAssertFalse(still.contains(Self.zz02(Self.worse.key)))
        XCTAssertTrue(newly.isDisjoint(with: fixed) && newly.isDisjoint(with: still) && fixed.isDisjoint(with: still))

        guard let e = d.newlyFailing.first(where: { Self.id($0) == Self.zz02(Self.worse.key) }) else { return }
        XCTAssertEqual(e.oldOutcome, .pass)
        XCTAssertEqual(e.newOutcome, .fail)
        XCTAssertEqual(e.measures, [DiffMeasureChange(name: "专任教师数", unit: "人", old: 98, new: 50)])
        XCTAssertEqual(e.measures.first?.delta, -48)
        guard let f = d.fixed.first(where: { Self.id($0) == Self.zz02(Self.better.key) }) else { return }
        XCTAssertEqual(f.oldOutcome, .fail)
        XCTAssertEqual(f.newOutcome, .pass)
        XCTAssertEqual(f.measures.first?.delta, 152)

        // The same sets, computed straight from the two reports.
        let oldFail = Set(s.old.results.filter { $0.outcome == .fail }.map(Self.id))
        let newFail = Set(s.new.results.filter { $0.outcome == .fail }.map(Self.id))
        let newClean = Set(s.new.results.filter { $0.outcome == .pass || $0.outcome == .notApplicable }.map(Self.id))
        XCTAssertEqual(newly, newFail.subtracting(oldFail))
        XCTAssertEqual(still, newFail.intersection(oldFail))
        XCTAssertEqual(fixed, oldFail.intersection(newClean))
        XCTAssertEqual(d.oldSummary.fail, s.old.summary.fail)
        XCTAssertEqual(d.newSummary.fail, s.new.summary.fail)
        XCTAssertEqual(d.oldAsOf, "2024-10-31")
        XCTAssertEqual(d.newAsOf, "2025-10-31")
    }

    /// The case: a new school whose results are all missing was
    /// mentioned nowhere, as none of them fails.
    func testANewSchoolWithBlankDataIsListed() throws {
        let s = try setup()
        let d = s.diff
        let mine = s.new.results.filter { $0.key == Self.newcomer.key }
        XCTAssertFalse(mine.isEmpty)
        XCTAssertFalse(mine.contains { $0.outcome == .pass }, "blank data never passes")
        let record = try XCTUnwrap(d.newRecords?.first { $0.key == Self.newcomer.key })
        XCTAssertEqual(record.entity, "school")
        XCTAssertEqual(record.name, Self.newcomer.name)
        // Its outcomes are exactly those of the new report.
        var expected: [Outcome: Int] = [:]
        for x in mine { expected[x.outcome, default: 0] += 1 }
        XCTAssertEqual(record.outcomes, expected)
        XCTAssertGreaterThan(expected[.missing] ?? 0, 0)
        // Nothing but the newcomer is new; the old report is full, so the
        // records are known, and nothing was removed.
        let oldKeys = Set(s.old.results.map { $0.entity + "/" + $0.key })
        let newKeys = Set(s.new.results.map { $0.entity + "/" + $0.key })
        XCTAssertEqual(Set(d.newRecords?.map { $0.entity + "/" + $0.key } ?? []), newKeys.subtracting(oldKeys))
        XCTAssertEqual(d.removedRecords, [])
        XCTAssertTrue(ReportDiff.renderText(d, lang: .zh).contains("\n  school \(Self.newcomer.key) \(Self.newcomer.name)  "))
        XCTAssertFalse(d.onlyNew.contains { $0.key == Self.newcomer.key }, "told once, in the record's line")
    }

    /// With `--show failures` on the old side, the newcomer cannot be told
    /// new, but its missing data are still listed, result by result.
    func testANewSchoolAgainstAFailuresOnlyReport() throws {
        let s = try setup()
        var old = s.old
        old.results = old.results.filter { $0.outcome != .pass && $0.outcome != .notApplicable }
        old.showsAll = false
        let d = try ReportDiff.diff(old: JSONReport.renderBytes(old, lang: .zh), new: JSONReport.renderBytes(s.new, lang: .zh))
        XCTAssertTrue(d.oldPartial)
        XCTAssertNil(d.newRecords)
        let listed = d.onlyNew.filter { $0.key == Self.newcomer.key } + d.newlyFailing.filter { $0.key == Self.newcomer.key }
        // All but what passes or does not apply, which the old report would
        // not have listed either.
        XCTAssertEqual(listed.count, s.new.results.filter {
            $0.key == Self.newcomer.key && $0.outcome != .pass && $0.outcome != .notApplicable
        }.count)
        let missing = try XCTUnwrap(d.onlyNew.first { $0.key == Self.newcomer.key && $0.newOutcome == .missing })
        XCTAssertFalse(missing.missingLabels.isEmpty)
        XCTAssertEqual(missing.missingLabels.count, missing.missingFields.count)
        let text = ReportDiff.renderText(d, lang: .zh)
        XCTAssertTrue(text.contains("      缺失：" + missing.missingLabels.joined(separator: "、") + "\n"))
        // Labels, not field names, for people.
        for f in missing.missingFields where !missing.missingLabels.contains(f) {
            XCTAssertFalse(text.contains("缺失：\(f)"), f)
        }
    }

    func testIndicatorChanges() throws {
        let d = try setup().diff
        let changed = Dictionary(d.indicatorChanges.map { (Self.id($0), $0) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(changed[Self.zz02(Self.worse.key)]?.measures.first?.new, 50)
        XCTAssertEqual(changed[Self.zz02(Self.better.key)]?.measures.first?.new, 200)
        XCTAssertNil(changed[Self.zz02(Self.unchanged)], "nothing changed for the school left alone")
        XCTAssertTrue(d.indicatorChanges.allSatisfy { !$0.measures.isEmpty && $0.oldOutcome != nil && $0.newOutcome != nil })
    }

    func testTextRendering() throws {
        let d = try setup().diff
        let zh = ReportDiff.renderText(d, lang: .zh)
        XCTAssertTrue(zh.hasPrefix("报告对比：2024-10-31 → 2025-10-31\n"))
        XCTAssertTrue(zh.contains("\n新增不达标（\(d.newlyFailing.count)）\n"))
        XCTAssertTrue(zh.contains("\n已整改（\(d.fixed.count)）\n"))
        XCTAssertTrue(zh.contains("\n仍不达标（\(d.stillFailing.count)，按规则计数；--show all 逐条列出）\n"))
        // Collapsed: one line per rule, counts adding up, no record listed.
        XCTAssertEqual(d.stillFailingByRule.map(\.count).reduce(0, +), d.stillFailing.count)
        for c in d.stillFailingByRule { XCTAssertTrue(zh.contains("\n  \(c.rule) \(c.title)  \(c.count)\n"), c.rule) }
        XCTAssertFalse(zh.contains("  ZZ-02 school \(Self.unchanged) "))
        XCTAssertTrue(ReportDiff.renderText(d, lang: .zh, showAll: true).contains("  ZZ-02 school \(Self.unchanged) "))
        XCTAssertTrue(zh.contains("  ZZ-02 school \(Self.worse.key) "))
        XCTAssertTrue(zh.contains("      达标 → 不达标·错误\n"))
        XCTAssertTrue(zh.contains("      专任教师数 98 → 50 人（-48）\n"))
        XCTAssertTrue(zh.contains("不达标 \(d.oldSummary.fail) → \(d.newSummary.fail)"))
        let en = ReportDiff.renderText(d, lang: .en)
        XCTAssertTrue(en.contains("\nNewly failing (\(d.newlyFailing.count))\n"))
        XCTAssertTrue(en.contains("\nFixed (\(d.fixed.count))\n"))
        XCTAssertTrue(en.contains("      pass → fail·error\n"))
        XCTAssertTrue(en.contains("      专任教师数 98 → 50 人 (-48)\n"))
    }

    func testJSONRendering() throws {
        let d = try setup().diff
        let any = try JSONSerialization.jsonObject(with: Data(ReportDiff.renderJSON(d).utf8))
        guard let top = any as? [String: Any] else { return XCTFail("diff JSON is not an object") }
        for (name, list) in [("newlyFailing", d.newlyFailing), ("fixed", d.fixed), ("stillFailing", d.stillFailing),
                             ("otherChanges", d.otherChanges), ("indicatorChanges", d.indicatorChanges)] {
            XCTAssertEqual((top[name] as? [Any])?.count, list.count, name)
        }
        let newly = top["newlyFailing"] as? [[String: Any]] ?? []
        guard let e = newly.first(where: { $0["key"] as? String == Self.worse.key && $0["rule"] as? String == "ZZ-02" }) else {
            return XCTFail("the newly failing school is not in the JSON")
        }
        XCTAssertEqual((e["old"] as? [String: Any])?["outcome"] as? String, "pass")
        XCTAssertEqual((e["new"] as? [String: Any])?["outcome"] as? String, "fail")
        let m = (e["measures"] as? [[String: Any]])?.first
        XCTAssertEqual((m?["delta"] as? NSNumber)?.doubleValue, -48)
        let old = (top["old"] as? [String: Any])?["summary"] as? [String: Any]
        XCTAssertEqual((old?["fail"] as? NSNumber)?.intValue, d.oldSummary.fail)
    }

    func testMarkdownRendering() throws {
        let d = try setup().diff
        let md = ReportDiff.renderMarkdown(d, lang: .zh)
        XCTAssertTrue(md.hasPrefix("# 报告对比\n\n2024-10-31 → 2025-10-31\n"))
        XCTAssertTrue(md.contains("\n## 新增不达标（\(d.newlyFailing.count)）\n"))
        XCTAssertTrue(md.contains("\n## 已整改（\(d.fixed.count)）\n"))
        XCTAssertTrue(md.contains("| \(d.newlyFailing.count) | \(d.fixed.count) | \(d.stillFailing.count) | "))
        XCTAssertTrue(md.contains("| ZZ-02 专任教师不少于60人 | school \(Self.worse.key) | "))
        XCTAssertTrue(md.contains("| 达标 | 不达标·错误 |   | 专任教师数 98 → 50 人（-48） |"))
        let en = ReportDiff.renderMarkdown(d, lang: .en)
        XCTAssertTrue(en.contains("\n## Newly failing (\(d.newlyFailing.count))\n"))
        XCTAssertTrue(en.contains("| pass | fail·error |   | 专任教师数 98 → 50 人 (-48) |"))
        // Each section's table has one row per entry.
        let section = md.components(separatedBy: "\n## 新增不达标").dropFirst().first ?? ""
        let table = section.components(separatedBy: "\n## ").first ?? ""
        XCTAssertEqual(table.components(separatedBy: "\n| ").count - 3, d.newlyFailing.count)
    }
}
