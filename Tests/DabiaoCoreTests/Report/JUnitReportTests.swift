import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import DabiaoCore

/// Collects elements and their attributes from a parsed document.
final class XMLCollector: NSObject, XMLParserDelegate {
    var elements: [(name: String, attributes: [String: String])] = []
    var text: [String: String] = [:]
    var stack: [String] = []
    var current = ""
    var error: Error?

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        elements.append((elementName, attributeDict))
        stack.append(elementName)
        current = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { current += string }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        if elementName == "failure" || elementName == "error" { text[elementName, default: ""] += current + "\u{0}" }
        stack.removeLast()
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) { error = parseError }

    static func parse(_ s: String) -> XMLCollector? {
        let c = XMLCollector()
        let p = XMLParser(data: Data(s.utf8))
        p.delegate = c
        return p.parse() ? c : nil
    }

    func all(_ name: String) -> [[String: String]] { elements.filter { $0.name == name }.map(\.attributes) }
}

final class JUnitReportTests: XCTestCase {
    func testParsesWithTheExpectedCounts() throws {
        let xml = JUnitReport.render(ReportFixtures.report(), lang: .zh)
        let doc = try XCTUnwrap(XMLCollector.parse(xml), "JUnit output must be well-formed XML")
        let root = try XCTUnwrap(doc.all("testsuites").first)
        // 8 results and the one data error.
        XCTAssertEqual(root["tests"], "9")
        XCTAssertEqual(root["failures"], "2")
        XCTAssertEqual(root["errors"], "3")
        XCTAssertNil(root["skipped"], "junit-10.xsd has no skipped on <testsuites>")

        let suites = doc.all("testsuite")
        XCTAssertEqual(suites.map { $0["name"] ?? "" }, ["gz_basic", "zz_basic", "data"])
        XCTAssertEqual(suites.map { $0["tests"] ?? "" }, ["2", "6", "1"])
        XCTAssertEqual(suites.map { $0["failures"] ?? "" }, ["0", "2", "0"])
        XCTAssertEqual(suites.map { $0["errors"] ?? "" }, ["1", "1", "1"])
        XCTAssertEqual(suites.map { $0["skipped"] ?? "" }, ["0", "2", "0"])

        let cases = doc.all("testcase")
        XCTAssertEqual(cases.count, 9)
        XCTAssertEqual(doc.all("failure").count, 2)
        XCTAssertEqual(doc.all("error").count, 3)
        XCTAssertEqual(doc.all("skipped").count, 2)
        XCTAssertEqual(doc.all("failure").map { $0["type"] ?? "" }, ["error", "warning"])
        XCTAssertEqual(doc.all("error").map { $0["type"] ?? "" }, ["missing", "undefined", "data-error"])
        XCTAssertEqual(cases.map { $0["classname"] ?? "" }, ["gz_basic", "gz_basic"] + Array(repeating: "zz_basic", count: 6) + ["data"])
        XCTAssertTrue(cases.contains { $0["name"] == "ZZ-01 6262000002 A|B 学校, 分校" })
        XCTAssertTrue(cases.contains { $0["name"] == "GZ-01 G002 天水\"职业\"学院" })
        XCTAssertTrue(cases.contains { $0["name"] == "ZZ-03 6262000003" })
        // The location is in the failure's text, not in attributes the schema lacks.
        XCTAssertTrue(cases.allSatisfy { $0["file"] == nil && $0["line"] == nil })
        XCTAssertTrue(try XCTUnwrap(doc.text["failure"]).contains("来源：samples/学校 data.csv:2"))
        XCTAssertEqual(cases.last?["name"], "samples/学校 data.csv:6 专任教师数")
        XCTAssertTrue(try XCTUnwrap(doc.text["error"]).contains("原值：约100"))
    }

    func testEscapingKeepsTextAndDropsControlCharacters() throws {
        let xml = JUnitReport.render(ReportFixtures.report(), lang: .zh)
        XCTAssertFalse(xml.unicodeScalars.contains("\u{1}"))
        let doc = try XCTUnwrap(XMLCollector.parse(xml))
        let messages = doc.all("failure").map { $0["message"] ?? "" }
        // A line end in an attribute survives as a character reference.
        XCTAssertEqual(messages.first, "生均校舍建筑面积 15.2 平方米/人，低于 20 平方米/人\n请整改")
        XCTAssertEqual(messages.last, "<低于> 3000 元 & 更多")
        let body = try XCTUnwrap(doc.text["failure"])
        XCTAssertTrue(body.contains("整改：校舍建筑面积 30400 → 40000 平方米（+9600） 新建、改扩建或租用校舍"))
        XCTAssertTrue(body.contains("依据：《中等职业学校设置标准》第十条"))
        XCTAssertEqual(doc.all("skipped").map { $0["message"] ?? "" }, ["不适用", "已豁免：新建学校过渡期"])
    }

    func testEnglishAndEmpty() throws {
        let en = JUnitReport.render(ReportFixtures.report(), lang: .en)
        let doc = try XCTUnwrap(XMLCollector.parse(en))
        XCTAssertEqual(doc.all("error").first?["message"], "missing data: 专任教师数")
        let empty = JUnitReport.render(ReportFixtures.report(results: []), lang: .zh)
        let e = try XCTUnwrap(XMLCollector.parse(empty))
        // The fixture's data error is still a test case without any result.
        XCTAssertEqual(e.all("testsuites").first?["tests"], "1")
        XCTAssertEqual(e.all("testsuite").count, 3)
    }
}
