import Foundation

/// An input file for one entity.
struct InputSpec: Sendable, Equatable {
    var entity: Int
    var path: String
    /// Shown in reports instead of `path` (e.g. relative to the sample folder).
    var displayPath: String
    var sheet: String?
    /// The bytes of a file built into the binary; nil for a file on disk.
    var contents: [UInt8]?

    init(entity: Int, path: String, displayPath: String? = nil, sheet: String? = nil, contents: [UInt8]? = nil) {
        self.entity = entity
        self.path = path
        self.displayPath = displayPath ?? path
        self.sheet = sheet
        self.contents = contents
    }
}

/// An input that cannot be read at all (exit code 2).
public struct InputFailure: Error, Sendable, Equatable {
    public var path: String
    public var message: Bilingual
    public init(path: String, message: Bilingual) {
        self.path = path
        self.message = message
    }
}

/// Where a column's values go and how they are scaled into base units.
struct ColumnMapping {
    var field: Int
    var scale: Double
}

/// Turns raw rows (CSV, JSON, spreadsheets) into the typed, columnar tables
/// of the program's entities. Readers never see rules, only the schema.
struct DataLoader {
    let program: Program
    var dataset: Dataset
    /// For `one of` columns: whether each text code is an allowed value.
    /// Per (entity, field) of kind `one of`: whether each dictionary code is an allowed value.
    var allowedCodes: [FieldRef: [Bool]] = [:]
    /// How each field's cells are read, without copying the field per cell.
    let cellKinds: [[CellKind]]
    /// Set while reading a CSV that holds stray non-UTF-8 bytes: each cell is
    /// then checked, and a damaged one is a data error on that cell alone.
    var checkCellBytes = false

    enum CellKind { case number, integer, text, oneOf, bool, date }
    /// Key and reference fields: their cells are codes, which a spreadsheet
    /// number cannot hold past 15 digits.
    let codeFields: [[Bool]]
    /// Bytes read from disk at a time from a delimited text file (tests make it small).
    var blockSize = 8 << 20
    /// Whether a delimited text's fields are read field by field on every
    /// core (`readFields`); nil: for a file on disk when there is more than
    /// one core, row by row for bytes in memory.
    var fieldsInParallel: Bool?

    init(program: Program) {
        self.program = program
        self.dataset = Dataset(program: program)
        self.cellKinds = program.entities.map { e in
            e.fields.map { f -> CellKind in
                switch f.kind {
                case .number(let isInt): return isInt ? .integer : .number
                case .text(let allowed): return allowed == nil ? .text : .oneOf
                case .ref: return .text
                case .bool: return .bool
                case .date: return .date
                }
            }
        }
        self.codeFields = program.entities.map { e in
            e.fields.map { f in
                if case .ref = f.kind { return true }
                return f.isKey
            }
        }
    }

    // MARK: headers

    enum HeaderMatch {
        case field(ColumnMapping)
        case badUnit(field: Int, unit: String)
        case unknown
    }

    func matchHeader(_ raw: String, entity: Entity) -> HeaderMatch {
        let h = normalizeHeader(raw)
        func find(_ name: String) -> Int? {
            if let fi = entity.fields.firstIndex(where: { $0.name == name || normalizeHeader($0.label) == name }) { return fi }
            // A space inside a Chinese label is noise: `所属 市州`, or a header
            // wrapped onto two lines in a spreadsheet cell (`全日制\n在校生数`).
            guard name.contains(" ") else { return nil }
            let squeezed = name.replacingOccurrences(of: " ", with: "")
            return entity.fields.firstIndex { normalizeHeader($0.label).replacingOccurrences(of: " ", with: "") == squeezed }
        }
        if let fi = find(h) { return .field(ColumnMapping(field: fi, scale: entity.fields[fi].unit.scale)) }
        let (label, unitText) = splitHeaderUnit(raw)
        guard let unit = unitText, let fi = find(label) else { return .unknown }
        let f = entity.fields[fi]
        if unit == f.unit.symbol { return .field(ColumnMapping(field: fi, scale: f.unit.scale)) }
        if unit == "%" || unit == "％", f.unit.dimension.isNone {
            return .field(ColumnMapping(field: fi, scale: 0.01))
        }
        if let def = program.units.lookup(unit), def.unit.dimension == f.unit.dimension {
            return .field(ColumnMapping(field: fi, scale: def.unit.scale))
        }
        return .badUnit(field: fi, unit: unit)
    }

