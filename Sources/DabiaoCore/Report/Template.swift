/// Empty input files for data providers (`dabiao template ENTITY`).
enum Template {
    /// A CSV with one header row and one hint row, nothing else:
    /// - header: each field's label, with its unit in full-width brackets
    ///   when it has one (`校舍建筑面积（平方米）`), which the header matcher
    ///   reads back to the same field;
    /// - hints: type, 必填/选填 and the allowed values of a `one of` field.
    ///   The row's first cell starts with `#`, so the reader skips it and a
    ///   provider may leave it in place.
    /// UTF-8 with BOM and CRLF, like every CSV the tool writes.
    /// `entities` (the program's, in order) names the target of a reference.
    static func csv(for entity: Entity, entities: [Entity] = [], lang: Lang = .zh) -> String {
        let header = entity.fields.map(headerCell)
        var hints = entity.fields.map { hint($0, entities: entities, lang: lang) }
        if !hints.isEmpty { hints[0] = "# " + hints[0] } else { hints = ["#"] }
        return CSVReport.document(header.isEmpty ? [] : [header, hints])
    }

    /// A workbook with one sheet per entity, in the order asked. Each sheet
    /// holds the CSV template's two rows (the same header cells, so the
    /// header matcher reads them back, and the `#` hint row the reader
    /// skips), and formats the columns for what goes in them:
    /// - every text, `one of`, reference and key column is Text (`@`):
    ///   which text fields hold codes (学校标识码, 统一社会信用代码, 教师编号)
    ///   a schema cannot tell, and a name stored as text loses nothing,
    ///   while a code stored as a number loses every digit past the 15th;
    /// - date columns show `yyyy-mm-dd`; number and yes/no columns stay General;
    /// - a `one of` column offers its values as a drop-down list that refuses
    ///   anything else; a yes/no column offers 是/否 but only warns, since
    ///   Y/N, true/false and 1/0 are read as well.
    /// Lists too long for Excel's 255-character inline limit, or with values
    /// holding a comma or a quote, live on a hidden sheet (可选值 / lists)
    /// that names no entity, so the reader passes it over.
    static func xlsx(for chosen: [Entity], entities: [Entity] = [], lang: Lang = .zh) throws -> [UInt8] {
        try workbook(for: chosen, entities: entities, lang: lang).write()
    }

