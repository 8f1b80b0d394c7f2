import Foundation
import XCTest
@testable import DabiaoCore

/// The library's public surface (docs/api.md): what another Swift program
/// can call, listed in docs/public-api.txt, and the embedding example built
/// from Examples/Embedding and run against the CLI.
final class APITests: XCTestCase {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    /// The build folder holding the test bundle, the executables and `Modules/`.
    static var products: URL {
        let bundle = Bundle(for: APITests.self).bundleURL
        // Linux gives the build folder itself, macOS the .xctest inside it.
        return [bundle, bundle.deletingLastPathComponent()].first {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent("Modules").path)
        } ?? bundle
    }

    // MARK: the listed surface

    /// Members every enum or Equatable type gets from the compiler; listing
    /// them would only repeat the type's line.
    static func synthesized(_ kind: String, _ name: String) -> Bool {
        ["!=(_:_:)", "==(_:_:)", "hash(into:)", "hashValue", "init(rawValue:)", "rawValue", "allCases", "localizedDescription",
         "...(_:)", "..<(_:)", "...(_:_:)", "..<(_:_:)", "<=(_:_:)", ">(_:_:)", ">=(_:_:)"].contains(name)
            || kind == "swift.typealias" && ["RawValue", "AllCases"].contains(name)
    }

    /// Extracted once for the tests that read it (each extraction takes seconds).
    nonisolated(unsafe) static var extracted: Result<[String], Error>?

    /// `kind path` per public symbol of DabiaoCore, from the module itself
    /// (`swift-symbolgraph-extract`), sorted.
    func publicSymbols() throws -> [String] {
        if let done = Self.extracted { return try done.get() }
        let result = Result { try extractPublicSymbols() }
        Self.extracted = result
        return try result.get()
    }

    func extractPublicSymbols() throws -> [String] {
        let modules = Self.products.appendingPathComponent("Modules")
        guard FileManager.default.fileExists(atPath: modules.appendingPathComponent("DabiaoCore.swiftmodule").path) else {
            throw XCTSkip("DabiaoCore.swiftmodule not found beside the test bundle (\(modules.path))")
        }
        let tool = ProcessInfo.processInfo.environment["PATH", default: ""].split(separator: ":")
            .map { URL(fileURLWithPath: String($0)).appendingPathComponent("swift-symbolgraph-extract") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
        guard let tool else { throw XCTSkip("swift-symbolgraph-extract (part of the Swift toolchain) is not on PATH") }
        var uts = utsname()
        uname(&uts)
        let machine = withUnsafeBytes(of: &uts.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("dabiao-symbols-\(getpid())")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: out) }
        let p = Process()
        p.executableURL = tool
        p.arguments = ["-module-name", "DabiaoCore", "-I", modules.path, "-target", "\(machine)-unknown-linux-gnu",
                       "-minimum-access-level", "public", "-output-dir", out.path]
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "swift-symbolgraph-extract failed")
        let data = try Data(contentsOf: out.appendingPathComponent("DabiaoCore.symbols.json"))
        let graph = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let symbols = try XCTUnwrap(graph["symbols"] as? [[String: Any]])
        var lines: [String] = []
        for s in symbols {
            let kind = (s["kind"] as? [String: Any])?["identifier"] as? String ?? "?"
            let path = s["pathComponents"] as? [String] ?? []
            guard let name = path.last, !Self.synthesized(kind, name) else { continue }
            lines.append(kind.replacingOccurrences(of: "swift.", with: "") + " " + path.joined(separator: "."))
        }
        return lines.sorted()
    }

    func testThePublicSurfaceIsTheListedOne() throws {
        let actual = try publicSymbols()
        let listed = Self.repo.appendingPathComponent("docs/public-api.txt")
        if ProcessInfo.processInfo.environment["DABIAO_UPDATE_GOLDEN"] == "1" {
            try (actual.joined(separator: "\n") + "\n").write(to: listed, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: listed, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(actual, expected,
                       "the public surface changed; if on purpose, update docs/public-api.txt (DABIAO_UPDATE_GOLDEN=1) and docs/api.md\n"
                       + "added: \(Set(actual).subtracting(expected).sorted())\nremoved: \(Set(expected).subtracting(actual).sorted())")
        // About 80 declarations besides enum cases, for a CLI that needs about 40 types (was ~790).
        XCTAssertLessThanOrEqual(actual.filter { !$0.hasPrefix("enum.case ") }.count, 100)
    }

    func testEveryListedTypeIsDescribedInTheAPIDocument() throws {
        let doc = try String(contentsOf: Self.repo.appendingPathComponent("docs/api.md"), encoding: .utf8)
        let types = try publicSymbols().compactMap { line -> String? in
            let parts = line.split(separator: " ")
            guard parts.count == 2, ["struct", "enum", "class", "protocol", "func", "var"].contains(parts[0]) else { return nil }
            return String(parts[1].prefix { $0 != "(" })
        }
        XCTAssertFalse(types.isEmpty)
        for t in types { XCTAssertTrue(doc.contains(t), "docs/api.md does not mention \(t)") }
    }

    /// docs/architecture.md's folder map names every folder of the library, so it stays true as folders come.
    func testTheArchitectureMapNamesEveryFolderOfTheLibrary() throws {
        let doc = try String(contentsOf: Self.repo.appendingPathComponent("docs/architecture.md"), encoding: .utf8)
        let library = Self.repo.appendingPathComponent("Sources/DabiaoCore")
        let folders = try FileManager.default.contentsOfDirectory(atPath: library.path).filter { name in
            var isDir: ObjCBool = false
            return FileManager.default.fileExists(atPath: library.appendingPathComponent(name).path, isDirectory: &isDir) && isDir.boolValue
        }
        XCTAssertGreaterThanOrEqual(folders.count, 8)
        for f in folders { XCTAssertTrue(doc.contains("\(f)/"), "docs/architecture.md does not place Sources/DabiaoCore/\(f)/") }
        for f in try FileManager.default.contentsOfDirectory(atPath: Self.repo.appendingPathComponent("Sources").path) {
            XCTAssertTrue(doc.contains("Sources/\(f)/"), "docs/architecture.md does not place Sources/\(f)/")
        }
    }

    // MARK: the embedding example

    func testTheExampleInTheDocsIsTheOneThatIsBuilt() throws {
        let doc = try String(contentsOf: Self.repo.appendingPathComponent("docs/api.md"), encoding: .utf8)
        let example = try String(contentsOf: Self.repo.appendingPathComponent("Examples/Embedding/main.swift"), encoding: .utf8)
        XCTAssertTrue(doc.contains("```swift\n" + example + "```\n"), "docs/api.md must show Examples/Embedding/main.swift verbatim")
        // Ten lines or so, as promised.
        XCTAssertLessThanOrEqual(example.split(separator: "\n").filter { !$0.hasPrefix("//") && !$0.hasPrefix("import") }.count, 10)
    }

    func run(_ exe: URL, _ args: [String]) throws -> (Int32, String) {
        let r = try CLITests.launch(args, executable: exe)
        return (r.status, r.stdout)
    }

    func testTheExampleGivesTheCLIsReportAndExitCode() throws {
        let example = Self.products.appendingPathComponent("embedding-example")
        let cli = Self.products.appendingPathComponent("dabiao")
        guard FileManager.default.isExecutableFile(atPath: example.path), FileManager.default.isExecutableFile(atPath: cli.path) else {
            throw XCTSkip("embedding-example and dabiao are built by swift build; not found in \(Self.products.path)")
        }
        // The built-in samples, and one school file on disk that fails.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dabiao-embed-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let samples = Self.repo.appendingPathComponent("samples/gansu-2024").path
        for args in [[], [samples]] {
            let (code, text) = try run(example, args)
            let (cliCode, cliText) = try run(cli, ["check", "--as-of", "2024-10-31", "--lang", "en"] + args)
            XCTAssertEqual(code, cliCode, "\(args)")
            XCTAssertEqual(code, 1, "the samples have failures")
            XCTAssertEqual(text, cliText, "\(args)")
            XCTAssertTrue(text.contains("ZZ-"), "the report lists the sample's failures")
        }
    }
}
