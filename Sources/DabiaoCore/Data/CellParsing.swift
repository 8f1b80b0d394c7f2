import Foundation

// Cell values as data providers actually type them (language.md §7).
//
// Every parser first checks for an empty cell: blank text, or one of the
// markers people type for "nothing here" (`—`, `－`, `-`, `/`, `无`, `N/A`, …).
// Both come back as `.empty`, the marker carrying the original text so the
// caller can add a note; an empty cell is *missing*, never zero or false.
//
// Decisions:
// - `无` is always an empty marker, so `有`/`无` are not booleans (`有` is
//   rejected as a boolean) — a cell cannot mean "false" in one column and
//   "missing" in another by the same spelling.
// - `0`/`1` are booleans only in boolean columns; a lone `-` is a marker,
//   never a negative sign.
// - Dates are day-precise. A time part is accepted only when it is midnight
//   (spreadsheet exports write `2024/10/31 0:00:00`); any other time is an
//   error rather than silently dropped. Day-first/month-first forms such as
//   `10/31/2024` are rejected as ambiguous. `20241031` is accepted.
// - Excel serial numbers are not accepted by `parseDate`; a bare number in a
//   CSV is too ambiguous. XLSX readers call `excelSerialToDays` for cells
//   with a date format.
//
// Reasons are Chinese in `CellError.reason` and English in `reasonEN`.

/// The outcome of parsing one cell.
enum CellParse<T> {
    case value(T)
    /// Blank (`marker == nil`) or a placeholder such as `—` or `N/A`.
    case empty(marker: String?)
    case invalid(CellError)

    var value: T? {
        if case .value(let v) = self { return v }
        return nil
    }

    var isEmpty: Bool {
        if case .empty = self { return true }
        return false
    }

    var error: CellError? {
        if case .invalid(let e) = self { return e }
        return nil
    }

    func map<U>(_ f: (T) -> CellParse<U>) -> CellParse<U> {
        switch self {
        case .value(let v): return f(v)
        case .empty(let marker): return .empty(marker: marker)
        case .invalid(let e): return .invalid(e)
        }
    }
}

extension CellParse: Equatable where T: Equatable {}
extension CellParse: Sendable where T: Sendable {}

struct CellError: Error, Equatable, Sendable {
    enum Kind: String, Sendable, Equatable {
        case notANumber, notWhole, outOfRange, notABool, notADate, impossibleDate, dateHasTime, notAnExcelDate
    }

    var kind: Kind
    /// Chinese, e.g. "不是数字".
    var reason: String
    var reasonEN: String

    init(kind: Kind, reason: String, reasonEN: String) {
        self.kind = kind
        self.reason = reason
        self.reasonEN = reasonEN
    }

    func reason(english: Bool) -> String { english ? reasonEN : reason }

    static let notANumber = CellError(kind: .notANumber, reason: "不是数字", reasonEN: "not a number")
    static let notWhole = CellError(kind: .notWhole, reason: "不是整数", reasonEN: "not a whole number")
    static let outOfRange = CellError(kind: .outOfRange, reason: "数值超出范围", reasonEN: "number out of range")
    static let notABool = CellError(kind: .notABool, reason: "不是是/否值（可用 是/否、Y/N、true/false、1/0）",
                                    reasonEN: "not a yes/no value (use 是/否, Y/N, true/false, 1/0)")
    static let notADate = CellError(kind: .notADate, reason: "不是日期（可用 2024-10-31、2024/10/31、2024年10月31日）",
                                    reasonEN: "not a date (use 2024-10-31, 2024/10/31, 2024年10月31日)")
    static let dateHasTime = CellError(kind: .dateHasTime, reason: "日期带有非零时刻", reasonEN: "date has a time of day")

    static func impossibleDate(_ y: Int, _ m: Int, _ d: Int) -> CellError {
        let text = "\(y)-\(m)-\(d)"
        return CellError(kind: .impossibleDate, reason: "日期不存在：\(text)", reasonEN: "no such date: \(text)")
    }
}

