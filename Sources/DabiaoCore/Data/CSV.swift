import Foundation

// An RFC 4180 reader that works on UTF-8 bytes and streams rows.
//
// Leniency follows Python's csv module: a quote inside an unquoted field is an
// ordinary character, and text after a closing quote (`"ab"cd`) is appended to
// the field. The one hard error is a quoted field that never closes, reported
// at the line where it opened — otherwise one stray quote would silently
// swallow the rest of the file into a single cell.
//
// Rows keep the physical line number (1-based) where they start, counting
// CRLF, LF and lone CR each as one line end, including line ends inside quoted
// fields. Lines that are completely empty are skipped and produce no row.
// A line holding only delimiters (`,,`) is a row of empty fields.

/// One row of a CSV file; reused by `CSVReader.next(into:)` so that reading a
/// large file allocates only when a row is wider or longer than any before.
///
/// Fields are views into the reader's input; only fields that contained a
/// doubled quote (or text after a closing quote) are copied into the row's own
/// scratch storage. Out-of-range indices read as empty fields, which is also
/// how ragged (short) rows are meant to be treated.
struct CSVRow: Sendable {
    @usableFromInline
    struct Span: Sendable {
        @usableFromInline var start: Int
        @usableFromInline var end: Int
        @usableFromInline var inScratch: Bool

        @usableFromInline
        init(start: Int, end: Int, inScratch: Bool) {
            self.start = start
            self.end = end
            self.inScratch = inScratch
        }
    }

    /// Physical 1-based line where the row starts.
    internal(set) var line: Int = 0
    // Inlinable so that per-field access specialises even across modules.
    @usableFromInline var source: [UInt8] = []
    @usableFromInline var scratch: [UInt8] = []
    @usableFromInline var spans: [Span] = []

    init() {}

    var count: Int { spans.count }

    /// The field as text (the bytes are UTF-8; invalid sequences, which a
    /// `decodeToUTF8` input cannot contain, would become U+FFFD).
    func string(_ i: Int) -> String {
        withField(i) { String(decoding: $0, as: UTF8.self) }
    }

    /// All fields as strings (convenient for headers and small files).
    var strings: [String] {
        (0..<count).map { string($0) }
    }

    /// The raw UTF-8 bytes of field `i`, without surrounding quotes and with
    /// doubled quotes already undone. The buffer is valid only inside `body`.
    @inlinable
    func withField<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        guard i >= 0 && i < spans.count else {
            return try body(UnsafeBufferPointer(start: nil, count: 0))
        }
        let span = spans[i]
        // Two branches rather than picking the array first: copying the array
        // reference costs a retain/release per field, which shows at 24M fields.
        if span.inScratch {
            return try scratch.withUnsafeBufferPointer { try body(CSVRow.slice($0, span)) }
        }
        return try source.withUnsafeBufferPointer { try body(CSVRow.slice($0, span)) }
    }

    @inlinable
    static func slice(_ whole: UnsafeBufferPointer<UInt8>, _ span: Span) -> UnsafeBufferPointer<UInt8> {
        guard span.start >= 0, span.start <= span.end, span.end <= whole.count else {
            return UnsafeBufferPointer(start: nil, count: 0)
        }
        return UnsafeBufferPointer(rebasing: whole[span.start..<span.end])
    }

    /// Whether field `i` is empty (or absent).
    func isEmpty(_ i: Int) -> Bool {
        guard i >= 0 && i < spans.count else { return true }
        return spans[i].start == spans[i].end
    }
}

/// A streaming CSV reader over UTF-8 bytes (use `decodeToUTF8` first for other
/// encodings). A leading UTF-8 BOM is skipped.
///
/// ```swift
/// var reader = CSVReader(bytes: data)
/// var row = CSVRow()
/// while try reader.next(into: &row) { … row.line, row.string(0) … }
/// ```
struct CSVReader: Sendable {
    private let bytes: [UInt8]
    private let delimiter: UInt8
    private var pos: Int
    private var line: Int = 1
    private var lineStart: Int
    /// Whether `bytes` run to the end of the input. When not, a row that
    /// reaches their end may go on in bytes not read yet: `next` leaves it
    /// unread and returns false, and `consumed` says where it starts.
    private let isFinal: Bool
    /// Where `bytes` start in the file, for the byte offset of an error.
    private let fileOffset: Int

    /// Signals a row that runs into the end of a block that is not the last.
    private struct Incomplete: Error {}

    init(bytes: [UInt8], delimiter: UInt8 = UInt8(ascii: ",")) {
        self.init(bytes: bytes, delimiter: delimiter, line: 1, isFinal: true, fileOffset: 0)
    }

