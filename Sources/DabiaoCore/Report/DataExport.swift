import Foundation

/// `dabiao export`: the records exactly as the engine holds them after
/// loading, one clean CSV per entity, for a database to load (docs/sql.md).
///
/// The files are for machines, not people: UTF-8 without a BOM (COPY in
/// PostgreSQL and DuckDB would take a BOM for part of the first column's
/// name), LF line ends, no formula guarding, field names as headers.
enum DataExport {
    struct File: Sendable, Equatable {
        /// The file name inside the output folder.
        let name: String
        let bytes: [UInt8]
        /// Records written (data rows); nil for the data-errors file.
        let records: Int?
    }

    /// The name of the file that lists what the export could not carry.
    static let errorsFile = "data-errors.csv"

    /// Every file of an export, in a fixed order: each entity that had an
    /// input (`ENTITY.csv`), then its baseline (`prev_ENTITY.csv`) in entity
    /// order, then `data-errors.csv`. An entity without any input gets no
    /// file, so checking the exported folder still says it is missing.
    static func files(program: Program, data: Dataset, baseline: Dataset?, lang: Lang) -> [File] {
        var out: [File] = []
        var problems: [DataError] = data.errors
        for (e, entity) in program.entities.enumerated() where data.inputs.contains(where: { $0.entity == entity.name }) {
            let (bytes, rows) = csv(program: program, entity: e, table: data.tables[e], path: entity.name + ".csv", problems: &problems)
            out.append(File(name: entity.name + ".csv", bytes: bytes, records: rows))
        }
        if let baseline {
            problems += baseline.errors
            for (e, entity) in program.entities.enumerated() where baseline.inputs.contains(where: { $0.entity == entity.name }) {
                let name = "prev_" + entity.name + ".csv"
                let (bytes, rows) = csv(program: program, entity: e, table: baseline.tables[e], path: name, problems: &problems)
                out.append(File(name: name, bytes: bytes, records: rows))
            }
        }
        out.append(File(name: errorsFile, bytes: errorsCSV(problems, lang: lang), records: nil))
        return out
    }

    /// Writes the files into `directory` (created when absent). Nothing is
    /// written when any of them exists: an export never replaces files, not
    /// even those of an earlier export, and never leaves half a set.
    static func write(_ files: [File], to directory: String) throws -> [String] {
        let fm = FileManager.default
        let targets = files.map { (directory as NSString).appendingPathComponent($0.name) }
        // Two entities `x` and `prev_x` would claim the same file.
        if Set(targets).count != targets.count {
            let dup = targets.first { t in targets.filter { $0 == t }.count > 1 } ?? directory
            throw InputFailure(path: dup, message: Bilingual("两张表对应同一个文件名（实体 prev_X 与 X 的上期数据），无法导出",
                                                        "two tables would share this file name (an entity prev_X and the baseline of X); nothing was exported"))
        }
        let existing = targets.filter { fm.fileExists(atPath: $0) }
        if !existing.isEmpty {
            throw InputFailure(path: existing[0], message: Bilingual("文件已存在，不会覆盖（共 \(existing.count) 个）；请换一个空目录",
                                                                "the file exists and is not overwritten (\(existing.count) in all); choose an empty folder"))
        }
        do {
            try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw InputFailure(path: directory, message: Bilingual("无法创建目录：\(error.localizedDescription)", "cannot create the folder: \(error.localizedDescription)"))
        }
        for (file, target) in zip(files, targets) {
            do {
                try Data(file.bytes).write(to: URL(fileURLWithPath: target), options: .withoutOverwriting)
            } catch {
                throw InputFailure(path: target, message: Bilingual("无法写入：\(error.localizedDescription)", "cannot write: \(error.localizedDescription)"))
            }
        }
        return targets
    }

    // MARK: tables

