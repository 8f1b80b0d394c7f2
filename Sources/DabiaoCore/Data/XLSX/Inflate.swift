import Foundation

// RFC 1951 (raw DEFLATE) decoder. Written in plain Swift so the project needs no zlib.
// Decoding is table driven: a primary table indexed by the next `primaryBits` input bits
// resolves most codes in one lookup; longer codes go through a per-prefix subtable.

/// Decompresses a raw DEFLATE stream (no zlib/gzip header).
///
/// - Parameters:
///   - input: the compressed bytes.
///   - expectedSize: the size the caller believes the output has; used only to size the
///     output buffer up front (the ZIP layer compares the real size itself).
///   - maxOutput: hard cap on the output size; exceeding it throws instead of allocating more.
/// - Throws: `XLSXError` for truncated or malformed data and for output above `maxOutput`.
func inflate(_ input: [UInt8], expectedSize: Int?, maxOutput: Int) throws -> [UInt8] {
    try input.withUnsafeBufferPointer { buffer in
        var decoder = InflateDecoder(input: buffer, expectedSize: expectedSize, maxOutput: max(0, maxOutput))
        defer { decoder.output.deallocate() }
        try decoder.run()
        return Array(UnsafeBufferPointer(start: decoder.output.baseAddress, count: decoder.outCount))
    }
}

enum InflateMessage {
    static let truncated = "压缩数据不完整（deflate 数据被截断） / truncated deflate data"
    static let badBlockType = "压缩数据损坏（无效的块类型） / invalid deflate block type"
    static let badStoredLength = "压缩数据损坏（存储块长度校验失败） / stored block length mismatch"
    static let badCode = "压缩数据损坏（无效的哈夫曼编码） / invalid Huffman code"
    static let badCodeLengths = "压缩数据损坏（哈夫曼码长无效） / invalid Huffman code lengths"
    static let badDistance = "压缩数据损坏（回溯距离超出已解压数据） / distance too far back"
    static let tooLarge = "解压后数据超过允许的大小上限 / inflated data exceeds size limit"
}

/// A canonical Huffman decoding table.
///
/// Entry layout (UInt32): direct entry = `symbol << 8 | codeLength` (length 1...15);
/// subtable link = `offset << 8 | 0x80 | subtableBits`; 0 = no code (invalid input).
struct HuffmanTable: Sendable {
    var entries: [UInt32]
    let primaryBits: Int

    init(lengths: [UInt8], primaryBits: Int) throws {
        self.primaryBits = primaryBits
        var count = [Int](repeating: 0, count: 16)
        for length in lengths {
            guard length <= 15 else { throw XLSXError(message: InflateMessage.badCodeLengths) }
            count[Int(length)] += 1
        }
        count[0] = 0
        // Over-subscribed codes would make entries collide; incomplete codes are allowed
        // (RFC 1951 permits a single distance code) and unused slots stay 0 = invalid.
        var left = 1
        for length in 1...15 {
            left = (left << 1) - count[length]
            guard left >= 0 else { throw XLSXError(message: InflateMessage.badCodeLengths) }
        }
        var firstCode = [Int](repeating: 0, count: 16)
        var code = 0
        for length in 1...15 {
            code = (code + count[length - 1]) << 1
            firstCode[length] = code
        }

        let primarySize = 1 << primaryBits
        let primaryMask = primarySize - 1
        // First pass: longest code under each primary prefix decides that subtable's size.
        var longest = [Int](repeating: 0, count: primarySize)
        var next = firstCode
        for length in lengths where Int(length) > primaryBits {
            let len = Int(length)
            let reversed = HuffmanTable.reverse(next[len], len)
            next[len] += 1
            let prefix = reversed & primaryMask
            longest[prefix] = max(longest[prefix], len)
        }
        var table = [UInt32](repeating: 0, count: primarySize)
        var total = primarySize
        for prefix in 0..<primarySize where longest[prefix] > 0 {
            let subBits = longest[prefix] - primaryBits
            table[prefix] = UInt32(total) << 8 | 0x80 | UInt32(subBits)
            total += 1 << subBits
        }
        table.append(contentsOf: repeatElement(0, count: total - primarySize))

        next = firstCode
        for (symbol, length) in lengths.enumerated() where length > 0 {
            let len = Int(length)
            let reversed = HuffmanTable.reverse(next[len], len)
            next[len] += 1
            if len <= primaryBits {
                let entry = UInt32(symbol) << 8 | UInt32(len)
                var index = reversed
                while index < primarySize {
                    table[index] = entry
                    index += 1 << len
                }
            } else {
                let link = table[reversed & primaryMask]
                let subBits = Int(link & 0x7F)
                let offset = Int(link >> 8)
                let restLength = len - primaryBits
                let entry = UInt32(symbol) << 8 | UInt32(restLength)
                var index = reversed >> primaryBits
                while index < (1 << subBits) {
                    table[offset + index] = entry
                    index += 1 << restLength
                }
            }
        }
        entries = table
    }

