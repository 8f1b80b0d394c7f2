import Foundation

/// The part of the IR document (docs/ir.md) the SQL compiler reads, decoded
/// from the JSON text `IR.render` writes. The compiler reads the IR, not the
/// checked `Program`, so SQL sees exactly what every other back end sees; a
/// member the SQL does not need (sources, adjusts, tests) is not decoded.
struct SQLModel {
    /// `scale`: the factor from the field's declared unit, in which the
    /// exported table holds it, to base units, in which the IR computes.
    struct Field { var name: String; var kind: String; var scale: Double }
    struct Entity { var name: String; var keyField: Int?; var fields: [Field] }
    struct Local { var slot: Int; var type: String; var expr: Expr }
    struct Measure { var name: String; var slot: Int; var scale: Double }
    struct Require { var level: String; var expr: Expr }
    struct Rule {
        var code: String
        var ruleset: String
        var entity: Int
        var filters: [Expr]
        var when: Expr?
        var locals: [Local]
        var measures: [Measure]
        var requires: [Require]
    }
    struct Waiver { var rule: String; var entity: Int; var key: String; var until: String }
    struct Join { var field: Int; var outer: Expr }
    struct Arm { var patterns: [Expr]; var value: Expr }

    enum Value {
        case number(Double), text(String), bool(Bool), date(String)
        /// The checker folds no unknown constant today (ir.md); kept so any
        /// IR value has a translation.
        case missing, undefined
    }

    indirect enum Expr {
        case constant(Value)
        case field(depth: Int, entity: Int, field: Int)
        case prevField(depth: Int, entity: Int, field: Int)
        case refField(base: Expr, entity: Int, field: Int)
        case local(slot: Int)
        case negate(Expr)
        case not(Expr)
        case arith(op: String, Expr, Expr)
        case compare(op: String, kind: String, Expr, Expr)
        case logic(op: String, Expr, Expr)
        case between(kind: String, value: Expr, low: Expr, high: Expr)
        case inList(kind: String, value: Expr, items: [Expr])
        case ifThen(Expr, Expr, Expr)
        case match(kind: String, subject: Expr, arms: [Arm], otherwise: Expr?)
        case call(function: String, args: [Expr], scale: Double)
        case aggregate(kind: String, entity: Int, depth: Int, value: Expr?, joins: [Join], where: Expr?)
    }

    var entities: [Entity]
    var rules: [Rule]
    var waivers: [Waiver]

    /// The IR version this reader knows; another is refused by name (ir.md, Versioning).
    static let irVersion = 1

    struct DecodeError: Error, CustomStringConvertible {
        var description: String
    }

    init(json text: String) throws {
        let any = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        let doc = try Self.object(any, "document")
        let version = try Self.int(doc["irVersion"], "irVersion")
        guard version == Self.irVersion else {
            throw DecodeError(description: "irVersion \(version) is not the version this SQL compiler reads (\(Self.irVersion))")
        }
        entities = try Self.array(doc["entities"], "entities").map { e in
            let o = try Self.object(e, "entity")
            return Entity(name: try Self.string(o["name"], "entity.name"),
                          keyField: try Self.optionalInt(o["keyField"], "entity.keyField"),
                          fields: try Self.array(o["fields"], "fields").map { f in
                              let fo = try Self.object(f, "field")
                              var scale = 1.0
                              if !Self.isNull(fo["unit"]) {
                                  scale = try Self.double(try Self.object(fo["unit"] as Any, "field.unit")["scale"], "unit.scale")
                              }
                              return Field(name: try Self.string(fo["name"], "field.name"), kind: try Self.string(fo["kind"], "field.kind"), scale: scale)
                          })
        }
        rules = try Self.array(doc["rules"], "rules").map { r in
            let o = try Self.object(r, "rule")
            return Rule(
                code: try Self.string(o["code"], "rule.code"),
                ruleset: try Self.string(o["ruleset"], "rule.ruleset"),
                entity: try Self.int(o["entityIndex"], "rule.entityIndex"),
                filters: try Self.array(o["filters"], "filters").map(Self.expr),
                when: try Self.isNull(o["when"]) ? nil : Self.expr(o["when"] as Any),
                locals: try Self.array(o["locals"], "locals").map { l in
                    let lo = try Self.object(l, "local")
                    let ty = try Self.object(lo["type"] as Any, "local.type")
                    return Local(slot: try Self.int(lo["slot"], "local.slot"), type: try Self.string(ty["type"], "type.type"), expr: try Self.expr(lo["expr"] as Any))
                },
                measures: try Self.array(o["measures"], "measures").map { m in
                    let mo = try Self.object(m, "measure")
                    let unit = try Self.object(mo["unit"] as Any, "measure.unit")
                    return Measure(name: try Self.string(mo["name"], "measure.name"), slot: try Self.int(mo["slot"], "measure.slot"),
                                   scale: try Self.double(unit["scale"], "unit.scale"))
                },
                requires: try Self.array(o["requires"], "requires").map { q in
                    let qo = try Self.object(q, "require")
                    return Require(level: try Self.string(qo["level"], "require.level"), expr: try Self.expr(qo["expr"] as Any))
                })
        }
        waivers = try Self.array(doc["waivers"], "waivers").map { w in
            let o = try Self.object(w, "waiver")
            return Waiver(rule: try Self.string(o["rule"], "waiver.rule"), entity: try Self.int(o["entityIndex"], "waiver.entityIndex"),
                          key: try Self.string(o["key"], "waiver.key"), until: try Self.string(o["until"], "waiver.until"))
        }
    }

