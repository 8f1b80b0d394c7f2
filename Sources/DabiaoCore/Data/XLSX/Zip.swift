import Foundation

/// Read-only ZIP archive (the container of .xlsx files). Only what spreadsheets need:
/// single-disk archives, stored and deflated entries, no encryption, no ZIP64.
struct ZipArchive: Sendable {
    /// An entry as described by the central directory, which is authoritative
    /// (local headers may carry zero sizes when a data descriptor follows).
    struct Entry: Sendable {
        var name: String
        var method: UInt16
        var flags: UInt16
        var crc32: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeaderOffset: Int
    }

    /// An entry may not inflate beyond this many times its compressed size…
    static let maxCompressionRatio = 200
    /// …unless it stays below this size: small parts are harmless whatever their ratio, and
    /// very repetitive sheets legitimately compress better than 200:1.
    static let ratioExemptSize = 8 << 20
    /// Absolute cap for a single entry.
    static let maxEntrySize = 512 << 20
    /// Cap for the sum of all declared entry sizes.
    static let maxTotalSize = 1 << 30
    static let maxEntries = 65_535

    private let bytes: [UInt8]
    private var entries: [String: Entry] = [:]
    /// Entry names in central-directory order.
    private(set) var entryNames: [String] = []

    init(bytes: [UInt8]) throws {
        self.bytes = bytes
        let eocd = try ZipArchive.findEndOfCentralDirectory(bytes)
        let diskNumber = bytes.zipU16(eocd + 4)
        let centralDisk = bytes.zipU16(eocd + 6)
        let entriesOnDisk = bytes.zipU16(eocd + 8)
        let entryCount = bytes.zipU16(eocd + 10)
        let directorySize = bytes.zipU32(eocd + 12)
        let directoryOffset = bytes.zipU32(eocd + 16)
        if entryCount == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF
            || (eocd >= 20 && bytes.zipU32(eocd - 20) == 0x0706_4B50) {
            throw XLSXError(message: "不支持 ZIP64 格式的文件（文件过大） / ZIP64 archives are not supported")
        }
        guard diskNumber == 0, centralDisk == 0, entriesOnDisk == entryCount else {
            throw XLSXError(message: "不支持分卷压缩文件 / multi-disk ZIP archives are not supported")
        }
        let directoryStart = Int(directoryOffset)
        guard directoryStart + Int(directorySize) <= eocd else {
            throw XLSXError(message: "不是有效的 xlsx 文件（中央目录位置错误） / central directory out of bounds")
        }

        var position = directoryStart
        var totalSize = 0
        for _ in 0..<Int(entryCount) {
            guard position + 46 <= eocd, bytes.zipU32(position) == 0x0201_4B50 else {
                throw XLSXError(message: "不是有效的 xlsx 文件（中央目录损坏） / corrupt central directory")
            }
            let flags = bytes.zipU16(position + 8)
            let method = bytes.zipU16(position + 10)
            let crc = bytes.zipU32(position + 16)
            let compressed = bytes.zipU32(position + 20)
            let uncompressed = bytes.zipU32(position + 24)
            let nameLength = Int(bytes.zipU16(position + 28))
            let extraLength = Int(bytes.zipU16(position + 30))
            let commentLength = Int(bytes.zipU16(position + 32))
            let localOffset = bytes.zipU32(position + 42)
            let nameStart = position + 46
            let next = nameStart + nameLength + extraLength + commentLength
            guard next <= eocd else {
                throw XLSXError(message: "不是有效的 xlsx 文件（中央目录损坏） / corrupt central directory")
            }
            if compressed == 0xFFFF_FFFF || uncompressed == 0xFFFF_FFFF || localOffset == 0xFFFF_FFFF {
                throw XLSXError(message: "不支持 ZIP64 格式的文件（文件过大） / ZIP64 archives are not supported")
            }
            let name = ZipArchive.decodeName(Array(bytes[nameStart..<(nameStart + nameLength)]),
                                             utf8Flag: flags & 0x0800 != 0)
            totalSize += Int(uncompressed)
            guard totalSize <= ZipArchive.maxTotalSize else {
                throw XLSXError(message: "文件解压后总大小超过上限（可能是压缩炸弹） / archive too large when extracted")
            }
            // The first of duplicate names wins, as in most readers; the rest are ignored.
            if entries[name] == nil {
                entries[name] = Entry(name: name, method: method, flags: flags, crc32: crc,
                                      compressedSize: Int(compressed), uncompressedSize: Int(uncompressed),
                                      localHeaderOffset: Int(localOffset))
                entryNames.append(name)
            }
            position = next
        }
    }

