/// One column of an entity's records, stored by its field's kind: numbers
/// in base units (NaN: missing; a parsed number is never NaN) in a
/// `NumberList` (Int32 while every one is a whole number, else Doubles);
/// texts and references as Int32 codes into `dict`, booleans as 0/1 and
/// dates as days since 1970-01-01, all Int32 (`missingCode`: missing); a key
/// column as nothing at all, because its codes are its row numbers.
///
/// Engine reads a column only through `count`, `subscript`, `value`,
/// `values(in:)` and `code`, which give every kind as a Double (NaN when
/// missing), so what is stored can change here alone.
struct Column: Sendable {
    enum Storage: Sendable, Equatable {
        case numbers
        case codes
        /// A key column: record r holds text number r of `dict`, never missing.
        case rowNumbers
    }

    /// The Int32 that marks a missing coded value. Not −1: dates before 1970 are negative.
    static let missingCode = Int32.min

    let storage: Storage
    private var numbers = NumberList()
    private var codes: [Int32] = []
    private var rowCount = 0
    /// Distinct texts of a text or ref column, in order of first appearance.
    var dict = TextDictionary()

    init(storage: Storage) { self.storage = storage }

    /// How a field of this kind is stored.
    static func storage(for kind: FieldKind, isKey: Bool) -> Storage {
        if isKey { return .rowNumbers }
        switch kind {
        case .number: return .numbers
        case .text, .ref, .bool, .date: return .codes
        }
    }

    var count: Int {
        switch storage {
        case .numbers: return numbers.count
        case .codes: return codes.count
        case .rowNumbers: return rowCount
        }
    }

    var strings: TextDictionary.TextView { dict.strings }

    /// Row `row`, which must be below `count`, as a Double; NaN when missing.
    @inline(__always) subscript(row: Int) -> Double {
        switch storage {
        case .numbers: return numbers[row]
        case .codes: return codes[row].storedValue
        case .rowNumbers: return Double(row)
        }
    }

    /// Row `row` as a Double; NaN when missing or past the column.
    @inline(__always) func value(_ row: Int) -> Double {
        row >= 0 && row < count ? self[row] : .nan
    }

    /// The code of a coded row (a text's position in `dict`, a bool's 0/1, a
    /// date's day); nil when missing, past the column or not coded.
    @inline(__always) func code(_ row: Int) -> Int32? {
        guard row >= 0, row < count else { return nil }
        switch storage {
        case .numbers: return nil
        case .codes:
            let c = codes[row]
            return c == Column.missingCode ? nil : c
        case .rowNumbers: return Int32(truncatingIfNeeded: row)
        }
    }

    /// Rows `range` (clamped to the column) as Doubles, for column-wise evaluation.
    func values(in range: Range<Int>) -> [Double] {
        let r = range.clamped(to: 0..<count)
        switch storage {
        case .numbers: return numbers.values(in: r)
        case .codes: return codes[r].map(\.storedValue)
        case .rowNumbers: return r.map(Double.init)
        }
    }

    @inline(__always) func isMissing(_ row: Int) -> Bool { value(row).isNaN }

    func text(_ row: Int) -> String? {
        guard let c = code(row), c < dict.count else { return nil }
        return dict.text(Int(c))
    }

    mutating func reserve(_ n: Int) {
        switch storage {
        case .numbers: numbers.reserveCapacity(numbers.count + n)
        case .codes: codes.reserveCapacity(codes.count + n)
        case .rowNumbers: break
        }
    }

    mutating func appendText(_ s: String) {
        appendCode(dict.insert(s).code)
    }

    mutating func appendCode(_ c: Int32) {
        switch storage {
        case .numbers: numbers.append(Double(c))
        case .codes: codes.append(c)
        case .rowNumbers: rowCount += 1
        }
    }

    /// The next key: its text was just added to `dict`, so its code is the row number.
    mutating func appendRowNumber() {
        switch storage {
        case .numbers: numbers.append(Double(numbers.count))
        case .codes: codes.append(Int32(truncatingIfNeeded: codes.count))
        case .rowNumbers: rowCount += 1
        }
    }

    mutating func appendMissing() {
        switch storage {
        case .numbers: numbers.append(.nan)
        case .codes: codes.append(Column.missingCode)
        // A key is never missing: a record without one is rejected before its cells are read.
        case .rowNumbers: rowCount += 1
        }
    }

