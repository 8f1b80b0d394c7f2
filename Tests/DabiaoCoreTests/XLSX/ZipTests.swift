import Foundation
import XCTest
@testable import DabiaoCore

final class ZipTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/xlsx")

    func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: ZipTests.fixtures.appendingPathComponent(name)))
    }

    func testListsAndReadsEntries() throws {
        let archive = try ZipArchive(bytes: bytes("handmade.xlsx"))
        XCTAssertEqual(archive.entryNames, ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml",
                                            "xl/_rels/workbook.xml.rels", "xl/strings/shared.xml",
                                            "xl/worksheets/data.xml", "xl/worksheets/second.xml"])
        let stored = String(decoding: try archive.read("_rels/.rels"), as: UTF8.self)
        XCTAssertTrue(stored.contains("Target=\"/xl/workbook.xml\""))
        let deflated = String(decoding: try archive.read("xl/strings/shared.xml"), as: UTF8.self)
        XCTAssertTrue(deflated.contains("<t>普通</t>"))
        XCTAssertThrowsError(try archive.read("missing.xml")) { error in
            XCTAssertTrue((error as? XLSXError)?.message.contains("missing.xml") == true)
        }
    }

    func testNotAZip() {
        for input: [UInt8] in [[], Array("学号,姓名\n1,张三\n".utf8), [UInt8](repeating: 0x50, count: 5000)] {
            XCTAssertThrowsError(try ZipArchive(bytes: input)) { error in
                XCTAssertTrue((error as? XLSXError)?.message.contains("找不到中央目录") == true)
            }
        }
    }

    func testTruncatedArchiveThrows() throws {
        let full = try bytes("basic.xlsx")
        var cut = 0
        while cut < full.count {
            let prefix = Array(full[0..<cut])
            XCTAssertThrowsError(try XLSXWorkbook(bytes: prefix), "cut at \(cut)")
            cut += 97
        }
    }

    func testCorruptedDataFailsCRC() throws {
        var data = try bytes("handmade.xlsx")
        // "_rels/.rels" is stored, so its XML text appears verbatim; change one letter of it.
        let needle = Array("officeDocument\"".utf8)
        guard let index = (0..<(data.count - needle.count)).first(where: { Array(data[$0..<($0 + needle.count)]) == needle }) else {
            return XCTFail("stored text not found")
        }
        data[index] = UInt8(ascii: "O")
        let archive = try ZipArchive(bytes: data)
        XCTAssertThrowsError(try archive.read("_rels/.rels")) { error in
            XCTAssertTrue((error as? XLSXError)?.message.contains("CRC-32") == true)
        }
    }

    func testRandomCorruptionNeverCrashes() throws {
        let original = try bytes("merged.xlsx")
        var generator = SeededRNG(seed: 99)
        var failures = 0
        for _ in 0..<200 {
            var data = original
            for _ in 0..<4 {
                let index = Int(generator.next() % UInt64(data.count))
                data[index] = UInt8(truncatingIfNeeded: generator.next())
            }
            do {
                let workbook = try XLSXWorkbook(bytes: data)
                for name in workbook.sheetNames { _ = try workbook.sheet(named: name) }
            } catch {
                failures += 1
            }
        }
        XCTAssertGreaterThan(failures, 0)
    }

    func testZipBombLimits() throws {
        let bomb = [UInt8](try Data(contentsOf: ZipTests.fixtures.appendingPathComponent("inflate/runs_l9.deflate")))
        // 128 compressed bytes claiming 9 MiB: over the 200:1 ratio once past the exempt size.
        let ratio = try ZipArchive(bytes: TestZipBuilder.archive([.init(name: "x.xml", method: 8, data: bomb,
                                                                       uncompressedSize: 9 << 20, crc: 0)]))
        XCTAssertThrowsError(try ratio.read("x.xml")) { error in
            XCTAssertTrue((error as? XLSXError)?.message.contains("压缩炸弹") == true)
        }
        // Declared size below the real output: inflation stops at the declared size.
        let lying = try ZipArchive(bytes: TestZipBuilder.archive([.init(name: "x.xml", method: 8, data: bomb,
                                                                       uncompressedSize: 1000, crc: 0)]))
        XCTAssertThrowsError(try lying.read("x.xml")) { error in
            XCTAssertTrue((error as? XLSXError)?.message.contains(InflateMessage.tooLarge) == true)
        }
        let huge = try ZipArchive(bytes: TestZipBuilder.archive([.init(name: "x.xml", method: 8, data: bomb,
                                                                      uncompressedSize: 600 << 20, crc: 0)]))
        XCTAssertThrowsError(try huge.read("x.xml")) { error in
            XCTAssertTrue((error as? XLSXError)?.message.contains("512 MiB") == true)
        }
        // The total over all entries is capped when the directory is read.
        let many = (0..<5).map { TestZipBuilder.Entry(name: "p\($0).xml", method: 8, data: bomb, uncompressedSize: 300 << 20, crc: 0) }
        XCTAssertThrowsError(try ZipArchive(bytes: TestZipBuilder.archive(many))) { error in
            XCTAssertTrue((error as? XLSXError)?.message.contains("总大小") == true)
        }
    }

    func testExemptSmallEntryWithHighRatioReads() throws {
        let stream = [UInt8](try Data(contentsOf: ZipTests.fixtures.appendingPathComponent("inflate/runs_l9.deflate")))
        let expected = [UInt8](repeating: 0, count: 100_000) + [UInt8](repeating: UInt8(ascii: "x"), count: 258)
            + Array(String(repeating: "yz", count: 5000).utf8)
        let archive = try ZipArchive(bytes: TestZipBuilder.archive([.init(name: "a", method: 8, data: stream,
                                                                         uncompressedSize: expected.count, crc: zipCRC32(expected))]))
        XCTAssertEqual(try archive.read("a"), expected)
    }

    func testUnsupportedFeatures() throws {
        let method = try ZipArchive(bytes: TestZipBuilder.archive([.init(name: "a", method: 12, data: [1], uncompressedSize: 1, crc: 0)]))
        XCTAssertThrowsError(try method.read("a")) { error in
            XCTAssertTrue((error as? XLSXError)?.message.contains("不支持的压缩方式") == true)
        }
        let encrypted = try ZipArchive(bytes: TestZipBuilder.archive([.init(name: "a", method: 0, data: [1], uncompressedSize: 1, crc: 0, flags: 1)]))
        XCTAssertThrowsError(try encrypted.read("a")) { error in
            XCTAssertTrue((error as? XLSXError)?.message.contains("加密") == true)
        }
        var zip64 = TestZipBuilder.archive([.init(name: "a", method: 0, data: [1], uncompressedSize: 1, crc: zipCRC32([1]))])
        let eocd = zip64.count - 22
        zip64[eocd + 8] = 0xFF; zip64[eocd + 9] = 0xFF; zip64[eocd + 10] = 0xFF; zip64[eocd + 11] = 0xFF
        XCTAssertThrowsError(try ZipArchive(bytes: zip64)) { error in
            XCTAssertTrue((error as? XLSXError)?.message.contains("ZIP64") == true)
        }
    }

    func testArchiveCommentIsSkipped() throws {
        var data = TestZipBuilder.archive([.init(name: "a", method: 0, data: [1, 2], uncompressedSize: 2, crc: zipCRC32([1, 2]))])
        let comment = Array("PK\u{05}\u{06} not a record".utf8)
        data[data.count - 2] = UInt8(comment.count)
        data += comment
        XCTAssertEqual(try ZipArchive(bytes: data).read("a"), [1, 2])
    }
}

