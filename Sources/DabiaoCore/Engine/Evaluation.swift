/// What the engine decided, as data: the outcome of every rule for every
/// record it shows, the counts of all of them, the fixes and the merged
/// 整改清单. Reports are built from it (`Report/ReportBuilder.swift`); the
/// engine itself renders nothing.

/// The engine's answer for one run.
struct Evaluation: Sendable {
    var asOf: Int
    /// Whether `results` holds every result, or only those that are not pass or not applicable.
    var showsAll: Bool
    /// Per rule (by its index in the program), the rows of the rule's
    /// entity whose result a report shows, in report order: by key, then
    /// line, then row. `Engine.results(rule:rows:asOf:)` gives their details.
    /// Packed (`RowList`): millions of failing results hold a byte or two each.
    var shown: [RowList]
    /// Per entity, the rows with a failure to rectify, in report order;
    /// `Engine.rectification(entity:rows:asOf:)` gives their entries.
    var rectify: [RowList]
    /// Beside each row of `rectify`: the entity's rules (one bit each, in
    /// program order) whose failure goes into its entry; 0 if not recorded.
    var rectifyFailing: [RuleMasks]
    /// Per rule, the solver's answers for its failed and waived records.
    var solved: [SolvedFixes]
    /// Every result counted, shown or not, per rule by its index in the program.
    var ruleSummaries: [Summary]
    var summary: Summary
    /// Every result counted per 市州, in the order of the region data; the
    /// records without a city last, with `city` nil.
    var cities: [CityTally]
    /// Each waiver of the program with what became of it; empty when there are none.
    var waivers: [WaiverReport]
}

/// Rows of one table in report order, packed: each as its difference from
/// the row before (zigzag, seven bits a byte), and every `stride`-th row in
/// full, its byte offset kept, so a stretch anywhere is read without
/// decoding from the start. The failures of a rule and the records to
/// rectify of a file in key order lie a few rows apart: a byte or two each
/// instead of an Int32's four, for millions of results.
struct RowList: Sendable, Equatable {
    /// Rows between two kept in full: a stretch read for a part of a report
    /// starts at most this many rows early.
    let stride: Int
    private var bytes: [UInt8] = []
    /// Rows 0, `stride`, 2·`stride`, … (kept in full) and their byte offsets.
    private var markRows: [Int32] = []
    private var markOffsets: [Int] = []
    private var last: Int32 = 0
    private(set) var count = 0

    init(stride: Int = 1024) { self.stride = max(1, stride) }

    init<S: Sequence>(_ rows: S) where S.Element == Int32 {
        self.init()
        for r in rows { append(r) }
    }

    var isEmpty: Bool { count == 0 }

    mutating func append(_ row: Int32) {
        var d: Int64
        if count % stride == 0 {
            markRows.append(row)
            markOffsets.append(bytes.count)
            d = Int64(row)
        } else {
            d = Int64(row) - Int64(last)
        }
        var z = UInt64(bitPattern: (d << 1) ^ (d >> 63))
        while z >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: z) | 0x80)
            z >>= 7
        }
        bytes.append(UInt8(z))
        last = row
        count += 1
    }

    mutating func append(contentsOf other: RowList) {
        other.forEach(in: 0..<other.count) { append($0) }
    }

    /// The difference stored at `at`, and where the next one starts; nil past
    /// the bytes (only this type writes them, so never within).
    @inline(__always)
    private static func difference(_ b: UnsafeBufferPointer<UInt8>, at start: Int) -> (Int64, next: Int)? {
        var at = start
        var z: UInt64 = 0
        var shift: UInt64 = 0
        while at < b.count, shift < 64 {
            let byte = b[at]
            at += 1
            z |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return (Int64(bitPattern: z >> 1) ^ -Int64(bitPattern: z & 1), at) }
            shift += 7
        }
        return nil
    }

    /// Calls `body` with the index and row of each of `lower..<upper` (within
    /// the list), in order, until it returns false.
    private func walk(from lower: Int, to upper: Int, _ body: (Int, Int32) -> Bool) {
        let m = lower / stride
        guard lower < upper, m < markOffsets.count else { return }
        var at = markOffsets[m]
        var i = m * stride
        var row: Int64 = 0
        bytes.withUnsafeBufferPointer { b in
            while i < upper, let (d, next) = RowList.difference(b, at: at) {
                at = next
                row = i % stride == 0 ? d : row + d
                if i >= lower, !body(i, Int32(truncatingIfNeeded: row)) { return }
                i += 1
            }
        }
    }

    /// Calls `body` with the rows at `range` (clamped to the list), in order.
    func forEach(in range: Range<Int>, _ body: (Int32) -> Void) {
        let r = range.clamped(to: 0..<count)
        walk(from: r.lowerBound, to: r.upperBound) { body($1); return true }
    }

    /// The rows at `range` (clamped to the list).
    func rows(_ range: Range<Int>) -> [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(range.clamped(to: 0..<count).count)
        forEach(in: range) { out.append($0) }
        return out
    }

    /// Where `row` is in a list of ascending rows: a binary search over the
    /// rows kept in full, then at most `stride` rows read.
    func index(ofAscending row: Int32) -> Int? {
        var lo = 0, hi = markRows.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if markRows[mid] <= row { lo = mid + 1 } else { hi = mid }
        }
        guard lo > 0 else { return nil }
        var found: Int?
        walk(from: (lo - 1) * stride, to: min(count, lo * stride)) { i, r in
            if r == row { found = i }
            return r < row
        }
        return found
    }

    /// Whether every row comes before the next by `before`.
    func isOrdered(by before: (Int32, Int32) -> Bool) -> Bool {
        var previous: Int32?
        var ordered = true
        walk(from: 0, to: count) { _, r in
            if let p = previous, !before(p, r) { ordered = false }
            previous = r
            return ordered
        }
        return ordered
    }
}