    /// Maps the columns of a header row; reports unknown and missing columns.
    mutating func mapHeader(_ headers: [String], entity e: Int, path: String, line: Int) -> [ColumnMapping?] {
        let entity = program.entities[e]
        var mapping: [ColumnMapping?] = []
        var unknown: [String] = []
        var taken = Set<Int>()
        for h in headers {
            switch matchHeader(h, entity: entity) {
            case .field(let m):
                if taken.contains(m.field) {
                    dataset.notes.append(DataError(path: path, line: line, column: h, value: nil,
                                                   reason: Bilingual("列 “\(h)” 与前面的列对应同一字段 \(entity.fields[m.field].name)，已忽略",
                                                                "column '\(h)' maps to field \(entity.fields[m.field].name) again and is ignored")))
                    mapping.append(nil)
                } else {
                    taken.insert(m.field)
                    mapping.append(m)
                }
            case .badUnit(let fi, let unit):
                let f = entity.fields[fi]
                dataset.errors.append(DataError(path: path, line: line, column: h, value: unit,
                                                reason: Bilingual("列的单位 “\(unit)” 无法换算为字段 \(f.name) 的单位 \(f.unit.symbol.isEmpty ? "（无）" : f.unit.symbol)，该列未读取",
                                                             "the column's unit '\(unit)' cannot be converted to \(f.name)'s unit \(f.unit.symbol.isEmpty ? "(none)" : f.unit.symbol); the column was not read")))
                mapping.append(nil)
            case .unknown:
                if !h.trimmingCharacters(in: .whitespaces).isEmpty { unknown.append(h) }
                mapping.append(nil)
            }
        }
        if !unknown.isEmpty {
            dataset.notes.append(DataError(path: path, line: line, column: nil, value: unknown.joined(separator: ", "),
                                           reason: Bilingual("未识别的列已忽略：\(unknown.joined(separator: "、"))",
                                                        "unknown columns ignored: \(unknown.joined(separator: ", "))")))
        }
        for (fi, f) in entity.fields.enumerated() where !taken.contains(fi) && !f.isOptional {
            let hint = closestName(to: f.label, among: unknown) ?? closestName(to: f.name, among: unknown)
            dataset.errors.append(DataError(path: path, line: line, column: f.label, value: nil,
                                            reason: Bilingual("缺少必填列 “\(f.label)”（字段 \(f.name)）" + (hint.map { "；是否是列 “\($0)”？" } ?? ""),
                                                         "required column '\(f.label)' (field \(f.name)) is missing" + (hint.map { "; did you mean column '\($0)'?" } ?? ""))))
        }
        return mapping
    }

    // MARK: records

    /// Bytes that can go into a column as they are: nothing to trim, no
    /// full-width forms to fold, long enough not to be an empty marker.
    @inline(__always)
    static func isPlain(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = p.count
        guard n > 6 else { return false }
        func space(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }
        if space(p[0]) || space(p[n - 1]) { return false }
        // U+3000 and NBSP at either end, and anything in U+F000–U+FFFF
        // (full-width forms, BOM), take the careful path.
        if p[0] == 0xE3 || p[n - 3] == 0xE3 || p[0] == 0xC2 || p[n - 2] == 0xC2 { return false }
        for b in p where b == 0xEF { return false }
        return true
    }

    static func string(_ p: UnsafeBufferPointer<UInt8>) -> String { String(decoding: p, as: UTF8.self) }

    /// Parses one cell into the column of its field; a bad value is a data
    /// error and leaves the value missing, never the record dropped.
    mutating func appendCell(_ p: UnsafeBufferPointer<UInt8>, field fi: Int, scale: Double, entity e: Int, path: String, line: Int,
                             markers: inout [Int: Int]) {
        var none: [Bool] = []
        let note: CellNote
        if cellKinds[e][fi] == .oneOf {
            note = DataLoader.readCell(p, program: program, entity: e, field: fi, kind: .oneOf, scale: scale, checkBytes: checkCellBytes,
                                       into: &dataset.tables[e].columns[fi], allowed: &allowedCodes[FieldRef(entity: e, field: fi), default: []])
        } else {
            note = DataLoader.readCell(p, program: program, entity: e, field: fi, kind: cellKinds[e][fi], scale: scale, checkBytes: checkCellBytes,
                                       into: &dataset.tables[e].columns[fi], allowed: &none)
        }
        switch note {
        case .value, .missing: break
        case .marker: markers[fi, default: 0] += 1
        case .bad(let reason, let raw):
            dataset.errors.append(DataError(path: path, line: line, column: program.entities[e].fields[fi].label, value: raw, reason: reason))
        }
    }

    /// What became of a cell besides its value.
    enum CellNote {
        case value
        case missing
        /// Missing, written as an empty marker (无, —, …): counted per column.
        case marker
        /// Missing because the cell is no value of its field: a data error.
        case bad(Bilingual, raw: String)
    }

