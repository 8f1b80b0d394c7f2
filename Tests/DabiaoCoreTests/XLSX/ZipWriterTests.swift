import XCTest
@testable import DabiaoCore

final class ZipWriterTests: XCTestCase {
    let entries: [(String, [UInt8])] = [
        ("[Content_Types].xml", Array("<Types/>".utf8)),
        ("empty", []),
        ("xl/数据.bin", (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7919) }),
        ("check", Array("123456789".utf8)),
    ]

    func archive() throws -> [UInt8] {
        var zip = ZipWriter()
        for (name, content) in entries { try zip.add(name, content) }
        return try zip.finish()
    }

    func testOurReaderReadsEveryEntryBackAndItsCRCChecks() throws {
        let reader = try ZipArchive(bytes: try archive())
        XCTAssertEqual(reader.entryNames, entries.map(\.0))
        // `read` verifies each entry against the CRC-32 the writer stored.
        for (name, content) in entries { XCTAssertEqual(try reader.read(name), content, name) }
    }

    func testStoredCRCIsTheStandardCheckValue() throws {
        // CRC-32/ISO-HDLC of "123456789" is 0xCBF43926; find it in the local header of "check".
        let bytes = try archive()
        let crc: [UInt8] = [0x26, 0x39, 0xF4, 0xCB]
        let name = Array("check".utf8)
        let header = try XCTUnwrap((0..<(bytes.count - 34)).first { bytes[$0..<($0 + 4)] == [0x50, 0x4B, 0x03, 0x04] && Array(bytes[($0 + 30)..<($0 + 35)]) == name })
        XCTAssertEqual(Array(bytes[(header + 14)..<(header + 18)]), crc)
    }

    func testADamagedByteFailsTheCRC() throws {
        var bytes = try archive()
        let data = Array("123456789".utf8)
        let at = try XCTUnwrap((0..<(bytes.count - 9)).first { Array(bytes[$0..<($0 + 9)]) == data })
        bytes[at + 4] ^= 0x01
        let reader = try ZipArchive(bytes: bytes)
        XCTAssertThrowsError(try reader.read("check")) { error in
            XCTAssertTrue("\(error)".contains("CRC-32"), "\(error)")
        }
        XCTAssertEqual(try reader.read("empty"), [])
    }

    func testSameEntriesSameBytes() throws {
        XCTAssertEqual(try archive(), try archive())
    }

    func testDuplicateNameIsRefused() throws {
        var zip = ZipWriter()
        try zip.add("a", [1])
        XCTAssertThrowsError(try zip.add("a", [2]))
    }

    func testNonASCIINameCarriesTheUTF8Flag() throws {
        let bytes = try archive()
        let name = Array("xl/数据.bin".utf8)
        let header = try XCTUnwrap((0..<(bytes.count - 30 - name.count)).first {
            bytes[$0..<($0 + 4)] == [0x50, 0x4B, 0x03, 0x04] && Array(bytes[($0 + 30)..<($0 + 30 + name.count)]) == name
        })
        XCTAssertEqual(bytes[header + 7] & 0x08, 0x08, "general purpose bit 11")
    }
}
