/// The checked program: names resolved, every expression typed. This is
/// what the data readers (schema) and the engine (plan) consume.

enum FieldKind: Sendable, Equatable {
    case number(integer: Bool)
    case text(oneOf: [String]?)
    case bool
    case date
    case ref(entity: Int)

    /// Text and references are stored as codes into the column's dictionary.
    var isText: Bool {
        switch self {
        case .text, .ref: return true
        case .number, .bool, .date: return false
        }
    }
}

struct Field: Sendable {
    var name: String
    var label: String
    var kind: FieldKind
    /// For numbers: the declared unit; values are stored in its base units.
    var unit: DisplayUnit
    var isOptional: Bool
    var isKey: Bool
}

struct Entity: Sendable {
    var name: String
    var label: String
    var fields: [Field]
    var keyField: Int?
    /// The field that names a record in reports (`name`, or a field labelled 名称).
    var nameField: Int?
    /// The field that places a record in a region (市州): `display region`.
    var regionField: Int? = nil

    func fieldIndex(_ name: String) -> Int? { fields.firstIndex { $0.name == name } }
}

/// A value of the language. Missing and undefined are values, so every
/// operation is total and nothing in evaluation can trap.
enum Value: Sendable, Equatable {
    case number(Double)
    case text(String)
    case bool(Bool)
    case date(Int)
    /// The fields whose absence made this value unknown.
    case missing([String])
    /// No value can be computed, and why.
    case undefined(UndefinedReason)
}

/// Why a value is undefined: reports and `explain` name the cause instead of
/// guessing "division by zero" for all of them.
enum UndefinedReason: String, Sendable, Equatable, CaseIterable {
    /// A divisor was zero.
    case divisionByZero
    /// A computed value left the range of a Double (±∞ or NaN).
    case overflow
    /// A `match` has no arm for the value and no `else`.
    case noMatchingArm
    /// A data cell holds an infinite number.
    case infiniteValue
    /// A combination the type checker rules out; seen only through a bug.
    case internalError

    var text: Bilingual {
        switch self {
        case .divisionByZero: return Bilingual("除以零", "division by zero")
        case .overflow: return Bilingual("数值溢出", "numeric overflow")
        case .noMatchingArm: return Bilingual("match 没有与该值对应的分支，也没有 else", "the match has no arm for the value and no else")
        case .infiniteValue: return Bilingual("数据中的数值为无穷大", "a number in the data is infinite")
        case .internalError: return Bilingual("内部错误（类型不符），请报告此问题", "internal error (mismatched types); please report it")
        }
    }
}

struct NumType: Sendable, Hashable {
    var unit: DisplayUnit
    var whole: Bool
}

indirect enum Ty: Sendable, Equatable {
    case number(NumType)
    case text
    case bool
    case date
    case ref(Int)
    /// An expression that already produced a diagnostic; never reported again.
    case poisoned

    var isNumber: Bool { if case .number = self { return true } else { return false } }
}

enum AggregateKind: String, Sendable, CaseIterable {
    case count, sum, avg, min, max, any, all
}

/// An aggregate as the rules say it: which records (of `entity`, at scope
/// `depth`), what value, and the checked `where`. How it is answered, which
/// equalities become hash joins, is the engine's plan (`AggregatePlan`).
struct Aggregate: Sendable {
    var kind: AggregateKind
    var entity: Int
    /// The scope depth the aggregated record occupies.
    var depth: Int
    var value: TExpr?
    var filter: TExpr?
}

enum CompareKind: Sendable {
    case number, text, bool, date
}

