/// The `unit` declarations: names, aliases, scales and dimensions.
extension Checker {
    mutating func checkUnits(_ decls: [UnitDecl]) {
        var byName: [String: UnitDecl] = [:]
        for u in decls {
            for n in [u.name] + u.aliases {
                if let prev = byName[n.text] {
                    report(.unitDeclaredTwice(n.text, at: n.range, first: prev.name.range))
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
                report(.unitCycle(u.name.text, at: u.name.range))
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
                            report(.unknownUnit(f.name.text, at: f.name.range, suggestion: suggestions.closest(f.name.text, among: { Array(byName.keys) })))
                            return nil
                        }
                        guard let base = resolve(target) else { return nil }
                        var p = base.unit
                        if f.exponent < 0 { p = p.inverse() }
                        for _ in 1..<max(1, abs(f.exponent)) { p = p * (f.exponent < 0 ? base.unit.inverse() : base.unit) }
                        result = result * p
                    }
                    guard value > 0 else {
                        report(.unitFactorNotPositive(at: u.range))
                        return nil
                    }
                    guard isRepresentableScale(result.scale), isRepresentableScale(value * result.scale) else {
                        report(.unitScaleOutOfRange(at: u.range))
                        return nil
                    }
                    def = UnitDefinition(name: u.name.text, unit: DisplayUnit(factors: [], scale: value * result.scale, dimension: result.dimension),
                                         isCounting: false, range: u.name.range)
                } else if value == 1 {
                    def = UnitDefinition(name: u.name.text, unit: .none, isCounting: true, range: u.name.range)
                } else {
                    report(.baselessUnitNotOne(u.name.text, at: u.range))
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
