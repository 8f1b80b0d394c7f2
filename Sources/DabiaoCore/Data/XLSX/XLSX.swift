import Foundation

/// Any failure while reading an xlsx file. Messages are Chinese first (for school staff),
/// then English.
struct XLSXError: Error, Equatable, Sendable, CustomStringConvertible {
    var message: String
    init(message: String) { self.message = message }
    var description: String { message }
}

/// A cell value. Dates stay Excel serial numbers (days since the workbook's epoch, fraction
/// = time of day); `excelSerialToISO8601` turns them into text.
enum XLSXCell: Equatable, Sendable {
    case text(String)
    case number(Double)
    case bool(Bool)
    case date(serial: Double)
    case error(String)
}

/// A cell position: `row` is the 1-based Excel row number, `column` the 0-based index used
/// in `XLSXRow.cells` (A = 0).
struct CellRef: Hashable, Sendable, CustomStringConvertible {
    var row: Int
    var column: Int
    init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }
    var description: String { cellReference(row: row, column: column) }
}

struct XLSXRow: Equatable, Sendable {
    /// Excel 1-based row number.
    var number: Int
    /// Index = 0-based column; missing cells are nil; no trailing nils.
    var cells: [XLSXCell?]
    init(number: Int, cells: [XLSXCell?]) {
        self.number = number
        self.cells = cells
    }
}

struct XLSXSheet: Sendable {
    var name: String
    /// Rows that contain at least one value, in ascending row number.
    var rows: [XLSXRow]
    /// Merged ranges, normalised so `first` is the top-left and `last` the bottom-right cell.
    var merges: [(first: CellRef, last: CellRef)]
    /// Whether date serials in this sheet count from 1904-01-01 instead of 1899-12-30.
    var uses1904: Bool
    /// Cells that were left out because their reference or value is wrong;
    /// the loader reports each as a data error.
    var problems: [XLSXCellProblem] = []

    init(name: String, rows: [XLSXRow], merges: [(first: CellRef, last: CellRef)] = [], uses1904: Bool = false) {
        self.name = name
        self.rows = rows
        self.merges = merges
        self.uses1904 = uses1904
    }

    func cell(at ref: CellRef) -> XLSXCell? {
        guard let row = rows.first(where: { $0.number == ref.row }),
              ref.column >= 0, ref.column < row.cells.count else { return nil }
        return row.cells[ref.column]
    }

    /// Copies the top-left value of every merged range into the range's empty cells, limited
    /// to rows in `rowNumbers` (typically the header rows, where a merged title such as
    /// "学生信息" spans several columns). Rows that are missing but covered are created.
    func fillingMergedCells(inRows rowNumbers: ClosedRange<Int>) throws -> XLSXSheet {
        var byNumber: [Int: [XLSXCell?]] = [:]
        for row in rows { byNumber[row.number] = row.cells }
        var filled = 0
        for merge in merges {
            let top = max(merge.first.row, rowNumbers.lowerBound)
            let bottom = min(merge.last.row, rowNumbers.upperBound)
            guard top <= bottom, let value = cell(at: merge.first) else { continue }
            let area = (bottom - top + 1) * (merge.last.column - merge.first.column + 1)
            filled += area
            guard filled <= XLSXLimits.maxFilledCells else {
                throw XLSXError(message: "合并单元格区域过大 / merged ranges too large to fill")
            }
            for rowNumber in top...bottom {
                var cells = byNumber[rowNumber] ?? []
                if cells.count <= merge.last.column {
                    cells.append(contentsOf: repeatElement(nil, count: merge.last.column + 1 - cells.count))
                }
                for column in merge.first.column...merge.last.column where cells[column] == nil {
                    cells[column] = value
                }
                byNumber[rowNumber] = cells
            }
        }
        var copy = self
        copy.rows = byNumber.keys.sorted().compactMap { number in
            byNumber[number].map { XLSXRow(number: number, cells: $0) }
        }
        return copy
    }
}

