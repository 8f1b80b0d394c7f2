import Foundation

/// The language of the tool's own words. Rule titles and messages are shown
/// as the rulebook writes them, whatever this says.
public enum Lang: String, Sendable, CaseIterable {
    case zh, en

    /// An aside in the language's own brackets: `（2024.1）` after Chinese
    /// text, ` (2024.1)` after English.
    func aside(_ s: String) -> String {
        switch self {
        case .zh: return "（" + s + "）"
        case .en: return " (" + s + ")"
        }
    }
}

/// A piece of the tool's own text in both languages, chosen at render time so
/// that no stage before the renderer needs to know the user's language.
public struct Bilingual: Sendable, Equatable, Hashable {
    public var zh: String
    public var en: String
    public init(_ zh: String, _ en: String) {
        self.zh = zh
        self.en = en
    }
    init(both: String) {
        self.zh = both
        self.en = both
    }
    public func callAsFunction(_ lang: Lang) -> String {
        switch lang {
        case .zh: return zh
        case .en: return en
        }
    }
}

/// One rule file held as Unicode scalars: offsets everywhere in the front end
/// are scalar indices, so a column is simply `offset − lineStart + 1`.
public struct SourceFile: Sendable {
    let path: String
    let text: String
    let scalars: [Unicode.Scalar]
    let lineStarts: [Int]

    /// Bytes that were not UTF-8, each replaced by one U+FFFD in `scalars`,
    /// by the offset of that replacement.
    let invalidBytes: [Int: [UInt8]]

    init(path: String, text: String) {
        self.init(path: path, text: text, scalars: Array(text.unicodeScalars), invalidBytes: [:])
    }

    /// Decodes UTF-8 (a leading BOM dropped), keeping where the bytes were not
    /// UTF-8 so that each gets a line, a column and a caret.
    init(path: String, bytes: [UInt8]) {
        var input = bytes[...]
        if input.starts(with: [0xEF, 0xBB, 0xBF]) { input = input.dropFirst(3) }
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(input.count)
        var invalid: [Int: [UInt8]] = [:]
        var parser = Unicode.UTF8.ForwardParser()
        var it = input.makeIterator()
        var pos = input.startIndex
        loop: while true {
            switch parser.parseScalar(from: &it) {
            case .valid(let e):
                scalars.append(Unicode.UTF8.decode(e))
                pos += e.count
            case .error(let length):
                invalid[scalars.count] = Array(bytes[pos..<pos + length])
                scalars.append("\u{FFFD}")
                pos += length
            case .emptyInput:
                break loop
            }
        }
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars)
        self.init(path: path, text: String(text), scalars: scalars, invalidBytes: invalid)
    }

    private init(path: String, text: String, scalars: [Unicode.Scalar], invalidBytes: [Int: [UInt8]]) {
        self.path = path
        self.text = text
        self.invalidBytes = invalidBytes
        var scalars = scalars
        var starts = [0]
        for i in scalars.indices where scalars[i] == "\n" || scalars[i] == "\r" {
            if scalars[i] == "\r" {
                if i + 1 < scalars.count, scalars[i + 1] == "\n" { continue }
                // A lone CR (classic Mac line ends) ends a line like LF does;
                // one scalar for one keeps every offset into `text` valid.
                scalars[i] = "\n"
            }
            starts.append(i + 1)
        }
        self.scalars = scalars
        self.lineStarts = starts
    }

    /// 1-based line and column of a scalar offset.
    func location(of offset: Int) -> (line: Int, column: Int) {
        var lo = 0
        var hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return (lo + 1, offset - lineStarts[lo] + 1)
    }

    /// The text of a 1-based line, without its line end.
    func lineText(_ line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] : scalars.count
        while end > start, scalars[end - 1] == "\n" || scalars[end - 1] == "\r" { end -= 1 }
        return slice(start, end)
    }

    func slice(_ start: Int, _ end: Int) -> String {
        let s = max(0, min(start, scalars.count))
        let e = max(s, min(end, scalars.count))
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars[s..<e])
        return String(out)
    }
}