    /// A block of a larger input: `line` is the physical line it starts on,
    /// and only the first block of a file can hold a BOM.
    init(bytes: [UInt8], delimiter: UInt8, line: Int, isFinal: Bool, fileOffset: Int) {
        self.bytes = bytes
        self.line = line
        self.isFinal = isFinal
        self.fileOffset = fileOffset
        // A quote, CR or LF as delimiter would make the grammar ambiguous;
        // fall back to the comma rather than misreading silently.
        switch delimiter {
        case UInt8(ascii: "\""), 10, 13: self.delimiter = UInt8(ascii: ",")
        default: self.delimiter = delimiter
        }
        let start = fileOffset == 0 && bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        self.pos = start
        self.lineStart = start
    }

    init(text: String, delimiter: UInt8 = UInt8(ascii: ",")) {
        self.init(bytes: Array(text.utf8), delimiter: delimiter)
    }

    /// How many bytes the rows read so far took (and the blank lines after them).
    var consumed: Int { pos }
    /// The physical line the next row starts on or after.
    var nextLine: Int { line }

    /// Reads the next non-blank row into `row`. Returns false at the end of
    /// input, or of a block that is not the last when the next row may go on
    /// past it. Throws `DataReadError` (with line and column) for a quoted
    /// field that is still open at the end of the file.
    mutating func next(into row: inout CSVRow) throws -> Bool {
        let saved = (pos, line, lineStart)
        do {
            return try readRow(into: &row)
        } catch is Incomplete {
            // Blank lines before the row stay consumed; the row is read again with the next block.
            (pos, line, lineStart) = rowStart ?? saved
            row.spans.removeAll(keepingCapacity: true)
            row.scratch.removeAll(keepingCapacity: true)
            return false
        }
    }

    private var rowStart: (Int, Int, Int)?

    private mutating func readRow(into row: inout CSVRow) throws -> Bool {
        rowStart = nil
        row.spans.removeAll(keepingCapacity: true)
        row.scratch.removeAll(keepingCapacity: true)
        row.source = bytes
        let n = bytes.count
        let d = delimiter
        let quote = UInt8(ascii: "\"")
        let maxSpecial = max(d, 13)
        var pos = self.pos
        var line = self.line
        var lineStart = self.lineStart
        defer {
            self.pos = pos
            self.line = line
            self.lineStart = lineStart
        }

        let isFinal = self.isFinal
        let incomplete = Incomplete()
        return try bytes.withUnsafeBufferPointer { p -> Bool in
            // Skip blank lines.
            while pos < n {
                let b = p[pos]
                if b == 10 {
                    pos += 1
                } else if b == 13 {
                    // A CR that ends a block may be the first half of a CRLF.
                    if !isFinal && pos + 1 == n { break }
                    pos += 1
                    if pos < n && p[pos] == 10 { pos += 1 }
                } else {
                    break
                }
                line += 1
                lineStart = pos
            }
            if pos >= n || (!isFinal && pos + 1 == n && p[pos] == 13) {
                self.rowStart = (pos, line, lineStart)
                throw incomplete
            }
            self.rowStart = (pos, line, lineStart)
            row.line = line

            while true {
                if pos < n && p[pos] == quote {
                    try readQuoted(p, &pos, &line, &lineStart, &row)
                } else {
                    let start = pos
                    while pos < n {
                        let b = p[pos]
                        // Most bytes (letters, digits, all of UTF-8's multi-byte
                        // sequences) are above every special byte.
                        if b > maxSpecial { pos += 1; continue }
                        if b == d || b == 10 || b == 13 { break }
                        pos += 1
                    }
                    row.spans.append(CSVRow.Span(start: start, end: pos, inScratch: false))
                }
                // pos is at a delimiter, a line end, or the end of input.
                if pos >= n {
                    if !isFinal { throw incomplete }
                    return true
                }
                let b = p[pos]
                if b == d {
                    pos += 1
                    continue
                }
                if b == 13 && !isFinal && pos + 1 == n { throw incomplete }
                pos += 1
                if b == 13 && pos < n && p[pos] == 10 { pos += 1 }
                line += 1
                lineStart = pos
                return true
            }
        }
    }

