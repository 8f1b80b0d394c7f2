import XCTest
@testable import DabiaoCore

/// Inputs built to break the readers: special files, stray bytes, ambiguous
/// JSON keys, malformed spreadsheet references, and runs that check nothing.
final class InputHostileTests: XCTestCase {
    func tempDir() throws -> String {
        let dir = (NSTemporaryDirectory() as NSString).appendingPathComponent("dabiao-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    // MARK: 1. special files

    func testFIFOIsRefusedWithoutBlocking() throws {
        let dir = try tempDir()
        let fifo = (dir as NSString).appendingPathComponent("school.csv")
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let started = Date()
        XCTAssertThrowsError(try readInputFile(fifo)) { error in
            let e = error as? DataReadError
            XCTAssertEqual(e?.path, fifo)
            XCTAssertTrue(e?.message.contains("FIFO") ?? false, "\(error)")
            XCTAssertTrue(e?.messageEN.contains("named pipe") ?? false, "\(error)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
    }

    func testDirectoryAndDeviceAreRefused() throws {
        let dir = try tempDir()
        XCTAssertThrowsError(try readInputFile(dir)) { error in
            XCTAssertTrue((error as? DataReadError)?.message.contains("目录") ?? false, "\(error)")
            XCTAssertTrue((error as? DataReadError)?.messageEN.contains("directory") ?? false, "\(error)")
        }
        // /dev/zero never ends; it must be refused before a byte is read.
        XCTAssertThrowsError(try readInputFile("/dev/zero")) { error in
            XCTAssertTrue((error as? DataReadError)?.messageEN.contains("character device") ?? false, "\(error)")
        }
    }

    func testSizeLimitComesFromFstatBeforeReading() throws {
        let dir = try tempDir()
        let path = (dir as NSString).appendingPathComponent("big.csv")
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(repeating: 0x41, count: 1000)))
        XCTAssertThrowsError(try readInputFile(path, maxBytes: 999)) { error in
            XCTAssertTrue((error as? DataReadError)?.message.contains("1000 字节") ?? false, "\(error)")
        }
        XCTAssertEqual(try readInputFile(path, maxBytes: 1000).count, 1000)
    }
}
