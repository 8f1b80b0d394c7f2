import Foundation

// Column headers as people write them: full-width letters and brackets,
// stray spaces, and a unit tacked on — `校舍建筑面积（平方米）`,
// `校舍建筑面积 (平方米)`, `校舍建筑面积/平方米`.
//
// Normalisation is deliberately narrower than NFKC: NFKC would also turn
// `m²` and `㎡` into `m2`, changing unit names that the rules declare. Only
// the full-width ASCII block (U+FF01–U+FF5E) and the ideographic space are
// folded, plus the CJK brackets 【】〔〕 to [ ].

/// Trims, folds full-width ASCII to half width (`（` → `(`, `Ａ` → `A`,
/// `１` → `1`), turns `【】〔〕` into `[]`, and collapses runs of whitespace
/// into one space. Letter case is kept.
func normalizeHeader(_ header: String) -> String {
    var out = String.UnicodeScalarView()
    var pendingSpace = false
    for raw in header.unicodeScalars {
        var u = foldFullWidthScalar(raw)
        switch u.value {
        case 0x3010, 0x3014: u = "["
        case 0x3011, 0x3015: u = "]"
        default: break
        }
        if u.properties.isWhitespace || u.value == 0xFEFF || u.value == 0x200B {
            pendingSpace = !out.isEmpty
            continue
        }
        if pendingSpace {
            out.append(" ")
            pendingSpace = false
        }
        out.append(u)
    }
    return String(out)
}

/// Splits a trailing unit off a header, after `normalizeHeader`:
/// `校舍建筑面积（平方米）` → (`校舍建筑面积`, `平方米`); `面积[㎡]` and
/// `面积/平方米` likewise; `学校名称` → (`学校名称`, nil).
///
/// The split is purely textual: `教职工/学生比` gives unit `学生比`. Callers
/// should first try the whole normalised header as a name or label, and
/// accept the split only when the unit is one they know.
func splitHeaderUnit(_ header: String) -> (label: String, unit: String?) {
    let h = normalizeHeader(header)
    let scalars = Array(h.unicodeScalars)
    func text(_ slice: ArraySlice<Unicode.Scalar>) -> String {
        normalizeHeader(String(String.UnicodeScalarView(slice)))
    }
    guard let last = scalars.last else { return ("", nil) }
    if last == ")" || last == "]" {
        let open: Unicode.Scalar = last == ")" ? "(" : "["
        // Match the closing bracket backwards so `面积(含(附属)用房)(平方米)` splits at the last group.
        var depth = 0
        var i = scalars.count - 1
        while i >= 0 {
            let c = scalars[i]
            if c == last { depth += 1 } else if c == open {
                depth -= 1
                if depth == 0 { break }
            }
            i -= 1
        }
        if i > 0 {
            let label = text(scalars[0..<i])
            let unit = text(scalars[(i + 1)..<(scalars.count - 1)])
            if !label.isEmpty {
                return (label, unit.isEmpty ? nil : unit)
            }
        }
        return (h, nil)
    }
    if let slash = scalars.lastIndex(of: "/"), slash > 0, slash < scalars.count - 1 {
        let label = text(scalars[0..<slash])
        let unit = text(scalars[(slash + 1)...])
        if !label.isEmpty && !unit.isEmpty { return (label, unit) }
    }
    return (h, nil)
}

/// The candidate closest to `name` for a "did you mean" hint, compared after
/// `normalizeHeader` and ASCII lower-casing; only when the distance is at most
/// max(1, length of `name` / 3). Ties go to the earlier candidate. Names
/// longer than 256 scalars are never matched (keeps hostile headers cheap).
func closestName(to name: String, among candidates: [String]) -> String? {
    let query = normalizeHeader(name).lowercased()
    let length = query.unicodeScalars.count
    guard length > 0, length <= 256 else { return nil }
    let limit = max(1, length / 3)
    var best: (name: String, distance: Int)?
    for candidate in candidates {
        let c = normalizeHeader(candidate).lowercased()
        let cLength = c.unicodeScalars.count
        guard cLength <= 256, abs(cLength - length) <= limit else { continue }
        let d = editDistance(query, c)
        if d <= limit && (best.map { d < $0.distance } ?? true) {
            best = (candidate, d)
        }
    }
    return best?.name
}
