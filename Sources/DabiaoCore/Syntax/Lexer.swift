/// Turns a rule file into tokens. Newlines are tokens because they end
/// statements; the parser decides where they are insignificant.
struct Lexer {
    let file: SourceFile
    let fileIndex: Int
    let s: [Unicode.Scalar]
    var i: Int = 0
    let end: Int
    private(set) var diagnostics: [Diagnostic] = []

    init(file: SourceFile, fileIndex: Int) {
        self.init(file: file, fileIndex: fileIndex, start: 0, end: file.scalars.count)
    }

    /// Lexes only `start..<end`, for the expressions inside `{…}` of a message.
    init(file: SourceFile, fileIndex: Int, start: Int, end: Int) {
        self.file = file
        self.fileIndex = fileIndex
        self.s = file.scalars
        self.i = max(0, start)
        self.end = min(end, file.scalars.count)
    }

    /// Unit symbols people write as names: ㎡ ㎞ (CJK compatibility), ℃ (letterlike), °.
    static func isUnitSymbol(_ c: Unicode.Scalar) -> Bool {
        (0x3380...0x33FF).contains(c.value) || (0x2100...0x214F).contains(c.value) || c.value == 0xB0
    }

    static func isIdentStart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || c.properties.isAlphabetic || isUnitSymbol(c)
    }

    static func isIdentContinue(_ c: Unicode.Scalar) -> Bool {
        c == "_" || c.properties.isAlphabetic || c.properties.numericType != nil || ("0"..."9").contains(c) || isUnitSymbol(c)
    }

    static func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }

    func peek(_ k: Int = 0) -> Unicode.Scalar? {
        let j = i + k
        return j < end ? s[j] : nil
    }

    func range(_ a: Int, _ b: Int) -> SourceRange { SourceRange(file: fileIndex, start: a, end: b) }

    mutating func report(_ d: Diagnostic) {
        diagnostics.append(d)
    }

    mutating func tokenize() -> [Token] {
        var out: [Token] = []
        out.reserveCapacity(s.count / 3)
        while true {
            // Skip blanks and comments.
            while let c = peek() {
                if c == " " || c == "\t" || c == "\r" || c == "\u{3000}" || c == "\u{FEFF}" {
                    i += 1
                } else if c == "#" {
                    while let d = peek(), d != "\n" { i += 1 }
                } else {
                    break
                }
            }
            guard let c = peek() else {
                out.append(Token(kind: .eof, range: range(i, i)))
                return out
            }
            let start = i
            if c == "\n" {
                i += 1
                out.append(Token(kind: .newline, range: range(start, i)))
            } else if Lexer.isDigit(c) {
                out.append(lexNumberOrDate())
            } else if Lexer.isIdentStart(c) {
                while let d = peek(), Lexer.isIdentContinue(d) { i += 1 }
                let word = file.slice(start, i)
                if let k = Keyword(rawValue: word) {
                    out.append(Token(kind: .keyword(k), range: range(start, i)))
                } else {
                    out.append(Token(kind: .ident(word), range: range(start, i)))
                }
            } else if c == "\"" {
                out.append(lexString())
            } else if file.invalidBytes[start] != nil {
                // Reported with its bytes by the parser; one error is enough.
                i += 1
            } else if c == "%" || c == "％", let last = out.last, case .keyword(.in) = last.kind {
                // `measure 比例 = a / b in %`: a share shown in percent. Elsewhere
                // `%` only follows a number (`45%`).
                i += 1
                out.append(Token(kind: .ident("%"), range: range(start, i)))
            } else if let p = lexPunct() {
                out.append(Token(kind: .punct(p), range: range(start, i)))
            } else {
                i += 1
                report(.unexpectedCharacter(c, at: range(start, i)))
            }
        }
    }

    mutating func lexPunct() -> Punct? {
        guard let c = peek() else { return nil }
        let n = peek(1)
        func two(_ p: Punct) -> Punct { i += 2; return p }
        func one(_ p: Punct) -> Punct { i += 1; return p }
        switch c {
        case "(", "（": return one(.lparen)
        case ")", "）": return one(.rparen)
        case "[": return one(.lbracket)
        case "]": return one(.rbracket)
        case "{": return one(.lbrace)
        case "}": return one(.rbrace)
        case ",", "，": return one(.comma)
        case ".": return one(.dot)
        case ":": return one(.colon)
        case "=": return n == ">" ? two(.arrow) : n == "=" ? two(.eq) : one(.assign)
        case "!": return n == "=" ? two(.ne) : nil
        case "<": return n == "=" ? two(.le) : one(.lt)
        case ">": return n == "=" ? two(.ge) : one(.gt)
        case "≤": return one(.le)
        case "≥": return one(.ge)
        case "+": return one(.plus)
        case "-": return one(.minus)
        case "*": return one(.star)
        case "/": return one(.slash)
        case "^": return one(.caret)
        default: return nil
        }
    }

    mutating func lexNumberOrDate() -> Token {
        let start = i
        // A date literal is recognised before a number: four digits, two, two.
        if i + 10 <= end,
           (0..<4).allSatisfy({ Lexer.isDigit(s[i + $0]) }), s[i + 4] == "-",
           Lexer.isDigit(s[i + 5]), Lexer.isDigit(s[i + 6]), s[i + 7] == "-",
           Lexer.isDigit(s[i + 8]), Lexer.isDigit(s[i + 9]),
           !(i + 10 < end && Lexer.isDigit(s[i + 10])) {
            let text = file.slice(i, i + 10)
            i += 10
            if let d = CivilDate.parseISO(text) {
                return Token(kind: .date(d), range: range(start, i))
            }
            report(.invalidDate(text, at: range(start, i)))
            return Token(kind: .date(0), range: range(start, i))
        }
        var digits = ""
        var isInteger = true
        while let c = peek(), Lexer.isDigit(c) || (c == "_" && peek(1).map(Lexer.isDigit) == true) {
            if c != "_" { digits.unicodeScalars.append(c) }
            i += 1
        }
        if peek() == ".", let n = peek(1), Lexer.isDigit(n) {
            isInteger = false
            digits += "."
            i += 1
            while let c = peek(), Lexer.isDigit(c) || (c == "_" && peek(1).map(Lexer.isDigit) == true) {
                if c != "_" { digits.unicodeScalars.append(c) }
                i += 1
            }
        }
        var value = Double(digits) ?? 0
        if peek() == "%" || peek() == "％" {
            i += 1
            value /= 100
            isInteger = false
        }
        // A literal past Double's range would become ±∞ (then `==` passes every
        // record) or 0 (then a threshold vanishes): neither is what was written.
        if !value.isFinite {
            report(.numberTooLarge(at: range(start, i)))
            value = 0
        } else if value == 0 ? digits.unicodeScalars.contains(where: { ("1"..."9").contains($0) }) : !value.isNormal {
            report(.numberTooSmall(at: range(start, i)))
            value = 0
        }
        return Token(kind: .number(value, isInteger: isInteger), range: range(start, i))
    }

    mutating func lexString() -> Token {
        let start = i
        i += 1
        var parts: [StringPart] = []
        var buf = ""
        var closed = false
        while let c = peek() {
            if c == "\"" {
                i += 1
                closed = true
                break
            }
            if c == "\n" { break }
            if c == "\\" {
                let e = peek(1)
                i += 2
                switch e {
                case "\"": buf += "\""
                case "\\": buf += "\\"
                case "n": buf += "\n"
                case "t": buf += "\t"
                case "{": buf += "{"
                case "}": buf += "}"
                default:
                    report(.unknownEscape(at: range(i - 2, min(i, end))))
                }
                continue
            }
            if c == "{" {
                // Find the closing brace on this line; the expression inside is
                // parsed later, and only in `message` strings.
                var j = i + 1
                var depth = 1
                while j < end, s[j] != "\n", s[j] != "\"" || depth == 0 {
                    if s[j] == "{" { depth += 1 }
                    if s[j] == "}" { depth -= 1; if depth == 0 { break } }
                    j += 1
                }
                if j < end, s[j] == "}" {
                    if !buf.isEmpty { parts.append(.text(buf)); buf = "" }
                    let raw = file.slice(i + 1, j)
                    var exprEnd = j
                    var decimals: Int?
                    // `{expr:.2}` — the format follows the last colon.
                    if let colon = raw.lastIndex(of: ":") {
                        let spec = raw[raw.index(after: colon)...]
                        if spec.hasPrefix("."), let n = Int(spec.dropFirst()), n >= 0, n <= 12 {
                            decimals = n
                            exprEnd = i + 1 + raw[..<colon].unicodeScalars.count
                        }
                    }
                    parts.append(.interpolation(start: i + 1, end: exprEnd, decimals: decimals, raw: raw))
                    i = j + 1
                    continue
                }
            }
            if c == "{" {
                // No `}` on this line: an interpolation left open. Only a
                // `message` reports it; elsewhere the brace is text.
                if !buf.isEmpty { parts.append(.text(buf)); buf = "" }
                parts.append(.openBrace(at: i))
                i += 1
                continue
            }
            buf.unicodeScalars.append(c)
            i += 1
        }
        if !closed {
            report(.unterminatedString(at: range(start, i)))
        }
        if !buf.isEmpty || parts.isEmpty { parts.append(.text(buf)) }
        return Token(kind: .string(parts), range: range(start, i))
    }

    /// Rule codes (`ZZ-01`, `GZ.3a`) are not ordinary tokens: the parser asks
    /// for one where the grammar expects it, starting at a token's offset.
    static func scanRuleCode(in file: SourceFile, from start: Int) -> Int {
        let s = file.scalars
        var j = start
        guard j < s.count, isIdentStart(s[j]) || isDigit(s[j]) else { return start }
        j += 1
        while j < s.count, isIdentContinue(s[j]) || s[j] == "-" || s[j] == "." { j += 1 }
        // A trailing `.` or `-` belongs to what follows, not to the code.
        while j > start + 1, s[j - 1] == "." || s[j - 1] == "-" { j -= 1 }
        return j
    }
}
