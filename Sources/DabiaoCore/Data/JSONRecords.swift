import Foundation

// Records from a JSON array of objects or from JSON Lines, with the line where
// each record starts. A small strict parser (RFC 8259) of our own, because
// JSONSerialization reports no positions.
//
// - Field values that are objects or arrays do not fail the file: they become
//   `RawCell.invalid` with the (shortened) JSON text, so only that field is
//   in error. Numbers too large for a Double are treated the same way.
// - Duplicate keys are all kept, in order; the caller decides.
// - JSON Lines: one object per line, blank lines skipped. An object may not
//   be followed by anything else on its line.
// - Nesting deeper than `maxJSONDepth` is a syntax error, so hostile input
//   cannot exhaust the stack.

enum RawCell: Equatable, Sendable {
    /// JSON `null`.
    case empty
    case text(String)
    case number(Double)
    case bool(Bool)
    /// A value that cannot be a cell (an object or array), as JSON text.
    case invalid(String)
}

struct RawRecord: Equatable, Sendable {
    /// 1-based line where the record's `{` is.
    var line: Int
    var fields: [(name: String, value: RawCell)]

    init(line: Int, fields: [(name: String, value: RawCell)]) {
        self.line = line
        self.fields = fields
    }

    /// The first field called `name`, if any.
    func value(_ name: String) -> RawCell? {
        fields.first { $0.name == name }?.value
    }

