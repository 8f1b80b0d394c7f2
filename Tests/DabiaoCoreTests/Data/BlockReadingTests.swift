@testable import DabiaoCore
import Foundation
import XCTest

/// A delimited file on disk is read in blocks (a scan, then the rows block by
/// block, a row cut by a block's end read again whole), each block's fields
/// read field by field on every core or row by row; bytes in memory are read
/// in one piece, row by row (the serial reader). All must give the same
/// tables, line numbers, data errors, notes, counts and checksum, or fail
/// with the same message.
final class BlockReadingTests: XCTestCase {
    static let rules = """
    entity person "人员" {
      key id   : text "编号"
      name     : text "姓名"
      age      : integer "年龄"
      score    : number "分数"
      active   : bool "在职"
      joined   : date "入职日期"
      grade    : text one of ("甲", "乙") "等级"
    }
    """

    /// Cells that exercise the reader: quotes, line ends inside quotes, text
    /// after a closing quote, multi-byte text, bad values, empties.
    static let cells = [
        "P1", "李雷", "韩梅梅", "", " ", "42", "4.5", "abc", "1e3", "是", "否", "2024-09-01", "1969-12-31", "2024-13-40",
        "甲", "乙", "丙", "\"引号\"", "\"多\n行\"", "\"多\r\n行\"", "\"单独\r回车\"", "\"a\"\"b\"", "\"ab\"cd", "a\"b",
        "\"\"", "\"末尾\"\"\"", "无", "—", "N/A", "😀", "\"😀,\n😀\"",
    ]

    func testBlocksOfAnySizeReadAsTheWholeFileDoes() throws {
        let p = try Core.program(Self.rules)
        let e = try Core.entity(p, "person")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dabiao-blocks-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var rng = SeededRNG(seed: 20261207)
        var seen = (files: 0, failures: 0, strayBytes: 0)
        for n in 0..<300 {
            let (bytes, forceUTF8) = Self.generate(&rng)
            let url = dir.appendingPathComponent("f\(n).csv")
            try Data(bytes).write(to: url)
            let spec = InputSpec(entity: e, path: url.path)
            let encoding: TextEncodingKind? = forceUTF8 ? .utf8 : nil

            var whole = DataLoader(program: p)
            let expected = Result { try whole.load(bytes: bytes, spec: spec, encoding: encoding) }
            for blockSize in [1, 2, 3, 7, 64, 1 << 20] {
                var blocks = DataLoader(program: p)
                blocks.blockSize = blockSize
                blocks.fieldsInParallel = blockSize % 2 == 0 || blockSize == 7
                let got = Result { try blocks.load(spec, encoding: encoding) }
                switch (expected, got) {
                case (.success, .success):
                    XCTAssertEqual(Self.dump(blocks.dataset), Self.dump(whole.dataset), "file \(n), blocks of \(blockSize)")
                    XCTAssertEqual(blocks.dataset.inputs.first?.sha256, SHA256.hex(bytes), "file \(n)")
                case (.failure(let a as InputFailure), .failure(let b as InputFailure)):
                    XCTAssertEqual(a, b, "file \(n), blocks of \(blockSize)")
                default:
                    XCTFail("file \(n), blocks of \(blockSize): whole \(expected), blocks \(got)")
                }
            }
            seen.files += 1
            if case .failure = expected { seen.failures += 1 }
            if whole.dataset.errors.contains(where: { $0.reason.zh.contains("UTF-8") }) { seen.strayBytes += 1 }
        }
        // The generator reached every kind of file it is meant to.
        XCTAssertGreaterThan(seen.failures, 5, "unterminated quotes")
        XCTAssertGreaterThan(seen.strayBytes, 5, "stray bytes read as UTF-8")
        XCTAssertGreaterThan(seen.files - seen.failures, 200)
    }

    /// A random file: optional BOM, a header, rows with every kind of cell,
    /// LF, CRLF or CR line ends, blank lines, duplicate and empty keys, extra
    /// cells; sometimes a stray byte, an unterminated quote, no final line end.
    static func generate(_ rng: inout SeededRNG) -> (bytes: [UInt8], forceUTF8: Bool) {
        func pick<T>(_ xs: [T]) -> T { xs[Int(rng.next() % UInt64(xs.count))] }
        let ends = ["\n", "\r\n", "\r"]
        var text = rng.next() % 4 == 0 ? "\u{FEFF}" : ""
        let end = pick(ends)
        let mixedEnds = rng.next() % 3 == 0
        text += "编号,姓名,年龄,\"分数\",在职,入职日期,等级" + end
        let rows = Int(rng.next() % 40)
        for r in 0..<rows {
            var fields: [String] = []
            let key = rng.next() % 10 == 0 ? pick(["", "P1", "P2"]) : "K\(r)"
            fields.append(key)
            let width = rng.next() % 8 == 0 ? Int(rng.next() % 10) : 6
            for _ in 0..<width { fields.append(pick(cells)) }
            text += fields.joined(separator: ",")
            text += mixedEnds ? pick(ends) : end
            if rng.next() % 10 == 0 { text += mixedEnds ? pick(ends) : end }
        }
        if rng.next() % 6 == 0 { text += "K-last,\"未闭合" + end + "还在引号里" }
        else if rng.next() % 3 == 0 { text += "K-end,末行无换行" }
        var bytes = Array(text.utf8)
        let stray = rng.next() % 6 == 0
        if stray, bytes.count > 10 {
            // A lone byte that is no UTF-8, inside some cell.
            var at = Int(rng.next() % UInt64(bytes.count))
            while at < bytes.count, bytes[at] & 0xC0 == 0x80 { at += 1 }
            bytes.insert(pick([0xFF, 0xC3, 0x80]), at: at)
        }
        return (bytes, stray && rng.next() % 2 == 0)
    }

    /// Everything a read leaves behind, as text to compare.
    static func dump(_ d: Dataset) -> String {
        var out = ""
        for i in d.inputs { out += "input \(i.entity) \(i.path) \(i.records) \(i.rejected)\n" }
        for x in d.errors { out += "error \(x)\n" }
        for x in d.notes { out += "note \(x)\n" }
        for t in d.tables {
            out += "table \(t.entity) \(t.count)\n"
            for r in 0..<t.count {
                out += "\(t.source(r).input):\(t.source(r).line)"
                for c in t.columns {
                    let v = c.value(r)
                    out += "|" + (v.isNaN ? "-" : "\(v)") + (c.text(r).map { "=\($0)" } ?? "")
                }
                out += "\n"
            }
        }
        return out
    }
}
