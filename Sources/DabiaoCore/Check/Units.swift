/// Exponents of base units. Counting units (`unit 人 = 1`) are not base
/// units: they leave no trace here, which is what makes `students / teachers`
/// dimensionless while area and money stay apart.
public struct Dimension: Hashable, Sendable {
    public var exponents: [String: Int]

    public init(_ exponents: [String: Int] = [:]) {
        self.exponents = exponents.filter { $0.value != 0 }
    }

    public static let none = Dimension()
    public var isNone: Bool { exponents.isEmpty }

    public static func * (a: Dimension, b: Dimension) -> Dimension {
        Dimension(a.exponents.merging(b.exponents, uniquingKeysWith: +))
    }

    public static func / (a: Dimension, b: Dimension) -> Dimension {
        Dimension(a.exponents.merging(b.exponents.mapValues { -$0 }, uniquingKeysWith: +))
    }

    public func power(_ n: Int) -> Dimension { Dimension(exponents.mapValues { $0 * n }) }
}

/// A unit as a product of declared unit names: what a number is shown in.
/// Values are always held in base units; `scale` converts (value / scale).
public struct DisplayUnit: Hashable, Sendable {
    public var factors: [UnitPower]
    public var scale: Double
    public var dimension: Dimension

    public struct UnitPower: Hashable, Sendable {
        public var name: String
        public var exponent: Int
        /// A counting unit (人, 册) carries no dimension; it is kept for display.
        public var counting: Bool = false
    }

    public static let none = DisplayUnit(factors: [], scale: 1, dimension: .none)

    public static func * (a: DisplayUnit, b: DisplayUnit) -> DisplayUnit {
        var fs = a.factors
        for f in b.factors {
            if let i = fs.firstIndex(where: { $0.name == f.name }) {
                fs[i].exponent += f.exponent
            } else {
                fs.append(f)
            }
        }
        let dimension = a.dimension * b.dimension
        let kept = fs.filter { $0.exponent != 0 }
        // 万元/元 is a plain number: once the dimensions cancel, only counting
        // units remain to show, and the value is shown unscaled.
        if dimension.isNone, kept.contains(where: { !$0.counting }) {
            return DisplayUnit(factors: kept.filter(\.counting), scale: 1, dimension: dimension)
        }
        return DisplayUnit(factors: kept, scale: a.scale * b.scale, dimension: dimension)
    }

    public func inverse() -> DisplayUnit {
        DisplayUnit(factors: factors.map { UnitPower(name: $0.name, exponent: -$0.exponent, counting: $0.counting) }, scale: 1 / scale,
                    dimension: Dimension.none / dimension)
    }

    public static func / (a: DisplayUnit, b: DisplayUnit) -> DisplayUnit { a * b.inverse() }

    /// `平方米/人`, `元/人`, `万元`, `人·小时/周`; empty for a bare number.
    public var symbol: String {
        func part(_ f: UnitPower, _ e: Int) -> String { e == 1 ? f.name : "\(f.name)^\(e)" }
        let num = factors.filter { $0.exponent > 0 }.map { part($0, $0.exponent) }
        let den = factors.filter { $0.exponent < 0 }.map { part($0, -$0.exponent) }
        var s = num.joined(separator: "·")
        if !den.isEmpty {
            if s.isEmpty { s = "1" }
            s += "/" + (den.count > 1 ? "(" + den.joined(separator: "·") + ")" : den[0])
        }
        return s
    }
}

public struct UnitDefinition: Sendable {
    public var name: String
    /// The unit in terms of base units.
    public var unit: DisplayUnit
    public var isCounting: Bool
    public var range: SourceRange
}

/// Declared units by name and alias.
public struct UnitTable: Sendable {
    public var byName: [String: UnitDefinition] = [:]

    public func lookup(_ name: String) -> UnitDefinition? { byName[name] }

    /// The unit as shown: the declared names, with the scale and dimension
    /// of their definitions.
    public func resolve(_ ast: UnitExprAST) -> Result<DisplayUnit, Diagnostic> {
        var result = DisplayUnit.none
        for f in ast.factors {
            guard let def = byName[f.name.text] else {
                let names = Array(byName.keys).sorted()
                let hint = closestIdentifier(f.name.text, among: names).map {
                    Text("是否想写 \($0)？", "did you mean \($0)?")
                } ?? Text("先用 unit \(f.name.text) 声明这个单位", "declare it first: unit \(f.name.text)")
                return .failure(Diagnostic(.error, f.name.range, Text("未声明的单位 “\(f.name.text)”", "unknown unit '\(f.name.text)'"), help: hint))
            }
            var shown = DisplayUnit(factors: [.init(name: def.name, exponent: 1, counting: def.isCounting)], scale: def.unit.scale, dimension: def.unit.dimension)
            if f.exponent < 0 { shown = shown.inverse() }
            for _ in 1..<max(1, abs(f.exponent)) {
                shown = shown * DisplayUnit(factors: [.init(name: def.name, exponent: f.exponent < 0 ? -1 : 1, counting: def.isCounting)],
                                            scale: f.exponent < 0 ? 1 / def.unit.scale : def.unit.scale,
                                            dimension: f.exponent < 0 ? Dimension.none / def.unit.dimension : def.unit.dimension)
            }
            result = result * shown
        }
        return .success(result)
    }
}

/// Levenshtein distance over Unicode scalars, bounded to keep hints cheap.
public func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a.unicodeScalars)
    let y = Array(b.unicodeScalars)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var prev = Array(0...y.count)
    var cur = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
        cur[0] = i
        for j in 1...y.count {
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
        }
        swap(&prev, &cur)
    }
    return prev[y.count]
}

/// The closest candidate within a third of the name's length (at least one edit).
public func closestIdentifier(_ name: String, among candidates: [String]) -> String? {
    let limit = max(1, name.unicodeScalars.count / 3)
    var best: (String, Int)?
    for c in candidates.sorted() {
        let d = editDistance(name, c)
        if d <= limit, best.map({ d < $0.1 }) ?? true { best = (c, d) }
    }
    return best?.0
}
