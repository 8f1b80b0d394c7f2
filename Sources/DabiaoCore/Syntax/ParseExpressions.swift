/// Expressions, by precedence: or, and, not, comparisons, sums, products, unary, postfix, primaries; `match` and calls.
extension Parser {
    /// Every interior node is built here, so no tree the parser returns is
    /// deeper than `maxDepth`: the checker and the engine walk trees
    /// recursively and rely on this bound.
    mutating func node(_ kind: ExprKind, _ range: SourceRange, _ children: [Expr]) throws -> Expr {
        let e = Expr(kind: kind, range: range, depth: 1 + (children.map(\.depth).max() ?? 0))
        if e.depth > Parser.maxDepth {
            throw fail(.nestedTooDeeply(Parser.maxDepth, at: e.range))
        }
        return e
    }

    mutating func parseExpr() throws -> Expr {
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
            throw fail(.chainedComparison(at: cur.range))
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
            let n = try parseName(Words.fieldName)
            e = try node(.member(e, n), e.range.to(n.range), [e])
        }
        return e
    }

    mutating func parsePrimary() throws -> Expr {
        let t = cur
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Parser.maxNesting {
            throw fail(.nestedTooDeeply(Parser.maxNesting, at: t.range))
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
            throw fail(.keywordInExpression(k.rawValue, at: t.range))
        default:
            throw fail(.expected(Words.expression, found: found(t), at: t.range))
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
                throw fail(.unclosedBlock("match", at: tokens[p].range))
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