    /// How a cell becomes a value of its column: the one definition, for
    /// records read row by row and blocks read field by field. `allowed`
    /// memoises, per text code of a `one of` field, whether it is allowed.
    static func readCell(_ p: UnsafeBufferPointer<UInt8>, program: Program, entity e: Int, field fi: Int, kind: CellKind, scale: Double,
                         checkBytes: Bool, into column: inout Column, allowed: inout [Bool]) -> CellNote {
        func bad(_ reason: Bilingual) -> CellNote {
            column.appendMissing()
            return .bad(reason, raw: DataLoader.string(p))
        }
        func empty(_ marker: String?) -> CellNote {
            column.appendMissing()
            return marker == nil ? .missing : .marker
        }
        if checkBytes, firstInvalidUTF8Offset(p) != nil {
            column.appendMissing()
            return .bad(Bilingual("单元格含有无效的 UTF-8 字节，按缺失处理", "the cell holds bytes that are not valid UTF-8 and counts as missing"),
                        raw: escapingInvalidUTF8(p))
        }
        switch kind {
        case .number, .integer:
            switch parseNumber(utf8: p) {
            case .value(let n):
                if kind == .integer, abs(n.value - n.value.rounded()) > 1e-9 {
                    return bad(Bilingual("应为整数", "must be a whole number"))
                }
                // `45%` under a `（%）` header is 0.45, not 0.0045: the cell's own
                // percent sign already did the header's scaling.
                let s = n.isPercent && scale == 0.01 && program.entities[e].fields[fi].unit.dimension.isNone ? 1 : scale
                column.append(n.value * s)
                return .value
            case .empty(let marker): return empty(marker)
            case .invalid(let err): return bad(Bilingual(err.reason, err.reasonEN))
            }
        case .text, .oneOf:
            let code: Int32
            var added: Bool
            if DataLoader.isPlain(p) {
                (code, added) = column.dict.insert(bytes: p)
            } else {
                let t = normalizeCellText(DataLoader.string(p))
                if let marker = emptyCell(t) {
                    if case .marker(let m) = marker { return empty(m) } else { return empty(nil) }
                }
                (code, added) = column.dict.insert(t)
            }
            if kind == .oneOf, case .text(let allowedTexts?) = program.entities[e].fields[fi].kind {
                // Each distinct text is judged once.
                if added || Int(code) >= allowed.count {
                    while allowed.count <= Int(code) { allowed.append(false) }
                    allowed[Int(code)] = allowedTexts.contains(column.dict.strings[Int(code)])
                }
                if !allowed[Int(code)] {
                    return bad(Bilingual("不是允许的取值（\(allowedTexts.joined(separator: "、"))）", "not one of the allowed values (\(allowedTexts.joined(separator: ", ")))"))
                }
            }
            column.appendCode(code)
            return .value
        case .bool:
            if let b = DataLoader.quickBool(p) {
                column.append(b ? 1 : 0)
                return .value
            }
            switch parseBool(DataLoader.string(p)) {
            case .value(let b):
                column.append(b ? 1 : 0)
                return .value
            case .empty(let marker): return empty(marker)
            case .invalid(let err): return bad(Bilingual(err.reason, err.reasonEN))
            }
        case .date:
            switch parseDate(DataLoader.string(p)) {
            case .value(let d):
                column.append(Double(d))
                return .value
            case .empty(let marker): return empty(marker)
            case .invalid(let err): return bad(Bilingual(err.reason, err.reasonEN))
            }
        }
    }

    /// The common spellings, straight from the bytes: 是 否 true false 1 0 Y N.
    @inline(__always)
    static func quickBool(_ p: UnsafeBufferPointer<UInt8>) -> Bool? {
        switch p.count {
        case 1:
            switch p[0] {
            case UInt8(ascii: "1"), UInt8(ascii: "Y"), UInt8(ascii: "y"): return true
            case UInt8(ascii: "0"), UInt8(ascii: "N"), UInt8(ascii: "n"): return false
            default: return nil
            }
        case 3:
            if p[0] == 0xE6, p[1] == 0x98, p[2] == 0xAF { return true }   // 是
            if p[0] == 0xE5, p[1] == 0x90, p[2] == 0xA6 { return false }  // 否
            return nil
        default: return nil
        }
    }

    /// Adds one record. `cell(field, body)` hands the bytes of a field's cell
    /// to `body`, or returns nil when the input has no such column. Returns
    /// false when the record was rejected (no key, duplicate key).
    mutating func addRecord<Cells: RecordCells>(entity e: Int, input: Int, path: String, line: Int, markers: inout [Int: Int], cells: Cells) -> Bool {
        guard acceptKey(entity: e, input: input, path: path, line: line, cells: cells) else { return false }
        // Not `let entity = program.entities[e]`: copying the entity for every
        // record retains all its names and fields.
        let keyField = program.entities[e].keyField
        for fi in 0..<program.entities[e].fields.count {
            if fi == keyField {
                dataset.tables[e].columns[fi].appendRowNumber()
                continue
            }
            if codeFields[e][fi], let raw = excelMangledCode(cells, field: fi) {
                dataset.errors.append(DataError(path: path, line: line, column: program.entities[e].fields[fi].label, value: raw,
                                                reason: DataLoader.excelDigitsReason(label: program.entities[e].fields[fi].label, key: false)))
                dataset.tables[e].columns[fi].appendMissing()
                continue
            }
            // Spreadsheet numbers, dates and booleans go in without a detour through text.
            if let typed = cells.typedCell(fi), appendTyped(typed, field: fi, entity: e, path: path, line: line) {
                continue
            }
            let done: Bool? = cells.withCell(fi) { p, scale in
                appendCell(p, field: fi, scale: scale, entity: e, path: path, line: line, markers: &markers)
                return true
            }
            if done == nil { dataset.tables[e].columns[fi].appendMissing() }
        }
        dataset.tables[e].appendSource(input: input, line: line)
        return true
    }