/// How an empty cell was written.
enum EmptyCell: Equatable, Sendable {
    case blank
    case marker(String)
}

/// A number read from a cell. `45%` gives `value` 0.45 and `isPercent` true.
struct ParsedNumber: Equatable, Sendable {
    var value: Double
    var isPercent: Bool

    init(value: Double, isPercent: Bool = false) {
        self.value = value
        self.isPercent = isPercent
    }
}

// MARK: - Text normalisation

private func isTrimmable(_ u: Unicode.Scalar) -> Bool {
    u.properties.isWhitespace || u.value == 0xFEFF || u.value == 0x200B
}

/// Trims whitespace (including U+3000 ideographic space, NBSP and stray BOMs)
/// and folds full-width ASCII (`１２３`, `－`, `．`, `％`, `ＡＢ`) to half width.
func normalizeCellText(_ text: String) -> String {
    let scalars = text.unicodeScalars
    var start = scalars.startIndex
    var end = scalars.endIndex
    while start < end && isTrimmable(scalars[start]) { start = scalars.index(after: start) }
    while end > start {
        let before = scalars.index(before: end)
        if !isTrimmable(scalars[before]) { break }
        end = before
    }
    var out = String.UnicodeScalarView()
    for u in scalars[start..<end] {
        out.append(foldFullWidthScalar(u))
    }
    return String(out)
}

func foldFullWidthScalar(_ u: Unicode.Scalar) -> Unicode.Scalar {
    switch u.value {
    case 0xFF01...0xFF5E: return Unicode.Scalar(u.value - 0xFEE0) ?? u
    case 0x3000: return " "
    default: return u
    }
}

/// Blank text or an empty marker → how it was written; anything else → nil.
func emptyCell(_ text: String) -> EmptyCell? {
    let t = normalizeCellText(text)
    if t.isEmpty { return .blank }
    return isEmptyMarker(t) ? .marker(t) : nil
}

/// `t` is already normalised (trimmed, width-folded).
private func isEmptyMarker(_ t: String) -> Bool {
    // Any run of dash-like characters: -, --, —, ——, ―, –, ─ (and － folded to -).
    if t.unicodeScalars.allSatisfy({ dashScalars.contains($0.value) }) { return true }
    switch t.lowercased() {
    case "/", "\\", "无", "n/a", "na", "#n/a", "空": return true
    default: return false
    }
}

private let dashScalars: Set<UInt32> = [0x2D, 0x2010, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0x2500, 0x2501, 0xFE58, 0xFE63]

// MARK: - Numbers

/// Parses a number: `1234`, `-3.5`, `1,234.5` (groups of three only), `１２３`,
/// `－５`, `45%` (0.45, flagged), `1e3`, with surrounding whitespace. Rejects
/// `约100`, `100人`, `abc`, `12,34`.
func parseNumber(_ text: String) -> CellParse<ParsedNumber> {
    var utf8 = text.utf8
    // ASCII fast path without building a normalised copy.
    if utf8.allSatisfy({ $0 < 0x80 }) {
        let r = utf8.withContiguousStorageIfAvailable { parseNumberASCII($0) }
        if let r { return r }
    }
    let t = normalizeCellText(text)
    if t.isEmpty { return .empty(marker: nil) }
    if isEmptyMarker(t) { return .empty(marker: t) }
    var s = t
    if s.unicodeScalars.contains(where: { $0.value == 0x2212 || $0.value == 0xFE63 }) {
        s = String(String.UnicodeScalarView(s.unicodeScalars.map { $0.value == 0x2212 || $0.value == 0xFE63 ? "-" : $0 }))
    }
    utf8 = s.utf8
    guard utf8.allSatisfy({ $0 < 0x80 }) else { return .invalid(.notANumber) }
    var bytes = Array(utf8)
    return bytes.withUnsafeMutableBufferPointer { parseNumberASCII(UnsafeBufferPointer($0)) }
}

