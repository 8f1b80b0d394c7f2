/// Recursive-descent parser. It reports every error it can find in a file,
/// resynchronising at the next line or closing brace after each one.
struct Parser {
    static let maxDepth = 200
    static let maxNesting = 64

    let file: SourceFile
    let fileIndex: Int
    var tokens: [Token]
    var p = 0
    /// Inside `(…)` and `[…]` of an expression newlines do not end anything.
    var parenDepth = 0
    /// `{` of `match` expressions opened and not yet closed.
    var openMatchBraces = 0
    /// Set only by the parser (its files are extensions of this type); read by callers.
    internal(set) var diagnostics: [Diagnostic] = []
    /// Nesting of primaries now open. Every path by which the expression
    /// grammar recurses (parentheses, `if`, `match` subjects, patterns and
    /// arms, call arguments and `where`, `in (…)`, `between`) re-enters
    /// `parsePrimary`, and prefix `not` and `-` are read in loops, so this one
    /// counter bounds the recursion of the parser.
    var nesting = 0

    init(file: SourceFile, fileIndex: Int) {
        var lexer = Lexer(file: file, fileIndex: fileIndex)
        self.tokens = lexer.tokenize()
        self.file = file
        self.fileIndex = fileIndex
        self.diagnostics = lexer.diagnostics
        for (offset, bytes) in file.invalidBytes.sorted(by: { $0.key < $1.key }) {
            let hex = bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16, uppercase: true) }.joined(separator: " ")
            diagnostics.append(.invalidUTF8(hex, at: SourceRange(file: fileIndex, start: offset, end: offset + 1)))
        }
        if !file.invalidBytes.isEmpty { diagnostics.sort { $0.range.start < $1.range.start } }
    }

    init(file: SourceFile, fileIndex: Int, tokens: [Token]) {
        self.file = file
        self.fileIndex = fileIndex
        self.tokens = tokens
    }

    struct Failed: Error {}

    // MARK: token helpers

    var cur: Token {
        var k = p
        if parenDepth > 0 {
            while k < tokens.count - 1, tokens[k].kind == .newline { k += 1 }
        }
        return tokens[min(k, tokens.count - 1)]
    }

    mutating func advance() {
        if parenDepth > 0 {
            while p < tokens.count - 1, tokens[p].kind == .newline { p += 1 }
        }
        if p < tokens.count - 1 { p += 1 }
    }

    var prevEnd: Int { p > 0 ? tokens[p - 1].range.end : 0 }

    func isPunct(_ q: Punct) -> Bool { cur.kind == .punct(q) }
    func isKeyword(_ k: Keyword) -> Bool { cur.kind == .keyword(k) }

    mutating func skipNewlines() {
        while tokens[p].kind == .newline { p += 1 }
    }

    /// Records the diagnostic; the caller throws the result to resynchronise.
    mutating func fail(_ d: Diagnostic) -> Failed {
        diagnostics.append(d)
        return Failed()
    }

    /// A token as messages name it: `“x”` in Chinese, `'x'` in English;
    /// literals as written.
    func found(_ t: Token) -> Bilingual {
        switch t.kind {
        case .ident(let s): return Words.quoted(s)
        case .keyword(let k): return Words.quoted(k.rawValue)
        case .number, .string, .date: return Bilingual(both: file.slice(t.range.start, t.range.end))
        case .punct(let q): return Words.quoted(q.rawValue)
        case .newline: return Words.newline
        case .eof: return Words.endOfFile
        }
    }

    mutating func expectPunct(_ q: Punct) throws {
        guard isPunct(q) else {
            throw fail(.expectedToken(q.rawValue, found: found(cur), at: cur.range))
        }
        advance()
    }

    mutating func expectKeyword(_ k: Keyword) throws {
        guard isKeyword(k) else {
            throw fail(.expectedToken(k.rawValue, found: found(cur), at: cur.range))
        }
        advance()
    }

    /// An identifier that names something the author declares (field, let,
    /// measure, entity, unit). Keywords are refused with a hint.
    mutating func parseName(_ what: Bilingual) throws -> Name {
        let t = cur
        switch t.kind {
        case .ident(let s):
            advance()
            return Name(text: s, range: t.range)
        case .keyword(let k):
            throw fail(.keywordAsName(k.rawValue, what, at: t.range))
        default:
            throw fail(.expected(what, found: found(t), at: t.range))
        }
    }

    mutating func parseString(_ what: Bilingual) throws -> String {
        guard case .string(let parts) = cur.kind else {
            throw fail(.expectedString(what, found: found(cur), at: cur.range))
        }
        advance()
        return parts.plainText
    }

    mutating func optionalString() -> String? {
        guard case .string(let parts) = cur.kind else { return nil }
        advance()
        return parts.plainText
    }

    mutating func parseRuleCode() throws -> Name {
        let t = cur
        let start = t.range.start
        let end = Lexer.scanRuleCode(in: file, from: start)
        guard end > start, t.kind != .eof, t.kind != .newline else {
            throw fail(.expected(Words.ruleCode, found: found(t), at: t.range))
        }
        while tokens[p].range.start < end, tokens[p].kind != .eof { p += 1 }
        return Name(text: file.slice(start, end), range: SourceRange(file: fileIndex, start: start, end: end))
    }

    /// After a statement: the line must end here.
    mutating func endStatement() throws {
        switch cur.kind {
        case .newline, .eof: return
        case .punct(.rbrace): return
        default:
            throw fail(.statementNotEnded(found: found(cur), at: cur.range))
        }
    }

    /// Skip to the end of the current line (or before a `}`), to go on after an error.
    mutating func recover() {
        parenDepth = 0
        // An error inside a `match` leaves its braces open; they are skipped
        // with it, or every `}` of a deeply nested match would be an error of its own.
        var depth = openMatchBraces
        openMatchBraces = 0
        while true {
            switch tokens[p].kind {
            case .eof: return
            case .newline where depth == 0: return
            case .punct(.lbrace): depth += 1
            case .punct(.rbrace):
                if depth == 0 { return }
                depth -= 1
            default: break
            }
            p += 1
        }
    }

    /// The items of a `{ … }` block, one statement each; after an error the
    /// rest of its line is skipped and the block goes on.
    mutating func parseItems(_ block: String, _ item: (inout Parser, Token) throws -> Void) throws {
        while true {
            skipNewlines()
            if isPunct(.rbrace) { advance(); return }
            let t = cur
            if t.kind == .eof {
                throw fail(.unclosedBlock(block, at: t.range))
            }
            do {
                try item(&self, t)
                try endStatement()
            } catch {
                recover()
            }
        }
    }

    // MARK: files

    mutating func parseFile() -> RuleFileAST {
        var decls: [Declaration] = []
        while true {
            skipNewlines()
            if tokens[p].kind == .eof { break }
            do {
                if let d = try parseDeclaration() { decls.append(d) }
                try endStatement()
            } catch {
                recover()
                if case .punct(.rbrace) = tokens[p].kind { p += 1 }
            }
        }
        return RuleFileAST(fileIndex: fileIndex, declarations: decls)
    }

    mutating func parseDeclaration() throws -> Declaration? {
        let t = cur
        switch t.kind {
        case .keyword(.unit): return .unit(try parseUnitDecl())
        case .keyword(.entity): return .entity(try parseEntity())
        case .keyword(.ruleset): return .ruleset(try parseRuleset())
        case .keyword(.waive): return .waiver(try parseWaiver())
        case .keyword(.test): return .test(try parseTest())
        case .keyword(.rule):
            throw fail(.ruleOutsideRuleset(at: t.range))
        default:
            throw fail(.expected(Words.declaration, found: found(t), at: t.range))
        }
    }

    mutating func parseUnitDecl() throws -> UnitDecl {
        let start = cur.range
        advance()
        let name = try parseName(Words.unitName)
        var aliases: [Name] = []
        var def: (Double, UnitExprAST?)?
        for _ in 0..<2 {
            if isKeyword(.alias) {
                advance()
                aliases.append(try parseName(Words.unitAlias))
                while isPunct(.comma) {
                    advance()
                    aliases.append(try parseName(Words.unitAlias))
                }
            } else if isPunct(.assign) {
                advance()
                let q = try parseQuantity()
                def = (q.value, q.unit)
            }
        }
        return UnitDecl(name: name, aliases: aliases, definition: def, range: start.to(SourceRange(file: fileIndex, start: prevEnd, end: prevEnd)))
    }

    mutating func parseQuantity() throws -> Quantity {
        let t = cur
        var sign = 1.0
        if isPunct(.minus) {
            sign = -1
            advance()
        } else if isPunct(.plus) {
            advance()
        }
        guard case .number(let v, let isInt) = cur.kind else {
            throw fail(.expected(Words.number, found: found(cur), at: cur.range))
        }
        advance()
        let unit = try parseOptionalUnit()
        return Quantity(value: sign * v, isInteger: isInt, unit: unit, range: t.range.to(SourceRange(file: fileIndex, start: prevEnd, end: prevEnd)))
    }

    /// A unit expression, if an identifier follows on the same line.
    mutating func parseOptionalUnit() throws -> UnitExprAST? {
        guard case .ident = tokens[p].kind else { return nil }
        return try parseUnitExpr()
    }

    mutating func parseUnitExpr() throws -> UnitExprAST {
        let start = cur.range
        var factors: [UnitFactor] = []
        var sign = 1
        while true {
            let n = try parseName(Words.unit)
            var exp = 1
            if tokens[p].kind == .punct(.caret) {
                p += 1
                var neg = 1
                if tokens[p].kind == .punct(.minus) { neg = -1; p += 1 }
                guard case .number(let v, true) = tokens[p].kind, v >= 1, v <= 9 else {
                    throw fail(.badUnitExponent(at: tokens[p].range))
                }
                p += 1
                exp = Int(v) * neg
            }
            factors.append(UnitFactor(name: n, exponent: exp * sign))
            // `/` and `*` continue the unit only when a unit name follows.
            if tokens[p].kind == .punct(.slash) || tokens[p].kind == .punct(.star),
               p + 1 < tokens.count, case .ident = tokens[p + 1].kind {
                sign = tokens[p].kind == .punct(.slash) ? -1 : 1
                p += 1
                continue
            }
            break
        }
        return UnitExprAST(factors: factors, range: start.to(SourceRange(file: fileIndex, start: prevEnd, end: prevEnd)))
    }

}

/// Parses every file of a project; all diagnostics of all files come back together.
func parseProject(_ files: [SourceFile]) -> (asts: [RuleFileAST], diagnostics: [Diagnostic]) {
    var asts: [RuleFileAST] = []
    var diags: [Diagnostic] = []
    for (i, f) in files.enumerated() {
        var parser = Parser(file: f, fileIndex: i)
        asts.append(parser.parseFile())
        diags += parser.diagnostics
    }
    return (asts, diags)
}
