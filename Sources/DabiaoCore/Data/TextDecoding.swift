import Foundation

/// The text encodings dabiao accepts for CSV and JSON inputs.
public enum TextEncodingKind: String, Sendable, Equatable, CaseIterable {
    case utf8, utf8BOM, utf16LE, utf16BE, gb18030

    /// The encoding a user names (`--encoding`): `utf8`, `utf-16le`,
    /// `UTF16BE`, `gb18030` and its subsets `gbk` and `gb2312`.
    public static func named(_ name: String) -> TextEncodingKind? {
        switch name.lowercased().replacingOccurrences(of: "-", with: "") {
        case "utf8": return .utf8
        case "utf16le": return .utf16LE
        case "utf16be": return .utf16BE
        case "gb18030", "gbk", "gb2312": return .gb18030
        default: return nil
        }
    }
}

struct DecodedText: Sendable, Equatable {
    /// The text without any byte-order mark.
    var text: String
    var encoding: TextEncodingKind

    init(text: String, encoding: TextEncodingKind) {
        self.text = text
        self.encoding = encoding
    }
}

/// Valid UTF-8 bytes without a byte-order mark, ready for `CSVReader` or
/// `readJSONRecords`. For a UTF-8 file this is the input minus its BOM, so a
/// large file is never turned into a `String` just to be read.
struct DecodedBytes: Sendable, Equatable {
    var utf8: [UInt8]
    var encoding: TextEncodingKind

    init(utf8: [UInt8], encoding: TextEncodingKind) {
        self.utf8 = utf8
        self.encoding = encoding
    }
}

/// Decodes a whole input file.
///
/// Without `forced`: a UTF-8 or UTF-16 byte-order mark decides; otherwise
/// bytes that are valid UTF-8 are UTF-8, and anything else is tried as
/// GB18030 (which also covers GBK and GB2312 files saved by Excel on Chinese
/// Windows). When nothing decodes, the error names the byte offset where the
/// more plausible of UTF-8 and GB18030 broke down — the later of the two
/// offsets, since the decoder that got further is more likely the intended one.
///
/// With `forced`, only that encoding is tried (a BOM of that encoding is still
/// removed, `.utf8` and `.utf8BOM` both accept a file with or without one).
func decodeText(_ bytes: [UInt8], forced: TextEncodingKind? = nil) throws -> DecodedText {
    let decoded = try decodeInternal(bytes, forced: forced)
    switch decoded {
    case .utf8(let range, let kind):
        return DecodedText(text: String(decoding: bytes[range], as: UTF8.self), encoding: kind)
    case .text(let text, let kind):
        return DecodedText(text: text, encoding: kind)
    }
}

/// Like `decodeText`, but hands back UTF-8 bytes (the fast path for big CSVs).
func decodeToUTF8(_ bytes: [UInt8], forced: TextEncodingKind? = nil) throws -> DecodedBytes {
    let decoded = try decodeInternal(bytes, forced: forced)
    switch decoded {
    case .utf8(let range, let kind):
        if range.lowerBound == 0 && range.upperBound == bytes.count {
            return DecodedBytes(utf8: bytes, encoding: kind)
        }
        return DecodedBytes(utf8: Array(bytes[range]), encoding: kind)
    case .text(let text, let kind):
        return DecodedBytes(utf8: Array(text.utf8), encoding: kind)
    }
}