    static func expr(_ any: Any) throws -> Expr {
        let o = try object(any, "expression")
        let node = try string(o["node"], "node")
        func sub(_ k: String) throws -> Expr { try expr(o[k] as Any) }
        func optSub(_ k: String) throws -> Expr? { isNull(o[k]) ? nil : try expr(o[k] as Any) }
        func i(_ k: String) throws -> Int { try int(o[k], "\(node).\(k)") }
        func s(_ k: String) throws -> String { try string(o[k], "\(node).\(k)") }
        switch node {
        case "constant":
            let v = try object(o["value"] as Any, "constant.value")
            switch try string(v["kind"], "value.kind") {
            case "number": return .constant(.number(try double(v["number"], "value.number")))
            case "text": return .constant(.text(try string(v["text"], "value.text")))
            case "bool":
                guard let b = v["bool"] as? Bool else { throw DecodeError(description: "value.bool is not a boolean") }
                return .constant(.bool(b))
            case "date": return .constant(.date(try string(v["date"], "value.date")))
            case "missing": return .constant(.missing)
            case "undefined": return .constant(.undefined)
            case let k: throw DecodeError(description: "unknown value kind \(k)")
            }
        case "field": return .field(depth: try i("depth"), entity: try i("entityIndex"), field: try i("fieldIndex"))
        case "prevField": return .prevField(depth: try i("depth"), entity: try i("entityIndex"), field: try i("fieldIndex"))
        case "refField": return .refField(base: try sub("base"), entity: try i("entityIndex"), field: try i("fieldIndex"))
        case "local": return .local(slot: try i("slot"))
        case "negate": return .negate(try sub("operand"))
        case "not": return .not(try sub("operand"))
        case "arith": return .arith(op: try s("op"), try sub("left"), try sub("right"))
        case "compare": return .compare(op: try s("op"), kind: try s("compare"), try sub("left"), try sub("right"))
        case "logic": return .logic(op: try s("op"), try sub("left"), try sub("right"))
        case "between": return .between(kind: try s("compare"), value: try sub("value"), low: try sub("low"), high: try sub("high"))
        case "inList": return .inList(kind: try s("compare"), value: try sub("value"), items: try array(o["items"], "items").map(expr))
        case "ifThen": return .ifThen(try sub("condition"), try sub("then"), try sub("else"))
        case "match":
            let arms = try array(o["arms"], "arms").map { a -> Arm in
                let ao = try object(a, "arm")
                return Arm(patterns: try array(ao["patterns"], "patterns").map(expr), value: try expr(ao["value"] as Any))
            }
            return .match(kind: try s("compare"), subject: try sub("subject"), arms: arms, otherwise: try optSub("else"))
        case "call":
            return .call(function: try s("function"), args: try array(o["args"], "args").map(expr), scale: try double(o["scale"], "call.scale"))
        case "aggregate":
            let joins = try array(o["joins"], "joins").map { j -> Join in
                let jo = try object(j, "join")
                return Join(field: try int(jo["fieldIndex"], "join.fieldIndex"), outer: try expr(jo["outer"] as Any))
            }
            return .aggregate(kind: try s("kind"), entity: try i("entityIndex"), depth: try i("depth"),
                              value: try optSub("value"), joins: joins, where: try optSub("where"))
        default:
            throw DecodeError(description: "unknown expression node \(node)")
        }
    }

    static func isNull(_ v: Any?) -> Bool { v == nil || v is NSNull }

    static func object(_ v: Any, _ what: String) throws -> [String: Any] {
        guard let o = v as? [String: Any] else { throw DecodeError(description: "\(what) is not an object") }
        return o
    }

    static func array(_ v: Any?, _ what: String) throws -> [Any] {
        guard let a = v as? [Any] else { throw DecodeError(description: "\(what) is not an array") }
        return a
    }

    static func string(_ v: Any?, _ what: String) throws -> String {
        guard let s = v as? String else { throw DecodeError(description: "\(what) is not a string") }
        return s
    }

    static func double(_ v: Any?, _ what: String) throws -> Double {
        guard let n = v as? NSNumber else { throw DecodeError(description: "\(what) is not a number") }
        return n.doubleValue
    }

    static func int(_ v: Any?, _ what: String) throws -> Int {
        let d = try double(v, what)
        guard let i = Int(exactly: d) else { throw DecodeError(description: "\(what) is not a whole number") }
        return i
    }

    static func optionalInt(_ v: Any?, _ what: String) throws -> Int? {
        isNull(v) ? nil : try int(v, what)
    }
}