    /// Adds the record's key to the key column's dictionary, or says why the
    /// record is rejected (no key, a duplicate, damaged bytes, an Excel
    /// number) in a data error. An entity without a key accepts every record.
    mutating func acceptKey<Cells: RecordCells>(entity e: Int, input: Int, path: String, line: Int, cells: Cells) -> Bool {
        if let k = program.entities[e].keyField {
            if let raw = excelMangledCode(cells, field: k) {
                dataset.errors.append(DataError(path: path, line: line, column: program.entities[e].fields[k].label, value: raw,
                                                reason: DataLoader.excelDigitsReason(label: program.entities[e].fields[k].label, key: true),
                                                rejectsRecord: true))
                return false
            }
            let check: KeyCheck = cells.withCell(k) { p, _ -> KeyCheck in
                if checkCellBytes, firstInvalidUTF8Offset(p) != nil { return .invalidBytes(escapingInvalidUTF8(p)) }
                var inserted: (code: Int32, inserted: Bool)
                if DataLoader.isPlain(p) {
                    inserted = dataset.tables[e].columns[k].dict.insert(bytes: p)
                } else {
                    let t = normalizeCellText(DataLoader.string(p))
                    if t.isEmpty || emptyCell(t) != nil { return .empty(t) }
                    inserted = dataset.tables[e].columns[k].dict.insert(t)
                }
                return inserted.inserted ? .ok : .duplicate(dataset.tables[e].columns[k].dict.strings[Int(inserted.code)], inserted.code)
            } ?? .empty("")
            switch check {
            case .ok: break
            case .empty(let raw):
                dataset.errors.append(DataError(path: path, line: line, column: program.entities[e].fields[k].label, value: raw,
                                                reason: Bilingual("缺少记录标识（\(program.entities[e].fields[k].label)），该记录未评估", "the record has no key (\(program.entities[e].fields[k].label)) and was not evaluated"),
                                                rejectsRecord: true))
                return false
            case .invalidBytes(let raw):
                dataset.errors.append(DataError(path: path, line: line, column: program.entities[e].fields[k].label, value: raw,
                                                reason: Bilingual("记录标识（\(program.entities[e].fields[k].label)）含有无效的 UTF-8 字节，该记录未评估",
                                                             "the record's key (\(program.entities[e].fields[k].label)) holds bytes that are not valid UTF-8; the record was not evaluated"),
                                                rejectsRecord: true))
                return false
            case .duplicate(let raw, let first):
                let firstSource = dataset.tables[e].source(Int(first))
                let where_ = firstSource.input == input ? "第 \(firstSource.line) 行" : "\(dataset.inputs.indices.contains(firstSource.input) ? dataset.inputs[firstSource.input].path : "") 第 \(firstSource.line) 行"
                dataset.errors.append(DataError(path: path, line: line, column: program.entities[e].fields[k].label, value: raw,
                                                reason: Bilingual("记录标识重复（首次出现在\(where_)），该记录未评估", "duplicate key (first seen at line \(firstSource.line)); the record was not evaluated"),
                                                rejectsRecord: true))
                return false
            }
        }
        return true
    }

    /// The cell's text when a key or reference arrived as a spreadsheet
    /// number that cannot be the code: a number cell of 10^15 or more (Excel
    /// keeps 15 significant digits; past them the digits are gone), or text
    /// in the exponent form Excel shows and exports such numbers in
    /// (`9.16201E+17`). A code may hold the letter E (统一社会信用代码 does)
    /// but never a sign, so the exponent's required sign tells them apart.
    /// A long run of digits in a CSV is taken as the code it says it is: a
    /// CSV cannot tell whether Excel padded it with zeros.
    func excelMangledCode<Cells: RecordCells>(_ cells: Cells, field: Int) -> String? {
        if let typed = cells.typedCell(field) {
            guard case .number(let d) = typed.value else { return nil }
            let looksExponent = typed.raw.utf8.withContiguousStorageIfAvailable { isExponentNumber($0) } ?? false
            return abs(d) >= 1e15 || !d.isFinite || looksExponent ? typed.raw : nil
        }
        return cells.withCell(field) { p, _ in isExponentNumber(p) ? DataLoader.string(p) : nil } ?? nil
    }

    static func excelDigitsReason(label: String, key: Bool) -> Bilingual {
        Bilingual("“\(label)”是编码，却以 Excel 数字（科学计数法或超过 15 位）的形式出现：Excel 的数字只保留 15 位有效数字，其余各位已经丢失、无法还原，不同的编码可能变成同一个值。请把该列设置为“文本”格式后重新填入原编码（dabiao template --format xlsx 生成的模板已设好），"
             + (key ? "该记录未评估" : "该引用按缺失处理"),
             "'\(label)' is a code but arrived as an Excel number (exponent form or more than 15 digits): Excel keeps only 15 significant digits of a number, so the other digits are lost and cannot be recovered, and different codes may become the same value. Format the column as Text and enter the codes again (the template from dabiao template --format xlsx is formatted so); "
             + (key ? "the record was not evaluated" : "the reference counts as missing"))
    }

