/// Empty input files for data providers (`dabiao template ENTITY`).
public enum Template {
    /// A CSV with one header row and one hint row, nothing else:
    /// - header: each field's label, with its unit in full-width brackets
    ///   when it has one (`校舍建筑面积（平方米）`), which the header matcher
    ///   reads back to the same field;
    /// - hints: type, 必填/选填 and the allowed values of a `one of` field.
    ///   The row's first cell starts with `#`, so the reader skips it and a
    ///   provider may leave it in place.
    /// UTF-8 with BOM and CRLF, like every CSV the tool writes.
    /// `entities` (the program's, in order) names the target of a reference.
    public static func csv(for entity: Entity, entities: [Entity] = [], lang: Lang = .zh) -> String {
        let header = entity.fields.map(headerCell)
        var hints = entity.fields.map { hint($0, entities: entities, lang: lang) }
        if !hints.isEmpty { hints[0] = "# " + hints[0] } else { hints = ["#"] }
        return CSVReport.document(header.isEmpty ? [] : [header, hints])
    }

    static func headerCell(_ f: Field) -> String {
        let unit = f.unit.symbol
        return unit.isEmpty ? f.label : "\(f.label)（\(unit)）"
    }

    static func hint(_ f: Field, entities: [Entity], lang: Lang) -> String {
        let z = lang == .zh
        var parts: [String] = []
        switch f.kind {
        case .number(let integer):
            parts.append(integer ? (z ? "整数" : "integer") : (z ? "数值" : "number"))
        case .text(let oneOf):
            if let values = oneOf, !values.isEmpty {
                parts.append((z ? "可选值：" : "one of: ") + values.joined(separator: z ? "、" : " | "))
            } else {
                parts.append(z ? "文本" : "text")
            }
        case .bool:
            parts.append(z ? "是/否" : "yes/no (是/否, Y/N, true/false, 1/0)")
        case .date:
            parts.append(z ? "日期（YYYY-MM-DD）" : "date (YYYY-MM-DD)")
        case .ref(let target):
            if entities.indices.contains(target) {
                let e = entities[target]
                let keyLabel = e.keyField.flatMap { e.fields.indices.contains($0) ? e.fields[$0].label : nil }
                parts.append(z ? "引用\(e.label)的\(keyLabel ?? "编号")" : "key of a \(e.name)" + (keyLabel.map { " (\($0))" } ?? ""))
            } else {
                parts.append(z ? "引用（另一表的编号）" : "reference (key of another table)")
            }
        }
        if f.isKey {
            parts.append(z ? "必填，唯一" : "required, unique")
        } else {
            parts.append(f.isOptional ? (z ? "选填" : "optional") : (z ? "必填" : "required"))
        }
        return parts.joined(separator: z ? "；" : "; ")
    }
}