/// A cell the sheet reader left out (or emptied), so a bad reference can
/// never silently overwrite another cell's value.
struct XLSXCellProblem: Equatable, Sendable {
    /// The `<row r=…>` the cell sits in.
    var row: Int
    /// The column the value was (or would have been) placed in, when known.
    var column: Int?
    /// The cell's `r` attribute as written (cut short when absurdly long).
    var reference: String
    /// The cell's raw value, when that is what is wrong.
    var value: String?
    var reason: Bilingual
}

enum XLSXLimits {
    static let maxRow = 1_048_576
    static let maxColumn = 16_384
    /// Bounds memory for sheets whose cells sit far to the right (each row stores every
    /// column up to its last value): about 32 million slots.
    static let maxCellSlots = 32 << 20
    static let maxFilledCells = 1 << 20
}

/// "B12" for row 12, column 1 (0-based). Returns "" for positions outside Excel's grid.
func cellReference(row: Int, column: Int) -> String {
    guard row >= 1, row <= XLSXLimits.maxRow else { return "" }
    let letters = excelColumnName(column)
    return letters.isEmpty ? "" : letters + String(row)
}

/// "A" for 0, "Z" for 25, "AA" for 26. Returns "" for negative or too large columns.
func excelColumnName(_ column: Int) -> String {
    guard column >= 0, column < XLSXLimits.maxColumn else { return "" }
    var value = column + 1
    var scalars: [Unicode.Scalar] = []
    while value > 0 {
        let remainder = (value - 1) % 26
        scalars.append(Unicode.Scalar(UInt8(65 + remainder)))
        value = (value - 1) / 26
    }
    return String(String.UnicodeScalarView(scalars.reversed()))
}

/// Parses "B12", "$B$12" or "b12" into a `CellRef`; nil if it is not a single cell reference.
func parseCellReference(_ reference: String) -> CellRef? {
    let bytes = Array(reference.utf8)
    var i = 0
    if i < bytes.count, bytes[i] == 0x24 { i += 1 }
    guard let (column, afterLetters) = parseXLSXColumnLetters(bytes[...], from: i) else { return nil }
    i = afterLetters
    if i < bytes.count, bytes[i] == 0x24 { i += 1 }
    guard let row = XMLScanner.parseInt(bytes, i, bytes.count), row >= 1, row <= XLSXLimits.maxRow else { return nil }
    return CellRef(row: row, column: column)
}

/// A `<c r=…>` reference as Excel writes it: upper-case letters, then a row
/// number without sign or leading zero, both inside Excel's grid. Anything
/// else (`b2`, `A0`, `A-1`, `ZZZZZZZZ1`, a 20-digit row) is nil, checked
/// digit by digit so no length of input can overflow.
func parseStrictCellReference(_ bytes: ArraySlice<UInt8>) -> CellRef? {
    var i = bytes.startIndex
    var column = 0
    while i < bytes.endIndex, bytes[i] >= 0x41, bytes[i] <= 0x5A {
        column = column * 26 + Int(bytes[i] - 0x40)
        guard column <= XLSXLimits.maxColumn else { return nil }
        i += 1
    }
    guard i > bytes.startIndex, i < bytes.endIndex, bytes[i] != 0x30 else { return nil }
    var row = 0
    while i < bytes.endIndex {
        let b = bytes[i]
        guard b >= 0x30, b <= 0x39 else { return nil }
        row = row * 10 + Int(b - 0x30)
        guard row <= XLSXLimits.maxRow else { return nil }
        i += 1
    }
    return CellRef(row: row, column: column - 1)
}

/// Reads column letters starting at `start`; returns the 0-based column and the index after them.
func parseXLSXColumnLetters(_ bytes: ArraySlice<UInt8>, from start: Int) -> (Int, Int)? {
    var i = start
    var column = 0
    while i < bytes.endIndex {
        var byte = bytes[i]
        if byte >= 0x61 && byte <= 0x7A { byte -= 0x20 }
        guard byte >= 0x41 && byte <= 0x5A else { break }
        column = column * 26 + Int(byte - 0x40)
        guard column <= XLSXLimits.maxColumn else { return nil }
        i += 1
    }
    guard i > start else { return nil }
    return (column - 1, i)
}

