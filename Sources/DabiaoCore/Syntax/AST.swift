/// The syntax tree of a rule file, as written: nothing here is resolved.
public struct Name: Sendable, Hashable {
    public var text: String
    public var range: SourceRange
}

/// `平方米/人`, `小时/周`, `元^2` — factors with signed exponents.
public struct UnitFactor: Sendable, Hashable {
    public var name: Name
    public var exponent: Int
}

public struct UnitExprAST: Sendable, Hashable {
    public var factors: [UnitFactor]
    public var range: SourceRange
}

public enum UnaryOp: String, Sendable { case negate = "-", not }

public enum BinaryOp: String, Sendable {
    case or, and
    case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">="
    case add = "+", sub = "-", mul = "*", div = "/"

    var isComparison: Bool {
        switch self {
        case .eq, .ne, .lt, .le, .gt, .ge: return true
        case .or, .and, .add, .sub, .mul, .div: return false
        }
    }
}

public struct MatchArm: Sendable {
    public var patterns: [Expr]
    public var value: Expr
}

public indirect enum ExprKind: Sendable {
    case number(Double, isInteger: Bool, unit: UnitExprAST?)
    case string(String)
    case bool(Bool)
    case date(Int)
    case name(String)
    case this
    case member(Expr, Name)
    case unary(UnaryOp, Expr)
    case binary(BinaryOp, Expr, Expr)
    case between(Expr, Expr, Expr)
    case inList(Expr, [Expr])
    case ifThen(Expr, Expr, Expr)
    case match(Expr, [MatchArm], Expr?)
    /// A call, or an aggregate: `sum(E: expr where c)` has `bindEntity` E;
    /// the checker decides which it is, since it knows the entity names.
    case call(Name, [Expr], bindEntity: Name?, filter: Expr?)
    /// Stands where a parse error was reported, so checking can go on.
    case invalid
}

public struct Expr: Sendable {
    public var kind: ExprKind
    public var range: SourceRange
    /// Nesting depth of the tree below, kept so that hostile input (a chain
    /// of 100 000 `+`) is refused by the parser instead of overflowing the
    /// stack of every later recursive pass.
    public var depth: Int = 1
}

public enum TypeAST: Sendable {
    case number(UnitExprAST?)
    case integer(UnitExprAST?)
    case text(oneOf: [String]?)
    case bool
    case date
    case ref(Name)
}

public struct UnitDecl: Sendable {
    public var name: Name
    public var aliases: [Name]
    public var definition: (value: Double, unit: UnitExprAST?)?
    public var range: SourceRange
}

public struct FieldDecl: Sendable {
    public var name: Name
    public var isKey: Bool
    public var isOptional: Bool
    public var type: TypeAST
    public var label: String?
    public var range: SourceRange
}

public struct EntityDecl: Sendable {
    public var name: Name
    public var label: String?
    public var fields: [FieldDecl]
}

public struct ForClause: Sendable {
    public var entity: Name
    public var filter: Expr?
}

public enum DeadlineAST: Sendable, Equatable {
    case date(Int)
    case within(days: Int)
}

public enum Level: String, Sendable, Comparable, CaseIterable {
    case info, warning, error
    var rank: Int {
        switch self {
        case .info: return 0
        case .warning: return 1
        case .error: return 2
        }
    }
    public static func < (a: Level, b: Level) -> Bool { a.rank < b.rank }
}

public struct LetDecl: Sendable {
    public var name: Name
    public var expr: Expr
}

public struct MeasureDecl: Sendable {
    public var name: Name
    public var expr: Expr?
    public var unit: UnitExprAST?
}

public struct RequireDecl: Sendable {
    public var expr: Expr
    public var level: Level?
    public var label: String?
}

public struct Quantity: Sendable {
    public var value: Double
    public var isInteger: Bool
    public var unit: UnitExprAST?
    public var range: SourceRange
}

public struct AdjustDecl: Sendable {
    public var name: Name
    public var up: Bool
    public var step: Quantity?
    public var action: String?
}

public struct MessageAST: Sendable {
    public var parts: [MessagePart]
}

public enum MessagePart: Sendable {
    case text(String)
    case expr(Expr, decimals: Int?)
}

public struct RuleDecl: Sendable {
    public var code: Name
    public var title: String
    public var severity: Level?
    public var forClause: ForClause?
    public var when: Expr?
    public var lets: [LetDecl] = []
    public var measures: [MeasureDecl] = []
    public var requires: [RequireDecl] = []
    public var adjusts: [AdjustDecl] = []
    public var cite: String?
    /// A page about the rule (SARIF `helpUri`); overrides the ruleset's.
    public var url: String?
    public var message: MessageAST?
    public var owner: String?
    public var deadline: DeadlineAST?
    public var range: SourceRange
}

public struct RulesetDecl: Sendable {
    public var id: Name
    public var title: String
    public var version: String?
    public var source: String?
    /// A page about the ruleset, for its rules that give none.
    public var url: String?
    public var forClause: ForClause?
    public var deadline: DeadlineAST?
    public var owner: String?
    public var lets: [LetDecl] = []
    public var rules: [RuleDecl] = []
}

public struct WaiverDecl: Sendable {
    public var code: Name
    public var entity: Name
    public var key: String
    public var until: Int
    public var reason: String
    public var range: SourceRange
}

public enum LiteralAST: Sendable {
    case number(Double, unit: UnitExprAST?)
    case string(String)
    case bool(Bool)
    case date(Int)
}

public struct GivenDecl: Sendable {
    public var entity: Name
    public var values: [(name: Name, value: LiteralAST, range: SourceRange)]
    public var range: SourceRange
}

public enum ExpectedOutcome: String, Sendable {
    case pass, fail, notApplicable = "not-applicable", missing, undefined, waived
}

public enum ExpectKind: Sendable {
    case outcome(ExpectedOutcome, Level?)
    case adjust(field: Name, delta: Double, unit: UnitExprAST?)
}

public struct ExpectDecl: Sendable {
    public var code: Name
    public var kind: ExpectKind
    public var range: SourceRange
}

public struct TestDecl: Sendable {
    public var title: String
    public var givens: [GivenDecl]
    public var waivers: [WaiverDecl]
    public var expects: [ExpectDecl]
    public var range: SourceRange
}

public enum Declaration: Sendable {
    case unit(UnitDecl)
    case entity(EntityDecl)
    case ruleset(RulesetDecl)
    case waiver(WaiverDecl)
    case test(TestDecl)
}

public struct RuleFileAST: Sendable {
    public var fileIndex: Int
    public var declarations: [Declaration]
}
