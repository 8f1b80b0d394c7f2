import XCTest
@testable import DabiaoCore

final class HeaderMatchingTests: XCTestCase {
    func testNormalize() {
        XCTAssertEqual(normalizeHeader("  校舍\u{3000}\u{3000}建筑  面积（平方米） "), "校舍 建筑 面积(平方米)")
        XCTAssertEqual(normalizeHeader("ＡＢＣ１２"), "ABC12")
        XCTAssertEqual(normalizeHeader("面积【㎡】"), "面积[㎡]")
        XCTAssertEqual(normalizeHeader("m²"), "m²")
    }

    func testSplitUnit() {
        XCTAssertTrue(splitHeaderUnit("校舍建筑面积（平方米）") == ("校舍建筑面积", "平方米"))
        XCTAssertTrue(splitHeaderUnit("校舍建筑面积(平方米)") == ("校舍建筑面积", "平方米"))
        XCTAssertTrue(splitHeaderUnit("校舍建筑面积 ( 平方米 )") == ("校舍建筑面积", "平方米"))
        XCTAssertTrue(splitHeaderUnit("校舍建筑面积/平方米") == ("校舍建筑面积", "平方米"))
        XCTAssertTrue(splitHeaderUnit("仪器设备总值（万元）") == ("仪器设备总值", "万元"))
        XCTAssertTrue(splitHeaderUnit("面积【㎡】") == ("面积", "㎡"))
        XCTAssertTrue(splitHeaderUnit("面积(含(附属)用房)(平方米)") == ("面积(含(附属)用房)", "平方米"))
        XCTAssertTrue(splitHeaderUnit("学校名称") == ("学校名称", nil))
        XCTAssertTrue(splitHeaderUnit("面积()") == ("面积", nil))
        XCTAssertTrue(splitHeaderUnit("(平方米)") == ("(平方米)", nil))
        XCTAssertTrue(splitHeaderUnit("a/") == ("a/", nil))
        XCTAssertTrue(splitHeaderUnit("面积)") == ("面积)", nil))
        XCTAssertTrue(splitHeaderUnit("") == ("", nil))
    }

    func testEditDistance() {
        XCTAssertEqual(editDistance("", "abc"), 3)
        XCTAssertEqual(editDistance("kitten", "sitting"), 3)
        XCTAssertEqual(editDistance("专任教师数", "专任教师"), 1)
        XCTAssertEqual(editDistance("学校", "学校"), 0)
    }

    func testClosestName() {
        let names = ["学校名称", "在校生数", "专任教师数", "building_area"]
        XCTAssertEqual(closestName(to: "专任教师", among: names), "专任教师数")
        XCTAssertEqual(closestName(to: "在校学生数", among: names), "在校生数")
        XCTAssertEqual(closestName(to: "Building_Area", among: names), "building_area")
        XCTAssertEqual(closestName(to: "buildng_area", among: names), "building_area")
        XCTAssertNil(closestName(to: "仪器设备总值", among: names))
        XCTAssertNil(closestName(to: "", among: names))
        XCTAssertNil(closestName(to: "x", among: []))
        // Ties go to the earlier candidate.
        XCTAssertEqual(closestName(to: "ab", among: ["ax", "ay"]), "ax")
    }
}