/// Converts an Excel date serial into "yyyy-MM-dd", or "yyyy-MM-ddTHH:mm:ss" when it has a
/// time part. In the 1900 system serial 60 is Excel's fictitious 1900-02-29; it maps to
/// 1900-02-28 here, and serials below 60 are shifted so 1 = 1900-01-01 as Excel shows them.
func excelSerialToISO8601(_ serial: Double, uses1904: Bool) -> String {
    guard serial.isFinite, serial > -1_000_000, serial < 3_000_000 else { return "" }
    var days = Int(serial.rounded(.down))
    var seconds = Int(((serial - Double(days)) * 86_400).rounded())
    if seconds >= 86_400 {
        days += 1
        seconds -= 86_400
    }
    // Day numbers relative to 1970-01-01.
    let epochOffset: Int
    if uses1904 {
        epochOffset = -24_107  // 1904-01-01
    } else if days < 60 {
        epochOffset = -25_568  // 1899-12-31, before Excel's phantom leap day
    } else {
        epochOffset = -25_569  // 1899-12-30; serial 60 (the phantom day) lands on 1900-02-28
    }
    let (year, month, day) = xlsxCivilFromDays(days + epochOffset)
    let date = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
    guard seconds > 0 else { return date }
    return date + "T" + pad(seconds / 3600, 2) + ":" + pad(seconds / 60 % 60, 2) + ":" + pad(seconds % 60, 2)
}

private func pad(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
}

/// Proleptic Gregorian date for a day count relative to 1970-01-01.
func xlsxCivilFromDays(_ dayCount: Int) -> (Int, Int, Int) {
    let c = CivilDate.components(dayCount)
    return (c.year, c.month, c.day)
}

/// Day count relative to 1970-01-01 for a proleptic Gregorian date (no range check).
func xlsxDaysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
    CivilDate.unchecked(year: year, month: month, day: day)
}

/// An opened workbook. Shared strings and styles are read up front; sheets on demand.
struct XLSXWorkbook: Sendable {
    /// Sheet names in workbook order (hidden sheets included).
    var sheetNames: [String]
    /// `workbookPr date1904`: date serials count from 1904-01-01 (old Mac Excel files).
    var uses1904: Bool

    private let archive: ZipArchive
    private let sheetParts: [String: String]
    private let sharedStrings: [String]
    private let dateStyles: [Bool]

    init(bytes: [UInt8]) throws {
        archive = try ZipArchive(bytes: bytes)
        let lookup = ZipPartLookup(names: archive.entryNames)

        // The package relationships name the workbook part; fall back to the usual location.
        var workbookPath = "xl/workbook.xml"
        if let rootRels = lookup.find("_rels/.rels") {
            let rels = try parseXLSXRelationships(archive.read(rootRels), partName: "_rels/.rels", baseDirectory: "")
            if let office = rels.first(where: { $0.type.hasSuffix("/officeDocument") }) {
                workbookPath = office.target
            }
        }
        guard let workbookPart = lookup.find(workbookPath) ?? lookup.find("xl/workbook.xml") else {
            throw XLSXError(message: "不是有效的 xlsx 文件（找不到 workbook.xml，可能是 .xls 或其他格式） / not an xlsx workbook (workbook.xml missing)")
        }
        let workbook = try parseXLSXWorkbookPart(archive.read(workbookPart), partName: workbookPart)
        uses1904 = workbook.uses1904

        let directory = workbookPart.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let relsPath = (directory.isEmpty ? "" : directory + "/") + "_rels/" + (workbookPart.split(separator: "/").last.map(String.init) ?? "workbook.xml") + ".rels"
        var relationships: [XLSXRelationship] = []
        if let relsPart = lookup.find(relsPath) {
            relationships = try parseXLSXRelationships(archive.read(relsPart), partName: relsPart, baseDirectory: directory)
        }
        var parts: [String: String] = [:]
        var names: [String] = []
        for (index, sheet) in workbook.sheets.enumerated() {
            let target = relationships.first(where: { $0.id == sheet.relationshipID })?.target
            // Without relationships, sheets are conventionally numbered in workbook order.
            let candidates = [target, target.map { String($0.drop(while: { $0 == "/" })) },
                              (directory.isEmpty ? "" : directory + "/") + "worksheets/sheet\(index + 1).xml"]
            guard let part = candidates.compactMap({ $0 }).lazy.compactMap({ lookup.find($0) }).first else { continue }
            if parts[sheet.name] == nil {
                names.append(sheet.name)
                parts[sheet.name] = part
            }
        }
        sheetNames = names
        sheetParts = parts

        let sharedPath = relationships.first(where: { $0.type.hasSuffix("/sharedStrings") })?.target
        if let part = sharedPath.flatMap({ lookup.find($0) }) ?? lookup.find("xl/sharedStrings.xml") {
            sharedStrings = try parseXLSXSharedStrings(archive.read(part), partName: part)
        } else {
            sharedStrings = []
        }
        let stylesPath = relationships.first(where: { $0.type.hasSuffix("/styles") })?.target
        if let part = stylesPath.flatMap({ lookup.find($0) }) ?? lookup.find("xl/styles.xml") {
            dateStyles = try parseXLSXDateStyles(archive.read(part), partName: part)
        } else {
            dateStyles = []
        }
    }

