/// Exponents of base units. Counting units (`unit 人 = 1`) are not base
/// units: they leave no trace here, which is what makes `students / teachers`
/// dimensionless while area and money stay apart.
struct Dimension: Hashable, Sendable {
    var exponents: [String: Int]

    init(_ exponents: [String: Int] = [:]) {
        self.exponents = exponents.filter { $0.value != 0 }
    }

    static let none = Dimension()
    var isNone: Bool { exponents.isEmpty }

    static func * (a: Dimension, b: Dimension) -> Dimension {
        Dimension(a.exponents.merging(b.exponents, uniquingKeysWith: +))
    }

    static func / (a: Dimension, b: Dimension) -> Dimension {
        Dimension(a.exponents.merging(b.exponents.mapValues { -$0 }, uniquingKeysWith: +))
    }

    func power(_ n: Int) -> Dimension { Dimension(exponents.mapValues { $0 * n }) }
}

/// A unit as a product of declared unit names: what a number is shown in.
/// Values are always held in base units; `scale` converts (value / scale).
struct DisplayUnit: Hashable, Sendable {
    var factors: [UnitPower]
    var scale: Double
    var dimension: Dimension

    struct UnitPower: Hashable, Sendable {
        var name: String
        var exponent: Int
        /// A counting unit (人, 册) carries no dimension; it is kept for display.
        var counting: Bool = false
    }

    static let none = DisplayUnit(factors: [], scale: 1, dimension: .none)

    static func * (a: DisplayUnit, b: DisplayUnit) -> DisplayUnit {
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

    func inverse() -> DisplayUnit {
        DisplayUnit(factors: factors.map { UnitPower(name: $0.name, exponent: -$0.exponent, counting: $0.counting) }, scale: 1 / scale,
                    dimension: Dimension.none / dimension)
    }

    static func / (a: DisplayUnit, b: DisplayUnit) -> DisplayUnit { a * b.inverse() }

    /// `平方米/人`, `元/人`, `万元`, `人·小时/周`; empty for a bare number.
    var symbol: String {
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

struct UnitDefinition: Sendable {
    var name: String
    /// The unit in terms of base units.
    var unit: DisplayUnit
    var isCounting: Bool
    var range: SourceRange
}

/// Declared units by name and alias.
struct UnitTable: Sendable {
    var byName: [String: UnitDefinition] = [:]

    func lookup(_ name: String) -> UnitDefinition? { byName[name] }

    /// `in %`: a dimensionless number shown a hundred times larger, so a
    /// share of 0.267 reads 26.7 % beside a threshold written `30%`.
    static let percent = UnitDefinition(name: "%", unit: DisplayUnit(factors: [.init(name: "%", exponent: 1, counting: true)],
                                                                     scale: 0.01, dimension: .none),
                                        isCounting: true, range: SourceRange(file: 0, start: 0, end: 0))

    /// The unit as shown: the declared names, with the scale and dimension
    /// of their definitions.
    func resolve(_ ast: UnitExprAST, suggestions: inout Suggestions) -> Result<DisplayUnit, Diagnostic> {
        var result = DisplayUnit.none
        for f in ast.factors {
            guard let def = byName[f.name.text] ?? (f.name.text == "%" ? UnitTable.percent : nil) else {
                return .failure(.unknownUnit(f.name.text, at: f.name.range, suggestion: suggestions.closest(f.name.text, among: { Array(byName.keys) })))
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
        guard isRepresentableScale(result.scale) else {
            return .failure(.unitScaleOutOfRange(at: ast.range))
        }
        return .success(result)
    }
}

/// A unit's factor to base units must be a finite, nonzero, normal Double:
/// one that overflows to ∞ or underflows to 0 would make every value in that
/// unit compare wrongly without a word.
func isRepresentableScale(_ x: Double) -> Bool { x.isNormal && x > 0 }

/// A number written in the rules, in base units, is finite, and zero or normal.
func isRepresentableValue(_ x: Double) -> Bool { x == 0 || x.isNormal }

/// Levenshtein distance over Unicode scalars, bounded to keep hints cheap.
func editDistance(_ a: String, _ b: String) -> Int {
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

/// Levenshtein distance, or nil once it must exceed `limit`: a row whose
/// smallest entry is past the limit can only grow.
func editDistance(_ x: [Unicode.Scalar], _ y: [Unicode.Scalar], limit: Int) -> Int? {
    if abs(x.count - y.count) > limit { return nil }
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var prev = Array(0...y.count)
    var cur = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
        cur[0] = i
        var rowMin = i
        for j in 1...y.count {
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            rowMin = min(rowMin, cur[j])
        }
        if rowMin > limit { return nil }
        swap(&prev, &cur)
    }
    return prev[y.count] <= limit ? prev[y.count] : nil
}

/// The closest candidate within a third of the name's length (at least one
/// edit); among equally close ones the first in code-point order, so the
/// answer does not depend on the order of the candidates.
public func closestIdentifier(_ name: String, among candidates: [String]) -> String? {
    let x = Array(name.unicodeScalars)
    let limit = max(1, x.count / 3)
    var best: String?
    var bestDistance = limit
    for c in candidates {
        guard let d = editDistance(x, Array(c.unicodeScalars), limit: bestDistance) else { continue }
        if let b = best, d == bestDistance, b <= c { continue }
        best = c
        bestDistance = d
    }
    return best
}

/// "Did you mean" hints for one compilation, with a bounded total cost: each
/// hint compares the name with every candidate, so a file of 10,000 misspelt
/// names among 10,000 declarations would take 10⁸ comparisons. Once
/// `budget` candidates have been compared, further errors come without a
/// hint; the errors themselves are all reported.
struct Suggestions {
    var budget = 500_000

    mutating func closest(_ name: String, among candidates: () -> [String]) -> String? {
        guard budget > 0 else { return nil }
        let list = candidates()
        budget -= list.count
        guard budget >= 0 else { return nil }
        return closestIdentifier(name, among: list)
    }

}
