/// `waive` declarations and `test` blocks with their givens and expectations.
extension Parser {
    mutating func parseWaiver() throws -> WaiverDecl {
        let start = cur.range
        advance()
        let code = try parseRuleCode()
        try expectKeyword(.for)
        let entity = try parseName(Words.entityName)
        let key = try parseString(Words.recordKey)
        try expectKeyword(.until)
        guard case .date(let d) = cur.kind else {
            throw fail(.untilTakesDate(at: cur.range))
        }
        advance()
        try expectKeyword(.because)
        let reason = try parseString(Words.reason)
        return WaiverDecl(code: code, entity: entity, key: key, until: d, reason: reason,
                          range: start.to(SourceRange(file: fileIndex, start: prevEnd, end: prevEnd)))
    }

    mutating func parseTest() throws -> TestDecl {
        let start = cur.range
        advance()
        let title = try parseString(Words.testTitle)
        try expectPunct(.lbrace)
        var test = TestDecl(title: title, givens: [], waivers: [], expects: [], range: start)
        try parseItems("test") { p, t in
            switch t.kind {
            case .keyword(.given): test.givens.append(try p.parseGiven())
            case .keyword(.expect): test.expects.append(try p.parseExpect())
            case .keyword(.waive): test.waivers.append(try p.parseWaiver())
            default:
                throw p.fail(.unexpectedItem(p.found(t), in: "test", allowed: Words.allowedInTest, at: t.range))
            }
        }
        return test
    }

    mutating func parseGiven() throws -> GivenDecl {
        let start = cur.range
        advance()
        let entity = try parseName(Words.entityName)
        try expectPunct(.lbrace)
        var values: [(Name, LiteralAST, SourceRange)] = []
        do {
            while true {
                skipNewlines()
                if isPunct(.rbrace) { advance(); break }
                if tokens[p].kind == .eof {
                    throw fail(.unclosedBlock("given", at: tokens[p].range))
                }
                let name = try parseName(Words.fieldName)
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
                        throw fail(.expected(Words.number, found: found(cur), at: cur.range))
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
                    throw fail(.givenValue(name.text, at: cur.range))
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
        case .keyword(.not):
            // `not-applicable` lexes as `not - applicable`.
            advance()
            guard isPunct(.minus), tokens[p + 1].kind == .ident("applicable") else {
                throw fail(.expectedNotApplicable(at: cur.range))
            }
            p += 2
            kind = .outcome(.notApplicable, nil)
        case .keyword(.adjust):
            advance()
            let field = try parseName(Words.fieldOrMeasure)
            let q = try parseQuantity()
            kind = .adjust(field: field, delta: q.value, unit: q.unit)
        default:
            throw fail(.expectTakes(at: cur.range))
        }
        return ExpectDecl(code: code, kind: kind, range: start.to(SourceRange(file: fileIndex, start: prevEnd, end: prevEnd)))
    }
}
