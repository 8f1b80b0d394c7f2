@testable import DabiaoCore

/// Hand-built reports for the renderer tests: every outcome, two rulesets,
/// two cities (and a record without one), a rectification item, a data
/// error, a note and a waiver, with names full of characters that each
/// output format must escape.
enum ReportFixtures {
    static func result(_ ruleset: String, _ rule: String, _ title: String, key: String, name: String?, city: String?,
                       _ outcome: Outcome, level: Level? = nil, measures: [MeasureValue] = [], message: String? = nil,
                       cite: String? = nil, missing: [String] = [], fixes: [Fix] = [], line: Int? = nil,
                       waiver: String? = nil) -> RuleResult {
        RuleResult(ruleset: ruleset, rule: rule, title: title, entity: "school", key: key, name: name, city: city,
                   outcome: outcome, level: outcome == .fail || outcome == .waived ? (level ?? .error) : level,
                   measures: measures, message: message, cite: cite, missingFields: missing, fixes: fixes,
                   sourcePath: line == nil ? nil : "samples/学校 data.csv", sourceLine: line, failedRequires: [],
                   waiverReason: waiver, owner: nil, deadline: nil)
    }

    static let areaCite = "《中等职业学校设置标准》第十条"
    static let ratioCite = "教职成〔2010〕12号 附件"

    /// Results in report order: by ruleset, rule code, key.
    static var results: [RuleResult] {
        let area = "生均校舍建筑面积"
        let fix = Fix(field: "building_area", label: "校舍建筑面积", from: 30400, to: 40000, delta: 9600, unit: "平方米",
                      action: "新建、改扩建或租用校舍", reason: nil)
        let noFix = Fix(field: "teachers", label: "专任教师数", from: nil, to: nil, delta: nil, unit: "人", action: nil,
                        reason: Bilingual("缺少现值", "no current value"))
        return [
            result("gz_basic", "GZ-01", "生师比", key: "G001", name: "甘肃某职业技术学院", city: "兰州市", .pass,
                   measures: [MeasureValue(name: "生师比", value: 16.5, unit: "")], cite: ratioCite, line: 2),
            result("gz_basic", "GZ-01", "生师比", key: "G002", name: "天水\"职业\"学院", city: "天水市", .missing,
                   cite: ratioCite, missing: ["专任教师数"], fixes: [noFix], line: 3),
            result("zz_basic", "ZZ-01", "在校生规模", key: "6262000001", name: "兰州市第一中等职业学校", city: "兰州市", .notApplicable,
                   cite: areaCite, line: 2),
            result("zz_basic", "ZZ-01", "在校生规模", key: "6262000002", name: "A|B 学校, 分校", city: "天水市", .waived,
                   message: "规模不足", cite: areaCite, line: 3, waiver: "新建学校过渡期"),
            result("zz_basic", "ZZ-02", "生均校舍建筑面积", key: "6262000001", name: "兰州市第一中等职业学校", city: "兰州市", .fail,
                   level: .error, measures: [MeasureValue(name: area, value: 15.2, unit: "平方米/人")],
                   message: "生均校舍建筑面积 15.2 平方米/人，低于 20 平方米/人\n请整改", cite: areaCite, fixes: [fix], line: 2),
            result("zz_basic", "ZZ-02", "生均校舍建筑面积", key: "6262000002", name: "A|B 学校, 分校", city: "天水市", .pass,
                   measures: [MeasureValue(name: area, value: 22, unit: "平方米/人")], cite: areaCite, line: 3),
            result("zz_basic", "ZZ-03", "实训设备值", key: "6262000001", name: "兰州市第一中等职业学校", city: "兰州市", .fail,
                   level: .warning, measures: [MeasureValue(name: "生均设备值", value: 2500.5, unit: "元/人")],
                   message: "<低于> 3000 元 & 更多\u{1}", cite: areaCite, line: 2),
            result("zz_basic", "ZZ-03", "实训设备值", key: "6262000003", name: nil, city: nil, .undefined,
                   measures: [MeasureValue(name: "生均设备值", value: nil, unit: "元/人")], cite: areaCite, line: 4),
        ]
    }

    static func tallies(_ results: [RuleResult]) -> [RuleTally] {
        var out: [RuleTally] = []
        for x in results {
            if let i = out.firstIndex(where: { $0.ruleset == x.ruleset && $0.rule == x.rule }) {
                out[i].summary.count(x.outcome, x.level)
            } else {
                var s = Summary()
                s.count(x.outcome, x.level)
                out.append(RuleTally(ruleset: x.ruleset, rule: x.rule, title: x.title, level: x.level ?? .error, cite: x.cite, summary: s))
            }
        }
        return out
    }

    static func report(showsAll: Bool = true, results: [RuleResult]? = nil) -> Report {
        let rs = results ?? self.results
        var summary = Summary()
        for x in rs { summary.count(x.outcome, x.level) }
        let asOf = CivilDate.days(year: 2024, month: 10, day: 31) ?? 0
        let item = RectificationItem(
            entity: "school", key: "6262000001", name: "兰州市第一中等职业学校", city: "兰州市", owner: "学校",
            deadline: asOf + 180,
            changes: [
                RectificationChange(field: "building_area", label: "校舍建筑面积", from: 30400, to: 40000, delta: 9600,
                                    unit: "平方米", rules: ["ZZ-02"], action: "新建、改扩建或租用校舍"),
                RectificationChange(field: "equipment", label: "设备总值", from: 5_001_000, to: 6_000_000, delta: 999_000,
                                    unit: "元", rules: ["ZZ-03"], action: nil),
            ],
            conflicts: [], passesAfter: ["ZZ-02", "ZZ-03"], stillFailing: [], unresolved: [])
        let item2 = RectificationItem(
            entity: "school", key: "G002", name: "天水\"职业\"学院", city: "天水市", owner: nil, deadline: nil, changes: [],
            conflicts: [], passesAfter: [], stillFailing: ["GZ-01"], unresolved: [(rule: "GZ-01", reason: Bilingual("缺少现值", "no current value"))])
        return Report(
            asOf: asOf,
            rulesets: [
                RulesetInfo(id: "gz_basic", title: "高职院校基本办学条件", version: "2024.1", source: "教发〔2004〕2号", owner: nil, deadline: nil),
                RulesetInfo(id: "zz_basic", title: "中职学校办学标准", version: nil, source: nil, owner: nil, deadline: nil),
            ],
            inputs: [InputInfo(entity: "school", path: "samples/学校 data.csv", records: 5, rejected: 1, sha256: String(repeating: "ab", count: 32))],
            rulesFiles: [RulesFileInfo(path: "rules/zhongzhi.rules", sha256: String(repeating: "cd", count: 32))],
            summary: summary,
            tallies: tallies(rs),
            results: showsAll ? rs : rs.filter { $0.outcome != .pass && $0.outcome != .notApplicable },
            rectification: [item, item2],
            dataErrors: [DataError(path: "samples/学校 data.csv", line: 6, column: "专任教师数", value: "约100",
                                   reason: Bilingual("不是数字", "not a number"), rejectsRecord: false)],
            notes: [DataError(path: "samples/学校 data.csv", line: nil, column: "备注", value: nil,
                              reason: Bilingual("未使用的列", "unused column"))],
            waivers: [WaiverReport(rule: "ZZ-01", entity: "school", key: "6262000002", until: asOf + 30,
                                   reason: "新建学校过渡期", status: .active)],
            showsAll: showsAll)
    }
}
