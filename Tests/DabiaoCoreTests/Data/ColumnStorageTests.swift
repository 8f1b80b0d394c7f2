@testable import DabiaoCore
import XCTest

/// Columns are stored by kind (numbers as Doubles, texts, references, bools
/// and dates as Int32 codes, a key as its row numbers); what Engine reads
/// through the accessors must be what the cells say, whatever the storage.
final class ColumnStorageTests: XCTestCase {
    static let rules = """
    entity host "单位" {
      key code : text "代码"
    }
    entity placement "实习" {
      key id      : text "编号"
      host_code   : ref host "单位代码"
      kind        : text "类型"
      hours       : number "时长"
      people      : integer "人数"
      night       : bool "夜班"
      start       : date "开始日期"
    }
    """

    func testEveryKindReadsBackAsTheCellsSayWhateverItsStorage() throws {
        let p = try Core.program(Self.rules)
        let e = try Core.entity(p, "placement")
        let csv = """
        编号,单位代码,类型,时长,人数,夜班,开始日期
        P1,H1,岗位实习,7.5,3,是,2024-09-01
        P2,,认识实习,,,,
        P1,H9,重复,1,1,否,2024-01-01
        P3,H2,岗位实习,-0.25,0,否,1969-12-31
        P4,H1,跟岗实习,8,12,1,1900-03-01
        """
        let data = try Core.load(p, [(entity: "placement", path: "placement.csv", text: csv)])
        let table = data.tables[e]
        let fields = p.entities[e].fields
        func field(_ name: String) -> Int { fields.firstIndex { $0.name == name } ?? -1 }
        let columns = table.columns

        XCTAssertEqual(columns[field("id")].storage, .rowNumbers)
        XCTAssertEqual(columns[field("hours")].storage, .numbers)
        XCTAssertEqual(columns[field("people")].storage, .numbers)
        for name in ["host_code", "kind", "night", "start"] { XCTAssertEqual(columns[field(name)].storage, .codes, name) }

        // The duplicate P1 is rejected: four records, every column that long.
        XCTAssertEqual(table.count, 4)
        for c in columns { XCTAssertEqual(c.count, table.count) }

        let keys = ["P1", "P2", "P3", "P4"]
        for (r, key) in keys.enumerated() {
            XCTAssertEqual(table.row(forKey: key), r)
            XCTAssertEqual(columns[field("id")].text(r), key)
            XCTAssertEqual(columns[field("id")].value(r), Double(r))
        }
        let day = { (y: Int, m: Int, d: Int) in Double(CivilDate.days(year: y, month: m, day: d) ?? Int.min) }
        let expected: [String: [Double?]] = [
            "hours": [7.5, nil, -0.25, 8],
            "people": [3, nil, 0, 12],
            "night": [1, nil, 0, 1],
            // Before 1970 a date's day is negative: a negative code is a value, not a missing one.
            "start": [day(2024, 9, 1), nil, day(1969, 12, 31), day(1900, 3, 1)],
        ]
        for (name, values) in expected {
            let c = columns[field(name)]
            for (r, v) in values.enumerated() {
                if let v {
                    XCTAssertEqual(c[r], v, "\(name) row \(r)")
                    XCTAssertFalse(c.isMissing(r), "\(name) row \(r)")
                } else {
                    XCTAssertTrue(c[r].isNaN, "\(name) row \(r)")
                    XCTAssertTrue(c.isMissing(r), "\(name) row \(r)")
                    XCTAssertNil(c.code(r), "\(name) row \(r)")
                }
            }
        }
        XCTAssertEqual(day(1969, 12, 31), -1)
        let texts: [String: [String?]] = ["host_code": ["H1", nil, "H2", "H1"], "kind": ["岗位实习", "认识实习", "岗位实习", "跟岗实习"]]
        for (name, values) in texts {
            let c = columns[field(name)]
            for (r, t) in values.enumerated() {
                XCTAssertEqual(c.text(r), t, "\(name) row \(r)")
                if t != nil { XCTAssertEqual(c.value(r), Double(c.code(r) ?? -1)) }
            }
        }
        // Equal texts share a code; the rejected record's H9 and 重复 are still in the dictionaries.
        XCTAssertEqual(columns[field("host_code")].code(0), columns[field("host_code")].code(3))

        // Past the end: missing, never a trap.
        for c in columns {
            XCTAssertTrue(c.value(table.count).isNaN)
            XCTAssertTrue(c.value(-1).isNaN)
            XCTAssertNil(c.code(table.count))
            XCTAssertEqual(c.values(in: 2..<9).count, 2)
            XCTAssertEqual(c.values(in: 0..<table.count).map { $0.isNaN ? "-" : "\($0)" },
                           (0..<table.count).map { c[$0].isNaN ? "-" : "\(c[$0])" })
        }
    }