    func sheet(named name: String) throws -> XLSXSheet {
        guard let part = sheetParts[name] else {
            let available = sheetNames.joined(separator: "、")
            throw XLSXError(message: "找不到工作表“\(name)”（现有：\(available)） / no sheet named \(name)")
        }
        let context = XLSXSheetContext(sharedStrings: sharedStrings, dateStyles: dateStyles, uses1904: uses1904)
        var sheet = try parseXLSXSheet(archive.read(part), partName: part, context: context)
        sheet.name = name
        return sheet
    }
}

/// Finds archive entries tolerantly: some writers use backslashes, a leading slash or
/// different letter case than the relationship targets.
struct ZipPartLookup {
    private var exact: Set<String> = []
    private var normalised: [String: String] = [:]

    init(names: [String]) {
        for name in names {
            exact.insert(name)
            let key = ZipPartLookup.normalise(name)
            if normalised[key] == nil { normalised[key] = name }
        }
    }

    static func normalise(_ name: String) -> String {
        String(name.replacingOccurrences(of: "\\", with: "/").drop(while: { $0 == "/" })).lowercased()
    }

    func find(_ path: String) -> String? {
        if exact.contains(path) { return path }
        return normalised[ZipPartLookup.normalise(path)]
    }
}

struct XLSXRelationship {
    var id: String
    var type: String
    var target: String
}

/// Parses a .rels part; targets are resolved to archive paths relative to `baseDirectory`.
func parseXLSXRelationships(_ data: [UInt8], partName: String, baseDirectory: String) throws -> [XLSXRelationship] {
    var scanner = XMLScanner(data, partName: partName)
    var result: [XLSXRelationship] = []
    while true {
        switch try scanner.next() {
        case .start where scanner.nameIs("Relationship"):
            guard scanner.attributeString("TargetMode") != "External",
                  let id = scanner.attributeString("Id"), let target = scanner.attributeString("Target") else { continue }
            result.append(XLSXRelationship(id: id, type: scanner.attributeString("Type") ?? "",
                                       target: resolveXLSXPartPath(target, baseDirectory: baseDirectory)))
        case .endOfDocument:
            return result
        default:
            continue
        }
    }
}

/// "/xl/worksheets/sheet1.xml" is absolute within the package; "worksheets/sheet1.xml" and
/// "../xl/…" are relative to the directory of the part that owns the relationship.
func resolveXLSXPartPath(_ target: String, baseDirectory: String) -> String {
    let decoded = target.removingPercentEncoding ?? target
    let isAbsolute = decoded.hasPrefix("/")
    var segments: [Substring] = isAbsolute ? [] : baseDirectory.split(separator: "/")
    for segment in decoded.split(separator: "/") {
        switch segment {
        case ".": continue
        case "..": _ = segments.popLast()
        default: segments.append(segment)
        }
    }
    return segments.joined(separator: "/")
}

