@testable import DabiaoCore
import XCTest

/// The checker keeps an aggregate's `where` as written; the engine's plan
/// (`AggregatePlan`) turns `inner.field == outer` equalities on texts, dates
/// and bools into hash joins and leaves the rest as the residual.
final class JoinPlanTests: XCTestCase {
    static let rules = """
    unit 人 = 1
    entity host "单位" {
      key code : text "代码"
      staff    : integer 人 "职工数"
      opened   : date "成立日期"
    }
    entity placement "实习" {
      key id   : text "编号"
      host_code : ref host "单位代码"
      kind     : text "类型"
      hours    : number "时长"
      start    : date "开始日期"
      night    : bool "夜班"
    }
    ruleset r "r" {
      for host
      rule P-01 "p" {
        measure a = count(placement where host_code == host.code and kind == "岗位实习" and hours > 8)
        measure b = count(placement where placement.hours == host.staff)
        measure c = count(placement where kind == placement.host_code)
        measure d = count(placement where start == host.opened and not night)
        measure e = count(placement)
        require a >= 0
      }
    }
    """

    func testEqualitiesOnTextsDatesAndBoolsBecomeJoinsAndTheRestStays() throws {
        let p = try Core.program(Self.rules)
        let rule = try XCTUnwrap(p.rules.first { $0.code == "P-01" })
        let placement = try Core.entity(p, "placement")
        func field(_ name: String) -> Int { p.entities[placement].fields.firstIndex { $0.name == name } ?? -1 }
        func plan(_ i: Int) throws -> (Aggregate, AggregatePlan) {
            guard case .aggregate(let a) = rule.locals[rule.measures[i].slot].expr else {
                XCTFail("measure \(i) is no aggregate")
                throw CoreTestError.doesNotCompile
            }
            return (a, AggregatePlan(a))
        }
        func conjunctCount(_ t: TExpr?) -> Int { t.map { AggregatePlan.conjuncts($0).count } ?? 0 }

        // Two joins (the reference, the literal); `hours > 8` stays.
        let (a, pa) = try plan(0)
        XCTAssertEqual(conjunctCount(a.filter), 3, "the checker keeps the where whole")
        XCTAssertEqual(pa.joins.map(\.field), [field("host_code"), field("kind")])
        XCTAssertEqual(conjunctCount(pa.residual), 1)
        if case .constant(.text(let t)) = pa.joins[1].outer { XCTAssertEqual(t, "岗位实习") } else { XCTFail("literal side") }

        // Numbers compare approximately: no hash join.
        let (_, pb) = try plan(1)
        XCTAssertTrue(pb.joins.isEmpty)
        XCTAssertEqual(conjunctCount(pb.residual), 1)

        // Both sides read the inner record: no join.
        let (_, pc) = try plan(2)
        XCTAssertTrue(pc.joins.isEmpty)
        XCTAssertNotNil(pc.residual)

        // A date equality is a join; `not night` stays.
        let (_, pd) = try plan(3)
        XCTAssertEqual(pd.joins.map(\.field), [field("start")])
        XCTAssertEqual(conjunctCount(pd.residual), 1)

        // No where: nothing to plan.
        let (e, pe) = try plan(4)
        XCTAssertNil(e.filter)
        XCTAssertTrue(pe.joins.isEmpty)
        XCTAssertNil(pe.residual)
    }
}