    static func reverse(_ code: Int, _ length: Int) -> Int {
        var value = code
        var result = 0
        for _ in 0..<length {
            result = (result << 1) | (value & 1)
            value >>= 1
        }
        return result
    }

    static let fixedLiteral: HuffmanTable = {
        var lengths = [UInt8](repeating: 8, count: 288)
        for i in 144..<256 { lengths[i] = 9 }
        for i in 256..<280 { lengths[i] = 7 }
        // Static lengths form a complete code, so construction cannot fail.
        return (try? HuffmanTable(lengths: lengths, primaryBits: 9)) ?? HuffmanTable.empty
    }()

    static let fixedDistance: HuffmanTable = {
        let lengths = [UInt8](repeating: 5, count: 30)
        return (try? HuffmanTable(lengths: lengths, primaryBits: 5)) ?? HuffmanTable.empty
    }()

    private init(emptyWithBits bits: Int) {
        primaryBits = bits
        entries = [UInt32](repeating: 0, count: 1 << bits)
    }

    static let empty = HuffmanTable(emptyWithBits: 1)
}

private let lengthBase: [UInt16] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
                                    35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
private let lengthExtra: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
                                    3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
private let distanceBase: [UInt32] = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
                                      257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
                                      8193, 12289, 16385, 24577]
private let distanceExtra: [UInt8] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
                                      7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
private let codeLengthOrder: [Int] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

/// Decoder state. Input reads, output writes and table lookups use unchecked pointers for
/// speed; each one is guarded: input by `inPos + 8 <= inCount` (or byte-wise with an
/// explicit check), output by `reserve`, back-references by `distance <= outCount`, and
/// table indices by masking with the table's own size.
struct InflateDecoder {
    let input: UnsafeBufferPointer<UInt8>
    let maxOutput: Int
    var output: UnsafeMutableBufferPointer<UInt8>
    var outCount = 0
    var inPos = 0
    var bitBuffer: UInt64 = 0
    var bitCount = 0

