import XCTest
@testable import DabiaoCore

/// The 整改清单 for people (RectificationReport.text): grouping by owner,
/// city and record, severity order, every part of a record, both languages.
final class RectificationReportTests: XCTestCase {
    static let rules = Core.schoolSchema.replacingOccurrences(of: "  city            :", with: "  optional city   :") + """
    ruleset zz "中职" {
      for school where level == "中职"
      deadline within 180 days
      owner "学校"
      rule ZZ-01 "生师比" {
        when students > 0 and teachers > 0
        measure 生师比 = students / teachers
        require 生师比 <= 18 else warning "未达合格标准"
        require 生师比 <= 20 else error "限制招生"
        adjust teachers up "补充专任教师"
      }
      rule ZZ-02 "生均校舍" {
        when students > 0
        require building_area / students >= 20 平方米/人
        adjust building_area up "新建校舍"
      }
      rule ZZ-09 "教师不少于10人" {
        require teachers >= 10
        adjust students down "核减招生"
      }
      rule ZZ-10 "校舍上限" {
        severity warning
        require building_area <= teachers * 400 平方米
        adjust building_area down "腾退校舍"
      }
    }
    ruleset gz "高职" {
      for school where level == "高职"
      deadline 2025-03-31
      owner "市教育局"
      rule GZ-01 "设备" {
        require equipment_value >= 300 万元
        adjust equipment_value up by 1 万元 "购置设备"
      }
    }

    """

    static let csv = Core.schoolHeader
        // 兰州市: K2 has an error, K1 and K3 only warnings.
        + "K1,乙职校,兰州市,中职,工科类,1900,100,40000,500\n"
        + "K2,甲职业中专,兰州市,中职,工科类,2400,100,40000,500\n"
        + "K3,丙职校,兰州市,中职,工科类,1850,100,40000,500\n"
        // 天水市: no remedy (ZZ-09), and a conflict on the building area.
        + "T1,丁职校,天水市,中职,工科类,100,5,2000,500\n"
        + "T2,戊职校,天水市,中职,工科类,1000,30,16000,500\n"
        // No city.
        + "N1,己职校,,中职,工科类,2400,100,40000,500\n"
        // Another owner.
        + "H1,高职一,酒泉市,高职,工科类,1000,100,30000,299.99\n"

    func report() throws -> Report {
        let p = try Core.program(Self.rules)
        let data = try Core.load(p, Self.csv)
        XCTAssertEqual(data.errors, [])
        return Rect.run(p, data)
    }

