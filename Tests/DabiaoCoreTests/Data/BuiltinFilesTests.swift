import Foundation
import XCTest
@testable import DabiaoCore

/// The rulebooks and samples compiled into the binary are exactly the files
/// of Sources/DabiaoCore/Resources, and the built-in run reads only them.
final class BuiltinFilesTests: XCTestCase {
    static let resources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/DabiaoCore/Resources")

    func testEmbeddedFilesAreTheResourceFolderByteForByte() throws {
        let fm = FileManager.default
        let root = Self.resources.resolvingSymlinksInPath().path
        var onDisk: [String: [UInt8]] = [:]
        let walk = try XCTUnwrap(fm.enumerator(atPath: root))
        while let rel = walk.nextObject() as? String {
            var dir: ObjCBool = false
            let full = (root as NSString).appendingPathComponent(rel)
            guard !rel.split(separator: "/").contains(where: { $0.hasPrefix(".") }),
                  fm.fileExists(atPath: full, isDirectory: &dir), !dir.boolValue else { continue }
            onDisk[rel] = try readInputFile(full)
        }
        XCTAssertGreaterThan(onDisk.count, 10)
        XCTAssertEqual(Set(BuiltinFiles.all.map(\.path)), Set(onDisk.keys))
        for file in BuiltinFiles.all {
            XCTAssertEqual(file.bytes, onDisk[file.path], file.path)
        }
        XCTAssertEqual(BuiltinFiles.all.map(\.path), BuiltinFiles.all.map(\.path).sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) })
    }

    func testBuiltinRunNamesTheEmbeddedFiles() throws {
        let rules = try Pipeline.ruleSources([])
        XCTAssertEqual(rules.map(\.path), BuiltinFiles.files(under: "rules").map(\.path).filter { $0.hasSuffix(".rules") })
        let (program, diags) = compileProject(rules)
        XCTAssertEqual(diags.filter { $0.severity == .error }.count, 0)
        let (data, baseline) = try Pipeline.loadDatasets(try XCTUnwrap(program), Pipeline.DataRequest())
        XCTAssertEqual(data.inputs.map(\.path).sorted(), BuiltinFiles.files(under: "samples/gansu-2024").map(\.path).filter { $0.hasSuffix(".csv") })
        XCTAssertEqual(baseline?.inputs.map(\.path), ["samples/gansu-2023/region.csv"])
        XCTAssertGreaterThan(data.recordsRead, 0)
    }

    func testExportWritesTheRulebooksAndNeverOverwrites() throws {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("dabiao-export-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(at: dir)
        defer { try? FileManager.default.removeItem(at: dir) }
        let written = try BuiltinFiles.export("rules", to: dir.path)
        XCTAssertEqual(written.count, BuiltinFiles.files(under: "rules").count)
        // The exported folder compiles to the same rules as the built-in one.
        let (exported, diags) = compileProject(try Pipeline.ruleSources([dir.path]))
        XCTAssertEqual(diags.filter { $0.severity == .error }.count, 0)
        let (builtin, _) = compileProject(try Pipeline.ruleSources([]))
        XCTAssertEqual(exported?.rules.map(\.code), builtin?.rules.map(\.code))
        // A second export into the same folder is refused and changes nothing.
        let edited = Data("# 本省修改\n".utf8)
        try edited.write(to: URL(fileURLWithPath: written[0]))
        XCTAssertThrowsError(try BuiltinFiles.export("rules", to: dir.path)) { error in
            XCTAssertEqual((error as? InputFailure)?.path, written[0])
        }
        XCTAssertEqual(FileManager.default.contents(atPath: written[0]), edited)
    }
}