/// Same as `parseNumber(_:)` on a cell's UTF-8 bytes (e.g. from
/// `CSVRow.withField`): plain ASCII never allocates.
func parseNumber(utf8 p: UnsafeBufferPointer<UInt8>) -> CellParse<ParsedNumber> {
    if p.contains(where: { $0 >= 0x80 }) {
        return parseNumber(String(decoding: p, as: UTF8.self))
    }
    return parseNumberASCII(p)
}

/// ASCII-only text (possibly with spaces/tabs around it).
private func parseNumberASCII(_ p: UnsafeBufferPointer<UInt8>) -> CellParse<ParsedNumber> {
    var lo = 0
    var hi = p.count
    while lo < hi && isASCIISpace(p[lo]) { lo += 1 }
    while hi > lo && isASCIISpace(p[hi - 1]) { hi -= 1 }
    if lo == hi { return .empty(marker: nil) }
    if let n = scanNumber(p, lo, hi) { return n }
    let t = String(decoding: UnsafeBufferPointer(rebasing: p[lo..<hi]), as: UTF8.self)
    if isEmptyMarker(t) { return .empty(marker: t) }
    return .invalid(.notANumber)
}

@inline(__always)
private func isASCIISpace(_ b: UInt8) -> Bool {
    b == 32 || (b >= 9 && b <= 13)
}

@inline(__always)
private func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

private let exactPowersOf10: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]

/// Returns nil when the text is not a number (so the caller can test for a
/// marker); `.invalid(.outOfRange)` when it is one but overflows a Double.
private func scanNumber(_ p: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> CellParse<ParsedNumber>? {
    var i = lo
    var negative = false
    if p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+") {
        negative = p[i] == UInt8(ascii: "-")
        i += 1
    }
    var mantissa: UInt64 = 0
    var significant = 0          // digits that went into mantissa (after leading zeros)
    var dropped = 0              // integer digits beyond what mantissa holds
    var exp10 = 0
    var digitsSeen = 0
    var lossy = false

    @inline(__always) func addDigit(_ b: UInt8, fractional: Bool) {
        let v = UInt64(b &- 48)
        digitsSeen += 1
        if significant == 0 && v == 0 {
            if fractional { exp10 -= 1 }
            return
        }
        if significant < 19 {
            mantissa = mantissa &* 10 &+ v
            significant += 1
            if fractional { exp10 -= 1 }
        } else {
            lossy = true
            if !fractional { dropped += 1 }
        }
    }

    // Integer part, with optional thousands separators in groups of three.
    var groupLen = 0
    var sawComma = false
    while i < hi {
        let b = p[i]
        if isDigit(b) {
            addDigit(b, fractional: false)
            groupLen += 1
            i += 1
        } else if b == UInt8(ascii: ",") {
            if sawComma ? groupLen != 3 : (groupLen < 1 || groupLen > 3) { return nil }
            sawComma = true
            groupLen = 0
            i += 1
        } else {
            break
        }
    }
    if sawComma && groupLen != 3 { return nil }
    let intDigits = digitsSeen
    if i < hi && p[i] == UInt8(ascii: ".") {
        i += 1
        while i < hi && isDigit(p[i]) {
            addDigit(p[i], fractional: true)
            i += 1
        }
    }
    if digitsSeen == 0 { return nil }
    if sawComma && intDigits == 0 { return nil }
    exp10 += dropped
    if i < hi && (p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E")) {
        i += 1
        var expNegative = false
        if i < hi && (p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+")) {
            expNegative = p[i] == UInt8(ascii: "-")
            i += 1
        }
        var e = 0
        var expDigits = 0
        while i < hi && isDigit(p[i]) {
            if e < 100_000 { e = e * 10 + Int(p[i] - 48) }
            expDigits += 1
            i += 1
        }
        if expDigits == 0 { return nil }
        exp10 += expNegative ? -e : e
    }
    while i < hi && isASCIISpace(p[i]) { i += 1 }
    var percent = false
    if i < hi && p[i] == UInt8(ascii: "%") {
        percent = true
        exp10 -= 2
        i += 1
        while i < hi && isASCIISpace(p[i]) { i += 1 }
    }
    if i != hi { return nil }

    var value: Double
    if mantissa == 0 {
        value = 0
    } else if !lossy && significant <= 15 && exp10 >= -22 && exp10 <= 22 {
        // Both operands exact, so one IEEE operation rounds correctly.
        let m = Double(mantissa)
        value = exp10 >= 0 ? m * exactPowersOf10[exp10] : m / exactPowersOf10[-exp10]
    } else {
        // Rare: let strtod do the correctly rounded conversion.
        var s = "\(mantissa)"
        if exp10 != 0 { s += "e\(exp10)" }
        guard let v = Double(s) else { return .invalid(.notANumber) }
        value = v
    }
    if !value.isFinite { return .invalid(.outOfRange) }
    if negative && value != 0 { value = -value }
    return .value(ParsedNumber(value: value, isPercent: percent))
}

