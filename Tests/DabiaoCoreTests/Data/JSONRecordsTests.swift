import XCTest
@testable import DabiaoCore

final class JSONRecordsTests: XCTestCase {
    func testArrayWithLines() throws {
        let text = """
        [
          {"名称": "甲校", "学生": 1200, "示范": true, "备注": null},
          {
            "名称": "乙\\"校\\u5B66",
            "学生": -3.5e2, "示范": false
          }
        ]
        """
        let records = try readJSONRecords(text: text)
        XCTAssertEqual(records.map(\.line), [2, 3])
        XCTAssertEqual(records[0], RawRecord(line: 2, fields: [("名称", .text("甲校")), ("学生", .number(1200)),
                                                                ("示范", .bool(true)), ("备注", .empty)]))
        XCTAssertEqual(records[1].value("名称"), .text("乙\"校学"))
        XCTAssertEqual(records[1].value("学生"), .number(-350))
        XCTAssertEqual(records[1].value("示范"), .bool(false))
    }

    func testJSONLinesSkipsBlankLines() throws {
        let text = "{\"a\": 1}\n\n  \r\n{\"a\": \"x\"}\r\n{}\n"
        let records = try readJSONRecords(text: text)
        XCTAssertEqual(records.map(\.line), [1, 4, 5])
        XCTAssertEqual(records[1].value("a"), .text("x"))
        XCTAssertEqual(records[2].fields.count, 0)
    }

    func testNestedValuesBecomeInvalidCells() throws {
        let records = try readJSONRecords(text: "{\"a\": [1, {\"b\": 2}], \"c\": {\"d\": null}, \"e\": 1e999, \"f\": 2}\n")
        XCTAssertEqual(records.first?.value("a"), .invalid("[1, {\"b\": 2}]"))
        XCTAssertEqual(records.first?.value("c"), .invalid("{\"d\": null}"))
        XCTAssertEqual(records.first?.value("e"), .invalid("1e999"))
        XCTAssertEqual(records.first?.value("f"), .number(2))
    }

    func testEmptyInputs() throws {
        XCTAssertEqual(try readJSONRecords(text: ""), [])
        XCTAssertEqual(try readJSONRecords(text: " [ ] "), [])
        XCTAssertEqual(try readJSONRecords([0xEF, 0xBB, 0xBF] + Array("[{\"a\":1}]".utf8)).count, 1)
    }

    func testDuplicateKeysKept() throws {
        let r = try readJSONRecords(text: "{\"a\":1,\"a\":2}")
        XCTAssertEqual(r.first?.fields.count, 2)
        XCTAssertEqual(r.first?.value("a"), .number(1))
    }

    private func syntaxError(_ text: String, line: Int, column: Int, file: StaticString = #filePath, lineNo: UInt = #line) {
        XCTAssertThrowsError(try readJSONRecords(text: text), file: file, line: lineNo) { error in
            let e = error as? DataReadError
            XCTAssertEqual(e?.line, line, "line for \(text)", file: file, line: lineNo)
            XCTAssertEqual(e?.column, column, "column for \(text)", file: file, line: lineNo)
        }
    }

    func testSyntaxErrorsHaveLineAndColumn() {
        syntaxError("[\n  {\"a\": 1},\n  {\"a\": 01}\n]", line: 3, column: 10)   // leading zero: '1' unexpected
        syntaxError("[{\"a\": 1},]", line: 1, column: 11)                      // trailing comma
        syntaxError("{\"a\": 1}\n{\"名\": tru}\n", line: 2, column: 7)
        syntaxError("{\"a\": 1} {\"b\": 2}\n", line: 1, column: 10)             // two objects on one line
        syntaxError("[1, 2]", line: 1, column: 2)                               // element not an object
        syntaxError("42\n", line: 1, column: 1)
        syntaxError("{\"a\": \"x\ny\"}", line: 1, column: 9)                   // raw newline in string
        syntaxError("{\"a\": \"\\q\"}", line: 1, column: 8)
        syntaxError("{\"a\": \"\\uD800\"}", line: 1, column: 8)
        syntaxError("{\"a\": 1", line: 1, column: 8)
        syntaxError("[{\"a\": 1}] x", line: 1, column: 12)
        syntaxError("{a: 1}", line: 1, column: 2)
        syntaxError("{\"a\": -}", line: 1, column: 7)
        syntaxError("{\"a\": 1.}", line: 1, column: 7)
    }

    func testDepthLimit() throws {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        XCTAssertThrowsError(try readJSONRecords(text: "{\"a\": \(deep)}")) { error in
            XCTAssertEqual((error as? DataReadError)?.line, 1)
        }
        let ok = String(repeating: "[", count: 20) + String(repeating: "]", count: 20)
        XCTAssertEqual(try readJSONRecords(text: "{\"a\": \(ok)}").first?.value("a"), .invalid(ok))
    }
}

final class JSONRecordsScaleTests: XCTestCase {
    func testManyEscapesAreLinear() throws {
        let value = String(repeating: "\\n\\u5B66", count: 100_000)
        let records = try readJSONRecords(text: "{\"a\": \"\(value)\"}")
        if case .text(let s)? = records.first?.value("a") {
            XCTAssertEqual(s.unicodeScalars.count, 200_000)
        } else {
            XCTFail("expected text")
        }
    }
}
