enum Keyword: String, Sendable, CaseIterable {
    case unit, alias, entity, key, optional, ruleset, rule, `let`, measure, require, adjust, when, `for`, `where`
    case `else`, severity, cite, message, owner, deadline, within, days, version, source, waive, until, because
    case test, given, expect, and, or, not, `in`, between, match, `if`, then, `true`, `false`, up, down, by
    case one, of, integer, this, number, text, bool, date, ref, error, warning, info
}

enum Punct: String, Sendable {
    case lparen = "(", rparen = ")", lbracket = "[", rbracket = "]", lbrace = "{", rbrace = "}"
    case comma = ",", dot = ".", colon = ":", arrow = "=>", assign = "=", eq = "==", ne = "!="
    case lt = "<", le = "<=", gt = ">", ge = ">=", plus = "+", minus = "-", star = "*", slash = "/", caret = "^"
}

/// A piece of a string literal: literal text, or an interpolated expression
/// whose source lies at `start..<end` in the file (only `message` strings
/// interpret these; elsewhere they are shown as written).
enum StringPart: Sendable, Equatable {
    case text(String)
    case interpolation(start: Int, end: Int, decimals: Int?, raw: String)
    /// A `{` with no `}` after it on its line.
    case openBrace(at: Int)
}

enum TokenKind: Sendable, Equatable {
    case ident(String)
    case keyword(Keyword)
    /// `percent` literals are already divided by 100.
    case number(Double, isInteger: Bool)
    case string([StringPart])
    case date(Int)
    case punct(Punct)
    case newline
    case eof
}

struct Token: Sendable {
    var kind: TokenKind
    var range: SourceRange
}

extension [StringPart] {
    /// The literal as its author wrote it, for strings that do not interpolate.
    var plainText: String {
        map { part -> String in
            switch part {
            case .text(let t): return t
            case .interpolation(_, _, _, let raw): return "{" + raw + "}"
            case .openBrace: return "{"
            }
        }.joined()
    }
}