/// A number that must be whole (within 1e-9), e.g. a head count.
func parseInteger(_ text: String) -> CellParse<Int> {
    parseNumber(text).map(wholeNumber)
}

func parseInteger(utf8 p: UnsafeBufferPointer<UInt8>) -> CellParse<Int> {
    parseNumber(utf8: p).map(wholeNumber)
}

private func wholeNumber(_ n: ParsedNumber) -> CellParse<Int> {
    let rounded = n.value.rounded()
    guard abs(n.value - rounded) <= 1e-9 else { return .invalid(.notWhole) }
    // 2^63 is exactly representable; anything at or beyond it does not fit.
    guard rounded > -9.223372036854775808e18 && rounded < 9.223372036854775808e18 else {
        return .invalid(.outOfRange)
    }
    return .value(Int(rounded))
}

// MARK: - Booleans

/// `是/否`, `√/×`, `✓/✗`, `✔/✘`, `Y/N`, `yes/no`, `true/false`, `T/F`,
/// `1/0`, `对/错` — letters in any case, full width or half width.
func parseBool(_ text: String) -> CellParse<Bool> {
    let t = normalizeCellText(text)
    if t.isEmpty { return .empty(marker: nil) }
    switch t.lowercased() {
    case "是", "√", "✓", "✔", "y", "yes", "true", "t", "1", "对":
        return .value(true)
    case "否", "×", "✗", "✘", "n", "no", "false", "f", "0", "错":
        return .value(false)
    default:
        return isEmptyMarker(t) ? .empty(marker: t) : .invalid(.notABool)
    }
}

// MARK: - Dates

// The calendar arithmetic is CivilDate's; these names are the cell readers'.

/// Days since 1970-01-01 of a (proleptic Gregorian) calendar date, which must exist.
func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int? {
    CivilDate.days(year: year, month: month, day: day)
}

/// The calendar date of a day count since 1970-01-01.
func civilDate(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
    CivilDate.components(days)
}

/// `2024-10-31` (zero-padded, locale independent).
func formatISODate(days: Int) -> String {
    CivilDate.format(days)
}

func isValidDate(year: Int, month: Int, day: Int) -> Bool {
    CivilDate.days(year: year, month: month, day: day) != nil
}