/// Builds minimal ZIP archives with arbitrary (possibly lying) headers.
enum TestZipBuilder {
    struct Entry {
        var name: String
        var method: UInt16
        var data: [UInt8]
        var uncompressedSize: Int
        var crc: UInt32
        var flags: UInt16 = 0
    }

    static func archive(_ entries: [Entry]) -> [UInt8] {
        var out: [UInt8] = []
        var directory: [UInt8] = []
        for entry in entries {
            let name = Array(entry.name.utf8)
            let offset = out.count
            out += le32(0x0403_4B50) + le16(20) + le16(entry.flags) + le16(entry.method) + le16(0) + le16(0)
            out += le32(entry.crc) + le32(UInt32(entry.data.count)) + le32(UInt32(entry.uncompressedSize))
            out += le16(UInt16(name.count)) + le16(0) + name + entry.data
            directory += le32(0x0201_4B50) + le16(20) + le16(20) + le16(entry.flags) + le16(entry.method) + le16(0) + le16(0)
            directory += le32(entry.crc) + le32(UInt32(entry.data.count)) + le32(UInt32(entry.uncompressedSize))
            directory += le16(UInt16(name.count)) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(UInt32(offset)) + name
        }
        let directoryOffset = out.count
        out += directory
        out += le32(0x0605_4B50) + le16(0) + le16(0) + le16(UInt16(entries.count)) + le16(UInt16(entries.count))
        out += le32(UInt32(directory.count)) + le32(UInt32(directoryOffset)) + le16(0)
        return out
    }

    static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }
}
