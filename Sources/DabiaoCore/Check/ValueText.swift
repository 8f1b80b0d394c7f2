/// A value as a message or `explain` writes it: numbers in the unit of
/// their type, booleans as 是/否, dates in ISO form, unknowns as a dash.
extension Value {
    func shown(_ ty: Ty, decimals: Int? = nil) -> String {
        switch self {
        case .number(let d):
            var scale = 1.0
            if case .number(let n) = ty { scale = n.unit.scale }
            return formatNumber(d / scale, decimals: decimals)
        case .text(let s): return s
        case .bool(let b): return b ? "是" : "否"
        case .date(let d): return CivilDate.format(d)
        case .missing: return "—"
        case .undefined: return "—"
        }
    }

    /// As `shown`, a number followed by its unit (`1000 万元`).
    func shownWithUnit(_ ty: Ty) -> String {
        var s = shown(ty)
        if case .number = self, case .number(let n) = ty, !n.unit.symbol.isEmpty { s += " " + n.unit.symbol }
        return s
    }
}
