import XCTest
@testable import DabiaoCore

/// The evaluation keeps the rows of shown results, of records to rectify
/// and of solved fixes packed; every stretch must read back as appended,
/// whatever the rows (ascending, shuffled, far apart, at Int32's ends) and
/// wherever a stretch starts or ends against the rows kept in full.
final class RowListTests: XCTestCase {
    func testEveryStretchReadsBackAsAppended() {
        var g = SeededRNG(seed: 17)
        for round in 0..<300 {
            let stride = g.pick([1, 2, 7, 64, 1024]) ?? 64
            let n = g.int(0...3000)
            var rows: [Int32]
            switch round % 4 {
            case 0: // ascending, close together: a file in key order
                var r = Int32(g.int(0...5))
                rows = (0..<n).map { _ in defer { r += Int32(g.int(1...4)) }; return r }
            case 1: // shuffled
                rows = (0..<Int32(n)).shuffled(using: &g)
            case 2: // anywhere, Int32's ends included
                rows = (0..<n).map { _ in g.pick([Int32.max, Int32.min, 0, -1]) ?? 0 }
                for i in rows.indices where g.chance(0.5) { rows[i] = Int32(truncatingIfNeeded: g.int(Int(Int32.min)...Int(Int32.max))) }
            default: // ascending with large gaps
                var r = 0
                rows = (0..<n).map { _ in defer { r += g.int(1...400_000) }; return Int32(truncatingIfNeeded: r) }
            }
            var list = RowList(stride: stride)
            // Appended in two pieces, as the evaluation merges its chunks.
            let cut = g.int(0...n)
            var second = RowList()
            for r in rows[..<cut] { list.append(r) }
            for r in rows[cut...] { second.append(r) }
            list.append(contentsOf: second)
            XCTAssertEqual(list.count, n, "round \(round)")
            XCTAssertEqual(list.rows(0..<n), rows, "round \(round), stride \(stride)")
            for _ in 0..<5 {
                let lo = g.int(0...n), hi = g.int(lo...n + 5)
                XCTAssertEqual(list.rows(lo..<hi), Array(rows[lo..<min(hi, n)]), "round \(round), stride \(stride), \(lo)..<\(hi)")
            }
            XCTAssertEqual(list.isOrdered(by: <), zip(rows, rows.dropFirst()).allSatisfy { $0 < $1 }, "round \(round)")
            XCTAssertEqual(RowList(rows).rows(0..<n), rows, "round \(round)")
            if round % 4 == 0 || round % 4 == 3 {
                // Ascending: every row is found at its index, and rows between are not.
                for _ in 0..<20 where n > 0 {
                    let i = g.int(0...n - 1)
                    XCTAssertEqual(list.index(ofAscending: rows[i]), i, "round \(round), row \(rows[i])")
                    if i + 1 < n, rows[i + 1] > rows[i] + 1 { XCTAssertNil(list.index(ofAscending: rows[i] + 1), "round \(round)") }
                }
                if let first = rows.first, first > Int32.min { XCTAssertNil(list.index(ofAscending: first - 1), "round \(round): before the first") }
                if let last = rows.last, last < Int32.max { XCTAssertNil(list.index(ofAscending: last + 1), "round \(round): after the last") }
            }
        }
    }
}