    static func == (a: RawRecord, b: RawRecord) -> Bool {
        a.line == b.line && a.fields.count == b.fields.count
            && zip(a.fields, b.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}

let maxJSONDepth = 64

enum JSONRecordFormat: Sendable, Equatable {
    case array, lines
}

/// Reads records from UTF-8 bytes (a leading BOM is skipped). Without a
/// format, a file whose first non-blank character is `[` is an array and
/// anything else is JSON Lines.
func readJSONRecords(_ bytes: [UInt8], format: JSONRecordFormat? = nil) throws -> [RawRecord] {
    var parser = JSONRecordParser(bytes: bytes)
    let chosen: JSONRecordFormat
    if let format {
        chosen = format
    } else {
        chosen = parser.peekFirstNonBlank() == UInt8(ascii: "[") ? .array : .lines
    }
    switch chosen {
    case .array: return try parser.readArray()
    case .lines: return try parser.readLines()
    }
}

func readJSONRecords(text: String, format: JSONRecordFormat? = nil) throws -> [RawRecord] {
    try readJSONRecords(Array(text.utf8), format: format)
}

private enum JSONValueKind {
    case cell(RawCell)
    case nested
}

private struct JSONRecordParser {
    let bytes: [UInt8]
    var pos: Int
    var line = 1
    var lineStart: Int

    init(bytes: [UInt8]) {
        self.bytes = bytes
        let start = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        pos = start
        lineStart = start
    }

    var atEnd: Bool { pos >= bytes.count }
    var current: UInt8? { pos < bytes.count ? bytes[pos] : nil }

    func peekFirstNonBlank() -> UInt8? {
        var i = pos
        while i < bytes.count {
            let b = bytes[i]
            if b != 32 && b != 9 && b != 10 && b != 13 { return b }
            i += 1
        }
        return nil
    }

    // MARK: Errors

    func error(_ zh: String, _ en: String, at offset: Int? = nil) -> DataReadError {
        let at = offset ?? pos
        // Recount the line of `at` from the last known line start; `at` is
        // never before `lineStart` except for errors pointing back at a value start.
        var l = line
        var ls = lineStart
        if at < lineStart {
            l = 1
            ls = 0
            var i = 0
            while i < at && i < bytes.count {
                if bytes[i] == 10 || (bytes[i] == 13 && !(i + 1 < bytes.count && bytes[i + 1] == 10)) {
                    l += 1
                    ls = i + 1
                }
                i += 1
            }
        }
        let column = bytes.withUnsafeBufferPointer { utf8ScalarCount($0, from: ls, to: at) } + 1
        return DataReadError(line: l, column: column, byteOffset: at,
                             message: "JSON 语法错误：\(zh)", messageEN: "JSON syntax error: \(en)")
    }

    func unexpected() -> DataReadError {
        guard let b = current else { return error("文件意外结束", "unexpected end of input") }
        if b < 0x80, b >= 0x20 {
            let c = String(UnicodeScalar(b))
            return error("意外的字符 '\(c)'", "unexpected character '\(c)'")
        }
        return error(String(format: "意外的字节 0x%02X", b), String(format: "unexpected byte 0x%02X", b))
    }

    // MARK: Whitespace

    mutating func skipWhitespace() {
        while pos < bytes.count {
            let b = bytes[pos]
            if b == 32 || b == 9 {
                pos += 1
            } else if b == 10 {
                pos += 1
                line += 1
                lineStart = pos
            } else if b == 13 {
                pos += 1
                if pos < bytes.count && bytes[pos] == 10 { pos += 1 }
                line += 1
                lineStart = pos
            } else {
                return
            }
        }
    }

    mutating func skipSpacesOnLine() {
        while let b = current, b == 32 || b == 9 { pos += 1 }
    }

    mutating func expect(_ c: UInt8) throws {
        guard current == c else { throw unexpected() }
        pos += 1
    }

    // MARK: Top level

    mutating func readArray() throws -> [RawRecord] {
        skipWhitespace()
        try expect(UInt8(ascii: "["))
        var records: [RawRecord] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            pos += 1
        } else {
            while true {
                skipWhitespace()
                guard current == UInt8(ascii: "{") else {
                    if atEnd { throw unexpected() }
                    throw error("数组元素必须是对象 {…}", "array elements must be objects {…}")
                }
                records.append(try readRecord())
                skipWhitespace()
                if current == UInt8(ascii: ",") {
                    pos += 1
                    continue
                }
                try expect(UInt8(ascii: "]"))
                break
            }
        }
        skipWhitespace()
        guard atEnd else { throw error("数组结束后还有内容", "content after the end of the array") }
        return records
    }

    mutating func readLines() throws -> [RawRecord] {
        var records: [RawRecord] = []
        while true {
            skipWhitespace()
            if atEnd { return records }
            guard current == UInt8(ascii: "{") else {
                throw error("每行必须是一个 JSON 对象 {…}", "each line must be one JSON object {…}")
            }
            records.append(try readRecord())
            skipSpacesOnLine()
            if let b = current, b != 10, b != 13 {
                throw error("一行只能有一个 JSON 对象", "only one JSON object per line")
            }
        }
    }

    mutating func readRecord() throws -> RawRecord {
        let recordLine = line
        try expect(UInt8(ascii: "{"))
        var fields: [(name: String, value: RawCell)] = []
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            pos += 1
            return RawRecord(line: recordLine, fields: fields)
        }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else {
                if atEnd { throw unexpected() }
                throw error("字段名必须是带双引号的字符串", "a field name must be a double-quoted string")
            }
            let name = try readString()
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            let start = pos
            switch try readValue(depth: 2) {
            case .cell(let cell):
                fields.append((name, cell))
            case .nested:
                fields.append((name, .invalid(shortText(start, pos))))
            }
            skipWhitespace()
            if current == UInt8(ascii: ",") {
                pos += 1
                continue
            }
            try expect(UInt8(ascii: "}"))
            return RawRecord(line: recordLine, fields: fields)
        }
    }

    func shortText(_ from: Int, _ to: Int) -> String {
        let text = String(decoding: bytes[from..<min(to, bytes.count)], as: UTF8.self)
        let limit = 200
        if text.unicodeScalars.count <= limit { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.prefix(limit))) + "…"
    }

    // MARK: Values

    mutating func readValue(depth: Int) throws -> JSONValueKind {
        guard let b = current else { throw unexpected() }
        switch b {
        case UInt8(ascii: "\""):
            return .cell(.text(try readString()))
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            try skipContainer(depth: depth)
            return .nested
        case UInt8(ascii: "t"):
            try readLiteral("true")
            return .cell(.bool(true))
        case UInt8(ascii: "f"):
            try readLiteral("false")
            return .cell(.bool(false))
        case UInt8(ascii: "n"):
            try readLiteral("null")
            return .cell(.empty)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .cell(try readNumber())
        default:
            throw unexpected()
        }
    }

    mutating func readLiteral(_ word: StaticString) throws {
        let start = pos
        let expected = word.withUTF8Buffer { Array($0) }
        for c in expected {
            guard current == c else { throw error("无效的字面量", "invalid literal", at: start) }
            pos += 1
        }
    }

    mutating func skipContainer(depth: Int) throws {
        guard depth <= maxJSONDepth else {
            throw error("嵌套超过 \(maxJSONDepth) 层", "nesting deeper than \(maxJSONDepth) levels")
        }
        let isObject = current == UInt8(ascii: "{")
        let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
        pos += 1
        skipWhitespace()
        if current == close {
            pos += 1
            return
        }
        while true {
            skipWhitespace()
            if isObject {
                guard current == UInt8(ascii: "\"") else { throw unexpected() }
                _ = try readString()
                skipWhitespace()
                try expect(UInt8(ascii: ":"))
                skipWhitespace()
            }
            _ = try readValue(depth: depth + 1)
            skipWhitespace()
            if current == UInt8(ascii: ",") {
                pos += 1
                continue
            }
            try expect(close)
            return
        }
    }

    mutating func readNumber() throws -> RawCell {
        let start = pos
        if current == UInt8(ascii: "-") { pos += 1 }
        guard let first = current, isDigitByte(first) else { throw error("无效的数字", "invalid number", at: start) }
        pos += 1
        if first != UInt8(ascii: "0") {
            while let b = current, isDigitByte(b) { pos += 1 }
        }
        if current == UInt8(ascii: ".") {
            pos += 1
            guard let b = current, isDigitByte(b) else { throw error("无效的数字", "invalid number", at: start) }
            while let b = current, isDigitByte(b) { pos += 1 }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            pos += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { pos += 1 }
            guard let b = current, isDigitByte(b) else { throw error("无效的数字", "invalid number", at: start) }
            while let b = current, isDigitByte(b) { pos += 1 }
        }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        guard let value = Double(text), value.isFinite else { return .invalid(text) }
        return .number(value == 0 ? 0 : value)
    }

    func isDigitByte(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

    mutating func readString() throws -> String {
        let open = pos
        pos += 1
        var segStart = pos
        var out: [UInt8]?
        while true {
            guard let b = current else {
                throw error("字符串没有结束", "unterminated string", at: open)
            }
            if b == UInt8(ascii: "\"") {
                let tail = bytes[segStart..<pos]
                pos += 1
                if var done = out {
                    done.append(contentsOf: tail)
                    return String(decoding: done, as: UTF8.self)
                }
                return String(decoding: tail, as: UTF8.self)
            }
            if b < 0x20 {
                throw error("字符串中有未转义的控制字符", "unescaped control character in string")
            }
            if b != UInt8(ascii: "\\") {
                pos += 1
                continue
            }
            // Take the buffer out of `out` so appending does not copy it.
            var buffer = out ?? []
            out = nil
            buffer.append(contentsOf: bytes[segStart..<pos])
            let escapeAt = pos
            pos += 1
            guard let e = current else { throw error("字符串没有结束", "unterminated string", at: open) }
            pos += 1
            switch e {
            case UInt8(ascii: "\""): buffer.append(0x22)
            case UInt8(ascii: "\\"): buffer.append(0x5C)
            case UInt8(ascii: "/"): buffer.append(0x2F)
            case UInt8(ascii: "b"): buffer.append(0x08)
            case UInt8(ascii: "f"): buffer.append(0x0C)
            case UInt8(ascii: "n"): buffer.append(0x0A)
            case UInt8(ascii: "r"): buffer.append(0x0D)
            case UInt8(ascii: "t"): buffer.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try readHex4(escapeAt)
                if scalar >= 0xD800 && scalar <= 0xDBFF {
                    guard current == UInt8(ascii: "\\"), pos + 1 < bytes.count, bytes[pos + 1] == UInt8(ascii: "u") else {
                        throw error("不成对的 UTF-16 代理项", "unpaired UTF-16 surrogate", at: escapeAt)
                    }
                    pos += 2
                    let low = try readHex4(escapeAt)
                    guard low >= 0xDC00 && low <= 0xDFFF else {
                        throw error("不成对的 UTF-16 代理项", "unpaired UTF-16 surrogate", at: escapeAt)
                    }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                    throw error("不成对的 UTF-16 代理项", "unpaired UTF-16 surrogate", at: escapeAt)
                }
                guard let u = Unicode.Scalar(scalar) else {
                    throw error("无效的 \\u 转义", "invalid \\u escape", at: escapeAt)
                }
                buffer.append(contentsOf: Array(String(Character(u)).utf8))
            default:
                throw error("无效的转义序列", "invalid escape sequence", at: escapeAt)
            }
            out = buffer
            segStart = pos
        }
    }

    mutating func readHex4(_ escapeAt: Int) throws -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let b = current else { throw error("无效的 \\u 转义", "invalid \\u escape", at: escapeAt) }
            let d: UInt32
            switch b {
            case 48...57: d = UInt32(b - 48)
            case 65...70: d = UInt32(b - 55)
            case 97...102: d = UInt32(b - 87)
            default: throw error("无效的 \\u 转义", "invalid \\u escape", at: escapeAt)
            }
            v = v * 16 + d
            pos += 1
        }
        return v
    }
}
