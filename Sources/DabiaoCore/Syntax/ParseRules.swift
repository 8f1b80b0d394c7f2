/// Rulesets and rules: `for`, `let`, deadlines, and the items of a rule body.
extension Parser {
    mutating func parseFor() throws -> ForClause {
        advance()
        let entity = try parseName(Words.entityName)
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
                throw fail(.withinTakesDays(at: cur.range))
            }
            advance()
            try expectKeyword(.days)
            return .within(days: Int(v))
        }
        throw fail(.deadlineTakesDate(at: cur.range))
    }

    mutating func parseLet() throws -> LetDecl {
        advance()
        let name = try parseName(Words.name)
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
            case .keyword(.version): p.advance(); rs.version = try p.parseString(Words.version)
            case .keyword(.source): p.advance(); rs.source = try p.parseString(Words.source)
            case .keyword(.owner): p.advance(); rs.owner = try p.parseString(Words.owner)
            case .keyword(.for): rs.forClause = try p.parseFor()
            case .keyword(.deadline): rs.deadline = try p.parseDeadline()
            case .keyword(.let): rs.lets.append(try p.parseLet())
            case .keyword(.rule): rs.rules.append(try p.parseRule())
            case .ident("url"): rs.url = try p.parseURL()
            default:
                throw p.fail(.unexpectedItem(p.found(t), in: "ruleset", allowed: Words.allowedInRuleset, at: t.range))
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
            diagnostics.append(.ruleWithoutRequire(code.text, at: code.range))
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
            let name = try parseName(Words.measureName)
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
            let name = try parseName(Words.adjustTarget)
            let up: Bool
            if isKeyword(.up) { up = true } else if isKeyword(.down) { up = false } else {
                throw fail(.adjustTakesDirection(at: cur.range))
            }
            advance()
            var step: Quantity?
            if isKeyword(.by) {
                advance()
                step = try parseQuantity()
            }
            r.adjusts.append(AdjustDecl(name: name, up: up, step: step, action: optionalString()))
        case .keyword(.cite): advance(); r.cite = try parseString(Words.citation)
        case .ident("url"): r.url = try parseURL()
        case .keyword(.owner): advance(); r.owner = try parseString(Words.owner)
        case .keyword(.deadline): r.deadline = try parseDeadline()
        case .keyword(.message):
            advance()
            r.message = try parseMessage()
        default:
            throw fail(.unexpectedItem(found(t), in: "rule", allowed: Words.allowedInRule, at: t.range))
        }
    }

    /// `url "https://…"`. `url` is no keyword (a field may be called
    /// that); only at the start of a ruleset or rule item is it one. A URL
    /// that is not valid is reported at its offending character and parsing
    /// goes on.
    mutating func parseURL() throws -> String? {
        advance()
        let t = cur
        let text = try parseString(Words.url)
        // The literal as written, between its quotes.
        var end = t.range.end
        if end > t.range.start + 1, end <= file.scalars.count, file.scalars[end - 1] == "\"" { end -= 1 }
        let lo = min(t.range.start + 1, end)
        let raw = Array(file.scalars[lo..<max(lo, min(end, file.scalars.count))])
        guard let p = URLItemCheck.problem(raw) else { return text }
        let range = p.length == raw.count && p.offset == 0
            ? t.range
            : SourceRange(file: t.range.file, start: lo + p.offset, end: lo + p.offset + p.length)
        diagnostics.append(.url(p.kind, at: range))
        return nil
    }

    mutating func parseLevel() throws -> Level {
        switch cur.kind {
        case .keyword(.error): advance(); return .error
        case .keyword(.warning): advance(); return .warning
        case .keyword(.info): advance(); return .info
        default:
            throw fail(.expectedLevel(at: cur.range))
        }
    }

    mutating func parseMessage() throws -> MessageAST {
        guard case .string(let parts) = cur.kind else {
            throw fail(.messageTakesString(at: cur.range))
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
                        sub.diagnostics.append(.interpolationTrailingText(at: sub.tokens[sub.p].range))
                    }
                    out.append(.expr(e, decimals: decimals))
                }
                diagnostics += sub.diagnostics
            case .openBrace(let at):
                diagnostics.append(.unclosedInterpolation(at: SourceRange(file: fileIndex, start: at, end: at + 1)))
            }
        }
        return MessageAST(parts: out)
    }
}
