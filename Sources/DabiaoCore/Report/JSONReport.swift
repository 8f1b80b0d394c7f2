import Foundation

/// The JSON report of `cli.md`, field names and order exactly as specified.
enum JSONReport {
    static func render(_ r: Report, lang: Lang = .zh) -> String {
        String(decoding: renderBytes(r, lang: lang), as: UTF8.self)
    }

    /// The same document as `value(_:lang:).render()`, written without
    /// building the tree of results and rectification items.
    static func renderBytes(_ r: Report, lang: Lang = .zh) -> [UInt8] {
        var all: [UInt8] = []
        all.reserveCapacity(1024 + r.results.count * 600 + r.rectification.count * 400)
        write(r, lang: lang) { all.append(contentsOf: $0) }
        return all
    }

    /// The document in pieces, in order, as they are ready: the long arrays
    /// are written on every core a few parts at a time, so the whole report
    /// is never held in memory at once.
    static func write(_ r: Report, lang: Lang = .zh, to emit: ([UInt8]) throws -> Void) rethrows {
        var out = JSONStream(capacity: 1 << 16)
        let whole = value(Report(asOf: r.asOf, rulesets: r.rulesets, inputs: r.inputs, rulesFiles: r.rulesFiles, summary: r.summary,
                                 tallies: r.tallies, results: [], rectification: [], dataErrors: r.dataErrors, notes: r.notes,
                                 waivers: r.waivers, showsAll: r.showsAll), lang: lang)
        guard case .object(let members) = whole else { try emit(out.finish()); return }
        out.beginObject()
        for (k, v) in members {
            out.key(named: k)
            switch k {
            case "results":
                out.beginArray()
                if let d = r.deferred {
                    try writeInParts(count: d.resultCount, fetch: d.results, into: &out, perItem: 600, emit: emit) { x, part in writeResult(x, lang: lang, &part) }
                } else {
                    try writeInParts(r.results, into: &out, perItem: 600, emit: emit) { x, part in writeResult(x, lang: lang, &part) }
                }
                out.endArray()
            case "rectification":
                out.beginArray()
                if let d = r.deferred {
                    try writeInParts(count: d.rectificationCount, fetch: d.rectification, into: &out, perItem: 400, emit: emit) { x, part in
                        writeRectification(x, lang: lang, &part)
                    }
                } else {
                    try writeInParts(r.rectification, into: &out, perItem: 400, emit: emit) { x, part in writeRectification(x, lang: lang, &part) }
                }
                out.endArray()
            default:
                out.value(v)
            }
        }
        out.endObject()
        try emit(out.finish())
    }

    /// Writes the elements of a long array on every core, a wave of parts
    /// at a time, emitting what `out` holds so far and then each part in
    /// order: the bytes are those of a single pass.
    static func writeInParts<T: Sendable>(_ items: [T], into out: inout JSONStream, perItem: Int,
                                          emit: ([UInt8]) throws -> Void,
                                          _ write: @escaping @Sendable (T, inout JSONStream) -> Void) rethrows {
        try writeInParts(count: items.count, fetch: { Array(items[$0]) }, into: &out, perItem: perItem, emit: emit, write)
    }