    func markerNotes(_ markers: [Int: Int], entity e: Int, path: String) -> [DataError] {
        markers.keys.sorted().map { fi in
            let f = program.entities[e].fields[fi]
            return DataError(path: path, line: nil, column: f.label, value: nil,
                             reason: Bilingual("\(markers[fi] ?? 0) 个单元格填写了“无/—/-”等空值标记，按缺失处理",
                                          markers[fi] == 1 ? "1 cell holds an empty marker (无, —, -, …) and counts as missing"
                                                       : "\(markers[fi] ?? 0) cells hold an empty marker (无, —, -, …) and count as missing"))
        }
    }

    // MARK: files

    mutating func load(_ spec: InputSpec, encoding: TextEncodingKind? = nil, delimiter: UInt8? = nil) throws {
        if let contents = spec.contents {
            try load(bytes: contents, spec: spec, encoding: encoding, delimiter: delimiter)
            return
        }
        let ext = (spec.path as NSString).pathExtension.lowercased()
        if DataLoader.isDelimitedText(ext), try loadDelimitedFile(spec, ext: ext, encoding: encoding, delimiter: delimiter) { return }
        let bytes: [UInt8]
        do {
            bytes = try readInputFile(spec.path)
        } catch let e as DataReadError {
            throw InputFailure(path: spec.displayPath, message: Bilingual(e.message, e.messageEN))
        }
        try load(bytes: bytes, spec: spec, encoding: encoding, delimiter: delimiter)
    }

    /// Extensions read as spreadsheets or JSON; every other file is delimited text.
    static func isDelimitedText(_ ext: String) -> Bool {
        !["xls", "et", "xlsx", "xlsm", "json", "jsonl", "ndjson"].contains(ext)
    }

    /// A delimited text file in UTF-8 is read block by block, never whole:
    /// a first pass learns its encoding, lines and delimiter, a second reads
    /// the rows while the other core hashes the same blocks. Returns false,
    /// having read no record, for a file that is not UTF-8 throughout (and
    /// no UTF-8 was asked for): it is decoded whole, as `load(bytes:)` does.
    mutating func loadDelimitedFile(_ spec: InputSpec, ext: String, encoding: TextEncodingKind?, delimiter: UInt8?) throws -> Bool {
        let path = spec.displayPath
        let forcedUTF8: Bool
        switch encoding {
        case nil: forcedUTF8 = false
        case .utf8?, .utf8BOM?: forcedUTF8 = true
        default: return false
        }
        let file: InputFile
        let scan: CSVFileScan
        do {
            file = try InputFile(spec.path)
            scan = try CSVFileScan(file, blockSize: blockSize)
            try file.rewind()
        } catch let e as DataReadError {
            throw InputFailure(path: path, message: Bilingual(e.message, e.messageEN))
        }
        guard scan.isValidUTF8 || forcedUTF8 else { return false }

        let e = spec.entity
        let inputIndex = dataset.inputs.count
        dataset.inputs.append(InputInfo(entity: program.entities[e].name, path: path, records: 0, rejected: 0, sha256: ""))
        let digest = BlockHasher()
        checkCellBytes = !scan.isValidUTF8
        defer { checkCellBytes = false }
        // Room for every line, so the columns of a large file never regrow.
        dataset.tables[e].reserve(scan.lineEnds)
        var markers: [Int: Int] = [:]
        let delim = delimiter ?? (ext == "tsv" || ext == "tab" ? UInt8(ascii: "\t") : scan.delimiter)
        var total = 0
        let blockSize = self.blockSize
        let changed = InputFailure(path: path, message: Bilingual("文件在读取过程中被修改，请在文件写完后重新检查",
                                                             "the file changed while it was being read; check it again once it is written"))
        let byField = fieldsInParallel ?? (ProcessInfo.processInfo.activeProcessorCount > 1)
        let (read, rejected) = try readDelimitedRows(entity: e, input: inputIndex, path: path, delimiter: delim, byField: byField,
                                                     markers: &markers) { carry in
            // At least as many new bytes as the row the last block cut holds, so a row longer than a block is read whole.
            let want = max(blockSize, carry.count)
            // A buffer the hasher is done with, its bytes overwritten: the cut row first, then the new bytes.
            var block = digest.spares.take()
            block.replaceSubrange(0..<min(block.count, carry.count), with: carry)
            let got: Int
            do {
                got = try file.read(upTo: want, into: &block, at: carry.count)
            } catch let e as DataReadError {
                throw InputFailure(path: path, message: Bilingual(e.message, e.messageEN))
            }
            total += got
            guard total <= file.size else { throw changed }
            digest.add(block, from: carry.count)
            return (block, got < want)
        }
        // Two passes read what one file held: a file rewritten in between is no input to judge.
        guard file.isUnchanged, total == file.size else { throw changed }
        dataset.inputs[inputIndex].sha256 = digest.finish()
        dataset.notes += markerNotes(markers, entity: e, path: path)
        dataset.inputs[inputIndex].records = read
        dataset.inputs[inputIndex].rejected = rejected
        return true
    }

