import Foundation

/// What one pass over a delimited text file learns before its rows are read:
/// whether it is UTF-8 throughout, how many lines it has (room for the
/// columns) and its delimiter. The file is read in blocks and no block is
/// kept, so reading a large CSV never holds the whole file.
struct CSVFileScan {
    var isValidUTF8 = true
    var lineEnds = 0
    var delimiter = UInt8(ascii: ",")

    init(_ file: InputFile, blockSize: Int, maxBytes: Int = 4 << 30) throws {
        try file.rewind()
        var total = 0
        var guess = DelimiterGuess()
        // One buffer for every block: the bytes of a UTF-8 sequence cut by
        // the end of a block (`carry`, at most 3) are moved to its front.
        var bytes: [UInt8] = []
        var carry = 0
        while true {
            let got = try file.read(upTo: blockSize, into: &bytes, at: carry)
            if got == 0 { break }
            // The file may grow after it was opened; the limit holds for what is read.
            total += got
            if total > maxBytes {
                throw DataReadError(path: file.path, message: "文件过大（超过 \(maxBytes) 字节）", messageEN: "file too large (over \(maxBytes) bytes)")
            }
            carry = bytes.withUnsafeMutableBufferPointer { p -> Int in
                let fresh = UnsafeBufferPointer(rebasing: p[carry...])
                guess.feed(fresh)
                lineEnds += fresh.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                let cut = CSVFileScan.incompleteTail(UnsafeBufferPointer(p))
                if firstInvalidUTF8Offset(UnsafeBufferPointer(rebasing: p[..<cut])) != nil { isValidUTF8 = false }
                for i in cut..<p.count { p[i - cut] = p[i] }
                return p.count - cut
            }
            if !isValidUTF8 { break }
        }
        // A sequence the file ends inside of is no UTF-8.
        if carry > 0 { isValidUTF8 = false }
        delimiter = guess.delimiter
    }

    /// Where a multi-byte sequence starts that the end of `p` cuts short;
    /// `p.count` when none does.
    static func incompleteTail(_ p: UnsafeBufferPointer<UInt8>) -> Int {
        var j = p.count - 1
        while j >= 0 && j >= p.count - 4 {
            let b = p[j]
            if b & 0xC0 != 0x80 {
                let length: Int
                switch b {
                case 0xC2...0xDF: length = 2
                case 0xE0...0xEF: length = 3
                case 0xF0...0xF4: length = 4
                default: return p.count
                }
                return p.count - j < length ? j : p.count
            }
            j -= 1
        }
        return p.count
    }
}

/// SHA-256 of a file's blocks, computed on another thread in the order they
/// were read while the reading thread parses them. A block hashed is kept as
/// a spare buffer for the reader: two buffers take turns instead of fresh
/// memory for every block.
final class BlockHasher: @unchecked Sendable {
    private let queue = DispatchQueue(label: "dabiao.sha256")
    // Touched only on `queue`.
    private var hasher = SHA256.Hasher()
    let spares = SpareBuffers(limit: 2)

    /// Hashes `block[from...]` (the bytes before `from` were hashed with the block before).
    func add(_ block: [UInt8], from: Int) {
        queue.async {
            block.withUnsafeBufferPointer { p in
                self.hasher.update(UnsafeBufferPointer(rebasing: p[min(max(0, from), p.count)...]))
            }
            self.spares.put(block)
        }
    }

    func finish() -> String {
        queue.sync { hasher.finalize() }
    }
}
