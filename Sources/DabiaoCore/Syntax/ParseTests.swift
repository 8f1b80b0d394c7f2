/// `waive` declarations and `test` blocks with their givens and expectations.
extension Parser {
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
}