    mutating func load(bytes: [UInt8], spec: InputSpec, encoding: TextEncodingKind? = nil, delimiter: UInt8? = nil) throws {
        let ext = (spec.path as NSString).pathExtension.lowercased()
        let inputIndex = dataset.inputs.count
        let e = spec.entity
        let path = spec.displayPath
        dataset.inputs.append(InputInfo(entity: program.entities[e].name, path: path, records: 0, rejected: 0, sha256: ""))
        // The checksum needs every byte but nothing else: the other core does it while this one parses.
        let digest = ChunkResults<String>(count: 1)
        let hashing = DispatchGroup()
        DispatchQueue.global().async(group: hashing) { digest.set(0, SHA256.hex(bytes)) }
        defer {
            hashing.wait()
            dataset.inputs[inputIndex].sha256 = digest.get(0) ?? ""
        }
        var read = 0
        var rejected = 0
        var markers: [Int: Int] = [:]
        switch ext {
        case "xls", "et":
            throw InputFailure(path: path, message: Bilingual("不支持旧版 Excel（.xls）或 WPS（.et）文件，请另存为 .xlsx 或 CSV（UTF-8）",
                                                     "old Excel (.xls) and WPS (.et) files are not supported; save as .xlsx or CSV (UTF-8)"))
        case "xlsx", "xlsm":
            (read, rejected) = try loadXLSX(bytes: bytes, spec: spec, inputIndex: inputIndex, markers: &markers)
        case "json", "jsonl", "ndjson":
            let records: [RawRecord]
            do {
                let text = try decodeToUTF8(bytes, forced: encoding)
                records = try readJSONRecords(text.utf8, format: ext == "json" ? nil : .lines)
            } catch let err as DataReadError {
                throw InputFailure(path: path, message: Bilingual(err.render(english: false), err.render(english: true)))
            }
            let entity = program.entities[e]
            var known: [String: HeaderMatch] = [:]
            var unknown = Set<String>()
            for rec in records {
                read += 1
                var cells: [Int: (String, Double)] = [:]
                // A field given twice (the same key, or its name and its label)
                // has no one value: it is reported and counts as missing.
                var givenAs: [Int: [String]] = [:]
                for (name, value) in rec.fields {
                    let m = known[name] ?? matchHeader(name, entity: entity)
                    known[name] = m
                    guard case .field(let map) = m else {
                        unknown.insert(name)
                        continue
                    }
                    givenAs[map.field, default: []].append(name)
                    if givenAs[map.field, default: []].count > 1 { continue }
                    switch value {
                    case .empty: cells[map.field] = ("", map.scale)
                    case .text(let s): cells[map.field] = (s, map.scale)
                    case .number(let d): cells[map.field] = (jsonNumberText(d), map.scale)
                    case .bool(let b): cells[map.field] = (b ? "true" : "false", map.scale)
                    case .invalid(let raw):
                        dataset.errors.append(DataError(path: path, line: rec.line, column: entity.fields[map.field].label, value: raw,
                                                        reason: Bilingual("值应为单个数值、文本或真假值，不能是对象或数组", "the value must be a single number, text or bool, not an object or array")))
                        cells[map.field] = ("", map.scale)
                    }
                }
                for (fi, names) in givenAs.sorted(by: { $0.key < $1.key }) where names.count > 1 {
                    let f = entity.fields[fi]
                    let distinct = names.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
                    let reason = distinct.count == 1
                        ? Bilingual("键 “\(names[0])” 在同一记录中出现了 \(names.count) 次，取值不明确，字段 \(f.name) 按缺失处理",
                               "the key '\(names[0])' appears \(names.count) times in the record; the value is ambiguous and field \(f.name) counts as missing")
                        : Bilingual("同一记录中的键 \(distinct.map { "“\($0)”" }.joined(separator: "、")) 都指向字段 \(f.name)，取值不明确，按缺失处理",
                               "the keys \(distinct.map { "'\($0)'" }.joined(separator: ", ")) of the record all name field \(f.name); the value is ambiguous and counts as missing")
                    dataset.errors.append(DataError(path: path, line: rec.line, column: f.label, value: names.joined(separator: ", "), reason: reason))
                    cells[fi] = ("", cells[fi]?.1 ?? 1)
                }
                if !addRecord(entity: e, input: inputIndex, path: path, line: rec.line, markers: &markers, cells: TextCells(cells: cells)) {
                    rejected += 1
                }
            }
            if !unknown.isEmpty {
                dataset.notes.append(DataError(path: path, line: nil, column: nil, value: unknown.sorted().joined(separator: ", "),
                                               reason: Bilingual("未识别的字段已忽略：\(unknown.sorted().joined(separator: "、"))",
                                                            "unknown fields ignored: \(unknown.sorted().joined(separator: ", "))")))
            }
            for (fi, f) in entity.fields.enumerated() where !f.isOptional && !known.values.contains(where: {
                if case .field(let m) = $0 { return m.field == fi } else { return false }
            }) && !records.isEmpty {
                dataset.errors.append(DataError(path: path, line: nil, column: f.label, value: nil,
                                                reason: Bilingual("所有记录都缺少必填字段 “\(f.name)”（\(f.label)）", "no record has the required field '\(f.name)' (\(f.label))")))
            }
        default:
            let utf8: [UInt8]
            do {
                let decoded = try decodeCSVToUTF8(bytes, forced: encoding)
                utf8 = decoded.decoded.utf8
                checkCellBytes = decoded.hasStrayBytes
            } catch let err as DataReadError {
                throw InputFailure(path: path, message: Bilingual(err.render(english: false), err.render(english: true)))
            }
            defer { checkCellBytes = false }
            let delim = delimiter ?? (ext == "tsv" || ext == "tab" ? UInt8(ascii: "\t") : detectCSVDelimiter(utf8))
            // Room for every line, so the columns of a large file never regrow.
            let lines = utf8.withUnsafeBufferPointer { p in p.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } }
            dataset.tables[e].reserve(lines)
            (read, rejected) = try readDelimitedRows(entity: e, input: inputIndex, path: path, delimiter: delim, byField: fieldsInParallel ?? false,
                                                     markers: &markers) { carry in
                (carry.isEmpty ? utf8 : carry + utf8, true)
            }
        }
        dataset.notes += markerNotes(markers, entity: e, path: dataset.inputs[inputIndex].path)
        dataset.inputs[inputIndex].records = read
        dataset.inputs[inputIndex].rejected = rejected
    }

    /// Reads the rows of a delimited text from blocks of UTF-8 (one block for
    /// bytes in memory, many for a file on disk). `nextBlock(carry)` gives
    /// the unread rest of the block before (a row its end cut) followed by
    /// the next bytes, at least as many as the rest unless the input ends,
    /// and whether they are the last: a row cut by a block's end is read again whole.
    /// With `byField`, a block's records are read row by row only as far as
    /// their keys; the other fields' cells are then read into their columns
    /// field by field, on every core (`readFields`).
    mutating func readDelimitedRows(entity e: Int, input inputIndex: Int, path: String, delimiter: UInt8, byField: Bool, markers: inout [Int: Int],
                                    nextBlock: ([UInt8]) throws -> (bytes: [UInt8], isFinal: Bool)) throws -> (read: Int, rejected: Int) {
        var read = 0
        var rejected = 0
        var row = CSVRow()
        var mapping: [ColumnMapping?]?
        var columns = [(column: Int, scale: Double)?](repeating: nil, count: program.entities[e].fields.count)
        var carry: [UInt8] = []
        // Used again block after block, keeping their memory.
        var fieldBlock = FieldBlock(fieldCount: 0)
        var recordErrorStarts: [Int] = []
        var line = 1
        var offset = 0
        do {
            while true {
                let (bytes, isFinal) = try nextBlock(carry)
                var reader = CSVReader(bytes: bytes, delimiter: delimiter, line: line, isFinal: isFinal, fileOffset: offset)
                // Cells are placed in 32 bits: a block longer than that (one vast row) is read row by row.
                let fieldWise = byField && bytes.count < Int(Int32.max)
                fieldBlock.reset(fieldCount: fieldWise ? columns.count : 0)
                let blockErrors = dataset.errors.count
                recordErrorStarts.removeAll(keepingCapacity: true)
                while try reader.next(into: &row) {
                    guard mapping != nil else {
                        let m = mapHeader(row.strings, entity: e, path: path, line: row.line)
                        mapping = m
                        for (c, cm) in m.enumerated() {
                            if let cm { columns[cm.field] = (c, cm.scale) }
                        }
                        if let k = program.entities[e].keyField, columns[k] == nil {
                            let f = program.entities[e].fields[k]
                            throw InputFailure(path: path, message: Bilingual("找不到记录标识列 “\(f.label)”（字段 \(f.name)），无法读取",
                                                                         "the key column '\(f.label)' (field \(f.name)) is missing; the file cannot be read"))
                        }
                        continue
                    }
                    // A template's hint line (first cell starting with `#`) is not a record.
                    if row.count > 0, row.withField(0, { $0.first == UInt8(ascii: "#") }) { continue }
                    read += 1
                    if fieldWise { recordErrorStarts.append(dataset.errors.count - blockErrors) }
                    let width = mapping?.count ?? 0
                    if row.count > width, (width..<row.count).contains(where: { !row.isEmpty($0) }) {
                        dataset.errors.append(DataError(path: path, line: row.line, column: nil, value: row.string(row.count - 1),
                                                        reason: Bilingual("本行的单元格比表头多 \(row.count - width) 个，多出的已忽略",
                                                                     "the row has \(row.count - width) more cells than the header; the extra cells were ignored")))
                    }
                    if fieldWise {
                        if acceptKey(entity: e, input: inputIndex, path: path, line: row.line, cells: CSVCells(row: row, columns: columns)) {
                            if let k = program.entities[e].keyField { dataset.tables[e].columns[k].appendRowNumber() }
                            dataset.tables[e].appendSource(input: inputIndex, line: row.line)
                            fieldBlock.add(row, record: recordErrorStarts.count - 1, columns: columns, keyField: program.entities[e].keyField)
                        } else {
                            rejected += 1
                        }
                    } else if !addRecord(entity: e, input: inputIndex, path: path, line: row.line, markers: &markers,
                                         cells: CSVCells(row: row, columns: columns)) {
                        rejected += 1
                    }
                }
                if fieldWise {
                    let phaseOne = Array(dataset.errors[blockErrors...])
                    dataset.errors.removeSubrange(blockErrors...)
                    readFields(of: fieldBlock, source: bytes, entity: e, path: path, scales: columns.map { $0?.scale ?? 1 },
                               phaseOne: phaseOne, recordErrorStarts: recordErrorStarts, markers: &markers)
                }
                if isFinal { break }
                // The unread rest (a row the block cut) goes before the next block.
                let used = reader.consumed
                carry = used < bytes.count ? Array(bytes[used...]) : []
                offset += used
                line = reader.nextLine
                row = CSVRow()
            }
        } catch let err as DataReadError {
            throw InputFailure(path: path, message: Bilingual(err.render(english: false), err.render(english: true)))
        }
        return (read, rejected)
    }

    /// Adds records given as field values (test blocks).
    mutating func add(_ given: GivenRecord, line: Int) {
        let e = given.entity
        if dataset.inputs.isEmpty {
            dataset.inputs.append(InputInfo(entity: program.entities[e].name, path: "test", records: 0, rejected: 0, sha256: ""))
        }
        let entity = program.entities[e]
        if let k = entity.keyField {
            guard case .text(let key)? = given.values[k] else { return }
            if !dataset.tables[e].columns[k].dict.insert(key).inserted { return }
        }
        for fi in entity.fields.indices {
            if fi == entity.keyField {
                dataset.tables[e].columns[fi].appendRowNumber()
                continue
            }
            switch given.values[fi] {
            case .number(let d): dataset.tables[e].columns[fi].append(d)
            case .bool(let b): dataset.tables[e].columns[fi].append(b ? 1 : 0)
            case .date(let d): dataset.tables[e].columns[fi].append(Double(d))
            case .text(let s): dataset.tables[e].columns[fi].appendText(s)
            case .missing, .undefined, nil: dataset.tables[e].columns[fi].appendMissing()
            }
        }
        dataset.tables[e].appendSource(input: 0, line: line)
        dataset.inputs[0].records += 1
    }
}