/// One mask of an entity's rules (bit i: its i-th rule) per record, in as
/// many bytes as the rules need: one for up to eight rules, eight for up to
/// 64. Millions of records to rectify under a handful of rules then hold a
/// byte each, not eight.
struct RuleMasks: Sendable, Equatable {
    /// Bytes per mask, 1 to 8.
    let width: Int
    /// Mask i in bytes i·width ..< (i + 1)·width, lowest byte first.
    private var bytes: [UInt8] = []

    init(rules: Int) { width = min(8, max(1, (rules + 7) / 8)) }

    var count: Int { bytes.count / width }

    /// The mask at `i`; 0 past the end.
    subscript(i: Int) -> UInt64 {
        guard i >= 0, i < count else { return 0 }
        var m: UInt64 = 0
        for b in 0..<width { m |= UInt64(bytes[i * width + b]) << UInt64(8 * b) }
        return m
    }

    /// Appends `mask`; bits beyond the width (rules the entity does not have) are dropped.
    mutating func append(_ mask: UInt64) {
        for b in 0..<width { bytes.append(UInt8(truncatingIfNeeded: mask >> UInt64(8 * b))) }
    }

    mutating func append(contentsOf other: RuleMasks) {
        guard other.width == width else {
            for i in 0..<other.count { append(other[i]) }
            return
        }
        bytes += other.bytes
    }

    mutating func reserveCapacity(_ n: Int) { bytes.reserveCapacity(n * width) }

    /// Mask `i` becomes the one that was at `order[i]` (an order of another
    /// length changes nothing).
    mutating func permute(by order: [Int32]) {
        guard order.count == count else { return }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        for from in order {
            let f = Int(from)
            guard f >= 0, f < count else { return }
            out.append(contentsOf: bytes[f * width..<(f + 1) * width])
        }
        bytes = out
    }
}

enum Outcome: String, Sendable, CaseIterable {
    case pass, fail, waived
    case notApplicable = "not-applicable"
    case missing, undefined
}

struct MeasureValue: Sendable, Equatable {
    var name: String
    /// In `unit`; nil when it could not be computed.
    var value: Double?
    var unit: String
}

/// One remedy for a failed result: change `field` from → to.
struct Fix: Sendable, Equatable {
    var field: String
    var label: String
    var from: Double?
    var to: Double?
    var delta: Double?
    var unit: String
    var action: String?
    /// Why no change could be found, when `to` is nil.
    var reason: Bilingual?
}

struct RuleResult: Sendable, Equatable {
    /// What every result of one rule from one input file has in common,
    /// held once: a result carries one reference instead of seven strings,
    /// which shows in a run with hundreds of thousands of failures.
    final class Shared: Sendable {
        let ruleset: String
        let rule: String
        let title: String
        let entity: String
        let cite: String?
        let sourcePath: String?
        let owner: String?

