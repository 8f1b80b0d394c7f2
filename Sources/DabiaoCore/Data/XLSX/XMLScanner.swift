import Foundation

/// A small pull scanner for the machine-written XML inside xlsx files.
///
/// Why not `XMLParser`: on Linux it bridges every name, attribute and text run into NSString
/// via delegate callbacks, which measured several times slower on large sheets than this
/// byte scanner. Scope is deliberately narrow: elements, attributes, text, CDATA, comments and
/// processing instructions; namespace prefixes are ignored (only local names are compared);
/// DTDs are rejected, so no entity expansion can happen.
struct XMLScanner {
    enum Event: Equatable {
        case start
        case end
        case text
        case endOfDocument
    }

    struct Attribute {
        var nameStart: Int
        var nameEnd: Int
        var valueStart: Int
        var valueEnd: Int
        var hasEntity: Bool
    }

    let data: [UInt8]
    private(set) var position = 0
    /// Local name (prefix stripped) of the element of the last `.start`/`.end` event.
    private(set) var nameStart = 0
    private(set) var nameEnd = 0
    private(set) var attributes: [Attribute] = []
    private(set) var textStart = 0
    private(set) var textEnd = 0
    private(set) var textHasEntity = false
    private var pendingEnd = false
    private var depth = 0
    private let partName: String

    init(_ data: [UInt8], partName: String) {
        self.data = data
        self.partName = partName
        attributes.reserveCapacity(8)
        // A UTF-8 byte order mark is allowed before the declaration.
        if data.count >= 3, data[0] == 0xEF, data[1] == 0xBB, data[2] == 0xBF { position = 3 }
    }

    private func error(_ what: String) -> XLSXError {
        XLSXError(message: "\(partName) 的 XML 格式错误（\(what)） / malformed XML in \(partName): \(what)")
    }

    mutating func next() throws -> Event {
        if pendingEnd {
            pendingEnd = false
            depth -= 1
            return .end
        }
        while position < data.count {
            if data[position] != 0x3C {  // text up to the next '<'
                textStart = position
                textHasEntity = false
                while position < data.count, data[position] != 0x3C {
                    if data[position] == 0x26 { textHasEntity = true }
                    position += 1
                }
                textEnd = position
                return .text
            }
            guard position + 1 < data.count else { throw error("标签不完整 / unterminated tag") }
            switch data[position + 1] {
            case 0x3F:  // <? … ?>
                try skip(past: [0x3F, 0x3E], from: position + 2)
            case 0x21:  // <!-- -->, <![CDATA[ ]]>, <!DOCTYPE
                if matches([0x3C, 0x21, 0x2D, 0x2D], at: position) {
                    try skip(past: [0x2D, 0x2D, 0x3E], from: position + 4)
                } else if matches(Array("<![CDATA[".utf8), at: position) {
                    textStart = position + 9
                    guard let close = find([0x5D, 0x5D, 0x3E], from: textStart) else {
                        throw error("CDATA 未结束 / unterminated CDATA")
                    }
                    textEnd = close
                    textHasEntity = false
                    position = close + 3
                    return .text
                } else {
                    throw error("不支持 DTD / DTDs are not supported")
                }
            case 0x2F:  // </name>
                position += 2
                try readName()
                skipSpace()
                guard position < data.count, data[position] == 0x3E else { throw error("结束标签错误 / bad end tag") }
                position += 1
                depth -= 1
                guard depth >= 0 else { throw error("多余的结束标签 / unbalanced end tag") }
                return .end
            default:
                position += 1
                try readName()
                try readAttributes()
                depth += 1
                return .start
            }
        }
        guard depth == 0 else { throw error("文档不完整 / unexpected end of document") }
        return .endOfDocument
    }

    private mutating func readName() throws {
        let start = position
        var localStart = position
        while position < data.count {
            let byte = data[position]
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x2F || byte == 0x3E || byte == 0x3D {
                break
            }
            if byte == 0x3A { localStart = position + 1 }
            position += 1
        }
        guard position > start, localStart < position else { throw error("缺少名称 / missing name") }
        nameStart = localStart
        nameEnd = position
    }

    private mutating func readAttributes() throws {
        attributes.removeAll(keepingCapacity: true)
        while true {
            skipSpace()
            guard position < data.count else { throw error("标签不完整 / unterminated tag") }
            let byte = data[position]
            if byte == 0x3E {
                position += 1
                return
            }
            if byte == 0x2F {
                guard position + 1 < data.count, data[position + 1] == 0x3E else { throw error("标签错误 / bad tag") }
                position += 2
                pendingEnd = true
                return
            }
            let attributeNameStart = position
            var localStart = position
            while position < data.count {
                let c = data[position]
                if c == 0x3D || c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x3E || c == 0x2F { break }
                if c == 0x3A { localStart = position + 1 }
                position += 1
            }
            guard position > attributeNameStart else { throw error("属性错误 / bad attribute") }
            let attributeNameEnd = position
            skipSpace()
            guard position < data.count, data[position] == 0x3D else { throw error("属性缺少值 / attribute without value") }
            position += 1
            skipSpace()
            guard position < data.count, data[position] == 0x22 || data[position] == 0x27 else {
                throw error("属性值缺少引号 / unquoted attribute value")
            }
            let quote = data[position]
            position += 1
            let valueStart = position
            var hasEntity = false
            while position < data.count, data[position] != quote {
                if data[position] == 0x26 { hasEntity = true }
                position += 1
            }
            guard position < data.count else { throw error("属性值未结束 / unterminated attribute value") }
            attributes.append(Attribute(nameStart: localStart, nameEnd: attributeNameEnd,
                                        valueStart: valueStart, valueEnd: position, hasEntity: hasEntity))
            position += 1
        }
    }

