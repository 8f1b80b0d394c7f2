import XCTest
@testable import DabiaoCore

final class TextDecodingTests: XCTestCase {
    func testPlainUTF8() throws {
        let d = try decodeText(Array("学校,1\n".utf8))
        XCTAssertEqual(d, DecodedText(text: "学校,1\n", encoding: .utf8))
    }

    func testUTF8BOM() throws {
        let d = try decodeText([0xEF, 0xBB, 0xBF] + Array("a".utf8))
        XCTAssertEqual(d, DecodedText(text: "a", encoding: .utf8BOM))
        let b = try decodeToUTF8([0xEF, 0xBB, 0xBF, 0x41])
        XCTAssertEqual(b, DecodedBytes(utf8: [0x41], encoding: .utf8BOM))
    }

    func testUTF16() throws {
        // "学a" = U+5B66 U+0061; plus an astral character (U+1F600) as a surrogate pair.
        let le: [UInt8] = [0xFF, 0xFE, 0x66, 0x5B, 0x61, 0x00, 0x3D, 0xD8, 0x00, 0xDE]
        XCTAssertEqual(try decodeText(le), DecodedText(text: "学a😀", encoding: .utf16LE))
        let be: [UInt8] = [0xFE, 0xFF, 0x5B, 0x66, 0x00, 0x61]
        XCTAssertEqual(try decodeText(be), DecodedText(text: "学a", encoding: .utf16BE))
        XCTAssertEqual(try decodeText([0x66, 0x5B], forced: .utf16LE).text, "学")
        XCTAssertThrowsError(try decodeText([0xFF, 0xFE, 0x61])) { error in
            XCTAssertEqual((error as? DataReadError)?.byteOffset, 2)
        }
        XCTAssertThrowsError(try decodeText([0xFF, 0xFE, 0x61, 0x00, 0x3D, 0xD8, 0x61, 0x00])) { error in
            XCTAssertEqual((error as? DataReadError)?.byteOffset, 4)
        }
    }

    func testGB18030() throws {
        // python3 -c "print('学校😀𠀀€'.encode('gb18030'))"
        let bytes: [UInt8] = [0xD1, 0xA7, 0xD0, 0xA3, 0x94, 0x39, 0xFC, 0x36, 0x95, 0x32, 0x82, 0x36, 0xA2, 0xE3]
        XCTAssertEqual(try decodeText(bytes), DecodedText(text: "学校😀𠀀€", encoding: .gb18030))
        // A GBK CSV line: "名称,数\n学校,1\n"
        let csv: [UInt8] = [0xC3, 0xFB, 0xB3, 0xC6, 0x2C, 0xCA, 0xFD, 0x0A, 0xD1, 0xA7, 0xD0, 0xA3, 0x2C, 0x31, 0x0A]
        let decoded = try decodeToUTF8(csv)
        XCTAssertEqual(decoded.encoding, .gb18030)
        XCTAssertEqual(try parseCSV(bytes: decoded.utf8).map(\.fields), [["名称", "数"], ["学校", "1"]])
    }

    func testNothingDecodesReportsOffset() {
        // Valid UTF-8 "ab学" then 0xFF, which neither encoding allows.
        let bytes: [UInt8] = Array("ab学".utf8) + [0xFF, 0x41]
        XCTAssertThrowsError(try decodeText(bytes)) { error in
            XCTAssertEqual((error as? DataReadError)?.byteOffset, 5)
        }
    }

    func testForcedUTF8ReportsFirstInvalidByte() {
        XCTAssertThrowsError(try decodeText([0x41, 0x42, 0xE5, 0x41], forced: .utf8)) { error in
            XCTAssertEqual((error as? DataReadError)?.byteOffset, 3)
        }
        XCTAssertEqual(try decodeText([0xD1, 0xA7], forced: .gb18030).text, "学")
    }

    func testUTF8Validator() {
        XCTAssertNil(firstInvalidUTF8Offset(Array("a学😀ʤ".utf8)))
        XCTAssertEqual(firstInvalidUTF8Offset([0xC0, 0x80]), 0)            // overlong
        XCTAssertEqual(firstInvalidUTF8Offset([0x41, 0xED, 0xA0, 0x80]), 2) // surrogate
        XCTAssertEqual(firstInvalidUTF8Offset([0xF4, 0x90, 0x80, 0x80]), 1) // above U+10FFFF
        XCTAssertEqual(firstInvalidUTF8Offset([0xE5, 0xAD]), 2)             // truncated
        XCTAssertEqual(firstInvalidUTF8Offset([0x80]), 0)
    }

    func testReadInputFile() throws {
        let path = NSTemporaryDirectory() + "datakit-read-\(getpid()).csv"
        let content = Array("名称,数\n".utf8)
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(content)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertEqual(try readInputFile(path), content)
        XCTAssertThrowsError(try readInputFile(path + ".missing")) { error in
            XCTAssertEqual((error as? DataReadError)?.path, path + ".missing")
        }
        XCTAssertThrowsError(try readInputFile(path, maxBytes: 3))
    }
}