/// For CSV: like `decodeToUTF8`, but a UTF-8 file with a few stray bytes is
/// handed back as it is (`hasStrayBytes`), so each damaged cell becomes a
/// data error instead of the whole file being refused.
///
/// A file counts as UTF-8 with stray bytes when it has a UTF-8 BOM, when
/// `forced` is `.utf8`/`.utf8BOM`, or when its valid multi-byte UTF-8
/// sequences outnumber its invalid ones at least `strayByteRatio` to one.
/// GBK/GB18030 text read as UTF-8 is mostly invalid sequences, so such files
/// still go to the GB18030 decoder.
func decodeCSVToUTF8(_ bytes: [UInt8], forced: TextEncodingKind? = nil) throws -> (decoded: DecodedBytes, hasStrayBytes: Bool) {
    let utf8BOM: [UInt8] = [0xEF, 0xBB, 0xBF]
    let bom = hasPrefix(bytes, utf8BOM)
    let start = bom ? 3 : 0
    func asIs() -> (decoded: DecodedBytes, hasStrayBytes: Bool) {
        let body = start == 0 ? bytes : Array(bytes[start...])
        return (DecodedBytes(utf8: body, encoding: bom ? .utf8BOM : .utf8), true)
    }
    func valid() -> Bool {
        bytes.withUnsafeBufferPointer { firstInvalidUTF8Offset(UnsafeBufferPointer(rebasing: $0[start...])) == nil }
    }
    switch forced {
    case .utf8?, .utf8BOM?:
        var result = asIs()
        result.hasStrayBytes = !valid()
        return result
    case nil:
        guard bom || !(hasPrefix(bytes, [0xFF, 0xFE]) || hasPrefix(bytes, [0xFE, 0xFF])) else { break }
        // Valid files (nearly all) pay for one validating pass, as before.
        if valid() { var result = asIs(); result.hasStrayBytes = false; return result }
        if bom { return asIs() }
        let counts = bytes.withUnsafeBufferPointer { utf8SequenceCounts($0) }
        if counts.validMultiByte >= strayByteRatio * counts.invalid { return asIs() }
    default:
        break
    }
    return (try decodeToUTF8(bytes, forced: forced), false)
}

/// How many valid multi-byte sequences must stand beside each invalid one
/// for a BOM-less file to be read as UTF-8 with stray bytes.
let strayByteRatio = 4

/// Valid multi-byte UTF-8 sequences, and invalid sequences (each maximal
/// ill-formed subpart once), in `p`.
func utf8SequenceCounts(_ p: UnsafeBufferPointer<UInt8>) -> (validMultiByte: Int, invalid: Int) {
    var valid = 0
    var invalid = 0
    var i = 0
    while i < p.count {
        if p[i] < 0x80 { i += 1; continue }
        let length = utf8SequenceLength(p, at: i)
        if length > 0 {
            valid += 1
            i += length
        } else {
            invalid += 1
            i += max(1, -length)
        }
    }
    return (valid, invalid)
}

/// The length of the valid sequence starting at `i` (> 0), or minus the
/// length of the ill-formed subpart there (<= 0 means skip at least one byte).
func utf8SequenceLength(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
    let b0 = p[i]
    if b0 < 0x80 { return 1 }
    let need: Int
    var lo: UInt8 = 0x80
    var hi: UInt8 = 0xBF
    switch b0 {
    case 0xC2...0xDF: need = 1
    case 0xE0: need = 2; lo = 0xA0
    case 0xE1...0xEC, 0xEE...0xEF: need = 2
    case 0xED: need = 2; hi = 0x9F
    case 0xF0: need = 3; lo = 0x90
    case 0xF1...0xF3: need = 3
    case 0xF4: need = 3; hi = 0x8F
    default: return -1
    }
    guard i + 1 < p.count, p[i + 1] >= lo, p[i + 1] <= hi else { return -1 }
    var k = 2
    while k <= need {
        guard i + k < p.count, p[i + k] >= 0x80, p[i + k] <= 0xBF else { return -k }
        k += 1
    }
    return need + 1
}

/// A cell's bytes as text with each byte of an invalid sequence written as
/// `\xFF`, so a report shows exactly what the file holds.
func escapingInvalidUTF8(_ p: UnsafeBufferPointer<UInt8>) -> String {
    var out = ""
    var i = 0
    var runStart = 0
    while i < p.count {
        let length = utf8SequenceLength(p, at: i)
        if length > 0 { i += length; continue }
        out += String(decoding: UnsafeBufferPointer(rebasing: p[runStart..<i]), as: UTF8.self)
        let end = min(p.count, i + max(1, -length))
        for b in p[i..<end] {
            let hex = String(b, radix: 16, uppercase: false)
            out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
        }
        i = end
        runStart = i
    }
    out += String(decoding: UnsafeBufferPointer(rebasing: p[runStart..<p.count]), as: UTF8.self)
    return out
}

/// The 0-based offset of the first byte that makes `bytes` invalid UTF-8
/// (overlong forms, surrogates and code points above U+10FFFF are invalid),
/// or nil when all of it is valid.
func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
    bytes.withUnsafeBufferPointer { firstInvalidUTF8Offset($0) }
}