    private mutating func skipSpace() {
        while position < data.count {
            let c = data[position]
            guard c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D else { return }
            position += 1
        }
    }

    private func matches(_ pattern: [UInt8], at offset: Int) -> Bool {
        guard offset + pattern.count <= data.count else { return false }
        for (i, byte) in pattern.enumerated() where data[offset + i] != byte { return false }
        return true
    }

    private func find(_ pattern: [UInt8], from offset: Int) -> Int? {
        guard let first = pattern.first else { return nil }
        var i = offset
        while i + pattern.count <= data.count {
            if data[i] == first, matches(pattern, at: i) { return i }
            i += 1
        }
        return nil
    }

    private mutating func skip(past pattern: [UInt8], from offset: Int) throws {
        guard let found = find(pattern, from: offset) else { throw error("注释或指令未结束 / unterminated comment") }
        position = found + pattern.count
    }

    // MARK: Accessors for the current event

    func nameIs(_ name: StaticString) -> Bool {
        equal(nameStart, nameEnd, name)
    }

    private func equal(_ start: Int, _ end: Int, _ name: StaticString) -> Bool {
        let length = name.utf8CodeUnitCount
        guard end - start == length else { return false }
        let pointer = name.utf8Start
        for i in 0..<length where data[start + i] != pointer[i] { return false }
        return true
    }

    private func attribute(_ name: StaticString) -> Attribute? {
        for attribute in attributes where equal(attribute.nameStart, attribute.nameEnd, name) {
            return attribute
        }
        return nil
    }

    func attributeString(_ name: StaticString) -> String? {
        guard let found = attribute(name) else { return nil }
        return string(found.valueStart, found.valueEnd, entities: found.hasEntity)
    }

    /// Parses an unsigned decimal attribute without building a String (hot path: `r`, `s`).
    func attributeInt(_ name: StaticString) -> Int? {
        guard let found = attribute(name) else { return nil }
        return XMLScanner.parseInt(data, found.valueStart, found.valueEnd)
    }

    func attributeBytes(_ name: StaticString) -> ArraySlice<UInt8>? {
        guard let found = attribute(name), !found.hasEntity else { return nil }
        return data[found.valueStart..<found.valueEnd]
    }

    static func parseInt(_ data: [UInt8], _ start: Int, _ end: Int) -> Int? {
        guard start < end, end - start <= 12 else { return nil }
        var value = 0
        for i in start..<end {
            let digit = Int(data[i]) - 48
            guard digit >= 0, digit <= 9 else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    /// Text of the current `.text` event.
    func text() -> String {
        string(textStart, textEnd, entities: textHasEntity)
    }

    func appendText(to buffer: inout [UInt8]) {
        if textHasEntity {
            buffer.append(contentsOf: XMLScanner.unescape(data[textStart..<textEnd]))
        } else {
            buffer.append(contentsOf: data[textStart..<textEnd])
        }
    }

    private func string(_ start: Int, _ end: Int, entities: Bool) -> String {
        if entities { return String(decoding: XMLScanner.unescape(data[start..<end]), as: UTF8.self) }
        return String(decoding: data[start..<end], as: UTF8.self)
    }

    /// Resolves the five predefined entities and numeric character references; anything
    /// unknown is kept literally rather than failing the whole workbook.
    static func unescape(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let byte = bytes[i]
            guard byte == 0x26, let semicolon = bytes[i..<min(bytes.endIndex, i + 12)].firstIndex(of: 0x3B) else {
                result.append(byte)
                i += 1
                continue
            }
            let name = bytes[(i + 1)..<semicolon]
            var replacement: [UInt8]?
            switch Array(name) {
            case Array("lt".utf8): replacement = [0x3C]
            case Array("gt".utf8): replacement = [0x3E]
            case Array("amp".utf8): replacement = [0x26]
            case Array("quot".utf8): replacement = [0x22]
            case Array("apos".utf8): replacement = [0x27]
            default:
                if name.first == 0x23 {
                    let digits = name.dropFirst()
                    var scalarValue: UInt32?
                    if digits.first == 0x78 || digits.first == 0x58 {
                        scalarValue = UInt32(String(decoding: digits.dropFirst(), as: UTF8.self), radix: 16)
                    } else {
                        scalarValue = UInt32(String(decoding: digits, as: UTF8.self), radix: 10)
                    }
                    if let value = scalarValue, let scalar = Unicode.Scalar(value) {
                        replacement = Array(String(Character(scalar)).utf8)
                    }
                }
            }
            if let replacement {
                result.append(contentsOf: replacement)
                i = semicolon + 1
            } else {
                result.append(byte)
                i += 1
            }
        }
        return result
    }
}
