import XCTest
@testable import DabiaoCore

final class CSVTests: XCTestCase {
    private func rows(_ text: String, _ delimiter: Character = ",") throws -> [[String]] {
        try parseCSV(text, delimiter: delimiter).map(\.fields)
    }

    private func lines(_ text: String) throws -> [Int] {
        try parseCSV(text).map(\.line)
    }

    // csv-spectrum cases, written out from that suite's expectations.

    func testSpectrumCommaInQuotes() throws {
        let text = "first,last,address,city,zip\nJohn,Doe,120 any st.,\"Anytown, WW\",08123\n"
        XCTAssertEqual(try rows(text), [["first", "last", "address", "city", "zip"],
                                        ["John", "Doe", "120 any st.", "Anytown, WW", "08123"]])
    }

    func testSpectrumEmpty() throws {
        let text = "a,b,c\n1,\"\",\"\"\n2,3,4\n"
        XCTAssertEqual(try rows(text), [["a", "b", "c"], ["1", "", ""], ["2", "3", "4"]])
    }

    func testSpectrumEmptyCRLF() throws {
        let text = "a,b,c\r\n1,\"\",\"\"\r\n2,3,4\r\n"
        XCTAssertEqual(try rows(text), [["a", "b", "c"], ["1", "", ""], ["2", "3", "4"]])
    }

    func testSpectrumEscapedQuotes() throws {
        let text = "a,b\n1,\"ha \"\"ha\"\" ha\"\n3,4\n"
        XCTAssertEqual(try rows(text), [["a", "b"], ["1", "ha \"ha\" ha"], ["3", "4"]])
    }

    func testSpectrumJSON() throws {
        let text = "key,val\n1,\"{\"\"type\"\": \"\"Point\"\", \"\"coordinates\"\": [102.0, 0.5]}\"\n"
        XCTAssertEqual(try rows(text), [["key", "val"],
                                        ["1", "{\"type\": \"Point\", \"coordinates\": [102.0, 0.5]}"]])
    }

    func testSpectrumNewlines() throws {
        let text = "a,b,c\n1,2,3\n\"Once upon \na time\",5,6\n7,8,9\n"
        let parsed = try parseCSV(text)
        XCTAssertEqual(parsed.map(\.fields), [["a", "b", "c"], ["1", "2", "3"], ["Once upon \na time", "5", "6"], ["7", "8", "9"]])
        XCTAssertEqual(parsed.map(\.line), [1, 2, 3, 5])
    }

    func testSpectrumNewlinesCRLF() throws {
        let text = "a,b,c\r\n1,2,3\r\n\"Once upon \r\na time\",5,6\r\n7,8,9\r\n"
        let parsed = try parseCSV(text)
        XCTAssertEqual(parsed.map(\.fields), [["a", "b", "c"], ["1", "2", "3"], ["Once upon \r\na time", "5", "6"], ["7", "8", "9"]])
        XCTAssertEqual(parsed.map(\.line), [1, 2, 3, 5])
    }

    func testSpectrumQuotesAndNewlines() throws {
        let text = "a,b\n1,\"ha \n\"\"ha\"\" \nha\"\n3,4\n"
        let parsed = try parseCSV(text)
        XCTAssertEqual(parsed.map(\.fields), [["a", "b"], ["1", "ha \n\"ha\" \nha"], ["3", "4"]])
        XCTAssertEqual(parsed.map(\.line), [1, 2, 5])
    }

    func testSpectrumSimple() throws {
        XCTAssertEqual(try rows("a,b,c\n1,2,3\n"), [["a", "b", "c"], ["1", "2", "3"]])
    }

    func testSpectrumSimpleCRLF() throws {
        XCTAssertEqual(try rows("a,b,c\r\n1,2,3\r\n"), [["a", "b", "c"], ["1", "2", "3"]])
    }

    func testSpectrumUTF8() throws {
        XCTAssertEqual(try rows("a,b,c\n1,2,3\n4,5,ʤ\n"), [["a", "b", "c"], ["1", "2", "3"], ["4", "5", "ʤ"]])
    }

    // Line ends, blank lines, BOM, final line.

    func testLoneCRAndMixedLineEnds() throws {
        let parsed = try parseCSV("a,b\r1,2\r\n3,4\n5,6")
        XCTAssertEqual(parsed.map(\.fields), [["a", "b"], ["1", "2"], ["3", "4"], ["5", "6"]])
        XCTAssertEqual(parsed.map(\.line), [1, 2, 3, 4])
    }

    func testBlankLinesSkippedButCounted() throws {
        let parsed = try parseCSV("\n\na,b\n\n\r\n1,2\n\n")
        XCTAssertEqual(parsed.map(\.fields), [["a", "b"], ["1", "2"]])
        XCTAssertEqual(parsed.map(\.line), [3, 6])
    }