/// A JSON number as the text a spreadsheet cell would hold.
func jsonNumberText(_ d: Double) -> String {
    if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
    return String(d)
}

/// `9.16201E+17`, `-1.5e-07`, with spaces around: a number in exponent form
/// whose exponent has its sign, as spreadsheets write them.
func isExponentNumber(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
    var lo = 0
    var hi = p.count
    while lo < hi, p[lo] == 0x20 || p[lo] == 0x09 { lo += 1 }
    while hi > lo, p[hi - 1] == 0x20 || p[hi - 1] == 0x09 { hi -= 1 }
    var i = lo
    func digits() -> Int {
        let start = i
        while i < hi, p[i] >= 0x30, p[i] <= 0x39 { i += 1 }
        return i - start
    }
    if i < hi, p[i] == 0x2B || p[i] == 0x2D { i += 1 }
    var mantissa = digits()
    if i < hi, p[i] == 0x2E {
        i += 1
        mantissa += digits()
    }
    guard mantissa > 0, i < hi, p[i] == 0x45 || p[i] == 0x65 else { return false }
    i += 1
    guard i < hi, p[i] == 0x2B || p[i] == 0x2D else { return false }
    i += 1
    return digits() > 0 && i == hi
}

enum KeyCheck {
    case ok
    case empty(String)
    case duplicate(String, Int32)
    case invalidBytes(String)
}