/// A typed expression with every name resolved to a place.
indirect enum TExpr: Sendable {
    case constant(Value)
    case field(depth: Int, entity: Int, field: Int)
    case prevField(depth: Int, entity: Int, field: Int)
    case refField(TExpr, entity: Int, field: Int)
    case local(slot: Int)
    case negate(TExpr)
    case not(TExpr)
    case arith(BinaryOp, TExpr, TExpr)
    case compare(BinaryOp, TExpr, TExpr, CompareKind)
    case logic(BinaryOp, TExpr, TExpr)
    case between(TExpr, TExpr, TExpr, CompareKind)
    case inList(TExpr, [TExpr], CompareKind)
    case ifThen(TExpr, TExpr, TExpr)
    case match(TExpr, [(patterns: [TExpr], value: TExpr)], TExpr?, CompareKind)
    /// `scale` is the display scale of the argument, for rounding in the unit the author sees.
    case call(Builtin, [TExpr], scale: Double)
    case aggregate(Aggregate)
}

struct Local: Sendable {
    var name: String
    var expr: TExpr
    var type: Ty
}

struct CheckedMeasure: Sendable {
    var name: String
    var slot: Int
    var unit: DisplayUnit
}

struct CheckedRequire: Sendable {
    var expr: TExpr
    var level: Level
    var label: String?
    var source: String
    /// For a comparison: its two sides and the unit to show them in, so
    /// `explain` can print "24 <= 20".
    var sides: RequireSides?
}

struct RequireSides: Sendable {
    var op: BinaryOp
    var left: TExpr
    var right: TExpr
    var leftType: Ty
    var rightType: Ty
}

enum AdjustTarget: Sendable, Equatable {
    case field(Int)
    case local(Int)
}

struct CheckedAdjust: Sendable {
    var name: String
    var target: AdjustTarget
    var up: Bool
    /// In base units.
    var step: Double
    var unit: DisplayUnit
    var action: String?
}

enum CheckedMessagePart: Sendable {
    case text(String)
    case value(TExpr, Ty, decimals: Int?)
}

enum Deadline: Sendable, Equatable {
    case date(Int)
    case within(days: Int)

    func resolve(asOf: Int) -> Int {
        switch self {
        case .date(let d): return d
        case .within(let n): return asOf + n
        }
    }
}

struct CheckedRule: Sendable {
    var code: String
    var title: String
    var ruleset: Int
    var entity: Int
    var filters: [TExpr]
    var when: TExpr?
    var locals: [Local]
    var measures: [CheckedMeasure]
    var requires: [CheckedRequire]
    var adjusts: [CheckedAdjust]
    var cite: String?
    /// The rule's `url`, else its ruleset's.
    var url: String?
    var message: [CheckedMessagePart]?
    var owner: String?
    var deadline: Deadline?
    var severity: Level
    var range: SourceRange
}

struct RulesetInfo: Sendable {
    var id: String
    var title: String
    var version: String?
    var source: String?
    var owner: String?
    var deadline: Deadline?
}

struct CheckedWaiver: Sendable {
    var rule: String
    var entity: Int
    var key: String
    var until: Int
    var reason: String
    var range: SourceRange
}

struct GivenRecord: Sendable {
    var entity: Int
    /// Values in base units, by field index; absent fields are missing.
    var values: [Int: Value]
    var range: SourceRange
}

enum CheckedExpectation: Sendable {
    case outcome(ExpectedOutcome, Level?)
    /// Delta in base units of the adjusted name.
    case adjust(name: String, delta: Double, unit: DisplayUnit)
}

struct CheckedExpect: Sendable {
    var rule: String
    var kind: CheckedExpectation
    var range: SourceRange
}

struct CheckedTest: Sendable {
    var title: String
    var givens: [GivenRecord]
    var waivers: [CheckedWaiver]
    var expects: [CheckedExpect]
    var range: SourceRange
}

public struct Program: Sendable {
    var files: [SourceFile]
    var units: UnitTable
    var entities: [Entity]
    var rulesets: [RulesetInfo]
    var rules: [CheckedRule]
    var waivers: [CheckedWaiver]
    var tests: [CheckedTest]

    func entityIndex(_ name: String) -> Int? { entities.firstIndex { $0.name == name } }
    func ruleIndex(_ code: String) -> Int? { rules.firstIndex { $0.code == code } }
}
