/// Recursive-descent parser. It reports every error it can find in a file,
/// resynchronising at the next line or closing brace after each one.
public struct Parser {
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
    public private(set) var diagnostics: [Diagnostic] = []

    public init(file: SourceFile, fileIndex: Int) {
        var lexer = Lexer(file: file, fileIndex: fileIndex)
        self.tokens = lexer.tokenize()
        self.file = file
        self.fileIndex = fileIndex
        self.diagnostics = lexer.diagnostics
        for (offset, bytes) in file.invalidBytes.sorted(by: { $0.key < $1.key }) {
            let hex = bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16, uppercase: true) }.joined(separator: " ")
            diagnostics.append(Diagnostic(.error, SourceRange(file: fileIndex, start: offset, end: offset + 1),
                                          Text("无效的 UTF-8 字节 \(hex)", "invalid UTF-8 bytes \(hex)"),
                                          help: Text("规则文件须以 UTF-8 保存（在编辑器中“另存为 UTF-8”）", "save the rule file as UTF-8")))
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

    mutating func fail(_ range: SourceRange, _ m: Text, help: Text? = nil) -> Failed {
        diagnostics.append(Diagnostic(.error, range, m, help: help))
        return Failed()
    }

    func describe(_ t: Token) -> String {
        switch t.kind {
        case .ident(let s): return "“\(s)”"
        case .keyword(let k): return "“\(k.rawValue)”"
        case .number: return file.slice(t.range.start, t.range.end)
        case .string: return file.slice(t.range.start, t.range.end)
        case .date: return file.slice(t.range.start, t.range.end)
        case .punct(let q): return "“\(q.rawValue)”"
        case .newline: return "换行"
        case .eof: return "文件结尾"
        }
    }

    func describeEn(_ t: Token) -> String {
        switch t.kind {
        case .newline: return "end of line"
        case .eof: return "end of file"
        default: return describe(t).replacingOccurrences(of: "“", with: "'").replacingOccurrences(of: "”", with: "'")
        }
    }

    mutating func expectPunct(_ q: Punct, _ what: Text? = nil) throws {
        guard isPunct(q) else {
            throw fail(cur.range, Text("这里应为 “\(q.rawValue)”，却是 \(describe(cur))", "expected '\(q.rawValue)', found \(describeEn(cur))"))
        }
        advance()
    }

    mutating func expectKeyword(_ k: Keyword) throws {
        guard isKeyword(k) else {
            throw fail(cur.range, Text("这里应为 “\(k.rawValue)”，却是 \(describe(cur))", "expected '\(k.rawValue)', found \(describeEn(cur))"))
        }
        advance()
    }

    /// An identifier that names something the author declares (field, let,
    /// measure, entity, unit). Keywords are refused with a hint.
    mutating func parseName(_ what: Text) throws -> Name {
        let t = cur
        switch t.kind {
        case .ident(let s):
            advance()
            return Name(text: s, range: t.range)
        case .keyword(let k):
            throw fail(t.range, Text("“\(k.rawValue)” 是关键字，不能用作\(what.zh)", "'\(k.rawValue)' is a keyword and cannot be used as \(what.en)"),
                       help: Text("换一个名称，例如 \(k.rawValue)_ 或中文名称", "choose another name, e.g. \(k.rawValue)_"))
        default:
            throw fail(t.range, Text("这里应为\(what.zh)，却是 \(describe(t))", "expected \(what.en), found \(describeEn(t))"))
        }
    }