struct XLSXWorkbookInfo {
    var sheets: [(name: String, relationshipID: String)] = []
    var uses1904 = false
}

func parseXLSXWorkbookPart(_ data: [UInt8], partName: String) throws -> XLSXWorkbookInfo {
    var scanner = XMLScanner(data, partName: partName)
    var info = XLSXWorkbookInfo()
    while true {
        switch try scanner.next() {
        case .start where scanner.nameIs("sheet"):
            guard let name = scanner.attributeString("name") else { continue }
            info.sheets.append((name, scanner.attributeString("id") ?? ""))
        case .start where scanner.nameIs("workbookPr"):
            let flag = scanner.attributeString("date1904")?.lowercased()
            info.uses1904 = flag == "1" || flag == "true"
        case .endOfDocument:
            return info
        default:
            continue
        }
    }
}

/// OOXML escapes characters that XML cannot carry as `_xHHHH_` (e.g. `_x000D_` for CR).
func decodeOOXMLEscapes(_ text: String) -> String {
    guard text.contains("_x") else { return text }
    var scalars = String.UnicodeScalarView()
    let source = Array(text.unicodeScalars)
    var i = 0
    while i < source.count {
        if source[i] == "_", i + 6 < source.count, source[i + 1] == "x", source[i + 6] == "_" {
            let hex = String(String.UnicodeScalarView(source[(i + 2)..<(i + 6)]))
            if let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value) {
                scalars.append(scalar)
                i += 7
                continue
            }
        }
        scalars.append(source[i])
        i += 1
    }
    return String(scalars)
}

/// Collects the visible text of a rich or plain string item (`<si>` or `<is>`), skipping
/// phonetic runs (`<rPh>`), which hold ruby text, not cell content.
private func readStringItem(_ scanner: inout XMLScanner) throws -> String {
    var buffer: [UInt8] = []
    var depth = 1
    var inText = false
    var phoneticDepth = 0
    while depth > 0 {
        switch try scanner.next() {
        case .start:
            depth += 1
            if scanner.nameIs("rPh") { phoneticDepth += 1 }
            inText = scanner.nameIs("t")
        case .end:
            depth -= 1
            if scanner.nameIs("rPh") { phoneticDepth -= 1 }
            inText = false
        case .text:
            if inText && phoneticDepth == 0 { scanner.appendText(to: &buffer) }
        case .endOfDocument:
            return decodeOOXMLEscapes(String(decoding: buffer, as: UTF8.self))
        }
    }
    return decodeOOXMLEscapes(String(decoding: buffer, as: UTF8.self))
}

func parseXLSXSharedStrings(_ data: [UInt8], partName: String) throws -> [String] {
    var scanner = XMLScanner(data, partName: partName)
    var strings: [String] = []
    while true {
        switch try scanner.next() {
        case .start where scanner.nameIs("si"):
            strings.append(try readStringItem(&scanner))
        case .endOfDocument:
            return strings
        default:
            continue
        }
    }
}

/// Returns, for each cell format (`cellXfs` index), whether it displays a date or time.
func parseXLSXDateStyles(_ data: [UInt8], partName: String) throws -> [Bool] {
    var scanner = XMLScanner(data, partName: partName)
    var customFormats: [Int: String] = [:]
    var formatIDs: [Int] = []
    var inCellXfs = false
    var xfDepth = 0
    while true {
        switch try scanner.next() {
        case .start:
            if scanner.nameIs("numFmt"), let id = scanner.attributeInt("numFmtId") {
                customFormats[id] = scanner.attributeString("formatCode") ?? ""
            } else if scanner.nameIs("cellXfs") {
                inCellXfs = true
            } else if inCellXfs {
                xfDepth += 1
                if xfDepth == 1, scanner.nameIs("xf") {
                    formatIDs.append(scanner.attributeInt("numFmtId") ?? 0)
                }
            }
        case .end:
            if scanner.nameIs("cellXfs") {
                inCellXfs = false
            } else if inCellXfs {
                xfDepth -= 1
            }
        case .text:
            continue
        case .endOfDocument:
            return formatIDs.map { id in
                if let code = customFormats[id] { return isXLSXDateFormat(code) }
                return isBuiltInXLSXDateFormat(id)
            }
        }
    }
}