/// The cells of one input record, by field.
protocol RecordCells {
    /// Hands the UTF-8 bytes of the field's cell and the scale of its column
    /// to `body`; nil when the input has no column for the field.
    func withCell<R>(_ field: Int, _ body: (UnsafeBufferPointer<UInt8>, Double) -> R) -> R?
    /// A typed spreadsheet value for the field, if the input has one; text
    /// cells (and every CSV or JSON cell) go through `withCell`.
    func typedCell(_ field: Int) -> TypedCell?
}

extension RecordCells {
    func typedCell(_ field: Int) -> TypedCell? { nil }
}

struct CSVCells: RecordCells {
    let row: CSVRow
    let columns: [(column: Int, scale: Double)?]

    func withCell<R>(_ field: Int, _ body: (UnsafeBufferPointer<UInt8>, Double) -> R) -> R? {
        guard field < columns.count, let (c, scale) = columns[field] else { return nil }
        return row.withField(c) { body($0, scale) }
    }
}

struct TextCells: RecordCells {
    let cells: [Int: (String, Double)]

    func withCell<R>(_ field: Int, _ body: (UnsafeBufferPointer<UInt8>, Double) -> R) -> R? {
        guard let (text, scale) = cells[field] else { return nil }
        var t = text
        return t.withUTF8 { body($0, scale) }
    }
}