/// Parses `2024-10-31`, `2024/10/31`, `2024.10.31`, `2024-1-5`,
/// `2024年10月31日` (the 日 optional), `20241031`, full width or half width,
/// optionally followed by a midnight time (`2024/10/31 0:00:00`,
/// `2024-10-31T00:00:00Z`). Returns days since 1970-01-01.
func parseDate(_ text: String) -> CellParse<Int> {
    let t = normalizeCellText(text)
    if t.isEmpty { return .empty(marker: nil) }
    if isEmptyMarker(t) { return .empty(marker: t) }
    var s = Substring(t)
    func digits(min: Int, max: Int) -> Int? {
        var count = 0
        var v = 0
        var idx = s.startIndex
        while idx < s.endIndex, count < max, let d = s[idx].wholeNumberValue, s[idx].isASCII {
            v = v * 10 + d
            count += 1
            idx = s.index(after: idx)
        }
        guard count >= min else { return nil }
        s = s[idx...]
        return v
    }
    func skipSpaces() { while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() } }
    func eat(_ c: Character) -> Bool {
        guard s.first == c else { return false }
        s = s.dropFirst()
        return true
    }

    let year: Int, month: Int, day: Int
    if t.count >= 8, t.prefix(8).allSatisfy({ $0.isASCII && $0.isNumber }),
       t.count == 8 || !(t.dropFirst(8).first?.isNumber ?? false) {
        // Compact 20241031.
        guard let y = digits(min: 4, max: 4), let m = digits(min: 2, max: 2), let d = digits(min: 2, max: 2) else {
            return .invalid(.notADate)
        }
        (year, month, day) = (y, m, d)
    } else {
        guard let y = digits(min: 4, max: 4) else { return .invalid(.notADate) }
        skipSpaces()
        if eat("年") {
            skipSpaces()
            guard let m = digits(min: 1, max: 2) else { return .invalid(.notADate) }
            skipSpaces()
            guard eat("月") else { return .invalid(.notADate) }
            skipSpaces()
            guard let d = digits(min: 1, max: 2) else { return .invalid(.notADate) }
            skipSpaces()
            _ = eat("日") || eat("号")
            (year, month, day) = (y, m, d)
        } else {
            guard let sep = s.first, sep == "-" || sep == "/" || sep == "." else { return .invalid(.notADate) }
            s = s.dropFirst()
            guard let m = digits(min: 1, max: 2), eat(sep), let d = digits(min: 1, max: 2) else {
                return .invalid(.notADate)
            }
            (year, month, day) = (y, m, d)
        }
    }
    // Optional midnight time part.
    if !s.isEmpty {
        guard eat("T") || eat(" ") else { return .invalid(.notADate) }
        skipSpaces()
        var parts: [Int] = []
        guard let h = digits(min: 1, max: 2) else { return .invalid(.notADate) }
        parts.append(h)
        while eat(":") {
            guard let v = digits(min: 2, max: 2) else { return .invalid(.notADate) }
            parts.append(v)
        }
        if eat(".") { guard let f = digits(min: 1, max: 9) else { return .invalid(.notADate) }; parts.append(f) }
        _ = eat("Z")
        guard s.isEmpty, parts.count >= 2 else { return .invalid(.notADate) }
        if parts.contains(where: { $0 != 0 }) { return .invalid(.dateHasTime) }
    }
    guard let days = daysSinceEpoch(year: year, month: month, day: day) else {
        return .invalid(.impossibleDate(year, month, day))
    }
    return .value(days)
}

enum ExcelDateSystem: Sendable, Equatable {
    /// Windows Excel: serial 1 is 1900-01-01, and serial 60 is the
    /// nonexistent 1900-02-29 that Lotus 1-2-3 invented.
    case s1900
    /// Old Mac Excel: serial 0 is 1904-01-01.
    case s1904
}

/// Days since 1970-01-01 for an Excel serial date; a fractional part (time of
/// day) is dropped. Serial 60 in the 1900 system is invalid (1900-02-29 does not exist).
func excelSerialToDays(_ serial: Double, system: ExcelDateSystem = .s1900) -> CellParse<Int> {
    let notExcel = CellError(kind: .notAnExcelDate, reason: "不是有效的 Excel 日期序号", reasonEN: "not a valid Excel date serial")
    // 2958465 is 9999-12-31 in the 1900 system, Excel's own upper limit.
    guard serial.isFinite, serial >= 0, serial < 2_958_466 else { return .invalid(notExcel) }
    let whole = Int(serial.rounded(.down))
    switch system {
    case .s1900:
        if whole == 0 { return .invalid(notExcel) }
        if whole == 60 { return .invalid(.impossibleDate(1900, 2, 29)) }
        // 25569 is 1970-01-01; serials before the phantom leap day are one day later.
        return .value(whole < 60 ? whole - 25568 : whole - 25569)
    case .s1904:
        return .value(whole - 24107)
    }
}