    /// As above, for elements made part by part by `fetch` (a deferred
    /// report): each part is made and written on a core of its own and
    /// released once emitted.
    static func writeInParts<T: Sendable>(count: Int, fetch: @escaping @Sendable (Range<Int>) -> [T], into out: inout JSONStream,
                                          perItem: Int, emit: ([UInt8]) throws -> Void,
                                          _ write: @escaping @Sendable (T, inout JSONStream) -> Void) rethrows {
        // Up to `window` parts are held at once: 1024 results of about a
        // kilobyte each keep that near 8 MB, where 4096 held over 30 MB.
        let partSize = 1024
        let parts = (count + partSize - 1) / partSize
        guard parts > 1 else {
            for x in fetch(0..<count) { write(x, &out) }
            return
        }
        try emit(out.takeBytes())
        let depth = out.depth
        // The parts are made on every core while this thread writes the
        // finished ones in order: writing a large report to disk costs as
        // much as making it, so the two overlap. At most `window` parts are
        // held at once, which bounds memory whatever the number of results.
        let workers = ProcessInfo.processInfo.activeProcessorCount
        let window = 4 * workers
        let made = ChunkResults<[UInt8]>(count: parts)
        let spares = SpareBuffers(limit: window)
        let madeSignals = (0..<parts).map { _ in DispatchSemaphore(value: 0) }
        let room = DispatchSemaphore(value: window)
        let queue = WorkQueue(count: parts)
        let making = DispatchGroup()
        DispatchQueue.global().async(group: making) {
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while true {
                    room.wait()
                    guard let p = queue.next() else {
                        room.signal()
                        return
                    }
                    let lo = p * partSize, hi = min(count, lo + partSize)
                    var part = JSONStream(elementsAt: depth, first: p == 0, capacity: (hi - lo) * perItem, buffer: spares.take())
                    for x in fetch(lo..<hi) { write(x, &part) }
                    made.set(p, part.bytes)
                    madeSignals[p].signal()
                }
            }
        }
        defer {
            // On a failed write the makers stop at their next part.
            queue.stop()
            for _ in 0..<workers { room.signal() }
            making.wait()
        }
        for p in 0..<parts {
            madeSignals[p].wait()
            if let bytes = made.take(p) {
                try emit(bytes)
                spares.put(bytes)
            }
            room.signal()
        }
        out.markHasMember()
    }

    static func writeResult(_ x: RuleResult, lang: Lang, _ out: inout JSONStream) {
        out.beginObject()
        out.field("ruleset", x.ruleset)
        out.field("rule", x.rule)
        out.field("title", x.title)
        out.field("entity", x.entity)
        out.field("key", x.key)
        out.field("name", x.name)
        out.field("outcome", x.outcome.rawValue)
        out.field("level", x.level?.rawValue)
        out.key("measures")
        out.beginArray()
        for m in x.measures {
            out.beginObject()
            out.field("name", m.name)
            out.field("value", number: m.value)
            out.field("unit", m.unit)
            out.endObject()
        }
        out.endArray()
        out.field("message", x.message)
        out.field("cite", x.cite)
        out.key("missingFields")
        out.beginArray()
        for f in x.missingFields { out.string(f) }
        out.endArray()
        if !x.missingLabels.isEmpty {
            out.key("missingLabels")
            out.beginArray()
            for f in x.missingLabels { out.string(f.text(lang)) }
            out.endArray()
        }
        out.key("fixes")
        out.beginArray()
        for f in x.fixes { writeFix(f, lang: lang, &out) }
        out.endArray()
        out.key("source")
        if let p = x.sourcePath {
            out.beginObject()
            out.field("path", p)
            out.field("line", number: x.sourceLine.map(Double.init))
            out.endObject()
        } else {
            out.null()
        }
        if let w = x.waiverReason { out.field("waiverReason", w) }
        if let u = x.undefinedReason { out.field("undefinedReason", u.rawValue) }
        out.endObject()
    }

    /// `fix(_:lang:)` written straight into the stream: the same bytes, no tree.
    static func writeFix(_ f: Fix, lang: Lang, _ out: inout JSONStream) {
        out.beginObject()
        out.field("field", f.field)
        out.field("from", number: f.from)
        out.field("to", number: f.to)
        out.field("delta", number: f.delta)
        out.field("unit", f.unit)
        out.field("action", f.action)
        if let reason = f.reason { out.field("reason", reason(lang)) }
        out.endObject()
    }

    /// `rectification(_:lang:)` written straight into the stream.
    static func writeRectification(_ r: RectificationItem, lang: Lang, _ out: inout JSONStream) {
        out.beginObject()
        out.field("entity", r.entity)
        out.field("key", r.key)
        out.field("name", r.name)
        out.field("owner", r.owner)
        out.field("deadline", r.deadline.map(CivilDate.format))
        out.key("changes")
        out.beginArray()
        for c in r.changes {
            out.beginObject()
            out.field("field", c.field)
            out.field("from", number: c.from)
            out.field("to", number: c.to)
            out.field("delta", number: c.delta)
            out.field("unit", c.unit)
            out.key("rules")
            out.beginArray()
            for rule in c.rules { out.string(rule) }
            out.endArray()
            out.field("action", c.action)
            out.endObject()
        }
        out.endArray()
        out.key("passesAfter")
        out.beginArray()
        for code in r.passesAfter { out.string(code) }
        out.endArray()
        out.key("stillFailing")
        out.beginArray()
        for code in r.stillFailing { out.string(code) }
        out.endArray()
        if !r.conflicts.isEmpty {
            out.key("conflicts")
            out.beginArray()
            for c in r.conflicts { out.string(c(lang)) }
            out.endArray()
        }
        if !r.unresolved.isEmpty {
            out.key("unresolved")
            out.beginArray()
            for u in r.unresolved {
                out.beginObject()
                out.field("rule", u.rule)
                out.field("reason", u.reason(lang))
                out.endObject()
            }
            out.endArray()
        }
        out.endObject()
    }

    static func value(_ r: Report, lang: Lang) -> JSON {
        .object([
            ("tool", .string(r.tool)),
            ("version", .string(r.version)),
            ("asOf", .string(CivilDate.format(r.asOf))),
            ("rulesets", .array(r.rulesets.map { rs in
                .object([("id", .string(rs.id)), ("title", .string(rs.title)), ("version", .str(rs.version)), ("source", .str(rs.source))])
            })),
            ("inputs", .array(r.inputs.map { i in
                .object([("entity", .string(i.entity)), ("path", .string(i.path)), ("records", .number(Double(i.records))),
                         ("rejected", .number(Double(i.rejected))), ("sha256", .string(i.sha256))])
            })),
            ("rulesFiles", .array(r.rulesFiles.map { f in .object([("path", .string(f.path)), ("sha256", .string(f.sha256))]) })),
            ("summary", summary(r.summary)),
            ("rules", .array(r.tallies.map { t in
                .object([("ruleset", .string(t.ruleset)), ("rule", .string(t.rule)), ("title", .string(t.title)),
                         ("level", .string(t.level.rawValue)), ("summary", summary(t.summary))])
            })),
            ("results", .array(r.results.map { result($0, lang: lang) })),
            ("rectification", .array(r.rectification.map { rectification($0, lang: lang) })),
            ("dataErrors", .array(r.dataErrors.map { dataError($0, lang: lang) })),
            ("notes", .array(r.notes.map { dataError($0, lang: lang) })),
            ("waivers", .array(r.waivers.map { w in
                .object([("rule", .string(w.rule)), ("entity", .string(w.entity)), ("key", .string(w.key)),
                         ("until", .string(CivilDate.format(w.until))), ("reason", .string(w.reason)), ("status", .string(w.status.rawValue))])
            })),
        ])
    }

    static func summary(_ s: Summary) -> JSON {
        .object([
            ("results", .number(Double(s.results))), ("pass", .number(Double(s.pass))), ("fail", .number(Double(s.fail))),
            ("waived", .number(Double(s.waived))), ("notApplicable", .number(Double(s.notApplicable))),
            ("missing", .number(Double(s.missing))), ("undefined", .number(Double(s.undefined))),
            ("byLevel", .object([("error", .number(Double(s.error))), ("warning", .number(Double(s.warning))), ("info", .number(Double(s.info)))])),
        ])
    }

    static func fix(_ f: Fix, lang: Lang) -> JSON {
        var members: [(String, JSON)] = [
            ("field", .string(f.field)), ("from", .num(f.from)), ("to", .num(f.to)), ("delta", .num(f.delta)),
            ("unit", .string(f.unit)), ("action", .str(f.action)),
        ]
        if let reason = f.reason { members.append(("reason", .string(reason(lang)))) }
        return .object(members)
    }

    static func result(_ x: RuleResult, lang: Lang) -> JSON {
        var source: JSON = .null
        if let p = x.sourcePath { source = .object([("path", .string(p)), ("line", .num(x.sourceLine.map(Double.init)))]) }
        var members: [(String, JSON)] = [
            ("ruleset", .string(x.ruleset)), ("rule", .string(x.rule)), ("title", .string(x.title)),
            ("entity", .string(x.entity)), ("key", .string(x.key)), ("name", .str(x.name)),
            ("outcome", .string(x.outcome.rawValue)), ("level", .str(x.level?.rawValue)),
            ("measures", .array(x.measures.map { m in .object([("name", .string(m.name)), ("value", .num(m.value)), ("unit", .string(m.unit))]) })),
            ("message", .str(x.message)), ("cite", .str(x.cite)),
            ("missingFields", .array(x.missingFields.map { .string($0) })),
        ]
        if !x.missingLabels.isEmpty { members.append(("missingLabels", .array(x.missingLabels.map { .string($0.text(lang)) }))) }
        members += [
            ("fixes", .array(x.fixes.map { fix($0, lang: lang) })),
            ("source", source),
        ]
        if let w = x.waiverReason { members.append(("waiverReason", .string(w))) }
        if let u = x.undefinedReason { members.append(("undefinedReason", .string(u.rawValue))) }
        return .object(members)
    }

    static func rectification(_ r: RectificationItem, lang: Lang) -> JSON {
        var members: [(String, JSON)] = [
            ("entity", .string(r.entity)), ("key", .string(r.key)), ("name", .str(r.name)),
            ("owner", .str(r.owner)), ("deadline", .str(r.deadline.map(CivilDate.format))),
            ("changes", .array(r.changes.map { c in
                .object([("field", .string(c.field)), ("from", .num(c.from)), ("to", .num(c.to)), ("delta", .num(c.delta)),
                         ("unit", .string(c.unit)), ("rules", .array(c.rules.map { .string($0) })), ("action", .str(c.action))])
            })),
            ("passesAfter", .array(r.passesAfter.map { .string($0) })),
            ("stillFailing", .array(r.stillFailing.map { .string($0) })),
        ]
        if !r.conflicts.isEmpty { members.append(("conflicts", .array(r.conflicts.map { .string($0(lang)) }))) }
        if !r.unresolved.isEmpty {
            members.append(("unresolved", .array(r.unresolved.map { u in .object([("rule", .string(u.rule)), ("reason", .string(u.reason(lang)))]) })))
        }
        return .object(members)
    }

    static func dataError(_ e: DataError, lang: Lang) -> JSON {
        .object([
            ("path", .string(e.path)), ("line", .num(e.line.map(Double.init))), ("column", .str(e.column)),
            ("value", .str(e.value)), ("reason", .string(e.reason(lang))),
        ])
    }
}