func firstInvalidUTF8Offset(_ p: UnsafeBufferPointer<UInt8>) -> Int? {
    let n = p.count
    var i = 0
    while i < n {
        let b0 = p[i]
        if b0 < 0x80 { i += 1; continue }
        let need: Int
        var lo: UInt8 = 0x80
        var hi: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: need = 1
        case 0xE0: need = 2; lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: need = 2
        case 0xED: need = 2; hi = 0x9F
        case 0xF0: need = 3; lo = 0x90
        case 0xF1...0xF3: need = 3
        case 0xF4: need = 3; hi = 0x8F
        default: return i
        }
        // The first continuation byte carries the range restriction that
        // rules out overlongs, surrogates and values above U+10FFFF.
        guard i + 1 < n else { return i + 1 }
        let b1 = p[i + 1]
        if b1 < lo || b1 > hi { return i + 1 }
        var k = 2
        while k <= need {
            guard i + k < n else { return i + k }
            let b = p[i + k]
            if b < 0x80 || b > 0xBF { return i + k }
            k += 1
        }
        i += need + 1
    }
    return nil
}

/// The 0-based offset of the first byte that cannot be part of any GB18030
/// sequence (by byte structure only), or nil when the structure is valid.
func firstInvalidGB18030Offset(_ bytes: [UInt8]) -> Int? {
    let n = bytes.count
    var i = 0
    while i < n {
        let b0 = bytes[i]
        if b0 < 0x80 { i += 1; continue }
        guard b0 >= 0x81 && b0 <= 0xFE else { return i }
        guard i + 1 < n else { return i + 1 }
        let b1 = bytes[i + 1]
        if (0x40...0x7E).contains(b1) || (0x80...0xFE).contains(b1) {
            i += 2
            continue
        }
        guard (0x30...0x39).contains(b1) else { return i + 1 }
        guard i + 2 < n else { return i + 2 }
        guard (0x81...0xFE).contains(bytes[i + 2]) else { return i + 2 }
        guard i + 3 < n else { return i + 3 }
        guard (0x30...0x39).contains(bytes[i + 3]) else { return i + 3 }
        i += 4
    }
    return nil
}

// MARK: - Internals

private enum Decoded {
    case utf8(Range<Int>, TextEncodingKind)
    case text(String, TextEncodingKind)
}

/// Foundation on Linux has no CFStringConvertEncodingToNSStringEncoding in
/// scope; the NSStringEncoding for a CF encoding is 0x8000_0000 | cfEncoding,
/// and kCFStringEncodingGB_18030_2000 is 0x0632. Verified on Linux with
/// Python-generated GB18030 bytes, including four-byte sequences.
private let gb18030Encoding = String.Encoding(rawValue: 0x8000_0632)

private func hasPrefix(_ bytes: [UInt8], _ prefix: [UInt8]) -> Bool {
    bytes.count >= prefix.count && bytes[0..<prefix.count].elementsEqual(prefix)
}

private func decodeInternal(_ bytes: [UInt8], forced: TextEncodingKind?) throws -> Decoded {
    let utf8BOM: [UInt8] = [0xEF, 0xBB, 0xBF]
    let le: [UInt8] = [0xFF, 0xFE]
    let be: [UInt8] = [0xFE, 0xFF]

    switch forced {
    case .utf8?, .utf8BOM?:
        let start = hasPrefix(bytes, utf8BOM) ? 3 : 0
        let kind: TextEncodingKind = start == 3 ? .utf8BOM : .utf8
        try validateUTF8(bytes, from: start, kind: kind)
        return .utf8(start..<bytes.count, kind)
    case .utf16LE?:
        return .text(try decodeUTF16(bytes, from: hasPrefix(bytes, le) ? 2 : 0, littleEndian: true), .utf16LE)
    case .utf16BE?:
        return .text(try decodeUTF16(bytes, from: hasPrefix(bytes, be) ? 2 : 0, littleEndian: false), .utf16BE)
    case .gb18030?:
        if let text = decodeGB18030(bytes) { return .text(text, .gb18030) }
        throw DataReadError(byteOffset: firstInvalidGB18030Offset(bytes) ?? 0,
                            message: "不是有效的 GB18030 文本",
                            messageEN: "not valid GB18030 text")
    case nil:
        break
    }

    if hasPrefix(bytes, utf8BOM) {
        try validateUTF8(bytes, from: 3, kind: .utf8BOM)
        return .utf8(3..<bytes.count, .utf8BOM)
    }
    if hasPrefix(bytes, le) {
        return .text(try decodeUTF16(bytes, from: 2, littleEndian: true), .utf16LE)
    }
    if hasPrefix(bytes, be) {
        return .text(try decodeUTF16(bytes, from: 2, littleEndian: false), .utf16BE)
    }
    guard let badUTF8 = firstInvalidUTF8Offset(bytes) else {
        return .utf8(0..<bytes.count, .utf8)
    }
    if let text = decodeGB18030(bytes) { return .text(text, .gb18030) }
    // Structurally valid GB18030 that Foundation still rejects (an unassigned
    // four-byte code) has no better offset than the UTF-8 one.
    let badGB = firstInvalidGB18030Offset(bytes) ?? 0
    let offset = max(badUTF8, badGB)
    throw DataReadError(byteOffset: offset,
                        message: "文件编码无法识别：既不是 UTF-8 也不是 GB18030（第 \(offset) 字节起无效）",
                        messageEN: "unrecognised text encoding: neither UTF-8 nor GB18030 (invalid from byte \(offset))")
}