        init(ruleset: String, rule: String, title: String, entity: String, cite: String?, sourcePath: String?, owner: String?) {
            self.ruleset = ruleset
            self.rule = rule
            self.title = title
            self.entity = entity
            self.cite = cite
            self.sourcePath = sourcePath
            self.owner = owner
        }

        func with(ruleset: String? = nil, rule: String? = nil, title: String? = nil, entity: String? = nil,
                  cite: String?? = nil, sourcePath: String?? = nil, owner: String?? = nil) -> Shared {
            Shared(ruleset: ruleset ?? self.ruleset, rule: rule ?? self.rule, title: title ?? self.title, entity: entity ?? self.entity,
                   cite: cite ?? self.cite, sourcePath: sourcePath ?? self.sourcePath, owner: owner ?? self.owner)
        }
    }

    var shared: Shared
    var key: String
    var name: String?
    var city: String?
    var outcome: Outcome
    var level: Level?
    var measures: [MeasureValue]
    var message: String?
    var missingFields: [String]
    /// The missing fields as people read them (labels); reports for people
    /// show these, the JSON keeps the names beside them.
    var missingLabels: [FieldLabel] = []
    var fixes: [Fix]
    var sourceLine: Int?
    /// The labels of the requires that failed, most severe first.
    var failedRequires: [String]
    var waiverReason: String?
    var deadline: Int?
    /// Why an undefined result could not be computed.
    var undefinedReason: UndefinedReason?

    var ruleset: String {
        get { shared.ruleset }
        set { shared = shared.with(ruleset: newValue) }
    }
    var rule: String {
        get { shared.rule }
        set { shared = shared.with(rule: newValue) }
    }
    var title: String {
        get { shared.title }
        set { shared = shared.with(title: newValue) }
    }
    var entity: String {
        get { shared.entity }
        set { shared = shared.with(entity: newValue) }
    }
    var cite: String? {
        get { shared.cite }
        set { shared = shared.with(cite: .some(newValue)) }
    }
    var sourcePath: String? {
        get { shared.sourcePath }
        set { shared = shared.with(sourcePath: .some(newValue)) }
    }
    var owner: String? {
        get { shared.owner }
        set { shared = shared.with(owner: .some(newValue)) }
    }

    init(shared: Shared, key: String, name: String?, city: String?, outcome: Outcome, level: Level?, measures: [MeasureValue],
         message: String?, missingFields: [String], fixes: [Fix], sourceLine: Int?, failedRequires: [String],
         waiverReason: String?, deadline: Int?, undefinedReason: UndefinedReason? = nil, missingLabels: [FieldLabel] = []) {
        self.shared = shared
        self.undefinedReason = undefinedReason
        self.missingLabels = missingLabels
        self.key = key
        self.name = name
        self.city = city
        self.outcome = outcome
        self.level = level
        self.measures = measures
        self.message = message
        self.missingFields = missingFields
        self.fixes = fixes
        self.sourceLine = sourceLine
        self.failedRequires = failedRequires
        self.waiverReason = waiverReason
        self.deadline = deadline
    }

    init(ruleset: String, rule: String, title: String, entity: String, key: String, name: String?, city: String?,
                outcome: Outcome, level: Level?, measures: [MeasureValue], message: String?, cite: String?,
                missingFields: [String], fixes: [Fix], sourcePath: String?, sourceLine: Int?, failedRequires: [String],
                waiverReason: String?, owner: String?, deadline: Int?) {
        self.init(shared: Shared(ruleset: ruleset, rule: rule, title: title, entity: entity, cite: cite, sourcePath: sourcePath, owner: owner),
                  key: key, name: name, city: city, outcome: outcome, level: level, measures: measures, message: message,
                  missingFields: missingFields, fixes: fixes, sourceLine: sourceLine, failedRequires: failedRequires,
                  waiverReason: waiverReason, deadline: deadline)
    }