    /// A number, or a bool as 0/1 or a date's day for a coded column (a
    /// value no Int32 holds is missing there).
    mutating func append(_ v: Double) {
        switch storage {
        case .numbers: numbers.append(v)
        case .codes:
            if let c = Int32(exactly: v), c != Column.missingCode { codes.append(c) } else { codes.append(Column.missingCode) }
        case .rowNumbers: rowCount += 1
        }
    }
}

/// Where a record came from, for every report that points back at the data.
struct RecordSource: Sendable, Equatable {
    var input: Int
    var line: Int
}

/// The records of one entity, columnar.
struct Table: Sendable {
    var entity: Int
    var columns: [Column]
    /// The key column's dictionary is the key → record index: a key is added
    /// exactly when its record is accepted, so its code is the record number.
    var keyField: Int?
    /// Where records came from, as runs of records of one input on
    /// consecutive lines (all of a clean file is one run), not an input and
    /// a line per record; a record over several lines, a rejected one
    /// between or the next input begins the next run.
    private var runs: [(firstRow: Int, input: Int, firstLine: Int)] = []
    private(set) var count = 0

    init(entity: Int, fields: [Field], keyField: Int? = nil) {
        self.entity = entity
        self.columns = fields.indices.map { Column(storage: Column.storage(for: fields[$0].kind, isKey: $0 == keyField)) }
        self.keyField = keyField
    }

    /// The input of the last run that begins at or before `row`, and its
    /// first line plus the records since.
    func source(_ row: Int) -> RecordSource {
        guard row >= 0, row < count else { return RecordSource(input: 0, line: 0) }
        var lo = 0, hi = runs.count - 1, found = 0
        while lo <= hi {
            let mid = (lo + hi) / 2
            if runs[mid].firstRow <= row { found = mid; lo = mid + 1 } else { hi = mid - 1 }
        }
        guard found < runs.count else { return RecordSource(input: 0, line: 0) }
        let run = runs[found]
        return RecordSource(input: run.input, line: run.firstLine + (row - run.firstRow))
    }

    mutating func shiftInputs(by offset: Int) {
        guard offset != 0 else { return }
        for i in runs.indices { runs[i].input += offset }
    }

    mutating func reserve(_ n: Int) {
        for i in columns.indices { columns[i].reserve(n) }
    }

    mutating func appendSource(input: Int, line: Int) {
        // The line the last run's next record would have.
        let next = runs.last.map { $0.firstLine + (count - $0.firstRow) }
        if runs.last?.input != input || line != next { runs.append((count, input, line)) }
        count += 1
    }

    /// Once loading is over, the dictionaries of other columns than the key
    /// give up their hash tables: most are only read (a name, a reference
    /// already translated into rows), and the engine builds a table again
    /// for a column a join looks texts up in. The key's stays: it is the
    /// key → record index.
    mutating func releaseLookupIndexes() {
        for i in columns.indices where i != keyField { columns[i].dict.releaseIndex() }
    }

    func row(forKey key: String) -> Int? {
        guard let k = keyField, k < columns.count, let c = columns[k].dict.code(of: key), Int(c) < count else { return nil }
        return Int(c)
    }
}

/// An input file as the report lists it.
struct InputInfo: Sendable, Equatable {
    var entity: String
    var path: String
    var records: Int
    var rejected: Int
    var sha256: String
}

struct DataError: Sendable, Equatable {
    var path: String
    var line: Int?
    var column: String?
    var value: String?
    var reason: Bilingual
    /// Whether the whole record was rejected (duplicate key, no key, bad row).
    var rejectsRecord: Bool

    init(path: String, line: Int?, column: String?, value: String?, reason: Bilingual, rejectsRecord: Bool = false) {
        self.path = path
        self.line = line
        self.column = column
        self.value = value
        self.reason = reason
        self.rejectsRecord = rejectsRecord
    }
}

/// All records of a run, by entity index of the program.
struct Dataset: Sendable {
    var tables: [Table]
    var inputs: [InputInfo]
    var errors: [DataError]
    var notes: [DataError]

    init(program: Program) {
        tables = program.entities.indices.map {
            Table(entity: $0, fields: program.entities[$0].fields, keyField: program.entities[$0].keyField)
        }
        inputs = []
        errors = []
        notes = []
    }

    var recordsRead: Int { inputs.reduce(0) { $0 + $1.records } }
    var recordsRejected: Int { inputs.reduce(0) { $0 + $1.rejected } }
}

/// A field of an entity by position, as a dictionary key (join indexes, the
/// loader's allowed-value memo).
struct FieldRef: Hashable, Sendable {
    var entity: Int
    var field: Int
}
