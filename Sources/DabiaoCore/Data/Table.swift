/// One column of an entity's records. Every value is a Double so a column is
/// one flat array whatever its type: numbers in base units, bools as 0/1,
/// dates as days since 1970-01-01, texts as codes into `dict`. NaN marks a
/// missing value (a parsed number is never NaN).
struct Column: Sendable {
    var values: [Double] = []
    /// Distinct texts of a text or ref column, in order of first appearance.
    var dict = TextDictionary()

    init() {}

    var strings: TextDictionary.TextView { dict.strings }

    @inline(__always) func isMissing(_ row: Int) -> Bool { values[row].isNaN }

    func text(_ row: Int) -> String? {
        guard row >= 0, row < values.count else { return nil }
        let v = values[row]
        guard !v.isNaN else { return nil }
        let c = Int(v)
        return c >= 0 && c < dict.count ? dict.text(c) : nil
    }

    mutating func appendText(_ s: String) {
        values.append(Double(dict.insert(s).code))
    }

    mutating func appendMissing() { values.append(.nan) }
    mutating func append(_ v: Double) { values.append(v) }
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
    var inputIndex: [Int32] = []
    var lines: [Int32] = []

    init(entity: Int, fieldCount: Int, keyField: Int? = nil) {
        self.entity = entity
        self.columns = Array(repeating: Column(), count: fieldCount)
        self.keyField = keyField
    }

    var count: Int { lines.count }

    func source(_ row: Int) -> RecordSource {
        guard row >= 0, row < lines.count else { return RecordSource(input: 0, line: 0) }
        return RecordSource(input: Int(inputIndex[row]), line: Int(lines[row]))
    }

    mutating func shiftInputs(by offset: Int) {
        guard offset != 0 else { return }
        for i in inputIndex.indices { inputIndex[i] += Int32(offset) }
    }

    mutating func reserve(_ n: Int) {
        for i in columns.indices { columns[i].values.reserveCapacity(columns[i].values.count + n) }
        inputIndex.reserveCapacity(inputIndex.count + n)
        lines.reserveCapacity(lines.count + n)
    }

    mutating func appendSource(input: Int, line: Int) {
        inputIndex.append(Int32(clamping: input))
        lines.append(Int32(clamping: line))
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
            Table(entity: $0, fieldCount: program.entities[$0].fields.count, keyField: program.entities[$0].keyField)
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