    static func == (a: RuleResult, b: RuleResult) -> Bool {
        (a.shared === b.shared || (a.ruleset == b.ruleset && a.rule == b.rule && a.title == b.title && a.entity == b.entity
                                   && a.cite == b.cite && a.sourcePath == b.sourcePath && a.owner == b.owner))
            && a.key == b.key && a.name == b.name && a.city == b.city && a.outcome == b.outcome && a.level == b.level
            && a.measures == b.measures && a.message == b.message && a.missingFields == b.missingFields && a.fixes == b.fixes
            && a.sourceLine == b.sourceLine && a.failedRequires == b.failedRequires && a.waiverReason == b.waiverReason
            && a.deadline == b.deadline && a.undefinedReason == b.undefinedReason && a.missingLabels == b.missingLabels
    }
}

struct Summary: Sendable, Equatable {
    var results = 0
    var pass = 0
    var fail = 0
    var waived = 0
    var notApplicable = 0
    var missing = 0
    var undefined = 0
    var error = 0
    var warning = 0
    var info = 0

    init() {}

    mutating func count(_ o: Outcome, _ level: Level?) {
        results += 1
        switch o {
        case .pass: pass += 1
        case .fail:
            fail += 1
            switch level ?? .error {
            case .error: error += 1
            case .warning: warning += 1
            case .info: info += 1
            }
        case .waived: waived += 1
        case .notApplicable: notApplicable += 1
        case .missing: missing += 1
        case .undefined: undefined += 1
        }
    }

    mutating func add(_ o: Summary) {
        results += o.results; pass += o.pass; fail += o.fail; waived += o.waived
        notApplicable += o.notApplicable; missing += o.missing; undefined += o.undefined
        error += o.error; warning += o.warning; info += o.info
    }
}

/// A field as a report names it: its label, the entity's label when it is
/// read through a reference or an aggregate, and whether it is last period's.
struct FieldLabel: Sendable, Equatable {
    var label: String
    var entity: String?
    var previous: Bool

    init(label: String, entity: String? = nil, previous: Bool = false) {
        self.label = label
        self.entity = entity
        self.previous = previous
    }

    func text(_ lang: Lang) -> String {
        let zh = lang == .zh
        var s = entity.map { $0 + "·" } ?? ""
        s += label
        if previous { s = (zh ? "上期" : "last period's ") + s }
        return s
    }
}

enum WaiverStatus: String, Sendable {
    case active, expired, unused
    case unknownRule = "unknown-rule"
    case unknownKey = "unknown-key"
}

struct WaiverReport: Sendable, Equatable {
    var rule: String
    var entity: String
    var key: String
    var until: Int
    var reason: String
    var status: WaiverStatus
}

struct RectificationChange: Sendable, Equatable {
    var field: String
    var label: String
    var from: Double?
    var to: Double?
    var delta: Double?
    var unit: String
    var rules: [String]
    var action: String?
}

struct RectificationItem: Sendable, Equatable {
    var entity: String
    var key: String
    var name: String?
    var city: String?
    var owner: String?
    var deadline: Int?
    var changes: [RectificationChange]
    var conflicts: [Bilingual]
    var passesAfter: [String]
    var stillFailing: [String]
    var unresolved: [(rule: String, reason: Bilingual)]
    /// The entity's label (学校, 分地区统计), for reports people read; the
    /// JSON keeps `entity`, the name.
    var entityLabel: String? = nil

    /// Still-failing rules that have no line of their own in `unresolved`
    /// (a report built by hand; the engine gives every one a reason).
    var stillFailingWithoutReason: [String] {
        let explained = Set(unresolved.map(\.rule))
        return stillFailing.filter { !explained.contains($0) }
    }

    /// Every member: a test that compares two lists must see an owner, a
    /// deadline or a reason that differs.
    static func == (a: RectificationItem, b: RectificationItem) -> Bool {
        a.entity == b.entity && a.key == b.key && a.name == b.name && a.city == b.city && a.owner == b.owner
            && a.deadline == b.deadline && a.changes == b.changes && a.conflicts == b.conflicts
            && a.passesAfter == b.passesAfter && a.stillFailing == b.stillFailing && a.entityLabel == b.entityLabel
            && a.unresolved.count == b.unresolved.count
            && zip(a.unresolved, b.unresolved).allSatisfy { $0.rule == $1.rule && $0.reason == $1.reason }
    }
}

/// The results of one 市州, or (`city` nil) of the records that name none.
struct CityTally: Sendable, Equatable {
    var city: String?
    var summary: Summary
}