private func validateUTF8(_ bytes: [UInt8], from start: Int, kind: TextEncodingKind) throws {
    let bad: Int? = bytes.withUnsafeBufferPointer { whole in
        let tail = UnsafeBufferPointer(rebasing: whole[start...])
        return firstInvalidUTF8Offset(tail).map { $0 + start }
    }
    if let bad {
        throw DataReadError(byteOffset: bad,
                            message: "不是有效的 UTF-8 文本（第 \(bad) 字节起无效）",
                            messageEN: "not valid UTF-8 text (invalid from byte \(bad))")
    }
}

private func decodeGB18030(_ bytes: [UInt8]) -> String? {
    // Foundation would otherwise accept pure ASCII as well; callers only get
    // here after UTF-8 failed, so that is harmless.
    if firstInvalidGB18030Offset(bytes) != nil { return nil }
    return String(data: Data(bytes), encoding: gb18030Encoding)
}

private func decodeUTF16(_ bytes: [UInt8], from start: Int, littleEndian: Bool) throws -> String {
    let count = bytes.count - start
    if count % 2 != 0 {
        throw DataReadError(byteOffset: bytes.count - 1,
                            message: "UTF-16 文本的字节数为奇数（第 \(bytes.count - 1) 字节不完整）",
                            messageEN: "UTF-16 text has an odd number of bytes (byte \(bytes.count - 1) is incomplete)")
    }
    var units = [UInt16]()
    units.reserveCapacity(count / 2)
    var i = start
    while i + 1 < bytes.count {
        let a = UInt16(bytes[i]), b = UInt16(bytes[i + 1])
        units.append(littleEndian ? (b << 8 | a) : (a << 8 | b))
        i += 2
    }
    // Unpaired surrogates would silently become U+FFFD; report them instead.
    var k = 0
    while k < units.count {
        let u = units[k]
        if u >= 0xD800 && u <= 0xDBFF {
            if k + 1 < units.count, units[k + 1] >= 0xDC00 && units[k + 1] <= 0xDFFF {
                k += 2
                continue
            }
            throw badSurrogate(start + 2 * k)
        }
        if u >= 0xDC00 && u <= 0xDFFF { throw badSurrogate(start + 2 * k) }
        k += 1
    }
    return String(decoding: units, as: UTF16.self)
}

private func badSurrogate(_ offset: Int) -> DataReadError {
    DataReadError(byteOffset: offset,
                  message: "UTF-16 文本含有不成对的代理项（第 \(offset) 字节）",
                  messageEN: "UTF-16 text has an unpaired surrogate (byte \(offset))")
}

/// What a non-regular file is, for the refusal that names it.
func fileKindName(_ mode: mode_t) -> (zh: String, en: String)? {
    switch mode & S_IFMT {
    case S_IFREG: return nil
    case S_IFDIR: return ("目录", "a directory")
    case S_IFIFO: return ("命名管道（FIFO）", "a named pipe (FIFO)")
    case S_IFCHR: return ("字符设备", "a character device")
    case S_IFBLK: return ("块设备", "a block device")
    case S_IFSOCK: return ("套接字", "a socket")
    default: return ("特殊文件", "a special file")
    }
}

