import XCTest
@testable import DabiaoCore

final class PermuteTests: XCTestCase {
    /// In-place permutation by swaps gives what `order.map { xs[$0] }` gives.
    func testPermuteMatchesMapping() {
        var g = SeededRNG(seed: 5)
        for n in [0, 1, 2, 3, 10, 257, 5000] {
            let xs = (0..<n).map { "r\($0)-" + String(repeating: "长", count: $0 % 7) }
            let order = Array(0..<n).shuffled(using: &g)
            var ys = xs
            ys.permute(by: order)
            XCTAssertEqual(ys, order.map { xs[$0] }, "n = \(n)")
        }
        var fixed = [1, 2, 3]
        fixed.permute(by: [0, 1, 2])
        XCTAssertEqual(fixed, [1, 2, 3])
        fixed.permute(by: [2, 0, 1])
        XCTAssertEqual(fixed, [3, 1, 2])
        fixed.permute(by: [0])
        XCTAssertEqual(fixed, [3, 1, 2], "an order of the wrong length changes nothing")
    }
}