    mutating func parseString(_ what: Text) throws -> String {
        guard case .string(let parts) = cur.kind else {
            throw fail(cur.range, Text("这里应为\(what.zh)（带引号的字符串），却是 \(describe(cur))", "expected \(what.en) (a quoted string), found \(describeEn(cur))"))
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
            throw fail(t.range, Text("这里应为规则编号（如 ZZ-01），却是 \(describe(t))", "expected a rule code (e.g. ZZ-01), found \(describeEn(t))"))
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
            throw fail(cur.range, Text("多余的内容 \(describe(cur))：一条语句应在此结束", "unexpected \(describeEn(cur)): the statement should end here"))
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
                throw fail(t.range, Text("\(block) 块没有结束的 “}”", "the \(block) block has no closing '}'"))
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

    public mutating func parseFile() -> RuleFileAST {
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
            throw fail(t.range, Text("规则必须写在 ruleset 块内", "a rule must be inside a ruleset block"),
                       help: Text("ruleset 编号 \"标题\" { for 实体 … rule … }", "ruleset id \"title\" { for entity … rule … }"))
        default:
            throw fail(t.range, Text("这里应为 unit、entity、ruleset、waive 或 test，却是 \(describe(t))",
                                     "expected unit, entity, ruleset, waive or test, found \(describeEn(t))"))
        }
    }

    mutating func parseUnitDecl() throws -> UnitDecl {
        let start = cur.range
        advance()
        let name = try parseName(Text("单位名称", "a unit name"))
        var aliases: [Name] = []
        var def: (Double, UnitExprAST?)?
        for _ in 0..<2 {
            if isKeyword(.alias) {
                advance()
                aliases.append(try parseName(Text("单位别名", "a unit alias")))
                while isPunct(.comma) {
                    advance()
                    aliases.append(try parseName(Text("单位别名", "a unit alias")))
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
            throw fail(cur.range, Text("这里应为数值，却是 \(describe(cur))", "expected a number, found \(describeEn(cur))"))
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
            let n = try parseName(Text("单位", "a unit"))
            var exp = 1
            if tokens[p].kind == .punct(.caret) {
                p += 1
                var neg = 1
                if tokens[p].kind == .punct(.minus) { neg = -1; p += 1 }
                guard case .number(let v, true) = tokens[p].kind, v >= 1, v <= 9 else {
                    throw fail(tokens[p].range, Text("单位的幂应为 1 到 9 的整数", "a unit exponent must be a whole number from 1 to 9"))
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

    // MARK: entities

    mutating func parseEntity() throws -> EntityDecl {
        advance()
        let name = try parseName(Text("实体名称", "an entity name"))
        let label = optionalString()
        try expectPunct(.lbrace)
        var fields: [FieldDecl] = []
        try parseItems("entity") { p, _ in fields.append(try p.parseField()) }
        return EntityDecl(name: name, label: label, fields: fields)
    }

    mutating func parseField() throws -> FieldDecl {
        let start = cur.range
        var isKey = false
        var isOptional = false
        while true {
            if isKeyword(.key) { isKey = true; advance(); continue }
            if isKeyword(.optional) { isOptional = true; advance(); continue }
            break
        }
        let name = try parseName(Text("字段名", "a field name"))
        try expectPunct(.colon)
        let type = try parseType()
        let label = optionalString()
        return FieldDecl(name: name, isKey: isKey, isOptional: isOptional, type: type, label: label,
                         range: start.to(SourceRange(file: fileIndex, start: prevEnd, end: prevEnd)))
    }

    mutating func parseType() throws -> TypeAST {
        let t = cur
        switch t.kind {
        case .keyword(.number):
            advance()
            return .number(try parseOptionalUnit())
        case .keyword(.integer):
            advance()
            return .integer(try parseOptionalUnit())
        case .keyword(.text):
            advance()
            if isKeyword(.one) {
                advance()
                try expectKeyword(.of)
                try expectPunct(.lparen)
                var values: [String] = []
                while true {
                    skipNewlines()
                    values.append(try parseString(Text("取值", "a value")))
                    skipNewlines()
                    if isPunct(.comma) { advance(); continue }
                    try expectPunct(.rparen)
                    break
                }
                return .text(oneOf: values)
            }
            return .text(oneOf: nil)
        case .keyword(.bool):
            advance()
            return .bool
        case .keyword(.date):
            advance()
            return .date
        case .keyword(.ref):
            advance()
            return .ref(try parseName(Text("被引用的实体", "the referenced entity")))
        default:
            throw fail(t.range, Text("这里应为字段类型（number、integer、text、bool、date 或 ref），却是 \(describe(t))",
                                     "expected a field type (number, integer, text, bool, date or ref), found \(describeEn(t))"))
        }
    }

    // MARK: rulesets

    mutating func parseFor() throws -> ForClause {
        advance()
        let entity = try parseName(Text("实体名称", "an entity name"))
        var filter: Expr?
        if isKeyword(.where) {
            advance()
            filter = try parseExpr()
        }
        return ForClause(entity: entity, filter: filter)
    }

    mutating func parseDeadline() throws -> DeadlineAST {
        advance()
        if case .date(let d) = cur.kind {
            advance()
            return .date(d)
        }
        if isKeyword(.within) {
            advance()
            guard case .number(let v, true) = cur.kind, v >= 0, v <= 100_000 else {
                throw fail(cur.range, Text("within 后应为天数（整数）", "within takes a whole number of days"))
            }
            advance()
            try expectKeyword(.days)
            return .within(days: Int(v))
        }
        throw fail(cur.range, Text("deadline 后应为日期（如 2025-06-30）或 within N days", "deadline takes a date (e.g. 2025-06-30) or within N days"))
    }

    mutating func parseLet() throws -> LetDecl {
        advance()
        let name = try parseName(Text("名称", "a name"))
        try expectPunct(.assign)
        skipNewlines()
        return LetDecl(name: name, expr: try parseExpr())
    }

    mutating func parseRuleset() throws -> RulesetDecl {
        advance()
        let id = try parseRuleCode()
        let title = optionalString() ?? id.text
        try expectPunct(.lbrace)
        var rs = RulesetDecl(id: id, title: title)
        try parseItems("ruleset") { p, t in
            switch t.kind {
            case .keyword(.version): p.advance(); rs.version = try p.parseString(Text("版本", "a version"))
            case .keyword(.source): p.advance(); rs.source = try p.parseString(Text("依据文件", "a source"))
            case .keyword(.owner): p.advance(); rs.owner = try p.parseString(Text("整改责任主体", "an owner"))
            case .keyword(.for): rs.forClause = try p.parseFor()
            case .keyword(.deadline): rs.deadline = try p.parseDeadline()
            case .keyword(.let): rs.lets.append(try p.parseLet())
            case .keyword(.rule): rs.rules.append(try p.parseRule())
            case .ident("url"): rs.url = try p.parseURL()
            default:
                throw p.fail(t.range, Text("ruleset 中不能出现 \(p.describe(t))", "unexpected \(p.describeEn(t)) in a ruleset"),
                             help: Text("可用：version source url for deadline owner let rule", "allowed: version source url for deadline owner let rule"))
            }
        }
        return rs
    }

    mutating func parseRule() throws -> RuleDecl {
        let start = cur.range
        advance()
        let code = try parseRuleCode()
        let title = optionalString() ?? code.text
        try expectPunct(.lbrace)
        var r = RuleDecl(code: code, title: title, range: start.to(code.range))
        try parseItems("rule") { p, t in try p.parseRuleItem(t, &r) }
        if r.requires.isEmpty {
            diagnostics.append(Diagnostic(.error, code.range, Text("规则 \(code.text) 没有 require", "rule \(code.text) has no require"),
                                          help: Text("每条规则至少需要一个 require", "every rule needs at least one require")))
        }
        return r
    }

    mutating func parseRuleItem(_ t: Token, _ r: inout RuleDecl) throws {
        switch t.kind {
        case .keyword(.severity):
            advance()
            r.severity = try parseLevel()
        case .keyword(.for): r.forClause = try parseFor()
        case .keyword(.when):
            advance()
            r.when = try parseExpr()
        case .keyword(.let): r.lets.append(try parseLet())
        case .keyword(.measure):
            advance()
            let name = try parseName(Text("指标名称", "a measure name"))
            var e: Expr?
            var unit: UnitExprAST?
            if isPunct(.assign) {
                advance()
                skipNewlines()
                e = try parseExpr()
            }
            if isKeyword(.in) {
                advance()
                unit = try parseUnitExpr()
            }
            r.measures.append(MeasureDecl(name: name, expr: e, unit: unit))
        case .keyword(.require):
            advance()
            let e = try parseExpr()
            var level: Level?
            var label: String?
            if isKeyword(.else) {
                advance()
                level = try parseLevel()
                label = optionalString()
            }
            r.requires.append(RequireDecl(expr: e, level: level, label: label))
        case .keyword(.adjust):
            advance()
            let name = try parseName(Text("可调整的字段或指标", "a field or measure to adjust"))
            let up: Bool
            if isKeyword(.up) { up = true } else if isKeyword(.down) { up = false } else {
                throw fail(cur.range, Text("adjust 后应为 up 或 down", "adjust takes up or down"))
            }
            advance()
            var step: Quantity?
            if isKeyword(.by) {
                advance()
                step = try parseQuantity()
            }
            r.adjusts.append(AdjustDecl(name: name, up: up, step: step, action: optionalString()))
        case .keyword(.cite): advance(); r.cite = try parseString(Text("引用条款", "a citation"))
        case .ident("url"): r.url = try parseURL()
        case .keyword(.owner): advance(); r.owner = try parseString(Text("整改责任主体", "an owner"))
        case .keyword(.deadline): r.deadline = try parseDeadline()
        case .keyword(.message):
            advance()
            r.message = try parseMessage()
        default:
            throw fail(t.range, Text("rule 中不能出现 \(describe(t))", "unexpected \(describeEn(t)) in a rule"),
                       help: Text("可用：severity for when let measure require adjust cite url message owner deadline",
                                  "allowed: severity for when let measure require adjust cite url message owner deadline"))
        }
    }

    /// `url "https://…"`. `url` is no keyword (a field may be called
    /// that); only at the start of a ruleset or rule item is it one. A URL
    /// that is not valid is reported at its offending character and parsing
    /// goes on.
    mutating func parseURL() throws -> String? {
        advance()
        let t = cur
        let text = try parseString(Text("网址", "a URL"))
        // The literal as written, between its quotes.
        var end = t.range.end
        if end > t.range.start + 1, end <= file.scalars.count, file.scalars[end - 1] == "\"" { end -= 1 }
        let lo = min(t.range.start + 1, end)
        let raw = Array(file.scalars[lo..<max(lo, min(end, file.scalars.count))])
        guard let p = URLItemCheck.problem(raw) else { return text }
        let range = p.length == raw.count && p.offset == 0
            ? t.range
            : SourceRange(file: t.range.file, start: lo + p.offset, end: lo + p.offset + p.length)
        diagnostics.append(Diagnostic(.error, range, p.message, help: p.help))
        return nil
    }

    mutating func parseLevel() throws -> Level {
        switch cur.kind {
        case .keyword(.error): advance(); return .error
        case .keyword(.warning): advance(); return .warning
        case .keyword(.info): advance(); return .info
        default:
            throw fail(cur.range, Text("这里应为级别 error、warning 或 info", "expected a level: error, warning or info"))
        }
    }

    mutating func parseMessage() throws -> MessageAST {
        guard case .string(let parts) = cur.kind else {
            throw fail(cur.range, Text("message 后应为字符串", "message takes a string"))
        }
        advance()
        var out: [MessagePart] = []
        for part in parts {
            switch part {
            case .text(let t): out.append(.text(t))
            case .interpolation(let start, let end, let decimals, _):
                var lexer = Lexer(file: file, fileIndex: fileIndex, start: start, end: end)
                var toks = lexer.tokenize()
                toks.removeAll { $0.kind == .newline }
                var sub = Parser(file: file, fileIndex: fileIndex, tokens: toks)
                sub.diagnostics = lexer.diagnostics
                if let e = try? sub.parseExpr() {
                    if sub.tokens[sub.p].kind != .eof {
                        sub.diagnostics.append(Diagnostic(.error, sub.tokens[sub.p].range, Text("插值表达式中有多余内容", "unexpected text in the interpolated expression")))
                    }
                    out.append(.expr(e, decimals: decimals))
                }
                diagnostics += sub.diagnostics
            case .openBrace(let at):
                diagnostics.append(Diagnostic(.error, SourceRange(file: fileIndex, start: at, end: at + 1),
                                              Text("插值缺少右花括号 }", "the interpolation has no closing }"),
                                              help: Text("写成 {字段名}；要显示花括号本身请写 \\{", "write {field}; for a literal brace write \\{")))
            }
        }
        return MessageAST(parts: out)
    }

    // MARK: waivers and tests

    mutating func parseWaiver() throws -> WaiverDecl {
        let start = cur.range
        advance()
        let code = try parseRuleCode()
        try expectKeyword(.for)
        let entity = try parseName(Text("实体名称", "an entity name"))
        let key = try parseString(Text("记录标识", "a record key"))
        try expectKeyword(.until)
        guard case .date(let d) = cur.kind else {
            throw fail(cur.range, Text("until 后应为日期（如 2025-06-30）", "until takes a date (e.g. 2025-06-30)"))
        }
        advance()
        try expectKeyword(.because)
        let reason = try parseString(Text("豁免理由", "a reason"))
        return WaiverDecl(code: code, entity: entity, key: key, until: d, reason: reason,
                          range: start.to(SourceRange(file: fileIndex, start: prevEnd, end: prevEnd)))
    }

    mutating func parseTest() throws -> TestDecl {
        let start = cur.range
        advance()
        let title = try parseString(Text("测试名称", "a test title"))
        try expectPunct(.lbrace)
        var test = TestDecl(title: title, givens: [], waivers: [], expects: [], range: start)
        try parseItems("test") { p, t in
            switch t.kind {
            case .keyword(.given): test.givens.append(try p.parseGiven())
            case .keyword(.expect): test.expects.append(try p.parseExpect())
            case .keyword(.waive): test.waivers.append(try p.parseWaiver())
            default:
                throw p.fail(t.range, Text("test 中不能出现 \(p.describe(t))", "unexpected \(p.describeEn(t)) in a test"),
                             help: Text("可用：given expect waive", "allowed: given expect waive"))
            }
        }
        return test
    }

    mutating func parseGiven() throws -> GivenDecl {
        let start = cur.range
        advance()
        let entity = try parseName(Text("实体名称", "an entity name"))
        try expectPunct(.lbrace)
        var values: [(Name, LiteralAST, SourceRange)] = []
        do {
            while true {
                skipNewlines()
                if isPunct(.rbrace) { advance(); break }
                if tokens[p].kind == .eof {
                    throw fail(tokens[p].range, Text("given 块没有结束的 “}”", "the given block has no closing '}'"))
                }
                let name = try parseName(Text("字段名", "a field name"))
                let vstart = cur.range
                let lit: LiteralAST
                switch cur.kind {
                case .string(let parts): advance(); lit = .string(parts.plainText)
                case .keyword(.true): advance(); lit = .bool(true)
                case .keyword(.false): advance(); lit = .bool(false)
                case .date(let d): advance(); lit = .date(d)
                case .number, .punct(.minus), .punct(.plus):
                    var sign = 1.0
                    if isPunct(.minus) { sign = -1; advance() } else if isPunct(.plus) { advance() }
                    guard case .number(let v, _) = cur.kind else {
                        throw fail(cur.range, Text("这里应为数值", "expected a number"))
                    }
                    advance()
                    // `students 2400 teachers 100`: an identifier followed by a
                    // value is the next field, not the unit of this number.
                    var unit: UnitExprAST?
                    if case .ident = tokens[p].kind, !startsValue(tokens[min(p + 1, tokens.count - 1)].kind) {
                        unit = try parseUnitExpr()
                    }
                    lit = .number(sign * v, unit: unit)
                default:
                    throw fail(cur.range, Text("字段 \(name.text) 的值应为数值、字符串、true/false 或日期", "the value of \(name.text) must be a number, string, true/false or date"))
                }
                values.append((name, lit, vstart.to(SourceRange(file: fileIndex, start: prevEnd, end: prevEnd))))
            }
        } catch {
            // Skip the rest of this given block so the test's other lines still parse.
            var depth = 0
            while tokens[p].kind != .eof {
                if tokens[p].kind == .punct(.lbrace) { depth += 1 }
                if tokens[p].kind == .punct(.rbrace) {
                    if depth == 0 { p += 1; break }
                    depth -= 1
                }
                p += 1
            }
            throw error
        }
        return GivenDecl(entity: entity, values: values.map { (name: $0.0, value: $0.1, range: $0.2) }, range: start)
    }

    func startsValue(_ k: TokenKind) -> Bool {
        switch k {
        case .number, .string, .date, .keyword(.true), .keyword(.false), .punct(.minus), .punct(.plus): return true
        default: return false
        }
    }

    mutating func parseExpect() throws -> ExpectDecl {
        let start = cur.range
        advance()
        let code = try parseRuleCode()
        let kind: ExpectKind
        switch cur.kind {
        case .ident("pass"): advance(); kind = .outcome(.pass, nil)
        case .ident("fail"):
            advance()
            var level: Level?
            if isKeyword(.error) || isKeyword(.warning) || isKeyword(.info) { level = try parseLevel() }
            kind = .outcome(.fail, level)
        case .ident("missing"): advance(); kind = .outcome(.missing, nil)
        case .ident("undefined"): advance(); kind = .outcome(.undefined, nil)
        case .ident("waived"): advance(); kind = .outcome(.waived, nil)
        case .ident("not"):
            // `not-applicable` lexes as `not - applicable`.
            throw fail(cur.range, Text("无法识别的期望", "unknown expectation"))
        case .keyword(.not):
            advance()
            guard isPunct(.minus), tokens[p + 1].kind == .ident("applicable") else {
                throw fail(cur.range, Text("应为 not-applicable", "expected not-applicable"))
            }
            p += 2
            kind = .outcome(.notApplicable, nil)
        case .keyword(.adjust):
            advance()
            let field = try parseName(Text("字段或指标", "a field or measure"))
            let q = try parseQuantity()
            kind = .adjust(field: field, delta: q.value, unit: q.unit)
        default:
            throw fail(cur.range, Text("expect 后应为 pass、fail [级别]、not-applicable、missing、undefined、waived 或 adjust 字段 ±数值",
                                       "expect takes pass, fail [level], not-applicable, missing, undefined, waived or adjust FIELD ±N"))
        }
        return ExpectDecl(code: code, kind: kind, range: start.to(SourceRange(file: fileIndex, start: prevEnd, end: prevEnd)))
    }

    // MARK: expressions

    /// Every interior node is built here, so no tree the parser returns is
    /// deeper than `maxDepth`: the checker and the engine walk trees
    /// recursively and rely on this bound.
    mutating func node(_ kind: ExprKind, _ range: SourceRange, _ children: [Expr]) throws -> Expr {
        let e = Expr(kind: kind, range: range, depth: 1 + (children.map(\.depth).max() ?? 0))
        if e.depth > Parser.maxDepth {
            throw fail(e.range, Text("表达式嵌套过深（超过 \(Parser.maxDepth) 层）", "expression nested too deeply (more than \(Parser.maxDepth) levels)"),
                       help: Text("用 let 把表达式拆成几部分", "split the expression into several lets"))
        }
        return e
    }

    public mutating func parseExpr() throws -> Expr {
        try parseOr()
    }

    mutating func binaryRHS(_ next: (inout Parser) throws -> Expr) throws -> Expr {
        // A line that ends after a binary operator continues.
        while tokens[p].kind == .newline { p += 1 }
        return try next(&self)
    }

    mutating func parseOr() throws -> Expr {
        var lhs = try parseAnd()
        while isKeyword(.or) {
            advance()
            let rhs = try binaryRHS { try $0.parseAnd() }
            lhs = try node(.binary(.or, lhs, rhs), lhs.range.to(rhs.range), [lhs, rhs])
        }
        return lhs
    }

    mutating func parseAnd() throws -> Expr {
        var lhs = try parseNot()
        while isKeyword(.and) {
            advance()
            let rhs = try binaryRHS { try $0.parseNot() }
            lhs = try node(.binary(.and, lhs, rhs), lhs.range.to(rhs.range), [lhs, rhs])
        }
        return lhs
    }

    /// Nesting of primaries now open. Every path by which the expression
    /// grammar recurses (parentheses, `if`, `match` subjects, patterns and
    /// arms, call arguments and `where`, `in (…)`, `between`) re-enters
    /// `parsePrimary`, and prefix `not` and `-` are read in loops, so this one
    /// counter bounds the recursion of the parser.
    var nesting = 0

    mutating func parseNot() throws -> Expr {
        var nots: [Token] = []
        while isKeyword(.not) {
            nots.append(cur)
            advance()
        }
        var e = try parseComparison()
        for t in nots.reversed() {
            e = try node(.unary(.not, e), t.range.to(e.range), [e])
        }
        return e
    }

    func comparisonOp(_ k: TokenKind) -> BinaryOp? {
        switch k {
        case .punct(.eq): return .eq
        case .punct(.ne): return .ne
        case .punct(.lt): return .lt
        case .punct(.le): return .le
        case .punct(.gt): return .gt
        case .punct(.ge): return .ge
        default: return nil
        }
    }

    mutating func parseComparison() throws -> Expr {
        let lhs = try parseAdditive()
        var result = lhs
        if let op = comparisonOp(cur.kind) {
            advance()
            let rhs = try binaryRHS { try $0.parseAdditive() }
            result = try node(.binary(op, lhs, rhs), lhs.range.to(rhs.range), [lhs, rhs])
        } else if isKeyword(.in), tokenAfterCurIs(.punct(.lparen)) {
            advance()
            advance()
            parenDepth += 1
            var items: [Expr] = []
            while !isPunct(.rparen) {
                items.append(try parseAdditive())
                if isPunct(.comma) { advance() } else { break }
            }
            let end = cur.range
            try expectPunct(.rparen)
            parenDepth -= 1
            result = try node(.inList(lhs, items), lhs.range.to(end), [lhs] + items)
        } else if isKeyword(.between) {
            advance()
            let lo = try parseAdditive()
            try expectKeyword(.and)
            let hi = try parseAdditive()
            result = try node(.between(lhs, lo, hi), lhs.range.to(hi.range), [lhs, lo, hi])
        } else {
            return lhs
        }
        if comparisonOp(cur.kind) != nil || isKeyword(.between) {
            throw fail(cur.range, Text("比较不能连写", "comparisons do not chain"),
                       help: Text("用 and 连接两个比较，或使用 x between a and b", "join two comparisons with and, or use x between a and b"))
        }
        return result
    }

    func tokenAfterCurIs(_ k: TokenKind) -> Bool {
        var k2 = p
        if parenDepth > 0 { while k2 < tokens.count - 1, tokens[k2].kind == .newline { k2 += 1 } }
        return k2 + 1 < tokens.count && tokens[k2 + 1].kind == k
    }

    mutating func parseAdditive() throws -> Expr {
        var lhs = try parseMultiplicative()
        while true {
            let op: BinaryOp
            if isPunct(.plus) { op = .add } else if isPunct(.minus) { op = .sub } else { break }
            advance()
            let rhs = try binaryRHS { try $0.parseMultiplicative() }
            lhs = try node(.binary(op, lhs, rhs), lhs.range.to(rhs.range), [lhs, rhs])
        }
        return lhs
    }

    mutating func parseMultiplicative() throws -> Expr {
        var lhs = try parseUnary()
        while true {
            let op: BinaryOp
            if isPunct(.star) { op = .mul } else if isPunct(.slash) { op = .div } else { break }
            advance()
            let rhs = try binaryRHS { try $0.parseUnary() }
            lhs = try node(.binary(op, lhs, rhs), lhs.range.to(rhs.range), [lhs, rhs])
        }
        return lhs
    }

    mutating func parseUnary() throws -> Expr {
        var minuses: [Token] = []
        while isPunct(.minus) {
            minuses.append(cur)
            advance()
        }
        var e = try parsePostfix()
        for t in minuses.reversed() {
            e = try node(.unary(.negate, e), t.range.to(e.range), [e])
        }
        return e
    }

    mutating func parsePostfix() throws -> Expr {
        var e = try parsePrimary()
        while isPunct(.dot) {
            advance()
            let n = try parseName(Text("字段名", "a field name"))
            e = try node(.member(e, n), e.range.to(n.range), [e])
        }
        return e
    }

    mutating func parsePrimary() throws -> Expr {
        let t = cur
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Parser.maxNesting {
            throw fail(t.range, Text("表达式嵌套过深（超过 \(Parser.maxNesting) 层）", "expression nested too deeply (more than \(Parser.maxNesting) levels)"),
                       help: Text("用 let 把表达式拆成几部分", "split the expression into several lets"))
        }
        switch t.kind {
        case .number(let v, let isInt):
            advance()
            let unit = try parseOptionalUnit()
            let range = unit.map { t.range.to($0.range) } ?? t.range
            return Expr(kind: .number(v, isInteger: isInt, unit: unit), range: range)
        case .string(let parts):
            advance()
            return Expr(kind: .string(parts.plainText), range: t.range)
        case .date(let d):
            advance()
            return Expr(kind: .date(d), range: t.range)
        case .keyword(.true):
            advance()
            return Expr(kind: .bool(true), range: t.range)
        case .keyword(.false):
            advance()
            return Expr(kind: .bool(false), range: t.range)
        case .keyword(.this):
            advance()
            return Expr(kind: .this, range: t.range)
        case .punct(.lparen):
            advance()
            parenDepth += 1
            var e = try parseExpr()
            let end = cur.range
            try expectPunct(.rparen)
            parenDepth -= 1
            e.range = t.range.to(end)
            return e
        case .keyword(.if):
            advance()
            let c = try parseExpr()
            skipNewlinesIfContinuation()
            try expectKeyword(.then)
            let a = try binaryRHS { try $0.parseExpr() }
            skipNewlinesIfContinuation()
            try expectKeyword(.else)
            let b = try binaryRHS { try $0.parseExpr() }
            return try node(.ifThen(c, a, b), t.range.to(b.range), [c, a, b])
        case .keyword(.match):
            advance()
            return try parseMatch(start: t.range)
        case .ident(let name):
            advance()
            if tokens[p].kind == .punct(.lparen) {
                return try parseCall(Name(text: name, range: t.range))
            }
            return Expr(kind: .name(name), range: t.range)
        case .keyword(.days) where tokens[min(p + 1, tokens.count - 1)].kind == .punct(.lparen):
            // `days` is a keyword for `within N days`, and a function in expressions.
            advance()
            return try parseCall(Name(text: "days", range: t.range))
        case .keyword(let k):
            throw fail(t.range, Text("关键字 “\(k.rawValue)” 不能出现在表达式的这个位置", "the keyword '\(k.rawValue)' cannot stand here in an expression"))
        default:
            throw fail(t.range, Text("这里应为表达式，却是 \(describe(t))", "expected an expression, found \(describeEn(t))"))
        }
    }

    /// `then` and `else` of an `if` may start the next line.
    mutating func skipNewlinesIfContinuation() {
        var k = p
        while tokens[k].kind == .newline { k += 1 }
        if tokens[k].kind == .keyword(.then) || tokens[k].kind == .keyword(.else) {
            // Only when `else` is not the `else LEVEL` of a require.
            if tokens[k].kind == .keyword(.else), k + 1 < tokens.count,
               [TokenKind.keyword(.error), .keyword(.warning), .keyword(.info)].contains(tokens[k + 1].kind) {
                return
            }
            p = k
        }
    }

    mutating func parseMatch(start: SourceRange) throws -> Expr {
        let subject = try parseAdditive()
        let savedParen = parenDepth
        parenDepth = 0
        defer { parenDepth = savedParen }
        try expectPunct(.lbrace)
        openMatchBraces += 1
        var arms: [MatchArm] = []
        var elseValue: Expr?
        while true {
            while tokens[p].kind == .newline || tokens[p].kind == .punct(.comma) { p += 1 }
            if tokens[p].kind == .punct(.rbrace) { p += 1; openMatchBraces -= 1; break }
            if tokens[p].kind == .eof {
                throw fail(tokens[p].range, Text("match 没有结束的 “}”", "match has no closing '}'"))
            }
            if tokens[p].kind == .keyword(.else) {
                p += 1
                try expectPunct(.arrow)
                elseValue = try binaryRHS { try $0.parseExpr() }
                continue
            }
            var patterns: [Expr] = []
            while true {
                patterns.append(try parseAdditive())
                if tokens[p].kind == .punct(.comma) { p += 1; continue }
                break
            }
            try expectPunct(.arrow)
            let v = try binaryRHS { try $0.parseExpr() }
            arms.append(MatchArm(patterns: patterns, value: v))
        }
        let end = SourceRange(file: fileIndex, start: prevEnd, end: prevEnd)
        let children = [subject] + arms.flatMap { $0.patterns + [$0.value] } + (elseValue.map { [$0] } ?? [])
        return try node(.match(subject, arms, elseValue), start.to(end), children)
    }

    mutating func parseCall(_ name: Name) throws -> Expr {
        p += 1 // (
        parenDepth += 1
        var args: [Expr] = []
        var bind: Name?
        var filter: Expr?
        // `sum(E: expr …)` binds the aggregated entity explicitly.
        if case .ident(let e) = cur.kind, tokenAfterCurIs(.punct(.colon)) {
            bind = Name(text: e, range: cur.range)
            advance()
            advance()
        }
        while !isPunct(.rparen) {
            if cur.kind == .eof { break }
            args.append(try parseExpr())
            if isKeyword(.where) {
                advance()
                filter = try parseExpr()
                break
            }
            if isPunct(.comma) { advance() } else { break }
        }
        let end = cur.range
        try expectPunct(.rparen)
        parenDepth -= 1
        let children = args + (filter.map { [$0] } ?? [])
        return try node(.call(name, args, bindEntity: bind, filter: filter), name.range.to(end), children)
    }
}

/// Parses every file of a project; all diagnostics of all files come back together.
public func parseProject(_ files: [SourceFile]) -> (asts: [RuleFileAST], diagnostics: [Diagnostic]) {
    var asts: [RuleFileAST] = []
    var diags: [Diagnostic] = []
    for (i, f) in files.enumerated() {
        var parser = Parser(file: f, fileIndex: i)
        asts.append(parser.parseFile())
        diags += parser.diagnostics
    }
    return (asts, diags)
}
