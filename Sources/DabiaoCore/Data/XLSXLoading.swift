import Foundation

// Spreadsheet input (language.md §7): one sheet of an .xlsx workbook becomes
// the records of one entity. Text cells take exactly the path of CSV cells, so
// `—`, `约100` and `1,234` mean the same in both; number, boolean and date
// cells go into their columns as the values they are, without a detour
// through text, but with the same integer check and unit scaling.

/// A spreadsheet cell that is not text.
enum TypedCellValue {
    case number(Double)
    case bool(Bool)
    /// An Excel date serial (a cell with a date format).
    case date(serial: Double)
}

/// A typed cell for one field, with the text it shows in error reports and
/// the scale of its column.
struct TypedCell {
    var value: TypedCellValue
    var raw: String
    var scale: Double
    /// The sheet's date system, for date cells and for numbers in date fields.
    var system: ExcelDateSystem
}

extension DataLoader {
    /// Appends a typed spreadsheet value to the field's column. Returns false
    /// when the field wants text, so the caller reads the cell as text.
    mutating func appendTyped(_ cell: TypedCell, field fi: Int, entity e: Int, path: String, line: Int) -> Bool {
        let v = cell.value
        let raw = cell.raw
        let scale = cell.scale
        func bad(_ reason: Bilingual) {
            dataset.errors.append(DataError(path: path, line: line, column: program.entities[e].fields[fi].label,
                                            value: raw, reason: reason))
            dataset.tables[e].columns[fi].appendMissing()
        }
        func bad(_ err: CellError) { bad(Bilingual(err.reason, err.reasonEN)) }
        let kind = cellKinds[e][fi]
        switch kind {
        case .text, .oneOf:
            return false
        case .number, .integer:
            switch v {
            case .number(let d):
                guard d.isFinite else {
                    bad(.outOfRange)
                    return true
                }
                if kind == .integer, abs(d - d.rounded()) > 1e-9 {
                    bad(Bilingual("应为整数", "must be a whole number"))
                    return true
                }
                dataset.tables[e].columns[fi].append(d * scale)
            case .bool:
                bad(Bilingual("应为数值，单元格是真假值", "must be a number; the cell holds TRUE/FALSE"))
            case .date:
                bad(Bilingual("应为数值，单元格是日期格式（可能被 Excel 自动转换成了日期）",
                         "must be a number; the cell is formatted as a date (Excel may have converted it)"))
            }
        case .bool:
            switch v {
            case .number(let d) where d == 1: dataset.tables[e].columns[fi].append(1)
            case .number(let d) where d == 0: dataset.tables[e].columns[fi].append(0)
            case .number, .date: bad(.notABool)
            case .bool(let b): dataset.tables[e].columns[fi].append(b ? 1 : 0)
            }
        case .date:
            // A number cell in a date field is a serial of the sheet's date system.
            let serial: Double
            switch v {
            case .number(let d): serial = d
            case .date(let s): serial = s
            case .bool:
                bad(.notADate)
                return true
            }
            switch excelSerialToDays(serial, system: cell.system) {
            case .value(let days):
                // Dates are day-precise; a time of day is an error, as in CSV.
                if serial.isFinite, abs(serial - serial.rounded(.down)) * 86_400 >= 0.5 {
                    bad(.dateHasTime)
                } else {
                    dataset.tables[e].columns[fi].append(Double(days))
                }
            case .empty: dataset.tables[e].columns[fi].appendMissing()
            case .invalid(let err): bad(err)
            }
        }
        return true
    }

