/// The `unit` declarations: names, aliases, scales and dimensions.
extension Checker {
    mutating func checkUnits(_ decls: [UnitDecl]) {
        var byName: [String: UnitDecl] = [:]
        for u in decls {
            for n in [u.name] + u.aliases {
                if let prev = byName[n.text] {
                    error(n.range, Text("单位 \(n.text) 重复声明", "unit \(n.text) is declared twice"),
                          help: Text("首次声明在 \(where_(prev.name.range))", "first declared at \(where_(prev.name.range))"))
                } else {
                    byName[n.text] = u
                }
            }
        }
        var done: [String: UnitDefinition] = [:]
        var inProgress = Set<String>()
        func resolve(_ u: UnitDecl) -> UnitDefinition? {
            if let d = done[u.name.text] { return d }
            if inProgress.contains(u.name.text) {
                error(u.name.range, Text("单位 \(u.name.text) 的定义循环引用自身", "unit \(u.name.text) is defined in terms of itself"))
                return nil
            }
            inProgress.insert(u.name.text)
            defer { inProgress.remove(u.name.text) }
            let def: UnitDefinition
            if let (value, unitAST) = u.definition {
                if let ua = unitAST {
                    var result = DisplayUnit.none
                    for f in ua.factors {
                        guard let target = byName[f.name.text] else {
                            error(f.name.range, Text("未声明的单位 “\(f.name.text)”", "unknown unit '\(f.name.text)'"),
                                  help: suggestions.didYouMean(f.name.text, among: { Array(byName.keys) }))
                            return nil
                        }
                        guard let base = resolve(target) else { return nil }
                        var p = base.unit
                        if f.exponent < 0 { p = p.inverse() }
                        for _ in 1..<max(1, abs(f.exponent)) { p = p * (f.exponent < 0 ? base.unit.inverse() : base.unit) }
                        result = result * p
                    }
                    guard value > 0 else {
                        error(u.range, Text("单位换算系数必须为正数", "a unit's factor must be positive"))
                        return nil
                    }
                    guard isRepresentableScale(result.scale), isRepresentableScale(value * result.scale) else {
                        report(scaleOutOfRange(u.range))
                        return nil
                    }
                    def = UnitDefinition(name: u.name.text, unit: DisplayUnit(factors: [], scale: value * result.scale, dimension: result.dimension),
                                         isCounting: false, range: u.name.range)
                } else if value == 1 {
                    def = UnitDefinition(name: u.name.text, unit: .none, isCounting: true, range: u.name.range)
                } else {
                    error(u.range, Text("无量纲单位只能定义为 = 1", "a unit without a base unit must be = 1 (a counting unit)"),
                          help: Text("计数单位写作 unit \(u.name.text) = 1；换算单位写作 unit \(u.name.text) = 10000 元", "write unit \(u.name.text) = 1, or scale another unit: = 10000 元"))
                    return nil
                }
            } else {
                def = UnitDefinition(name: u.name.text, unit: DisplayUnit(factors: [], scale: 1, dimension: Dimension([u.name.text: 1])),
                                     isCounting: false, range: u.name.range)
            }
            done[u.name.text] = def
            return def
        }
        for u in decls {
            guard let d = resolve(u) else { continue }
            for n in [u.name] + u.aliases where units.byName[n.text] == nil {
                units.byName[n.text] = d
            }
        }
    }
}