    /// Returns the uncompressed contents of an entry, verified against its CRC-32.
    func read(_ name: String) throws -> [UInt8] {
        guard let entry = entries[name] else {
            throw XLSXError(message: "压缩包中找不到 \(name) / entry not found: \(name)")
        }
        guard entry.flags & 0x0001 == 0 else {
            throw XLSXError(message: "文件已加密，请先在 Excel/WPS 中取消密码 / encrypted entries are not supported: \(name)")
        }
        guard entry.uncompressedSize <= ZipArchive.maxEntrySize else {
            throw XLSXError(message: "\(name) 解压后超过 512 MiB 上限 / entry larger than 512 MiB: \(name)")
        }
        let header = entry.localHeaderOffset
        guard header + 30 <= bytes.count, bytes.zipU32(header) == 0x0403_4B50 else {
            throw XLSXError(message: "不是有效的 xlsx 文件（\(name) 的本地文件头损坏） / corrupt local header: \(name)")
        }
        let dataStart = header + 30 + Int(bytes.zipU16(header + 26)) + Int(bytes.zipU16(header + 28))
        let dataEnd = dataStart + entry.compressedSize
        guard dataEnd <= bytes.count else {
            throw XLSXError(message: "文件不完整（\(name) 的数据被截断） / truncated entry: \(name)")
        }
        let raw = Array(bytes[dataStart..<dataEnd])
        let content: [UInt8]
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.uncompressedSize else {
                throw XLSXError(message: "不是有效的 xlsx 文件（\(name) 的大小不一致） / size mismatch: \(name)")
            }
            content = raw
        case 8:
            let ratioLimit = max(ZipArchive.ratioExemptSize, entry.compressedSize * ZipArchive.maxCompressionRatio)
            guard entry.uncompressedSize <= ratioLimit else {
                throw XLSXError(message: "\(name) 压缩比异常（可能是压缩炸弹） / suspicious compression ratio: \(name)")
            }
            // Inflating to exactly the declared size, never more, bounds memory by the checks above.
            do {
                content = try inflate(raw, expectedSize: entry.uncompressedSize, maxOutput: entry.uncompressedSize)
            } catch let error as XLSXError {
                throw XLSXError(message: "\(name)：\(error.message)")
            }
            guard content.count == entry.uncompressedSize else {
                throw XLSXError(message: "不是有效的 xlsx 文件（\(name) 的大小不一致） / size mismatch: \(name)")
            }
        default:
            throw XLSXError(message: "不支持的压缩方式 \(entry.method)（\(name)） / unsupported compression method \(entry.method)")
        }
        guard zipCRC32(content) == entry.crc32 else {
            throw XLSXError(message: "文件已损坏（\(name) 校验和错误） / CRC-32 mismatch: \(name)")
        }
        return content
    }

    static func findEndOfCentralDirectory(_ bytes: [UInt8]) throws -> Int {
        // The record is 22 bytes plus a comment of at most 65535 bytes, so it sits in the tail.
        let notFound = XLSXError(message: "不是有效的 xlsx 文件（找不到中央目录） / not a valid xlsx file (no ZIP central directory)")
        guard bytes.count >= 22 else { throw notFound }
        let lowest = max(0, bytes.count - 22 - 0xFFFF)
        var position = bytes.count - 22
        while position >= lowest {
            if bytes[position] == 0x50, bytes.zipU32(position) == 0x0605_4B50,
               position + 22 + Int(bytes.zipU16(position + 20)) <= bytes.count {
                return position
            }
            position -= 1
        }
        throw notFound
    }

    static func decodeName(_ raw: [UInt8], utf8Flag: Bool) -> String {
        if let text = String(validating: raw, as: UTF8.self) { return text }
        // Without the UTF-8 flag names are code page 437 or a local code page; part names in
        // xlsx files are ASCII, so a lossless byte-per-scalar fallback is enough to look them up.
        return String(String.UnicodeScalarView(raw.map { Unicode.Scalar($0) }))
    }
}

fileprivate extension Array where Element == UInt8 {
    /// Little-endian reads; out-of-range positions read as 0 so malformed archives fail a
    /// later signature or bounds check instead of trapping.
    func zipU16(_ offset: Int) -> UInt16 {
        guard offset >= 0, offset + 2 <= count else { return 0 }
        return UInt16(self[offset]) | UInt16(self[offset + 1]) << 8
    }

    func zipU32(_ offset: Int) -> UInt32 {
        guard offset >= 0, offset + 4 <= count else { return 0 }
        return UInt32(self[offset]) | UInt32(self[offset + 1]) << 8
            | UInt32(self[offset + 2]) << 16 | UInt32(self[offset + 3]) << 24
    }
}

private let crcTables: [[UInt32]] = {
    var tables = [[UInt32]](repeating: [UInt32](repeating: 0, count: 256), count: 4)
    for n in 0..<256 {
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        tables[0][n] = c
    }
    for n in 0..<256 {
        for k in 1..<4 {
            let previous = tables[k - 1][n]
            tables[k][n] = (previous >> 8) ^ tables[0][Int(previous & 0xFF)]
        }
    }
    return tables
}()

/// CRC-32 (IEEE, as used by ZIP), four bytes per step.
func zipCRC32(_ data: [UInt8]) -> UInt32 {
    let t0 = crcTables[0], t1 = crcTables[1], t2 = crcTables[2], t3 = crcTables[3]
    var crc: UInt32 = 0xFFFF_FFFF
    var i = 0
    let n = data.count
    while i + 4 <= n {
        crc ^= UInt32(data[i]) | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2]) << 16 | UInt32(data[i + 3]) << 24
        crc = t3[Int(crc & 0xFF)] ^ t2[Int((crc >> 8) & 0xFF)] ^ t1[Int((crc >> 16) & 0xFF)] ^ t0[Int(crc >> 24)]
        i += 4
    }
    while i < n {
        crc = t0[Int((crc ^ UInt32(data[i])) & 0xFF)] ^ (crc >> 8)
        i += 1
    }
    return ~crc
}
