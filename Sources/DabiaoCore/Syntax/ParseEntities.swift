/// `entity` declarations: fields and their types.
extension Parser {
    mutating func parseEntity() throws -> EntityDecl {
        advance()
        let name = try parseName(Words.entityName)
        let label = optionalString()
        try expectPunct(.lbrace)
        var fields: [FieldDecl] = []
        var display: [DisplayDecl] = []
        try parseItems("entity") { p, t in
            // `display` is a word only here, and only before another word: a field may still be called display.
            if case .ident("display") = t.kind, p.p + 1 < p.tokens.count, case .ident = p.tokens[p.p + 1].kind {
                display.append(try p.parseDisplay())
            } else {
                fields.append(try p.parseField())
            }
        }
        return EntityDecl(name: name, label: label, fields: fields, display: display)
    }

    /// `display name FIELD` or `display region FIELD`.
    mutating func parseDisplay() throws -> DisplayDecl {
        let start = cur.range
        advance()
        let roleToken = cur
        let roleName = try parseName(Bilingual("name 或 region", "name or region"))
        guard let role = DisplayRole(rawValue: roleName.text) else {
            throw fail(.expected(Bilingual("name 或 region", "name or region"), found: found(roleToken), at: roleToken.range))
        }
        let field = try parseName(Bilingual("字段名", "a field name"))
        return DisplayDecl(role: role, field: field, range: start.to(field.range))
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
        let name = try parseName(Words.fieldName)
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
                    values.append(try parseString(Words.value))
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
            return .ref(try parseName(Words.referencedEntity))
        default:
            throw fail(.expected(Words.fieldType, found: found(t), at: t.range))
        }
    }
}
