/// The formats a `check` report is written in, and what each lists by default.
public enum ReportFormat: String, Sendable, CaseIterable {
    case text, json, csv, md, html, junit, sarif

    /// Which results a report lists unless `--show` says: files that programs
    /// read (json, csv, junit) carry every result; what people read (text, md,
    /// html) and SARIF, which lists problems, start with what needs attention.
    public var showsAllByDefault: Bool {
        switch self {
        case .json, .csv, .junit: return true
        case .text, .md, .html, .sarif: return false
        }
    }
}

/// The formats of the 整改清单 alone (`rectify`).
public enum RectificationFormat: String, Sendable, CaseIterable {
    case text, json, csv, md
}

/// How a report is rendered: language, terminal colour, SARIF's cap.
public struct RenderOptions: Sendable {
    var lang: Lang
    /// ANSI colour in the text report (a terminal that asked for it).
    var color: Bool
    /// At most this many SARIF results, the most severe first.
    var maxResults: Int
    /// GitHub code scanning's limit.
    public static let defaultMaxResults = SARIFReport.defaultMaxResults

    public init(lang: Lang = .zh, color: Bool = false, maxResults: Int = RenderOptions.defaultMaxResults) {
        self.lang = lang
        self.color = color
        self.maxResults = maxResults
    }
}

extension ReportFormat {
    func render(_ report: Report, _ o: RenderOptions) -> String {
        switch self {
        case .json: return JSONReport.render(report, lang: o.lang)
        case .csv: return CSVReport.render(report, lang: o.lang)
        case .md: return MarkdownReport.render(report, lang: o.lang)
        case .html: return HTMLReport.render(report, lang: o.lang)
        case .junit: return JUnitReport.render(report, lang: o.lang)
        case .sarif: return SARIFReport.render(report, lang: o.lang, maxResults: o.maxResults)
        case .text: return TextReport.render(report, lang: o.lang, style: .init(color: o.color))
        }
    }

    /// The JSON report is streamed as its results are made; the others are
    /// rendered whole and handed over at once.
    func write(_ report: Report, _ o: RenderOptions, to emit: ([UInt8]) throws -> Void) throws {
        switch self {
        case .json: try JSONReport.write(report, lang: o.lang, to: emit)
        case .text, .csv, .md, .html, .junit, .sarif: try emit(Array(render(report, o).utf8))
        }
    }
}

extension RectificationFormat {
    func render(_ report: Report, lang: Lang) -> String {
        switch self {
        case .json: return JSON.array(report.rectification.map { JSONReport.rectification($0, lang: lang) }).render()
        case .csv: return CSVReport.renderRectification(report, lang: lang)
        case .md: return MarkdownReport.renderRectification(report, lang: lang)
        case .text: return TerminalSafety.escapeControls(RectificationReport.text(report, lang: lang))
        }
    }
}