/// Reads a whole file into bytes (without going through `Data`, which costs
/// an extra copy of a 150 MB input). Only regular files are read: a FIFO
/// would block forever and `/dev/zero` never ends, so both are refused
/// before a byte is read, as is a file larger than `maxBytes`.
func readInputFile(_ path: String, maxBytes: Int = 4 << 30) throws -> [UInt8] {
    let file = try InputFile(path, maxBytes: maxBytes)
    var result: [UInt8] = []
    if file.size > 0 { result.reserveCapacity(file.size) }
    while true {
        if try file.read(upTo: 1 << 20, into: &result, at: result.count) == 0 { break }
        // The file may grow after fstat; the limit holds for what is read.
        if result.count > maxBytes {
            throw DataReadError(path: path, message: "文件过大（超过 \(maxBytes) 字节）", messageEN: "file too large (over \(maxBytes) bytes)")
        }
    }
    return result
}

/// An input file opened for reading in blocks: a regular file (a FIFO or a
/// device is refused before anything is read) of at most `maxBytes`.
final class InputFile {
    let path: String
    let size: Int
    /// Size and modification time when opened, to notice a file written to between two reads.
    let stamp: [Int]
    private let fd: Int32

    init(_ path: String, maxBytes: Int = 4 << 30) throws {
        func refuse(_ kind: (zh: String, en: String)) -> DataReadError {
            DataReadError(path: path, message: "不是普通文件，而是\(kind.zh)，无法作为输入读取",
                          messageEN: "not a regular file but \(kind.en); it cannot be read as input")
        }
        // stat follows a symbolic link, so a link to a regular file is fine and a
        // link to a FIFO is refused here, before any open could block.
        var st = stat()
        if stat(path, &st) == 0, let kind = fileKindName(st.st_mode) { throw refuse(kind) }
        // O_NONBLOCK: should the path be swapped for a FIFO between stat and
        // open, the open still returns at once and fstat below refuses it.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw DataReadError(path: path, message: "无法打开文件：\(reason)", messageEN: "cannot open file: \(reason)")
        }
        guard fstat(fd, &st) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw DataReadError(path: path, message: "无法读取文件信息：\(reason)", messageEN: "cannot stat file: \(reason)")
        }
        if let kind = fileKindName(st.st_mode) {
            close(fd)
            throw refuse(kind)
        }
        let size = Int64(st.st_size)
        if size > Int64(maxBytes) {
            close(fd)
            throw DataReadError(path: path, message: "文件过大（\(size) 字节，上限 \(maxBytes) 字节）",
                                messageEN: "file too large (\(size) bytes, the limit is \(maxBytes))")
        }
        self.path = path
        self.fd = fd
        self.size = Int(size)
        self.stamp = InputFile.stamp(st)
    }

    deinit { close(fd) }

    private static func stamp(_ st: stat) -> [Int] {
        [Int(st.st_size), Int(st.st_mtim.tv_sec), Int(st.st_mtim.tv_nsec)]
    }

    /// Whether the file still has the size and modification time it had when opened.
    var isUnchanged: Bool {
        var st = stat()
        return fstat(fd, &st) == 0 && InputFile.stamp(st) == stamp
    }

    func rewind() throws {
        guard lseek(fd, 0, SEEK_SET) == 0 else {
            let reason = String(cString: strerror(errno))
            throw DataReadError(path: path, message: "读取文件失败：\(reason)", messageEN: "error reading file: \(reason)")
        }
    }

    /// Reads up to `count` bytes (fewer only at the end of the file) into
    /// `buffer` from `offset` on, and returns how many; the buffer then ends
    /// where they end. A buffer used again for the next block is written in
    /// place: reading a large file takes no fresh memory block after block.
    func read(upTo count: Int, into buffer: inout [UInt8], at offset: Int) throws -> Int {
        let count = max(0, count)
        let offset = min(max(0, offset), buffer.count)
        if buffer.count < offset + count { buffer += [UInt8](repeating: 0, count: offset + count - buffer.count) }
        var got = 0
        defer { buffer.removeLast(buffer.count - (offset + got)) }
        while got < count {
            let n = buffer.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress.map { $0 + offset + got }, count - got) }
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                throw DataReadError(path: path, message: "读取文件失败：\(reason)", messageEN: "error reading file: \(reason)")
            }
            if n == 0 { break }
            got += n
        }
        return got
    }
}