    /// Reads the sheet of `spec` (its `sheet`, else the sheet named like the
    /// entity, else the first). Returns records read and rejected.
    mutating func loadXLSX(bytes: [UInt8], spec: InputSpec, inputIndex: Int, markers: inout [Int: Int]) throws -> (read: Int, rejected: Int) {
        let e = spec.entity
        let entity = program.entities[e]
        let filePath = spec.displayPath
        let workbook: XLSXWorkbook
        do {
            workbook = try XLSXWorkbook(bytes: bytes)
        } catch {
            throw InputFailure(path: filePath, message: xlsxErrorText(error))
        }
        let sheetName = try chooseSheet(workbook, spec: spec, entity: entity)
        let path = filePath.contains("#") ? filePath : filePath + "#" + sheetName
        dataset.inputs[inputIndex].path = path
        let sheet: XLSXSheet
        do {
            sheet = try workbook.sheet(named: sheetName)
        } catch {
            throw InputFailure(path: path, message: xlsxErrorText(error))
        }
        let system: ExcelDateSystem = sheet.uses1904 ? .s1904 : .s1900
        let rows = sheet.rows
        let merges = MergeFill(sheet: sheet)

        // The header is the row among the first non-blank ones that names the
        // most fields (and the key, when there is one): a title row above it,
        // or the upper row of a two-level header, is passed over.
        var candidates: [(index: Int, cells: [XLSXCell?])] = []
        var index = 0
        while index < rows.count, candidates.count < 10 {
            let cells = merges.filled(rows[index], horizontally: true)
            if !xlsxRowIsBlank(cells) { candidates.append((index, cells)) }
            index += 1
        }
        guard let first = candidates.first else {
            reportProblems(sheet.problems, path: path, columns: [], entity: e)
            return (0, 0)
        }
        var best = first
        var bestScore = -1
        for c in candidates {
            let score = headerScore(c.cells.map { $0.map { xlsxCellText($0, system: system) } ?? "" }, entity: entity)
            if score > bestScore {
                best = c
                bestScore = score
            }
        }
        let headerRow = rows[best.index]
        let headers = best.cells.map { $0.map { xlsxCellText($0, system: system) } ?? "" }
        if best.index != first.index {
            let skipped = candidates.filter { $0.index < best.index }.count
            dataset.notes.append(DataError(path: path, line: headerRow.number, column: nil, value: nil,
                                           reason: Bilingual("以第 \(headerRow.number) 行为表头，之前的 \(skipped) 行（标题、说明）已跳过",
                                                        "row \(headerRow.number) is the header; the \(skipped) rows above it (titles, notes) were skipped")))
        }
        let headerErrors = dataset.errors.count
        let mapping = mapHeader(headers, entity: e, path: path, line: headerRow.number)
        for i in headerErrors..<dataset.errors.count {
            guard let h = dataset.errors[i].column, let c = headers.firstIndex(of: h) else { continue }
            let ref = cellReference(row: headerRow.number, column: c)
            dataset.errors[i].reason = Bilingual(dataset.errors[i].reason.zh + "（单元格 \(ref)）", dataset.errors[i].reason.en + " (cell \(ref))")
        }
        var columns = [(column: Int, scale: Double)?](repeating: nil, count: entity.fields.count)
        for (c, cm) in mapping.enumerated() {
            if let cm { columns[cm.field] = (c, cm.scale) }
        }
        if let k = entity.keyField, columns[k] == nil {
            let f = entity.fields[k]
            throw InputFailure(path: path, message: Bilingual("找不到记录标识列 “\(f.label)”（字段 \(f.name)），无法读取",
                                                         "the key column '\(f.label)' (field \(f.name)) is missing; the file cannot be read"))
        }
        reportProblems(sheet.problems, path: path, columns: columns, entity: e)
        dataset.tables[e].reserve(rows.count - best.index)

        var read = 0
        var rejected = 0
        for row in rows[(best.index + 1)...] {
            let cells = merges.filled(row, horizontally: false)
            if xlsxRowIsBlank(cells) { continue }
            // A template's hint line (first cell starting with `#`) is not a record.
            if case .text(let t)?? = cells.first, t.hasPrefix("#") { continue }
            read += 1
            if cells.count > mapping.count,
               let extra = cells[mapping.count...].indices.first(where: { cells[$0].map { !xlsxCellIsBlank($0) } ?? false }) {
                let ref = cellReference(row: row.number, column: extra)
                dataset.errors.append(DataError(path: path, line: row.number, column: nil,
                                                value: cells[extra].map { xlsxCellText($0, system: system) },
                                                reason: Bilingual("单元格 \(ref) 在表头范围之外，已忽略", "cell \(ref) lies beyond the header and was ignored")))
            }
            let before = dataset.errors.count
            if !addRecord(entity: e, input: inputIndex, path: path, line: row.number, markers: &markers,
                          cells: XLSXCells(cells: cells, columns: columns, system: system)) {
                rejected += 1
            }
            // Point each new error at its cell: B12 says more than "row 12, 在校生数".
            for i in before..<dataset.errors.count {
                guard let label = dataset.errors[i].column,
                      let fi = entity.fields.firstIndex(where: { $0.label == label }),
                      let column = columns[fi]?.column else { continue }
                let ref = cellReference(row: row.number, column: column)
                dataset.errors[i].reason = Bilingual(dataset.errors[i].reason.zh + "（单元格 \(ref)）", dataset.errors[i].reason.en + " (cell \(ref))")
            }
        }
        if merges.truncated {
            dataset.notes.append(DataError(path: path, line: nil, column: nil, value: nil,
                                           reason: Bilingual("合并单元格过多，只填充了一部分", "too many merged cells; only some were filled")))
        }
        return (read, rejected)
    }