/// Built-in formats 14–22 and 45–47 are dates/times everywhere; 27–36 and 50–58 are the
/// East Asian date formats (e.g. 31 = yyyy"年"m"月"d"日" in Chinese Excel and WPS).
func isBuiltInXLSXDateFormat(_ id: Int) -> Bool {
    (14...22).contains(id) || (45...47).contains(id) || (27...36).contains(id) || (50...58).contains(id)
}

/// A custom format is a date if a date/time letter appears outside quoted literals,
/// `[...]` sections (colours, locales, conditions), escapes and padding directives.
func isXLSXDateFormat(_ code: String) -> Bool {
    var inQuotes = false
    var inBracket = false
    var skipNext = false
    for character in code {
        if skipNext {
            skipNext = false
            continue
        }
        if inQuotes {
            if character == "\"" { inQuotes = false }
            continue
        }
        if inBracket {
            if character == "]" { inBracket = false }
            continue
        }
        switch character {
        case "\"": inQuotes = true
        case "[": inBracket = true
        case "\\", "_", "*": skipNext = true
        case "y", "Y", "m", "M", "d", "D", "h", "H", "s", "S":
            return true
        case "@":
            return false
        default:
            continue
        }
    }
    return false
}

struct XLSXSheetContext {
    var sharedStrings: [String]
    var dateStyles: [Bool]
    var uses1904: Bool
}

/// Parses `<c t="d">` ISO 8601 values ("2024-09-01", "2024-09-01T08:30:00") into a serial.
func xlsxISODateToSerial(_ text: String, uses1904: Bool) -> Double? {
    let bytes = Array(text.utf8)
    func number(_ start: Int, _ length: Int) -> Int? {
        guard start + length <= bytes.count else { return nil }
        return XMLScanner.parseInt(bytes, start, start + length)
    }
    guard bytes.count >= 10, bytes[4] == 0x2D, bytes[7] == 0x2D,
          let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
          (1...12).contains(month), (1...31).contains(day) else { return nil }
    var seconds = 0.0
    if bytes.count >= 19, bytes[10] == 0x54 || bytes[10] == 0x20,
       let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2) {
        seconds = Double(hour * 3600 + minute * 60 + second)
    }
    let unixDays = xlsxDaysFromCivil(year, month, day)
    var serial: Int
    if uses1904 {
        serial = unixDays + 24_107
    } else {
        serial = unixDays + 25_569
        if serial < 61 { serial -= 1 }  // before Excel's phantom 1900-02-29
    }
    return Double(serial) + seconds / 86_400
}