    func lines(_ s: String) -> [String] { s.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    func index(_ ls: [String], _ piece: String, file: StaticString = #filePath, line: UInt = #line) -> Int {
        guard let i = ls.firstIndex(where: { $0.contains(piece) }) else {
            XCTFail("no line contains “\(piece)”:\n\(ls.joined(separator: "\n"))", file: file, line: line)
            return -1
        }
        return i
    }

    func testSummaryAtTheTop() throws {
        let text = RectificationReport.text(try report(), lang: .zh)
        let ls = lines(text)
        XCTAssertEqual(ls.first, "整改清单  审计日期 2024-10-31")
        XCTAssertEqual(ls.count > 2 ? ls[1] : "", "需整改记录 7 条（错误 5 · 警告 2 · 提示 0） · 整改事项 9 项 · 方向冲突 1 项 · 整改后仍不达标的规则 2 条（2 条记录）",
                       text)
        let byOwner = index(ls, "按责任主体：")
        XCTAssertEqual(byOwner, 2)
        XCTAssertTrue(ls[3].hasPrefix("  学校") && ls[3].contains("6 条记录") && ls[3].contains("8 项整改"), ls[3])
        XCTAssertTrue(ls[4].hasPrefix("  市教育局") && ls[4].contains("1 条记录") && ls[4].contains("1 项整改"), ls[4])
        XCTAssertEqual(displayWidth(ls[3]), displayWidth(ls[4]), "the owner table's columns line up:\n\(ls[3])\n\(ls[4])")
    }

    func testGroupedByOwnerThenCityThenSeverityThenKey() throws {
        let ls = lines(RectificationReport.text(try report(), lang: .zh))
        let school = index(ls, "责任主体：学校")
        let bureau = index(ls, "责任主体：市教育局")
        XCTAssertLessThan(school, bureau, "owners in code-point order")
        let lanzhou = index(ls, "  兰州市")
        let tianshui = index(ls, "  天水市")
        let none = index(ls, "（未注明市州）")
        let jiuquan = index(ls, "  酒泉市")
        XCTAssertTrue(school < lanzhou && lanzhou < tianshui && tianshui < none && none < bureau && bureau < jiuquan,
                      "cities in order within their owner, the record without a city last")
        let k2 = index(ls, "[错误] 甲职业中专（K2）")
        let k1 = index(ls, "[警告] 乙职校（K1）")
        let k3 = index(ls, "[警告] 丙职校（K3）")
        XCTAssertTrue(lanzhou < k2 && k2 < k1 && k1 < k3 && k3 < tianshui, "an error before warnings, then by key")
        let t1 = index(ls, "丁职校（T1）")
        let t2 = index(ls, "戊职校（T2）")
        XCTAssertTrue(tianshui < t1 && t1 < t2, "\(t1) \(t2)")
        XCTAssertTrue(ls[t1].contains("[错误]"), ls[t1])
        XCTAssertTrue(ls[t2].contains("[错误]"), "T2 fails ZZ-02 (error) and ZZ-10 (warning): the most severe counts: \(ls[t2])")
    }

    func testARecordShowsNameKeyDeadlineChangesAndOutcome() throws {
        let ls = lines(RectificationReport.text(try report(), lang: .zh))
        let k2 = index(ls, "甲职业中专（K2）")
        XCTAssertTrue(ls[k2].hasSuffix("期限 2025-04-29"), ls[k2])
        let changes = [ls[k2 + 1], ls[k2 + 2]]
        let teachers = try XCTUnwrap(changes.first { $0.contains("专任教师数") }, "\(changes)")
        let area = try XCTUnwrap(changes.first { $0.contains("校舍建筑面积") }, "\(changes)")
        for piece in ["专任教师数", "100 →", "134 人", "+34 人", "补充专任教师", "[ZZ-01]"] {
            XCTAssertTrue(teachers.contains(piece), "“\(piece)” in \(teachers)")
        }
        for piece in ["校舍建筑面积", "40000 → 48000 平方米", "+8000 平方米", "新建校舍", "[ZZ-02]"] {
            XCTAssertTrue(area.contains(piece), "“\(piece)” in \(area)")
        }
        // CJK-aware columns: the arrows and the actions start at the same display column.
        func column(_ s: String, _ piece: String) -> Int? {
            s.range(of: piece).map { displayWidth(String(s[..<$0.lowerBound])) }
        }
        XCTAssertEqual(column(teachers, "→"), column(area, "→"), "\n\(teachers)\n\(area)")
        XCTAssertEqual(column(teachers, "补充专任教师"), column(area, "新建校舍"), "\n\(teachers)\n\(area)")
        XCTAssertFalse(teachers.hasSuffix(" "))
        XCTAssertEqual(ls[k2 + 3], "      整改后达标：ZZ-01, ZZ-02")
        let h1 = index(ls, "高职一（H1）")
        XCTAssertTrue(ls[h1].hasSuffix("期限 2025-03-31"), ls[h1])
        XCTAssertTrue(ls[h1 + 1].contains("299.99 → 300.99 万元") && ls[h1 + 1].contains("+1 万元"), ls[h1 + 1])
    }

    func testNoRemedyConflictAndStillFailing() throws {
        let ls = lines(RectificationReport.text(try report(), lang: .zh))
        let t1 = index(ls, "丁职校（T1）")
        let block = ls[t1...].prefix { !$0.contains("戊职校") }.joined(separator: "\n")
        XCTAssertTrue(block.contains("! 整改后仍不达标 ZZ-09（错误）：即使把全日制在校生数减到 0 也无法使规则达标，另需 专任教师数 ≥ 10"), block)
        XCTAssertFalse(block.contains("整改后仍不达标：ZZ-09"), "the rule's line with its reason says it once: \(block)")
        let t2 = index(ls, "戊职校（T2）")
        let block2 = ls[t2...].prefix { !$0.contains("未注明市州") }.joined(separator: "\n")
        XCTAssertTrue(block2.contains("! 方向冲突：校舍建筑面积：ZZ-02 ↑ / ZZ-10 ↓"), block2)
        XCTAssertTrue(block2.contains("专任教师数  30 → 56 人"), block2)
        XCTAssertFalse(block2.split(separator: "\n").contains { $0.contains("校舍建筑面积") && $0.contains("→") },
                       "a conflicted field gets no change: \(block2)")
        XCTAssertTrue(block2.contains("整改后达标：ZZ-01, ZZ-10"), "with 56 teachers the cap is 22400 m²: \(block2)")
        XCTAssertTrue(block2.contains("! 整改后仍不达标 ZZ-02（错误）：整改方向冲突，相关项未调整，仍不满足：校舍建筑面积 / 全日制在校生数 ≥ 20 平方米/人"), block2)
    }

    func testEnglish() throws {
        let text = RectificationReport.text(try report(), lang: .en)
        let ls = lines(text)
        XCTAssertEqual(ls.first, "Rectification list  as of 2024-10-31")
        XCTAssertTrue(text.contains("7 records to rectify (error 5 · warning 2 · info 0) · changes 9 · conflicts 1 · rules still failing after the changes 2 (2 records)"), text)
        XCTAssertTrue(text.contains("By owner:"), text)
        XCTAssertTrue(text.contains("Owner: 学校"), text)
        XCTAssertTrue(text.contains("[error] 甲职业中专 (K2)  by 2025-04-29"), text)
        XCTAssertTrue(text.contains("(no city)"), text)
        XCTAssertTrue(text.contains("! still failing ZZ-09 (error): even 全日制在校生数 at zero does not make the rule pass; it also needs 专任教师数 ≥ 10"), text)
        XCTAssertTrue(text.contains("passes after: ZZ-01, ZZ-02"), text)
        XCTAssertFalse(text.contains("still failing: ZZ-09"), text)
        XCTAssertFalse(text.contains("责任主体") || text.contains("整改后") || text.contains("期限"), "the tool's own words are English:\n\(text)")
    }

    func testDeterministicAndEmpty() throws {
        let p = try Core.program(Self.rules)
        let data = try Core.load(p, Self.csv)
        let one = Engine(program: p, data: data).run(RunOptions(asOf: Core.asOf, showAll: true, workers: 1))
        let two = Engine(program: p, data: data).run(RunOptions(asOf: Core.asOf, showAll: false, workers: 2))
        XCTAssertEqual(RectificationReport.text(one, lang: .zh), RectificationReport.text(two, lang: .zh),
                       "the same list whatever the workers and --show")
        let clean = Rect.run(p, try Core.load(p, Core.schoolHeader + "OK,好学校,兰州市,中职,工科类,1000,100,30000,500\n"))
        XCTAssertEqual(RectificationReport.text(clean, lang: .zh), "整改清单  审计日期 2024-10-31\n无需整改：没有不达标的记录。\n")
        XCTAssertEqual(RectificationReport.text(clean, lang: .en), "Rectification list  as of 2024-10-31\nNothing to rectify: no record fails.\n")
    }

    func testEntityIsNamedWhenKeysOfSeveralEntitiesMeet() throws {
        let rules = AggregateTests.schema + """
        ruleset c "c" {
          for enterprise
          rule R-1 "接收实习生" {
            measure 接收 = count(internship where enterprise_code == code) in 人
            require 接收 >= 3
            adjust 接收 up "接收实习生"
          }
        }
        ruleset i "i" {
          for internship
          rule R-2 "学生数" {
            require students <= 5
            adjust students down "减少学生"
          }
        }
        """
        let p = try Core.program(rules)
        let data = try Core.load(p, [("enterprise", "e.csv", "代码,企业名称,职工人数\nX1,甲,100\n"),
                                     ("internship", "i.csv", "编号,企业代码,学生数,时长,夜班\nX1,X1,8,1,否\n")])
        let text = RectificationReport.text(Rect.run(p, data), lang: .zh)
        XCTAssertTrue(text.contains("[错误] 企业 甲（X1）"), "named by the entity's label: \(text)")
        XCTAssertTrue(text.contains("[错误] 实习 X1"), text)
        XCTAssertTrue(text.contains("\n      接收  1 → 3 人  +2 人  接收实习生  [R-1]\n"), text)
        XCTAssertLessThan(text.range(of: "企业 甲")?.lowerBound ?? text.endIndex, text.range(of: "实习 X1")?.lowerBound ?? text.startIndex,
                          "same level and key: by entity")
        XCTAssertTrue(text.contains("（未指定）"), "no owner declared: \(text)")
    }
}
