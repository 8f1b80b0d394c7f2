/// The checked program: names resolved, every expression typed. This is
/// what the data readers (schema) and the engine (plan) consume.

public enum FieldKind: Sendable, Equatable {
    case number(integer: Bool)
    case text(oneOf: [String]?)
    case bool
    case date
    case ref(entity: Int)

    /// Text and references are stored as codes into the column's dictionary.
    public var isText: Bool {
        switch self {
        case .text, .ref: return true
        case .number, .bool, .date: return false
        }
    }
}

public struct Field: Sendable {
    public var name: String
    public var label: String
    public var kind: FieldKind
    /// For numbers: the declared unit; values are stored in its base units.
    public var unit: DisplayUnit
    public var isOptional: Bool
    public var isKey: Bool
}

public struct Entity: Sendable {
    public var name: String
    public var label: String
    public var fields: [Field]
    public var keyField: Int?
    /// The field that names a record in reports (`name`, or a field labelled 名称).
    public var nameField: Int?

    public func fieldIndex(_ name: String) -> Int? { fields.firstIndex { $0.name == name } }
}

/// A value of the language. Missing and undefined are values, so every
/// operation is total and nothing in evaluation can trap.
public enum Value: Sendable, Equatable {
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
public enum UndefinedReason: String, Sendable, Equatable, CaseIterable {
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

    public var text: Text {
        switch self {
        case .divisionByZero: return Text("除以零", "division by zero")
        case .overflow: return Text("数值溢出", "numeric overflow")
        case .noMatchingArm: return Text("match 没有与该值对应的分支，也没有 else", "the match has no arm for the value and no else")
        case .infiniteValue: return Text("数据中的数值为无穷大", "a number in the data is infinite")
        case .internalError: return Text("内部错误（类型不符），请报告此问题", "internal error (mismatched types); please report it")
        }
    }
}

public struct NumType: Sendable, Hashable {
    public var unit: DisplayUnit
    public var whole: Bool
}

public indirect enum Ty: Sendable, Equatable {
    case number(NumType)
    case text
    case bool
    case date
    case ref(Int)
    /// An expression that already produced a diagnostic; never reported again.
    case poisoned

    var isNumber: Bool { if case .number = self { return true } else { return false } }
}

public enum AggregateKind: String, Sendable, CaseIterable {
    case count, sum, avg, min, max, any, all
}

public struct AggregatePlan: Sendable {
    public var kind: AggregateKind
    public var entity: Int
    /// The scope depth the aggregated record occupies.
    public var depth: Int
    public var value: TExpr?
    /// Equalities `inner.field == outer expression`, answered by a hash index
    /// built once per run instead of a scan per outer record.
    public var joins: [(field: Int, outer: TExpr)]
    /// What is left of `where` after the joins.
    public var residual: TExpr?
}

public enum CompareKind: Sendable {
    case number, text, bool, date
}

/// A typed expression with every name resolved to a place.
public indirect enum TExpr: Sendable {
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
    case aggregate(AggregatePlan)
}

public struct Local: Sendable {
    public var name: String
    public var expr: TExpr
    public var type: Ty
}

public struct CheckedMeasure: Sendable {
    public var name: String
    public var slot: Int
    public var unit: DisplayUnit
}

public struct CheckedRequire: Sendable {
    public var expr: TExpr
    public var level: Level
    public var label: String?
    public var source: String
    /// For a comparison: its two sides and the unit to show them in, so
    /// `explain` can print "24 <= 20".
    public var sides: RequireSides?
}

public struct RequireSides: Sendable {
    public var op: BinaryOp
    public var left: TExpr
    public var right: TExpr
    public var leftType: Ty
    public var rightType: Ty
}

public enum AdjustTarget: Sendable, Equatable {
    case field(Int)
    case local(Int)
}

public struct CheckedAdjust: Sendable {
    public var name: String
    public var target: AdjustTarget
    public var up: Bool
    /// In base units.
    public var step: Double
    public var unit: DisplayUnit
    public var action: String?
}

public enum CheckedMessagePart: Sendable {
    case text(String)
    case value(TExpr, Ty, decimals: Int?)
}

public enum Deadline: Sendable, Equatable {
    case date(Int)
    case within(days: Int)

    public func resolve(asOf: Int) -> Int {
        switch self {
        case .date(let d): return d
        case .within(let n): return asOf + n
        }
    }
}

public struct CheckedRule: Sendable {
    public var code: String
    public var title: String
    public var ruleset: Int
    public var entity: Int
    public var filters: [TExpr]
    public var when: TExpr?
    public var locals: [Local]
    public var measures: [CheckedMeasure]
    public var requires: [CheckedRequire]
    public var adjusts: [CheckedAdjust]
    public var cite: String?
    /// The rule's `url`, else its ruleset's.
    public var url: String?
    public var message: [CheckedMessagePart]?
    public var owner: String?
    public var deadline: Deadline?
    public var severity: Level
    public var range: SourceRange
}

public struct RulesetInfo: Sendable {
    public var id: String
    public var title: String
    public var version: String?
    public var source: String?
    public var owner: String?
    public var deadline: Deadline?
}

public struct CheckedWaiver: Sendable {
    public var rule: String
    public var entity: Int
    public var key: String
    public var until: Int
    public var reason: String
    public var range: SourceRange
}

public struct GivenRecord: Sendable {
    public var entity: Int
    /// Values in base units, by field index; absent fields are missing.
    public var values: [Int: Value]
    public var range: SourceRange
}

public enum CheckedExpectation: Sendable {
    case outcome(ExpectedOutcome, Level?)
    /// Delta in base units of the adjusted name.
    case adjust(name: String, delta: Double, unit: DisplayUnit)
}

public struct CheckedExpect: Sendable {
    public var rule: String
    public var kind: CheckedExpectation
    public var range: SourceRange
}

public struct CheckedTest: Sendable {
    public var title: String
    public var givens: [GivenRecord]
    public var waivers: [CheckedWaiver]
    public var expects: [CheckedExpect]
    public var range: SourceRange
}

public struct Program: Sendable {
    public var files: [SourceFile]
    public var units: UnitTable
    public var entities: [Entity]
    public var rulesets: [RulesetInfo]
    public var rules: [CheckedRule]
    public var waivers: [CheckedWaiver]
    public var tests: [CheckedTest]

    public func entityIndex(_ name: String) -> Int? { entities.firstIndex { $0.name == name } }
    public func ruleIndex(_ code: String) -> Int? { rules.firstIndex { $0.code == code } }
}