    /// One entity's records: a header of field names, then one line per
    /// accepted record in the order read. Rejected records never reached the
    /// table, so they cannot appear here.
    static func csv(program: Program, entity e: Int, table: Table, path: String, problems: inout [DataError]) -> ([UInt8], Int) {
        let fields = program.entities[e].fields
        var out: [UInt8] = []
        out.reserveCapacity(64 * (table.count + 1))
        for (i, f) in fields.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            appendCell(f.name, to: &out)
        }
        out.append(0x0A)
        let columns = table.columns
        for row in 0..<table.count {
            for (fi, f) in fields.enumerated() {
                if fi > 0 { out.append(UInt8(ascii: ",")) }
                guard fi < columns.count, row < columns[fi].count else { continue }
                let v = columns[fi][row]
                if v.isNaN { continue }
                switch f.kind {
                case .number:
                    if let t = number(base: v, scale: f.unit.scale) {
                        out.append(contentsOf: t.utf8)
                    } else {
                        // An infinite value (a huge number times its unit's
                        // scale) has no spelling dabiao reads back; the cell
                        // goes out empty and the errors file says so.
                        problems.append(DataError(path: path, line: row + 2, column: f.name, value: v < 0 ? "-∞" : "∞",
                                                  reason: Bilingual("换算到基本单位后数值为无穷大，导出为空", "the value is infinite once converted to base units and is exported empty")))
                    }
                case .text, .ref:
                    if let t = columns[fi].text(row) { appendCell(t, to: &out) }
                case .bool:
                    out.append(contentsOf: (v != 0 ? "true" : "false").utf8)
                case .date:
                    // Dates come from the date parser, so they are whole days
                    // in a sane range; the guard keeps Int(_:) from trapping.
                    if v.isFinite, abs(v) < 1e9 {
                        out.append(contentsOf: CivilDate.format(Int(v)).utf8)
                    }
                }
            }
            out.append(0x0A)
        }
        return (out, table.count)
    }

    /// RFC 4180: a cell holding a comma, a quote, CR or LF is quoted and its
    /// quotes doubled; anything else goes out as it is.
    static func appendCell(_ s: String, to out: inout [UInt8]) {
        let bytes = Array(s.utf8)
        let needsQuotes = bytes.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
        guard needsQuotes else {
            out.append(contentsOf: bytes)
            return
        }
        out.append(UInt8(ascii: "\""))
        for b in bytes {
            out.append(b)
            if b == UInt8(ascii: "\"") { out.append(b) }
        }
        out.append(UInt8(ascii: "\""))
    }

    // MARK: numbers

    /// A base-unit value in the field's declared unit (`scale` base units per
    /// unit), as the shortest text that dabiao reads back to exactly the same
    /// base value; nil for an infinite value.
    ///
    /// Dividing by the scale can leave binary noise (123.45 万元 is stored as
    /// 1234500.0000000002 元 and divides back to 123.45000000000002), so a
    /// text of at most 15 significant digits that reads back exactly wins
    /// over the shortest spelling of the quotient. When no text reads back
    /// exactly (possible only for values that never came from a decimal
    /// cell), the quotient's shortest spelling is the nearest there is.
    static func number(base v: Double, scale: Double) -> String? {
        guard v.isFinite else { return nil }
        if v == 0 { return "0" }
        // Counts and most amounts: a whole number in a unit of scale 1 is
        // its own exact spelling (every integer below 2^53 is a Double).
        if scale == 1, v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        let x = v / scale
        guard x.isFinite else { return nil }
        let shortest = decimal(x)
        if shortest.digits <= 15, readsBack(shortest.text, scale: scale, as: v) { return shortest.text }
        for precision in 15...17 {
            if let t = decimal(x, precision: precision), readsBack(t, scale: scale, as: v) { return t }
        }
        return shortest.text
    }

    /// Whether the cell text loads as `v` under a header of the field's name.
    static func readsBack(_ text: String, scale: Double, as v: Double) -> Bool {
        var t = text
        let parsed = t.withUTF8 { parseNumber(utf8: $0) }
        guard case .value(let n) = parsed, !n.isPercent else { return false }
        return n.value * scale == v
    }

    /// Shortest round-tripping spelling of `x` (Swift's), laid out by `layout`.
    static func decimal(_ x: Double) -> (text: String, digits: Int) {
        guard let (negative, digits, point) = splitScientific("\(x)") else { return ("\(x)", 17) }
        return (layout(negative: negative, digits: digits, point: point), digits.count)
    }

    /// `x` rounded to `precision` significant digits, laid out by `layout`.
    static func decimal(_ x: Double, precision: Int) -> String? {
        guard let (negative, digits, point) = splitScientific(String(format: "%.\(precision - 1)e", x)) else { return nil }
        return layout(negative: negative, digits: digits, point: point)
    }

    /// Reads `-1.2345e+02`, `123.45`, `1e-05` into sign, significant digits
    /// (no leading or trailing zeros) and the decimal point's position: the
    /// value is 0.DIGITS × 10^point.
    static func splitScientific(_ s: String) -> (Bool, [UInt8], Int)? {
        var bytes = Array(s.utf8)
        var negative = false
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            bytes.removeFirst()
        }
        var exponent = 0
        if let e = bytes.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            guard let n = Int(String(decoding: bytes[(e + 1)...], as: UTF8.self)) else { return nil }
            exponent = n
            bytes.removeSubrange(e...)
        }
        var digits: [UInt8] = []
        var point: Int?
        for b in bytes {
            if b == UInt8(ascii: ".") {
                guard point == nil else { return nil }
                point = digits.count
            } else if b >= 48 && b <= 57 {
                digits.append(b)
            } else {
                return nil
            }
        }
        var position = (point ?? digits.count) + exponent
        while let first = digits.first, first == UInt8(ascii: "0") {
            digits.removeFirst()
            position -= 1
        }
        while let last = digits.last, last == UInt8(ascii: "0") { digits.removeLast() }
        guard !digits.isEmpty else { return (false, [UInt8(ascii: "0")], 1) }
        return (negative, digits, position)
    }

    /// Plain decimals for magnitudes from 10⁻⁷ up to 10²¹ (JavaScript's
    /// rule, which covers every quantity an indicator holds); exponent form
    /// `1.5e+25` outside it, which dabiao, DuckDB, PostgreSQL and Spark all read.
    static func layout(negative: Bool, digits: [UInt8], point: Int) -> String {
        var out: [UInt8] = negative ? [UInt8(ascii: "-")] : []
        let exponent = point - 1
        let zero = UInt8(ascii: "0")
        if exponent >= -7 && exponent < 21 {
            if point <= 0 {
                out += [zero, UInt8(ascii: ".")] + [UInt8](repeating: zero, count: -point) + digits
            } else if point >= digits.count {
                out += digits + [UInt8](repeating: zero, count: point - digits.count)
            } else {
                out += digits[..<point] + [UInt8(ascii: ".")] + digits[point...]
            }
        } else {
            out.append(digits[0])
            if digits.count > 1 { out += [UInt8(ascii: ".")] + digits[1...] }
            out += Array("e\(exponent < 0 ? "-" : "+")\(abs(exponent))".utf8)
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: errors

    /// The data errors of the data and the baseline: `file,line,column,value,reason`.
    /// The header stays English whatever the language, so a table loaded from
    /// it keeps its column names; the reasons are in `lang`.
    static func errorsCSV(_ errors: [DataError], lang: Lang) -> [UInt8] {
        var out = Array("file,line,column,value,reason\n".utf8)
        for e in errors {
            appendCell(e.path, to: &out)
            out.append(UInt8(ascii: ","))
            if let l = e.line { out += Array(String(l).utf8) }
            out.append(UInt8(ascii: ","))
            if let c = e.column { appendCell(c, to: &out) }
            out.append(UInt8(ascii: ","))
            if let v = e.value { appendCell(v, to: &out) }
            out.append(UInt8(ascii: ","))
            let omitted = Bilingual("；该记录未导出", "; the record is not in the export")
            appendCell(e.reason(lang) + (e.rejectsRecord ? omitted(lang) : ""), to: &out)
            out.append(0x0A)
        }
        return out
    }
}