    init(input: UnsafeBufferPointer<UInt8>, expectedSize: Int?, maxOutput: Int) {
        self.input = input
        self.maxOutput = maxOutput
        let guess = expectedSize ?? input.count * 4
        let capacity = max(64, min(maxOutput, max(0, guess)))
        output = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: capacity)
    }

    /// Tops the bit buffer up to at least 56 bits. Past the end of input it shifts in zero
    /// bytes (so decoding the last symbols needs no special case) and throws once any of
    /// those padding bits would actually have been consumed.
    @inline(__always)
    mutating func refill() throws {
        if inPos + 8 <= input.count, let base = input.baseAddress {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + inPos).loadUnaligned(as: UInt64.self))
            bitBuffer |= word << UInt64(bitCount)
            inPos += (63 - bitCount) >> 3
            bitCount |= 56
            return
        }
        try refillSlow()
    }

    mutating func refillSlow() throws {
        let padded = inPos - input.count
        if padded > 0 && padded * 8 > bitCount {
            throw XLSXError(message: InflateMessage.truncated)
        }
        while bitCount <= 56 {
            if inPos < input.count {
                bitBuffer |= UInt64(input[inPos]) << UInt64(bitCount)
            }
            inPos += 1
            bitCount += 8
        }
    }

    @inline(__always)
    mutating func bits(_ n: Int) -> UInt32 {
        let value = UInt32(truncatingIfNeeded: bitBuffer & ((1 << UInt64(n)) - 1))
        bitBuffer >>= UInt64(n)
        bitCount -= n
        return value
    }

    /// Reads one Huffman symbol. The caller guarantees at least 15 buffered bits.
    @inline(__always)
    mutating func decode(_ table: UnsafeBufferPointer<UInt32>, primaryBits: Int) throws -> Int {
        var entry = table[Int(bitBuffer & ((1 << UInt64(primaryBits)) - 1))]
        if entry & 0x80 != 0 {
            bitBuffer >>= UInt64(primaryBits)
            bitCount -= primaryBits
            let subBits = UInt64(entry & 0x7F)
            entry = table[Int(entry >> 8) + Int(bitBuffer & ((1 << subBits) - 1))]
        }
        let length = Int(entry & 0xFF)
        guard length != 0 else { throw XLSXError(message: InflateMessage.badCode) }
        bitBuffer >>= UInt64(length)
        bitCount -= length
        return Int(entry >> 8)
    }

    /// Makes room for `extra` more output bytes, growing geometrically up to `maxOutput`.
    @inline(__always)
    mutating func reserve(_ extra: Int) throws {
        let needed = outCount + extra
        if needed <= output.count { return }
        guard needed <= maxOutput else { throw XLSXError(message: InflateMessage.tooLarge) }
        let newCapacity = min(maxOutput, max(needed, output.count * 2))
        let grown = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: newCapacity)
        if let source = output.baseAddress, let target = grown.baseAddress, outCount > 0 {
            target.update(from: source, count: outCount)
        }
        output.deallocate()
        output = grown
    }

    mutating func run() throws {
        var final = false
        while !final {
            try refill()
            final = bits(1) == 1
            switch bits(2) {
            case 0:
                try storedBlock()
            case 1:
                try HuffmanTable.fixedLiteral.entries.withUnsafeBufferPointer { lit in
                    try HuffmanTable.fixedDistance.entries.withUnsafeBufferPointer { dist in
                        try huffmanBlock(literal: lit, literalBits: 9, distance: dist, distanceBits: 5)
                    }
                }
            case 2:
                let (literal, distance) = try readDynamicTables()
                try literal.entries.withUnsafeBufferPointer { lit in
                    try distance.entries.withUnsafeBufferPointer { dist in
                        try huffmanBlock(literal: lit, literalBits: literal.primaryBits,
                                         distance: dist, distanceBits: distance.primaryBits)
                    }
                }
            default:
                throw XLSXError(message: InflateMessage.badBlockType)
            }
        }
        // The final symbol may have been decoded from padding bits.
        let padded = inPos - input.count
        if padded > 0 && padded * 8 > bitCount {
            throw XLSXError(message: InflateMessage.truncated)
        }
    }

    mutating func storedBlock() throws {
        // Drop the partial byte, then hand the whole buffered bytes back to the input.
        _ = bits(bitCount & 7)
        let position = inPos - bitCount / 8
        bitBuffer = 0
        bitCount = 0
        guard position >= 0, position + 4 <= input.count else {
            throw XLSXError(message: InflateMessage.truncated)
        }
        let length = Int(input[position]) | Int(input[position + 1]) << 8
        let complement = Int(input[position + 2]) | Int(input[position + 3]) << 8
        guard length == (~complement & 0xFFFF) else {
            throw XLSXError(message: InflateMessage.badStoredLength)
        }
        let start = position + 4
        guard start + length <= input.count else { throw XLSXError(message: InflateMessage.truncated) }
        try reserve(length)
        if length > 0, let source = input.baseAddress, let target = output.baseAddress {
            (target + outCount).update(from: source + start, count: length)
        }
        outCount += length
        inPos = start + length
    }

    mutating func readDynamicTables() throws -> (HuffmanTable, HuffmanTable) {
        let literalCount = Int(bits(5)) + 257
        let distanceCount = Int(bits(5)) + 1
        let codeLengthCount = Int(bits(4)) + 4
        guard literalCount <= 286, distanceCount <= 30 else {
            throw XLSXError(message: InflateMessage.badCodeLengths)
        }
        var codeLengthLengths = [UInt8](repeating: 0, count: 19)
        try refill()
        for i in 0..<codeLengthCount {
            // 19 codes of 3 bits need 57 bits: top up halfway.
            if i == 10 { try refill() }
            codeLengthLengths[codeLengthOrder[i]] = UInt8(bits(3))
        }
        let codeLengthTable = try HuffmanTable(lengths: codeLengthLengths, primaryBits: 7)
        var lengths = [UInt8](repeating: 0, count: literalCount + distanceCount)
        var index = 0
        try codeLengthTable.entries.withUnsafeBufferPointer { table in
            while index < lengths.count {
                try refill()
                let symbol = try decode(table, primaryBits: 7)
                switch symbol {
                case 0...15:
                    lengths[index] = UInt8(symbol)
                    index += 1
                    continue
                case 16:
                    guard index > 0 else { throw XLSXError(message: InflateMessage.badCodeLengths) }
                    let repeatCount = 3 + Int(bits(2))
                    try fill(&lengths, at: &index, value: lengths[index - 1], count: repeatCount)
                case 17:
                    try fill(&lengths, at: &index, value: 0, count: 3 + Int(bits(3)))
                default:
                    try fill(&lengths, at: &index, value: 0, count: 11 + Int(bits(7)))
                }
            }
        }
        // Without an end-of-block code the block could never terminate.
        guard lengths[256] != 0 else { throw XLSXError(message: InflateMessage.badCodeLengths) }
        let literal = try HuffmanTable(lengths: Array(lengths[0..<literalCount]), primaryBits: 10)
        let distance = try HuffmanTable(lengths: Array(lengths[literalCount...]), primaryBits: 8)
        return (literal, distance)
    }

    private func fill(_ lengths: inout [UInt8], at index: inout Int, value: UInt8, count: Int) throws {
        guard index + count <= lengths.count else { throw XLSXError(message: InflateMessage.badCodeLengths) }
        for i in index..<(index + count) { lengths[i] = value }
        index += count
    }

    mutating func huffmanBlock(literal: UnsafeBufferPointer<UInt32>, literalBits: Int,
                               distance: UnsafeBufferPointer<UInt32>, distanceBits: Int) throws {
        while true {
            // 56 buffered bits cover the worst case of one length/distance pair (15+5+15+13).
            try refill()
            let symbol = try decode(literal, primaryBits: literalBits)
            if symbol < 256 {
                if outCount >= output.count { try reserve(1) }
                output[outCount] = UInt8(truncatingIfNeeded: symbol)
                outCount += 1
                continue
            }
            if symbol == 256 { return }
            let lengthIndex = symbol - 257
            guard lengthIndex < lengthBase.count else { throw XLSXError(message: InflateMessage.badCode) }
            let length = Int(lengthBase[lengthIndex]) + Int(bits(Int(lengthExtra[lengthIndex])))
            let distanceSymbol = try decode(distance, primaryBits: distanceBits)
            guard distanceSymbol < distanceBase.count else { throw XLSXError(message: InflateMessage.badCode) }
            let dist = Int(distanceBase[distanceSymbol]) + Int(bits(Int(distanceExtra[distanceSymbol])))
            guard dist <= outCount else { throw XLSXError(message: InflateMessage.badDistance) }
            try reserve(length)
            guard let base = output.baseAddress else { throw XLSXError(message: InflateMessage.tooLarge) }
            let target = base + outCount
            let source = target - dist
            if dist >= length {
                target.update(from: source, count: length)
            } else {
                // Overlapping copy must go forward byte by byte to repeat the pattern.
                for i in 0..<length { target[i] = source[i] }
            }
            outCount += length
        }
    }
}