    /// The cells the sheet reader left out, as data errors on their row and
    /// (when the column is a field's) their field.
    mutating func reportProblems(_ problems: [XLSXCellProblem], path: String, columns: [(column: Int, scale: Double)?], entity e: Int) {
        for p in problems {
            let label = p.column.flatMap { c in columns.firstIndex { $0?.column == c } }.map { program.entities[e].fields[$0].label }
            dataset.errors.append(DataError(path: path, line: p.row, column: label, value: p.value ?? p.reference,
                                            reason: Bilingual(p.reason.zh + "（单元格 \(p.reference)）", p.reason.en + " (cell \(p.reference))")))
        }
    }

    /// Fields a header row names; naming the key counts more than all the rest.
    func headerScore(_ headers: [String], entity: Entity) -> Int {
        var fields = Set<Int>()
        // A header names at most a few hundred columns; a row of thousands
        // of filled cells is data, and judging it cell by cell would be slow.
        for h in headers.lazy.filter({ !$0.isEmpty }).prefix(512) {
            switch matchHeader(h, entity: entity) {
            case .field(let m): fields.insert(m.field)
            case .badUnit(let fi, _): fields.insert(fi)
            case .unknown: break
            }
        }
        var score = fields.count
        if let k = entity.keyField, fields.contains(k) { score += 100_000 }
        return score
    }

    func chooseSheet(_ workbook: XLSXWorkbook, spec: InputSpec, entity: Entity) throws -> String {
        if let wanted = spec.sheet {
            if workbook.sheetNames.contains(wanted) { return wanted }
            // `#学校` should find the sheet " 学校 " or "ＳＣＨＯＯＬ" typed by hand.
            let key = normalizeHeader(wanted)
            if let found = workbook.sheetNames.first(where: { normalizeHeader($0) == key }) { return found }
            let available = workbook.sheetNames.joined(separator: "、")
            throw InputFailure(path: spec.displayPath, message: Bilingual("找不到工作表 “\(wanted)”（现有：\(available)）",
                                                                     "no sheet named '\(wanted)' (the workbook has: \(workbook.sheetNames.joined(separator: ", ")))"))
        }
        if let named = workbook.sheetNames.first(where: { xlsxSheetNames($0, entity: entity) }) { return named }
        guard let first = workbook.sheetNames.first else {
            throw InputFailure(path: spec.displayPath, message: Bilingual("工作簿中没有工作表", "the workbook has no sheets"))
        }
        return first
    }
}

/// Whether a sheet's name is the entity's name or label.
func xlsxSheetNames(_ sheet: String, entity: Entity) -> Bool {
    let s = normalizeHeader(sheet)
    return entity.name == s || normalizeHeader(entity.label) == s || entity.name.lowercased() == s.lowercased()
}

extension Discovery {
    /// For an .xlsx file whose name names no entity: one input for each sheet
    /// whose name is an entity's name or label, shown as `file.xlsx#sheet`.
    static func xlsxSheetInputs(path: String, displayPath: String, program: Program) throws -> [InputSpec] {
        let bytes: [UInt8]
        do {
            bytes = try readInputFile(path)
        } catch let e as DataReadError {
            throw InputFailure(path: displayPath, message: Bilingual(e.message, e.messageEN))
        }
        let workbook: XLSXWorkbook
        do {
            workbook = try XLSXWorkbook(bytes: bytes)
        } catch {
            throw InputFailure(path: displayPath, message: xlsxErrorText(error))
        }
        var out: [InputSpec] = []
        for name in workbook.sheetNames {
            guard let e = program.entities.firstIndex(where: { xlsxSheetNames(name, entity: $0) }) else { continue }
            out.append(InputSpec(entity: e, path: path, displayPath: displayPath + "#" + name, sheet: name))
        }
        return out
    }
}

/// The reader's "中文 / English" message as the two texts of a report.
func xlsxErrorText(_ error: Error) -> Bilingual {
    let message = (error as? XLSXError)?.message ?? "\(error)"
    let prefix = "无法读取 xlsx 文件："
    let prefixEN = "cannot read the xlsx file: "
    if let range = message.range(of: " / ") {
        return Bilingual(prefix + message[..<range.lowerBound], prefixEN + message[range.upperBound...])
    }
    return Bilingual(prefix + message, prefixEN + message)
}