    /// The workbook before it is written: tests fill its sheets with rows.
    static func workbook(for chosen: [Entity], entities: [Entity], lang: Lang) -> XLSXWriter {
        let zh = lang == .zh
        var writer = XLSXWriter()
        var used = Set<String>()
        func sheetName(_ wanted: String, fallback: String) -> String {
            for candidate in [wanted, fallback] where validSheetName(candidate) && !used.contains(candidate.lowercased()) {
                used.insert(candidate.lowercased())
                return candidate
            }
            var n = 2
            let base = String(fallback.prefix(25))
            while used.contains("\(base)_\(n)".lowercased()) { n += 1 }
            used.insert("\(base)_\(n)".lowercased())
            return "\(base)_\(n)"
        }
        let names = chosen.map { sheetName($0.label, fallback: $0.name) }
        let listSheet = sheetName(zh ? "可选值" : "lists", fallback: "lists")
        var lists = XLSXWriter.Sheet(name: listSheet, hidden: true)

        for (e, name) in zip(chosen, names) {
            var sheet = XLSXWriter.Sheet(name: name)
            let header = e.fields.map(headerCell)
            var hints = e.fields.map { hint($0, entities: entities, lang: lang) }
            if !hints.isEmpty { hints[0] = "# " + hints[0] } else { hints = ["#"] }
            sheet.rows = [header.map { .init($0, .header) }, hints.map { .init($0, .hint) }]
            sheet.frozenRows = 2
            for (i, f) in e.fields.enumerated() {
                let style: XLSXWriter.Style
                switch f.kind {
                case .text, .ref: style = .text
                case .date: style = .date
                case .number, .bool: style = .general
                }
                // Wide enough for the header: a CJK character takes two columns.
                let width = Double(header[i].unicodeScalars.reduce(0) { $0 + ($1.value >= 0x2E80 ? 2 : 1) }) + 2
                sheet.columns.append(.init(width: min(max(width, 10), 50), style: f.isKey ? .text : style))
                var values: [String]
                var warnOnly = false
                switch f.kind {
                case .text(let oneOf?) where !oneOf.isEmpty: values = oneOf
                case .bool:
                    values = ["是", "否"]
                    warnOnly = true
                default: continue
                }
                let inline = values.joined(separator: ",")
                let formula: String
                if inline.count <= 253, !values.contains(where: { $0.contains(",") || $0.contains("\"") }) {
                    formula = "\"" + inline + "\""
                } else {
                    let c = lists.columns.count
                    lists.columns.append(.init(width: 20, style: .text))
                    let label = "\(sheet.name).\(f.label)"
                    for (r, v) in ([label] + values).enumerated() {
                        while lists.rows.count <= r { lists.rows.append([]) }
                        while lists.rows[r].count < c { lists.rows[r].append(.init("", .text)) }
                        lists.rows[r].append(.init(v, r == 0 ? .header : .text))
                    }
                    let column = excelColumnName(c)
                    formula = "'\(listSheet.replacingOccurrences(of: "'", with: "''"))'!$\(column)$2:$\(column)$\(values.count + 1)"
                    values = []
                }
                // Excel refuses a title over 32 characters and a message over 225.
                var error = warnOnly ? (zh ? "请填写 是 或 否" : "enter 是 (yes) or 否 (no)") : (zh ? "请从下拉列表中选择" : "choose a value from the list")
                let listed = error + (zh ? "：" : ": ") + values.joined(separator: zh ? "、" : ", ")
                if !warnOnly, !values.isEmpty, listed.count <= 225 { error = listed }
                sheet.validations.append(.init(column: i, firstRow: 3, formula: formula, warnOnly: warnOnly,
                                               errorTitle: String(f.label.prefix(32)), error: error))
            }
            writer.sheets.append(sheet)
        }
        if !lists.columns.isEmpty { writer.sheets.append(lists) }
        return writer
    }

    /// Excel's rules for a sheet name: 1–31 characters, none of : \\ / ? * [ ],
    /// no apostrophe at either end.
    static func validSheetName(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 31 && !s.contains(where: { ":\\/?*[]".contains($0) })
            && !s.hasPrefix("'") && !s.hasSuffix("'") && s.lowercased() != "history"
    }

    static func headerCell(_ f: Field) -> String {
        let unit = f.unit.symbol
        return unit.isEmpty ? f.label : "\(f.label)（\(unit)）"
    }

    static func hint(_ f: Field, entities: [Entity], lang: Lang) -> String {
        let zh = lang == .zh
        var parts: [String] = []
        switch f.kind {
        case .number(let integer):
            parts.append(integer ? (zh ? "整数" : "integer") : (zh ? "数值" : "number"))
        case .text(let oneOf):
            if let values = oneOf, !values.isEmpty {
                parts.append((zh ? "可选值：" : "one of: ") + values.joined(separator: zh ? "、" : " | "))
            } else {
                parts.append(zh ? "文本" : "text")
            }
        case .bool:
            parts.append(zh ? "是/否" : "yes/no (是/否, Y/N, true/false, 1/0)")
        case .date:
            parts.append(zh ? "日期（YYYY-MM-DD）" : "date (YYYY-MM-DD)")
        case .ref(let target):
            if entities.indices.contains(target) {
                let e = entities[target]
                let keyLabel = e.keyField.flatMap { e.fields.indices.contains($0) ? e.fields[$0].label : nil }
                parts.append(zh ? "引用\(e.label)的\(keyLabel ?? "编号")" : "key of a \(e.name)" + (keyLabel.map { " (\($0))" } ?? ""))
            } else {
                parts.append(zh ? "引用（另一表的编号）" : "reference (key of another table)")
            }
        }
        if f.isKey {
            parts.append(zh ? "必填，唯一" : "required, unique")
        } else {
            parts.append(f.isOptional ? (zh ? "选填" : "optional") : (zh ? "必填" : "required"))
        }
        return parts.joined(separator: zh ? "；" : "; ")
    }
}