/// A half-open range of scalar offsets in one file of the project.
struct SourceRange: Sendable, Hashable {
    var file: Int
    var start: Int
    var end: Int
    init(file: Int, start: Int, end: Int) {
        self.file = file
        self.start = start
        self.end = end
    }
    func to(_ other: SourceRange) -> SourceRange {
        SourceRange(file: file, start: min(start, other.start), end: max(end, other.end))
    }
}

public enum DiagnosticSeverity: String, Sendable {
    case error, warning, note
}

/// A span with something to say about it, beside the primary one: where a
/// name was first declared, what the other side of a comparison is.
struct DiagnosticLabel: Sendable, Hashable {
    var range: SourceRange
    var message: Bilingual?
    init(_ range: SourceRange, _ message: Bilingual?) {
        self.range = range
        self.message = message
    }
}

/// A certain repair: replace `range` (possibly empty, an insertion) with
/// `replacement`. Given only where the fix is sure, e.g. the one close name
/// of a misspelt one, or the unit a bare number lacks.
struct FixIt: Sendable, Hashable {
    var range: SourceRange
    var replacement: String
    init(_ range: SourceRange, _ replacement: String) {
        self.range = range
        self.replacement = replacement
    }
}

/// One problem in the rule files. Made only by the constructors of
/// `DiagnosticCatalog.swift`, where every code and message is listed.
public struct Diagnostic: Error, Sendable, Hashable {
    var code: DiagnosticCode
    public var severity: DiagnosticSeverity
    /// The primary span: the header's line and column, the `^^^`.
    var range: SourceRange
    var message: Bilingual
    /// Said beside the `^^^` of the primary span.
    var label: Bilingual?
    /// Other spans, underlined `---` with their labels.
    var secondary: [DiagnosticLabel]
    var notes: [Bilingual]
    var help: Bilingual?
    var fixes: [FixIt]

    init(_ code: DiagnosticCode, _ range: SourceRange, _ message: Bilingual, label: Bilingual? = nil,
                secondary: [DiagnosticLabel] = [], notes: [Bilingual] = [], help: Bilingual? = nil, fixes: [FixIt] = []) {
        self.code = code
        self.severity = code.severity
        self.range = range
        self.message = message
        self.label = label
        self.secondary = secondary
        self.notes = notes
        self.help = help
        self.fixes = fixes
    }
}

/// Display width on a terminal: East Asian wide and full-width characters
/// take two columns, so carets line up under CJK source text.
func displayWidth(_ s: Unicode.Scalar) -> Int {
    let v = s.value
    if v == 0x09 { return 4 }
    if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
    if s.properties.generalCategory == .nonspacingMark || s.properties.generalCategory == .enclosingMark { return 0 }
    switch v {
    case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
         0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
         0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
        return 2
    default:
        return 1
    }
}

func displayWidth(_ s: String) -> Int {
    s.unicodeScalars.reduce(0) { $0 + displayWidth($1) }
}

public enum DiagnosticRenderer {
    static func severityWord(_ s: DiagnosticSeverity, _ lang: Lang) -> String {
        switch (s, lang) {
        case (.error, .zh): return "错误"
        case (.error, .en): return "error"
        case (.warning, .zh): return "警告"
        case (.warning, .en): return "warning"
        case (.note, .zh): return "注"
        case (.note, .en): return "note"
        }
    }

    /// `dabiao lint --format json`: every diagnostic with its spans and fixes, for an editor (docs/diagnostics.md).
    public static func json(_ diags: [Diagnostic], files: [SourceFile], lang: Lang, rules: Int) -> String {
        DiagnosticJSON.render(diags, files: files, lang: lang, rules: rules)
    }