    func testLineAfterEmbeddedLoneCRAndCRLF() throws {
        let parsed = try parseCSV("h\n\"x\ry\r\nz\"\nnext\n")
        XCTAssertEqual(parsed.map(\.fields), [["h"], ["x\ry\r\nz"], ["next"]])
        XCTAssertEqual(parsed.map(\.line), [1, 2, 5])
    }

    func testBOMRemoved() throws {
        let parsed = try parseCSV(bytes: [0xEF, 0xBB, 0xBF] + Array("名称,数\n甲,1\n".utf8))
        XCTAssertEqual(parsed.map(\.fields), [["名称", "数"], ["甲", "1"]])
        XCTAssertEqual(parsed.first?.line, 1)
    }

    func testDelimiterOnlyLineAndTrailingDelimiter() throws {
        XCTAssertEqual(try rows("a,b,\n,,\n"), [["a", "b", ""], ["", "", ""]])
    }

    func testEmptyInput() throws {
        XCTAssertEqual(try rows(""), [])
        XCTAssertEqual(try rows("\r\n\n"), [])
    }

    func testTabAndSemicolon() throws {
        XCTAssertEqual(try rows("a\tb\n\"x\ty\"\t2\n", "\t"), [["a", "b"], ["x\ty", "2"]])
        XCTAssertEqual(try rows("a;b\n1,5;2\n", ";"), [["a", "b"], ["1,5", "2"]])
        XCTAssertThrowsError(try parseCSV("a", delimiter: "，"))
    }

    func testDetectDelimiter() {
        XCTAssertEqual(detectCSVDelimiter(Array("\n名称\t面积\t\"a,b\"\n1,2,3\n".utf8)), 9)
        XCTAssertEqual(detectCSVDelimiter(Array("a;b;c\n".utf8)), UInt8(ascii: ";"))
        XCTAssertEqual(detectCSVDelimiter(Array("a,b\n".utf8)), UInt8(ascii: ","))
        XCTAssertEqual(detectCSVDelimiter([]), UInt8(ascii: ","))
    }

    // Leniency and errors.

    func testQuoteInsideUnquotedFieldIsLiteral() throws {
        XCTAssertEqual(try rows("a\"b,c\n"), [["a\"b", "c"]])
        XCTAssertEqual(try rows(" \"x\",y\n"), [[" \"x\"", "y"]])
    }

    func testTextAfterClosingQuoteIsKept() throws {
        XCTAssertEqual(try rows("\"ab\"cd,e\n\"a\"\"b\"c\n"), [["abcd", "e"], ["a\"bc"]])
    }

    func testUnterminatedQuoteReportsOpeningLineAndColumn() {
        XCTAssertThrowsError(try parseCSV("a,b\n1,2\n学,\"open\nmore\n")) { error in
            let e = error as? DataReadError
            XCTAssertEqual(e?.line, 3)
            XCTAssertEqual(e?.column, 3)
            XCTAssertEqual(e?.byteOffset, 12)
        }
    }

    func testQuotedFieldAtEOFWithoutNewline() throws {
        XCTAssertEqual(try rows("a,\"b\""), [["a", "b"]])
        XCTAssertEqual(try rows("a,\"\""), [["a", ""]])
    }

    // Streaming API.

    func testReaderReusesRowAndExposesBytes() throws {
        var reader = CSVReader(text: "x,\"y\"\"z\",\n1,2\n")
        var row = CSVRow()
        XCTAssertTrue(try reader.next(into: &row))
        XCTAssertEqual(row.count, 3)
        XCTAssertEqual(row.line, 1)
        XCTAssertEqual(row.withField(1) { Array($0) }, Array("y\"z".utf8))
        XCTAssertTrue(row.isEmpty(2))
        XCTAssertTrue(try reader.next(into: &row))
        XCTAssertEqual(row.strings, ["1", "2"])
        XCTAssertEqual(row.line, 2)
        // Out of range reads as an empty field, never a trap.
        XCTAssertEqual(row.string(5), "")
        XCTAssertEqual(row.string(-1), "")
        XCTAssertEqual(row.withField(9) { $0.count }, 0)
        XCTAssertFalse(try reader.next(into: &row))
        XCTAssertFalse(try reader.next(into: &row))
    }

    func testLongFieldIsLinear() throws {
        let big = String(repeating: "字", count: 200_000)
        let quoted = String(repeating: "\"\"", count: 100_000)
        let parsed = try parseCSV("\(big),\"\(quoted)\"\n")
        XCTAssertEqual(parsed.first?.fields.first?.count, 200_000)
        XCTAssertEqual(parsed.first?.fields.last?.count, 100_000)
    }
}