func parseXLSXSheet(_ data: [UInt8], partName: String, context: XLSXSheetContext) throws -> XLSXSheet {
    var scanner = XMLScanner(data, partName: partName)
    var rows: [XLSXRow] = []
    var merges: [(first: CellRef, last: CellRef)] = []
    var slots = 0
    var rowNumber = 0
    var cells: [XLSXCell?] = []
    var column = -1
    var cellType: ArraySlice<UInt8> = []
    var cellStyle = 0
    var valueBuffer: [UInt8] = []
    var inlineText: String?
    var inValue = false
    var inCell = false
    var needsSort = false
    var problems: [XLSXCellProblem] = []
    /// The current cell is left out (its problem is already recorded).
    var skipCell = false
    /// The current cell's `r`, kept as bytes: a String per cell would cost
    /// more than the rest of reading it, and is only needed for a problem.
    var referenceBytes: ArraySlice<UInt8> = []

    var reference: String {
        if referenceBytes.isEmpty { return cellReference(row: rowNumber, column: max(0, column)) }
        return String(decoding: referenceBytes.prefix(32), as: UTF8.self) + (referenceBytes.count > 32 ? "…" : "")
    }

    func problem(_ zh: String, _ en: String, column: Int?, value: String? = nil) {
        problems.append(XLSXCellProblem(row: rowNumber, column: column, reference: reference, value: value, reason: Bilingual(zh, en)))
    }

    func badCell(_ what: String) -> XLSXError {
        XLSXError(message: "\(partName) 中 \(cellReference(row: rowNumber, column: max(0, column))) 单元格无效（\(what)） / invalid cell \(cellReference(row: rowNumber, column: max(0, column))): \(what)")
    }

    func finishRow() throws {
        while let last = cells.last, last == nil { cells.removeLast() }
        guard !cells.isEmpty else { return }
        slots += cells.count
        guard slots <= XLSXLimits.maxCellSlots else {
            throw XLSXError(message: "\(partName) 工作表过大（单元格超过上限） / sheet too large")
        }
        if let previous = rows.last, previous.number >= rowNumber { needsSort = true }
        rows.append(XLSXRow(number: rowNumber, cells: cells))
    }

    func makeCell() throws -> XLSXCell? {
        if let inlineText { return .text(inlineText) }
        guard !valueBuffer.isEmpty else { return nil }
        switch cellType.count {
        case 0:
            return try numberCell()
        case 1:
            switch cellType.first {
            case 0x6E:  // n
                return try numberCell()
            case 0x73:  // s: shared string index
                guard let index = XMLScanner.parseInt(valueBuffer, 0, valueBuffer.count),
                      index < context.sharedStrings.count else {
                    throw badCell("共享字符串索引错误 / bad shared string index")
                }
                return .text(context.sharedStrings[index])
            case 0x62:  // b
                // Excel writes 0 or 1; anything else must not quietly become FALSE.
                if valueBuffer == [0x31] || valueBuffer == Array("true".utf8) { return .bool(true) }
                if valueBuffer == [0x30] || valueBuffer == Array("false".utf8) { return .bool(false) }
                let text = String(decoding: valueBuffer.prefix(64), as: UTF8.self)
                problem("真假值单元格的值 “\(text)” 不是 0 或 1，按缺失处理",
                        "the boolean cell's value '\(text)' is not 0 or 1 and counts as missing", column: column, value: text)
                return nil
            case 0x65:  // e
                return .error(String(decoding: valueBuffer, as: UTF8.self))
            case 0x64:  // d: ISO 8601 date (Strict OOXML, some LibreOffice files)
                let text = String(decoding: valueBuffer, as: UTF8.self)
                if let serial = xlsxISODateToSerial(text, uses1904: context.uses1904) { return .date(serial: serial) }
                return .text(text)
            default:
                return .text(decodeOOXMLEscapes(String(decoding: valueBuffer, as: UTF8.self)))
            }
        default:
            // "str" (formula result) and "inlineStr" with a stray <v>.
            return .text(decodeOOXMLEscapes(String(decoding: valueBuffer, as: UTF8.self)))
        }
    }

    func numberCell() throws -> XLSXCell? {
        var text = String(decoding: valueBuffer, as: UTF8.self)
        if valueBuffer.first == 0x20 || valueBuffer.last == 0x20 || valueBuffer.contains(0x0A) {
            text = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty { return nil }
        }
        // The CSV grammar: no hex, no inf/nan, no overflow to infinity.
        let parsed = parseNumber(text)
        guard case .value(let number) = parsed, !number.isPercent, number.value.isFinite else {
            if case .empty(nil) = parsed { return nil }
            problem("数值单元格的值 “\(text.prefix(64))” 不是有效数字，按缺失处理",
                    "the number cell's value '\(text.prefix(64))' is not a valid number and counts as missing",
                    column: column, value: String(text.prefix(64)))
            return nil
        }
        let value = number.value
        if cellStyle >= 0, cellStyle < context.dateStyles.count, context.dateStyles[cellStyle] {
            return .date(serial: value)
        }
        return .number(value)
    }

    while true {
        switch try scanner.next() {
        case .start:
            if scanner.nameIs("c") {
                skipCell = false
                if let r = scanner.attributeBytes("r"), !r.isEmpty {
                    referenceBytes = r
                    if let ref = parseStrictCellReference(r) {
                        if ref.row != rowNumber {
                            problem("单元格 \(reference) 不在它所在的第 \(rowNumber) 行，已忽略",
                                    "cell \(reference) does not belong to its row \(rowNumber) and was ignored", column: ref.column)
                            skipCell = true
                        } else if ref.column <= column {
                            // A second A2, or A2 after C2: which value was meant is unknowable.
                            let earlier = ref.column < cells.count ? cells[ref.column] : nil
                            if earlier != nil { cells[ref.column] = nil }
                            problem(earlier != nil ? "单元格 \(reference) 在本行重复出现，两个值都不采用，按缺失处理"
                                                   : "单元格 \(reference) 与本行前面的单元格重复或顺序颠倒，已忽略",
                                    earlier != nil ? "cell \(reference) appears twice in its row; neither value is used and it counts as missing"
                                                   : "cell \(reference) repeats or comes after a later cell of its row and was ignored",
                                    column: ref.column)
                            skipCell = true
                        } else {
                            column = ref.column
                        }
                    } else {
                        problem("单元格引用 “\(reference)” 无效（应为大写列字母加 1–\(XLSXLimits.maxRow) 的行号，如 B2），已忽略",
                                "invalid cell reference '\(reference)' (expected upper-case column letters and a row 1–\(XLSXLimits.maxRow), like B2); the cell was ignored",
                                column: nil)
                        skipCell = true
                    }
                } else {
                    column += 1
                    referenceBytes = []
                }
                guard skipCell || column < XLSXLimits.maxColumn else { throw badCell("列超出范围 / column out of range") }
                cellType = scanner.attributeBytes("t") ?? []
                cellStyle = scanner.attributeInt("s") ?? 0
                valueBuffer.removeAll(keepingCapacity: true)
                inlineText = nil
                inCell = true
            } else if scanner.nameIs("v") {
                inValue = inCell
            } else if scanner.nameIs("is") {
                if inCell { inlineText = try readStringItem(&scanner) }
            } else if scanner.nameIs("row") {
                // A row number that is there but unreadable must not become "the next row".
                let given = scanner.attributeBytes("r")
                let number = given == nil ? rowNumber + 1 : (scanner.attributeInt("r") ?? 0)
                guard number >= 1, number <= XLSXLimits.maxRow else {
                    throw XLSXError(message: "\(partName) 行号无效 / invalid row number")
                }
                rowNumber = number
                cells.removeAll(keepingCapacity: true)
                column = -1
                // A row that opens inside an unclosed cell ends that cell: its
                // value must not land in the new row at column -1.
                inCell = false
                inValue = false
            } else if scanner.nameIs("mergeCell") {
                if let reference = scanner.attributeString("ref") {
                    let parts = reference.split(separator: ":")
                    if parts.count == 2, let a = parseCellReference(String(parts[0])), let b = parseCellReference(String(parts[1])) {
                        merges.append((CellRef(row: min(a.row, b.row), column: min(a.column, b.column)),
                                       CellRef(row: max(a.row, b.row), column: max(a.column, b.column))))
                    }
                }
            }
        case .text:
            if inValue { scanner.appendText(to: &valueBuffer) }
        case .end:
            if scanner.nameIs("v") {
                inValue = false
            } else if scanner.nameIs("c") && inCell {
                inCell = false
                if skipCell { continue }
                let value = try makeCell()
                if let value, column >= 0 {
                    if cells.count <= column {
                        cells.append(contentsOf: repeatElement(nil, count: column - cells.count + 1))
                    }
                    cells[column] = value
                }
            } else if scanner.nameIs("row") {
                try finishRow()
            }
        case .endOfDocument:
            if needsSort { rows = rows.enumerated().sorted { ($0.element.number, $0.offset) < ($1.element.number, $1.offset) }.map(\.element) }
            var sheet = XLSXSheet(name: "", rows: rows, merges: merges, uses1904: context.uses1904)
            sheet.problems = problems
            return sheet
        }
    }

}