/// A cell as the text a CSV export of the sheet would hold.
func xlsxCellText(_ cell: XLSXCell, system: ExcelDateSystem) -> String {
    switch cell {
    case .text(let s): return s
    case .number(let d): return jsonNumberText(d)
    case .bool(let b): return b ? "TRUE" : "FALSE"
    case .date(let serial):
        let iso = excelSerialToISO8601(serial, uses1904: system == .s1904)
        return iso.isEmpty ? jsonNumberText(serial) : iso
    case .error(let code): return code
    }
}

func xlsxCellIsBlank(_ cell: XLSXCell) -> Bool {
    if case .text(let s) = cell { return normalizeCellText(s).isEmpty }
    return false
}

func xlsxRowIsBlank(_ cells: [XLSXCell?]) -> Bool {
    cells.allSatisfy { $0.map(xlsxCellIsBlank) ?? true }
}

/// The cells of one sheet row, by field.
struct XLSXCells: RecordCells {
    let cells: [XLSXCell?]
    let columns: [(column: Int, scale: Double)?]
    let system: ExcelDateSystem

    func cell(_ field: Int) -> (XLSXCell?, Double)? {
        guard field >= 0, field < columns.count, let (c, scale) = columns[field] else { return nil }
        return (c < cells.count ? cells[c] : nil, scale)
    }

    func withCell<R>(_ field: Int, _ body: (UnsafeBufferPointer<UInt8>, Double) -> R) -> R? {
        guard let (cell, scale) = cell(field) else { return nil }
        var text = cell.map { xlsxCellText($0, system: system) } ?? ""
        return text.withUTF8 { body($0, scale) }
    }

    func typedCell(_ field: Int) -> TypedCell? {
        guard let (cell, scale) = cell(field), let cell else { return nil }
        switch cell {
        case .number(let d): return TypedCell(value: .number(d), raw: jsonNumberText(d), scale: scale, system: system)
        case .bool(let b): return TypedCell(value: .bool(b), raw: b ? "TRUE" : "FALSE", scale: scale, system: system)
        case .date(let serial): return TypedCell(value: .date(serial: serial), raw: xlsxCellText(cell, system: system), scale: scale, system: system)
        case .text, .error: return nil
        }
    }
}

/// Values of merged ranges for the empty cells they cover. Header rows take
/// a range's value across its whole width (a group title over several
/// columns); data rows only down its first column (a 市州 merged over the
/// schools below it), since a value spread sideways over other fields'
/// columns would be a guess.
struct MergeFill {
    /// Per covered row number, the ranges with a value that cover it.
    private var byRow: [Int: [(first: Int, last: Int, value: XLSXCell)]] = [:]
    private(set) var truncated = false
    /// Bounds the work for sheets with absurd merge lists.
    static let budget = 1 << 20

    init(sheet: XLSXSheet) {
        guard !sheet.merges.isEmpty else { return }
        var index: [Int: Int] = [:]
        for (i, row) in sheet.rows.enumerated() { index[row.number] = i }
        let numbers = sheet.rows.map(\.number)
        var spent = 0
        for merge in sheet.merges {
            guard let ri = index[merge.first.row], merge.first.column >= 0,
                  merge.first.column < sheet.rows[ri].cells.count,
                  let value = sheet.rows[ri].cells[merge.first.column] else { continue }
            // Only rows that exist can be filled; find the first one in range.
            var lo = 0
            var hi = numbers.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if numbers[mid] < merge.first.row { lo = mid + 1 } else { hi = mid }
            }
            var i = lo
            while i < numbers.count, numbers[i] <= merge.last.row {
                spent += 1
                if spent > MergeFill.budget {
                    truncated = true
                    return
                }
                if numbers[i] != merge.first.row || merge.last.column > merge.first.column {
                    byRow[numbers[i], default: []].append((merge.first.column, merge.last.column, value))
                }
                i += 1
            }
        }
    }

    func filled(_ row: XLSXRow, horizontally: Bool) -> [XLSXCell?] {
        guard let ranges = byRow[row.number] else { return row.cells }
        var cells = row.cells
        var spent = 0
        for r in ranges {
            let last = horizontally ? min(r.last, XLSXLimits.maxColumn - 1) : r.first
            guard r.first >= 0, r.first <= last else { continue }
            spent += last - r.first + 1
            if spent > MergeFill.budget { break }
            if cells.count <= last { cells.append(contentsOf: repeatElement(nil, count: last + 1 - cells.count)) }
            for c in r.first...last where cells[c] == nil { cells[c] = r.value }
        }
        while let tail = cells.last, tail == nil { cells.removeLast() }
        return cells
    }
}