    private func readQuoted(_ p: UnsafeBufferPointer<UInt8>, _ pos: inout Int, _ line: inout Int,
                            _ lineStart: inout Int, _ row: inout CSVRow) throws {
        let n = p.count
        let d = delimiter
        let quote = UInt8(ascii: "\"")
        let openPos = pos
        let openLine = line
        let openLineStart = lineStart
        pos += 1
        var segStart = pos
        // Stays a view into the input unless the field needs unescaping.
        var scratchStart = -1

        func toScratch(_ from: Int, _ to: Int) {
            if scratchStart < 0 { scratchStart = row.scratch.count }
            if to > from {
                row.scratch.append(contentsOf: UnsafeBufferPointer(rebasing: p[from..<to]))
            }
        }

        while true {
            // Find the next quote, counting line ends on the way.
            while pos < n {
                let b = p[pos]
                if b == quote { break }
                if b == 10 || (b == 13 && !(pos + 1 < n && p[pos + 1] == 10)) {
                    line += 1
                    lineStart = pos + 1
                }
                pos += 1
            }
            if pos >= n {
                if !isFinal { throw Incomplete() }
                let column = utf8ScalarCount(p, from: openLineStart, to: openPos) + 1
                throw DataReadError(line: openLine, column: column, byteOffset: fileOffset + openPos,
                                    message: "引号未闭合：从第 \(openLine) 行开始的带引号字段直到文件结尾都没有结束",
                                    messageEN: "unterminated quoted field starting on line \(openLine)")
            }
            if pos + 1 < n && p[pos + 1] == quote {
                toScratch(segStart, pos + 1)
                pos += 2
                segStart = pos
                continue
            }
            break
        }
        // pos is at the closing quote.
        let closeAt = pos
        pos += 1
        if pos < n, p[pos] != d, p[pos] != 10, p[pos] != 13 {
            // Text after the closing quote: kept, as Python's csv does.
            toScratch(segStart, closeAt)
            let tail = pos
            while pos < n {
                let b = p[pos]
                if b == d || b == 10 || b == 13 { break }
                pos += 1
            }
            toScratch(tail, pos)
        } else if scratchStart >= 0 {
            toScratch(segStart, closeAt)
        }
        if scratchStart >= 0 {
            row.spans.append(CSVRow.Span(start: scratchStart, end: row.scratch.count, inScratch: true))
        } else {
            row.spans.append(CSVRow.Span(start: segStart, end: closeAt, inScratch: false))
        }
    }
}

/// Number of Unicode scalars in `p[from..<to]` (counts non-continuation bytes).
func utf8ScalarCount(_ p: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int {
    var count = 0
    var i = max(0, from)
    let end = min(to, p.count)
    while i < end {
        if p[i] & 0xC0 != 0x80 { count += 1 }
        i += 1
    }
    return count
}

/// A fully materialised CSV row, for small files and tests.
struct CSVRecord: Sendable, Equatable {
    var line: Int
    var fields: [String]

    init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }
}

/// Parses a whole CSV text into rows with their physical line numbers.
/// The delimiter must be a single ASCII character other than a quote or line end.
func parseCSV(_ text: String, delimiter: Character = ",") throws -> [CSVRecord] {
    guard let d = delimiter.asciiValue, d != UInt8(ascii: "\""), d != 10, d != 13 else {
        throw DataReadError(message: "CSV 分隔符必须是单个 ASCII 字符（不能是引号或换行）：\(delimiter)",
                            messageEN: "CSV delimiter must be one ASCII character other than a quote or line end: \(delimiter)")
    }
    return try parseCSV(bytes: Array(text.utf8), delimiter: d)
}

func parseCSV(bytes: [UInt8], delimiter: UInt8 = UInt8(ascii: ",")) throws -> [CSVRecord] {
    var reader = CSVReader(bytes: bytes, delimiter: delimiter)
    var row = CSVRow()
    var out: [CSVRecord] = []
    while try reader.next(into: &row) {
        out.append(CSVRecord(line: row.line, fields: row.strings))
    }
    return out
}

/// Guesses the delimiter from the first non-blank line: whichever of comma,
/// tab and semicolon occurs most often outside quotes; comma on a tie or when
/// none occurs. Only the first line is looked at, so this is cheap on big files.
func detectCSVDelimiter(_ bytes: [UInt8]) -> UInt8 {
    var guess = DelimiterGuess()
    bytes.withUnsafeBufferPointer { guess.feed($0) }
    return guess.delimiter
}

/// `detectCSVDelimiter` over bytes that arrive in blocks.
struct DelimiterGuess {
    private var comma = 0, tab = 0, semicolon = 0
    private var inQuotes = false
    private var seenContent = false
    private var atStart = true
    private(set) var isDone = false

    /// Looks at the next bytes of the file, until the first line is complete (`isDone`).
    mutating func feed(_ p: UnsafeBufferPointer<UInt8>) {
        guard !isDone else { return }
        var i = 0
        if atStart {
            atStart = false
            if p.count >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF { i = 3 }
        }
        while i < p.count {
            let b = p[i]
            i += 1
            if b == UInt8(ascii: "\"") { inQuotes.toggle(); seenContent = true; continue }
            if inQuotes { continue }
            if b == 10 || b == 13 {
                if seenContent { isDone = true; return }
                continue
            }
            seenContent = true
            switch b {
            case UInt8(ascii: ","): comma += 1
            case 9: tab += 1
            case UInt8(ascii: ";"): semicolon += 1
            default: break
            }
        }
    }

    var delimiter: UInt8 {
        if tab > comma && tab >= semicolon { return 9 }
        if semicolon > comma && semicolon > tab { return UInt8(ascii: ";") }
        return UInt8(ascii: ",")
    }
}
