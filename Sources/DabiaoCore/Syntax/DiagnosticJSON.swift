/// `dabiao lint --format json`: the diagnostics for an editor or a CI job.
/// Every position is 1-based; a column counts Unicode scalars from the start
/// of its line (not bytes, not UTF-16 units, not screen columns); `end` is
/// exclusive, the position just after the span. docs/diagnostics.md shows
/// the shape.
enum DiagnosticJSON {
    static func render(_ diags: [Diagnostic], files: [SourceFile], lang: Lang, rules: Int) -> String {
        let errors = diags.filter { $0.severity == .error }.count
        return JSON.object([
            ("tool", .string("dabiao")),
            ("files", .number(Double(files.count))),
            ("rules", .number(Double(rules))),
            ("errors", .number(Double(errors))),
            ("warnings", .number(Double(diags.count - errors))),
            ("diagnostics", .array(diags.map { diagnostic($0, files: files, lang: lang) })),
        ]).render()
    }

    static func diagnostic(_ d: Diagnostic, files: [SourceFile], lang: Lang) -> JSON {
        var labels = [label(d.range, d.label, primary: true, files: files, lang: lang)]
        labels += d.secondary.map { label($0.range, $0.message, primary: false, files: files, lang: lang) }
        return .object([
            ("code", .string(d.code.rawValue)),
            ("severity", .string(d.severity.rawValue)),
            ("message", .string(d.message(lang))),
            ("messages", both(d.message)),
        ] + located(d.range, files: files) + [
            ("labels", .array(labels)),
            ("notes", .array(d.notes.map { text($0, lang) })),
            ("help", d.help.map { text($0, lang) } ?? .null),
            ("fixes", .array(d.fixes.map { .object(located($0.range, files: files) + [("replacement", .string($0.replacement))]) })),
        ])
    }

    static func both(_ t: Bilingual) -> JSON { .object([("zh", .string(t.zh)), ("en", .string(t.en))]) }

    static func text(_ t: Bilingual, _ lang: Lang) -> JSON { .object([("message", .string(t(lang))), ("messages", both(t))]) }

    static func label(_ r: SourceRange, _ m: Bilingual?, primary: Bool, files: [SourceFile], lang: Lang) -> JSON {
        .object([("primary", .bool(primary))] + located(r, files: files)
                + [("message", m.map { .string($0(lang)) } ?? .null), ("messages", m.map(both) ?? .null)])
    }

    /// `file` and `range` (`start`, `end`: line and column), or nulls for a
    /// range in no file.
    static func located(_ r: SourceRange, files: [SourceFile]) -> [(String, JSON)] {
        guard files.indices.contains(r.file) else { return [("file", .null), ("range", .null)] }
        let f = files[r.file]
        func position(_ offset: Int) -> JSON {
            let (l, c) = f.location(of: max(0, min(offset, f.scalars.count)))
            return .object([("line", .number(Double(l))), ("column", .number(Double(c)))])
        }
        return [("file", .string(f.path)), ("range", .object([("start", position(r.start)), ("end", position(max(r.start, r.end)))]))]
    }
}
