import XCTest
@testable import DabiaoCore

/// A NumberList holds whole numbers as Int32 and turns to Doubles at the
/// first value that is not one; lists merged from chunks (the solver's steps)
/// must read back as appended whichever kind each chunk was.
final class NumberListTests: XCTestCase {
    func testListsOfEitherKindMergeIntoTheValuesAppended() {
        let whole: [Double] = [3, .nan, -7, 0, Double(Int32.max)]
        let mixed: [Double] = [1, 2.5, -0.0, .nan, 1e12]
        for (a, b) in [(whole, whole), (whole, mixed), (mixed, whole), (mixed, mixed), ([], mixed), (mixed, [])] {
            var first = NumberList(), second = NumberList()
            for v in a { first.append(v) }
            for v in b { second.append(v) }
            first.append(contentsOf: second)
            let expected = a + b
            XCTAssertEqual(first.count, expected.count)
            for (i, v) in expected.enumerated() {
                XCTAssertTrue(v.isNaN ? first[i].isNaN : first[i].bitPattern == v.bitPattern, "\(a) + \(b), value \(i): \(v) read back as \(first[i])")
            }
            let block = first.values(in: 1..<expected.count + 2)
            XCTAssertEqual(block.count, max(0, expected.count - 1))
            for (i, v) in block.enumerated() {
                XCTAssertTrue(expected[i + 1].isNaN ? v.isNaN : v.bitPattern == expected[i + 1].bitPattern, "\(a) + \(b), block value \(i)")
            }
        }
    }
}