    /// `path:line:column: error[E0503]: message` (a line editors and grep
    /// read), then the source lines of every span: `^^^` under the primary
    /// one with its label, `---` under each secondary one with its label (a
    /// span in another file under ` ::: path:line:column`), then
    /// `= note:` and `= help:` lines. docs/diagnostics.md shows each code.
    public static func render(_ d: Diagnostic, files: [SourceFile], lang: Lang) -> String {
        let head = "\(severityWord(d.severity, lang))[\(d.code.rawValue)]: \(d.message(lang))"
        guard files.indices.contains(d.range.file) else {
            var out = head + "\n"
            for n in d.notes { out += "  = \(severityWord(.note, lang)): \(n(lang))\n" }
            if let help = d.help { out += "  = " + (lang == .zh ? "提示" : "help") + ": " + help(lang) + "\n" }
            return out
        }
        let file = files[d.range.file]
        let (line, col) = file.location(of: d.range.start)
        var out = "\(file.path):\(line):\(col): " + head + "\n"
        // Spans by file: the primary's file first, then the others in order of appearance.
        var marks = [Mark(range: d.range, primary: true, label: d.label)]
        marks += d.secondary.filter { files.indices.contains($0.range.file) }.map { Mark(range: $0.range, primary: false, label: $0.message) }
        var fileOrder: [Int] = []
        for m in marks where !fileOrder.contains(m.range.file) { fileOrder.append(m.range.file) }
        let lineOf = { (m: Mark) in files[m.range.file].location(of: m.range.start).line }
        let width = String(marks.map(lineOf).max() ?? line).count
        let pad = String(repeating: " ", count: width)
        for (k, fi) in fileOrder.enumerated() {
            let f = files[fi]
            let here = marks.filter { $0.range.file == fi }
            if k > 0, let first = here.min(by: { $0.range.start < $1.range.start }) {
                let (l, c) = f.location(of: first.range.start)
                out += "\(pad)::: \(f.path):\(l):\(c)\n"
            }
            out += "\(pad) |\n"
            let lines = Array(Set(here.map(lineOf))).sorted()
            var previous: Int?
            for l in lines {
                if let p = previous, l > p + 1 { out += "...\n" }
                previous = l
                let text = f.lineText(l)
                let gutter = String(l)
                out += String(repeating: " ", count: width - gutter.count) + gutter + " | " + text + "\n"
                for m in here.filter({ lineOf($0) == l }).sorted(by: { ($0.primary ? 0 : 1, $0.range.start) < ($1.primary ? 0 : 1, $1.range.start) }) {
                    let (lead, span) = underline(m.range, in: f, line: l, text: text)
                    var row = "\(pad) | " + String(repeating: " ", count: lead) + String(repeating: m.primary ? "^" : "-", count: max(1, span))
                    if let label = m.label { row += " " + label(lang) }
                    out += row + "\n"
                }
            }
        }
        if !d.notes.isEmpty || d.help != nil { out += "\(pad) |\n" }
        for n in d.notes { out += "\(pad) = \(severityWord(.note, lang)): \(n(lang))\n" }
        if let help = d.help {
            out += "\(pad) = " + (lang == .zh ? "提示" : "help") + ": " + help(lang) + "\n"
        }
        return out
    }

    struct Mark {
        var range: SourceRange
        var primary: Bool
        var label: Bilingual?
    }

    /// Screen columns before the span on its first line and its width there
    /// (wide characters count two, so the marks stay under CJK text).
    static func underline(_ r: SourceRange, in file: SourceFile, line: Int, text: String) -> (lead: Int, width: Int) {
        guard line >= 1, line <= file.lineStarts.count else { return (0, 1) }
        let lineStart = file.lineStarts[line - 1]
        var lead = 0
        var width = 0
        for (i, s) in text.unicodeScalars.enumerated() {
            let off = lineStart + i
            if off < r.start {
                lead += displayWidth(s)
            } else if off < r.end {
                width += displayWidth(s)
            }
        }
        return (lead, width)
    }
}