    func testACodedColumnTakesNoValueAnInt32CannotHoldAsAValue() {
        var c = Column(storage: .codes)
        c.append(3)
        c.append(1e12)
        c.append(2.5)
        c.append(Double(Int32.min))
        c.append(-7)
        XCTAssertEqual(c.count, 5)
        XCTAssertEqual(c[0], 3)
        XCTAssertTrue(c[1].isNaN)
        XCTAssertTrue(c[2].isNaN)
        XCTAssertTrue(c[3].isNaN, "the marker of a missing value is no value")
        XCTAssertEqual(c[4], -7)
    }

    /// A number column holds whole numbers as Int32 until the first value
    /// that is not one (a fraction, −0, beyond Int32, Int32's own minimum);
    /// before and after that value every row must read back the very Double
    /// appended, bit for bit, and a missing one as missing, in every accessor.
    func testANumberColumnReadsBackEveryDoubleWhetherItHoldsWholeNumbersOrNot() {
        var g = SeededRNG(seed: 11)
        let odd: [Double] = [0.5, -0.0, 3e9, -3e9, Double(Int32.min), 1e-300, 2_147_483_647.5]
        for round in 0..<200 {
            var c = Column(storage: .numbers)
            var appended: [Double] = []
            let n = g.int(0...80)
            // Half the rounds stay whole; the others turn at a random row.
            let turn = g.chance(0.5) ? g.int(0...max(0, n - 1)) : -1
            if g.chance(0.3) { c.reserve(n) }
            for i in 0..<n {
                let v: Double
                if i == turn { v = g.pick(odd) ?? 0.5 } else if g.chance(0.15) { v = .nan } else if g.chance(0.1) { v = g.double(-1e6...1e6) } else {
                    v = Double(g.int(Int(Int32.min) + 1...Int(Int32.max)) / (g.chance(0.5) ? 1 : 100_000))
                }
                switch g.int(0...2) {
                case 0 where v.isNaN: c.appendMissing()
                case 1 where v == v.rounded() && abs(v) < 1e9 && v.sign == .plus: c.appendCode(Int32(v))
                default: c.append(v)
                }
                appended.append(v)
            }
            XCTAssertEqual(c.count, appended.count, "round \(round)")
            for (r, v) in appended.enumerated() {
                XCTAssertEqual(c[r].bitPattern, v.isNaN ? c[r].bitPattern : v.bitPattern, "round \(round), row \(r): \(v) read back as \(c[r])")
                XCTAssertEqual(c[r].isNaN, v.isNaN, "round \(round), row \(r)")
                XCTAssertEqual(c.isMissing(r), v.isNaN, "round \(round), row \(r)")
                XCTAssertNil(c.code(r), "a number column has no codes")
            }
            let lo = g.int(0...n), hi = g.int(lo...n + 3)
            let block = c.values(in: lo..<hi)
            XCTAssertEqual(block.count, min(hi, n) - lo, "round \(round)")
            for (i, v) in block.enumerated() {
                let a = appended[lo + i]
                XCTAssertTrue(a.isNaN ? v.isNaN : v.bitPattern == a.bitPattern, "round \(round), row \(lo + i): \(a) in a block as \(v)")
            }
            XCTAssertTrue(c.value(n).isNaN, "past the column")
        }
    }

    /// A table keeps where records came from as runs (of one input, on
    /// consecutive lines); every record must still read back its own input
    /// and line: records over several lines, rejected records between, a
    /// line repeated, several inputs, a shift of every input.
    func testEveryRecordReadsBackTheSourceItWasAppendedWith() {
        var g = SeededRNG(seed: 7)
        for round in 0..<200 {
            var table = Table(entity: 0, fields: [])
            var appended: [RecordSource] = []
            var input = g.int(0...2)
            var line = g.int(1...3)
            for _ in 0..<g.int(0...60) {
                if g.chance(0.1) { input += g.int(1...2); line = g.int(1...3) }
                // Mostly the next line; sometimes a gap, the same line again or (a new input) an earlier one.
                line += g.chance(0.7) ? 1 : g.int(0...4)
                table.appendSource(input: input, line: line)
                appended.append(RecordSource(input: input, line: line))
            }
            XCTAssertEqual(table.count, appended.count, "round \(round)")
            XCTAssertEqual((0..<table.count).map(table.source), appended, "round \(round)")
            table.shiftInputs(by: 3)
            XCTAssertEqual((0..<table.count).map { table.source($0).input }, appended.map { $0.input + 3 }, "round \(round)")
            XCTAssertEqual(table.source(table.count), RecordSource(input: 0, line: 0), "past the end")
        }
    }
}
