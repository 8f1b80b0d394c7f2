/// The syntax tree of a rule file, as written: nothing here is resolved.
struct Name: Sendable, Hashable {
    var text: String
    var range: SourceRange
}

/// `平方米/人`, `小时/周`, `元^2` — factors with signed exponents.
struct UnitFactor: Sendable, Hashable {
    var name: Name
    var exponent: Int
}

struct UnitExprAST: Sendable, Hashable {
    var factors: [UnitFactor]
    var range: SourceRange
}

enum UnaryOp: String, Sendable { case negate = "-", not }

enum BinaryOp: String, Sendable {
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

struct MatchArm: Sendable {
    var patterns: [Expr]
    var value: Expr
}

indirect enum ExprKind: Sendable {
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

struct Expr: Sendable {
    var kind: ExprKind
    var range: SourceRange
    /// Nesting depth of the tree below, kept so that hostile input (a chain
    /// of 100 000 `+`) is refused by the parser instead of overflowing the
    /// stack of every later recursive pass.
    var depth: Int = 1
}

enum TypeAST: Sendable {
    case number(UnitExprAST?)
    case integer(UnitExprAST?)
    case text(oneOf: [String]?)
    case bool
    case date
    case ref(Name)
}

struct UnitDecl: Sendable {
    var name: Name
    var aliases: [Name]
    var definition: (value: Double, unit: UnitExprAST?)?
    var range: SourceRange
}

struct FieldDecl: Sendable {
    var name: Name
    var isKey: Bool
    var isOptional: Bool
    var type: TypeAST
    var label: String?
    var range: SourceRange
}

struct EntityDecl: Sendable {
    var name: Name
    var label: String?
    var fields: [FieldDecl]
    var display: [DisplayDecl] = []
}

/// What a report shows beside a record's key: `display name FIELD` (the
/// record's name) and `display region FIELD` (its 市州, for the per-region
/// summary and the 整改清单's totals).
enum DisplayRole: String, Sendable, CaseIterable {
    case name, region
}

/// `display ROLE FIELD` inside an entity.
struct DisplayDecl: Sendable {
    var role: DisplayRole
    var field: Name
    var range: SourceRange
}

struct ForClause: Sendable {
    var entity: Name
    var filter: Expr?
}

enum DeadlineAST: Sendable, Equatable {
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

struct LetDecl: Sendable {
    var name: Name
    var expr: Expr
}

struct MeasureDecl: Sendable {
    var name: Name
    var expr: Expr?
    var unit: UnitExprAST?
}

struct RequireDecl: Sendable {
    var expr: Expr
    var level: Level?
    var label: String?
}

struct Quantity: Sendable {
    var value: Double
    var isInteger: Bool
    var unit: UnitExprAST?
    var range: SourceRange
}

struct AdjustDecl: Sendable {
    var name: Name
    var up: Bool
    var step: Quantity?
    var action: String?
}

struct MessageAST: Sendable {
    var parts: [MessagePart]
}

enum MessagePart: Sendable {
    case text(String)
    case expr(Expr, decimals: Int?)
}

struct RuleDecl: Sendable {
    var code: Name
    var title: String
    var severity: Level?
    var forClause: ForClause?
    var when: Expr?
    var lets: [LetDecl] = []
    var measures: [MeasureDecl] = []
    var requires: [RequireDecl] = []
    var adjusts: [AdjustDecl] = []
    var cite: String?
    /// A page about the rule (SARIF `helpUri`); overrides the ruleset's.
    var url: String?
    var message: MessageAST?
    var owner: String?
    var deadline: DeadlineAST?
    var range: SourceRange
}

struct RulesetDecl: Sendable {
    var id: Name
    var title: String
    var version: String?
    var source: String?
    /// A page about the ruleset, for its rules that give none.
    var url: String?
    var forClause: ForClause?
    var deadline: DeadlineAST?
    var owner: String?
    var lets: [LetDecl] = []
    var rules: [RuleDecl] = []
}

struct WaiverDecl: Sendable {
    var code: Name
    var entity: Name
    var key: String
    var until: Int
    var reason: String
    var range: SourceRange
}

enum LiteralAST: Sendable {
    case number(Double, unit: UnitExprAST?)
    case string(String)
    case bool(Bool)
    case date(Int)
}

struct GivenDecl: Sendable {
    var entity: Name
    var values: [(name: Name, value: LiteralAST, range: SourceRange)]
    var range: SourceRange
}

enum ExpectedOutcome: String, Sendable {
    case pass, fail, notApplicable = "not-applicable", missing, undefined, waived
}

enum ExpectKind: Sendable {
    case outcome(ExpectedOutcome, Level?)
    case adjust(field: Name, delta: Double, unit: UnitExprAST?)
}

struct ExpectDecl: Sendable {
    var code: Name
    var kind: ExpectKind
    var range: SourceRange
}

struct TestDecl: Sendable {
    var title: String
    var givens: [GivenDecl]
    var waivers: [WaiverDecl]
    var expects: [ExpectDecl]
    var range: SourceRange
}

enum Declaration: Sendable {
    case unit(UnitDecl)
    case entity(EntityDecl)
    case ruleset(RulesetDecl)
    case waiver(WaiverDecl)
    case test(TestDecl)
}

struct RuleFileAST: Sendable {
    var fileIndex: Int
    var declarations: [Declaration]
}
